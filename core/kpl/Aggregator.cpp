#include "kpl/Aggregator.h"

#include "HashKey.h"

#include <QHash>

#include <algorithm>
#include <cstring>
#include <memory>

namespace kwb::kpl {

namespace {

/// Partition key -> table entry, for the keys of one Kinesis record being filled: open
/// addressing over 64-bit key hashes (for most rows, bits of the MD5 the store already has), so
/// packing a million records with distinct keys costs no hashing of its own and no allocation
/// per key. Emptied in O(1) (a generation stamp) when its record is closed.
class KeyTable
{
public:
    /// The entry of the key with `hash` for which `same(entry)` holds, or -1.
    template<typename Same>
    qint32 find(quint64 hash, Same same) const
    {
        if (m_slots.empty())
            return -1;
        for (size_t i = size_t(hash) & m_mask;; i = (i + 1) & m_mask) {
            const Slot &slot = m_slots[i];
            if (slot.stamp != m_stamp)
                return -1;
            if (slot.hash == hash && same(slot.entry))
                return slot.entry;
        }
    }

    void insert(quint64 hash, qint32 entry)
    {
        if ((m_count + 1) * 2 > m_slots.size())
            grow();
        size_t i = size_t(hash) & m_mask;
        while (m_slots[i].stamp == m_stamp)
            i = (i + 1) & m_mask;
        m_slots[i] = {hash, entry, m_stamp};
        ++m_count;
    }

    void clear()
    {
        m_count = 0;
        if (++m_stamp == 0) { // wrapped: old stamps could match again
            std::fill(m_slots.begin(), m_slots.end(), Slot{});
            m_stamp = 1;
        }
    }

private:
    struct Slot
    {
        quint64 hash = 0;
        qint32 entry = -1;
        quint32 stamp = 0;
    };

    void grow()
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(std::max<size_t>(64, old.size() * 2), Slot{});
        m_mask = m_slots.size() - 1;
        const quint32 oldStamp = m_stamp;
        m_stamp = 1;
        m_count = 0;
        for (const Slot &slot : old)
            if (slot.stamp == oldStamp)
                insert(slot.hash, slot.entry);
    }

    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    size_t m_count = 0;
    quint32 m_stamp = 1;
};

/// A 64-bit hash of the row's partition key: the MD5 the store keeps when the row routes by its
/// key; else (an explicit hash key routes it) one computed here.
quint64 keyHash(const RecordStore &store, int row)
{
    if (!store.hasExplicitHashKey(row))
        return quint64(store.hashKey(row));
    return quint64(qHash(store.partitionKeyUtf8(row), size_t(0x9e3779b97f4a7c15ull)));
}

/// The user records of one Kinesis record being filled, with its key tables and the exact size
/// of its protobuf so far.
struct Group
{
    std::vector<int> rows;
    std::vector<qint32> keyIndex; ///< per member: its entry in the partition key table
    std::vector<qint32> hashIndex; ///< per member: its entry in the explicit hash key table, or -1
    std::vector<int> keyRows;      ///< table entry i is the partition key of row keyRows[i]
    std::vector<QByteArray> hashKeys; ///< the explicit hash key table (decimals)
    KeyTable keyLookup;
    QHash<QByteArray, qint32> hashLookup;
    qint64 protoBytes = 0;
    qint64 firstKeyBytes = 0;

    bool isEmpty() const { return rows.empty(); }

    void clear()
    {
        rows.clear();
        keyIndex.clear();
        hashIndex.clear();
        keyRows.clear();
        hashKeys.clear();
        keyLookup.clear();
        hashLookup.clear();
        protoBytes = 0;
        firstKeyBytes = 0;
    }

    /// Bytes the protobuf grows by when `row` joins; fills where its keys go.
    qint64 growth(const RecordStore &store, int row, qint32 &key, qint32 &hash, QByteArray &hashText) const
    {
        qint64 grow = 0;
        const QByteArrayView keyBytes = store.partitionKeyUtf8(row);
        const qint32 k = keyLookup.find(keyHash(store, row), [&](qint32 entry) {
            return store.partitionKeyUtf8(keyRows[size_t(entry)]) == keyBytes;
        });
        if (k >= 0) {
            key = k;
        } else {
            key = qint32(keyRows.size());
            grow += wire::lengthDelimitedSize(keyBytes.size());
        }
        qint64 inner = 1 + wire::varintSize(quint64(key));
        hash = -1;
        if (store.hasExplicitHashKey(row)) {
            char digits[48];
            hashText = QByteArray(digits, hashKeyToChars(store.explicitHashKey(row), digits));
            const auto h = hashLookup.constFind(hashText);
            if (h != hashLookup.constEnd()) {
                hash = *h;
            } else {
                hash = qint32(hashKeys.size());
                grow += wire::lengthDelimitedSize(hashText.size());
            }
            inner += 1 + wire::varintSize(quint64(hash));
        }
        inner += wire::lengthDelimitedSize(store.data(row).size());
        return grow + wire::lengthDelimitedSize(inner);
    }

