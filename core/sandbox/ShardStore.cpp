#include "sandbox/ShardStore.h"

#include <algorithm>
#include <cstring>

namespace kwb::sandbox {

namespace {
constexpr quint32 kChunkBytes = 1024 * 1024;
constexpr quint32 kFirstChunkBytes = 64 * 1024; // a shard that holds a few records stays small
}

void ShardStore::append(quint64 counter, qint64 arrivalMs, QByteArrayView key, QByteArrayView data)
{
    const quint64 need = quint64(key.size()) + quint64(data.size());
    if (!m_held)
        m_held = std::make_unique<Held>();
    std::deque<Chunk> &chunks = m_held->chunks;
    if (chunks.empty() || chunks.back().capacity - chunks.back().used < need) {
        // A record never spans chunks; one larger than a chunk gets a chunk of its own. Chunks
        // double from 64 KiB up to 1 MiB.
        const quint64 grown = chunks.empty() ? kFirstChunkBytes
                                             : std::min<quint64>(kChunkBytes, 2 * quint64(chunks.back().capacity));
        Chunk chunk;
        chunk.capacity = quint32(std::max<quint64>(grown, need));
        chunk.data.reset(new char[chunk.capacity]);
        chunks.push_back(std::move(chunk));
    }
    Chunk &chunk = chunks.back();
    char *out = chunk.data.get() + chunk.used;
    if (!key.isEmpty())
        std::memcpy(out, key.data(), size_t(key.size()));
    if (!data.isEmpty())
        std::memcpy(out + key.size(), data.data(), size_t(data.size()));
    m_held->entries.push_back(Entry{counter, arrivalMs, m_held->firstChunk + quint32(chunks.size() - 1), chunk.used,
                              quint32(data.size()), quint16(key.size())});
    chunk.used += quint32(need);
    m_bytes += qint64(need);
}

const char *ShardStore::bytesAt(const Entry &entry) const
{
    return m_held->chunks[size_t(entry.chunk - m_held->firstChunk)].data.get() + entry.offset;
}

QByteArrayView ShardStore::key(qsizetype index) const
{
    const Entry &e = entry(index);
    return QByteArrayView(bytesAt(e), e.keyLength);
}

QByteArrayView ShardStore::data(qsizetype index) const
{
    const Entry &e = entry(index);
    return QByteArrayView(bytesAt(e) + e.keyLength, qsizetype(e.dataLength));
}

qsizetype ShardStore::lowerBoundCounter(quint64 counter) const
{
    if (!m_held)
        return 0;
    const std::deque<Entry> &entries = m_held->entries;
    const auto it = std::lower_bound(entries.begin(), entries.end(), counter,
                                     [](const Entry &e, quint64 c) { return e.counter < c; });
    return qsizetype(it - entries.begin());
}

qsizetype ShardStore::lowerBoundTime(qint64 ms) const
{
    if (!m_held)
        return 0;
    const std::deque<Entry> &entries = m_held->entries;
    const auto it = std::lower_bound(entries.begin(), entries.end(), ms,
                                     [](const Entry &e, qint64 t) { return e.arrivalMs < t; });
    return qsizetype(it - entries.begin());
}

void ShardStore::popFront()
{
    Held &held = *m_held;
    const Entry &e = held.entries.front();
    m_bytes -= qint64(e.keyLength) + qint64(e.dataLength);
    held.entries.pop_front();
    // Free the chunks no remaining record points into (the last chunk stays for appends).
    const quint32 keepFrom =
        held.entries.empty() ? held.firstChunk + quint32(held.chunks.size() - 1) : held.entries.front().chunk;
    while (held.firstChunk < keepFrom && held.chunks.size() > 1) {
        held.chunks.pop_front();
        ++held.firstChunk;
    }
}

qsizetype ShardStore::trimBefore(qint64 cutoffMs)
{
    qsizetype removed = 0;
    while (!isEmpty() && m_held->entries.front().arrivalMs < cutoffMs) {
        popFront();
        ++removed;
    }
    return removed;
}

qsizetype ShardStore::trimToBytes(qint64 maxBytes)
{
    qsizetype removed = 0;
    while (!isEmpty() && m_bytes > maxBytes) {
        popFront();
        ++removed;
    }
    return removed;
}

void ShardStore::clear()
{
    m_held.reset();
    m_bytes = 0;
}

} // namespace kwb::sandbox
