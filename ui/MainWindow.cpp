#include "MainWindow.h"

#include "Icons.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/ProblemText.h"
#include "controllers/SignInController.h"
#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "controllers/StreamController.h"
#include "dialogs/CreateStreamDialog.h"
#include "dialogs/CustomEndpointDialog.h"
#include "io/ClipboardRows.h"
#include "io/ImportJobs.h"
#include "models/RecordsModel.h"
#include "models/RequestLogModel.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"
#include "views/GeneratePanel.h"
#include "controllers/GenerateController.h"
#include "views/FilterBar.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardChartWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include "views/SandboxPanel.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QPushButton>
#include <QTimer>
#include <QUrl>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QSet>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <numeric>

namespace kwb::ui {

namespace {

constexpr int kMaxRecentFiles = 8;
/// Copies of more rows than this are formatted in the thread pool.
constexpr size_t kCopyOnGuiThreadLimit = 20000;
/// Selected rows shown as markers on the shard map.
constexpr int kMaxMarkers = 1000;

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

    m_connectionBar = new ConnectionBar(this);
    auto *connectionToolBar = new QToolBar(tr("Connection"), this);
    connectionToolBar->setObjectName(QStringLiteral("connectionToolBar"));
    connectionToolBar->setMovable(false);
    connectionToolBar->addWidget(m_connectionBar);
    addToolBar(Qt::TopToolBarArea, connectionToolBar);

