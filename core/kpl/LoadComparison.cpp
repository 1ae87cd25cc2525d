#include "kpl/LoadComparison.h"

#include <algorithm>
#include <cmath>

namespace kwb::kpl {

namespace {

LoadComparison::Way way(const std::vector<ShardPacking> &shards, double seconds, const send::ShardLimits &limits,
                        bool aggregated, bool limitsKnown)
{
    LoadComparison::Way w;
    double bestUse = -1;
    for (size_t i = 0; i < shards.size(); ++i) {
        const ShardPacking &s = shards[i];
        const double records = double(aggregated ? s.kinesisRecords : s.userRecords) / seconds;
        const double bytes = double(aggregated ? s.kinesisBytes : s.userBytes) / seconds;
        w.recordsPerSecond += records;
        w.bytesPerSecond += bytes;
        if (s.userRecords == 0)
            continue;
        const double use = limitsKnown ? std::max(records / limits.recordsPerSecond, bytes / limits.bytesPerSecond) : records;
        if (use > bestUse) {
            bestUse = use;
            w.busiestShard = int(i);
            w.busiestRecordsPerSecond = records;
            w.busiestBytesPerSecond = bytes;
        }
    }
    if (!limitsKnown || w.recordsPerSecond <= 0)
        return w;
    const double byRecords = w.recordsPerSecond / limits.recordsPerSecond;
    const double byBytes = w.bytesPerSecond / limits.bytesPerSecond;
    w.binding = byRecords >= byBytes ? LoadComparison::Binding::Records : LoadComparison::Binding::Bytes;
    // A share a hair over a whole number from rounding is that number, not one shard more.
    w.shardsNeeded = std::max(1, int(std::ceil(std::max(byRecords, byBytes) - 1e-9)));
    const double busyRecords = w.busiestRecordsPerSecond / limits.recordsPerSecond;
    const double busyBytes = w.busiestBytesPerSecond / limits.bytesPerSecond;
    w.busiestUse = std::max(busyRecords, busyBytes);
    w.busiestBinding = busyRecords >= busyBytes ? LoadComparison::Binding::Records : LoadComparison::Binding::Bytes;
    return w;
}

} // namespace

LoadComparison LoadComparison::compute(const std::vector<ShardPacking> &shards, double userRecordsPerSecond,
                                       const send::ShardLimits &limits)
{
    LoadComparison c;
    for (const ShardPacking &s : shards) {
        c.userRecords += s.userRecords;
        c.kinesisRecords += s.kinesisRecords;
    }
    // Limits not known yet (an endpoint of unknown kind) are AWS's documented ones until throttles
    // say otherwise: the comparison holds against those. Only a target without limits has none.
    c.limitsKnown = !limits.unlimited && limits.recordsPerSecond > 0 && limits.bytesPerSecond > 0;
    if (c.userRecords == 0 || userRecordsPerSecond <= 0)
        return c;
    // The user records take userRecords / rate seconds to send; every count spreads over that time.
    const double seconds = double(c.userRecords) / userRecordsPerSecond;
    c.plain = way(shards, seconds, limits, false, c.limitsKnown);
    c.aggregated = way(shards, seconds, limits, true, c.limitsKnown);
    return c;
}

} // namespace kwb::kpl
