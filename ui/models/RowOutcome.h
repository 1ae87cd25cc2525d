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
    /// Every attempt, oldest first, with its error text (string ids are the results' own).
    struct PastAttempt
    {
        send::Attempt attempt;
        QString code;
        QString message;
    };
    std::vector<PastAttempt> history;
    send::VerifyState verify = send::VerifyState::NotVerified;
    /// Sent aggregated: its place in its Kinesis record, the record's user records, and the
    /// record's identity, which the record's other rows share (-1, 0, 0 when sent plain).
    int subSequence = -1;
    int aggregateSize = 0;
    qint32 aggregateId = 0;

    static RowOutcome capture(const send::SendResults &results, int row);
    void restore(send::SendResults &results, int row) const;
};

} // namespace kwb::ui
