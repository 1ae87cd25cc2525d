#include "sandbox/SandboxStream.h"

#include "ShardMap.h"
#include "sandbox/StreamLog.h"

#include <algorithm>
#include <utility>

namespace kwb::sandbox {

SandboxStream::~SandboxStream() = default;

Result<std::unique_ptr<SandboxStream>> SandboxStream::create(const QString &name, qint64 createdMs, int shardCount,
                                                             bool onDemand)
{
    std::unique_ptr<SandboxStream> stream(new SandboxStream);
    stream->m_name = name;
    stream->m_createdMs = createdMs;
    stream->m_onDemand = onDemand;
    if (auto added = stream->addShards(createdMs, shardCount, false); !added.ok())
        return added.error();
    return stream;
}

void SandboxStream::setLog(std::unique_ptr<StreamLog> log)
{
    m_log = std::move(log);
}

Result<void> SandboxStream::addShards(qint64 nowMs, int count, bool linkParents)
{
    auto ranges = ShardMap::uniformRanges(count);
    if (!ranges.ok())
        return ranges.error();
    // The shards open now are the parents: a stream is created with none open, and a reshard
    // closes them all. The new shards, already in key order, are the ones open afterwards.
    const std::vector<int> parents = std::exchange(m_openIndexes, {});
    const std::vector<UInt128> parentStarts = std::exchange(m_openStarts, {});
    const auto parentOf = [&](UInt128 key) {
        const auto it = std::upper_bound(parentStarts.begin(), parentStarts.end(), key);
        return it == parentStarts.begin() ? -1 : parents[size_t(it - parentStarts.begin() - 1)];
    };
    for (int index : parents)
        shard(index).closedMs = std::max<qint64>(nowMs, 1);
    const int first = shardCount();
    m_shards.reserve(m_shards.size() + size_t(count));
    m_openIndexes.reserve(size_t(count));
    m_openStarts.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const ShardMap::KeyRange &range = ranges.value()[size_t(i)];
        auto s = std::make_unique<SandboxShard>();
        s->index = first + i;
        s->startingHashKey = range.startingHashKey;
        s->endingHashKey = range.endingHashKey;
        s->createdMs = nowMs;
        if (linkParents) {
            s->parentIndex = parentOf(range.startingHashKey);
            const int adjacent = parentOf(range.endingHashKey);
            s->adjacentParentIndex = adjacent == s->parentIndex ? -1 : adjacent;
        }
        m_openIndexes.push_back(s->index);
        m_openStarts.push_back(range.startingHashKey);
        m_shards.push_back(std::move(s));
    }
    return {};
}

Result<void> SandboxStream::reshard(qint64 nowMs, int target)
{
    if (auto added = addShards(nowMs, target, true); !added.ok())
        return added.error();
    m_reshards.push_back({nowMs, target});
    return {};
}

int SandboxStream::shardIndexFor(UInt128 hashKey) const
{
    // The last open shard starting at or before the key; the open shards cover the key space.
    const auto it = std::upper_bound(m_openStarts.begin(), m_openStarts.end(), hashKey);
    return m_openIndexes[size_t(it == m_openStarts.begin() ? 0 : it - m_openStarts.begin() - 1)];
}

SandboxShard *SandboxStream::findShard(QByteArrayView shardId)
{
    // Like the service: "shardId-000000000003", or just its number.
    if (const qsizetype dash = shardId.lastIndexOf('-'); dash >= 0)
        shardId = shardId.sliced(dash + 1);
    if (shardId.isEmpty() || shardId.size() > 12)
        return nullptr;
    qint64 index = 0;
    for (char c : shardId) {
        if (c < '0' || c > '9')
            return nullptr;
        index = index * 10 + (c - '0');
    }
    if (index >= qint64(m_shards.size()) || m_shards[size_t(index)]->expired)
        return nullptr;
    return m_shards[size_t(index)].get();
}

void SandboxStream::trimShard(SandboxShard &s, qint64 nowMs, qint64 retentionMs, qint64 maxBytes)
{
    if (!s.records.isEmpty() && s.records.entry(0).arrivalMs < nowMs - retentionMs)
        s.records.trimBefore(nowMs - retentionMs);
    if (s.records.bytes() > maxBytes)
        s.records.trimToBytes(maxBytes);
}

void SandboxStream::trimAll(qint64 nowMs, qint64 retentionMs, qint64 maxBytes)
{
    for (auto &s : m_shards) {
        if (s->expired)
            continue;
        trimShard(*s, nowMs, retentionMs, maxBytes);
        if (!s->isOpen() && s->closedMs < nowMs - retentionMs) {
            s->expired = true;
            s->records.clear();
        }
    }
}

} // namespace kwb::sandbox
