#include "controllers/StatsController.h"

#include "models/Workspace.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace kwb::ui {

StatsController::StatsController(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &StatsController::updateNow);
    connect(workspace, &Workspace::contentChanged, this, &StatsController::requestUpdate);
    connect(workspace, &Workspace::allOutcomesChanged, this, &StatsController::requestUpdate);
}

StatsController::~StatsController()
{
    if (m_cancel)
        m_cancel->store(true);
}

void StatsController::requestUpdate()
{
    m_debounce.start();
}

void StatsController::updateNow()
{
    m_debounce.stop();
    if (m_cancel)
        m_cancel->store(true);
    const quint64 generation = ++m_generation;
    auto snapshot = std::make_shared<const RowSnapshot>(m_workspace->snapshot());
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    m_busy = true;
    auto *watcher = new QFutureWatcher<WorkspaceStats>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_busy = false;
        m_stats = watcher->future().takeResult();
        Q_EMIT statsChanged(m_stats);
    });
    watcher->setFuture(QtConcurrent::run([snapshot, cancel] {
        return WorkspaceStats::compute(*snapshot, [cancel] { return cancel->load(); });
    }));
}

} // namespace kwb::ui
