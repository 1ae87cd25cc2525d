#include "stream/StartPosition.h"

#include <QRegularExpression>

namespace kwb::stream {

namespace {

bool allDigits(const QString &text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

/// Epoch seconds are at most 11 digits for the next thousands of years; sequence numbers of
/// Kinesis are 56 digits (and never fewer than 21).
constexpr int kMinSequenceDigits = 21;

} // namespace

Result<StartPosition> StartPosition::parse(const QString &text)
{
    const QString t = text.trimmed();
    if (t.compare(QLatin1String("latest"), Qt::CaseInsensitive) == 0)
        return latest();
    if (t.compare(QLatin1String("trim-horizon"), Qt::CaseInsensitive) == 0
        || t.compare(QLatin1String("trim_horizon"), Qt::CaseInsensitive) == 0)
        return trimHorizon();
    if (allDigits(t) && t.size() >= kMinSequenceDigits) {
        if (t.size() > 128)
            return Error::input(QStringLiteral("--from: a sequence number has at most 128 digits; %1 has %2").arg(t.left(20) + QStringLiteral("...")).arg(t.size()));
        return StartPosition{net::ShardIteratorType::AtSequenceNumber, {}, t};
    }
    static const QRegularExpression epoch(QStringLiteral("^\\d{1,11}(\\.\\d{1,9})?$"));
    if (epoch.match(t).hasMatch()) {
        const qint64 ms = qint64(t.toDouble() * 1000.0 + 0.5);
        return StartPosition{net::ShardIteratorType::AtTimestamp, QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), {}};
    }
    const QDateTime iso = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (iso.isValid() && (t.endsWith(QLatin1Char('Z')) || t.contains(QRegularExpression(QStringLiteral("[+-]\\d\\d:?\\d\\d$")))))
        return StartPosition{net::ShardIteratorType::AtTimestamp, iso.toUTC(), {}};
    if (iso.isValid())
        return Error::input(QStringLiteral("--from %1: give the time zone too (2026-12-06T20:15:00Z or +01:00), "
                                           "so the time means the same everywhere").arg(t));
    return Error::input(QStringLiteral("--from takes latest, trim-horizon, a time (2026-12-06T20:15:00Z or epoch "
                                       "seconds) or a sequence number; '%1' is none of them").arg(t));
}

int compareSequenceNumbers(const QString &a, const QString &b)
{
    // Decimal strings without leading zeros: the longer is larger, else they compare as text.
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
}

} // namespace kwb::stream
