#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "models/RecordColumn.h"
#include "models/RowIssue.h"
#include "send/SendResults.h"

#include <QString>

#include <map>
#include <vector>

namespace kwb::ui {

/// What the status column shows: the send outcome, or that the row cannot be sent.
enum class DisplayStatus : quint8 {
    Invalid,        ///< a RowIssue; pending rows only (a service outcome wins)
    Pending,
    Queued,
    InFlight,
    Succeeded,
    Verified,       ///< succeeded and read back identical
    VerifyMismatch, ///< succeeded, but read back different or not at all
    Throttled,      ///< failed after throttling answers
    Failed,
    Cancelled,
};

/// The cells of rows as the table shows them, built on demand from the columnar store and
/// results. Shared by the table model (GUI thread, over the workspace) and the sort/filter
/// worker (over a snapshot), so sorting orders by exactly what is shown. Holds references only;
/// construct one per use.
class RowCells
{
public:
    RowCells(const RecordStore &store, const send::SendResults &results, const ShardMap &map, qint64 maxRecordBytes,
             const std::map<int, QString> &badExplicitHashKeys, const std::vector<qint64> &rowIds)
        : m_store(store), m_results(results), m_map(map), m_maxRecordBytes(maxRecordBytes), m_bad(badExplicitHashKeys)
        , m_ids(rowIds)
    {
    }

    /// The row's stable number (0-based), or the row itself when none are kept.
    qint64 rowId(int row) const { return size_t(row) < m_ids.size() ? m_ids[size_t(row)] : row; }

    bool hasBadExplicitHashKey(int row) const { return !m_bad.empty() && m_bad.count(row) != 0; }
    QString badExplicitHashKey(int row) const;
    RowIssue issue(int row) const { return checkRow(m_store, row, m_maxRecordBytes, hasBadExplicitHashKey(row)); }
    QString issueMessage(int row) const;

    DisplayStatus status(int row) const;
    static QString statusText(DisplayStatus status);
    static QString statusToolTip(DisplayStatus status);

    /// Open shard index the row routes to, -1 without a map.
    int predictedShard(int row) const { return m_map.isEmpty() ? -1 : m_map.openIndexFor(m_store.hashKey(row)); }
    QString predictedShardId(int row) const;
    /// The shard number of a shard id: its trailing digits, 0-based as in the id
    /// ("shardId-000000000002" is 2); the id itself when it has no digits.
    static QString shardNumber(const QString &shardId);
    /// The shard the Shard column shows: where the row landed, else where it should.
    QString shownShardId(int row) const;
    /// The Result column: the sequence number's last kSequenceTail digits once written, the
    /// error (or issue) code once failed, else the status in words.
    QString resultText(int row) const;
    static constexpr int kSequenceTail = 6;
    /// Landed on another shard than the engine predicted.
    bool shardMismatch(int row) const { return m_results.shardMismatch(row); }

    /// The row's issue code while it is pending and invalid, else the service's or engine's code.
    QString errorCode(int row) const;
    QString errorMessage(int row) const;
    /// Throttled at least once (failed now, or succeeded after retries).
    bool wasThrottled(int row) const;
    static bool isThrottleCode(const QString &code);

    /// The text of a cell (DisplayRole); data previews are at most 64 characters.
    QString text(int row, RecordColumn column) const;

private:
    const RecordStore &m_store;
    const send::SendResults &m_results;
    const ShardMap &m_map;
    qint64 m_maxRecordBytes;
    const std::map<int, QString> &m_bad;
    const std::vector<qint64> &m_ids;
};

} // namespace kwb::ui
