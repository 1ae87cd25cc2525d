#pragma once

#include "MainWindowServices.h"
#include "aws/Credentials.h"
#include "controllers/ConnectionTarget.h"
#include "controllers/ExportController.h"
#include "controllers/SessionController.h"
#include "dialogs/CreateStreamDialog.h"
#include "dialogs/CustomEndpointDialog.h"
#include "dialogs/ImportDialog.h"

#include <QMainWindow>
#include <QDateTime>
#include <QPointer>

#include <functional>
#include <vector>

class QAction;
class QDockWidget;

namespace kwb::sandbox {
class SandboxServer;
}
class QLabel;
class QMenu;
class QProgressBar;
class QTableView;
class QToolButton;

namespace kwb::ui {

class Banner;
class ConnectionBar;
class ConnectionController;
class FilterBar;
class GeneratePanel;
class ImportController;
class RecordEditorPanel;
class RecordsModel;
class RecordsView;
class RequestLogModel;
class SendBar;
class SendController;
class SessionController;
class ShardMapPanel;
class StatsController;
class StreamController;
class Workspace;

/// The workbench's main window: the connection bar (target, stream), the records table with its
/// filter bar and send bar, and docks for the record editor, the shard map and the request log.
/// It owns the workspace and the controllers and wires them together; long work (resolving
/// credentials, filtering, sorting, importing, exporting, saving and opening workspaces) runs in
/// the thread pool through the controllers, and per-shard counting in short slices on the GUI
/// thread, so the window stays responsive. Dialogs open with open(), never exec().
/// Lives on the GUI thread; owned by main() (or a test).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const MainWindowServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The parts, for the app's wiring and for tests.
    Workspace *workspace() const { return m_workspace; }
    RecordsModel *recordsModel() const { return m_model; }
    RecordsView *recordsView() const { return m_view; }
    ConnectionController *connection() const { return m_connection; }
    StreamController *streams() const { return m_streams; }
    SendController *sender() const { return m_sender; }
    ImportController *importer() const { return m_importer; }
    ExportController *exporter() const { return m_exporter; }
    StatsController *stats() const { return m_stats; }
    SessionController *session() const { return m_session; }
    RecordEditorPanel *editor() const { return m_editor; }
    ShardMapPanel *shardPanel() const { return m_shardPanel; }
    RequestLogModel *requestLog() const { return m_log; }
    SendBar *sendBar() const { return m_sendBar; }
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    FilterBar *filterBar() const { return m_filterBar; }
    Banner *banner() const { return m_banner; }
    GeneratePanel *generatePanel() const { return m_generatePanel; }
    /// An action by object name ("sendAll", "undo", ...).
    QAction *action(const QString &name) const;

    // The built-in sandbox (wired by the app once it runs).
    void setSandbox(const QUrl &endpoint, const aws::Credentials &credentials = {});
    void setSandboxUnavailable(const QString &reason);
    /// Adds the Sandbox dock (limits, faults, latency, seed, live counters) for the built-in
    /// sandbox; the server is owned by the caller and must outlive the window.
    void setSandboxServer(sandbox::SandboxServer *server);

    // What the menus do, callable directly.
    /// Opens a workspace file (.kwb) or, for any other file, asks how to import it.
    void openPath(const QString &path);
    /// Replaces the rows with a workspace file's, reconnects to its target and stream.
    void openWorkspace(const QString &path);
    /// Saves the workspace to `path` (in the background; the title shows when it is done).
    void saveWorkspace(const QString &path);
    /// Saves to the current workspace file, or asks where first.
    void save();
    void showSaveAsDialog();
    /// Offers to restore the autosaves of runs that did not close properly, newest first.
    void offerRestore();
    /// Imports a file with the given options (automatic detection by default).
    void openFile(const QString &path, const import::ImportOptions &options = {});
    void addFromFile(const QString &path, const import::ImportOptions &options = {});
    /// Asks how to read `path` (with a preview), then imports it.
    void showImportDialog(const QString &path, bool append);
    ImportDialog *importDialog() const { return m_importDialog; }
    void loadSample();
    void exportTo(ExportController::Format format, const QString &path);
    void connectToTarget(const ConnectionTarget &target);
    /// Saves a custom target (and its keys in the SecretStore) and connects to it.
    void saveCustomTarget(const ConnectionTarget &target, const aws::Credentials &typedKeys);
    void chooseStream(const QString &stream);
    void sendAll();
    void sendSelected();
    void retryFailed();
    void cancelSend();
    void addRow();
    void duplicateRows();
    void deleteRows();
    void pasteRows();
    void pasteText(const QString &text);
    void copyRows();
    void showCustomEndpointDialog(const ConnectionTarget &existing = {});
    void showCreateStreamDialog();

