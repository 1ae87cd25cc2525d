#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <deque>
#include <memory>

namespace kwb::sandbox {

/// The records of one shard, compact: a 32-byte index entry per record (counter, arrival time,
/// where its bytes are) and the partition keys and data in 1 MiB chunks. Appending is O(1)
/// amortised; trimming the oldest records is O(trimmed) and frees whole chunks; lookups by
/// counter or arrival time are binary searches. A shard that never held a record allocates
/// nothing (a stream of many shards, or a log replaying reshards, makes many of those). Not
/// thread-safe: owned by the sandbox worker.
class ShardStore
{
public:
    struct Entry
    {
        quint64 counter;
        qint64 arrivalMs;
        quint32 chunk;  ///< absolute chunk number
        quint32 offset; ///< of the partition key in the chunk; the data follows it
        quint32 dataLength;
        quint16 keyLength;
    };

    /// Appends one record. Counters must grow and arrival times must not go back.
    void append(quint64 counter, qint64 arrivalMs, QByteArrayView key, QByteArrayView data);

    qsizetype size() const { return m_held ? qsizetype(m_held->entries.size()) : 0; }
    bool isEmpty() const { return size() == 0; }
    const Entry &entry(qsizetype index) const { return m_held->entries[size_t(index)]; }
    QByteArrayView key(qsizetype index) const;
    QByteArrayView data(qsizetype index) const;
    /// Partition key and data bytes of all records held.
    qint64 bytes() const { return m_bytes; }

    /// Index of the first record whose counter is >= `counter` (size() when none).
    qsizetype lowerBoundCounter(quint64 counter) const;
    /// Index of the first record that arrived at or after `ms` (size() when none).
    qsizetype lowerBoundTime(qint64 ms) const;

    /// Removes the records that arrived before `cutoffMs`; returns how many.
    qsizetype trimBefore(qint64 cutoffMs);
    /// Removes the oldest records until at most `maxBytes` remain; returns how many.
    qsizetype trimToBytes(qint64 maxBytes);
    void clear();

private:
    struct Chunk
    {
        std::unique_ptr<char[]> data;
        quint32 capacity = 0;
        quint32 used = 0;
    };
    /// What the shard holds, from its first record on.
    struct Held
    {
        std::deque<Entry> entries;
        std::deque<Chunk> chunks;
        quint32 firstChunk = 0; ///< absolute number of chunks.front()
    };
    void popFront();
    const char *bytesAt(const Entry &entry) const;

    std::unique_ptr<Held> m_held;
    qint64 m_bytes = 0;
};

} // namespace kwb::sandbox
