#pragma once

#include "models/RecordColumn.h"
#include "models/RowFilter.h"
#include "models/RowOrdering.h"

#include <QAbstractTableModel>
#include <QFont>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace kwb::ui {

class Workspace;

/// The records table: one row per record of a Workspace, with its routing and send outcome.
/// data() is O(1) and formats on demand; nothing is cached per row.
///
/// Filtering and sorting never use a proxy: the model keeps its own permutation of store rows
/// (none at all when nothing is filtered or sorted), computed by RowOrdering on a snapshot in
/// the thread pool and swapped in with a layout change; a generation token drops stale results.
/// Outcome changes arrive in bursts while sending: rows are marked dirty and flushed every
/// kFlushIntervalMs as one dataChanged() per contiguous range. Beyond kMaxDirtyRows (a send of
/// a million rows queues them all at once) only the span from the first to the last dirty shown
/// row is kept and flushed as one dataChanged(): no list to sort, and a view repaints the part
/// of the span it shows, as it would for the ranges. Rows inserted while a filter is on stay
/// visible until the filter runs again.
///
/// Lives on the GUI thread; does not own the workspace.
class RecordsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        StoreRowRole = Qt::UserRole + 1, ///< int: the row in the workspace
        DisplayStatusRole,               ///< int: DisplayStatus
        IssueRole,                       ///< int: RowIssue
    };

    static constexpr int kFlushIntervalMs = 50;
    /// Dirty rows kept one by one; beyond this many, only their span.
    static constexpr int kMaxDirtyRows = 4096;
    /// Cells of the data column are editable in place up to this size (and when they are text).
    static constexpr qint64 kInlineEditLimit = 16 * 1024;

    explicit RecordsModel(Workspace *workspace, QObject *parent = nullptr);
    ~RecordsModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    /// Starts sorting in the background; column -1 goes back to store order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    Workspace *workspace() const { return m_workspace; }
    int storeRow(int visibleRow) const { return m_identity ? visibleRow : m_visible[size_t(visibleRow)]; }
    /// The display row of a store row, -1 when it is filtered out.
    int visibleRow(int storeRow) const;
    QModelIndex indexForStoreRow(int storeRow, int column = 0) const;

    void setFilter(const RowFilter &filter);
    const RowFilter &filter() const { return m_filter; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    /// Runs the filter and sort again (after a send, outcomes differ).
    void refresh();
    /// True while a worker computes the order.
    bool isOrdering() const { return m_ordering; }
    /// True when rows are shown in store order, unfiltered.
    bool isIdentity() const { return m_identity; }
    /// Emits the pending dataChanged() ranges now.
    void flushPendingChanges();
    /// Scales the fixed-width font of the key, hash and sequence columns (presenter mode's zoom).
    void setFontScale(double scale);
    QFont fixedFont() const { return m_fixedFont; }

    static QString columnTitle(RecordColumn column);
    static QString columnToolTip(RecordColumn column);

Q_SIGNALS:
    void orderingStarted();
    /// A new order is in place (or the identity).
    void orderingFinished();

private:
    bool needsOrdering() const;
    void requestOrdering();
    void applyOrder(RowOrder order);
    void switchToIdentity();
    /// One layout change: each persistent index moves to row newRowOf(its row) (-1: gone), and
    /// swapIn() puts the new row order in place between the mapping and the move.
    void changeLayout(const std::function<int(int)> &newRowOf, const std::function<void()> &swapIn);
    void rebuildInverse();
    void markDirty(const QList<int> &storeRows);
    void emitChangedStoreRows(const QList<int> &storeRows);
    void emitAllChanged();
    void emitRowNumbersChanged();

    void onAboutToReset();
    void onWasReset();
    void onAboutToInsert(int first, int count);
    void onInserted(int first, int count);
    void onAboutToRemove(int first, int count);
    void onRemoved(int first, int count);

    QVariant toolTip(int row, RecordColumn column) const;
    QVariant decoration(int row, RecordColumn column) const;

    Workspace *m_workspace;
    bool m_identity = true;
    std::vector<int> m_visible;
    std::vector<int> m_inverse;
    RowFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_ordering = false;
    std::vector<int> m_dirty; ///< store rows
    /// Shown rows from the first to the last dirty one, once m_dirty would grow past
    /// kMaxDirtyRows (first > last: none).
    int m_dirtySpanFirst = 0;
    int m_dirtySpanLast = -1;
    bool m_allDirty = false;
    QTimer m_flushTimer;
    QFont m_fixedFont;
};

} // namespace kwb::ui
