#include "models/RecordsModel.h"

#include "Icons.h"
#include "models/RecordText.h"
#include "models/RowCells.h"
#include "models/Workspace.h"

#include <QFontDatabase>
#include <QLocale>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace kwb::ui {

namespace {

RowCells cellsOf(const Workspace *w)
{
    return RowCells(w->store(), w->results(), w->shardMap(), w->maxRecordBytes(), w->badExplicitHashKeys(), w->rowIds());
}

bool isEditableColumn(RecordColumn c)
{
    return c == RecordColumn::PartitionKey || c == RecordColumn::ExplicitHashKey || c == RecordColumn::Data;
}

} // namespace

void RecordsModel::setFontScale(double scale)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * scale);
    else
        font.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * scale))));
    if (font == m_fixedFont)
        return;
    m_fixedFont = font;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::FontRole});
}

RecordsModel::RecordsModel(Workspace *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
    , m_fixedFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RecordsModel::flushPendingChanges);

    connect(workspace, &Workspace::aboutToReset, this, &RecordsModel::onAboutToReset);
    connect(workspace, &Workspace::wasReset, this, &RecordsModel::onWasReset);
    connect(workspace, &Workspace::rowsAboutToBeInserted, this, &RecordsModel::onAboutToInsert);
    connect(workspace, &Workspace::rowsInserted, this, &RecordsModel::onInserted);
    connect(workspace, &Workspace::rowsAboutToBeRemoved, this, &RecordsModel::onAboutToRemove);
    connect(workspace, &Workspace::rowsRemoved, this, &RecordsModel::onRemoved);
    connect(workspace, &Workspace::recordsEdited, this, &RecordsModel::emitChangedStoreRows);
    connect(workspace, &Workspace::outcomesChanged, this, &RecordsModel::markDirty);
    connect(workspace, &Workspace::allOutcomesChanged, this, [this] {
        m_allDirty = true;
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    });
    connect(workspace, &Workspace::routingChanged, this, [this] {
        emitAllChanged();
        if (!m_identity)
            requestOrdering();
    });
    connect(workspace, &Workspace::lockedChanged, this, [this] { emitAllChanged(); });
}

RecordsModel::~RecordsModel()
{
    if (m_cancel)
        m_cancel->store(true);
}

int RecordsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_identity ? m_workspace->rowCount() : int(m_visible.size());
}

int RecordsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kRecordColumnCount;
}

int RecordsModel::visibleRow(int storeRow) const
{
    if (m_identity)
        return storeRow >= 0 && storeRow < m_workspace->rowCount() ? storeRow : -1;
    return storeRow >= 0 && size_t(storeRow) < m_inverse.size() ? m_inverse[size_t(storeRow)] : -1;
}

QModelIndex RecordsModel::indexForStoreRow(int storeRow, int column) const
{
    const int row = visibleRow(storeRow);
    return row < 0 ? QModelIndex() : index(row, column);
}

QVariant RecordsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= kRecordColumnCount)
        return {};
    const int row = storeRow(index.row());
    const auto column = RecordColumn(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return cellsOf(m_workspace).text(row, column);
    case Qt::EditRole:
        switch (column) {
        case RecordColumn::PartitionKey: return m_workspace->store().partitionKey(row);
        case RecordColumn::Data: return QString::fromUtf8(m_workspace->store().data(row));
        default: return cellsOf(m_workspace).text(row, column);
        }
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::DecorationRole:
        return decoration(row, column);
    case Qt::TextAlignmentRole:
        if (column == RecordColumn::Row || column == RecordColumn::Size || column == RecordColumn::Attempts
            || column == RecordColumn::KinesisRecord || column == RecordColumn::SubSequence)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (column == RecordColumn::Shard)
            return int(Qt::AlignCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::FontRole:
        if (column == RecordColumn::HashKey || column == RecordColumn::ExplicitHashKey || column == RecordColumn::SequenceNumber
            || column == RecordColumn::Shard)
            return m_fixedFont;
        return {};
    case Qt::AccessibleTextRole:
        if (column == RecordColumn::Status || column == RecordColumn::Row || column == RecordColumn::Result) {
            const RowCells cells = cellsOf(m_workspace);
            const RowIssue issue = cells.issue(row);
            return issue == RowIssue::None ? cells.text(row, column)
                                           : tr("%1, cannot be sent: %2").arg(cells.text(row, column), cells.issueMessage(row));
        }
        return cellsOf(m_workspace).text(row, column);
    case StoreRowRole:
        return row;
    case DisplayStatusRole:
        return int(cellsOf(m_workspace).status(row));
    case IssueRole:
        return int(m_workspace->issue(row));
    default:
        return {};
    }
}

