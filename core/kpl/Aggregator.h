#pragma once

#include "Record.h"
#include "RecordStore.h"
#include "Result.h"
#include "ShardMap.h"
#include "kpl/KplFormat.h"

#include <QByteArray>

#include <vector>

namespace kwb::kpl {

/// Limits for packing. A Kinesis record counts its partition key and data, as Kinesis does.
struct AggregatorOptions
{
    /// Largest aggregated Kinesis record (key + magic + protobuf + MD5); the KPL's default.
    qint64 maxAggregateBytes = format::kDefaultMaxAggregateBytes;
    /// The stream's maximum record size; the effective limit is the smaller of the two.
    qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes;
};

/// What Aggregator::pack() made: the Kinesis records to put, and for every user row packed,
/// which Kinesis record it went into and at which place. A plain value.
struct Aggregation
{
    /// The Kinesis records, in the order they were closed. An aggregated one has the partition key
    /// of its first user record and, as explicit hash key, that record's hash key, so it lands on
    /// the shard every one of its user records predicts. A group of one is the user record as is.
    RecordStore records;
    /// For Kinesis record k: its user rows are members[memberStart[k] .. memberStart[k+1]), in
    /// sub-sequence order. memberStart has records.size() + 1 entries.
    std::vector<int> members;
    std::vector<int> memberStart{0};
    /// Per Kinesis record: whether it is in the aggregated format (false for a group of one).
    std::vector<bool> aggregated;

    int kinesisRecordCount() const { return records.size(); }
    int memberCount(int k) const { return memberStart[size_t(k) + 1] - memberStart[size_t(k)]; }
    int member(int k, int subSequence) const { return members[size_t(memberStart[size_t(k)] + subSequence)]; }
};

/// One open shard's user records, as plain Kinesis records and as Aggregator::pack() would pack
/// them (bytes as Kinesis counts them: partition key + data).
struct ShardPacking
{
    qint64 userRecords = 0;
    qint64 userBytes = 0;
    qint64 kinesisRecords = 0; ///< aggregated records and user records sent as they are
    qint64 kinesisBytes = 0;
};

/// Packs user records into KPL aggregated Kinesis records, per predicted shard as the KPL does:
/// user records whose hash keys fall on the same open shard of the map share Kinesis records, in
/// input order, each Kinesis record filled up to the limit before the next one starts.
/// Pure; thread-safe.
class Aggregator
{
public:
    /// Packs `rows` of `store` (any order; each row at most once). Needs a non-empty map; a user
    /// record too large to be packed even alone goes as a plain record (the send path then
    /// checks it against the stream's limit like any other record).
    static Result<Aggregation> pack(const RecordStore &store, const std::vector<int> &rows, const ShardMap &map,
                                    const AggregatorOptions &options = {});

    /// What pack() would make of every row of `store`, per open shard of `map` (by open index),
    /// counted without building a byte: for the shard map's load with and without aggregation.
    static Result<std::vector<ShardPacking>> measure(const RecordStore &store, const ShardMap &map,
                                                     const AggregatorOptions &options = {});

    /// One aggregated record of the given user records (all of them, whatever their size or
    /// shards): the magic, the protobuf and the MD5. Explicit hash keys are written as decimals.
    static QByteArray encode(const RecordStore &store, const std::vector<int> &rows);
};

} // namespace kwb::kpl
