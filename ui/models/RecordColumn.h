#pragma once

#include <QLatin1String>

namespace kwb::ui {

/// The columns of the records table, in the model's order; RecordsView shows #, the partition
/// key, Shard, Result, Size and Data first. The # column (the row's place, which changes when
/// rows are inserted above it) is not column 0, whose values stay with their row.
enum class RecordColumn : int {
    PartitionKey,
    ExplicitHashKey,
    Data,
    Size,
    HashKey,
    PredictedShard,
    Status,
    ActualShard,
    SequenceNumber,
    ErrorCode,
    ErrorMessage,
    Attempts,
    Shard,  ///< the shard number (actual once written, else predicted), marked on a mismatch
    Result, ///< status icon with the sequence number's tail, or the error code
    Row,    ///< the row's place in the document, from 1
    KinesisRecord, ///< sent aggregated: the Kinesis record it went into, named by its first row
    SubSequence,   ///< sent aggregated: its place in that Kinesis record, from 0
};

inline constexpr int kRecordColumnCount = int(RecordColumn::SubSequence) + 1;

/// A stable name per column for settings ("partitionKey"); never translated.
inline QLatin1String recordColumnKey(RecordColumn column)
{
    switch (column) {
    case RecordColumn::Row: return QLatin1String("row");
    case RecordColumn::PartitionKey: return QLatin1String("partitionKey");
    case RecordColumn::ExplicitHashKey: return QLatin1String("explicitHashKey");
    case RecordColumn::Data: return QLatin1String("data");
    case RecordColumn::Size: return QLatin1String("size");
    case RecordColumn::HashKey: return QLatin1String("hashKey");
    case RecordColumn::PredictedShard: return QLatin1String("predictedShard");
    case RecordColumn::Status: return QLatin1String("status");
    case RecordColumn::ActualShard: return QLatin1String("actualShard");
    case RecordColumn::SequenceNumber: return QLatin1String("sequenceNumber");
    case RecordColumn::ErrorCode: return QLatin1String("errorCode");
    case RecordColumn::ErrorMessage: return QLatin1String("errorMessage");
    case RecordColumn::Attempts: return QLatin1String("attempts");
    case RecordColumn::Shard: return QLatin1String("shard");
    case RecordColumn::Result: return QLatin1String("result");
    case RecordColumn::KinesisRecord: return QLatin1String("kinesisRecord");
    case RecordColumn::SubSequence: return QLatin1String("subSequence");
    }
    return QLatin1String("row");
}

} // namespace kwb::ui