QVariant RecordsModel::toolTip(int row, RecordColumn column) const
{
    const RowCells cells = cellsOf(m_workspace);
    const RowIssue issue = cells.issue(row);
    const QString issueText = issue == RowIssue::None ? QString() : cells.issueMessage(row);
    switch (column) {
    case RecordColumn::Row:
    case RecordColumn::PartitionKey:
    case RecordColumn::ExplicitHashKey:
    case RecordColumn::Size:
        if (!issueText.isEmpty())
            return issueText;
        if (column == RecordColumn::ExplicitHashKey && m_workspace->store().hasExplicitHashKey(row))
            return tr("Routes by this hash key instead of the MD5 of the partition key.");
        return {};
    case RecordColumn::Data: {
        const QByteArrayView data = m_workspace->store().data(row);
        return QVariant(tr("%1\n\n%2 bytes%3")
            .arg(RecordText::preview(data, 400), QLocale().toString(data.size()),
                 RecordText::isText(data.first(std::min<qsizetype>(data.size(), 4096)), data.size() > 4096)
                     ? QString()
                     : tr(", binary")));
    }
    case RecordColumn::HashKey:
        return m_workspace->store().hasExplicitHashKey(row)
            ? tr("The explicit hash key: it decides the shard.")
            : tr("MD5 of the partition key's UTF-8 bytes, read as a 128-bit number: it decides the shard.");
    case RecordColumn::PredictedShard:
        return m_workspace->hasStreamMap() ? tr("The shard of %1 whose hash key range holds this row's hash key.")
                                                 .arg(m_workspace->streamName())
                                           : tr("The shard this row would land on in a virtual stream of %1 shards.")
                                                 .arg(QLocale().toString(m_workspace->shardMap().openShardCount()));
    case RecordColumn::Status: {
        const DisplayStatus status = cells.status(row);
        QString tip = RowCells::statusToolTip(status);
        const QString message = cells.errorMessage(row);
        if (!message.isEmpty())
            tip += QLatin1Char('\n') + message;
        return tip;
    }
    case RecordColumn::ActualShard:
        if (cells.shardMismatch(row))
            return tr("Landed on %1, but %2 was predicted: the stream was resharded since its shards were listed, "
                      "or the endpoint ignores ExplicitHashKey.")
                .arg(m_workspace->results().shardId(row), m_workspace->results().predictedShardId(row));
        return {};
    case RecordColumn::ErrorCode:
    case RecordColumn::ErrorMessage: {
        const QString message = cells.errorMessage(row);
        return message.isEmpty() ? QVariant() : QVariant(message);
    }
    case RecordColumn::Shard: {
        const QString predicted = cells.predictedShardId(row);
        const QString actual = m_workspace->results().shardId(row);
        if (cells.shardMismatch(row))
            return tr("Landed on %1, but %2 was predicted: the stream was resharded since its shards were listed, "
                      "or the endpoint ignores ExplicitHashKey.")
                .arg(actual, m_workspace->results().predictedShardId(row));
        if (!actual.isEmpty())
            return tr("Landed on %1, as predicted.").arg(actual);
        if (predicted.isEmpty())
            return {};
        return m_workspace->hasStreamMap() ? tr("Predicted: %1 of %2.").arg(predicted, m_workspace->streamName())
                                           : tr("Predicted: %1 of a virtual stream of %2 shards.")
                                                 .arg(predicted, QLocale().toString(m_workspace->shardMap().openShardCount()));
    }
    case RecordColumn::Result: {
        const DisplayStatus status = cells.status(row);
        QString tip = RowCells::statusText(status) + QStringLiteral(": ") + RowCells::statusToolTip(status);
        const QString sequence = m_workspace->results().sequenceNumber(row);
        if (!sequence.isEmpty())
            tip += QLatin1Char('\n') + tr("Sequence number %1").arg(sequence);
        const QString code = cells.errorCode(row);
        if (!code.isEmpty())
            tip += QLatin1Char('\n') + code + QStringLiteral(": ") + cells.errorMessage(row);
        const int attempts = m_workspace->results().attemptCount(row);
        if (attempts > 1)
            tip += QLatin1Char('\n') + tr("%1 attempts").arg(QLocale().toString(attempts));
        return tip;
    }
    case RecordColumn::KinesisRecord:
    case RecordColumn::SubSequence: {
        const send::SendResults &results = m_workspace->results();
        if (results.subSequence(row) < 0)
            return {};
        return tr("Sent inside one KPL aggregated Kinesis record with %1 user records, the first of them row %2; "
                  "this row is its user record %3 (sub-sequence number %4). Consumers that de-aggregate (KCL, the "
                  "Lambda helpers) see it with the Kinesis record's sequence number and this sub-sequence number.")
            .arg(QLocale().toString(results.aggregateSize(row)))
            .arg(results.aggregateFirstRow(row) + 1)
            .arg(results.subSequence(row) + 1)
            .arg(results.subSequence(row));
    }
    case RecordColumn::SequenceNumber:
    case RecordColumn::Attempts:
        return {};
    }
    return {};
}

