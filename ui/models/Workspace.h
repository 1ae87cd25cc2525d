#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "models/RowContent.h"
#include "models/RowIssue.h"
#include "models/RowOutcome.h"
#include "models/RowSnapshot.h"
#include "send/SendResults.h"

#include <QList>
#include <QObject>

#include <map>
#include <optional>
#include <vector>

class QUndoStack;

namespace kwb::ui {

/// The document the workbench edits: the records (a columnar RecordStore), their send outcomes
/// (SendResults, same rows), the shard map that predicts routing, the stream's maximum record
/// size, and an undo stack. Every change goes through here, so the table model, the editor panel
/// and the shard statistics hear about it through its signals.
///
/// Lives on the GUI thread and owns its storage; workers get a snapshot(). While a send runs,
/// the workspace is locked: the send engine reads the store, so edits are refused.
class Workspace : public QObject
{
    Q_OBJECT
public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    const RecordStore &store() const { return m_store; }
    const send::SendResults &results() const { return m_results; }
    /// For the send engine, which writes outcomes; call notifyOutcomesChanged() afterwards.
    send::SendResults &mutableResults() { return m_results; }
    int rowCount() const { return m_store.size(); }
    /// A row's number for people: stable while other rows come and go (0-based; shown + 1).
    /// Rows loaded from a file are numbered by their position in it; new rows get new numbers.
    qint64 rowId(int row) const { return m_rowIds[size_t(row)]; }
    const std::vector<qint64> &rowIds() const { return m_rowIds; }
    QUndoStack *undoStack() const { return m_undo; }

    // Routing -----------------------------------------------------------------------------
    const ShardMap &shardMap() const { return m_map; }
    /// True when the map comes from a real stream (ListShards), false for the virtual one.
    bool hasStreamMap() const { return !m_streamName.isEmpty(); }
    QString streamName() const { return m_streamName; }
    /// Routes with a stream's shards; an empty stream name goes back to the virtual map.
    void setStreamShardMap(const QString &stream, ShardMap map);
    /// The virtual stream used before one is chosen: `count` evenly split shards.
    void setVirtualShardCount(int count);
    int virtualShardCount() const { return m_virtualShards; }
    qint64 maxRecordBytes() const { return m_maxRecordBytes; }
    void setMaxRecordBytes(qint64 bytes);
    /// Index of the open shard the row routes to; -1 without a map.
    int predictedShard(int row) const { return m_map.isEmpty() ? -1 : m_map.openIndexFor(m_store.hashKey(row)); }

    // Issues ------------------------------------------------------------------------------
    RowIssue issue(int row) const { return checkRow(m_store, row, m_maxRecordBytes, hasBadExplicitHashKey(row)); }
    QString issueMessage(int row) const;
    bool hasBadExplicitHashKey(int row) const { return !m_bad.empty() && m_bad.count(row) != 0; }
    QString badExplicitHashKey(int row) const;
    const std::map<int, QString> &badExplicitHashKeys() const { return m_bad; }

    // Editing through the undo stack --------------------------------------------------------
    bool isLocked() const { return m_locked; }
    void setLocked(bool locked);
    RowContent rowContent(int row) const;
    /// Replaces a row's content; the row's outcome goes back to pending (it is a new record).
    /// False when locked, out of range or unchanged.
    bool setRowContent(int row, const RowContent &content, const QString &description = {});
    bool setPartitionKey(int row, const QString &key);
    /// Empty text clears the explicit hash key; text that does not parse is kept and shown as
    /// the row's issue.
    bool setExplicitHashKeyText(int row, const QString &text);
    bool setData(int row, const QByteArray &data);
    /// Inserts rows before `row` (rowCount() appends).
    bool insertRows(int row, std::vector<RowContent> rows, const QString &description = {});
    /// Copies of the rows, inserted as one block after the last of them. Returns the first new row, or -1.
    int duplicateRows(std::vector<int> rows);
    bool removeRows(std::vector<int> rows);
    bool undo();
    bool redo();

    // Bulk loading (the importer's hook); not undoable: the undo history is cleared ------------
    /// Replaces every row; outcomes start pending. False (nothing changes) while locked.
    bool loadRecords(RecordStore store);
    /// Adds the rows of `store` at the end. False while locked.
    bool appendRecords(const RecordStore &store);
    bool clear();

    // Outcomes ----------------------------------------------------------------------------
    /// The send engine changed these rows' outcomes.
    void notifyOutcomesChanged(const QList<int> &rows);
    /// Outcomes changed everywhere (a reset, results read from a file).
    void notifyAllOutcomesChanged();

