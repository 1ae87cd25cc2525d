#pragma once

#include <QByteArray>
#include <QString>

#include "generate/TextBuffer.h"

#include <ctime>

#include <vector>

namespace kwb::generate {

/// A date format written with moment.js display tokens (what KDG's {{date.now("...")}} takes):
/// YYYY YY Q M MM MMM MMMM D DD Do DDD DDDD d dd ddd dddd H HH h hh k kk m mm s ss S SS SSS A a
/// Z ZZ X x, text in [brackets] kept as written; any other character is copied. Compiled once,
/// then format() writes a time without allocating beyond `out`. A plain value; any thread.
class MomentFormat
{
public:
    /// moment's default format: 2014-09-08T08:02:17-05:00 (local) or ...Z (UTC).
    MomentFormat() = default;
    explicit MomentFormat(const QString &format);

    /// Appends the time `epochMs` (milliseconds since 1970, UTC) in UTC or in the local time zone.
    void format(qint64 epochMs, bool utc, TextBuffer &out) const;
    /// True when the output changes within a second (S, SS, SSS or x), so it cannot be cached per second.
    bool subSecond() const { return m_subSecond; }

private:
    enum class Token : quint8 {
        Literal, Year4, Year2, Quarter, Month, Month2, MonthShort, MonthLong, Day, Day2, DayOrdinal,
        DayOfYear, DayOfYear3, Weekday, WeekdayMin, WeekdayShort, WeekdayLong, Hour, Hour2, Hour12,
        Hour12_2, Hour24k, Hour24k2, Minute, Minute2, Second, Second2, Tenth, Hundredth, Milli, AmPmUpper,
        AmPmLower, Offset, OffsetCompact, UnixSeconds, UnixMillis, DefaultZone
    };
    struct Part
    {
        Token token;
        QByteArray literal;
    };
    std::vector<Part> m_parts;
    bool m_subSecond = false;
    // The broken-down time of the last second formatted (a run formats the same second often).
    mutable qint64 m_cachedSecond = -1;
    mutable bool m_cachedUtc = false;
    mutable struct tm m_tm = {};
};

} // namespace kwb::generate