QVariant RecordsModel::decoration(int row, RecordColumn column) const
{
    switch (column) {
    case RecordColumn::Row:
        return m_workspace->issue(row) != RowIssue::None ? QVariant(Icons::issue()) : QVariant();
    case RecordColumn::Status:
    case RecordColumn::Result:
        return Icons::status(cellsOf(m_workspace).status(row));
    case RecordColumn::Shard:
    case RecordColumn::ActualShard:
        return m_workspace->results().shardMismatch(row) ? QVariant(Icons::mismatch()) : QVariant();
    default:
        return {};
    }
}

QVariant RecordsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= kRecordColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    const auto column = RecordColumn(section);
    if (role == Qt::DisplayRole)
        return columnTitle(column);
    if (role == Qt::ToolTipRole)
        return columnToolTip(column);
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    return {};
}

QString RecordsModel::columnTitle(RecordColumn column)
{
    switch (column) {
    case RecordColumn::Row: return tr("#");
    case RecordColumn::PartitionKey: return tr("Partition key");
    case RecordColumn::ExplicitHashKey: return tr("Explicit hash key");
    case RecordColumn::Data: return tr("Data");
    case RecordColumn::Size: return tr("Size");
    case RecordColumn::HashKey: return tr("Hash key");
    case RecordColumn::PredictedShard: return tr("Predicted shard");
    case RecordColumn::Status: return tr("Status");
    case RecordColumn::ActualShard: return tr("Actual shard");
    case RecordColumn::SequenceNumber: return tr("Sequence number");
    case RecordColumn::ErrorCode: return tr("Error code");
    case RecordColumn::ErrorMessage: return tr("Error message");
    case RecordColumn::Attempts: return tr("Attempts");
    case RecordColumn::Shard: return tr("Shard");
    case RecordColumn::Result: return tr("Result");
    case RecordColumn::KinesisRecord: return tr("Kinesis record");
    case RecordColumn::SubSequence: return tr("Sub-sequence");
    }
    return {};
}