    void add(const RecordStore &store, int row, qint32 key, qint32 hash, const QByteArray &hashText, qint64 grow)
    {
        if (rows.empty())
            firstKeyBytes = store.partitionKeyUtf8(row).size();
        if (key == qint32(keyRows.size())) {
            keyRows.push_back(row);
            keyLookup.insert(keyHash(store, row), key);
        }
        if (hash >= 0 && hash == qint32(hashKeys.size())) {
            hashKeys.push_back(hashText);
            hashLookup.insert(hashText, hash);
        }
        rows.push_back(row);
        keyIndex.push_back(key);
        hashIndex.push_back(hash);
        protoBytes += grow;
    }

    void addUnchecked(const RecordStore &store, int row)
    {
        qint32 key = 0, hash = -1;
        QByteArray hashText;
        const qint64 grow = growth(store, row, key, hash, hashText);
        add(store, row, key, hash, hashText, grow);
    }

    /// Writes magic, protobuf and MD5 into `out` (resized to fit).
    void encode(const RecordStore &store, QByteArray &out) const
    {
        out.resize(qsizetype(format::kOverheadBytes + protoBytes));
        char *begin = out.data();
        std::memcpy(begin, format::kMagic, format::kMagicBytes);
        char *p = begin + format::kMagicBytes;
        auto bytesField = [&p](char key, QByteArrayView bytes) {
            *p++ = key;
            p = wire::writeVarint(p, quint64(bytes.size()));
            if (!bytes.isEmpty())
                std::memcpy(p, bytes.data(), size_t(bytes.size()));
            p += bytes.size();
        };
        for (const int row : keyRows)
            bytesField(wire::key(format::kPartitionKeyTable, wire::LengthDelimited), store.partitionKeyUtf8(row));
        for (const QByteArray &hash : hashKeys)
            bytesField(wire::key(format::kExplicitHashKeyTable, wire::LengthDelimited), hash);
        for (size_t i = 0; i < rows.size(); ++i) {
            const QByteArrayView data = store.data(rows[i]);
            qint64 inner = 1 + wire::varintSize(quint64(keyIndex[i])) + wire::lengthDelimitedSize(data.size());
            if (hashIndex[i] >= 0)
                inner += 1 + wire::varintSize(quint64(hashIndex[i]));
            *p++ = wire::key(format::kRecords, wire::LengthDelimited);
            p = wire::writeVarint(p, quint64(inner));
            *p++ = wire::key(format::kPartitionKeyIndex, wire::Varint);
            p = wire::writeVarint(p, quint64(keyIndex[i]));
            if (hashIndex[i] >= 0) {
                *p++ = wire::key(format::kExplicitHashKeyIndex, wire::Varint);
                p = wire::writeVarint(p, quint64(hashIndex[i]));
            }
            bytesField(wire::key(format::kData, wire::LengthDelimited), data);
        }
        const char *protoBegin = begin + format::kMagicBytes;
        Q_ASSERT(p - protoBegin == protoBytes);
        const Md5Digest digest = md5(QByteArrayView(protoBegin, p - protoBegin));
        std::memcpy(p, digest.data(), digest.size());
    }
};

/// Fills groups and closes them into `out`'s Kinesis records; or, given `measure`, only counts
/// them per shard (setShard() before each add() and close()).
class Packer
{
public:
    Packer(const RecordStore &store, Aggregation &out, qint64 limit, std::vector<ShardPacking> *measure = nullptr)
        : m_store(store), m_out(out), m_limit(limit), m_measure(measure)
    {
    }

    void setShard(int shard) { m_shard = shard; }

    void add(Group &group, int row)
    {
        qint32 key = 0, hash = -1;
        // Too large to be packed even alone: it goes as it is, and the group stays open.
        const qint64 keyBytes = m_store.partitionKeyUtf8(row).size();
        qint64 inner = 2 + wire::lengthDelimitedSize(m_store.data(row).size());
        qint64 alone = wire::lengthDelimitedSize(keyBytes);
        if (m_store.hasExplicitHashKey(row)) {
            inner += 2;
            alone += wire::lengthDelimitedSize(39); // at most 39 digits
        }
        alone += wire::lengthDelimitedSize(inner);
        if (keyBytes + format::kOverheadBytes + alone > m_limit) {
            plain(row);
            return;
        }
        qint64 grow = group.growth(m_store, row, key, hash, m_hashText);
        if (!group.isEmpty() && group.firstKeyBytes + format::kOverheadBytes + group.protoBytes + grow > m_limit) {
            close(group);
            grow = group.growth(m_store, row, key, hash, m_hashText);
        }
        group.add(m_store, row, key, hash, m_hashText, grow);
    }

