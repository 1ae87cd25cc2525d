#include "generate/RateSchedule.h"

#include <QStringList>

#include <cmath>
#include <limits>

namespace kwb::generate {

namespace {
constexpr qint64 kUnbounded = std::numeric_limits<qint64>::max() / 4;
}

double RateSchedule::rateAt(double seconds) const
{
    if (m_ramp) {
        if (seconds >= m_ramp->seconds)
            return m_ramp->to;
        return m_ramp->from + (m_ramp->to - m_ramp->from) * std::max(0.0, seconds) / m_ramp->seconds;
    }
    return m_rate;
}

double RateSchedule::peakRate() const
{
    return m_ramp ? std::max(m_ramp->from, m_ramp->to) : m_rate;
}

double RateSchedule::integral(double t) const
{
    if (t <= 0)
        return 0;
    if (!m_ramp)
        return m_rate * t;
    const Ramp &r = *m_ramp;
    const double s = std::min(t, r.seconds);
    double n = r.from * s + (r.to - r.from) * s * s / (2 * r.seconds);
    if (t > r.seconds)
        n += r.to * (t - r.seconds);
    return n;
}

qint64 RateSchedule::dueBy(double seconds) const
{
    qint64 due = 0;
    if (!paced()) {
        due = m_count.value_or(kUnbounded);
    } else {
        const double t = m_duration ? std::min(seconds, *m_duration) : seconds;
        // A whisker added so that 2000/s x 0.5 s is 1000, not 999 from rounding.
        due = qint64(std::floor(integral(t) + 1e-7));
        for (const Burst &b : m_bursts)
            if (b.atSeconds <= t)
                due += b.records;
    }
    return m_count ? std::min(due, *m_count) : due;
}

std::optional<qint64> RateSchedule::total() const
{
    if (m_count)
        return paced() && m_duration ? std::min(*m_count, dueBy(*m_duration)) : *m_count;
    if (m_duration && paced())
        return dueBy(*m_duration);
    return std::nullopt;
}

bool RateSchedule::finished(double seconds, qint64 made) const
{
    if (const auto all = total(); all && made >= *all)
        return true;
    return m_duration && seconds >= *m_duration && made >= dueBy(*m_duration);
}

Result<RateSchedule::Ramp> RateSchedule::parseRamp(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    const auto bad = [&] {
        return Error::input(QStringLiteral("--ramp takes FROM:TO:SECONDS in records per second and seconds, e.g. 100:2000:60, "
                                           "not '%1'")
                                .arg(text),
                            QStringLiteral("InvalidOption"));
    };
    if (parts.size() != 3)
        return bad();
    bool ok1 = false, ok2 = false;
    Ramp r;
    r.from = parts[0].toDouble(&ok1);
    r.to = parts[1].toDouble(&ok2);
    auto seconds = parseDuration(parts[2]);
    if (!ok1 || !ok2 || !seconds.ok() || !std::isfinite(r.from) || !std::isfinite(r.to) || r.from < 0 || r.to < 0
        || r.from > 1e7 || r.to > 1e7 || (r.from == 0 && r.to == 0))
        return bad();
    r.seconds = seconds.value();
    return r;
}

Result<RateSchedule::Burst> RateSchedule::parseBurst(const QString &text)
{
    const qsizetype at = text.indexOf(QLatin1Char('@'));
    bool ok = false;
    Burst b;
    b.records = (at < 0 ? text : text.left(at)).toLongLong(&ok);
    const auto bad = Error::input(QStringLiteral("--burst takes RECORDS or RECORDS@SECONDS (extra records at that moment of the "
                                                 "run, e.g. 5000@30s), not '%1'")
                                      .arg(text),
                                  QStringLiteral("InvalidOption"));
    if (!ok || b.records < 1 || b.records > 100000000)
        return bad;
    if (at >= 0) {
        const QString when = text.mid(at + 1);
        bool zero = false;
        if (when.toDouble(&zero) == 0 && zero) {
            b.atSeconds = 0;
        } else {
            auto seconds = parseDuration(when);
            if (!seconds.ok())
                return bad;
            b.atSeconds = seconds.value();
        }
    }
    return b;
}

Result<double> RateSchedule::parseDuration(const QString &text)
{
    QString number = text.trimmed();
    double unit = 1;
    if (number.endsWith(QLatin1Char('s')))
        number.chop(1);
    else if (number.endsWith(QLatin1Char('m')))
        number.chop(1), unit = 60;
    else if (number.endsWith(QLatin1Char('h')))
        number.chop(1), unit = 3600;
    bool ok = false;
    const double value = number.toDouble(&ok) * unit;
    if (!ok || !std::isfinite(value) || value <= 0 || value > 366.0 * 24 * 3600)
        return Error::input(QStringLiteral("a duration is a number of seconds above 0, optionally with s, m or h (90, 90s, 15m, "
                                           "2h), not '%1'")
                                .arg(text),
                            QStringLiteral("InvalidOption"));
    return value;
}

} // namespace kwb::generate
