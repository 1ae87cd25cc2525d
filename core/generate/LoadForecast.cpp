#include "generate/LoadForecast.h"

namespace kwb::generate {

LoadForecast LoadForecast::predict(const ShardMap &map, const std::vector<GeneratedRecord> &sample, double recordsPerSecond,
                                   const send::ShardLimits &limits)
{
    LoadForecast f;
    f.m_rate = recordsPerSecond;
    f.m_shards.resize(size_t(map.openShardCount()));
    for (int s = 0; s < map.openShardCount(); ++s)
        f.m_shards[size_t(s)].shardId = map.openShard(s).shardId;
    if (map.isEmpty() || sample.empty())
        return f;
    for (const GeneratedRecord &r : sample) {
        const UInt128 hash = r.explicitHashKey ? *r.explicitHashKey : hashPartitionKey(QByteArrayView(r.partitionKey));
        ShardLoad &load = f.m_shards[size_t(map.openIndexFor(hash))];
        ++load.sampleRecords;
        // Kinesis counts the partition key with the data against a shard's bytes.
        load.sampleBytes += r.data.size() + r.partitionKey.size();
    }
    const double n = double(sample.size());
    double sustainable = 0;
    bool first = true;
    for (ShardLoad &load : f.m_shards) {
        load.share = double(load.sampleRecords) / n;
        load.recordsPerSecond = recordsPerSecond * load.share;
        load.bytesPerSecond = recordsPerSecond * double(load.sampleBytes) / n;
        if (limits.unlimited || !limits.known || load.sampleRecords == 0)
            continue;
        load.overRecords = load.recordsPerSecond > limits.recordsPerSecond;
        load.overBytes = load.bytesPerSecond > limits.bytesPerSecond;
        // The rate at which this shard reaches the first of its two limits.
        const double byRecords = limits.recordsPerSecond / load.share;
        const double byBytes = limits.bytesPerSecond / (double(load.sampleBytes) / n);
        const double cap = std::min(byRecords, byBytes);
        sustainable = first ? cap : std::min(sustainable, cap);
        first = false;
    }
    f.m_sustainable = limits.unlimited || !limits.known ? 0 : sustainable;
    return f;
}

bool LoadForecast::overLimit() const
{
    return std::any_of(m_shards.begin(), m_shards.end(), [](const ShardLoad &l) { return l.overRecords || l.overBytes; });
}

} // namespace kwb::generate
