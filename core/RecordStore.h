#pragma once

#include "CowColumn.h"
#include "HashKey.h"
#include "Record.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace kwb {

/// Columnar storage for many records: partition keys and data live in an append-only arena of
/// fixed-size chunks, per-record fields in flat vectors. No object per record, so a million
/// 100-byte records take ~170 MB. The hash key (explicit one, else MD5 of the partition key) is
/// computed once on append and cached.
///
/// Not thread-safe. Copies are cheap: the arena chunks are shared and never modified in place
/// (edits append new bytes), and the per-record columns are copied on write, so a worker can take
/// a snapshot copy while the owner goes on editing.
/// Indexes are 0-based rows; they stay stable except when rows are removed.
class RecordStore
{
public:
    RecordStore() = default;

    int size() const { return int(m_rows.size()); }
    bool isEmpty() const { return m_rows.empty(); }
    void reserve(int records);
    void clear();

    /// Appends a record; returns its row. `partitionKeyUtf8` is stored as given (validate first).
    int append(QByteArrayView partitionKeyUtf8, QByteArrayView data,
               std::optional<UInt128> explicitHashKey = std::nullopt);
    /// Appends with a hash key already computed (saves the MD5 when the caller has it).
    int appendHashed(QByteArrayView partitionKeyUtf8, QByteArrayView data,
                     std::optional<UInt128> explicitHashKey, UInt128 hashKey);
    int append(const Record &record);

    QByteArrayView partitionKeyUtf8(int row) const { return {m_rows[size_t(row)].key, m_rows[size_t(row)].keyLength}; }
    QString partitionKey(int row) const { return QString::fromUtf8(partitionKeyUtf8(row)); }
    QByteArrayView data(int row) const { return {m_rows[size_t(row)].data, m_rows[size_t(row)].dataLength}; }
    bool hasExplicitHashKey(int row) const { return m_rows[size_t(row)].explicitIndex >= 0; }
    /// The explicit hash key; meaningful only when hasExplicitHashKey(row).
    UInt128 explicitHashKey(int row) const
    {
        const qint32 i = m_rows[size_t(row)].explicitIndex;
        return i >= 0 ? m_explicit[size_t(i)] : UInt128(0);
    }
    std::optional<UInt128> optionalExplicitHashKey(int row) const
    {
        return hasExplicitHashKey(row) ? std::optional<UInt128>(explicitHashKey(row)) : std::nullopt;
    }
    /// The key that routes the record: explicit hash key, else MD5 of the partition key.
    UInt128 hashKey(int row) const { return m_hashKeys[size_t(row)]; }
    /// Bytes counted against the record and request limits: UTF-8 key + data.
    qint64 recordSize(int row) const { return qint64(m_rows[size_t(row)].keyLength) + m_rows[size_t(row)].dataLength; }

    Record record(int row) const;

    void setPartitionKey(int row, QByteArrayView partitionKeyUtf8);
    void setData(int row, QByteArrayView data);
    void setExplicitHashKey(int row, std::optional<UInt128> explicitHashKey);
    /// Replaces every field of a row.
    void setRecord(int row, const Record &record);
    /// Removes rows (any order, duplicates allowed); later rows move up.
    void removeRows(std::vector<int> rows);
    /// Inserts a record before `row` (row == size() appends).
    void insert(int row, const Record &record);
    /// Moves the last `count` rows to before `row`, keeping their order: appending a block and
    /// moving it costs one pass over the rows after `row`, however large the block.
    void moveTailTo(int row, int count);

    /// Bytes held by the arena chunks (for memory reports).
    qint64 arenaBytes() const;

private:
    struct Row
    {
        const char *key = nullptr;
        const char *data = nullptr;
        quint32 keyLength = 0;
        quint32 dataLength = 0;
        qint32 explicitIndex = -1; ///< into m_explicit; -1: none
    };
    struct FreeArena
    {
        bool recycle; ///< a store's first chunk: back to the pool of recent arenas (false when value-initialised)
        void operator()(char *p) const;
    };
    /// Arena memory (allocateArena(): past a store's first chunk, 2 MiB-aligned and marked for
    /// transparent huge pages).
    struct Chunk
    {
        std::unique_ptr<char, FreeArena> bytes;
        qint64 capacity = 0;
    };
    static std::unique_ptr<char, FreeArena> allocateArena(qint64 bytes, bool hugePages);

    const char *store(QByteArrayView bytes);

    static constexpr qint64 kChunkBytes = 8 * 1024 * 1024;
    std::vector<std::shared_ptr<Chunk>> m_chunks;
    qint64 m_used = 0; ///< bytes used in the last chunk
    // Copy on write: a snapshot for a worker shares them (see CowColumn).
    CowColumn<Row> m_rows;
    CowColumn<UInt128> m_hashKeys;
    /// Explicit hash keys of the rows that have one (most have none): a row points at its slot,
    /// so rows move without touching this column. A new key for a row that has one overwrites
    /// its slot; slots of rows that lost their key or were removed stay unused until clear().
    CowColumn<UInt128> m_explicit;
};

} // namespace kwb
