#pragma once

#include "kpl/Aggregator.h"
#include "kpl/RecordInspection.h"

#include <QByteArray>
#include <QString>

namespace kwb::kpl {

/// One Kinesis record as a consumer receives it: its bytes and what the stream says about it.
/// Empty sequenceNumber/shardId: the record was not sent yet. A plain value.
struct KinesisRecordFacts
{
    QByteArray data;
    QString partitionKey;
    QString explicitHashKey; ///< decimal; empty when none (a received record never says)
    QString sequenceNumber;
    QString shardId;
    qint64 arrivalMs = 0; ///< ApproximateArrivalTimestamp, epoch milliseconds
};

/// Where the event comes from, for the Lambda event's eventSourceARN and awsRegion.
struct EventSourceFacts
{
    QString streamArn;
    QString region;
};

/// "What will my consumer see?": the texts that show one Kinesis record the way its consumers get
/// it. Pure functions; thread-safe.
namespace consumer {

/// The sequence number shown for a record that was not sent yet (Kinesis assigns it).
inline constexpr const char *kNotSentYet = "(assigned by Kinesis when sent)";

/// The record's framing: for a KPL aggregated record the magic, the protobuf (its byte range, the
/// partition key and explicit hash key tables, the number of user records) and the MD5 (stored
/// and computed); for a broken one the same as far as it goes and the reason; for a plain record
/// one line saying so.
QString framing(QByteArrayView data);

/// The records the KCL hands to a record processor for this Kinesis record, as a JSON array of
/// {"sequenceNumber", "subSequenceNumber", "partitionKey", "explicitHashKey" (when there is one),
/// "aggregated", "approximateArrivalTimestamp" (epoch ms; null when not sent yet), "data" (base64)}: the user records of
/// an aggregated record; the record itself (aggregated false) when it is plain or cannot be
/// unpacked, as the KCL passes on a record whose MD5 or protobuf is bad.
QByteArray kclRecordsJson(const KinesisRecordFacts &record);

/// What the KCL does with this record, in one sentence (for the view's heading).
QString kclSummary(const KinesisRecordFacts &record);

/// The Lambda event of a function mapped to the stream that gets this record alone, as Lambda
/// delivers it (the record as is: Lambda does not de-aggregate):
/// {"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey","sequenceNumber","data",
/// "approximateArrivalTimestamp" (epoch seconds with milliseconds; null when not sent yet)},"eventSource":"aws:kinesis",
/// "eventVersion":"1.0","eventID":"<shardId>:<sequenceNumber>","eventName":"aws:kinesis:record",
/// "awsRegion","eventSourceARN"}]}, indented by 2 spaces, in the order of the AWS Lambda
/// documentation's example (invokeIdentityArn, the function's role, is not known here).
QByteArray lambdaEventJson(const KinesisRecordFacts &record, const EventSourceFacts &source);

/// The Kinesis record a workspace row goes out as: with `aggregate` the aggregated record it is
/// packed into with the rows predicted onto the same shard (as Aggregator::pack packs them for a
/// send of all rows), else the row itself. Sequence number, shard and arrival are left empty.
KinesisRecordFacts packedRecordOf(const RecordStore &store, int row, const ShardMap &map, bool aggregate,
                                  const AggregatorOptions &options = {});

/// The Kinesis record that was sent for user rows `members` (in sub-sequence order) packed into
/// one aggregated record; a single member that was sent plain is the row itself.
KinesisRecordFacts sentRecordOf(const RecordStore &store, const std::vector<int> &members, bool aggregated);

} // namespace consumer

} // namespace kwb::kpl
