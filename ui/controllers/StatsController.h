#pragma once

#include "models/WorkspaceStats.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace kwb::ui {

class Workspace;

/// Keeps WorkspaceStats up to date: after any change to the workspace's records or routing (and
/// when asked after a send), it waits kDebounceMs for the burst to end, then counts on a snapshot
/// in the thread pool. A generation token drops results that a newer request overtook.
/// Lives on the GUI thread; does not own the workspace.
class StatsController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 150;

    explicit StatsController(Workspace *workspace, QObject *parent = nullptr);
    ~StatsController() override;

    const WorkspaceStats &stats() const { return m_stats; }
    /// Counts again after the debounce.
    void requestUpdate();
    /// Counts again right away.
    void updateNow();
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void statsChanged(const kwb::ui::WorkspaceStats &stats);

private:
    Workspace *m_workspace;
    WorkspaceStats m_stats;
    QTimer m_debounce;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_busy = false;
};

} // namespace kwb::ui
