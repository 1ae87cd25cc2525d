#pragma once

#include <QKeySequence>
#include <QObject>

class QAction;
class QMainWindow;
class QMenu;

namespace kwb::ui {

class ConnectionPresenter;
class DocumentActions;
class DockLayout;
class FileActions;
class FilterBar;
class PresenterMode;
class RecentFilesMenu;
class RecordEditorPanel;
class RecordsView;
class RowActions;
class SendActions;
class SendBar;
class SendController;
class SessionController;
class StreamController;
class Workspace;

/// The window's commands: each named action (text, shortcut, icon, a tool tip naming the
/// shortcut), what it triggers in the part that owns the behaviour, where it appears (the menu
/// bar, the table's context menu, the send bar) and when it is enabled (the workspace locked, a
/// send running, a save or open busy, rows selected, a target ready). The actions are the
/// window's children, so the window finds them by name. GUI thread; owned by the window, owns
/// none of the parts.
class WindowActions : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        QMainWindow *window;
        Workspace *workspace;
        SessionController *session;
        DocumentActions *document;
        FileActions *files;
        RowActions *rows;
        SendActions *sends;
        SendController *sender;
        StreamController *streams;
        ConnectionPresenter *connection;
        RecordsView *view;
        FilterBar *filterBar;
        RecordEditorPanel *editor;
        SendBar *sendBar;
        DockLayout *docks;
        PresenterMode *presenter;
    };
    explicit WindowActions(const Parts &parts);

    /// File ▸ Open recent.
    RecentFilesMenu *recentMenu() const { return m_recentMenu; }
    /// Puts a dock's toggle in the View menu before the entry named `before` (or, without one,
    /// after the other docks' entries).
    void addDockAction(QAction *toggle, const char *before = nullptr);
    /// Puts an action at the end of the View menu.
    void addViewAction(QAction *action);

private:
    QAction *make(const char *name, const QString &text, const QKeySequence &shortcut, const char *icon = nullptr);
    QAction *named(const char *name) const;
    void createActions();
    void createMenus();
    void showAbout();
    /// Enables what can be done now.
    void update();

    QMainWindow *m_window;
    Workspace *m_workspace;
    SessionController *m_session;
    DocumentActions *m_document;
    FileActions *m_files;
    RowActions *m_rows;
    SendActions *m_sends;
    SendController *m_sender;
    StreamController *m_streams;
    ConnectionPresenter *m_connection;
    RecordsView *m_view;
    FilterBar *m_filterBar;
    RecordEditorPanel *m_editor;
    SendBar *m_sendBar;
    DockLayout *m_docks;
    PresenterMode *m_presenter;
    RecentFilesMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    /// The send state as SendController last reported it (its runningChanged(true) comes
    /// before the engine reports running).
    bool m_sending = false;
};

} // namespace kwb::ui
