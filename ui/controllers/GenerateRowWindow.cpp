#include "GenerateRowWindow.h"

#include "models/RowContent.h"
#include "models/RowOutcome.h"
#include "models/Workspace.h"

#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <utility>

namespace kwb::ui {

GenerateRowWindow::GenerateRowWindow(GenerateController *run, Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_run(run)
    , m_workspace(workspace)
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setInterval(kFlushMs);
    connect(m_flushTimer, &QTimer::timeout, this, &GenerateRowWindow::flush);
    run->setStartGuard([this]() -> QString {
        if (m_workspace && m_workspace->isLocked())
            return tr("The rows are busy (a send or an import is going): wait for it, or stop it, first.");
        return {};
    });
    connect(run, &GenerateController::stateChanged, this, [this](GenerateController::State state) {
        if (state == GenerateController::State::Running && !m_active)
            begin();
        else if (state == GenerateController::State::Idle)
            end();
    });
    connect(run, &GenerateController::chunkAdded, this, &GenerateRowWindow::onChunk);
    connect(run, &GenerateController::rowsUpdated, this, &GenerateRowWindow::onRows);
}

void GenerateRowWindow::begin()
{
    if (!m_workspace || m_workspace->isLocked())
        return;
    m_active = true;
    m_ids.clear();
    m_index.clear();
    m_final.clear();
    m_dropped = 0;
    m_droppedSinceCompact = 0;
    m_compactions = 0;
    m_dirty.clear();
    m_workspace->undoStack()->clear();
    m_workspace->setLocked(true);
    m_flushTimer->start();
}

void GenerateRowWindow::end()
{
    if (!m_active)
        return;
    flush();
    m_active = false;
    m_flushTimer->stop();
    if (m_workspace)
        m_workspace->setLocked(false);
}

void GenerateRowWindow::onChunk(const send::RecordChunk &chunk)
{
    if (!m_active || !m_workspace)
        return;
    const int count = chunk.store.size();
    if (count == 0)
        return;
    if (!m_index.empty() && chunk.firstIndex <= m_index.back())
        return end(); // not the next records: nothing to mirror them against
    flush(); // rows final since the last flush make room first: the bound holds at every insert
    std::vector<RowContent> rows;
    rows.reserve(size_t(count));
    for (int row = 0; row < count; ++row)
        rows.push_back(RowContent{chunk.store.partitionKeyUtf8(row).toByteArray(), chunk.store.data(row).toByteArray(),
                                  chunk.store.optionalExplicitHashKey(row), QString()});
    const int first = m_workspace->rowCount();
    const std::vector<qint64> ids = m_workspace->insertNow(first, rows);
    send::SendResults &results = m_workspace->mutableResults();
    QList<int> changed;
    for (int i = 0; i < count; ++i) {
        m_ids.push_back(ids[size_t(i)]);
        m_index.push_back(chunk.firstIndex + i);
        m_final.push_back(false);
        results.setStatus(first + i, send::RowStatus::Queued);
        changed.append(first + i);
    }
    m_workspace->notifyOutcomesChanged(changed);
}

int GenerateRowWindow::rowOf(qint64 runIndex)
{
    const auto found = std::lower_bound(m_index.begin(), m_index.end(), runIndex);
    if (!m_workspace || found == m_index.end() || *found != runIndex)
        return -1;
    const auto k = found - m_index.begin();
    const int row = m_workspace->rowCount() - int(m_ids.size()) + int(k);
    if (row < 0 || m_workspace->rowId(row) != m_ids[size_t(k)]) {
        end();
        return -1;
    }
    return row;
}

void GenerateRowWindow::onRows(const send::RecordChunk &chunk, const QList<int> &rows, bool chunkFinal)
{
    if (!m_active || !m_workspace)
        return;
    send::SendResults &results = m_workspace->mutableResults();
    for (int r : rows) {
        const qint64 index = chunk.indexOf(r);
        const int row = rowOf(index);
        if (row < 0) {
            if (!m_active)
                return;
            continue; // dropped already: it was final
        }
        RowOutcome::capture(chunk.results, r).restore(results, row);
        const send::RowStatus status = chunk.results.status(r);
        results.setStatus(row, status);
        m_final[size_t(row - (m_workspace->rowCount() - int(m_ids.size())))] = GenerateController::isFinal(status, chunkFinal);
        m_dirty.append(row);
    }
}

void GenerateRowWindow::flush()
{
    if (!m_active || !m_workspace)
        return;
    if (!m_dirty.isEmpty()) {
        const int first = m_workspace->rowCount() - int(m_ids.size());
        QList<int> rows;
        rows.reserve(m_dirty.size());
        for (int row : std::as_const(m_dirty))
            if (row >= first) // rows dropped since are gone
                rows.append(row);
        m_dirty.clear();
        m_workspace->notifyOutcomesChanged(rows);
    }
    // Rows older than the newest `window` go once final; one retrying row does not hold back the
    // rest, and the newest rows stay even when they are final before older ones.
    const size_t window = size_t(m_run->windowRows());
    if (m_ids.size() <= window)
        return;
    const size_t older = m_ids.size() - window;
    std::vector<size_t> goneAt;
    for (size_t k = 0; k < older; ++k)
        if (m_final[k])
            goneAt.push_back(k);
    const size_t drop = goneAt.size();
    if (drop == 0)
        return;
    const int first = m_workspace->rowCount() - int(m_ids.size());
    std::vector<int> gone;
    gone.reserve(drop);
    for (size_t k : goneAt)
        gone.push_back(first + int(k));
    m_workspace->removeNow(gone);
    if (goneAt.back() == drop - 1) { // the usual case: the oldest rows, one block
        m_ids.erase(m_ids.begin(), m_ids.begin() + qsizetype(drop));
        m_index.erase(m_index.begin(), m_index.begin() + qsizetype(drop));
        m_final.erase(m_final.begin(), m_final.begin() + qsizetype(drop));
    } else {
        size_t kept = 0;
        for (size_t k = 0, g = 0; k < m_ids.size(); ++k) {
            if (g < drop && goneAt[g] == k) {
                ++g;
                continue;
            }
            m_ids[kept] = m_ids[k];
            m_index[kept] = m_index[k];
            m_final[kept] = m_final[k];
            ++kept;
        }
        m_ids.resize(kept);
        m_index.resize(kept);
        m_final.resize(kept);
    }
    m_dropped += qint64(drop);
    m_droppedSinceCompact += qint64(drop);
    if (m_droppedSinceCompact > std::max<qint64>(m_workspace->rowCount(), 1000)) {
        m_workspace->compactStorage();
        m_droppedSinceCompact = 0;
        ++m_compactions;
    }
}

} // namespace kwb::ui
