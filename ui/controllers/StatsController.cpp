#include "controllers/StatsController.h"

#include "models/RowCells.h"
#include "models/Workspace.h"

#include <QElapsedTimer>

namespace kwb::ui {

namespace {

/// Rows counted between two looks at the clock (~0.2 ms).
constexpr int kRowsPerCheck = 4096;

} // namespace

StatsController::StatsController(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &StatsController::updateNow);
    m_slice.setSingleShot(true);
    m_slice.setInterval(0);
    connect(&m_slice, &QTimer::timeout, this, &StatsController::countSlice);
    connect(workspace, &Workspace::contentChanged, this, &StatsController::requestUpdate);
    connect(workspace, &Workspace::allOutcomesChanged, this, &StatsController::requestUpdate);
}

StatsController::~StatsController() = default;

void StatsController::requestUpdate()
{
    m_debounce.start();
}

void StatsController::updateNow()
{
    m_debounce.stop();
    m_slice.stop(); // a slice of the count this one replaces must not run after it
    m_counting = WorkspaceStats::forMap(m_workspace->shardMap());
    m_counting.structureVersion = m_workspace->structureVersion();
    m_countingContent = m_workspace->contentVersion();
    m_nextRow = 0;
    m_busy = true;
    countSlice();
}

void StatsController::countSlice()
{
    if (m_workspace->structureVersion() != m_counting.structureVersion || m_workspace->contentVersion() != m_countingContent) {
        // Rows or routing changed between slices: start over once the change's own request
        // (debounced, like any burst of changes) comes due.
        if (!m_debounce.isActive())
            requestUpdate();
        return;
    }
    QElapsedTimer clock;
    clock.start();
    const Workspace &w = *m_workspace;
    const RowCells cells(w.store(), w.results(), w.shardMap(), w.maxRecordBytes(), w.badExplicitHashKeys(), w.rowIds());
    const int rows = w.rowCount();
    while (m_nextRow < rows) {
        const int last = std::min(rows, m_nextRow + kRowsPerCheck);
        m_counting.count(cells, w.store(), w.results(), w.shardMap(), m_nextRow, last);
        m_nextRow = last;
        if (clock.nsecsElapsed() >= qint64(kSliceMs) * 1000000)
            break;
    }
    if (m_nextRow < rows) {
        m_slice.start();
        return;
    }
    m_busy = false;
    m_stats = std::move(m_counting);
    m_counting = WorkspaceStats();
    Q_EMIT statsChanged(m_stats);
}

} // namespace kwb::ui
