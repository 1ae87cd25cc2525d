#pragma once

#include "HashKey.h"
#include "Result.h"
#include "sandbox/SandboxShard.h"
#include "sandbox/SequenceNumber.h"

#include <QString>

#include <memory>
#include <vector>

namespace kwb::sandbox {

class StreamLog;

/// One sandbox stream: name, creation time, mode and its shards (open and closed, by index),
/// with the routing of hash keys to open shards. Streams are ACTIVE as soon as they exist.
/// Owned by SandboxService; used on the sandbox worker thread only.
class SandboxStream
{
public:
    struct Reshard
    {
        qint64 timeMs = 0;
        int targetShardCount = 0;
    };

    /// A stream of `shardCount` shards splitting the hash key space evenly, as CreateStream does.
    static Result<std::unique_ptr<SandboxStream>> create(const QString &name, qint64 createdMs, int shardCount,
                                                         bool onDemand);
    ~SandboxStream();

    const QString &name() const { return m_name; }
    qint64 createdMs() const { return m_createdMs; }
    bool isOnDemand() const { return m_onDemand; }
    const std::vector<Reshard> &reshards() const { return m_reshards; }

    int shardCount() const { return int(m_shards.size()); }
    SandboxShard &shard(int index) { return *m_shards[size_t(index)]; }
    const SandboxShard &shard(int index) const { return *m_shards[size_t(index)]; }
    /// The shard with this id ("shardId-000000000003"), if it exists and has not expired.
    SandboxShard *findShard(QByteArrayView shardId);
    int openShardCount() const { return int(m_openIndexes.size()); }

    /// Index of the open shard whose range holds `hashKey`.
    int shardIndexFor(UInt128 hashKey) const;

    /// UpdateShardCount with UNIFORM_SCALING: every open shard is closed and `target` children
    /// split the key space evenly; ids continue after the last shard. A child's parent is the
    /// closed shard holding its first hash key, its adjacent parent the one holding its last
    /// key when that is another shard (a simplification of AWS's split/merge lineage).
    Result<void> reshard(qint64 nowMs, int target);

    /// Applies the retention and the size cap to one shard (cheap when nothing is due).
    void trimShard(SandboxShard &shard, qint64 nowMs, qint64 retentionMs, qint64 maxBytes);
    /// Applies them to every shard, and expires closed shards older than the retention.
    void trimAll(qint64 nowMs, qint64 retentionMs, qint64 maxBytes);

    SequenceNumber sequence(int shardIndex, quint64 counter) const { return {m_createdMs, shardIndex, counter}; }
    /// The shard's EndingSequenceNumber once closed: its last record's (the start when empty).
    SequenceNumber endingSequence(const SandboxShard &shard) const
    {
        return sequence(shard.index, shard.nextCounter - 1);
    }

    /// Persistence of this stream, or nullptr when the sandbox keeps no data directory.
    StreamLog *log() const { return m_log.get(); }
    void setLog(std::unique_ptr<StreamLog> log);

private:
    SandboxStream() = default;
    Result<void> addShards(qint64 nowMs, int count, bool linkParents);

    QString m_name;
    qint64 m_createdMs = 0;
    bool m_onDemand = false;
    std::vector<std::unique_ptr<SandboxShard>> m_shards;
    std::vector<Reshard> m_reshards;
    std::vector<UInt128> m_openStarts; ///< starting keys of the open shards, sorted
    std::vector<int> m_openIndexes;    ///< their shard indexes, in the same order
    std::unique_ptr<StreamLog> m_log;
};

} // namespace kwb::sandbox
