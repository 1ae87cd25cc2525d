#include "LineReader.h"

#include <cstring>

namespace kwb::import {

Result<bool> LineReader::next(Line &line)
{
    m_reader.consume(m_pendingConsume);
    m_pendingConsume = 0;
    qint64 searched = 0;
    qint64 dropped = 0; // bytes of a too long line already passed over
    for (;;) {
        const char *begin = m_reader.begin();
        const qint64 available = m_reader.available();
        const auto *newline = static_cast<const char *>(
            searched < available ? std::memchr(begin + searched, '\n', size_t(available - searched)) : nullptr);
        qint64 length = -1;
        if (newline) {
            length = newline - begin;
            m_pendingConsume = length + 1;
        } else if (m_reader.atEof()) {
            if (available == 0 && dropped == 0)
                return false;
            length = available;
            m_pendingConsume = available;
        }
        if (length >= 0) {
            ++m_number;
            line.number = m_number;
            const bool cr = length > 0 && begin[length - 1] == '\r';
            if (dropped > 0) {
                line.data = nullptr;
                line.length = dropped + length - (cr ? 1 : 0);
                line.tooLong = true;
            } else {
                line.data = begin;
                line.length = length - (cr ? 1 : 0);
                line.tooLong = false;
            }
            return true;
        }
        if (dropped > 0 || available > m_maxLineBytes) {
            // Too long to keep: pass over what is here, keeping a '\r' that may precede a '\n'.
            const qint64 keep = available > 0 && begin[available - 1] == '\r' ? 1 : 0;
            dropped += available - keep;
            m_reader.consume(available - keep);
            searched = keep;
        } else {
            searched = available;
        }
        auto more = m_reader.readMore();
        if (!more)
            return more.error();
    }
}

Result<bool> LineReader::nextBatch(std::vector<Line> &lines)
{
    lines.clear();
    Line line;
    auto first = next(line);
    if (!first || !first.value())
        return first;
    lines.push_back(line);
    if (line.tooLong)
        return true;
    const char *p = m_reader.begin() + m_pendingConsume;
    const char *end = m_reader.end();
    while (p < end) {
        const auto *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!newline && !m_reader.atEof())
            break; // a partial line: the next call reads on
        const char *lineEnd = newline ? newline : end;
        if (lineEnd - p > m_maxLineBytes)
            break; // the next call passes over it
        line.data = p;
        line.length = (lineEnd - p) - (lineEnd > p && lineEnd[-1] == '\r' ? 1 : 0);
        line.number = ++m_number;
        line.tooLong = false;
        lines.push_back(line);
        m_pendingConsume += (lineEnd - p) + (newline ? 1 : 0);
        p = newline ? newline + 1 : end;
    }
    return true;
}

} // namespace kwb::import
