#pragma once

#include <QString>

namespace kwb::ui {


/// Which rows the records table shows. Every part must match (an empty part matches all).
/// A plain value, copied to the filter worker.
struct RowFilter
{
    enum class Status {
        All,
        Failed,     ///< failed (throttled included) or cancelled
        Throttled,  ///< throttled at least once, whatever the outcome
        Succeeded,
        Pending,    ///< not sent yet (queued and in flight included), valid or not
        Invalid,    ///< rows with an issue that stops them from being sent
        Mismatched, ///< landed on another shard than predicted
    };
    enum class ShardSource { Predicted, Actual };

    Status status = Status::All;
    QString shardId;            ///< empty: any shard
    ShardSource shardSource = ShardSource::Predicted;
    QString errorCode;          ///< empty: any
    QString keyText;            ///< case-insensitive substring of the partition key

    bool isEmpty() const
    {
        return status == Status::All && shardId.isEmpty() && errorCode.isEmpty() && keyText.isEmpty();
    }
    bool operator==(const RowFilter &other) const = default;
};

} // namespace kwb::ui
