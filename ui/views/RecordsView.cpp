#include "views/RecordsView.h"

#include "models/RecordColumn.h"
#include "models/RecordsModel.h"
#include "views/EmptyTableHint.h"

#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>
#include <QResizeEvent>

#include <algorithm>

namespace kwb::ui {

namespace {

/// The columns shown at first, in this order; the others follow, hidden.
constexpr RecordColumn kShownColumns[] = {RecordColumn::Row,    RecordColumn::PartitionKey, RecordColumn::Shard,
                                          RecordColumn::Result, RecordColumn::Size,         RecordColumn::Data};

bool shownByDefault(int column)
{
    return std::find(std::begin(kShownColumns), std::end(kShownColumns), RecordColumn(column)) != std::end(kShownColumns);
}

/// Bumped when the columns change, so an older saved header is not applied to new columns.
constexpr int kHeaderVersion = 3;

/// Columns that settings saved before `version` did not know: hidden, as for a new user.
bool newerThan(int column, int version)
{
    return version < 3 && (column == int(RecordColumn::KinesisRecord) || column == int(RecordColumn::SubSequence));
}

} // namespace

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
    m_emptyHint = new EmptyTableHint(viewport());
    m_emptyHint->hide();
}

void RecordsView::setEmptyActions(const QList<QAction *> &actions)
{
    m_emptyHint->setActions(actions);
}

QWidget *RecordsView::emptyHint() const
{
    return m_emptyHint;
}

void RecordsView::updateEmptyHint()
{
    // Only a workspace without rows: a filter that hides every row says so in the filter bar.
    const bool empty = m_model && m_model->isIdentity() && m_model->rowCount() == 0;
    m_emptyHint->setGeometry(viewport()->rect());
    m_emptyHint->setVisible(empty);
}

void RecordsView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    m_emptyHint->setGeometry(viewport()->rect());
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
    connect(model, &QAbstractItemModel::modelReset, this, &RecordsView::updateEmptyHint);
    connect(model, &QAbstractItemModel::layoutChanged, this, &RecordsView::updateEmptyHint);
    connect(model, &QAbstractItemModel::rowsInserted, this, &RecordsView::updateEmptyHint);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &RecordsView::updateEmptyHint);
    updateEmptyHint();
}

int RecordsView::presetWidth(int column) const
{
    const int ch = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    switch (RecordColumn(column)) {
    case RecordColumn::Row: return ch * 7;
    case RecordColumn::PartitionKey: return ch * 20;
    case RecordColumn::ExplicitHashKey: return ch * 18;
    // Stretched over the remaining width; this is its least.
    case RecordColumn::Data: return ch * 16;
    case RecordColumn::Size: return ch * 8;
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
    // "12 ≠ 3" with the mismatch icon.
    case RecordColumn::Shard: return ch * 9;
    // The icon and "…123456", or most of an error code (the tooltip has all of it).
    case RecordColumn::Result: return ch * 24;
    case RecordColumn::KinesisRecord: return ch * 15;
    case RecordColumn::SubSequence: return ch * 13;
    }
    return ch * 12;
}

void RecordsView::resetColumns()
{
    QHeaderView *header = horizontalHeader();
    // The shown columns first, in their order; then the others in the model's order, hidden
    // until wanted (the compact Shard and Result columns say what they do at a glance).
    int visual = 0;
    for (RecordColumn column : kShownColumns)
        header->moveSection(header->visualIndex(int(column)), visual++);
    for (int c = 0; c < kRecordColumnCount; ++c)
        if (!shownByDefault(c))
            header->moveSection(header->visualIndex(c), visual++);
    for (int c = 0; c < kRecordColumnCount; ++c) {
        setColumnWidth(c, presetWidth(c));
        QTableView::setColumnHidden(c, !shownByDefault(c));
    }
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

void RecordsView::restoreColumns(const WorkbenchSettings::Columns &saved)
{
    if (saved.headerVersion == kHeaderVersion && horizontalHeader()->restoreState(saved.header)) {
        if (horizontalHeader()->hiddenSectionCount() >= kRecordColumnCount)
            QTableView::setColumnHidden(int(RecordColumn::PartitionKey), false);
        rebuildColumnsMenu();
        Q_EMIT columnsChanged();
        return;
    }
    if (!saved.hiddenColumns)
        return;
    const QStringList &hidden = *saved.hiddenColumns;
    for (int c = 0; c < kRecordColumnCount; ++c)
        QTableView::setColumnHidden(c, hidden.contains(recordColumnKey(RecordColumn(c))) || newerThan(c, saved.headerVersion));
    if (horizontalHeader()->hiddenSectionCount() >= kRecordColumnCount)
        QTableView::setColumnHidden(int(RecordColumn::PartitionKey), false);
    rebuildColumnsMenu();
    Q_EMIT columnsChanged();
}

WorkbenchSettings::Columns RecordsView::columns() const
{
    WorkbenchSettings::Columns saved;
    QStringList hidden;
    for (int c = 0; c < kRecordColumnCount; ++c)
        if (isColumnHidden(c))
            hidden << recordColumnKey(RecordColumn(c));
    saved.hiddenColumns = hidden;
    // Order and widths too: what the user moved or widened stays.
    saved.header = horizontalHeader()->saveState();
    saved.headerVersion = kHeaderVersion;
    return saved;
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