    CustomEndpointDialog *customEndpointDialog() const { return m_endpointDialog; }
    CreateStreamDialog *createStreamDialog() const { return m_createDialog; }
    QStringList recentFiles() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createGenerateDock();
    void wire();
    void restoreSession();
    void saveSession();
    void rebuildTargets();
    void updateActions();
    void updateSelectionMarkers();
    void updateTitle();
    void confirmThen(const QString &what, std::function<void()> proceed);
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void showOpenDialog(bool append);
    /// Sends the rows, asking first when all of them succeeded already (a second copy) or the
    /// target is marked production.
    void sendAsked(std::vector<int> rows, bool selected);
    /// The header of a workspace file: target, stream and send settings as they are now.
    workspace::WorkspaceHeader workspaceHeader() const;
    void applyWorkspaceHeader(const workspace::WorkspaceHeader &header);
    void offerRestore(QList<SessionController::Orphan> orphans);
    /// Asks whether to save unsaved changes, then runs `proceed` (unless cancelled).
    void saveChangesThen(std::function<void()> proceed);
    void showExportDialog(ExportController::Format format);
    void showShortcuts();
    /// The first-launch layout: the Record dock above the Shard map, with the Sandbox and the
    /// Request log as tabs behind the Shard map, sized so the editor and the table get the room.
    void applyDefaultLayout();
    void sizeDefaultDocks();
    /// What a dock's shortcut does: shows and raises it, and hides it only when it is in front.
    void showOrHideDock(QDockWidget *dock);
    QAction *makeDockAction(QDockWidget *dock, const char *name, const QKeySequence &shortcut);
    /// Says so when the open workspace's results predate its stream (the sandbox restarted, or
    /// the stream was deleted and created again since the results were saved).
    void checkResultsAgainstStream(const QString &stream, qint64 createdMs);
    QAction *makeAction(const char *name, const QString &text, const QKeySequence &shortcut, const char *icon = nullptr);
    ImportJob importJobFor(const QString &path, const import::ImportOptions &options) const;

    MainWindowServices m_services;
    Workspace *m_workspace = nullptr;
    RecordsModel *m_model = nullptr;
    ConnectionController *m_connection = nullptr;
    StreamController *m_streams = nullptr;
    SendController *m_sender = nullptr;
    ImportController *m_importer = nullptr;
    ExportController *m_exporter = nullptr;
    StatsController *m_stats = nullptr;
    SessionController *m_session = nullptr;
    RequestLogModel *m_log = nullptr;

    ConnectionBar *m_connectionBar = nullptr;
    Banner *m_banner = nullptr;
    FilterBar *m_filterBar = nullptr;
    RecordsView *m_view = nullptr;
    SendBar *m_sendBar = nullptr;
    RecordEditorPanel *m_editor = nullptr;
    ShardMapPanel *m_shardPanel = nullptr;
    QTableView *m_logView = nullptr;
    QDockWidget *m_editorDock = nullptr;
    QDockWidget *m_shardDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QDockWidget *m_sandboxDock = nullptr;
    QDockWidget *m_generateDock = nullptr;
    GeneratePanel *m_generatePanel = nullptr;
    QLabel *m_rowsLabel = nullptr;
    QProgressBar *m_importProgress = nullptr;
    QToolButton *m_importCancel = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QPointer<CustomEndpointDialog> m_endpointDialog;
    QPointer<CreateStreamDialog> m_createDialog;
    QPointer<ImportDialog> m_importDialog;
    QString m_currentFile;
    /// The stream an opened workspace wants, chosen once the target lists it.
    QString m_pendingStream;
    bool m_loadingSample = false;
    /// An import is replacing the rows: once done, they are a new document.
    bool m_importReplaces = false;
    /// Set once the user has answered the "save changes?" question for this close.
    bool m_closeAnswered = false;
    std::function<void()> m_afterSave;
    /// The send state as SendController last reported it (its runningChanged(true) comes
    /// before the engine reports running).
    bool m_sending = false;
    /// The last refusal shown in the banner (cleared when the send it was about ends).
    QString m_refusal;
    /// The window's state came from the settings: the docks keep their saved sizes.
    bool m_stateRestored = false;
    bool m_shownOnce = false;
    /// The opened workspace: when it was saved and to which stream, until its stream answers.
    QDateTime m_openedSavedAt;
    QString m_openedStream;
};

} // namespace kwb::ui