QString RecordsModel::columnToolTip(RecordColumn column)
{
    switch (column) {
    case RecordColumn::Row: return tr("The row's place in the workspace.");
    case RecordColumn::PartitionKey:
        return tr("Partition key: 1 to 256 characters. Kinesis hashes it with MD5 to pick the shard, so records with "
                  "the same key land on the same shard, in order.");
    case RecordColumn::ExplicitHashKey:
        return tr("Explicit hash key (optional): a number from 0 to 2^128-1 that picks the shard directly, instead of "
                  "the MD5 of the partition key.");
    case RecordColumn::Data: return tr("The record's bytes (a preview; binary bytes show as \\xHH).");
    case RecordColumn::Size:
        return tr("Bytes counted against the limits: UTF-8 partition key + data (1 MiB per record unless the stream "
                  "allows more).");
    case RecordColumn::HashKey:
        return tr("The 128-bit number that routes the record: the explicit hash key, or MD5 of the partition key.");
    case RecordColumn::PredictedShard:
        return tr("Shard: a slice of the 0 .. 2^128-1 hash key space with its own write limit of 1,000 records/s "
                  "and 1 MiB/s. This is where the record should land.");
    case RecordColumn::Status: return tr("Where the row stands: pending, queued, sending, succeeded, throttled, failed...");
    case RecordColumn::ActualShard: return tr("The shard the stream reported after writing the record.");
    case RecordColumn::SequenceNumber: return tr("The record's position in its shard, given by the stream.");
    case RecordColumn::ErrorCode:
        return tr("Why the row was not written. ProvisionedThroughputExceededException means throttling: the shard "
                  "was over its write limit; retrying later usually works.");
    case RecordColumn::ErrorMessage: return tr("The full error message.");
    case RecordColumn::Attempts: return tr("How many times the row was sent (retries included).");
    case RecordColumn::Shard:
        return tr("The shard, numbered from 0 as in its id (2 is shardId-000000000002): where the record landed once "
                  "written, else where it should land. \"3 ≠ 2\" means it landed on 3 although 2 was predicted.");
    case RecordColumn::Result:
        return tr("The outcome at a glance: the last digits of the sequence number once written, the error code when "
                  "not, else where the row stands (pending, queued, sending...).");
    case RecordColumn::KinesisRecord:
        return tr("Rows sent aggregated (KPL format): the Kinesis record the row went into, named by the row of its "
                  "first user record. Empty for rows sent as plain records.");
    case RecordColumn::SubSequence:
        return tr("Rows sent aggregated (KPL format): the row's place inside its Kinesis record, from 0, the "
                  "sub-sequence number de-aggregating consumers see.");
    }
    return {};
}

Qt::ItemFlags RecordsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    const auto column = RecordColumn(index.column());
    if (m_workspace->isLocked() || !isEditableColumn(column) || index.row() >= rowCount())
        return f;
    if (column == RecordColumn::Data) {
        const QByteArrayView data = m_workspace->store().data(storeRow(index.row()));
        if (data.size() > kInlineEditLimit || !RecordText::isText(data))
            return f;
    }
    return f | Qt::ItemIsEditable;
}

bool RecordsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const int row = storeRow(index.row());
    const QString text = value.toString();
    switch (RecordColumn(index.column())) {
    case RecordColumn::PartitionKey:
        m_workspace->setPartitionKey(row, text);
        return true;
    case RecordColumn::ExplicitHashKey:
        m_workspace->setExplicitHashKeyText(row, text);
        return true;
    case RecordColumn::Data:
        m_workspace->setData(row, text.toUtf8());
        return true;
    default:
        return false;
    }
}

void RecordsModel::sort(int column, Qt::SortOrder order)
{
    if (column >= kRecordColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    requestOrdering();
}

void RecordsModel::setFilter(const RowFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    requestOrdering();
}

void RecordsModel::refresh()
{
    if (needsOrdering() || !m_identity)
        requestOrdering();
}

bool RecordsModel::needsOrdering() const
{
    return m_sortColumn >= 0 || !m_filter.isEmpty();
}

void RecordsModel::requestOrdering()
{
    if (m_cancel)
        m_cancel->store(true);
    const quint64 generation = ++m_generation;
    if (!needsOrdering()) {
        m_ordering = false;
        if (!m_identity)
            switchToIdentity();
        Q_EMIT orderingFinished();
        return;
    }
    auto snapshot = std::make_shared<const RowSnapshot>(m_workspace->snapshot());
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    const RowFilter filter = m_filter;
    const int column = m_sortColumn;
    const Qt::SortOrder order = m_sortOrder;
    auto *watcher = new QFutureWatcher<RowOrder>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        RowOrder order = watcher->future().takeResult();
        if (order.structureVersion != m_workspace->structureVersion()) {
            requestOrdering();
            return;
        }
        m_ordering = false;
        applyOrder(std::move(order));
        Q_EMIT orderingFinished();
    });
    watcher->setFuture(QtConcurrent::run([snapshot, filter, column, order, cancel] {
        return RowOrdering::compute(*snapshot, filter, column, order, [cancel] { return cancel->load(); });
    }));
    if (!m_ordering) {
        m_ordering = true;
        Q_EMIT orderingStarted();
    }
}