    createDocks();
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
    new SignInController(m_connection, m_connectionBar, m_banner, m_sender, this); // Sign in, MFA, Who am I?
    m_shardPanel->setMap(m_workspace->shardMap(), QString());
    m_filterBar->setShardMap(m_workspace->shardMap());
    m_view->setEmptyActions({action(QStringLiteral("addRow")), action(QStringLiteral("openFile")),
                             action(QStringLiteral("openSample"))});
    applyDefaultLayout();
    rebuildTargets();
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
    connect(makeAction("newWorkspace", tr("&New workspace"), QKeySequence::New), &QAction::triggered, this, [this] {
        const auto startAfresh = [this] {
            m_workspace->clear();
            m_currentFile.clear();
            m_session->newDocument();
            updateTitle();
        };
        if (m_session->isModified() && m_workspace->rowCount() > 0)
            return saveChangesThen(startAfresh);
        if (m_workspace->rowCount() == 0 || !m_session->documentPath().isEmpty())
            return startAfresh();
        confirmThen(tr("Remove all %1 rows? This cannot be undone.").arg(QLocale().toString(m_workspace->rowCount())), startAfresh);
    });
    connect(makeAction("openFile", tr("&Open…"), QKeySequence::Open, "open"), &QAction::triggered, this,
            [this] { showOpenDialog(false); });
    connect(makeAction("addFromFile", tr("&Add records from file…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)),
            &QAction::triggered, this, [this] { showOpenDialog(true); });
    connect(makeAction("openSample", tr("Open &sample records"), {}), &QAction::triggered, this, &MainWindow::loadSample);
    connect(makeAction("saveWorkspace", tr("&Save workspace"), QKeySequence::Save), &QAction::triggered, this, &MainWindow::save);
    connect(makeAction("saveWorkspaceAs", tr("Save workspace &as…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            &QAction::triggered, this, &MainWindow::showSaveAsDialog);
    connect(makeAction("exportResultsJsonl", tr("Export results as JSON &Lines…"), QKeySequence(Qt::CTRL | Qt::Key_E), "export"),
            &QAction::triggered, this, [this] { showExportDialog(ExportController::Format::ResultsJsonl); });
    connect(makeAction("exportResultsCsv", tr("Export results as &CSV…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)),
            &QAction::triggered, this, [this] { showExportDialog(ExportController::Format::ResultsCsv); });
    connect(makeAction("exportRecordsAwsCli", tr("Export records for the &AWS CLI…"), {}), &QAction::triggered, this,
            [this] { showExportDialog(ExportController::Format::AwsCliRecords); });
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
            [this] {
                m_streams->refreshStreams();
                m_streams->refreshShards();
            });
    connect(makeAction("createStream", tr("Create &stream…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N), "create-stream"),
            &QAction::triggered, this, &MainWindow::showCreateStreamDialog);

    // Help
    connect(makeAction("shortcuts", tr("&Keyboard shortcuts"), QKeySequence::HelpContents), &QAction::triggered, this,
            &MainWindow::showShortcuts);
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
    file->addAction(action(QStringLiteral("newWorkspace")));
    file->addAction(action(QStringLiteral("openFile")));
    file->addAction(action(QStringLiteral("addFromFile")));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addAction(action(QStringLiteral("openSample")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("saveWorkspace")));
    file->addAction(action(QStringLiteral("saveWorkspaceAs")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("exportResultsJsonl")));
    file->addAction(action(QStringLiteral("exportResultsCsv")));
    file->addAction(action(QStringLiteral("exportRecordsAwsCli")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    for (const char *name : {"undo", "redo", "", "addRow", "duplicateRows", "deleteRows", "", "copyRows", "pasteRows", "",
                             "find", "clearFilter"}) {
        if (*name == '\0')
            edit->addSeparator();
        else
            edit->addAction(action(QLatin1String(name)));
    }

    QMenu *send = menuBar()->addMenu(tr("&Send"));
    for (const char *name : {"sendAll", "sendSelected", "retryFailed", "cancelSend", "abortSend"})
        send->addAction(action(QLatin1String(name)));

    QMenu *stream = menuBar()->addMenu(tr("S&tream"));
    for (const char *name : {"customEndpoint", "refreshStreams", "createStream"})
        stream->addAction(action(QLatin1String(name)));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(makeDockAction(m_editorDock, "showEditorDock", QKeySequence(Qt::CTRL | Qt::Key_1)));
    m_viewMenu->addAction(makeDockAction(m_shardDock, "showShardDock", QKeySequence(Qt::CTRL | Qt::Key_2)));
    m_viewMenu->addAction(makeDockAction(m_logDock, "showLogDock", QKeySequence(Qt::CTRL | Qt::Key_3)));
    m_viewMenu->addMenu(m_view->columnsMenu());
    m_viewMenu->addSeparator();
    QAction *resetLayout = m_viewMenu->addAction(tr("&Reset layout"));
    resetLayout->setObjectName(QStringLiteral("resetLayout"));
    resetLayout->setToolTip(tr("The docks and the table's columns as at the first launch"));
    connect(resetLayout, &QAction::triggered, this, [this] {
        applyDefaultLayout();
        sizeDefaultDocks();
        m_view->resetColumns();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(QStringLiteral("shortcuts")));
    help->addAction(action(QStringLiteral("about")));
    rebuildRecentMenu();
}

QAction *MainWindow::makeDockAction(QDockWidget *dock, const char *name, const QKeySequence &shortcut)
{
    auto *a = new QAction(dock->windowTitle(), this);
    a->setObjectName(QLatin1String(name));
    a->setCheckable(true);
    a->setShortcut(shortcut);
    a->setToolTip(tr("Show the %1 dock (%2); hides it when it is in front already")
                      .arg(dock->windowTitle(), shortcut.toString(QKeySequence::NativeText)));
    // Checked while the dock is open, in front or as a background tab (as Qt's own toggle).
    a->setChecked(dock->toggleViewAction()->isChecked());
    connect(dock->toggleViewAction(), &QAction::toggled, a, &QAction::setChecked);
    connect(a, &QAction::triggered, this, [this, a, dock] {
        showOrHideDock(dock);
        a->setChecked(dock->toggleViewAction()->isChecked());
    });
    return a;
}

void MainWindow::showOrHideDock(QDockWidget *dock)
{
    const bool open = dock->toggleViewAction()->isChecked();
    // A background tab is open but covered by the tab in front: it has nothing to show.
    const bool inFront = open && dock->isVisible() && !dock->visibleRegion().isEmpty();
    if (inFront) {
        dock->hide();
        return;
    }
    dock->show();
    dock->raise();
    if (dock->widget())
        dock->widget()->setFocus();
}

void MainWindow::applyDefaultLayout()
{
    QList<QDockWidget *> docks{m_editorDock, m_shardDock, m_logDock};
    if (m_sandboxDock)
        docks << m_sandboxDock;
    if (m_generateDock)
        docks << m_generateDock;
    for (QDockWidget *dock : docks) {
        dock->setFloating(false);
        removeDockWidget(dock);
    }
    addDockWidget(Qt::RightDockWidgetArea, m_editorDock);
    addDockWidget(Qt::RightDockWidgetArea, m_shardDock);
    splitDockWidget(m_editorDock, m_shardDock, Qt::Vertical);
    // The request log as a tab: a few rows need no third of the window.
    if (m_sandboxDock)
        tabifyDockWidget(m_shardDock, m_sandboxDock);
    tabifyDockWidget(m_shardDock, m_logDock);
    if (m_generateDock)
        tabifyDockWidget(m_shardDock, m_generateDock);
    for (QDockWidget *dock : docks)
        dock->show();
    m_shardDock->raise();
    sizeDefaultDocks();
}

void MainWindow::sizeDefaultDocks()
{
    // The editor gets the larger part of the right column: its Route line and attempt history
    // are what a user reads there; the table keeps the width for its results.
    const int ch = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // As wide as the shard map needs (it scrolls up and down only).
    if (auto *scroll = qobject_cast<QScrollArea *>(m_shardDock->widget()))
        scroll->setMinimumWidth(m_shardPanel->minimumSizeHint().width() + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent)
                                + 2);
    const int column = std::max(height() - 160, 400);
    resizeDocks({m_editorDock}, {std::clamp(width() * 3 / 10, ch * 46, ch * 64)}, Qt::Horizontal);
    resizeDocks({m_editorDock, m_shardDock}, {column * 66 / 100, column * 34 / 100}, Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes take once the window has its size; a restored state keeps the saved ones.
    if (!std::exchange(m_shownOnce, true) && !m_stateRestored)
        sizeDefaultDocks();
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

    m_logView = new QTableView(this);
    m_logView->setObjectName(QStringLiteral("logView"));
    m_logView->setModel(m_log);
    m_logView->verticalHeader()->setVisible(false);
    m_logView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 6);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setWordWrap(false);
    const int ch = m_logView->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[] = {14, 22, 10, 9, 8, 10, 11, 36, 30};
    for (int c = 0; c < RequestLogModel::ColumnCount; ++c)
        m_logView->setColumnWidth(c, widths[c] * ch);
    auto *logPanel = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logPanel);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto *clearLog = new QToolButton(logPanel);
    clearLog->setText(tr("Clear"));
    clearLog->setObjectName(QStringLiteral("clearLog"));
    connect(clearLog, &QToolButton::clicked, m_log, &RequestLogModel::clear);
    auto *logTitle = new QLabel(tr("Each HTTP request: the last %1 are kept.").arg(QLocale().toString(m_log->limit())), logPanel);
    auto *logTop = new QHBoxLayout;
    logTop->addWidget(logTitle, 1);
    logTop->addWidget(clearLog);
    logLayout->addLayout(logTop);
    logLayout->addWidget(m_logView, 1);
    m_logDock = new QDockWidget(tr("Request log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(logPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    // Follow new entries while scrolled to the bottom.
    connect(m_log, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_logView->verticalScrollBar()->value() >= m_logView->verticalScrollBar()->maximum() - 2)
            m_logView->scrollToBottom();
    });
}

void MainWindow::wire()
{
    // Connection and streams.
    connect(m_connectionBar, &ConnectionBar::targetChosen, this, &MainWindow::connectToTarget);
    connect(m_connectionBar, &ConnectionBar::customEndpointRequested, this, [this] {
        m_connectionBar->setCurrentTarget(m_connection->target().id);
        showCustomEndpointDialog();
    });
    connect(m_connectionBar, &ConnectionBar::editTargetRequested, this, &MainWindow::showCustomEndpointDialog);
    connect(m_connectionBar, &ConnectionBar::productionToggled, this, [this](bool production) {
        ConnectionTarget target = m_connectionBar->currentTarget();
        if (!target.isValid())
            return;
        QSettings settings;
        TargetSettings::setProduction(settings, target.id, production);
        m_connectionBar->setProduction(production);
        if (m_connection->target().id == target.id)
            m_connection->setTargetProduction(production); // what sending checks
        rebuildTargets();
    });
    connect(m_connectionBar, &ConnectionBar::streamChosen, this, &MainWindow::chooseStream);
    connect(m_connectionBar, &ConnectionBar::refreshRequested, action(QStringLiteral("refreshStreams")), &QAction::trigger);
    connect(m_connectionBar, &ConnectionBar::createStreamRequested, this, &MainWindow::showCreateStreamDialog);
    connect(m_connection, &ConnectionController::profilesChanged, this, &MainWindow::rebuildTargets);
    connect(m_connection, &ConnectionController::sandboxChanged, this, [this] {
        rebuildTargets();
        const ConnectionTarget current = m_connection->target();
        if (m_connection->isSandboxReady()
            && (current.kind == ConnectionTarget::Kind::Sandbox || m_connection->state() == ConnectionController::State::Disconnected)) {
            ConnectionTarget sandbox = ConnectionTarget::sandbox();
            QSettings settings;
            sandbox.production = TargetSettings::isProduction(settings, sandbox.id);
            connectToTarget(sandbox);
        }
    });
    connect(m_connection, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
        if (state == ConnectionController::State::Connecting)
            m_connectionBar->setConnectionState(state, tr("Connecting to %1…").arg(m_connection->target().label()));
        updateActions();
    });
    connect(m_connection, &ConnectionController::clientChanged, this, [this](net::KinesisClient *client) {
        m_streams->setClient(client);
        m_sender->setClient(client);
        m_sender->setStream(QString());
        m_sender->setShardMap(ShardMap());
        m_workspace->setStreamShardMap(QString(), ShardMap());
        m_workspace->setMaxRecordBytes(limits::kDefaultMaxRecordBytes);
        m_connectionBar->setStreams({}, {});
        if (client)
            connect(client, &net::KinesisClient::requestFinished, m_log, &RequestLogModel::append);
    });
    connect(m_connection, &ConnectionController::connected, this, [this](const ConnectionInfo &info) {
        m_connectionBar->setConnectionState(ConnectionController::State::Connected,
                                            tr("%1 · %2").arg(info.endpoint, info.region));
        m_connectionBar->setProduction(m_connection->target().production);
        m_banner->clear();
        statusBar()->showMessage(tr("Connected to %1 (%2); credentials %3").arg(info.endpoint, info.region, info.credentialSource), 8000);
        m_streams->refreshStreams();
    });
    connect(m_connection, &ConnectionController::connectionFailed, this, [this](const QString &problem) {
        m_connectionBar->setConnectionState(ConnectionController::State::Failed, problem);
        const ConnectionTarget target = m_connection->target();
        if (target.kind == ConnectionTarget::Kind::Custom)
            m_banner->showMessage(Banner::Kind::Error, problem, tr("Edit target…"), [this, target] { showCustomEndpointDialog(target); });
        else
            m_banner->showMessage(Banner::Kind::Error, problem, tr("Try again"), [this, target] { connectToTarget(target); });
    });
    connect(m_streams, &StreamController::streamsChanged, this, [this](const QStringList &streams) {
        QSettings settings;
        const QString last = m_services.restoreSession ? TargetSettings::lastStream(settings, m_connection->target().id) : QString();
        QString keep = streams.contains(m_streams->stream()) ? m_streams->stream() : (streams.contains(last) ? last : QString());
        // The list of a new connection, not the empty one a client change starts with.
        if (m_streams->hasListed() && !m_pendingStream.isEmpty()) {
            const QString wanted = std::exchange(m_pendingStream, QString());
            if (streams.contains(wanted))
                keep = wanted;
            else
                m_banner->showMessage(Banner::Kind::Warning,
                                      tr("The workspace was sent to stream %1, which %2 does not have. Create it (Stream ▸ Create "
                                         "stream…) or choose another stream.")
                                          .arg(wanted, m_connection->target().label()));
        }
        // The built-in sandbox starts with a demo stream: ready to send to on the first run.
        if (keep.isEmpty() && m_connection->target().kind == ConnectionTarget::Kind::Sandbox && !streams.isEmpty())
            keep = streams.contains(QStringLiteral("demo")) ? QStringLiteral("demo") : streams.first();
        m_connectionBar->setStreams(streams, keep);
        if (!keep.isEmpty() && keep != m_streams->stream())
            chooseStream(keep);
        updateActions();
    });
    connect(m_streams, &StreamController::streamsFailed, this, [this](const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        m_connectionBar->setConnectionState(ConnectionController::State::Failed, problem);
        m_banner->showMessage(Banner::Kind::Error, problem, tr("Try again"), [this] { m_streams->refreshStreams(); });
    });
    connect(m_streams, &StreamController::summaryChanged, this, [this](const net::StreamSummary &summary) {
        m_connectionBar->setStreamSummary(summary);
        m_workspace->setMaxRecordBytes(summary.maxRecordBytes());
        if (!m_openedStream.isEmpty() && summary.name == m_openedStream)
            checkResultsAgainstStream(summary.name, summary.createdMs);
    });
    connect(m_streams, &StreamController::shardMapChanged, this, [this](const QString &stream, const ShardMap &map) {
        m_workspace->setStreamShardMap(stream, map);
        m_sender->setShardMap(map);
    });
    connect(m_streams, &StreamController::streamFailed, this, [this](const QString &stream, const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        m_connectionBar->setStreamProblem(problem);
        m_banner->showMessage(Banner::Kind::Error, tr("Stream %1: %2").arg(stream, problem));
    });
    connect(m_streams, &StreamController::creationProgress, this, [this](const QString &, const QString &status, qint64 ms) {
        if (m_createDialog)
            m_createDialog->setProgress(status, ms);
    });
    connect(m_streams, &StreamController::creationFinished, this, [this](const QString &name) {
        if (m_createDialog)
            m_createDialog->accept();
        statusBar()->showMessage(tr("Stream %1 is active.").arg(name), 8000);
        QSettings settings;
        TargetSettings::setLastStream(settings, m_connection->target().id, name);
        m_streams->refreshStreams();
        chooseStream(name);
    });
    connect(m_streams, &StreamController::creationFailed, this, [this](const QString &, const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        if (m_createDialog)
            m_createDialog->setFailed(problem);
        else
            m_banner->showMessage(Banner::Kind::Error, problem);
    });

    // Routing: the shard map panel and the filter's shard list follow the workspace's map.
    connect(m_workspace, &Workspace::routingChanged, this, [this] {
        int closed = 0;
        for (const Shard &s : m_workspace->shardMap().shards())
            closed += !s.isOpen();
        m_shardPanel->setMap(m_workspace->shardMap(), m_workspace->streamName(), closed);
        m_filterBar->setShardMap(m_workspace->shardMap());
        updateSelectionMarkers();
    });
    connect(m_shardPanel, &ShardMapPanel::virtualShardCountChanged, m_workspace, &Workspace::setVirtualShardCount);
    connect(m_shardPanel, &ShardMapPanel::shardClicked, this,
            [this](const QString &shardId) { m_filterBar->showShard(shardId, RowFilter::ShardSource::Predicted); });

    // Filter, sort and the table.
    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const RowFilter &filter) {
        m_model->setFilter(filter);
        m_shardPanel->setSelectedShard(filter.shardSource == RowFilter::ShardSource::Predicted ? filter.shardId : QString());
    });
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
    connect(m_stats, &StatsController::statsChanged, this, [this](const WorkspaceStats &stats) {
        m_filterBar->setStats(stats);
        m_shardPanel->setStats(stats);
        m_editor->setShardRecords(stats.shardRecords);
    });
    connect(m_view, &RecordsView::currentStoreRowChanged, m_editor, &RecordEditorPanel::setRow);
    connect(m_view, &RecordsView::selectionChangedRows, this, [this] {
        updateSelectionMarkers();
        updateActions();
    });
    // A key edited (here, in the editor, by undo) moves its row's marker.
    connect(m_workspace, &Workspace::recordsEdited, this, &MainWindow::updateSelectionMarkers);
    // The editor's dashed preview belongs to the row it shows: gone with it.
    connect(m_view, &RecordsView::currentStoreRowChanged, this, [this](int row) {
        if (row < 0)
            m_shardPanel->setPreviewMarker(std::nullopt);
    });
    // Replaced rows: the selection went without a word (a model reset), and so do the markers.
    connect(m_workspace, &Workspace::wasReset, this, [this] {
        m_shardPanel->setPreviewMarker(std::nullopt);
        updateSelectionMarkers();
    });
    connect(m_editor, &RecordEditorPanel::previewHashKey, this, [this](UInt128 key) { m_shardPanel->setPreviewMarker(key); });
    connect(m_workspace->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::lockedChanged, this, &MainWindow::updateActions);
    connect(m_workspace, &Workspace::wasReset, this, &MainWindow::updateActions);

    // The workspace as a document: title, progress, what a save or an open did.
    connect(m_session, &SessionController::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_session, &SessionController::documentPathChanged, this, &MainWindow::updateTitle);
    connect(m_session, &SessionController::busyChanged, this, [this](bool busy) {
        m_importProgress->setValue(0);
        m_importProgress->setVisible(busy);
        updateActions();
    });
    connect(m_session, &SessionController::progressChanged, m_importProgress, &QProgressBar::setValue);
    connect(m_session, &SessionController::saved, this, [this](const QString &path) {
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 8000);
        addRecentFile(path);
        if (auto next = std::exchange(m_afterSave, {}))
            next();
    });
    connect(m_session, &SessionController::saveFailed, this, [this](const QString &path, const QString &problem) {
        m_afterSave = {};
        m_closeAnswered = false;
        statusBar()->clearMessage();
        m_banner->showMessage(Banner::Kind::Error, tr("The workspace was not saved to %1. %2").arg(QFileInfo(path).fileName(), problem),
                              tr("Save as…"), [this] { showSaveAsDialog(); });
    });
    connect(m_session, &SessionController::opened, this, [this](const QString &path, const workspace::WorkspaceHeader &header) {
        m_currentFile.clear();
        m_banner->clear();
        const bool restored = m_session->documentPath() != path;
        if (!restored)
            addRecentFile(path);
        statusBar()->showMessage(restored ? tr("Restored %1 rows with their results.").arg(QLocale().toString(m_workspace->rowCount()))
                                          : tr("Opened %1: %2 rows.").arg(QFileInfo(path).fileName(), QLocale().toString(m_workspace->rowCount())),
                                 10000);
        // Checked once its stream answers: were these results written to that stream?
        m_openedStream = header.counts.succeeded > 0 ? header.stream : QString();
        m_openedSavedAt = header.savedAt;
        applyWorkspaceHeader(header);
        updateTitle();
        updateActions();
    });
    connect(m_session, &SessionController::openFailed, this, [this](const QString &, const QString &problem) {
        statusBar()->clearMessage();
        m_banner->showMessage(Banner::Kind::Error, problem);
    });
    connect(m_workspace, &Workspace::wasReset, this, &MainWindow::updateTitle);

    // Sending.
    connect(m_sendBar, &SendBar::optionsChanged, m_sender, &SendController::setOptions);
    // Pacing and the chart's limit lines follow the target's limits.
    connect(m_sender, &SendController::limitsChanged, m_shardPanel->chart(), &ShardChartWidget::setLimits);
    connect(m_sender, &SendController::limitsChanged, m_sendBar, &SendBar::setLimitsText);
    m_shardPanel->chart()->setLimits(m_sender->targetLimits());
    m_sender->setOptions(m_sendBar->options());
    connect(m_sender, &SendController::runningChanged, this, [this](bool running) {
        m_sending = running;
        m_sendBar->setRunning(running);
        m_connectionBar->setBusy(running);
        // "A send is already running" is about this send: gone with it.
        if (!running && !m_refusal.isEmpty() && m_banner->text().endsWith(m_refusal))
            m_banner->clear();
        updateActions();
    });
    connect(m_sender, &SendController::countersChanged, m_sendBar, &SendBar::setCounters);
    connect(m_sender, &SendController::failedRowsChanged, this, [this](int count) {
        m_sendBar->setFailedRows(count);
        updateActions();
    });
    connect(m_sender, &SendController::refused, this, [this](const QString &why) {
        m_refusal = why;
        m_banner->showMessage(Banner::Kind::Warning, why);
    });
    connect(m_sender, &SendController::finished, this, [this](const send::SendCounters &c) {
        const QLocale locale;
        statusBar()->showMessage(tr("Send finished: %1 succeeded, %2 failed, %3 throttled answers, in %4 s")
                                     .arg(locale.toString(c.succeeded), locale.toString(c.failed), locale.toString(c.throttled))
                                     .arg(double(c.elapsedMs) / 1000.0, 0, 'f', 1),
                                 10000);
        if (!m_model->isIdentity())
            m_model->refresh();
    });

    // Import and export.
    connect(m_importer, &ImportController::started, this, [this](const QString &description) {
        m_importProgress->setValue(0);
        m_importProgress->setVisible(true);
        m_importCancel->setVisible(true);
        statusBar()->showMessage(description);
    });
    connect(m_importer, &ImportController::progressChanged, m_importProgress, &QProgressBar::setValue);
    connect(m_importCancel, &QToolButton::clicked, m_importer, &ImportController::cancel);
    const auto importDone = [this] {
        m_importProgress->setVisible(false);
        m_importCancel->setVisible(false);
    };
    connect(m_importer, &ImportController::finished, this,
            [this, importDone](const QString &summary, const QStringList &issues, qint64 issueCount) {
                importDone();
                // Imported rows that replaced the workspace's are a new, unsaved document; the
                // untouched sample is nothing to save.
                const bool sample = std::exchange(m_loadingSample, false);
                if (std::exchange(m_importReplaces, false)) {
                    m_session->newDocument();
                    m_session->setModified(!sample);
                }
                updateTitle();
                statusBar()->showMessage(summary, 10000);
                if (issueCount > 0)
                    m_banner->showMessage(Banner::Kind::Warning,
                                          tr("%1 First problem: %2").arg(summary, issues.value(0)));
                else
                    m_banner->clear();
                m_view->setFocus();
            });
    connect(m_importer, &ImportController::failed, this, [this, importDone](const QString &problem) {
        importDone();
        m_loadingSample = false;
        m_importReplaces = false;
        m_banner->showMessage(Banner::Kind::Error, problem);
    });
    connect(m_importer, &ImportController::cancelled, this, [this, importDone] {
        importDone();
        m_loadingSample = false;
        m_importReplaces = false;
        statusBar()->showMessage(tr("Import cancelled."), 5000);
    });
    connect(m_exporter, &ExportController::finished, this, [this](ExportController::Format, const QStringList &paths) {
        statusBar()->showMessage(paths.size() == 1 ? tr("Wrote %1").arg(paths.first())
                                                   : tr("Wrote %1 files: %2 …").arg(QLocale().toString(paths.size()), paths.value(0)),
                                 10000);
    });
    connect(m_exporter, &ExportController::failed, this, [this](ExportController::Format, const QString &problem) {
        m_banner->showMessage(Banner::Kind::Error, tr("Export failed: %1").arg(problem));
    });
}

void MainWindow::rebuildTargets()
{
    QSettings settings;
    QList<ConnectionTarget> targets;
    ConnectionTarget sandbox = ConnectionTarget::sandbox();
    sandbox.production = TargetSettings::isProduction(settings, sandbox.id);
    targets << sandbox;
    for (const QString &profile : m_connection->profiles()) {
        ConnectionTarget t = m_connection->profileTarget(profile);
        t.production = TargetSettings::isProduction(settings, t.id);
        targets << t;
    }
    targets << TargetSettings::customTargets(settings);
    m_connectionBar->setTargets(targets, m_connection->isSandboxReady() ? QString() : m_connection->sandboxStatus());
    if (m_connection->target().isValid())
        m_connectionBar->setCurrentTarget(m_connection->target().id);
}

void MainWindow::restoreSession()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_stateRestored = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_view->restoreColumns(settings);
    m_sendBar->restoreOptions(settings);
    m_sender->setOptions(m_sendBar->options());
    m_shardPanel->setRate(settings.value(QStringLiteral("shardMap/rate"), 1000).toInt());
    m_shardPanel->setVirtualShardCount(settings.value(QStringLiteral("shardMap/virtualShards"), 4).toInt());
    const QString last = TargetSettings::lastTargetId(settings);
    if (last.isEmpty() || last == QLatin1String("sandbox"))
        return; // the sandbox connects once it runs
    for (const ConnectionTarget &t : TargetSettings::customTargets(settings)) {
        if (t.id == last) {
            connectToTarget(t);
            return;
        }
    }
    if (last.startsWith(QLatin1String("profile:"))) {
        ConnectionTarget t = ConnectionTarget::forProfile(last.mid(8));
        t.production = TargetSettings::isProduction(settings, t.id);
        connectToTarget(t);
    }
}

void MainWindow::saveSession()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_view->saveColumns(settings);
    m_sendBar->saveOptions(settings);
    settings.setValue(QStringLiteral("shardMap/rate"), m_shardPanel->rate());
    settings.setValue(QStringLiteral("shardMap/virtualShards"), m_shardPanel->virtualShardCount());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_sender->isRunning()) {
        // Requests in flight may or may not be written; say so rather than lose track silently.
        event->ignore();
        confirmThen(tr("A send is running. Abort it and quit? Rows in flight may or may not be written."), [this] {
            m_sender->abort();
            close();
        });
        return;
    }
    if (m_session->isModified() && m_workspace->rowCount() > 0 && !m_closeAnswered) {
        event->ignore();
        saveChangesThen([this] {
            m_closeAnswered = true;
            close();
        });
        return;
    }
    m_closeAnswered = false;
    if (m_services.restoreSession)
        saveSession();
    m_session->finish();
    event->accept();
}

void MainWindow::saveChangesThen(std::function<void()> proceed)
{
    const QString name = m_session->documentPath().isEmpty() ? tr("the workspace") : QFileInfo(m_session->documentPath()).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, windowTitle(),
                                tr("Save the changes to %1? %2 rows with their results.").arg(name, QLocale().toString(m_workspace->rowCount())),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("saveChanges"));
    box->setInformativeText(tr("Without saving, the rows and their send results are gone once you go on."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Save);
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)] {
        const QAbstractButton *clicked = box->clickedButton();
        if (clicked == box->button(QMessageBox::Discard)) {
            proceed();
        } else if (clicked == box->button(QMessageBox::Save)) {
            m_afterSave = proceed;
            save();
        }
    });
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!m_workspace->isLocked() && !urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile() || m_workspace->isLocked())
        return;
    event->acceptProposedAction();
    const QString path = urls.first().toLocalFile();
    // Records dropped onto rows are most likely meant to go with them.
    if (!path.endsWith(QLatin1String(".kwb")) && m_workspace->rowCount() > 0)
        showImportDialog(path, true);
    else
        openPath(path);
    if (urls.size() > 1)
        statusBar()->showMessage(tr("Dropped %1 files; opening the first. Drop the others one at a time.")
                                     .arg(QLocale().toString(urls.size())),
                                 10000);
}

