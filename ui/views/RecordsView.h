#pragma once

#include "WorkbenchSettings.h"

#include <QTableView>

#include <vector>

class QMenu;

namespace kwb::ui {

class RecordsModel;

/// The records table. Fixed row height and preset column widths (nothing is measured per row,
/// so a million rows scroll as fast as ten). By default it shows what a glance needs: #, the
/// partition key, the compact Shard and Result columns, the size, and the data taking the
/// remaining width; the detailed columns are in the header's context menu. Columns the user
/// hides, moves or widens are kept in QSettings. With no rows at all it shows what to do
/// (EmptyTableHint). Sorting is the model's (in the background).
/// The row actions (add, duplicate, delete, paste, ...) belong to the main window, which adds
/// them here for the context menu and shortcuts. GUI thread.
class RecordsView : public QTableView
{
    Q_OBJECT
public:
    explicit RecordsView(QWidget *parent = nullptr);

    void setRecordsModel(RecordsModel *model);
    RecordsModel *recordsModel() const { return m_model; }

    /// Store rows of the selected rows, in display order.
    std::vector<int> selectedStoreRows() const;
    /// The store row of the current index, -1 when none.
    int currentStoreRow() const;
    /// Makes a store row current and selected (and scrolls to it); false when it is filtered out.
    bool selectStoreRow(int storeRow);
    /// Selects every shown row; when no row is current (it was filtered out, or none was ever
    /// chosen) the first shown row becomes current, so the editor shows a row of the selection.
    void selectAll() override;

    void setColumnHidden(int column, bool hide);
    /// Puts back the columns' order, widths and visibility as saved (an older saved list of
    /// hidden columns still hides its columns).
    void restoreColumns(const WorkbenchSettings::Columns &saved);
    /// The columns as they are now, to be saved.
    WorkbenchSettings::Columns columns() const;
    /// Default order, widths and visibility.
    void resetColumns();
    /// The actions the empty table offers (add a row, open a file, the sample).
    void setEmptyActions(const QList<QAction *> &actions);
    /// The hint shown over an empty table; hidden while there are rows.
    QWidget *emptyHint() const;
    /// The header's context menu (checkable column actions), for the View menu too.
    QMenu *columnsMenu() const { return m_columnsMenu; }

Q_SIGNALS:
    void currentStoreRowChanged(int storeRow);
    void selectionChangedRows();
    void columnsChanged();

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    /// A font change (the desktop's font size, say) resizes the rows to the new line height.
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmptyHint();
    void rebuildColumnsMenu();
    int presetWidth(int column) const;
    int rowHeightForFont() const;

    RecordsModel *m_model = nullptr;
    QMenu *m_columnsMenu = nullptr;
    class EmptyTableHint *m_emptyHint = nullptr;
};

} // namespace kwb::ui