void RecordsModel::applyOrder(RowOrder order)
{
    flushPendingChanges();
    changeLayout(
        [&](int oldRow) {
            const int store = oldRow < rowCount() ? storeRow(oldRow) : -1;
            return store >= 0 && size_t(store) < order.inverse.size() ? order.inverse[size_t(store)] : -1;
        },
        [&] {
            m_visible = std::move(order.visible);
            m_inverse = std::move(order.inverse);
            m_identity = false;
        });
}

void RecordsModel::switchToIdentity()
{
    flushPendingChanges();
    changeLayout([&](int oldRow) { return oldRow < rowCount() ? storeRow(oldRow) : -1; },
                 [&] {
                     m_visible = {};
                     m_inverse = {};
                     m_identity = true;
                 });
}

void RecordsModel::changeLayout(const std::function<int(int)> &newRowOf, const std::function<void()> &swapIn)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &old : from) {
        const int row = newRowOf(old.row());
        to.append(row < 0 ? QModelIndex() : createIndex(row, old.column()));
    }
    swapIn();
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
}

void RecordsModel::rebuildInverse()
{
    m_inverse.assign(size_t(m_workspace->rowCount()), -1);
    for (size_t i = 0; i < m_visible.size(); ++i)
        m_inverse[size_t(m_visible[i])] = int(i);
}

void RecordsModel::markDirty(const QList<int> &storeRows)
{
    const bool spanning = m_dirtySpanFirst <= m_dirtySpanLast;
    if (m_allDirty) {
        // Everything flushes anyway.
    } else if (spanning || m_dirty.size() + size_t(storeRows.size()) > size_t(kMaxDirtyRows)) {
        // Rows are shown where they are until the next flush (layout changes flush first), so
        // the span can be taken in shown rows now.
        const auto widen = [this](int store) {
            const int row = visibleRow(store);
            if (row < 0)
                return;
            if (m_dirtySpanFirst > m_dirtySpanLast) {
                m_dirtySpanFirst = m_dirtySpanLast = row;
            } else {
                m_dirtySpanFirst = std::min(m_dirtySpanFirst, row);
                m_dirtySpanLast = std::max(m_dirtySpanLast, row);
            }
        };
        for (int store : m_dirty)
            widen(store);
        std::vector<int>().swap(m_dirty);
        for (int store : storeRows)
            widen(store);
        if (m_dirtySpanFirst > m_dirtySpanLast)
            return; // none of them is shown
    } else {
        m_dirty.insert(m_dirty.end(), storeRows.begin(), storeRows.end());
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RecordsModel::flushPendingChanges()
{
    m_flushTimer.stop();
    const int spanFirst = m_dirtySpanFirst;
    const int spanLast = m_dirtySpanLast;
    m_dirtySpanFirst = 0;
    m_dirtySpanLast = -1;
    if (m_allDirty) {
        m_allDirty = false;
        m_dirty.clear();
        emitAllChanged();
        return;
    }
    if (spanFirst <= spanLast) {
        m_dirty.clear();
        Q_EMIT dataChanged(index(spanFirst, 0), index(spanLast, kRecordColumnCount - 1));
        return;
    }
    if (m_dirty.empty())
        return;
    std::vector<int> rows;
    rows.reserve(m_dirty.size());
    for (int store : m_dirty) {
        const int row = visibleRow(store);
        if (row >= 0)
            rows.push_back(row);
    }
    m_dirty.clear();
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    size_t i = 0;
    while (i < rows.size()) {
        size_t j = i + 1;
        while (j < rows.size() && rows[j] == rows[j - 1] + 1)
            ++j;
        Q_EMIT dataChanged(index(rows[i], 0), index(rows[j - 1], kRecordColumnCount - 1));
        i = j;
    }
}

void RecordsModel::emitChangedStoreRows(const QList<int> &storeRows)
{
    for (int store : storeRows) {
        const int row = visibleRow(store);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, kRecordColumnCount - 1));
    }
}

