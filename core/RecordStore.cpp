#include "RecordStore.h"

#include "SortedRows.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <sys/mman.h>

namespace kwb {

void RecordStore::reserve(int records)
{
    m_rows.reserve(size_t(records));
    m_hashKeys.reserve(size_t(records));
}

void RecordStore::clear()
{
    m_chunks.clear();
    m_used = 0;
    m_rows.clear();
    m_hashKeys.clear();
    m_explicit.clear();
}

namespace {

/// First arena chunks of stores freed lately (kChunkBytes, 4 KiB pages), for the next stores to
/// reuse. A streaming import (kwb put) makes a store for each chunk of records; a new arena cost
/// a page fault for each 4 KiB it touched, a third of bench_import's hashing thread. At most
/// kPooled are kept (their touched pages stay resident). Any thread; never destroyed, so a store
/// freed during exit still finds it.
class ArenaPool
{
public:
    static constexpr size_t kPooled = 4;

    char *take()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_free.empty())
            return nullptr;
        char *p = m_free.back();
        m_free.pop_back();
        return p;
    }
    bool give(char *p)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_free.size() >= kPooled)
            return false;
        m_free.push_back(p);
        return true;
    }

private:
    std::mutex m_mutex;
    std::vector<char *> m_free;
};

ArenaPool &arenaPool()
{
    static auto *pool = new ArenaPool;
    return *pool;
}

} // namespace

std::unique_ptr<char, RecordStore::FreeArena> RecordStore::allocateArena(qint64 bytes, bool hugePages)
{
    // Filling fresh memory costs a page fault per page touched: with 4 KiB pages a million
    // records' arenas took ~47,000 faults, a fifth of an import's CPU (bench_import), and more on
    // a fresh virtual machine, whose host backs each new page too. In 2 MiB-aligned memory marked
    // MADV_HUGEPAGE the kernel maps huge pages (transparent huge pages set to "madvise", Debian's
    // default), one fault per 2 MiB. Only for a store's second chunk on: a store that fits one
    // chunk (a chunk of kwb put's stream, at most 5 MiB) would only hold more memory, and its
    // freed chunks come back from malloc without faults anyway.
    constexpr qint64 kHugePage = 2 * 1024 * 1024;
    if (!hugePages) {
        const bool recycle = bytes == kChunkBytes;
        void *memory = recycle ? arenaPool().take() : nullptr;
        if (!memory)
            memory = std::malloc(size_t(bytes));
        if (!memory)
            throw std::bad_alloc();
        return {static_cast<char *>(memory), FreeArena{recycle}};
    }
    const qint64 rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void *memory = std::aligned_alloc(size_t(kHugePage), size_t(rounded));
    if (!memory)
        throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(memory, size_t(rounded), MADV_HUGEPAGE); // advice only: without it, 4 KiB pages
#endif
    return {static_cast<char *>(memory), FreeArena{}};
}

void RecordStore::FreeArena::operator()(char *p) const
{
    if (!recycle || !arenaPool().give(p))
        std::free(p);
}

const char *RecordStore::store(QByteArrayView bytes)
{
    static const char empty = 0;
    if (bytes.isEmpty())
        return &empty;
    const qint64 n = bytes.size();
    if (m_chunks.empty() || m_used + n > m_chunks.back()->capacity) {
        // A record larger than a chunk gets a chunk of its own; the current chunk stays the
        // one being filled when it still has room.
        auto chunk = std::make_shared<Chunk>();
        chunk->capacity = std::max(kChunkBytes, n);
        chunk->bytes = allocateArena(chunk->capacity, !m_chunks.empty());
        if (n > kChunkBytes && !m_chunks.empty()) {
            m_chunks.insert(m_chunks.end() - 1, chunk);
            std::memcpy(chunk->bytes.get(), bytes.data(), size_t(n));
            return chunk->bytes.get();
        }
        m_chunks.push_back(std::move(chunk));
        m_used = 0;
    }
    char *at = m_chunks.back()->bytes.get() + m_used;
    std::memcpy(at, bytes.data(), size_t(n));
    m_used += n;
    return at;
}

