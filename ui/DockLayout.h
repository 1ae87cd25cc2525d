#pragma once

#include <QKeySequence>
#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;

namespace kwb::ui {

/// Where the main window's docks go: the first-launch layout (the Record dock above the Shard
/// map, the Journey as a tab behind the Record dock, the Sandbox, the Request log and Generate as
/// tabs behind the Shard map, sized so the editor
/// and the table get the room; the Live stream dock under the table, closed at first launch),
/// View ▸ Reset layout, and the View menu's dock actions (show and
/// raise a dock, hide it only when it is in front). GUI thread; owned by the window, does not
/// own the docks.
class DockLayout : public QObject
{
    Q_OBJECT
public:
    DockLayout(QMainWindow *window, QDockWidget *editor, QDockWidget *shards, QDockWidget *log);

    /// The built-in sandbox's dock, once there is one: a tab behind the Shard map.
    void setSandboxDock(QDockWidget *dock);
    /// The Journey dock: a tab behind the Record dock, which stays in front.
    void setJourneyDock(QDockWidget *dock);
    /// The Generate dock: a tab behind the Shard map, which stays in front.
    void setGenerateDock(QDockWidget *dock);
    /// The Live stream dock: under the table (the right column keeps its full height), a third
    /// of the window high. Closed at first launch (a new user has no stream to read yet, and the
    /// table keeps its room); Reset layout docks it there again and leaves it open or closed.
    void setLiveDock(QDockWidget *dock);
    void applyDefault();
    /// The first-launch sizes (they take once the window has its size).
    void sizeDefault();
    /// A checkable action for the View menu, a child of the window, checked while the dock is open.
    QAction *makeDockAction(QDockWidget *dock, const char *name, const QKeySequence &shortcut);
    /// The View menu's entries, in its order, for the docks placed here at first launch: Record
    /// (Ctrl+1), Shard map (Ctrl+2), Request log (Ctrl+3), Journey (Ctrl+J), Generate (Ctrl+Shift+G).
    QList<QAction *> makeDockActions();
    /// What a dock's shortcut does: shows and raises it, and hides it only when it is in front.
    static void showOrHide(QDockWidget *dock);

private:
    QMainWindow *m_window;
    QDockWidget *m_editor;
    QDockWidget *m_shards;
    QDockWidget *m_log;
    QPointer<QDockWidget> m_sandbox;
    QPointer<QDockWidget> m_journey;
    QPointer<QDockWidget> m_generate;
    QPointer<QDockWidget> m_live;
};

} // namespace kwb::ui