    // For workers -------------------------------------------------------------------------
    RowSnapshot snapshot() const;
    /// Bumps whenever rows are inserted, removed or replaced wholesale.
    quint64 structureVersion() const { return m_structureVersion; }
    /// Bumps whenever records, their order or the routing change (not outcomes).
    quint64 contentVersion() const { return m_contentVersion; }

    // Primitives the undo commands use (no undo entry, no lock check) ------------------------
    /// Sets a row's content; with `outcome` the outcome too, else the outcome goes to pending.
    void applyContent(int row, const RowContent &content, const std::optional<RowOutcome> &outcome);
    /// Inserts `rows` before `row`, with their outcomes and row ids when given (same size);
    /// returns the row ids used.
    std::vector<qint64> insertNow(int row, const std::vector<RowContent> &rows,
                                  const std::vector<RowOutcome> *outcomes = nullptr,
                                  const std::vector<qint64> *ids = nullptr);
    /// Removes the rows (sorted, unique). A few contiguous ranges are removed one by one; many
    /// scattered ranges as one reset.
    void removeNow(const std::vector<int> &sortedRows);

    /// Everything the rows are, for undoing a large removal in one step.
    struct State
    {
        RecordStore store;
        send::SendResults results;
        std::map<int, QString> bad;
        std::vector<qint64> ids;
        qint64 nextId = 0;
    };
    State captureState() const { return State{m_store, m_results, m_bad, m_rowIds, m_nextRowId}; }
    void restoreState(State state);
    /// Replaces every row with `state` (an opened workspace file), outcomes included; clears the
    /// undo history. False (nothing changes) while locked.
    bool loadState(State state);
    /// The row id the next new row gets.
    qint64 nextRowId() const { return m_nextRowId; }
    /// Rebuilds the storage from the rows there are, freeing what removed rows left behind in
    /// it (record bytes, attempts, sequence numbers): a generator run that keeps dropping its
    /// oldest rows calls it now and then. Rows, ids and outcomes stay as they are; no signal.
    void compactStorage();

    /// A block of rows goes into place in one pass (insertRows), whatever its size. Putting back
    /// scattered rows one at a time (undoing a removal) moves the rows after each of them:
    /// removals that would cost more moves than this to undo row by row are undone from a full
    /// copy instead.
    static constexpr qint64 kInPlaceMoveBudget = 20'000'000;
    /// Whether `count` scattered rows can be put back one by one at an acceptable cost.
    bool canInsertInPlace(qint64 count) const { return count * rowCount() <= kInPlaceMoveBudget; }
    /// Removals of more rows than this are undone from a full copy rather than row by row.
    static constexpr int kRowwiseUndoLimit = 1000;
    /// Removals spanning more ranges than this become one reset.
    static constexpr int kRangewiseRemoveLimit = 32;

Q_SIGNALS:
    void aboutToReset();
    void wasReset();
    void rowsAboutToBeInserted(int first, int count);
    void rowsInserted(int first, int count);
    void rowsAboutToBeRemoved(int first, int count);
    void rowsRemoved(int first, int count);
    /// Record content of these rows changed (edits, undo).
    void recordsEdited(const QList<int> &rows);
    /// Send outcomes of these rows changed (in bursts while sending).
    void outcomesChanged(const QList<int> &rows);
    void allOutcomesChanged();
    /// The shard map or the maximum record size changed: predictions and issues may differ.
    void routingChanged();
    /// Records, their order or the routing changed (for statistics; not fired for outcomes).
    void contentChanged();
    void lockedChanged(bool locked);

private:
    void shiftBadForInsert(int row, int count);
    void shiftBadForRemove(const std::vector<int> &sortedRows);
    void removeIds(const std::vector<int> &sortedRows);
    void setContentNow(int row, const RowContent &content);
    void bumpContent();

    RecordStore m_store;
    send::SendResults m_results;
    std::map<int, QString> m_bad;
    std::vector<qint64> m_rowIds;
    qint64 m_nextRowId = 0;
    ShardMap m_map;
    QString m_streamName;
    int m_virtualShards = 4;
    qint64 m_maxRecordBytes = limits::kDefaultMaxRecordBytes;
    QUndoStack *m_undo = nullptr;
    bool m_locked = false;
    quint64 m_structureVersion = 0;
    quint64 m_contentVersion = 0;
};

} // namespace kwb::ui
