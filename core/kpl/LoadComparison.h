#pragma once

#include "kpl/Aggregator.h"
#include "send/FlowController.h"

#include <vector>

namespace kwb::kpl {

/// The load a set of user records puts on a stream at an overall rate of user records/s, sent
/// as plain records and packed into KPL aggregated records (Aggregator::measure()), against the
/// per-shard write limits (records/s and bytes/s): which limit binds, and how many shards each
/// way needs. Pure value; any thread.
class LoadComparison
{
public:
    /// The limit a load reaches first.
    enum class Binding { None, Records, Bytes };

    /// One way of sending.
    struct Way
    {
        double recordsPerSecond = 0; ///< Kinesis records/s into the stream, all shards
        double bytesPerSecond = 0;   ///< partition keys + data, all shards
        /// The stream's limit this load reaches first (Records on a tie); None without limits.
        Binding binding = Binding::None;
        /// Shards the load needs with an even spread over them: the larger of records/s and
        /// bytes/s over one shard's limits, rounded up; 0 without load or known limits.
        int shardsNeeded = 0;
        /// The shard with the highest share of its limits (open index), -1 without load.
        int busiestShard = -1;
        double busiestRecordsPerSecond = 0;
        double busiestBytesPerSecond = 0;
        /// The busiest shard's load over its binding limit (1 = at the limit).
        double busiestUse = 0;
        Binding busiestBinding = Binding::None;
    };

    /// `shards` per open shard; `userRecordsPerSecond` the rate the user records go at.
    static LoadComparison compute(const std::vector<ShardPacking> &shards, double userRecordsPerSecond,
                                  const send::ShardLimits &limits);

    Way plain;
    Way aggregated;
    qint64 userRecords = 0;
    qint64 kinesisRecords = 0; ///< aggregated
    /// False for a target without limits (the sandbox with its limits off): nothing binds then.
    bool limitsKnown = false;
};

} // namespace kwb::kpl