void RecordsModel::emitAllChanged()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, kRecordColumnCount - 1));
}

void RecordsModel::onAboutToReset()
{
    if (m_cancel)
        m_cancel->store(true);
    ++m_generation;
    m_dirty.clear();
    m_dirtySpanFirst = 0;
    m_dirtySpanLast = -1;
    m_allDirty = false;
    m_flushTimer.stop();
    beginResetModel();
}

void RecordsModel::onWasReset()
{
    m_visible.clear();
    m_inverse.clear();
    // With a filter or sort on, show nothing until the worker has the new order.
    m_identity = !needsOrdering();
    endResetModel();
    if (!m_identity)
        requestOrdering();
}

void RecordsModel::onAboutToInsert(int first, int count)
{
    flushPendingChanges();
    if (m_identity)
        beginInsertRows(QModelIndex(), first, first + count - 1);
}

void RecordsModel::emitRowNumbersChanged()
{
    // The # column is the row's place: the rows after an insertion or removal have new numbers.
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, int(RecordColumn::Row)), index(rowCount() - 1, int(RecordColumn::Row)),
                           {Qt::DisplayRole, Qt::AccessibleTextRole});
}

void RecordsModel::onInserted(int first, int count)
{
    if (m_identity) {
        endInsertRows();
        emitRowNumbersChanged();
        return;
    }
    // Where the new rows go: after the row before them, else where the row they push down was.
    int at = int(m_visible.size());
    if (first > 0 && size_t(first - 1) < m_inverse.size() && m_inverse[size_t(first - 1)] >= 0)
        at = m_inverse[size_t(first - 1)] + 1;
    else if (size_t(first) < m_inverse.size() && m_inverse[size_t(first)] >= 0)
        at = m_inverse[size_t(first)];
    for (int &store : m_visible)
        if (store >= first)
            store += count;
    beginInsertRows(QModelIndex(), at, at + count - 1);
    std::vector<int> added;
    added.resize(size_t(count));
    for (int i = 0; i < count; ++i)
        added[size_t(i)] = first + i;
    m_visible.insert(m_visible.begin() + at, added.begin(), added.end());
    rebuildInverse();
    endInsertRows();
    emitRowNumbersChanged();
    if (m_ordering)
        requestOrdering(); // the running worker saw the old rows
}

void RecordsModel::onAboutToRemove(int first, int count)
{
    flushPendingChanges();
    if (m_identity) {
        beginRemoveRows(QModelIndex(), first, first + count - 1);
        return;
    }
    std::vector<int> rows;
    for (int store = first; store < first + count; ++store) {
        const int row = visibleRow(store);
        if (row >= 0)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> ranges;
    for (int row : rows) {
        if (!ranges.empty() && ranges.back().second + 1 == row)
            ranges.back().second = row;
        else
            ranges.emplace_back(row, row);
    }
    if (ranges.size() <= 16) {
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            beginRemoveRows(QModelIndex(), it->first, it->second);
            m_visible.erase(m_visible.begin() + it->first, m_visible.begin() + it->second + 1);
            endRemoveRows();
        }
        return;
    }
    // Scattered over the view: one layout change instead of many removals.
    std::vector<int> newRowOf(m_visible.size(), -1);
    std::vector<int> kept;
    kept.reserve(m_visible.size());
    for (size_t i = 0; i < m_visible.size(); ++i) {
        if (m_visible[i] >= first && m_visible[i] < first + count)
            continue;
        newRowOf[i] = int(kept.size());
        kept.push_back(m_visible[i]);
    }
    changeLayout([&](int oldRow) { return size_t(oldRow) < newRowOf.size() ? newRowOf[size_t(oldRow)] : -1; },
                 [&] { m_visible = std::move(kept); });
}

void RecordsModel::onRemoved(int first, int count)
{
    if (m_identity) {
        endRemoveRows();
        emitRowNumbersChanged();
        return;
    }
    for (int &store : m_visible)
        if (store >= first + count)
            store -= count;
    rebuildInverse();
    emitRowNumbersChanged();
    if (m_ordering)
        requestOrdering();
}

} // namespace kwb::ui