void MainWindow::setSandboxServer(sandbox::SandboxServer *server)
{
    if (m_sandboxDock || !server)
        return;
    m_sandboxDock = new QDockWidget(tr("Sandbox"), this);
    m_sandboxDock->setObjectName(QStringLiteral("sandboxDock"));
    auto *panel = new SandboxPanel(server, m_sandboxDock);
    m_sandboxDock->setWidget(panel);
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
    QAction *toggle = makeDockAction(m_sandboxDock, "showSandboxDock", QKeySequence(Qt::CTRL | Qt::Key_4));
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
    addDockWidget(Qt::RightDockWidgetArea, m_generateDock);
    tabifyDockWidget(m_shardDock, m_generateDock);
    m_shardDock->raise();
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
    m_viewMenu->insertAction(m_viewMenu->actions().value(3),
                             makeDockAction(m_generateDock, "showGenerateDock", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)));
}

void MainWindow::setSandbox(const QUrl &endpoint, const aws::Credentials &credentials)
{
    m_connection->setSandbox(endpoint, credentials);
}

void MainWindow::setSandboxUnavailable(const QString &reason)
{
    m_connection->setSandboxUnavailable(reason);
}

void MainWindow::checkResultsAgainstStream(const QString &stream, qint64 createdMs)
{
    const QDateTime savedAt = std::exchange(m_openedSavedAt, QDateTime());
    m_openedStream.clear();
    // Every result in the file was made before it was saved: a stream created after that is
    // not the one they were written to (a restarted sandbox starts empty).
    if (createdMs < 0 || !savedAt.isValid() || createdMs <= savedAt.toMSecsSinceEpoch())
        return;
    const QLocale locale;
    const bool sandbox = m_connection->target().kind == ConnectionTarget::Kind::Sandbox;
    const QString created = locale.toString(QDateTime::fromMSecsSinceEpoch(createdMs).toLocalTime(), QLocale::ShortFormat);
    const QString saved = locale.toString(savedAt.toLocalTime(), QLocale::ShortFormat);
    const QString text = sandbox
        ? tr("These results were made against an earlier session of the built-in sandbox: its stream %1 was created at "
             "%2, after the workspace was saved (%3), and does not hold these records. Send the rows again to write them "
             "here.")
              .arg(stream, created, saved)
        : tr("These results were made against an earlier stream: %1 was created at %2, after the workspace was saved "
             "(%3), and does not hold these records. Send the rows again to write them here.")
              .arg(stream, created, saved);
    m_banner->showMessage(Banner::Kind::Warning, text);
}

