#include "MainWindow.h"

#include "DockLayout.h"
#include "controllers/ConsumerViewActions.h"
#include "Icons.h"
#include "WorkbenchSettings.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/LivePresenter.h"
#include "controllers/PresenterMode.h"
#include "controllers/SendActions.h"
#include "controllers/SendController.h"
#include "controllers/ShardMapPresenter.h"
#include "controllers/SignInController.h"
#include "controllers/StatsController.h"
#include "controllers/StreamController.h"
#include "controllers/TargetList.h"
#include "dialogs/Confirmation.h"
#include "models/RecordsModel.h"
#include "models/RequestLogModel.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"
#include "views/GeneratePanel.h"
#include "controllers/GenerateRowWindow.h"
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

/// A dock of the window holding `content`, named for the saved window state (and for tests).
QDockWidget *newDock(QMainWindow *window, const QString &title, const char *name, QWidget *content)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(QLatin1String(name));
    dock->setWidget(content);
    return dock;
}

/// `panel` in a frameless scroll area named `name`: it scrolls when its dock is short.
QScrollArea *scrolling(QWidget *panel, const char *name)
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QLatin1String(name));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(panel);
    return scroll;
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
    createGenerateDock();
    createStatusBar();
    wire();
    m_actions = new WindowActions({this, m_workspace, m_session, m_document, m_files, m_rows, m_sends, m_sender, m_streams,
                                   m_connectionPresenter, m_view, m_filterBar, m_editor, m_sendBar, m_docks, m_presenter});
    createLiveDock();
    new SignInController(m_connection, m_connectionBar, m_banner, m_sender, this); // Sign in, MFA, Who am I?
    m_shardPanel->setMap(m_workspace->shardMap(), QString());
    m_filterBar->setShardMap(m_workspace->shardMap());
    m_docks->applyDefault();
    m_connectionPresenter->rebuildTargets();
    m_connection->refreshProfiles();
    resize(1280, 720); // fits a 1366×768 laptop screen with a panel and a title bar
    m_connectionBar->setConnectionState(ConnectionController::State::Disconnected, {});
    if (services.restoreSession)
        restoreSession();
    m_session->startAutosave(services.autosaveDirectory, services.autosaveIntervalMs);
    setAcceptDrops(true);
    updateTitle();
}

MainWindow::~MainWindow()
{
    // Qt deletes children in creation order, the workspace first: nothing here may react to
    // that, and the send engine, which reads the workspace's rows, goes before it.
    delete m_actions;
    delete m_live;
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
    m_editorDock = newDock(this, tr("Record"), "editorDock", m_editor);
    addDockWidget(Qt::RightDockWidgetArea, m_editorDock);

    m_shardPanel = new ShardMapPanel(this);
    // Scrolls when short, so the Record dock above it can have the room at first launch.
    m_shardDock = newDock(this, tr("Shard map"), "shardDock", scrolling(m_shardPanel, "shardScroll"));
    addDockWidget(Qt::RightDockWidgetArea, m_shardDock);

    m_logDock = newDock(this, tr("Request log"), "logDock", new RequestLogPanel(m_log, this));
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_docks = new DockLayout(this, m_editorDock, m_shardDock, m_logDock);
}

void MainWindow::createJourneyAndPresenter()
{
    m_journey = new JourneyPanel(m_workspace, this);
    m_journeyDock = newDock(this, tr("Journey"), "journeyDock", m_journey);
    m_docks->setJourneyDock(m_journeyDock);
    connect(m_view, &RecordsView::currentStoreRowChanged, m_journey, &JourneyPanel::setRow);
    connect(m_editor, &RecordEditorPanel::keyEdited, m_journey, &JourneyPanel::previewKey);

    m_presenter = new PresenterMode(this);
    m_presenter->setDocks({m_journeyDock, m_shardDock});
    m_presenter->setHiddenWidgets({m_filterBar});
    connect(m_presenter, &PresenterMode::zoomChanged, m_model, &RecordsModel::setFontScale);
    connect(m_presenter, &PresenterMode::activeChanged, m_shardPanel->chart(), &ShardChartWidget::setPresenting);
}