    void close(Group &group)
    {
        if (group.rows.size() == 1) {
            plain(group.rows.front());
        } else if (!group.rows.empty() && m_measure) {
            ShardPacking &p = (*m_measure)[size_t(m_shard)];
            ++p.kinesisRecords;
            p.kinesisBytes += group.firstKeyBytes + format::kOverheadBytes + group.protoBytes;
        } else if (!group.rows.empty()) {
            group.encode(m_store, m_bytes);
            const int first = group.rows.front();
            const UInt128 hashKey = m_store.hashKey(first);
            m_out.records.appendHashed(m_store.partitionKeyUtf8(first), m_bytes, hashKey, hashKey);
            m_out.members.insert(m_out.members.end(), group.rows.begin(), group.rows.end());
            m_out.memberStart.push_back(int(m_out.members.size()));
            m_out.aggregated.push_back(true);
        }
        group.clear();
    }

private:
    void plain(int row)
    {
        if (m_measure) {
            ShardPacking &p = (*m_measure)[size_t(m_shard)];
            ++p.kinesisRecords;
            p.kinesisBytes += m_store.recordSize(row);
            return;
        }
        m_out.records.appendHashed(m_store.partitionKeyUtf8(row), m_store.data(row), m_store.optionalExplicitHashKey(row),
                                   m_store.hashKey(row));
        m_out.members.push_back(row);
        m_out.memberStart.push_back(int(m_out.members.size()));
        m_out.aggregated.push_back(false);
    }

    const RecordStore &m_store;
    Aggregation &m_out;
    qint64 m_limit;
    std::vector<ShardPacking> *m_measure;
    int m_shard = 0;
    QByteArray m_hashText;
    QByteArray m_bytes;
};

/// The largest Kinesis record packing may make, or why packing cannot start.
Result<qint64> packingLimit(const ShardMap &map, const AggregatorOptions &options)
{
    if (map.isEmpty())
        return Error::input(QStringLiteral("aggregation needs the stream's shard map to pack user records per shard"));
    const qint64 limit = std::min(options.maxAggregateBytes, options.maxRecordBytes);
    if (limit < format::kOverheadBytes + 8)
        return Error::input(QStringLiteral("the aggregated record limit of %1 bytes is too small to hold even one "
                                           "user record (the format alone takes %2 bytes)")
                                .arg(limit)
                                .arg(format::kOverheadBytes));
    return limit;
}

} // namespace

Result<Aggregation> Aggregator::pack(const RecordStore &store, const std::vector<int> &rows, const ShardMap &map,
                                     const AggregatorOptions &options)
{
    const auto limitOr = packingLimit(map, options);
    if (!limitOr.ok())
        return limitOr.error();
    const qint64 limit = limitOr.value();

    Aggregation out;
    out.members.reserve(rows.size());
    Packer packer(store, out, limit);
    std::vector<std::unique_ptr<Group>> groups(size_t(map.openShardCount()));
    std::vector<int> touched; // shards in the order their first user record came
    for (const int row : rows) {
        const int shard = map.openIndexFor(store.hashKey(row));
        auto &group = groups[size_t(shard)];
        if (!group) {
            group = std::make_unique<Group>();
            touched.push_back(shard);
        }
        packer.add(*group, row);
    }
    for (const int shard : touched)
        packer.close(*groups[size_t(shard)]);
    return out;
}

Result<std::vector<ShardPacking>> Aggregator::measure(const RecordStore &store, const ShardMap &map,
                                                      const AggregatorOptions &options)
{
    const auto limit = packingLimit(map, options);
    if (!limit.ok())
        return limit.error();
    std::vector<ShardPacking> shards(size_t(map.openShardCount()));
    Aggregation unused;
    Packer packer(store, unused, limit.value(), &shards);
    std::vector<std::unique_ptr<Group>> groups(shards.size());
    for (int row = 0; row < store.size(); ++row) {
        const int shard = map.openIndexFor(store.hashKey(row));
        ++shards[size_t(shard)].userRecords;
        shards[size_t(shard)].userBytes += store.recordSize(row);
        auto &group = groups[size_t(shard)];
        if (!group)
            group = std::make_unique<Group>();
        packer.setShard(shard);
        packer.add(*group, row);
    }
    for (size_t shard = 0; shard < groups.size(); ++shard) {
        if (!groups[shard])
            continue;
        packer.setShard(int(shard));
        packer.close(*groups[shard]);
    }
    return shards;
}

QByteArray Aggregator::encode(const RecordStore &store, const std::vector<int> &rows)
{
    Group group;
    for (const int row : rows)
        group.addUnchecked(store, row);
    QByteArray out;
    group.encode(store, out);
    return out;
}

} // namespace kwb::kpl
