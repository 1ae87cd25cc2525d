#pragma once

#include "Result.h"

#include <QString>

#include <optional>
#include <vector>

namespace kwb::generate {

/// How many records a run should have made by a given moment: a rate in records per second (or
/// a ramp from one rate to another over some seconds, then the second rate), bursts of extra
/// records at given moments, and an end (a record count, a duration, or none: until stopped).
/// A rate of 0 means "as fast as possible". Pure value; any thread.
class RateSchedule
{
public:
    struct Ramp
    {
        double from = 0;
        double to = 0;
        double seconds = 0;
    };
    struct Burst
    {
        double atSeconds = 0;
        qint64 records = 0;
    };

    void setRate(double perSecond) { m_rate = perSecond; }
    void setRamp(const Ramp &ramp) { m_ramp = ramp; }
    void addBurst(const Burst &burst) { m_bursts.push_back(burst); }
    void setCount(qint64 records) { m_count = records; }
    void setDuration(double seconds) { m_duration = seconds; }

    /// True when records are paced (a rate or a ramp), false for "as fast as possible".
    bool paced() const { return m_ramp || m_rate > 0; }
    /// The rate at `seconds` into the run (0 when unpaced).
    double rateAt(double seconds) const;
    /// The highest rate the run asks for.
    double peakRate() const;
    /// Records due by `seconds` into the run: the rate's integral plus the bursts so far, capped
    /// by the count, and by what is due at the duration's end. Unpaced: the count (or "many").
    qint64 dueBy(double seconds) const;
    /// The run's record count when it is known in advance (a count, or a paced duration).
    std::optional<qint64> total() const;
    /// True when the run is over at `seconds` having made `made` records.
    bool finished(double seconds, qint64 made) const;
    std::optional<double> duration() const { return m_duration; }
    std::optional<qint64> count() const { return m_count; }

    /// "FROM:TO:SECONDS", e.g. "100:2000:60".
    static Result<Ramp> parseRamp(const QString &text);
    /// "RECORDS@SECONDS", e.g. "5000@30" (SECONDS may carry a unit as in parseDuration).
    static Result<Burst> parseBurst(const QString &text);
    /// "90", "90s", "15m", "2h", "1.5m": seconds above 0.
    static Result<double> parseDuration(const QString &text);

private:
    double integral(double seconds) const;

    double m_rate = 0;
    std::optional<Ramp> m_ramp;
    std::vector<Burst> m_bursts;
    std::optional<qint64> m_count;
    std::optional<double> m_duration;
};

} // namespace kwb::generate
