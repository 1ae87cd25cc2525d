#pragma once

#include "stream/ReadRecord.h"

#include <deque>

namespace kwb::stream {

/// The last records a reader got, bounded by a count (default 100,000) and by the bytes they
/// hold: the oldest leave as new ones come. Indexes count from the oldest kept record.
/// Not thread-safe: owned and used by one thread (the reader's).
class RecordRing
{
public:
    static constexpr qint64 kDefaultCapacity = 100000;
    static constexpr qint64 kDefaultMaxBytes = 256LL * 1024 * 1024;

    explicit RecordRing(qint64 capacity = kDefaultCapacity, qint64 maxBytes = kDefaultMaxBytes);

    void append(ReadRecord record);
    void clear();

    qint64 size() const { return qint64(m_records.size()); }
    bool isEmpty() const { return m_records.empty(); }
    const ReadRecord &at(qint64 index) const { return m_records[size_t(index)]; }
    qint64 capacity() const { return m_capacity; }
    qint64 bytes() const { return m_bytes; }
    /// Records appended since the start (or clear()), kept or not.
    qint64 appended() const { return m_appended; }
    /// Records that left to make room.
    qint64 dropped() const { return m_appended - size(); }

private:
    std::deque<ReadRecord> m_records;
    qint64 m_capacity;
    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    qint64 m_appended = 0;
};

} // namespace kwb::stream
