#include "ShardMap.h"

#include <algorithm>

namespace kwb {

namespace {

QString keyText(UInt128 key) { return hashKeyToString(key); }

} // namespace

Result<ShardMap> ShardMap::fromShards(std::vector<Shard> shards)
{
    ShardMap map;
    map.m_shards = std::move(shards);
    for (size_t i = 0; i < map.m_shards.size(); ++i) {
        const Shard &s = map.m_shards[i];
        if (s.startingHashKey > s.endingHashKey)
            return Error{Error::Kind::Protocol, QStringLiteral("InvalidShardMap"),
                         QStringLiteral("shard %1 starts at %2, after its end %3")
                             .arg(s.shardId, keyText(s.startingHashKey), keyText(s.endingHashKey)),
                         0};
        if (s.isOpen())
            map.m_open.push_back(i);
    }
    if (map.m_open.empty())
        return Error{Error::Kind::Protocol, QStringLiteral("InvalidShardMap"),
                     QStringLiteral("the stream has no open shard to write to"), 0};

    std::sort(map.m_open.begin(), map.m_open.end(), [&](size_t a, size_t b) {
        return map.m_shards[a].startingHashKey < map.m_shards[b].startingHashKey;
    });

    const auto error = [](QString message) {
        return Error{Error::Kind::Protocol, QStringLiteral("InvalidShardMap"), std::move(message), 0};
    };
    const Shard &first = map.m_shards[map.m_open.front()];
    if (first.startingHashKey != 0)
        return error(QStringLiteral("no open shard holds hash keys 0 to %1 (the first open shard, %2, "
                                    "starts at %3)")
                         .arg(keyText(first.startingHashKey - 1), first.shardId,
                              keyText(first.startingHashKey)));
    for (size_t k = 1; k < map.m_open.size(); ++k) {
        const Shard &prev = map.m_shards[map.m_open[k - 1]];
        const Shard &cur = map.m_shards[map.m_open[k]];
        if (cur.startingHashKey <= prev.endingHashKey)
            return error(QStringLiteral("open shards %1 and %2 overlap: %2 starts at %3, %1 ends at %4")
                             .arg(prev.shardId, cur.shardId, keyText(cur.startingHashKey),
                                  keyText(prev.endingHashKey)));
        if (cur.startingHashKey != prev.endingHashKey + 1)
            return error(QStringLiteral("no open shard holds hash keys %1 to %2 (between %3 and %4)")
                             .arg(keyText(prev.endingHashKey + 1), keyText(cur.startingHashKey - 1),
                                  prev.shardId, cur.shardId));
    }
    const Shard &last = map.m_shards[map.m_open.back()];
    if (last.endingHashKey != kMaxHashKey)
        return error(QStringLiteral("no open shard holds hash keys %1 to 2^128-1 (the last open shard, "
                                    "%2, ends at %3)")
                         .arg(keyText(last.endingHashKey + 1), last.shardId, keyText(last.endingHashKey)));

    map.m_openStarts.reserve(map.m_open.size());
    for (size_t index : map.m_open)
        map.m_openStarts.push_back(map.m_shards[index].startingHashKey);
    return map;
}

QString ShardMap::shardIdForIndex(int index)
{
    return QStringLiteral("shardId-%1").arg(index, 12, 10, QLatin1Char('0'));
}

Result<std::vector<ShardMap::KeyRange>> ShardMap::uniformRanges(int shardCount)
{
    if (shardCount < 1 || shardCount > kMaxVirtualShards)
        return Error::input(QStringLiteral("shard count %1 is out of range; use 1 to %2")
                                .arg(shardCount)
                                .arg(kMaxVirtualShards),
                            QStringLiteral("InvalidShardCount"));
    // floor(2^128 / N) computed without 2^128: (2^128-1)/N, plus one when N divides 2^128.
    const UInt128 n = UInt128(unsigned(shardCount));
    UInt128 step = kMaxHashKey / n;
    if (kMaxHashKey % n == n - 1)
        step += 1; // wraps to 0 only for N = 1, where step is never used
    std::vector<KeyRange> ranges(static_cast<size_t>(shardCount));
    for (int i = 0; i < shardCount; ++i) {
        KeyRange &r = ranges[size_t(i)];
        r.startingHashKey = step * UInt128(unsigned(i));
        r.endingHashKey = i + 1 == shardCount ? kMaxHashKey : step * UInt128(unsigned(i + 1)) - 1;
    }
    return ranges;
}

Result<ShardMap> ShardMap::uniform(int shardCount)
{
    auto ranges = uniformRanges(shardCount);
    if (!ranges.ok())
        return ranges.error();
    std::vector<Shard> shards(static_cast<size_t>(shardCount));
    for (int i = 0; i < shardCount; ++i) {
        Shard &s = shards[size_t(i)];
        s.shardId = shardIdForIndex(i);
        s.startingHashKey = ranges.value()[size_t(i)].startingHashKey;
        s.endingHashKey = ranges.value()[size_t(i)].endingHashKey;
    }
    auto map = fromShards(std::move(shards));
    if (map.ok())
        map.value().m_virtual = true;
    return map;
}

int ShardMap::openIndexFor(UInt128 hashKey) const
{
    if (m_openStarts.empty())
        return -1;
    // The last open shard whose start is <= hashKey; the map covers the key space, so it exists.
    const auto it = std::upper_bound(m_openStarts.begin(), m_openStarts.end(), hashKey);
    return int(it - m_openStarts.begin()) - 1;
}

const Shard *ShardMap::shardFor(UInt128 hashKey) const
{
    const int index = openIndexFor(hashKey);
    return index < 0 ? nullptr : &openShard(index);
}

int ShardMap::openIndexOf(const QString &shardId) const
{
    for (size_t k = 0; k < m_open.size(); ++k)
        if (m_shards[m_open[k]].shardId == shardId)
            return int(k);
    return -1;
}

} // namespace kwb
