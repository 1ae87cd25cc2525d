#pragma once

#include <QLatin1String>

namespace kwb::ui {

/// The columns of the records table. The compact Shard and Result columns come last in the
/// model (so the older columns keep their numbers in saved settings) but are shown right after
/// the partition key (RecordsView moves them there).
enum class RecordColumn : int {
    Row,
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
};

inline constexpr int kRecordColumnCount = int(RecordColumn::Result) + 1;

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
    }
    return QLatin1String("row");
}

} // namespace kwb::ui
