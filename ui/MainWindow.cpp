#include "MainWindow.h"

#include "DockLayout.h"
#include "controllers/ConsumerViewActions.h"
#include "models/LiveRecordsModel.h"
#include "Icons.h"
#include "WorkbenchSettings.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/PresenterMode.h"
#include "controllers/SendActions.h"
#include "controllers/SendController.h"
#include "controllers/ShardMapPresenter.h"
#include "controllers/SignInController.h"
#include "controllers/StatsController.h"
#include "controllers/StreamController.h"
#include "controllers/TargetList.h"
#include "dialogs/Confirmation.h"
#include "dialogs/ShortcutsDialog.h"
#include "models/RecordsModel.h"
#include "models/RequestLogModel.h"
#include "models/SentRecordIndex.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"
#include "views/GeneratePanel.h"
#include "controllers/GenerateController.h"
#include "views/FilterBar.h"
#include "views/JourneyPanel.h"
#include "views/RecordEditorPanel.h"
#include "views/LiveStreamPanel.h"
#include "views/RecordsView.h"
#include "views/RequestLogPanel.h"
#include "views/SandboxPanel.h"
#include "views/SendBar.h"
#include "views/ShardChartWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScrollArea>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {

/// Adds the window's actions by name to `menu`; "" is a separator.
void addNamedActions(QMenu *menu, const MainWindow &window, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (*name == '\0')
            menu->addSeparator();
        else
            menu->addAction(window.action(QLatin1String(name)));
    }
}

} // namespace

MainWindow::MainWindow(const MainWindowServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(Icons::app());
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_workspace = new Workspace(this);
    m_model = new RecordsModel(m_workspace, this);
    m_connection = new ConnectionController(services.secrets, services.environment, this);
    m_streams = new StreamController(this);
    m_sender = new SendController(m_workspace, this);
    m_importer = new ImportController(m_workspace, this);
    m_exporter = new ExportController(m_workspace, this);
    m_stats = new StatsController(m_workspace, this);
    m_session = new SessionController(m_workspace, [this] { return workspaceHeader(); }, this);
    m_log = new RequestLogModel(this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    m_banner = new Banner(central);
    m_filterBar = new FilterBar(central);
    m_view = new RecordsView(central);
    m_view->setRecordsModel(m_model);
    m_sendBar = new SendBar(central);
    layout->addWidget(m_banner);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_sendBar);
    setCentralWidget(central);
    m_document = new DocumentActions(this, m_workspace, m_session, m_banner);
    m_rows = new RowActions(this, m_workspace, m_model, m_view);

    m_connectionBar = new ConnectionBar(this);
    auto *connectionToolBar = new QToolBar(tr("Connection"), this);
    connectionToolBar->setObjectName(QStringLiteral("connectionToolBar"));
    connectionToolBar->setMovable(false);
    connectionToolBar->addWidget(m_connectionBar);
    addToolBar(Qt::TopToolBarArea, connectionToolBar);

    createDocks();
    createJourneyAndPresenter();
    createActions();
    createMenus();
    createGenerateDock();

    m_rowsLabel = new QLabel(this);
    m_rowsLabel->setObjectName(QStringLiteral("rowsLabel"));
    m_importProgress = new QProgressBar(this);
    m_importProgress->setObjectName(QStringLiteral("importProgress"));
    m_importProgress->setRange(0, 1000);
    m_importProgress->setMaximumWidth(200);
    m_importProgress->setVisible(false);
    m_importCancel = new QToolButton(this);
    m_importCancel->setText(tr("Cancel import"));
    m_importCancel->setVisible(false);
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_importCancel);
    statusBar()->addPermanentWidget(m_rowsLabel);

    wire();
    createLiveDock();
    new SignInController(m_connection, m_connectionBar, m_banner, m_sender, this); // Sign in, MFA, Who am I?
    m_shardPanel->setMap(m_workspace->shardMap(), QString());
    m_filterBar->setShardMap(m_workspace->shardMap());
    m_view->setEmptyActions({action(QStringLiteral("addRow")), action(QStringLiteral("openFile")),
                             action(QStringLiteral("openSample"))});
    m_docks->applyDefault();
    m_connectionPresenter->rebuildTargets();
    m_connection->refreshProfiles();
    resize(1280, 720); // fits a 1366×768 laptop screen with a panel and a title bar
    m_connectionBar->setConnectionState(ConnectionController::State::Disconnected, {});
    if (services.restoreSession)
        restoreSession();
    m_session->startAutosave(services.autosaveDirectory, services.autosaveIntervalMs);
    setAcceptDrops(true);
    updateActions();
    updateTitle();
}

