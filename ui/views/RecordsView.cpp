#include "views/RecordsView.h"

#include "models/RecordColumn.h"
#include "models/RecordsModel.h"

#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>

#include <algorithm>

namespace kwb::ui {

RecordsView::RecordsView(QWidget *parent)
    : QTableView(parent)
    , m_columnsMenu(new QMenu(tr("Columns"), this))
{
    setObjectName(QStringLiteral("recordsView"));
    // Every repaint lays out the text of every cell shown again, and most of that time went to
    // HarfBuzz shaping. Latin text needs none (kerning aside) and scripts that need it are still
    // shaped, so the table asks for none: a full repaint takes a third of the time (3 ms, not 8).
    QFont cells;
    cells.setStyleStrategy(QFont::PreferNoShaping);
    setFont(cells);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setAlternatingRowColors(true);
    setCornerButtonEnabled(false);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);

    QHeaderView *rows = verticalHeader();
    rows->setVisible(false);
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setMinimumSectionSize(1);
    rows->setDefaultSectionSize(rowHeightForFont());

    QHeaderView *columns = horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    columns->setSectionsMovable(true);
    columns->setSortIndicator(-1, Qt::AscendingOrder);
    columns->setSortIndicatorClearable(true);
    columns->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(columns, &QHeaderView::customContextMenuRequested, this,
            [this, columns](const QPoint &pos) { m_columnsMenu->popup(columns->mapToGlobal(pos)); });
    rebuildColumnsMenu();
}

void RecordsView::setRecordsModel(RecordsModel *model)
{
    m_model = model;
    setModel(model);
    // Sorting is asked of the model; the indicator starts cleared (store order).
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setSortingEnabled(true);
    resetColumns();
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { Q_EMIT currentStoreRowChanged(current.isValid() ? m_model->storeRow(current.row()) : -1); });
    connect(selectionModel(), &QItemSelectionModel::selectionChanged, this, &RecordsView::selectionChangedRows);
    // After a reset the current index is gone.
    connect(model, &QAbstractItemModel::modelReset, this, [this] { Q_EMIT currentStoreRowChanged(currentStoreRow()); });
    connect(model, &QAbstractItemModel::layoutChanged, this, [this] {
        Q_EMIT currentStoreRowChanged(currentStoreRow());
        Q_EMIT selectionChangedRows();
    });
}

int RecordsView::presetWidth(int column) const
{
    const int ch = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    switch (RecordColumn(column)) {
    case RecordColumn::Row: return ch * 9;
    case RecordColumn::PartitionKey: return ch * 20;
    case RecordColumn::ExplicitHashKey: return ch * 18;
    case RecordColumn::Data: return ch * 40;
    case RecordColumn::Size: return ch * 9;
    case RecordColumn::HashKey: return ch * 41;
    case RecordColumn::PredictedShard: return ch * 22;
    case RecordColumn::Status: return ch * 15;
    case RecordColumn::ActualShard: return ch * 22;
    case RecordColumn::SequenceNumber: return ch * 58;
    // The longest code Kinesis returns, whole (a proportional font: counted in pixels).
    case RecordColumn::ErrorCode:
        return std::max(ch * 30, fontMetrics().horizontalAdvance(QStringLiteral("ProvisionedThroughputExceededException")) + ch * 2);
    case RecordColumn::ErrorMessage: return ch * 40;
    case RecordColumn::Attempts: return ch * 9;
    }
    return ch * 12;
}

void RecordsView::resetColumns()
{
    for (int c = 0; c < kRecordColumnCount; ++c) {
        setColumnWidth(c, presetWidth(c));
        QTableView::setColumnHidden(c, false);
    }
    // Hidden until wanted: the long ones that few people read.
    QTableView::setColumnHidden(int(RecordColumn::HashKey), true);
    QTableView::setColumnHidden(int(RecordColumn::ExplicitHashKey), true);
    rebuildColumnsMenu();
    Q_EMIT columnsChanged();
}