int RecordStore::appendHashed(QByteArrayView partitionKeyUtf8, QByteArrayView data,
                              std::optional<UInt128> explicitHashKey, UInt128 hashKey)
{
    Row row;
    row.key = store(partitionKeyUtf8);
    row.keyLength = quint32(partitionKeyUtf8.size());
    row.data = store(data);
    row.dataLength = quint32(data.size());
    if (explicitHashKey) {
        row.explicitIndex = qint32(m_explicit.size());
        m_explicit.push_back(*explicitHashKey);
    }
    m_rows.push_back(row);
    m_hashKeys.push_back(hashKey);
    return int(m_rows.size()) - 1;
}

int RecordStore::append(QByteArrayView partitionKeyUtf8, QByteArrayView data, std::optional<UInt128> explicitHashKey)
{
    const UInt128 hash = explicitHashKey ? *explicitHashKey : hashPartitionKey(partitionKeyUtf8);
    return appendHashed(partitionKeyUtf8, data, explicitHashKey, hash);
}

int RecordStore::append(const Record &record)
{
    return append(QByteArrayView(record.partitionKey.toUtf8()), QByteArrayView(record.data), record.explicitHashKey);
}

Record RecordStore::record(int row) const
{
    return Record{partitionKey(row), data(row).toByteArray(), optionalExplicitHashKey(row)};
}

void RecordStore::setPartitionKey(int row, QByteArrayView partitionKeyUtf8)
{
    Row &r = m_rows[size_t(row)];
    r.key = store(partitionKeyUtf8);
    r.keyLength = quint32(partitionKeyUtf8.size());
    if (r.explicitIndex < 0)
        m_hashKeys[size_t(row)] = hashPartitionKey(partitionKeyUtf8);
}

void RecordStore::setData(int row, QByteArrayView data)
{
    Row &r = m_rows[size_t(row)];
    r.data = store(data);
    r.dataLength = quint32(data.size());
}

void RecordStore::setExplicitHashKey(int row, std::optional<UInt128> explicitHashKey)
{
    Row &r = m_rows[size_t(row)];
    if (!explicitHashKey) {
        r.explicitIndex = -1;
        m_hashKeys[size_t(row)] = hashPartitionKey(partitionKeyUtf8(row));
        return;
    }
    if (r.explicitIndex >= 0) {
        m_explicit[size_t(r.explicitIndex)] = *explicitHashKey;
    } else {
        r.explicitIndex = qint32(m_explicit.size());
        m_explicit.push_back(*explicitHashKey);
    }
    m_hashKeys[size_t(row)] = *explicitHashKey;
}

void RecordStore::setRecord(int row, const Record &record)
{
    const QByteArray key = record.partitionKey.toUtf8();
    Row &r = m_rows[size_t(row)];
    r.key = store(key);
    r.keyLength = quint32(key.size());
    setData(row, record.data);
    setExplicitHashKey(row, record.explicitHashKey);
}

void RecordStore::removeRows(std::vector<int> rows)
{
    rows = sortedUniqueRows(std::move(rows));
    eraseSortedRows(m_rows, rows);
    eraseSortedRows(m_hashKeys, rows);
}

void RecordStore::insert(int row, const Record &record)
{
    append(record);
    moveTailTo(row, 1);
}

void RecordStore::moveTailTo(int row, int count)
{
    if (count <= 0 || row >= size() - count)
        return;
    std::rotate(m_rows.begin() + row, m_rows.end() - count, m_rows.end());
    std::rotate(m_hashKeys.begin() + row, m_hashKeys.end() - count, m_hashKeys.end());
}

qint64 RecordStore::arenaBytes() const
{
    qint64 total = 0;
    for (const auto &chunk : m_chunks)
        total += chunk->capacity;
    return total;
}

} // namespace kwb
