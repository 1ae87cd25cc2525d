#include "JsonStreamer.h"

#include "import/DataDecoder.h"

#include <cstring>

namespace kwb::import {

namespace {

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool endsScalar(char c)
{
    return isJsonWhitespace(c) || c == ',' || c == ']' || c == '}' || c == ':';
}

} // namespace

SourceLocation JsonStreamer::advance(SourceLocation at, const char *from, const char *to)
{
    return advanceLocation(at, from, to);
}

void JsonStreamer::consume(qint64 n)
{
    const char *begin = m_reader.begin();
    m_location = advance(m_location, begin, begin + n);
    m_reader.consume(n);
}

Result<int> JsonStreamer::peek()
{
    for (;;) {
        const char *begin = m_reader.begin();
        const qint64 available = m_reader.available();
        qint64 i = 0;
        while (i < available && isJsonWhitespace(begin[i]))
            ++i;
        consume(i);
        if (i < available)
            return int(static_cast<unsigned char>(begin[i]));
        if (m_reader.atEof())
            return -1;
        auto more = m_reader.readMore();
        if (!more)
            return more.error();
    }
}

Result<JsonStreamer::Value> JsonStreamer::scanValue(qint64 maxBytes)
{
    qint64 pos = 0;
    qint64 dropped = 0;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    const char first = *m_reader.begin();
    const bool scalar = first != '{' && first != '[' && first != '"';
    for (;;) {
        const char *b = m_reader.begin();
        const qint64 available = m_reader.available();
        bool done = false;
        while (pos < available && !done) {
            if (escape) {
                escape = false;
                ++pos;
                continue;
            }
            if (inString) {
                const char *s = b + pos;
                const char *e = b + available;
                const auto *quote = static_cast<const char *>(std::memchr(s, '"', size_t(e - s)));
                const char *stop = quote ? quote : e;
                const auto *backslash = static_cast<const char *>(std::memchr(s, '\\', size_t(stop - s)));
                if (backslash) {
                    pos = backslash - b + 1;
                    escape = true;
                    continue;
                }
                if (!quote) {
                    pos = available;
                    break;
                }
                pos = quote - b + 1;
                inString = false;
                done = depth == 0;
                continue;
            }
            if (scalar) {
                if (endsScalar(b[pos])) {
                    done = true;
                    break;
                }
                ++pos;
                continue;
            }
            const char c = b[pos++];
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                done = --depth == 0;
            }
        }
        if (!done && scalar && pos == available && m_reader.atEof())
            done = true;
        if (done) {
            if (dropped > 0) {
                consume(pos);
                return Value{nullptr, dropped + pos, true, true};
            }
            return Value{b, pos, true, false};
        }
        if (dropped > 0 || available > maxBytes) {
            // Too long to keep: pass over the bytes scanned so far, keeping the scan state.
            consume(pos);
            dropped += pos;
            pos = 0;
        }
        if (m_reader.atEof()) {
            if (dropped > 0)
                return Value{nullptr, dropped, false, true};
            return Value{m_reader.begin(), m_reader.available(), false, false};
        }
        auto more = m_reader.readMore();
        if (!more)
            return more.error();
    }
}

} // namespace kwb::import
