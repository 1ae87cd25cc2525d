#pragma once

#include "MainWindowServices.h"
#include "WindowActions.h"
#include "aws/Credentials.h"
#include "controllers/ConnectionPresenter.h"
#include "controllers/ConnectionTarget.h"
#include "controllers/DocumentActions.h"
#include "controllers/ExportController.h"
#include "controllers/FileActions.h"
#include "controllers/RowActions.h"
#include "controllers/SendActions.h"
#include "controllers/SendController.h"
#include "controllers/SessionController.h"
#include "dialogs/CreateStreamDialog.h"
#include "dialogs/CustomEndpointDialog.h"
#include "dialogs/ImportDialog.h"
#include "views/RecentFilesMenu.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QToolButton;

namespace kwb::sandbox {
class SandboxServer;
}

namespace kwb::ui {

class Banner;
class ConnectionBar;
class ConnectionController;
class DockLayout;
class FilterBar;
class LivePresenter;
class LiveStreamPanel;
class GeneratePanel;
class ImportController;
class JourneyPanel;
class PresenterMode;
class RecordEditorPanel;
class RecordsModel;
class RecordsView;
class RequestLogModel;
class SendBar;
class ShardMapPanel;
class ShardMapPresenter;
class StatsController;
class StreamController;
class Workspace;

/// The workbench's main window: the connection bar (target, stream), the records table with its
/// filter bar and send bar, and docks for the record editor, the shard map and the request log.
/// The window's frame: it owns the workspace and the controllers, builds the actions, menus and
/// docks, and binds the views to the controllers through the parts that own each behaviour
/// (WindowActions for the actions and menus, DocumentActions, FileActions, RowActions,
/// SendActions, ConnectionPresenter, ShardMapPresenter, LivePresenter, DockLayout; preferences
/// through WorkbenchSettings); long work (resolving
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
    JourneyPanel *journey() const { return m_journey; }
    PresenterMode *presenter() const { return m_presenter; }
    LiveStreamPanel *livePanel() const { return m_livePanel; }
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

    // What the menus do, callable directly (each done by the part that owns it).
    /// Opens a workspace file (.kwb) or, for any other file, asks how to import it.
    void openPath(const QString &path) { m_files->openPath(path); }
    /// Replaces the rows with a workspace file's, reconnects to its target and stream.
    void openWorkspace(const QString &path) { m_document->open(path); }
    /// Saves the workspace to `path` (in the background; the title shows when it is done).
    void saveWorkspace(const QString &path) { m_document->saveTo(path); }
    /// Saves to the current workspace file, or asks where first.
    void save() { m_document->save(); }
    void showSaveAsDialog() { m_document->showSaveAsDialog(); }
    /// Offers to restore the autosaves of runs that did not close properly, newest first.
    void offerRestore();
    /// Imports a file with the given options (automatic detection by default).
    void openFile(const QString &path, const import::ImportOptions &options = {}) { m_files->openFile(path, options); }
    void addFromFile(const QString &path, const import::ImportOptions &options = {}) { m_files->addFromFile(path, options); }
    /// Asks how to read `path` (with a preview), then imports it.
    void showImportDialog(const QString &path, bool append) { m_files->showImportDialog(path, append); }
    ImportDialog *importDialog() const { return m_files->importDialog(); }
    void loadSample() { m_files->loadSample(); }
    void exportTo(ExportController::Format format, const QString &path) { m_files->exportTo(format, path); }
    void connectToTarget(const ConnectionTarget &target) { m_connectionPresenter->connectToTarget(target); }
    /// Saves a custom target (and its keys in the SecretStore) and connects to it.
    void saveCustomTarget(const ConnectionTarget &target, const aws::Credentials &typedKeys)
    {
        m_connectionPresenter->saveCustomTarget(target, typedKeys);
    }
    void chooseStream(const QString &stream) { m_connectionPresenter->chooseStream(stream); }
    void sendAll() { m_sends->sendAll(); }
    void sendSelected() { m_sends->sendSelected(); }
    void retryFailed() { m_sends->retryFailed(); }
    void cancelSend() { m_sender->cancel(); }
    void addRow() { m_rows->addRow(); }
    void duplicateRows() { m_rows->duplicateRows(); }
    void deleteRows() { m_rows->deleteRows(); }
    void pasteRows() { m_rows->pasteRows(); }
    void pasteText(const QString &text) { m_rows->pasteText(text); }
    void copyRows() { m_rows->copyRows(); }
    void showCustomEndpointDialog(const ConnectionTarget &existing = {}) { m_connectionPresenter->showCustomEndpointDialog(existing); }
    void showCreateStreamDialog() { m_connectionPresenter->showCreateStreamDialog(); }

    CustomEndpointDialog *customEndpointDialog() const { return m_connectionPresenter->customEndpointDialog(); }
    CreateStreamDialog *createStreamDialog() const { return m_connectionPresenter->createStreamDialog(); }
    QStringList recentFiles() const { return m_actions->recentMenu()->files(); }

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createDocks();
    /// The Journey dock and presenter mode (View menu entries, zoom of the table and chart).
    void createJourneyAndPresenter();
    /// The Live stream dock (issue #13): closed at first, View ▸ Live stream (Ctrl+L).
    void createLiveDock();
    void createGenerateDock();
    void createStatusBar();
    void wire();
    void restoreSession();
    void saveSession();
    void updateTitle();
    /// The header of a workspace file: target, stream and send settings as they are now.
    workspace::WorkspaceHeader workspaceHeader() const;
    void applyWorkspaceHeader(const workspace::WorkspaceHeader &header);

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
    DocumentActions *m_document = nullptr;
    RowActions *m_rows = nullptr;
    SendActions *m_sends = nullptr;
    FileActions *m_files = nullptr;
    ShardMapPresenter *m_shardLinks = nullptr;
    ConnectionPresenter *m_connectionPresenter = nullptr;
    WindowActions *m_actions = nullptr;
    LivePresenter *m_live = nullptr;
    RequestLogModel *m_log = nullptr;

    ConnectionBar *m_connectionBar = nullptr;
    Banner *m_banner = nullptr;
    FilterBar *m_filterBar = nullptr;
    RecordsView *m_view = nullptr;
    SendBar *m_sendBar = nullptr;
    RecordEditorPanel *m_editor = nullptr;
    ShardMapPanel *m_shardPanel = nullptr;
    QDockWidget *m_editorDock = nullptr;
    QDockWidget *m_shardDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    LiveStreamPanel *m_livePanel = nullptr;
    QDockWidget *m_liveDock = nullptr;
    QDockWidget *m_sandboxDock = nullptr;
    DockLayout *m_docks = nullptr;
    JourneyPanel *m_journey = nullptr;
    QDockWidget *m_journeyDock = nullptr;
    PresenterMode *m_presenter = nullptr;
    QDockWidget *m_generateDock = nullptr;
    GeneratePanel *m_generatePanel = nullptr;
    QLabel *m_rowsLabel = nullptr;
    QProgressBar *m_importProgress = nullptr;
    QToolButton *m_importCancel = nullptr;
    /// The window's state came from the settings: the docks keep their saved sizes.
    bool m_stateRestored = false;
    bool m_shownOnce = false;
};

} // namespace kwb::ui
