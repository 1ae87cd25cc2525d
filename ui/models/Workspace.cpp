#include "models/Workspace.h"

#include "commands/EditRowCommand.h"
#include "commands/InsertRowsCommand.h"
#include "commands/RemoveRowsCommand.h"
#include "SortedRows.h"

#include <QLocale>
#include <QUndoStack>

#include <algorithm>

namespace kwb::ui {

namespace {

QList<int> single(int row)
{
    return QList<int>{row};
}

} // namespace

Workspace::Workspace(QObject *parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
    m_undo->setUndoLimit(200);
    m_map = ShardMap::uniform(m_virtualShards).value();
}

Workspace::~Workspace() = default;

void Workspace::bumpContent()
{
    ++m_contentVersion;
    Q_EMIT contentChanged();
}

void Workspace::setStreamShardMap(const QString &stream, ShardMap map)
{
    if (stream.isEmpty() || map.isEmpty()) {
        m_streamName.clear();
        m_map = ShardMap::uniform(m_virtualShards).value();
    } else {
        m_streamName = stream;
        m_map = std::move(map);
    }
    bumpContent();
    Q_EMIT routingChanged();
}

void Workspace::setVirtualShardCount(int count)
{
    count = std::clamp(count, 1, ShardMap::kMaxVirtualShards);
    m_virtualShards = count;
    if (hasStreamMap())
        return;
    m_map = ShardMap::uniform(count).value();
    bumpContent();
    Q_EMIT routingChanged();
}

void Workspace::setMaxRecordBytes(qint64 bytes)
{
    if (bytes <= 0)
        bytes = limits::kDefaultMaxRecordBytes;
    if (bytes == m_maxRecordBytes)
        return;
    m_maxRecordBytes = bytes;
    bumpContent();
    Q_EMIT routingChanged();
}

QString Workspace::issueMessage(int row) const
{
    return rowIssueMessage(issue(row), m_store, row, m_maxRecordBytes, badExplicitHashKey(row));
}

QString Workspace::badExplicitHashKey(int row) const
{
    const auto it = m_bad.find(row);
    return it == m_bad.end() ? QString() : it->second;
}

void Workspace::setLocked(bool locked)
{
    if (locked == m_locked)
        return;
    m_locked = locked;
    Q_EMIT lockedChanged(locked);
}

RowContent Workspace::rowContent(int row) const
{
    return RowContent{m_store.partitionKeyUtf8(row).toByteArray(), m_store.data(row).toByteArray(),
                      m_store.optionalExplicitHashKey(row), badExplicitHashKey(row)};
}

bool Workspace::setRowContent(int row, const RowContent &content, const QString &description)
{
    if (m_locked || row < 0 || row >= rowCount())
        return false;
    RowContent before = rowContent(row);
    if (before == content)
        return false;
    m_undo->push(new EditRowCommand(this, row, std::move(before), content, RowOutcome::capture(m_results, row),
                                    description.isEmpty() ? tr("Edit row %1").arg(rowId(row) + 1) : description));
    return true;
}

bool Workspace::setPartitionKey(int row, const QString &key)
{
    if (row < 0 || row >= rowCount())
        return false;
    RowContent content = rowContent(row);
    content.partitionKey = key.toUtf8();
    return setRowContent(row, content, tr("Edit partition key of row %1").arg(rowId(row) + 1));
}

bool Workspace::setExplicitHashKeyText(int row, const QString &text)
{
    if (row < 0 || row >= rowCount())
        return false;
    RowContent content = rowContent(row);
    const QString trimmed = text.trimmed();
    content.explicitHashKey.reset();
    content.badExplicitHashKey.clear();
    if (!trimmed.isEmpty()) {
        auto parsed = parseHashKey(trimmed);
        if (parsed.ok())
            content.explicitHashKey = parsed.value();
        else
            content.badExplicitHashKey = trimmed;
    }
    return setRowContent(row, content, tr("Edit explicit hash key of row %1").arg(rowId(row) + 1));
}

bool Workspace::setData(int row, const QByteArray &data)
{
    if (row < 0 || row >= rowCount())
        return false;
    RowContent content = rowContent(row);
    content.data = data;
    return setRowContent(row, content, tr("Edit data of row %1").arg(rowId(row) + 1));
}

bool Workspace::insertRows(int row, std::vector<RowContent> rows, const QString &description)
{
    if (m_locked || rows.empty())
        return false;
    row = std::clamp(row, 0, rowCount());
    const int count = int(rows.size());
    m_undo->push(new InsertRowsCommand(this, row, std::move(rows),
                                       description.isEmpty() ? (count == 1 ? tr("Add row") : tr("Add %1 rows").arg(QLocale().toString(count)))
                                                             : description));
    return true;
}

int Workspace::duplicateRows(std::vector<int> rows)
{
    rows = sortedUniqueRows(std::move(rows), rowCount());
    if (m_locked || rows.empty())
        return -1;
    std::vector<RowContent> copies;
    copies.reserve(rows.size());
    for (int row : rows)
        copies.push_back(rowContent(row));
    const int at = rows.back() + 1;
    insertRows(at, std::move(copies),
               rows.size() == 1 ? tr("Duplicate row %1").arg(QLocale().toString(rows.front() + 1))
                                : tr("Duplicate %1 rows").arg(QLocale().toString(qint64(rows.size()))));
    return at;
}

bool Workspace::removeRows(std::vector<int> rows)
{
    rows = sortedUniqueRows(std::move(rows), rowCount());
    if (m_locked || rows.empty())
        return false;
    const QString text = rows.size() == 1 ? tr("Delete row %1").arg(QLocale().toString(rows.front() + 1))
                                        : tr("Delete %1 rows").arg(QLocale().toString(qint64(rows.size())));
    m_undo->push(new RemoveRowsCommand(this, std::move(rows), text));
    return true;
}

bool Workspace::undo()
{
    if (m_locked || !m_undo->canUndo())
        return false;
    m_undo->undo();
    return true;
}

bool Workspace::redo()
{
    if (m_locked || !m_undo->canRedo())
        return false;
    m_undo->redo();
    return true;
}

bool Workspace::loadRecords(RecordStore store)
{
    if (m_locked)
        return false;
    Q_EMIT aboutToReset();
    m_store = std::move(store);
    m_results = send::SendResults();
    m_results.resize(m_store.size());
    m_bad.clear();
    m_rowIds.resize(size_t(m_store.size()));
    for (size_t i = 0; i < m_rowIds.size(); ++i)
        m_rowIds[i] = qint64(i);
    m_nextRowId = qint64(m_rowIds.size());
    m_undo->clear();
    ++m_structureVersion;
    Q_EMIT wasReset();
    bumpContent();
    return true;
}

bool Workspace::appendRecords(const RecordStore &store)
{
    if (m_locked)
        return false;
    if (store.isEmpty())
        return true;
    const int first = rowCount();
    Q_EMIT rowsAboutToBeInserted(first, store.size());
    m_store.reserve(first + store.size());
    for (int row = 0; row < store.size(); ++row)
        m_store.appendHashed(store.partitionKeyUtf8(row), store.data(row), store.optionalExplicitHashKey(row),
                             store.hashKey(row));
    m_results.resize(m_store.size());
    for (int i = 0; i < store.size(); ++i)
        m_rowIds.push_back(m_nextRowId++);
    m_undo->clear();
    ++m_structureVersion;
    Q_EMIT rowsInserted(first, store.size());
    bumpContent();
    return true;
}

bool Workspace::clear()
{
    return loadRecords(RecordStore());
}

void Workspace::notifyOutcomesChanged(const QList<int> &rows)
{
    if (!rows.isEmpty())
        Q_EMIT outcomesChanged(rows);
}

void Workspace::notifyAllOutcomesChanged()
{
    Q_EMIT allOutcomesChanged();
}

RowSnapshot Workspace::snapshot() const
{
    return RowSnapshot{m_store, m_results, m_map, m_maxRecordBytes, m_bad, m_rowIds, m_structureVersion};
}

void Workspace::setContentNow(int row, const RowContent &content)
{
    if (m_store.partitionKeyUtf8(row) != QByteArrayView(content.partitionKey))
        m_store.setPartitionKey(row, content.partitionKey);
    if (m_store.data(row) != QByteArrayView(content.data))
        m_store.setData(row, content.data);
    if (m_store.optionalExplicitHashKey(row) != content.explicitHashKey)
        m_store.setExplicitHashKey(row, content.explicitHashKey);
    if (content.badExplicitHashKey.isEmpty())
        m_bad.erase(row);
    else
        m_bad[row] = content.badExplicitHashKey;
}

void Workspace::applyContent(int row, const RowContent &content, const std::optional<RowOutcome> &outcome)
{
    setContentNow(row, content);
    if (outcome) {
        outcome->restore(m_results, row);
    } else {
        m_results.clearOutcome(row);
        m_results.setStatus(row, send::RowStatus::Pending);
        m_results.setVerifyState(row, send::VerifyState::NotVerified);
    }
    Q_EMIT recordsEdited(single(row));
    bumpContent();
}

std::vector<qint64> Workspace::insertNow(int row, const std::vector<RowContent> &rows,
                                         const std::vector<RowOutcome> *outcomes, const std::vector<qint64> *ids)
{
    if (rows.empty())
        return {};
    row = std::clamp(row, 0, rowCount());
    const int count = int(rows.size());
    Q_EMIT rowsAboutToBeInserted(row, count);
    shiftBadForInsert(row, count);
    // Appended, then moved into place as one block: one pass over the rows after `row`.
    m_store.reserve(rowCount() + count);
    for (const RowContent &c : rows)
        m_store.append(c.partitionKey, c.data, c.explicitHashKey);
    m_results.resize(m_store.size());
    m_store.moveTailTo(row, count);
    m_results.moveTailTo(row, count);
    for (int i = 0; i < count; ++i) {
        const RowContent &c = rows[size_t(i)];
        if (!c.badExplicitHashKey.isEmpty())
            m_bad[row + i] = c.badExplicitHashKey;
        if (outcomes)
            (*outcomes)[size_t(i)].restore(m_results, row + i);
    }
    std::vector<qint64> used(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        used[size_t(i)] = ids ? (*ids)[size_t(i)] : m_nextRowId++;
    m_rowIds.insert(m_rowIds.begin() + row, used.begin(), used.end());
    ++m_structureVersion;
    Q_EMIT rowsInserted(row, count);
    bumpContent();
    return used;
}

void Workspace::removeNow(const std::vector<int> &sortedRows)
{
    if (sortedRows.empty())
        return;
    std::vector<std::pair<int, int>> ranges; // first, count
    for (int row : sortedRows) {
        if (!ranges.empty() && ranges.back().first + ranges.back().second == row)
            ++ranges.back().second;
        else
            ranges.emplace_back(row, 1);
    }
    if (int(ranges.size()) > kRangewiseRemoveLimit) {
        Q_EMIT aboutToReset();
        m_store.removeRows(sortedRows);
        m_results.removeRows(sortedRows);
        shiftBadForRemove(sortedRows);
        removeIds(sortedRows);
        ++m_structureVersion;
        Q_EMIT wasReset();
        bumpContent();
        return;
    }
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
        const auto [first, count] = *it;
        std::vector<int> range(static_cast<size_t>(count));
        for (int i = 0; i < count; ++i)
            range[size_t(i)] = first + i;
        Q_EMIT rowsAboutToBeRemoved(first, count);
        m_store.removeRows(range);
        m_results.removeRows(range);
        shiftBadForRemove(range);
        m_rowIds.erase(m_rowIds.begin() + first, m_rowIds.begin() + first + count);
        ++m_structureVersion;
        Q_EMIT rowsRemoved(first, count);
    }
    bumpContent();
}

void Workspace::restoreState(State state)
{
    Q_EMIT aboutToReset();
    m_store = std::move(state.store);
    m_results = std::move(state.results);
    m_bad = std::move(state.bad);
    m_rowIds = std::move(state.ids);
    m_nextRowId = state.nextId;
    ++m_structureVersion;
    Q_EMIT wasReset();
    bumpContent();
}

bool Workspace::loadState(State state)
{
    if (m_locked)
        return false;
    restoreState(std::move(state));
    m_undo->clear();
    return true;
}

void Workspace::compactStorage()
{
    RecordStore store;
    store.reserve(rowCount());
    send::SendResults results;
    results.resize(rowCount());
    for (int row = 0; row < rowCount(); ++row) {
        store.appendHashed(m_store.partitionKeyUtf8(row), m_store.data(row), m_store.optionalExplicitHashKey(row),
                           m_store.hashKey(row));
        RowOutcome::capture(m_results, row).restore(results, row);
        results.setStatus(row, m_results.status(row)); // queued and in flight too, as they were
    }
    m_store = std::move(store);
    m_results = std::move(results);
}

void Workspace::shiftBadForInsert(int row, int count)
{
    if (m_bad.empty())
        return;
    std::map<int, QString> shifted;
    for (auto &[r, text] : m_bad)
        shifted.emplace(r >= row ? r + count : r, std::move(text));
    m_bad = std::move(shifted);
}

void Workspace::removeIds(const std::vector<int> &sortedRows)
{
    eraseSortedRows(m_rowIds, sortedRows);
}

void Workspace::shiftBadForRemove(const std::vector<int> &sortedRows)
{
    if (m_bad.empty())
        return;
    std::map<int, QString> shifted;
    for (auto &[r, text] : m_bad) {
        const auto below = std::lower_bound(sortedRows.begin(), sortedRows.end(), r);
        if (below != sortedRows.end() && *below == r)
            continue;
        shifted.emplace(r - int(below - sortedRows.begin()), std::move(text));
    }
    m_bad = std::move(shifted);
}

} // namespace kwb::ui
