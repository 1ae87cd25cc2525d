#include "models/RowCells.h"

#include "models/RecordText.h"

#include <QCoreApplication>
#include <QLocale>

namespace kwb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RowCells", text);
}

} // namespace

QString RowCells::badExplicitHashKey(int row) const
{
    const auto it = m_bad.find(row);
    return it == m_bad.end() ? QString() : it->second;
}

QString RowCells::issueMessage(int row) const
{
    return rowIssueMessage(issue(row), m_store, row, m_maxRecordBytes, badExplicitHashKey(row));
}

DisplayStatus RowCells::status(int row) const
{
    switch (m_results.status(row)) {
    case send::RowStatus::Pending:
        return issue(row) != RowIssue::None ? DisplayStatus::Invalid : DisplayStatus::Pending;
    case send::RowStatus::Queued: return DisplayStatus::Queued;
    case send::RowStatus::InFlight: return DisplayStatus::InFlight;
    case send::RowStatus::Succeeded:
        switch (m_results.verifyState(row)) {
        case send::VerifyState::Verified: return DisplayStatus::Verified;
        case send::VerifyState::Mismatched:
        case send::VerifyState::Unreadable: return DisplayStatus::VerifyMismatch;
        case send::VerifyState::NotVerified: break;
        }
        return DisplayStatus::Succeeded;
    case send::RowStatus::Failed:
        return isThrottleCode(m_results.errorCode(row)) ? DisplayStatus::Throttled : DisplayStatus::Failed;
    case send::RowStatus::Cancelled: return DisplayStatus::Cancelled;
    }
    return DisplayStatus::Pending;
}

QString RowCells::statusText(DisplayStatus status)
{
    switch (status) {
    case DisplayStatus::Invalid: return tr("invalid");
    case DisplayStatus::Pending: return tr("pending");
    case DisplayStatus::Queued: return tr("queued");
    case DisplayStatus::InFlight: return tr("sending");
    case DisplayStatus::Succeeded: return tr("succeeded");
    case DisplayStatus::Verified: return tr("verified");
    case DisplayStatus::VerifyMismatch: return tr("verify failed");
    case DisplayStatus::Throttled: return tr("throttled");
    case DisplayStatus::Failed: return tr("failed");
    case DisplayStatus::Cancelled: return tr("cancelled");
    }
    return {};
}

QString RowCells::statusToolTip(DisplayStatus status)
{
    switch (status) {
    case DisplayStatus::Invalid: return tr("This row cannot be sent as it is; the error column says why.");
    case DisplayStatus::Pending: return tr("Not sent yet.");
    case DisplayStatus::Queued: return tr("Waiting to be sent (or waiting for a retry after a backoff).");
    case DisplayStatus::InFlight: return tr("In a request that has not been answered yet.");
    case DisplayStatus::Succeeded: return tr("Written: the stream gave it a shard and a sequence number.");
    case DisplayStatus::Verified: return tr("Written and read back identical (verify).");
    case DisplayStatus::VerifyMismatch:
        return tr("Written, but reading it back gave different bytes or nothing.");
    case DisplayStatus::Throttled:
        return tr("The shard was over its write limit (1,000 records/s or 1 MiB/s per shard) on every attempt. "
                  "Retry later, lower the rate, or spread the partition keys.");
    case DisplayStatus::Failed: return tr("Not written; the error column says why.");
    case DisplayStatus::Cancelled:
        return tr("The request was aborted in flight: the stream may or may not have written this record.");
    }
    return {};
}

QString RowCells::predictedShardId(int row) const
{
    const int shard = predictedShard(row);
    return shard < 0 ? QString() : m_map.openShard(shard).shardId;
}

QString RowCells::shardNumber(const QString &shardId)
{
    qsizetype start = shardId.size();
    while (start > 0 && shardId.at(start - 1).isDigit())
        --start;
    if (start == shardId.size())
        return shardId;
    bool ok = false;
    const qulonglong n = QStringView(shardId).mid(start).toULongLong(&ok);
    return ok ? QString::number(n) : shardId;
}

QString RowCells::shownShardId(int row) const
{
    const QString actual = m_results.shardId(row);
    return actual.isEmpty() ? predictedShardId(row) : actual;
}