void MainWindow::connectToTarget(const ConnectionTarget &target)
{
    if (m_sender->isRunning())
        return;
    m_banner->clear();
    m_connection->connectTo(target);
    m_connectionBar->setCurrentTarget(target.id);
    m_connectionBar->setProduction(target.production);
    if (m_services.restoreSession) {
        QSettings settings;
        TargetSettings::setLastTargetId(settings, target.id);
    }
}

void MainWindow::saveCustomTarget(const ConnectionTarget &target, const aws::Credentials &typedKeys)
{
    QSettings settings;
    QList<ConnectionTarget> custom = TargetSettings::customTargets(settings);
    bool replaced = false;
    for (ConnectionTarget &t : custom) {
        if (t.id == target.id) {
            t = target;
            replaced = true;
        }
    }
    if (!replaced)
        custom << target;
    TargetSettings::saveCustomTargets(settings, custom);
    rebuildTargets();
    if (!target.keysInKeychain)
        m_connection->forgetKeys(target);
    if (target.keysInKeychain && !typedKeys.isEmpty()) {
        m_connection->storeKeys(target, typedKeys, [this, target](Result<void> stored) {
            if (!stored.ok()) {
                m_banner->showMessage(Banner::Kind::Error, ProblemText::describe(stored.error()), tr("Edit target…"),
                                      [this, target] { showCustomEndpointDialog(target); });
                return;
            }
            connectToTarget(target);
        });
        return;
    }
    connectToTarget(target);
}

