#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/RecordSink.h"

namespace kwb::import {

/// Walks a JSON text that may be far larger than memory (a top-level array of a million
/// records, the put-records object) one value at a time: skips whitespace, finds where the next
/// value ends (strings and nesting respected, across block boundaries) and keeps the line and
/// column of the front. The values themselves are parsed by simdjson. Internal; one thread.
class JsonStreamer
{
public:
    struct Value
    {
        const char *data = nullptr; ///< the value's bytes (valid until the next read); null when tooLong
        qint64 length = 0;
        bool complete = true;  ///< false: the input ended inside the value
        bool tooLong = false;  ///< longer than the limit; already consumed, not kept
    };

    explicit JsonStreamer(BlockReader &reader) : m_reader(reader) {}

    SourceLocation location() const { return m_location; }
    /// Skips whitespace; returns the next byte (not consumed) or -1 at the end of the input.
    Result<int> peek();
    /// Consumes `n` bytes at the front, moving the location past them.
    void consume(qint64 n);
    /// Finds the end of the value at the front (call peek() first). Unless tooLong, the value is
    /// left in place for the caller to parse and consume(length).
    Result<Value> scanValue(qint64 maxBytes);

    /// The location reached from `at` after the bytes [from, to) (no line breaks assumed before).
    static SourceLocation advance(SourceLocation at, const char *from, const char *to);

private:
    BlockReader &m_reader;
    SourceLocation m_location{1, 1};
};

} // namespace kwb::import
