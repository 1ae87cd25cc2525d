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
    for (const send::Attempt &a : results.attempts(row))
        o.history.push_back({a, results.text(a.code), results.text(a.message)});
    o.verify = results.verifyState(row);
    o.subSequence = results.subSequence(row);
    o.aggregateSize = results.aggregateSize(row);
    o.aggregateId = results.aggregateId(row);
    return o;
}

void RowOutcome::restore(send::SendResults &results, int row) const
{
    results.restore(row, status, shardId, sequenceNumber, errorCode, errorMessage, attempts, retriable);
    results.setPredictedShardId(row, predictedShardId);
    // Kept as text, interned again: the attempts come back even into results whose string
    // table has changed since. A row without a history (a results file) keeps its count.
    if (!history.empty()) {
        std::vector<send::Attempt> list;
        list.reserve(history.size());
        for (const PastAttempt &p : history) {
            send::Attempt a = p.attempt;
            a.code = results.intern(p.code);
            a.message = results.intern(p.message);
            list.push_back(a);
        }
        results.setAttempts(row, list);
    }
    if (status == send::RowStatus::Succeeded)
        results.setVerifyState(row, verify);
    if (subSequence >= 0)
        results.setAggregateId(row, subSequence, aggregateSize, aggregateId);
}

} // namespace kwb::ui