void MainWindow::chooseStream(const QString &stream)
{
    m_streams->selectStream(stream);
    m_sender->setStream(stream);
    if (stream.isEmpty()) {
        m_sender->setShardMap(ShardMap());
        m_workspace->setStreamShardMap(QString(), ShardMap());
        m_workspace->setMaxRecordBytes(limits::kDefaultMaxRecordBytes);
    }
    m_connectionBar->setStreams(m_streams->streams(), stream);
    if (m_services.restoreSession) {
        QSettings settings;
        TargetSettings::setLastStream(settings, m_connection->target().id, stream);
    }
    updateActions();
}

void MainWindow::confirmThen(const QString &what, std::function<void()> proceed)
{
    auto *box = new QMessageBox(QMessageBox::Warning, windowTitle(), what, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [box, proceed = std::move(proceed)] {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            proceed();
    });
    box->open();
}

void MainWindow::sendAll()
{
    std::vector<int> rows(size_t(m_workspace->rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    sendAsked(std::move(rows), false);
}

void MainWindow::sendSelected()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (!rows.empty())
        sendAsked(std::move(rows), true);
}

void MainWindow::sendAsked(std::vector<int> rows, bool selected)
{
    if (!m_sender->whyNotReady().isEmpty())
        return void(m_sender->sendRows(std::move(rows))); // refused, with the reason in the banner
    const send::SendResults &results = m_workspace->results();
    const qint64 succeeded = std::count_if(rows.begin(), rows.end(),
                                           [&](int r) { return results.status(r) == send::RowStatus::Succeeded; });
    const QLocale locale;
    const QString production = m_connection->target().production
                                   ? tr(" %1 is a production target.").arg(m_connection->target().label())
                                   : QString();
    // Every row went out already: sending means writing them again, which must be meant.
    if (succeeded == qint64(rows.size())) {
        const QString what = rows.size() == 1 ? tr("This row was sent already.")
                                              : tr("All %1 %2 rows were sent already.")
                                                    .arg(locale.toString(qint64(rows.size())), selected ? tr("selected") : QString())
                                                    .simplified();
        confirmThen(tr("%1 Send again to stream %2? The stream gets the records a second time, as new records.%3")
                        .arg(what, m_sender->stream(), production),
                    [this, rows] { m_sender->sendAgain(rows); });
        return;
    }
    const qint64 toSend = qint64(rows.size()) - succeeded;
    // The rows are moved along, not copied: a million of them are 4 MB.
    auto go = [this, rows = std::move(rows), toSend, succeeded]() mutable {
        m_sender->sendRows(std::move(rows));
        if (succeeded > 0)
            statusBar()->showMessage(tr("Sending %1 rows; %2 that succeeded already are not sent again.")
                                         .arg(QLocale().toString(toSend), QLocale().toString(succeeded)),
                                     10000);
    };
    if (production.isEmpty())
        return go();
    confirmThen(tr("%1 is a production target. Send %2 rows to stream %3?")
                    .arg(m_connection->target().label(), locale.toString(toSend), m_sender->stream()),
                std::move(go));
}

void MainWindow::retryFailed()
{
    const auto go = [this] { m_sender->retryFailed(); };
    if (!m_connection->target().production || !m_sender->whyNotReady().isEmpty())
        return go();
    confirmThen(tr("%1 is a production target. Send the %2 failed rows again to stream %3?")
                    .arg(m_connection->target().label(), QLocale().toString(m_sender->failedRows()), m_sender->stream()),
                go);
}

void MainWindow::cancelSend()
{
    m_sender->cancel();
}

void MainWindow::addRow()
{
    if (m_workspace->isLocked())
        return;
    const int current = m_view->currentStoreRow();
    const int at = current >= 0 ? current + 1 : m_workspace->rowCount();
    RowContent row;
    row.partitionKey = QUuid::createUuid().toString(QUuid::WithoutBraces).toUtf8();
    row.data = QByteArrayLiteral("{}");
    if (m_workspace->insertRows(at, {row}, tr("Add row"))) {
        m_view->selectStoreRow(at);
        m_view->edit(m_model->indexForStoreRow(at, int(RecordColumn::Data)));
    }
}

void MainWindow::duplicateRows()
{
    const int first = m_workspace->duplicateRows(m_view->selectedStoreRows());
    if (first >= 0)
        m_view->selectStoreRow(first);
}

void MainWindow::deleteRows()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        return;
    const int next = *std::min_element(rows.begin(), rows.end());
    if (m_workspace->removeRows(std::move(rows)) && m_workspace->rowCount() > 0)
        m_view->selectStoreRow(std::min(next, m_workspace->rowCount() - 1));
}

