#pragma once

#include "HashKey.h"
#include "ShardMap.h"
#include "sandbox/ShardStore.h"
#include "sandbox/ThroughputLimiter.h"

#include <memory>

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

    bool isOpen() const { return closedMs == 0; }
    /// What the shard accepted and served in the last second. Made on the first write or read:
    /// most shards of a large or often resharded stream are closed or idle and need neither.
    ThroughputWindow &writeWindow() { return windows().write; }
    ReadWindow &readWindow() { return windows().read; }
    QString shardId() const { return ShardMap::shardIdForIndex(index); }

private:
    struct Windows
    {
        ThroughputWindow write;
        ReadWindow read;
    };
    Windows &windows()
    {
        if (!m_windows)
            m_windows = std::make_unique<Windows>();
        return *m_windows;
    }
    std::unique_ptr<Windows> m_windows;
};

} // namespace kwb::sandbox
