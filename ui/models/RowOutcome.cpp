#include "models/RowOutcome.h"

namespace kwb::ui {

RowOutcome RowOutcome::capture(const send::SendResults &results, int row)
{
    RowOutcome o;
    o.status = results.status(row);
    o.predictedShardId = results.predictedShardId(row);
    o.shardId = results.shardId(row);
    o.sequenceNumber = results.sequenceNumber(row);
    o.errorCode = results.errorCode(row);
    o.errorMessage = results.errorMessage(row);
    o.attempts = results.attemptCount(row);
    o.retriable = results.retriable(row);
    return o;
}

void RowOutcome::restore(send::SendResults &results, int row) const
{
    results.restore(row, status, shardId, sequenceNumber, errorCode, errorMessage, attempts, retriable);
    results.setPredictedShardId(row, predictedShardId);
}

} // namespace kwb::ui