void MainWindow::copyRows()
{
    const std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        return;
    if (rows.size() <= kCopyOnGuiThreadLimit)
        return QGuiApplication::clipboard()->setText(ClipboardRows::format(*m_workspace, rows));
    // Many rows make a large text: built in the thread pool from a copy, handed to the clipboard after.
    statusBar()->showMessage(tr("Copying %1 rows…").arg(QLocale().toString(qint64(rows.size()))));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, count = rows.size()] {
        watcher->deleteLater();
        QGuiApplication::clipboard()->setText(watcher->future().result());
        statusBar()->showMessage(tr("Copied %1 rows.").arg(QLocale().toString(qint64(count))), 5000);
    });
    watcher->setFuture(QtConcurrent::run([store = m_workspace->store(), bad = m_workspace->badExplicitHashKeys(), rows] {
        return ClipboardRows::format(store, bad, rows);
    }));
}

void MainWindow::pasteRows()
{
    pasteText(QGuiApplication::clipboard()->text());
}

void MainWindow::pasteText(const QString &text)
{
    if (text.trimmed().isEmpty() || m_workspace->isLocked())
        return;
    // Parsing a large clipboard may take a while: in the thread pool.
    auto *watcher = new QFutureWatcher<std::vector<RowContent>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        std::vector<RowContent> rows = watcher->future().takeResult();
        if (rows.empty() || m_workspace->isLocked())
            return;
        const int current = m_view->currentStoreRow();
        const int count = int(rows.size());
        const int at = current >= 0 ? current + 1 : m_workspace->rowCount();
        const QString n = QLocale().toString(count);
        if (m_workspace->insertRows(at, std::move(rows), (count == 1 ? tr("Paste 1 row") : tr("Paste %1 rows").arg(n)))) {
            m_view->selectStoreRow(at);
            statusBar()->showMessage((count == 1 ? tr("Pasted 1 row.") : tr("Pasted %1 rows.").arg(n)), 5000);
        }
    });
    watcher->setFuture(QtConcurrent::run([text] {
        return ClipboardRows::parse(text, [] { return QUuid::createUuid().toString(QUuid::WithoutBraces); });
    }));
}

ImportJob MainWindow::importJobFor(const QString &path, const import::ImportOptions &options) const
{
    if (m_services.importJob)
        return m_services.importJob(path, options);
    return ImportJobs::file(path, options);
}

void MainWindow::openFile(const QString &path, const import::ImportOptions &options)
{
    if (m_workspace->isLocked())
        return;
    const auto go = [this, path, options] {
        m_currentFile = path;
        m_importReplaces = true;
        m_importer->start(tr("Reading %1…").arg(QFileInfo(path).fileName()), importJobFor(path, options),
                          ImportController::Mode::Replace);
        if (!path.startsWith(QLatin1String(":/")))
            addRecentFile(path);
        updateTitle();
    };
    // The imported rows replace the workspace's: unsaved results would be gone.
    if (m_session->isModified() && m_workspace->rowCount() > 0)
        return saveChangesThen(go);
    go();
}

void MainWindow::addFromFile(const QString &path, const import::ImportOptions &options)
{
    if (m_workspace->isLocked())
        return;
    m_importer->start(tr("Adding records from %1…").arg(QFileInfo(path).fileName()), importJobFor(path, options),
                      ImportController::Mode::Append);
    addRecentFile(path);
}

