#pragma once

#include "HashKey.h"
#include "Result.h"

#include <QString>

#include <vector>

namespace kwb {

/// One shard as ListShards describes it.
struct Shard
{
    QString shardId;
    QString parentShardId;
    QString adjacentParentShardId;
    UInt128 startingHashKey = 0;
    UInt128 endingHashKey = 0;
    QString startingSequenceNumber;
    QString endingSequenceNumber; ///< set only for closed shards

    bool isOpen() const { return endingSequenceNumber.isEmpty(); }
};

/// Routes hash keys to shards. Built from a stream's ListShards answer or as a virtual stream
/// of N evenly split shards (what CreateStream makes). Immutable value; safe to share between
/// threads once built. Lookup is a binary search over the open shards: O(log shards).
class ShardMap
{
public:
    ShardMap() = default;

    /// Builds a map from shards as listed by the service. Open shards (no ending sequence
    /// number) must cover 0..2^128-1 exactly once; a gap or an overlap is an error naming the
    /// shards and the keys, never guessed around. Closed shards are kept for display.
    static Result<ShardMap> fromShards(std::vector<Shard> shards);

    /// A virtual stream of `shardCount` shards split the way CreateStream does: shard i starts
    /// at i * floor(2^128 / N), the last one ends at 2^128-1. Ids are shardId-000000000000...
    static Result<ShardMap> uniform(int shardCount);

    /// The hash key ranges of uniform(shardCount)'s shards, in order, without the rest of a map.
    struct KeyRange
    {
        UInt128 startingHashKey = 0;
        UInt128 endingHashKey = 0;
    };
    static Result<std::vector<KeyRange>> uniformRanges(int shardCount);

    /// Largest shard count the service allows per stream by default quota; used for validation.
    static constexpr int kMaxVirtualShards = 100000;

    bool isEmpty() const { return m_open.empty(); }
    bool isVirtual() const { return m_virtual; }

    /// All shards, open and closed, in the order they were given (virtual: by index).
    const std::vector<Shard> &shards() const { return m_shards; }
    /// Open shards only, sorted by starting hash key.
    int openShardCount() const { return int(m_open.size()); }
    const Shard &openShard(int openIndex) const { return m_shards[m_open[size_t(openIndex)]]; }

    /// Index (into the open shards, sorted by starting key) of the shard holding `hashKey`;
    /// -1 when the map is empty.
    int openIndexFor(UInt128 hashKey) const;
    /// The open shard holding `hashKey`, or nullptr when the map is empty.
    const Shard *shardFor(UInt128 hashKey) const;
    /// Index of an open shard by id, or -1.
    int openIndexOf(const QString &shardId) const;

    static QString shardIdForIndex(int index);

private:
    std::vector<Shard> m_shards;
    std::vector<size_t> m_open;         ///< indexes into m_shards, sorted by starting key
    std::vector<UInt128> m_openStarts;  ///< starting keys of m_open, for the binary search
    bool m_virtual = false;
};

} // namespace kwb
