#include "generate/ReplayFeed.h"

#include "generate/MomentFormat.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace kwb::generate {

namespace {

constexpr qint64 kMaxLineBytes = 10 * 1024 * 1024;
/// Epoch numbers above this are milliseconds (3 March 1973 in ms; year 5138 in seconds).
constexpr double kMillisThreshold = 1e11;

qint64 wallClock()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonValue valueAt(const QJsonObject &object, const QString &path)
{
    QJsonValue v = object;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(part);
    }
    return v;
}

void appendUuid(QByteArray &out, Rng &rng)
{
    static const char hex[] = "0123456789abcdef";
    const quint64 a = rng.next();
    const quint64 b = rng.next();
    const quint64 words[2] = {(a & 0xffffffffffff0fffULL) | 0x4000, (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL};
    int n = 0;
    for (quint64 w : words)
        for (int i = 60; i >= 0; i -= 4, ++n) {
            if (n == 8 || n == 12 || n == 16 || n == 20)
                out.append('-');
            out.append(hex[(w >> i) & 0xf]);
        }
}

} // namespace

ReplayFeed::ReplayFeed(const ReplayOptions &options)
    : m_options(options)
    , m_rng(options.seed)
    , m_clock(wallClock)
{
}

Result<std::unique_ptr<ReplayFeed>> ReplayFeed::open(const QString &path, const ReplayOptions &options)
{
    if (options.timestampField.isEmpty() && options.perSecond <= 0)
        return Error::input(QStringLiteral("replay needs --timestamp-field PATH (or a fixed rate with --per-second N)"));
    if (!(options.speed > 0) || !std::isfinite(options.speed))
        return Error::input(QStringLiteral("--speed takes a factor above 0 (1, 60, 3600), not %1").arg(options.speed));
    std::unique_ptr<ReplayFeed> feed(new ReplayFeed(options));
    feed->m_path = path;
    feed->m_file = std::make_unique<QFile>(path);
    if (!feed->m_file->open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("%1: cannot read: %2").arg(path, feed->m_file->errorString()));
    auto first = feed->readNext();
    if (!first.ok())
        return first.error();
    if (!first.value())
        return Error::input(QStringLiteral("%1: no records to replay (the file is empty)").arg(path));
    return feed;
}

Result<void> ReplayFeed::parse(const QByteArray &line, Pending &out) const
{
    const auto where = [&] { return QStringLiteral("%1:%2").arg(m_path).arg(m_lineNumber); };
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error::input(QStringLiteral("%1: expected one JSON object per line (JSON Lines)%2")
                                .arg(where(), error.error != QJsonParseError::NoError
                                                  ? QStringLiteral(": %1 at column %2").arg(error.errorString()).arg(error.offset + 1)
                                                  : QString()));
    const QJsonObject object = doc.object();
    out.line = line;
    if (!m_options.timestampField.isEmpty()) {
        const QJsonValue t = valueAt(object, m_options.timestampField);
        if (t.isDouble()) {
            const double v = t.toDouble();
            out.form = std::fabs(v) > kMillisThreshold ? TimeForm::Millis : TimeForm::Seconds;
            out.timeMs = out.form == TimeForm::Millis ? qint64(std::llround(v)) : qint64(std::llround(v * 1000.0));
        } else if (t.isString()) {
            const QDateTime d = QDateTime::fromString(t.toString(), Qt::ISODateWithMs);
            if (!d.isValid())
                return Error::input(QStringLiteral("%1: %2 is \"%3\", not a time; use ISO 8601 (2024-03-05T10:11:12.345Z) or "
                                                   "epoch seconds or milliseconds")
                                        .arg(where(), m_options.timestampField, t.toString().left(60)));
            out.form = TimeForm::Iso;
            out.timeMs = d.toMSecsSinceEpoch();
        } else {
            return Error::input(QStringLiteral("%1: the record has no %2 (--timestamp-field); expected a number (epoch seconds "
                                               "or milliseconds) or an ISO 8601 string there")
                                    .arg(where(), m_options.timestampField));
        }
        if (m_options.restamp) {
            // The value's text in the line: after the last path step's member name.
            const QString last = m_options.timestampField.section(QLatin1Char('.'), -1);
            const QRegularExpression member(QStringLiteral("\"%1\"\\s*:\\s*").arg(QRegularExpression::escape(last)));
            const QString text = QString::fromUtf8(line);
            const QRegularExpressionMatch m = member.match(text);
            if (m.hasMatch()) {
                const QByteArray prefix = text.left(m.capturedEnd()).toUtf8();
                qsizetype start = prefix.size();
                qsizetype end = start;
                if (end < line.size() && line[end] == '"') {
                    ++end;
                    while (end < line.size() && line[end] != '"')
                        end += line[end] == '\\' ? 2 : 1;
                    ++end;
                } else {
                    while (end < line.size() && line[end] != ',' && line[end] != '}' && line[end] != ' ' && line[end] != '\t')
                        ++end;
                }
                out.valueStart = start;
                out.valueLength = std::min(end, line.size()) - start;
            }
        }
    }
    out.key.clear();
    if (!m_options.partitionKeyField.isEmpty()) {
        const QJsonValue k = valueAt(object, m_options.partitionKeyField);
        if (k.isString())
            out.key = k.toString().toUtf8();
        else if (k.isDouble())
            out.key = QByteArray::number(k.toDouble(), 'g', 17);
        if (out.key.isEmpty() || out.key.size() > 1024)
            return Error::input(QStringLiteral("%1: the record has no usable %2 (--partition-key-field): expected a string or a "
                                               "number")
                                    .arg(where(), m_options.partitionKeyField));
    }
    return {};
}