void MainWindow::showImportDialog(const QString &path, bool append)
{
    if (m_importDialog)
        m_importDialog->deleteLater();
    m_importDialog = new ImportDialog(path, append, this);
    m_importDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_importDialog->setShardMap(m_workspace->shardMap());
    // The key settings of the last import are the likeliest for the next.
    QSettings settings;
    if (settings.contains(QStringLiteral("import/keyStrategy"))) {
        import::ImportOptions last;
        last.keyStrategy = import::KeyStrategy(settings.value(QStringLiteral("import/keyStrategy")).toInt());
        last.partitionKeyField = settings.value(QStringLiteral("import/keyField")).toString();
        last.constantKey = settings.value(QStringLiteral("import/constantKey")).toString();
        m_importDialog->setOptions(last);
    }
    connect(m_importDialog, &QDialog::accepted, this, [this] {
        if (!m_importDialog)
            return;
        const import::ImportOptions options = m_importDialog->options();
        QSettings settings;
        settings.setValue(QStringLiteral("import/keyStrategy"), int(options.keyStrategy));
        settings.setValue(QStringLiteral("import/keyField"), options.partitionKeyField);
        settings.setValue(QStringLiteral("import/constantKey"), options.constantKey);
        if (m_importDialog->append())
            addFromFile(m_importDialog->path(), options);
        else
            openFile(m_importDialog->path(), options);
    });
    m_importDialog->open();
}

void MainWindow::loadSample()
{
    if (m_workspace->isLocked())
        return;
    const auto go = [this] {
        m_currentFile = QStringLiteral("orders-and-clicks.jsonl");
        m_loadingSample = true;
        m_importReplaces = true;
        m_importer->start(tr("Reading the sample records…"), ImportJobs::sample(), ImportController::Mode::Replace);
        updateTitle();
    };
    if (m_session->isModified() && m_workspace->rowCount() > 0)
        return saveChangesThen(go);
    go();
}

void MainWindow::exportTo(ExportController::Format format, const QString &path)
{
    m_exporter->start(format, path, {}, m_sender->stream().isEmpty() ? QStringLiteral("my-stream") : m_sender->stream());
}

