#pragma once

#include "send/SendResults.h"

#include <QString>

namespace kwb::ui {

/// A row's send outcome as a value, so undo can put it back after an edit or a delete.
/// The attempt history itself is not kept; the attempt count is.
struct RowOutcome
{
    send::RowStatus status = send::RowStatus::Pending;
    QString predictedShardId;
    QString shardId;
    QString sequenceNumber;
    QString errorCode;
    QString errorMessage;
    int attempts = 0;
    bool retriable = false;

    static RowOutcome capture(const send::SendResults &results, int row);
    void restore(send::SendResults &results, int row) const;
};

} // namespace kwb::ui
