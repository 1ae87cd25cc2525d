#pragma once

#include "ShardMap.h"
#include "generate/RecordGenerator.h"
#include "send/FlowController.h"

#include <vector>

namespace kwb::generate {

/// What a rate would put on each shard, predicted from a sample of records (their hash keys and
/// sizes) and the stream's shard map: so a run can say before it starts that a shard would be
/// asked for more than it takes. Pure value; any thread.
class LoadForecast
{
public:
    struct ShardLoad
    {
        QString shardId;
        qint64 sampleRecords = 0;
        qint64 sampleBytes = 0;
        double share = 0;             ///< of the sample's records, 0..1
        double recordsPerSecond = 0;
        double bytesPerSecond = 0;
        bool overRecords = false;     ///< above the shard's records/s limit
        bool overBytes = false;       ///< above its bytes/s limit
    };

    /// The load of `recordsPerSecond` spread like `sample` over `map`'s open shards.
    static LoadForecast predict(const ShardMap &map, const std::vector<GeneratedRecord> &sample, double recordsPerSecond,
                                const send::ShardLimits &limits);

    const std::vector<ShardLoad> &shards() const { return m_shards; }
    /// True when some shard would be asked for more than its limits.
    bool overLimit() const;
    /// The highest rate every shard could take with this spread (the hottest shard at its limit);
    /// 0 when the limits are unknown or there is no sample.
    double sustainableRate() const { return m_sustainable; }
    double recordsPerSecond() const { return m_rate; }

private:
    std::vector<ShardLoad> m_shards;
    double m_rate = 0;
    double m_sustainable = 0;
};

} // namespace kwb::generate