void MainWindow::showOpenDialog(bool append)
{
    auto *dialog = new QFileDialog(this, append ? tr("Add records from file") : tr("Open a workspace or records"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    const QString records = tr("Records (*.jsonl *.ndjson *.json *.csv *.tsv *.txt)");
    dialog->setNameFilters(append ? QStringList{records, tr("All files (*)")}
                                  : QStringList{tr("Workspaces and records (*.kwb *.jsonl *.ndjson *.json *.csv *.tsv *.txt)"),
                                                tr("Workspaces (*.kwb)"), records, tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, [this, append](const QString &path) {
        if (append)
            showImportDialog(path, true);
        else
            openPath(path);
    });
    dialog->open();
}

void MainWindow::openPath(const QString &path)
{
    if (path.endsWith(QLatin1Char('.') + QLatin1String(workspace::WorkspaceFile::kSuffix), Qt::CaseInsensitive))
        openWorkspace(path);
    else
        showImportDialog(path, false);
}

void MainWindow::openWorkspace(const QString &path)
{
    if (m_workspace->isLocked() || m_session->isBusy())
        return;
    const auto go = [this, path] {
        statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
        m_session->open(path);
    };
    if (m_session->isModified() && m_workspace->rowCount() > 0)
        return saveChangesThen(go);
    go();
}

void MainWindow::saveWorkspace(const QString &path)
{
    statusBar()->showMessage(tr("Saving %1…").arg(QFileInfo(path).fileName()));
    m_session->save(path);
}

void MainWindow::save()
{
    if (m_session->documentPath().isEmpty())
        return showSaveAsDialog();
    saveWorkspace(m_session->documentPath());
}

void MainWindow::showSaveAsDialog()
{
    auto *dialog = new QFileDialog(this, tr("Save workspace"));
    dialog->setObjectName(QStringLiteral("saveAsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilter(tr("Workspaces (*.kwb)"));
    dialog->setDefaultSuffix(QLatin1String(workspace::WorkspaceFile::kSuffix));
    if (!m_session->documentPath().isEmpty())
        dialog->selectFile(m_session->documentPath());
    else if (!m_currentFile.isEmpty() && !m_currentFile.startsWith(QLatin1String(":/")))
        dialog->selectFile(QFileInfo(m_currentFile).completeBaseName() + QStringLiteral(".kwb"));
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::saveWorkspace);
    // Cancelling the dialog cancels whatever waited for the save (closing, opening another file).
    connect(dialog, &QDialog::rejected, this, [this] {
        m_afterSave = {};
        m_closeAnswered = false;
    });
    dialog->open();
}

workspace::WorkspaceHeader MainWindow::workspaceHeader() const
{
    workspace::WorkspaceHeader h;
    h.appVersion = QCoreApplication::applicationVersion();
    const ConnectionTarget t = m_connection->target();
    h.target.id = t.id;
    h.target.kind = t.kind == ConnectionTarget::Kind::Sandbox   ? QStringLiteral("sandbox")
                    : t.kind == ConnectionTarget::Kind::Profile ? QStringLiteral("profile")
                                                                : QStringLiteral("custom");
    h.target.name = t.name;
    h.target.profile = t.profile;
    h.target.endpointUrl = t.endpointUrl;
    h.target.region = t.region;
    h.target.production = t.production;
    const send::SendOptions o = m_sendBar->options();
    h.send = workspace::SavedSendSettings{o.concurrency, o.maxAttempts, o.ratePercent, o.ordered, o.verify, o.deadlineMs, o.flowControl};
    return h;
}

void MainWindow::applyWorkspaceHeader(const workspace::WorkspaceHeader &header)
{
    send::SendOptions o = m_sendBar->options();
    o.concurrency = header.send.concurrency;
    o.maxAttempts = header.send.maxAttempts;
    o.ratePercent = header.send.ratePercent;
    o.deadlineMs = header.send.deadlineMs;
    o.flowControl = header.send.flowControl;
    o.ordered = header.send.ordered;
    o.verify = header.send.verify;
    m_sendBar->setOptions(o);
    m_sender->setOptions(m_sendBar->options());
    m_shardPanel->setVirtualShardCount(header.virtualShards);

    // The target, found among the ones set up here; keys never travel with a workspace.
    QSettings settings;
    ConnectionTarget target;
    const workspace::SavedTarget &saved = header.target;
    if (saved.kind == QLatin1String("sandbox")) {
        target = ConnectionTarget::sandbox();
    } else if (saved.kind == QLatin1String("profile") && m_connection->profiles().contains(saved.profile)) {
        target = ConnectionTarget::forProfile(saved.profile);
    } else if (saved.kind == QLatin1String("custom")) {
        for (const ConnectionTarget &t : TargetSettings::customTargets(settings)) {
            if (t.id == saved.id || (t.endpointUrl == saved.endpointUrl && t.region == saved.region && !target.isValid()))
                target = t;
        }
    }
    if (!target.isValid()) {
        if (saved.id.isEmpty())
            return;
        const QString where = saved.kind == QLatin1String("profile") ? tr("AWS profile %1").arg(saved.profile)
                                                                      : tr("%1 (%2)").arg(saved.name, saved.endpointUrl);
        ConnectionTarget suggestion = ConnectionTarget::newCustom();
        suggestion.name = saved.name;
        suggestion.endpointUrl = saved.endpointUrl;
        suggestion.region = saved.region;
        suggestion.profile = saved.profile;
        m_banner->showMessage(Banner::Kind::Warning,
                              tr("This workspace was sent to %1, which is not set up here. Choose a target above to send "
                                 "its rows.")
                                  .arg(where),
                              saved.kind == QLatin1String("custom") ? tr("Add endpoint…") : QString(),
                              [this, suggestion] { showCustomEndpointDialog(suggestion); });
        return;
    }
    target.production = TargetSettings::isProduction(settings, target.id) || saved.production;
    m_pendingStream = header.stream;
    if (m_connection->target().id == target.id && m_connection->state() == ConnectionController::State::Connected) {
        if (header.stream.isEmpty())
            return;
        if (m_streams->streams().contains(header.stream)) {
            m_pendingStream.clear();
            m_connectionBar->setStreams(m_streams->streams(), header.stream);
            chooseStream(header.stream);
        } else {
            m_streams->refreshStreams();
        }
        return;
    }
    connectToTarget(target);
}

void MainWindow::offerRestore()
{
    offerRestore(SessionController::findOrphans(m_services.autosaveDirectory));
}

void MainWindow::offerRestore(QList<SessionController::Orphan> orphans)
{
    if (orphans.isEmpty())
        return;
    const SessionController::Orphan orphan = orphans.takeFirst();
    const workspace::WorkspaceHeader &h = orphan.header;
    const QLocale locale;
    QStringList states;
    if (h.counts.succeeded)
        states << tr("%1 succeeded").arg(locale.toString(h.counts.succeeded));
    if (h.counts.failed)
        states << tr("%1 failed").arg(locale.toString(h.counts.failed));
    if (h.counts.inFlight)
        states << tr("%1 were being sent (they come back as cancelled: they may or may not have been written)")
                      .arg(locale.toString(h.counts.inFlight));
    if (h.counts.cancelled)
        states << tr("%1 cancelled").arg(locale.toString(h.counts.cancelled));
    if (h.counts.pending)
        states << tr("%1 not sent yet").arg(locale.toString(h.counts.pending));
    const QString name = h.documentPath.isEmpty() ? tr("an untitled workspace") : QFileInfo(h.documentPath).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Restore workspace"),
                                tr("Kinesis Workbench did not close properly. Restore %1 as it was at %2?")
                                    .arg(name, locale.toString(h.savedAt.toLocalTime(), QLocale::ShortFormat)),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("restoreOffer"));
    box->setInformativeText(tr("%1 rows: %2.").arg(locale.toString(h.rows), states.join(QStringLiteral(", "))));
    QPushButton *restore = box->addButton(tr("&Restore"), QMessageBox::AcceptRole);
    box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box->setDefaultButton(restore);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, restore, orphan, orphans] {
        if (box->clickedButton() == restore) {
            statusBar()->showMessage(tr("Restoring the workspace…"));
            m_session->restore(orphan);
            return; // older autosaves stay for the next start rather than replace this one
        }
        SessionController::discard(orphan);
        if (!orphans.isEmpty())
            QTimer::singleShot(0, this, [this, orphans] { offerRestore(orphans); });
    });
    box->open();
}

void MainWindow::showExportDialog(ExportController::Format format)
{
    const bool csv = format == ExportController::Format::ResultsCsv;
    const bool cli = format == ExportController::Format::AwsCliRecords;
    auto *dialog = new QFileDialog(this, cli ? tr("Export records for the AWS CLI") : tr("Export results"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilter(csv ? tr("CSV (*.csv)") : cli ? tr("AWS CLI input (*.json)") : tr("JSON Lines (*.jsonl)"));
    dialog->setDefaultSuffix(csv ? QStringLiteral("csv") : cli ? QStringLiteral("json") : QStringLiteral("jsonl"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, format, cli](QString path) {
        // The CLI export names its files <base>-0001.json, ...
        if (cli && path.endsWith(QLatin1String(".json")))
            path.chop(5);
        exportTo(format, path);
    });
    dialog->open();
}

void MainWindow::showCustomEndpointDialog(const ConnectionTarget &existing)
{
    if (m_endpointDialog)
        m_endpointDialog->deleteLater();
    m_endpointDialog = new CustomEndpointDialog(m_connection->profiles(), this);
    m_endpointDialog->setAttribute(Qt::WA_DeleteOnClose);
    if (existing.isValid() && existing.kind == ConnectionTarget::Kind::Custom)
        m_endpointDialog->setTarget(existing);
    connect(m_endpointDialog, &QDialog::accepted, this, [this] {
        if (m_endpointDialog)
            saveCustomTarget(m_endpointDialog->target(), m_endpointDialog->typedKeys());
    });
    m_endpointDialog->open();
}

void MainWindow::showCreateStreamDialog()
{
    if (!m_streams->client())
        return;
    if (m_createDialog)
        m_createDialog->deleteLater();
    m_createDialog = new CreateStreamDialog(this);
    m_createDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_createDialog, &CreateStreamDialog::createRequested, m_streams, &StreamController::createStream);
    connect(m_createDialog, &QDialog::rejected, m_streams, &StreamController::cancelCreation);
    m_createDialog->open();
}

void MainWindow::showShortcuts()
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(dialog);
    auto *table = new QTableWidget(dialog);
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setObjectName(QStringLiteral("shortcuts"));
    // Each action once (the docks' entries are the window's own actions).
    QList<QAction *> actions = findChildren<QAction *>();
    QSet<QAction *> seen;
    for (QAction *a : actions) {
        if (a->shortcut().isEmpty() || a->isSeparator() || seen.contains(a))
            continue;
        seen.insert(a);
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(a->text().remove(QLatin1Char('&'))));
        table->setItem(row, 1, new QTableWidgetItem(a->shortcut().toString(QKeySequence::NativeText)));
    }
    table->sortItems(0);
    table->resizeColumnToContents(0);
    layout->addWidget(table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(460, 520);
    dialog->open();
}

QStringList MainWindow::recentFiles() const
{
    QSettings settings;
    return settings.value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList files = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        QAction *a = m_recentMenu->addAction(tr("&%1 %2").arg(i + 1).arg(QFileInfo(files[i]).fileName()));
        a->setToolTip(files[i]);
        const QString path = files[i];
        connect(a, &QAction::triggered, this, [this, path] { openPath(path); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        connect(m_recentMenu->addAction(tr("Clear list")), &QAction::triggered, this, [this] {
            QSettings settings;
            settings.remove(QStringLiteral("recentFiles"));
            rebuildRecentMenu();
        });
    }
}

void MainWindow::updateSelectionMarkers()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        m_shardPanel->setPreviewMarker(std::nullopt);
    if (rows.size() > size_t(kMaxMarkers))
        rows.resize(size_t(kMaxMarkers));
    std::vector<UInt128> keys;
    keys.reserve(rows.size());
    for (int row : rows)
        keys.push_back(m_workspace->store().hashKey(row));
    m_shardPanel->setMarkers(std::move(keys));
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
    // A saved workspace names the window; before that, the file the rows came from.
    const QString document = m_session->documentPath().isEmpty() ? m_currentFile : m_session->documentPath();
    const QString name = document.isEmpty() ? (m_workspace->rowCount() > 0 ? tr("Untitled") : QString()) : QFileInfo(document).fileName();
    setWindowTitle(name.isEmpty() ? tr("Kinesis Workbench") : tr("%1[*] — Kinesis Workbench").arg(name));
    setWindowModified(m_session->isModified() && m_workspace->rowCount() > 0);
}

} // namespace kwb::ui
