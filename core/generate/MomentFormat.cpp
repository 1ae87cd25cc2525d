#include "MomentFormat.h"

#include "WordLists.h"

#include <ctime>

namespace kwb::generate {

namespace {

struct TokenName
{
    const char *text;
    int token;
};

void appendPadded(TextBuffer &out, qint64 value, int width)
{
    char buf[24];
    char *p = buf + sizeof buf;
    const bool negative = value < 0;
    quint64 v = negative ? 0 - quint64(value) : quint64(value);
    do {
        *--p = char('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (buf + sizeof buf - p < width)
        *--p = '0';
    if (negative)
        *--p = '-';
    out.append(p, buf + sizeof buf - p);
}

void appendOffset(TextBuffer &out, long offsetSeconds, bool colon)
{
    out.append(offsetSeconds < 0 ? '-' : '+');
    const long abs = offsetSeconds < 0 ? -offsetSeconds : offsetSeconds;
    appendPadded(out, abs / 3600, 2);
    if (colon)
        out.append(':');
    appendPadded(out, abs / 60 % 60, 2);
}

} // namespace

MomentFormat::MomentFormat(const QString &format)
{
    using T = Token;
    // Longest first, so MMMM wins over MMM, MM and M.
    static const std::vector<std::pair<QLatin1StringView, T>> kTokens = {
        {QLatin1StringView("YYYY"), T::Year4}, {QLatin1StringView("MMMM"), T::MonthLong},
        {QLatin1StringView("DDDD"), T::DayOfYear3}, {QLatin1StringView("dddd"), T::WeekdayLong},
        {QLatin1StringView("MMM"), T::MonthShort}, {QLatin1StringView("DDD"), T::DayOfYear},
        {QLatin1StringView("ddd"), T::WeekdayShort}, {QLatin1StringView("SSS"), T::Milli},
        {QLatin1StringView("YY"), T::Year2}, {QLatin1StringView("MM"), T::Month2},
        {QLatin1StringView("DD"), T::Day2}, {QLatin1StringView("Do"), T::DayOrdinal},
        {QLatin1StringView("dd"), T::WeekdayMin}, {QLatin1StringView("HH"), T::Hour2},
        {QLatin1StringView("hh"), T::Hour12_2}, {QLatin1StringView("kk"), T::Hour24k2},
        {QLatin1StringView("mm"), T::Minute2}, {QLatin1StringView("ss"), T::Second2},
        {QLatin1StringView("SS"), T::Hundredth}, {QLatin1StringView("ZZ"), T::OffsetCompact},
        {QLatin1StringView("Q"), T::Quarter}, {QLatin1StringView("M"), T::Month},
        {QLatin1StringView("D"), T::Day}, {QLatin1StringView("d"), T::Weekday},
        {QLatin1StringView("H"), T::Hour}, {QLatin1StringView("h"), T::Hour12},
        {QLatin1StringView("k"), T::Hour24k}, {QLatin1StringView("m"), T::Minute},
        {QLatin1StringView("s"), T::Second}, {QLatin1StringView("S"), T::Tenth},
        {QLatin1StringView("A"), T::AmPmUpper}, {QLatin1StringView("a"), T::AmPmLower},
        {QLatin1StringView("Z"), T::Offset}, {QLatin1StringView("X"), T::UnixSeconds},
        {QLatin1StringView("x"), T::UnixMillis},
    };
    const auto literal = [this](const QString &text) {
        if (!m_parts.empty() && m_parts.back().token == T::Literal)
            m_parts.back().literal.append(text.toUtf8());
        else
            m_parts.push_back({T::Literal, text.toUtf8()});
    };
    qsizetype i = 0;
    while (i < format.size()) {
        if (format[i] == QLatin1Char('[')) {
            const qsizetype close = format.indexOf(QLatin1Char(']'), i + 1);
            if (close > i) {
                literal(format.mid(i + 1, close - i - 1));
                i = close + 1;
                continue;
            }
        }
        bool matched = false;
        for (const auto &[name, token] : kTokens) {
            if (name.front() == format[i] && QStringView(format).mid(i).startsWith(name)) {
                m_parts.push_back({token, {}});
                m_subSecond = m_subSecond || token == T::Tenth || token == T::Hundredth || token == T::Milli
                    || token == T::UnixMillis;
                i += name.size();
                matched = true;
                break;
            }
        }
        if (!matched)
            literal(format.mid(i, 1)), ++i;
    }
}

void MomentFormat::format(qint64 epochMs, bool utc, TextBuffer &out) const
{
    const qint64 seconds = epochMs >= 0 ? epochMs / 1000 : (epochMs - 999) / 1000;
    const int millis = int(epochMs - seconds * 1000);
    if (seconds != m_cachedSecond || utc != m_cachedUtc || m_cachedSecond == -1) {
        const time_t t = time_t(seconds);
        if (utc)
            gmtime_r(&t, &m_tm);
        else
            localtime_r(&t, &m_tm);
        m_cachedSecond = seconds;
        m_cachedUtc = utc;
    }
    const struct tm &tm = m_tm;
    const long offset = utc ? 0 : tm.tm_gmtoff;
    if (m_parts.empty()) {
        // moment's default: YYYY-MM-DDTHH:mm:ssZ, "Z" for UTC.
        appendPadded(out, tm.tm_year + 1900, 4);
        out.append('-');
        appendPadded(out, tm.tm_mon + 1, 2);
        out.append('-');
        appendPadded(out, tm.tm_mday, 2);
        out.append('T');
        appendPadded(out, tm.tm_hour, 2);
        out.append(':');
        appendPadded(out, tm.tm_min, 2);
        out.append(':');
        appendPadded(out, tm.tm_sec, 2);
        if (utc)
            out.append('Z');
        else
            appendOffset(out, offset, true);
        return;
    }
    const int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
    for (const Part &part : m_parts) {
        switch (part.token) {
        case Token::Literal: out.append(part.literal); break;
        case Token::Year4: appendPadded(out, tm.tm_year + 1900, 4); break;
        case Token::Year2: appendPadded(out, (tm.tm_year + 1900) % 100, 2); break;
        case Token::Quarter: appendPadded(out, tm.tm_mon / 3 + 1, 1); break;
        case Token::Month: appendPadded(out, tm.tm_mon + 1, 1); break;
        case Token::Month2: appendPadded(out, tm.tm_mon + 1, 2); break;
        case Token::MonthShort: out.append(words::monthNames.at(size_t(tm.tm_mon)).first(3)); break;
        case Token::MonthLong: out.append(words::monthNames.at(size_t(tm.tm_mon))); break;
        case Token::Day: appendPadded(out, tm.tm_mday, 1); break;
        case Token::Day2: appendPadded(out, tm.tm_mday, 2); break;
        case Token::DayOrdinal: {
            appendPadded(out, tm.tm_mday, 1);
            const int d = tm.tm_mday;
            out.append(d % 10 == 1 && d != 11 ? "st" : d % 10 == 2 && d != 12 ? "nd" : d % 10 == 3 && d != 13 ? "rd" : "th");
            break;
        }
        case Token::DayOfYear: appendPadded(out, tm.tm_yday + 1, 1); break;
        case Token::DayOfYear3: appendPadded(out, tm.tm_yday + 1, 3); break;
        case Token::Weekday: appendPadded(out, tm.tm_wday, 1); break;
        case Token::WeekdayMin: out.append(words::weekdayNames.at(size_t(tm.tm_wday)).first(2)); break;
        case Token::WeekdayShort: out.append(words::weekdayNames.at(size_t(tm.tm_wday)).first(3)); break;
        case Token::WeekdayLong: out.append(words::weekdayNames.at(size_t(tm.tm_wday))); break;
        case Token::Hour: appendPadded(out, tm.tm_hour, 1); break;
        case Token::Hour2: appendPadded(out, tm.tm_hour, 2); break;
        case Token::Hour12: appendPadded(out, hour12, 1); break;
        case Token::Hour12_2: appendPadded(out, hour12, 2); break;
        case Token::Hour24k: appendPadded(out, tm.tm_hour == 0 ? 24 : tm.tm_hour, 1); break;
        case Token::Hour24k2: appendPadded(out, tm.tm_hour == 0 ? 24 : tm.tm_hour, 2); break;
        case Token::Minute: appendPadded(out, tm.tm_min, 1); break;
        case Token::Minute2: appendPadded(out, tm.tm_min, 2); break;
        case Token::Second: appendPadded(out, tm.tm_sec, 1); break;
        case Token::Second2: appendPadded(out, tm.tm_sec, 2); break;
        case Token::Tenth: appendPadded(out, millis / 100, 1); break;
        case Token::Hundredth: appendPadded(out, millis / 10, 2); break;
        case Token::Milli: appendPadded(out, millis, 3); break;
        case Token::AmPmUpper: out.append(tm.tm_hour < 12 ? "AM" : "PM"); break;
        case Token::AmPmLower: out.append(tm.tm_hour < 12 ? "am" : "pm"); break;
        case Token::Offset: appendOffset(out, offset, true); break;
        case Token::OffsetCompact: appendOffset(out, offset, false); break;
        case Token::UnixSeconds: appendPadded(out, seconds, 1); break;
        case Token::UnixMillis: appendPadded(out, epochMs, 1); break;
        case Token::DefaultZone: break;
        }
    }
}

} // namespace kwb::generate