QString RowCells::resultText(int row) const
{
    const DisplayStatus s = status(row);
    switch (s) {
    case DisplayStatus::Succeeded:
    case DisplayStatus::Verified: {
        const QString seq = m_results.sequenceNumber(row);
        return seq.size() > kSequenceTail ? QStringLiteral("…") + seq.right(kSequenceTail) : seq;
    }
    case DisplayStatus::Invalid:
    case DisplayStatus::Throttled:
    case DisplayStatus::Failed: {
        const QString code = errorCode(row);
        return code.isEmpty() ? statusText(s) : code;
    }
    case DisplayStatus::VerifyMismatch:
    case DisplayStatus::Pending:
    case DisplayStatus::Queued:
    case DisplayStatus::InFlight:
    case DisplayStatus::Cancelled:
        break;
    }
    return statusText(s);
}

QString RowCells::errorCode(int row) const
{
    if (m_results.status(row) == send::RowStatus::Pending) {
        const RowIssue i = issue(row);
        if (i != RowIssue::None)
            return rowIssueCode(i);
    }
    return m_results.errorCode(row);
}

QString RowCells::errorMessage(int row) const
{
    if (m_results.status(row) == send::RowStatus::Pending) {
        const RowIssue i = issue(row);
        if (i != RowIssue::None)
            return rowIssueMessage(i, m_store, row, m_maxRecordBytes, badExplicitHashKey(row));
    }
    return m_results.errorMessage(row);
}

bool RowCells::isThrottleCode(const QString &code)
{
    return code == QLatin1String("ProvisionedThroughputExceededException") || code == QLatin1String("ThrottlingException")
        || code == QLatin1String("LimitExceededException");
}

bool RowCells::wasThrottled(int row) const
{
    if (isThrottleCode(m_results.errorCode(row)))
        return true;
    if (m_results.attemptCount(row) < 2)
        return false;
    for (const send::Attempt &a : m_results.attempts(row))
        if (a.outcome == send::AttemptOutcome::Throttled)
            return true;
    return false;
}

QString RowCells::text(int row, RecordColumn column) const
{
    switch (column) {
    case RecordColumn::Row:
        // The row's place in the document: rows pasted after row 5 are 6, 7, ...
        return QString::number(row + 1);
    case RecordColumn::PartitionKey:
        return QString::fromUtf8(m_store.partitionKeyUtf8(row).first(std::min<qsizetype>(m_store.partitionKeyUtf8(row).size(), 1024)));
    case RecordColumn::ExplicitHashKey: {
        if (hasBadExplicitHashKey(row))
            return badExplicitHashKey(row);
        if (!m_store.hasExplicitHashKey(row))
            return {};
        char digits[48];
        const int n = hashKeyToChars(m_store.explicitHashKey(row), digits);
        return QString::fromLatin1(digits, n);
    }
    case RecordColumn::Data:
        return RecordText::preview(m_store.data(row));
    case RecordColumn::Size:
        return QLocale().toString(m_store.recordSize(row));
    case RecordColumn::HashKey: {
        char digits[48];
        const int n = hashKeyToChars(m_store.hashKey(row), digits);
        return QString::fromLatin1(digits, n);
    }
    case RecordColumn::PredictedShard:
        return predictedShardId(row);
    case RecordColumn::Status:
        return statusText(status(row));
    case RecordColumn::ActualShard:
        return m_results.shardId(row);
    case RecordColumn::SequenceNumber:
        return m_results.sequenceNumber(row);
    case RecordColumn::ErrorCode:
        return errorCode(row);
    case RecordColumn::ErrorMessage:
        return errorMessage(row);
    case RecordColumn::Attempts: {
        const int n = m_results.attemptCount(row);
        return n == 0 ? QString() : QString::number(n);
    }
    case RecordColumn::Shard: {
        const QString shown = shardNumber(shownShardId(row));
        if (!shardMismatch(row))
            return shown;
        return tr("%1 ≠ %2").arg(shown, shardNumber(m_results.predictedShardId(row)));
    }
    case RecordColumn::Result:
        return resultText(row);
    case RecordColumn::KinesisRecord:
        return m_results.subSequence(row) < 0 ? QString() : QString::number(m_results.aggregateFirstRow(row) + 1);
    case RecordColumn::SubSequence:
        return m_results.subSequence(row) < 0 ? QString() : QString::number(m_results.subSequence(row));
    }
    return {};
}

} // namespace kwb::ui
