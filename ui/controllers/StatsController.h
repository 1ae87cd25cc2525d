#pragma once

#include "models/WorkspaceStats.h"

#include <QObject>
#include <QTimer>

namespace kwb::ui {

class Workspace;

/// Keeps WorkspaceStats up to date: after any change to the workspace's records or routing (and
/// when asked after a send), it waits kDebounceMs for the burst to end, then counts the live
/// workspace on the GUI thread in slices of at most kSliceMs, one per event-loop turn, so input
/// and painting go on in between. No snapshot: copying a million rows' columns for a worker cost
/// the GUI thread more (60-190 ms of copying and page faults, in one piece) than counting them
/// (~25 ms, in slices). A count that sees the records or the routing change under it starts over;
/// send outcomes arriving meanwhile are counted as they are (a send ends with a fresh count).
/// Lives on the GUI thread; does not own the workspace.
class StatsController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 150;
    /// The longest one slice of counting holds the GUI thread.
    static constexpr int kSliceMs = 4;

    explicit StatsController(Workspace *workspace, QObject *parent = nullptr);
    ~StatsController() override;

    const WorkspaceStats &stats() const { return m_stats; }
    /// Counts again after the debounce.
    void requestUpdate();
    /// Starts counting again right away.
    void updateNow();
    /// True while a count is under way.
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void statsChanged(const kwb::ui::WorkspaceStats &stats);

private:
    void countSlice();

    Workspace *m_workspace;
    WorkspaceStats m_stats;
    WorkspaceStats m_counting; ///< the count under way
    quint64 m_countingContent = 0; ///< the workspace's contentVersion() it started from
    int m_nextRow = 0;
    QTimer m_debounce;
    QTimer m_slice;
    bool m_busy = false;
};

} // namespace kwb::ui