Result<bool> ReplayFeed::readNext()
{
    while (true) {
        if (m_file->atEnd()) {
            if (!m_options.loop || m_passRecords == 0)
                return false;
            // The next pass follows on: the span, plus one average gap between records.
            const qint64 span = m_options.perSecond > 0 ? 0 : m_lastMs - m_firstMs;
            if (!m_spanMs)
                m_spanMs = span;
            const qint64 gap = m_passRecords > 1 ? span / (m_passRecords - 1) : 1000;
            m_loopOffsetMs += span + gap;
            m_passRecords = 0;
            m_lineNumber = 0;
            m_file->seek(0);
            continue;
        }
        QByteArray line = m_file->readLine(kMaxLineBytes + 1);
        ++m_lineNumber;
        if (line.size() > kMaxLineBytes)
            return Error::input(QStringLiteral("%1:%2: a line longer than 10 MiB; records are one JSON object per line")
                                    .arg(m_path)
                                    .arg(m_lineNumber));
        while (!line.isEmpty() && (line.endsWith('\n') || line.endsWith('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        Pending p;
        if (auto parsed = parse(line, p); !parsed.ok())
            return parsed.error();
        if (!m_haveFirst) {
            m_firstMs = p.timeMs;
            m_haveFirst = true;
        }
        if (m_loopOffsetMs == 0)
            m_lastMs = m_passRecords == 0 ? p.timeMs : std::max(m_lastMs, p.timeMs);
        ++m_passRecords;
        m_pending = std::move(p);
        return true;
    }
}

qint64 ReplayFeed::dueMs(const Pending &p) const
{
    if (m_options.perSecond > 0)
        return qint64(double(m_taken) * 1000.0 / m_options.perSecond);
    // Records earlier than the first are due at once (a replay never goes back in time).
    const double relative = double(std::max<qint64>(0, p.timeMs - m_firstMs + m_loopOffsetMs));
    return qint64(relative / m_options.speed);
}

QByteArray ReplayFeed::restamped(const Pending &p) const
{
    if (!m_options.restamp || p.valueStart < 0)
        return p.line;
    const qint64 now = m_clock();
    QByteArray value;
    switch (p.form) {
    case TimeForm::Millis: value = QByteArray::number(now); break;
    case TimeForm::Seconds: value = QByteArray::number(double(now) / 1000.0, 'f', 3); break;
    case TimeForm::Iso: {
        static thread_local const MomentFormat iso(QStringLiteral("YYYY-MM-DD[T]HH:mm:ss.SSS[Z]"));
        TextBuffer text;
        iso.format(now, true, text);
        value.append('"').append(text.view()).append('"');
        break;
    }
    }
    QByteArray line = p.line;
    line.replace(p.valueStart, p.valueLength, value);
    return line;
}

Result<qint64> ReplayFeed::take(qint64 elapsedMs, qint64 limit, RecordStore &store)
{
    qint64 n = 0;
    qint64 bytes = 0;
    while (n < limit && bytes < kChunkBytes && m_pending && dueMs(*m_pending) <= elapsedMs) {
        QByteArray key = m_pending->key;
        if (key.isEmpty())
            appendUuid(key, m_rng);
        store.append(key, restamped(*m_pending));
        bytes += store.recordSize(store.size() - 1);
        ++m_taken;
        ++n;
        m_pending.reset();
        auto more = readNext();
        if (!more.ok())
            return more.error();
        if (!more.value()) {
            if (!m_spanMs)
                m_spanMs = m_lastMs - m_firstMs;
            m_end = true;
        }
    }
    return n;
}

bool ReplayFeed::atEnd(qint64) const
{
    return m_end && !m_pending;
}

} // namespace kwb::generate
