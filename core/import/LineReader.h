#pragma once

#include "Result.h"
#include "import/BlockReader.h"

#include <vector>

namespace kwb::import {

/// Splits a BlockReader's input into lines (LF or CRLF; a last line without a line break counts).
/// A line longer than `maxLineBytes` is passed over without being kept in memory and comes back
/// with `tooLong` set. Internal to the importer; one thread.
class LineReader
{
public:
    struct Line
    {
        const char *data = nullptr; ///< valid until the next call to next(); readable padding follows
        qint64 length = 0;          ///< without the line break
        qint64 number = 0;          ///< 1-based
        bool tooLong = false;       ///< data is null, length is the real length
    };

    LineReader(BlockReader &reader, qint64 maxLineBytes) : m_reader(reader), m_maxLineBytes(maxLineBytes) {}

    /// The next line; false at the end of the input.
    Result<bool> next(Line &line);
    /// The next line and every further complete line already read (without reading more), so a
    /// parser can take them in one go: they lie one after the other in memory, each followed by
    /// its line break. Valid until the next call. False at the end of the input.
    Result<bool> nextBatch(std::vector<Line> &lines);
    qint64 lineNumber() const { return m_number; }

private:
    BlockReader &m_reader;
    qint64 m_maxLineBytes;
    qint64 m_number = 0;
    qint64 m_pendingConsume = 0;
};

} // namespace kwb::import