void MainWindow::createGenerateDock()
{
    m_generatePanel = new GeneratePanel(this);
    // Scrolls when short, so it never makes the window taller than a laptop's screen.
    m_generateDock = newDock(this, tr("Generate"), "generateDock", scrolling(m_generatePanel, "generateScroll"));
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
    new GenerateRowWindow(runner, m_workspace, runner); // the newest generated rows in the table
}

void MainWindow::createLiveDock()
{
    m_livePanel = new LiveStreamPanel(this);
    m_liveDock = newDock(this, tr("Live stream"), "liveDock", m_livePanel);
    m_docks->setLiveDock(m_liveDock);
    m_presenter->setLiveDock(m_liveDock);
    // After the Journey dock's entry (the Sandbox dock's entry goes in before that, once it runs).
    m_actions->addDockAction(m_docks->makeDockAction(m_liveDock, "showLiveDock", QKeySequence(Qt::CTRL | Qt::Key_L)), "showGenerateDock");
    m_live = new LivePresenter({m_connection, m_workspace, m_view, m_livePanel, m_journey}, this);
    m_actions->addViewAction((new ConsumerViewActions(this, m_workspace, m_view, m_livePanel, m_streams, m_connection, m_sender))->action());
}

void MainWindow::createStatusBar()
{
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
}

void MainWindow::wire()
{
    // Connection and streams.
    m_connectionPresenter = new ConnectionPresenter(
        {this, m_connectionBar, m_banner, m_connection, m_streams, m_sender, m_workspace, m_log}, m_services.restoreSession);

    // Routing, the shard map, the filter and the editor follow the workspace and the table.
    m_shardLinks = new ShardMapPresenter({m_workspace, m_model, m_view, m_filterBar, m_shardPanel, m_editor, m_stats, m_sender}, this);

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

    // The workspace as a document: title, progress, what a save or an open did.
    connect(m_document, &DocumentActions::titleChanged, this, &MainWindow::updateTitle);
    connect(m_session, &SessionController::busyChanged, this, [this](bool busy) {
        m_importProgress->setValue(0);
        m_importProgress->setVisible(busy);
    });
    connect(m_session, &SessionController::progressChanged, m_importProgress, &QProgressBar::setValue);
    connect(m_document, &DocumentActions::opened, this, [this](const workspace::WorkspaceHeader &header) {
        applyWorkspaceHeader(header);
        updateTitle();
    });
    connect(m_workspace, &Workspace::wasReset, this, &MainWindow::updateTitle);

    // Sending.
    // Pacing and the chart's limit lines follow the target's limits.
    connect(m_sender, &SendController::limitsChanged, m_shardPanel->chart(), &ShardChartWidget::setLimits);
    m_shardPanel->chart()->setLimits(m_sender->targetLimits());
    m_sendBar->bind(m_sender);
    connect(m_sender, &SendController::runningChanged, m_connectionBar, &ConnectionBar::setBusy);
    m_sends = new SendActions({this, m_sender, m_connection, m_workspace, m_model, m_view, m_banner});

    // Import and export.
    m_files = new FileActions({this, m_workspace, m_importer, m_exporter, m_sender, m_document, m_banner, m_view, m_importProgress,
                               m_importCancel},
                              m_services);
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
    auto *panel = new SandboxPanel(server, this);
    m_sandboxDock = newDock(this, tr("Sandbox"), "sandboxDock", panel);
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
    m_actions->addDockAction(m_docks->makeDockAction(m_sandboxDock, "showSandboxDock", QKeySequence(Qt::CTRL | Qt::Key_4)),
                             "showJourneyDock");
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
    h.generator = m_generatePanel->saved();
    return h;
}

void MainWindow::applyWorkspaceHeader(const workspace::WorkspaceHeader &header)
{
    m_sender->applySavedOptions(header.send);
    m_generatePanel->restore(header.generator);
    m_shardPanel->setVirtualShardCount(header.virtualShards);

    m_connectionPresenter->goToSaved(header);
}

void MainWindow::offerRestore()
{
    m_document->offerRestore(SessionController::findOrphans(m_services.autosaveDirectory));
}

void MainWindow::updateTitle()
{
    const QString name = m_document->documentName();
    setWindowTitle(name.isEmpty() ? tr("Kinesis Workbench") : tr("%1[*] — Kinesis Workbench").arg(name));
    setWindowModified(m_document->hasUnsavedChanges());
}

} // namespace kwb::ui