void RecordsView::setColumnHidden(int column, bool hide)
{
    QTableView::setColumnHidden(column, hide);
    rebuildColumnsMenu();
    Q_EMIT columnsChanged();
}

void RecordsView::rebuildColumnsMenu()
{
    m_columnsMenu->clear();
    for (int c = 0; c < kRecordColumnCount; ++c) {
        QAction *action = m_columnsMenu->addAction(RecordsModel::columnTitle(RecordColumn(c)));
        action->setCheckable(true);
        action->setChecked(!isColumnHidden(c));
        action->setToolTip(RecordsModel::columnToolTip(RecordColumn(c)));
        action->setObjectName(QStringLiteral("column-") + recordColumnKey(RecordColumn(c)));
        connect(action, &QAction::toggled, this, [this, c](bool on) {
            // Keep at least one column.
            if (!on && horizontalHeader()->count() - horizontalHeader()->hiddenSectionCount() <= 1) {
                rebuildColumnsMenu();
                return;
            }
            setColumnHidden(c, !on);
        });
    }
    m_columnsMenu->addSeparator();
    QAction *reset = m_columnsMenu->addAction(tr("Reset columns"));
    connect(reset, &QAction::triggered, this, &RecordsView::resetColumns);
}

void RecordsView::restoreColumns(QSettings &settings)
{
    if (!settings.contains(QStringLiteral("recordsView/hiddenColumns")))
        return;
    const QStringList hidden = settings.value(QStringLiteral("recordsView/hiddenColumns")).toStringList();
    for (int c = 0; c < kRecordColumnCount; ++c)
        QTableView::setColumnHidden(c, hidden.contains(recordColumnKey(RecordColumn(c))));
    if (horizontalHeader()->hiddenSectionCount() >= kRecordColumnCount)
        QTableView::setColumnHidden(int(RecordColumn::PartitionKey), false);
    rebuildColumnsMenu();
    Q_EMIT columnsChanged();
}

void RecordsView::saveColumns(QSettings &settings) const
{
    QStringList hidden;
    for (int c = 0; c < kRecordColumnCount; ++c)
        if (isColumnHidden(c))
            hidden << recordColumnKey(RecordColumn(c));
    settings.setValue(QStringLiteral("recordsView/hiddenColumns"), hidden);
}

std::vector<int> RecordsView::selectedStoreRows() const
{
    std::vector<int> rows;
    if (!m_model || !selectionModel())
        return rows;
    const QItemSelection selection = selectionModel()->selection();
    std::vector<int> visible;
    for (const QItemSelectionRange &range : selection)
        for (int r = range.top(); r <= range.bottom(); ++r)
            visible.push_back(r);
    std::sort(visible.begin(), visible.end());
    visible.erase(std::unique(visible.begin(), visible.end()), visible.end());
    rows.reserve(visible.size());
    for (int r : visible)
        rows.push_back(m_model->storeRow(r));
    return rows;
}

int RecordsView::rowHeightForFont() const
{
    return fontMetrics().height() + 6;
}

void RecordsView::changeEvent(QEvent *event)
{
    QTableView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        verticalHeader()->setDefaultSectionSize(rowHeightForFont());
}

void RecordsView::selectAll()
{
    QTableView::selectAll();
    if (!currentIndex().isValid() && model() && model()->rowCount() > 0)
        selectionModel()->setCurrentIndex(model()->index(0, int(RecordColumn::PartitionKey)), QItemSelectionModel::NoUpdate);
}

int RecordsView::currentStoreRow() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() && m_model ? m_model->storeRow(current.row()) : -1;
}

bool RecordsView::selectStoreRow(int storeRow)
{
    const QModelIndex index = m_model ? m_model->indexForStoreRow(storeRow, int(RecordColumn::PartitionKey)) : QModelIndex();
    if (!index.isValid())
        return false;
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index);
    return true;
}

void RecordsView::contextMenuEvent(QContextMenuEvent *event)
{
    if (actions().isEmpty())
        return;
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addActions(actions());
    menu->popup(event->globalPos());
}

} // namespace kwb::ui
