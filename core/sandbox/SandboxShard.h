#pragma once

#include "HashKey.h"
#include "ShardMap.h"
#include "sandbox/ShardStore.h"
#include "sandbox/ThroughputLimiter.h"

namespace kwb::sandbox {

/// One shard of a sandbox stream: its hash key range, its lineage, its records and its write
/// and read windows. Owned by SandboxStream; used on the sandbox worker thread only.
struct SandboxShard
{
    int index = 0; ///< shardId-<index>
    int parentIndex = -1;
    int adjacentParentIndex = -1;
    UInt128 startingHashKey = 0;
    UInt128 endingHashKey = 0;
    qint64 createdMs = 0;
    qint64 closedMs = 0;      ///< 0 while open
    bool expired = false;     ///< closed longer than the retention: gone from every answer
    quint64 nextCounter = 1;  ///< counter of the next record (0 is the starting sequence number)
    qint64 lastArrivalMs = 0; ///< arrival times never go back within a shard
    ShardStore records;
    ThroughputWindow window;
    ReadWindow readWindow;

    bool isOpen() const { return closedMs == 0; }
    QString shardId() const { return ShardMap::shardIdForIndex(index); }
};

} // namespace kwb::sandbox