MainWindow::~MainWindow()
{
    // Qt deletes children in creation order, the workspace first: nothing here may react to
    // that, and the send engine, which reads the workspace's rows, goes before it.
    m_workspace->undoStack()->disconnect(this);
    m_workspace->disconnect(this);
    m_model->disconnect(this);
    m_view->disconnect(this);
    m_shardLinks->detach();
    if (m_sender->isRunning())
        m_sender->abort();
    delete m_sender;
    m_sender = nullptr;
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

QAction *MainWindow::makeAction(const char *name, const QString &text, const QKeySequence &shortcut, const char *icon)
{
    auto *a = new QAction(text, this);
    a->setObjectName(QLatin1String(name));
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    if (icon)
        a->setIcon(Icons::named(icon));
    const QString tip = shortcut.isEmpty() ? QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…"))
                                           : tr("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                                                               shortcut.toString(QKeySequence::NativeText));
    a->setToolTip(tip);
    return a;
}

void MainWindow::createActions()
{
    // File
    connect(makeAction("newWorkspace", tr("&New workspace"), QKeySequence::New), &QAction::triggered, m_document,
            &DocumentActions::newWorkspace);
    connect(makeAction("openFile", tr("&Open…"), QKeySequence::Open, "open"), &QAction::triggered, this,
            [this] { m_files->showOpenDialog(false); });
    connect(makeAction("addFromFile", tr("&Add records from file…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)),
            &QAction::triggered, this, [this] { m_files->showOpenDialog(true); });
    connect(makeAction("openSample", tr("Open &sample records"), {}), &QAction::triggered, this, [this] { m_files->loadSample(); });
    connect(makeAction("saveWorkspace", tr("&Save workspace"), QKeySequence::Save), &QAction::triggered, m_document, &DocumentActions::save);
    connect(makeAction("saveWorkspaceAs", tr("Save workspace &as…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            &QAction::triggered, m_document, &DocumentActions::showSaveAsDialog);
    connect(makeAction("exportResultsJsonl", tr("Export results as JSON &Lines…"), QKeySequence(Qt::CTRL | Qt::Key_E), "export"),
            &QAction::triggered, this, [this] { m_files->showExportDialog(ExportController::Format::ResultsJsonl); });
    connect(makeAction("exportResultsCsv", tr("Export results as &CSV…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)),
            &QAction::triggered, this, [this] { m_files->showExportDialog(ExportController::Format::ResultsCsv); });
    connect(makeAction("exportRecordsAwsCli", tr("Export records for the &AWS CLI…"), {}), &QAction::triggered, this,
            [this] { m_files->showExportDialog(ExportController::Format::AwsCliRecords); });
    connect(makeAction("quit", tr("&Quit"), QKeySequence::Quit), &QAction::triggered, this, &QWidget::close);

    // Edit
    QAction *undo = makeAction("undo", tr("&Undo"), QKeySequence::Undo, "undo");
    connect(undo, &QAction::triggered, m_workspace, &Workspace::undo);
    QAction *redo = makeAction("redo", tr("&Redo"), QKeySequence::Redo, "redo");
    connect(redo, &QAction::triggered, m_workspace, &Workspace::redo);
    connect(makeAction("addRow", tr("&Add row"), QKeySequence(Qt::Key_Insert), "add-row"), &QAction::triggered, this,
            &MainWindow::addRow);
    connect(makeAction("duplicateRows", tr("D&uplicate rows"), QKeySequence(Qt::CTRL | Qt::Key_D), "duplicate-row"),
            &QAction::triggered, this, &MainWindow::duplicateRows);
    connect(makeAction("deleteRows", tr("&Delete rows"), QKeySequence::Delete, "delete-row"), &QAction::triggered, this,
            &MainWindow::deleteRows);
    connect(makeAction("pasteRows", tr("&Paste rows"), QKeySequence::Paste, "paste"), &QAction::triggered, this,
            &MainWindow::pasteRows);
    connect(makeAction("copyRows", tr("&Copy rows"), QKeySequence::Copy), &QAction::triggered, this, &MainWindow::copyRows);
    connect(makeAction("find", tr("&Find rows by key"), QKeySequence::Find), &QAction::triggered, m_filterBar,
            &FilterBar::focusSearch);
    connect(makeAction("clearFilter", tr("Show &all rows"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F)), &QAction::triggered,
            this, [this] { m_filterBar->setFilter(RowFilter()); });
    connect(makeAction("applyData", tr("Apply &data edit"), {}), &QAction::triggered, this, [this] { m_editor->applyData(); });

    // Send
    QAction *sendAll = makeAction("sendAll", tr("Send &all"), QKeySequence(Qt::CTRL | Qt::Key_Return), "send");
    sendAll->setToolTip(tr("Send every row that has not succeeded yet (Ctrl+Return)"));
    connect(sendAll, &QAction::triggered, this, &MainWindow::sendAll);
    QAction *sendSelected = makeAction("sendSelected", tr("Send &selected"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
                                       "send-selected");
    connect(sendSelected, &QAction::triggered, this, &MainWindow::sendSelected);
    QAction *retry = makeAction("retryFailed", tr("&Retry failed"), QKeySequence(Qt::CTRL | Qt::Key_R), "retry");
    retry->setToolTip(tr("Send the failed and cancelled rows again (Ctrl+R)"));
    connect(retry, &QAction::triggered, this, &MainWindow::retryFailed);
    QAction *cancel = makeAction("cancelSend", tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), "cancel");
    cancel->setToolTip(tr("Stop sending: queued rows stay pending, requests in flight finish (Ctrl+.)"));
    connect(cancel, &QAction::triggered, this, &MainWindow::cancelSend);
    QAction *abort = makeAction("abortSend", tr("A&bort requests in flight"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period));
    connect(abort, &QAction::triggered, m_sender, &SendController::abort);

    // Stream
    connect(makeAction("customEndpoint", tr("&Custom endpoint…"), QKeySequence(Qt::CTRL | Qt::Key_K), "connect"),
            &QAction::triggered, this, [this] { showCustomEndpointDialog(); });
    connect(makeAction("refreshStreams", tr("&Refresh streams"), QKeySequence(Qt::Key_F5), "refresh"), &QAction::triggered, this,
            [this] { m_connectionPresenter->refresh(); });
    connect(makeAction("createStream", tr("Create &stream…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N), "create-stream"),
            &QAction::triggered, this, &MainWindow::showCreateStreamDialog);

    // Help
    connect(makeAction("shortcuts", tr("&Keyboard shortcuts"), QKeySequence::HelpContents), &QAction::triggered, this,
            [this] { (new ShortcutsDialog(findChildren<QAction *>(), this))->open(); });
    connect(makeAction("about", tr("&About Kinesis Workbench"), {}), &QAction::triggered, this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("About Kinesis Workbench"),
                                    tr("<b>Kinesis Workbench %1</b><p>Compose or import records, see which shard each one "
                                       "lands on, send them with PutRecords and retry the ones that fail.</p>")
                                        .arg(QApplication::applicationVersion()),
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });

    // Row actions work where the table has focus (Delete in a text field deletes text).
    for (const char *name : {"addRow", "duplicateRows", "deleteRows", "pasteRows", "copyRows"}) {
        QAction *a = action(QLatin1String(name));
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
    }
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    m_view->addAction(separator);
    m_view->addAction(sendSelected);
    m_view->addAction(retry);
    m_sendBar->setActions(sendAll, sendSelected, retry, cancel);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    addNamedActions(file, *this, {"newWorkspace", "openFile", "addFromFile"});
    m_recentMenu = new RecentFilesMenu(tr("Open &recent"), file);
    connect(m_recentMenu, &RecentFilesMenu::openRequested, this, &MainWindow::openPath);
    file->addMenu(m_recentMenu);
    addNamedActions(file, *this, {"openSample", "", "saveWorkspace", "saveWorkspaceAs", "", "exportResultsJsonl", "exportResultsCsv",
                      "exportRecordsAwsCli", "", "quit"});
    addNamedActions(menuBar()->addMenu(tr("&Edit")), *this, {"undo", "redo", "", "addRow", "duplicateRows", "deleteRows", "", "copyRows",
                                                 "pasteRows", "", "find", "clearFilter"});
    addNamedActions(menuBar()->addMenu(tr("&Send")), *this, {"sendAll", "sendSelected", "retryFailed", "cancelSend", "abortSend"});
    addNamedActions(menuBar()->addMenu(tr("S&tream")), *this, {"customEndpoint", "refreshStreams", "createStream"});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_docks->makeDockAction(m_editorDock, "showEditorDock", QKeySequence(Qt::CTRL | Qt::Key_1)));
    m_viewMenu->addAction(m_docks->makeDockAction(m_shardDock, "showShardDock", QKeySequence(Qt::CTRL | Qt::Key_2)));
    m_viewMenu->addAction(m_docks->makeDockAction(m_logDock, "showLogDock", QKeySequence(Qt::CTRL | Qt::Key_3)));
    m_viewMenu->addAction(m_docks->makeDockAction(m_journeyDock, "showJourneyDock", QKeySequence(Qt::CTRL | Qt::Key_J)));
    m_viewMenu->addMenu(m_view->columnsMenu());
    m_viewMenu->addSeparator();
    QAction *resetLayout = m_viewMenu->addAction(tr("&Reset layout"));
    resetLayout->setObjectName(QStringLiteral("resetLayout"));
    resetLayout->setToolTip(tr("The docks and the table's columns as at the first launch"));
    connect(resetLayout, &QAction::triggered, this, [this] {
        m_docks->applyDefault();
        m_docks->sizeDefault();
        m_view->resetColumns();
    });
    m_viewMenu->addSeparator();
    for (QAction *a : {m_presenter->toggleAction(), m_presenter->zoomInAction(), m_presenter->zoomOutAction(),
                       m_presenter->zoomResetAction()})
        m_viewMenu->addAction(a);

    addNamedActions(menuBar()->addMenu(tr("&Help")), *this, {"shortcuts", "about"});
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes take once the window has its size; a restored state keeps the saved ones.
    if (!std::exchange(m_shownOnce, true) && !m_stateRestored)
        m_docks->sizeDefault();
}

void MainWindow::createDocks()
{
    m_editor = new RecordEditorPanel(m_workspace, this);
    m_editorDock = new QDockWidget(tr("Record"), this);
    m_editorDock->setObjectName(QStringLiteral("editorDock"));
    m_editorDock->setWidget(m_editor);
    addDockWidget(Qt::RightDockWidgetArea, m_editorDock);

    m_shardPanel = new ShardMapPanel(this);
    m_shardDock = new QDockWidget(tr("Shard map"), this);
    m_shardDock->setObjectName(QStringLiteral("shardDock"));
    // Scrolls when short, so the Record dock above it can have the room at first launch.
    auto *shardScroll = new QScrollArea(m_shardDock);
    shardScroll->setObjectName(QStringLiteral("shardScroll"));
    shardScroll->setFrameShape(QFrame::NoFrame);
    shardScroll->setWidgetResizable(true);
    shardScroll->setWidget(m_shardPanel);
    m_shardDock->setWidget(shardScroll);
    addDockWidget(Qt::RightDockWidgetArea, m_shardDock);

    m_logDock = new QDockWidget(tr("Request log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(new RequestLogPanel(m_log, m_logDock));
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_docks = new DockLayout(this, m_editorDock, m_shardDock, m_logDock);
}

void MainWindow::createJourneyAndPresenter()
{
    m_journey = new JourneyPanel(m_workspace, this);
    m_journeyDock = new QDockWidget(tr("Journey"), this);
    m_journeyDock->setObjectName(QStringLiteral("journeyDock"));
    m_journeyDock->setWidget(m_journey);
    addDockWidget(Qt::RightDockWidgetArea, m_journeyDock);
    m_docks->setJourneyDock(m_journeyDock);
    connect(m_view, &RecordsView::currentStoreRowChanged, m_journey, &JourneyPanel::setRow);
    connect(m_editor, &RecordEditorPanel::keyEdited, m_journey, &JourneyPanel::previewKey);

    m_presenter = new PresenterMode(this);
    m_presenter->setDocks({m_journeyDock, m_shardDock});
    m_presenter->setHiddenWidgets({m_filterBar});
    connect(m_presenter, &PresenterMode::zoomChanged, m_model, &RecordsModel::setFontScale);
    connect(m_presenter, &PresenterMode::activeChanged, m_shardPanel->chart(), &ShardChartWidget::setPresenting);
}

void MainWindow::wire()
{
    // Connection and streams.
    m_connectionPresenter = new ConnectionPresenter(
        {this, m_connectionBar, m_banner, m_connection, m_streams, m_sender, m_workspace, m_log}, m_services.restoreSession);
    connect(m_connectionPresenter, &ConnectionPresenter::readinessChanged, this, &MainWindow::updateActions);

    // Routing, the shard map, the filter and the editor follow the workspace and the table.
    m_shardLinks = new ShardMapPresenter({m_workspace, m_model, m_view, m_filterBar, m_shardPanel, m_editor, m_stats}, this);

    // Filter, sort and the table.
    const auto showCounts = [this] {
        m_filterBar->setShownRows(m_model->rowCount(), m_workspace->rowCount(), m_model->isOrdering());
        const qint64 rows = m_workspace->rowCount();
        m_rowsLabel->setText(tr("%1 rows").arg(QLocale().toString(rows)));
    };
    connect(m_model, &RecordsModel::orderingStarted, this, showCounts);
    connect(m_model, &RecordsModel::orderingFinished, this, showCounts);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, showCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, showCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, showCounts);
    connect(m_view, &RecordsView::selectionChangedRows, this, &MainWindow::updateActions);
    connect(m_workspace->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::lockedChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::wasReset, this, &MainWindow::updateActions);

    // The workspace as a document: title, progress, what a save or an open did.
    connect(m_document, &DocumentActions::titleChanged, this, &MainWindow::updateTitle);
    connect(m_document, &DocumentActions::fileUsed, this, &MainWindow::addRecentFile);
    connect(m_session, &SessionController::busyChanged, this, [this](bool busy) {
        m_importProgress->setValue(0);
        m_importProgress->setVisible(busy);
        updateActions();
    });
    connect(m_session, &SessionController::progressChanged, m_importProgress, &QProgressBar::setValue);
    connect(m_document, &DocumentActions::opened, this, [this](const workspace::WorkspaceHeader &header) {
        applyWorkspaceHeader(header);
        updateTitle();
        updateActions();
    });
    connect(m_workspace, &Workspace::wasReset, this, &MainWindow::updateTitle);

    // Sending.
    // Pacing and the chart's limit lines follow the target's limits.
    connect(m_sender, &SendController::limitsChanged, m_shardPanel->chart(), &ShardChartWidget::setLimits);
    m_shardPanel->chart()->setLimits(m_sender->targetLimits());
    m_sendBar->bind(m_sender);
    connect(m_sender, &SendController::runningChanged, this, [this](bool running) {
        m_sending = running;
        m_connectionBar->setBusy(running);
        updateActions();
    });
    connect(m_sender, &SendController::failedRowsChanged, this, &MainWindow::updateActions);
    m_sends = new SendActions({this, m_sender, m_connection, m_workspace, m_model, m_view, m_banner});

    // Import and export.
    m_files = new FileActions({this, m_workspace, m_importer, m_exporter, m_sender, m_document, m_banner, m_view, m_importProgress,
                               m_importCancel},
                              m_services);
    connect(m_files, &FileActions::fileUsed, this, &MainWindow::addRecentFile);
}

void MainWindow::restoreSession()
{
    WorkbenchSettings settings;
    restoreGeometry(settings.windowGeometry());
    m_stateRestored = restoreState(settings.windowState());
    m_view->restoreColumns(settings.columns());
    m_sender->setOptions(settings.sendOptions());
    m_shardPanel->setRate(settings.shardMapRate());
    m_shardPanel->setVirtualShardCount(settings.virtualShardCount());
    // The sandbox connects once it runs.
    if (const ConnectionTarget last = TargetList(m_connection).byId(settings.lastTargetId()); last.isValid())
        connectToTarget(last);
}

void MainWindow::saveSession()
{
    WorkbenchSettings settings;
    settings.setWindow(saveGeometry(), saveState());
    settings.setColumns(m_view->columns());
    settings.setSendOptions(m_sender->options());
    settings.setShardMap(m_shardPanel->rate(), m_shardPanel->virtualShardCount());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_sender->isRunning()) {
        // Requests in flight may or may not be written; say so rather than lose track silently.
        event->ignore();
        Confirmation::ask(this, tr("A send is running. Abort it and quit? Rows in flight may or may not be written."), [this] {
            m_sender->abort();
            close();
        });
        return;
    }
    if (!m_document->mayClose())
        return event->ignore(); // asks first, and closes again once answered
    if (m_services.restoreSession)
        saveSession();
    m_session->finish();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_files->acceptsDrop(event->mimeData()->urls()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!m_files->acceptsDrop(urls))
        return;
    event->acceptProposedAction();
    m_files->drop(urls);
}

void MainWindow::setSandboxServer(sandbox::SandboxServer *server)
{
    if (m_sandboxDock || !server)
        return;
    m_sandboxDock = new QDockWidget(tr("Sandbox"), this);
    m_sandboxDock->setObjectName(QStringLiteral("sandboxDock"));
    auto *panel = new SandboxPanel(server, m_sandboxDock);
    m_sandboxDock->setWidget(panel);
    m_docks->setSandboxDock(m_sandboxDock);
    m_sender->setSandboxServer(server);
    connect(panel, &SandboxPanel::limitsChanged, this, [this](const QString &text) {
        m_sender->refreshSandboxLimits();
        statusBar()->showMessage(text, 10000);
    });
    // Where the saved window state had it; else a tab behind the Shard map, as at first launch.
    if (!m_stateRestored || !restoreDockWidget(m_sandboxDock)) {
        addDockWidget(Qt::RightDockWidgetArea, m_sandboxDock);
        tabifyDockWidget(m_shardDock, m_sandboxDock);
        m_shardDock->raise();
    }
    QAction *toggle = m_docks->makeDockAction(m_sandboxDock, "showSandboxDock", QKeySequence(Qt::CTRL | Qt::Key_4));
    m_viewMenu->insertAction(m_viewMenu->actions().value(3), toggle);
}

void MainWindow::createGenerateDock()
{
    m_generateDock = new QDockWidget(tr("Generate"), this);
    m_generateDock->setObjectName(QStringLiteral("generateDock"));
    m_generatePanel = new GeneratePanel(m_generateDock);
    // Scrolls when short, so it never makes the window taller than a laptop's screen.
    auto *scroll = new QScrollArea(m_generateDock);
    scroll->setObjectName(QStringLiteral("generateScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_generatePanel);
    m_generateDock->setWidget(scroll);
    m_docks->setGenerateDock(m_generateDock);
    // The preview predicts shards with the stream's map (or the virtual one), as the table does.
    m_generatePanel->setShardMap(m_workspace->shardMap(), m_workspace->streamName());
    connect(m_workspace, &Workspace::routingChanged, m_generatePanel,
            [this] { m_generatePanel->setShardMap(m_workspace->shardMap(), m_workspace->streamName()); });
    // Runs go through the same client and the target's limits as every send.
    auto *runner = new GenerateController(this);
    runner->setClient(m_connection->client());
    runner->setLimits(m_sender->targetLimits());
    connect(m_connection, &ConnectionController::clientChanged, runner, &GenerateController::setClient);
    connect(m_sender, &SendController::limitsChanged, runner, &GenerateController::setLimits);
    m_generatePanel->setController(runner);
    m_viewMenu->insertAction(m_viewMenu->actions().value(4),
                             m_docks->makeDockAction(m_generateDock, "showGenerateDock", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)));
}

void MainWindow::setSandbox(const QUrl &endpoint, const aws::Credentials &credentials)
{
    m_connection->setSandbox(endpoint, credentials);
}

void MainWindow::setSandboxUnavailable(const QString &reason)
{
    m_connection->setSandboxUnavailable(reason);
}

workspace::WorkspaceHeader MainWindow::workspaceHeader() const
{
    workspace::WorkspaceHeader h;
    h.appVersion = QCoreApplication::applicationVersion();
    h.target = TargetList::toSaved(m_connection->target());
    h.send = m_sender->savedOptions();
    return h;
}

void MainWindow::applyWorkspaceHeader(const workspace::WorkspaceHeader &header)
{
    m_sender->applySavedOptions(header.send);
    m_shardPanel->setVirtualShardCount(header.virtualShards);

    m_connectionPresenter->goToSaved(header);
}

void MainWindow::offerRestore()
{
    m_document->offerRestore(SessionController::findOrphans(m_services.autosaveDirectory));
}

void MainWindow::addRecentFile(const QString &path)
{
    m_recentMenu->add(path);
}

void MainWindow::updateActions()
{
    if (!m_sender)
        return;
    const bool locked = m_workspace->isLocked();
    const bool running = m_sending || m_sender->isRunning();
    const bool hasRows = m_workspace->rowCount() > 0;
    const bool hasSelection = m_view->selectionModel()->hasSelection();
    const bool ready = m_sender->whyNotReady().isEmpty() || running;
    action(QStringLiteral("undo"))->setEnabled(!locked && m_workspace->undoStack()->canUndo());
    action(QStringLiteral("redo"))->setEnabled(!locked && m_workspace->undoStack()->canRedo());
    action(QStringLiteral("undo"))->setText(m_workspace->undoStack()->canUndo() ? tr("&Undo %1").arg(m_workspace->undoStack()->undoText())
                                                                                 : tr("&Undo"));
    action(QStringLiteral("redo"))->setText(m_workspace->undoStack()->canRedo() ? tr("&Redo %1").arg(m_workspace->undoStack()->redoText())
                                                                                 : tr("&Redo"));
    for (const char *name : {"addRow", "pasteRows", "newWorkspace", "openFile", "addFromFile", "openSample"})
        action(QLatin1String(name))->setEnabled(!locked && !m_session->isBusy());
    action(QStringLiteral("saveWorkspace"))->setEnabled(!m_session->isBusy());
    action(QStringLiteral("saveWorkspaceAs"))->setEnabled(!m_session->isBusy());
    action(QStringLiteral("duplicateRows"))->setEnabled(!locked && hasSelection);
    action(QStringLiteral("deleteRows"))->setEnabled(!locked && hasSelection);
    action(QStringLiteral("copyRows"))->setEnabled(hasSelection);
    action(QStringLiteral("sendAll"))->setEnabled(!running && hasRows && ready);
    action(QStringLiteral("sendSelected"))->setEnabled(!running && hasSelection && ready);
    action(QStringLiteral("retryFailed"))->setEnabled(!running && m_sender->failedRows() > 0 && ready);
    action(QStringLiteral("cancelSend"))->setEnabled(running);
    action(QStringLiteral("abortSend"))->setEnabled(running);
    action(QStringLiteral("createStream"))->setEnabled(m_streams->client() != nullptr);
    action(QStringLiteral("refreshStreams"))->setEnabled(m_streams->client() != nullptr);
    const QString why = m_sender->whyNotReady();
    action(QStringLiteral("sendAll"))->setStatusTip(why);
}

void MainWindow::updateTitle()
{
    const QString name = m_document->documentName();
    setWindowTitle(name.isEmpty() ? tr("Kinesis Workbench") : tr("%1[*] — Kinesis Workbench").arg(name));
    setWindowModified(m_document->hasUnsavedChanges());
}

void MainWindow::createLiveDock()
{
    m_livePanel = new LiveStreamPanel(this);
    m_livePanel->setSentIndex(new SentRecordIndex(m_workspace, m_livePanel));
    m_liveDock = new QDockWidget(tr("Live stream"), this);
    m_liveDock->setObjectName(QStringLiteral("liveDock"));
    m_liveDock->setWidget(m_livePanel);
    m_docks->setLiveDock(m_liveDock);
    m_presenter->setLiveDock(m_liveDock);
    m_viewMenu->addAction((new ConsumerViewActions(this, m_workspace, m_view, m_livePanel, m_streams, m_connection, m_sender))->action());
    // After the Journey dock's entry (the Sandbox dock's entry goes in before it, once it runs).
    m_viewMenu->insertAction(m_viewMenu->actions().value(4),
                             m_docks->makeDockAction(m_liveDock, "showLiveDock", QKeySequence(Qt::CTRL | Qt::Key_L)));
    connect(m_connection, &ConnectionController::clientChanged, m_livePanel, &LiveStreamPanel::setClient);
    connect(m_workspace, &Workspace::routingChanged, m_livePanel, [this] {
        m_livePanel->setStream(m_workspace->streamName());
        m_livePanel->setShardMap(m_workspace->streamName().isEmpty() ? ShardMap() : m_workspace->shardMap());
    });
    // A sent row and the live record it became select each other.
    connect(m_view, &RecordsView::currentStoreRowChanged, m_livePanel, &LiveStreamPanel::showSentRow);
    connect(m_livePanel, &LiveStreamPanel::sentRowSelected, m_view, &RecordsView::selectStoreRow);
    // The journey's last step: the row's record as the live view read it back.
    const auto showSighting = [this] {
        const int row = m_journey->row();
        if (row < 0 || row >= m_workspace->rowCount())
            return;
        const send::SendResults &results = m_workspace->results();
        std::optional<JourneySighting> seen;
        if (results.status(row) == send::RowStatus::Succeeded) {
            const LiveRecordsModel *live = m_livePanel->model();
            if (const int at = live->rowOf(results.shardId(row), results.sequenceNumber(row)); at >= 0) {
                const stream::ReadRecord &r = live->record(at);
                seen = JourneySighting{r.shardId, r.sequenceNumber, QDateTime::fromMSecsSinceEpoch(r.arrivalMs, Qt::UTC)};
            }
        }
        m_journey->setSighting(row, seen);
    };
    connect(m_view, &RecordsView::currentStoreRowChanged, this, showSighting);
    connect(m_livePanel->model(), &QAbstractItemModel::rowsInserted, this, showSighting);
    connect(m_livePanel->model(), &QAbstractItemModel::modelReset, this, showSighting);
}

} // namespace kwb::ui
