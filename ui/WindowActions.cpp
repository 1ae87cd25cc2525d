#include "WindowActions.h"

#include "DockLayout.h"
#include "Icons.h"
#include "controllers/ConnectionPresenter.h"
#include "controllers/DocumentActions.h"
#include "controllers/FileActions.h"
#include "controllers/PresenterMode.h"
#include "controllers/RowActions.h"
#include "controllers/SendActions.h"
#include "controllers/SendController.h"
#include "controllers/SessionController.h"
#include "controllers/StreamController.h"
#include "dialogs/ShortcutsDialog.h"
#include "models/Workspace.h"
#include "views/FilterBar.h"
#include "views/RecentFilesMenu.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QUndoStack>

namespace kwb::ui {

namespace {

/// Adds the window's actions by name to `menu`; "" is a separator.
void addNamedActions(QMenu *menu, const QObject *window, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        if (*name == '\0')
            menu->addSeparator();
        else
            menu->addAction(window->findChild<QAction *>(QLatin1String(name)));
    }
}

} // namespace

WindowActions::WindowActions(const Parts &parts)
    : QObject(parts.window)
    , m_window(parts.window)
    , m_workspace(parts.workspace)
    , m_session(parts.session)
    , m_document(parts.document)
    , m_files(parts.files)
    , m_rows(parts.rows)
    , m_sends(parts.sends)
    , m_sender(parts.sender)
    , m_streams(parts.streams)
    , m_connection(parts.connection)
    , m_view(parts.view)
    , m_filterBar(parts.filterBar)
    , m_editor(parts.editor)
    , m_sendBar(parts.sendBar)
    , m_docks(parts.docks)
    , m_presenter(parts.presenter)
{
    createActions();
    createMenus();
    m_view->setEmptyActions({named("addRow"), named("openFile"), named("openSample")});

    // What can be done follows the table, the workspace, the document, the connection and the send.
    connect(m_view, &RecordsView::selectionChangedRows, this, &WindowActions::update);
    connect(m_workspace->undoStack(), &QUndoStack::indexChanged, this, &WindowActions::update);
    connect(m_workspace, &Workspace::lockedChanged, this, &WindowActions::update);
    connect(m_workspace, &Workspace::wasReset, this, &WindowActions::update);
    connect(m_session, &SessionController::busyChanged, this, &WindowActions::update);
    connect(m_document, &DocumentActions::opened, this, &WindowActions::update);
    connect(m_connection, &ConnectionPresenter::readinessChanged, this, &WindowActions::update);
    connect(m_sender, &SendController::runningChanged, this, [this](bool running) {
        m_sending = running;
        update();
    });
    connect(m_sender, &SendController::failedRowsChanged, this, &WindowActions::update);
    update();
}

QAction *WindowActions::named(const char *name) const
{
    return m_window->findChild<QAction *>(QLatin1String(name));
}

QAction *WindowActions::make(const char *name, const QString &text, const QKeySequence &shortcut, const char *icon)
{
    auto *a = new QAction(text, m_window);
    a->setObjectName(QLatin1String(name));
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    if (icon)
        a->setIcon(Icons::named(icon));
    const QString plain = QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
    a->setToolTip(shortcut.isEmpty() ? plain : tr("%1 (%2)").arg(plain, shortcut.toString(QKeySequence::NativeText)));
    return a;
}

void WindowActions::createActions()
{
    // File
    connect(make("newWorkspace", tr("&New workspace"), QKeySequence::New), &QAction::triggered, m_document,
            &DocumentActions::newWorkspace);
    connect(make("openFile", tr("&Open…"), QKeySequence::Open, "open"), &QAction::triggered, this,
            [this] { m_files->showOpenDialog(false); });
    connect(make("addFromFile", tr("&Add records from file…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)), &QAction::triggered,
            this, [this] { m_files->showOpenDialog(true); });
    connect(make("openSample", tr("Open &sample records"), {}), &QAction::triggered, m_files, &FileActions::loadSample);
    connect(make("saveWorkspace", tr("&Save workspace"), QKeySequence::Save), &QAction::triggered, m_document, &DocumentActions::save);
    connect(make("saveWorkspaceAs", tr("Save workspace &as…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)), &QAction::triggered,
            m_document, &DocumentActions::showSaveAsDialog);
    connect(make("exportResultsJsonl", tr("Export results as JSON &Lines…"), QKeySequence(Qt::CTRL | Qt::Key_E), "export"),
            &QAction::triggered, this, [this] { m_files->showExportDialog(ExportController::Format::ResultsJsonl); });
    connect(make("exportResultsCsv", tr("Export results as &CSV…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)), &QAction::triggered,
            this, [this] { m_files->showExportDialog(ExportController::Format::ResultsCsv); });
    connect(make("exportRecordsAwsCli", tr("Export records for the &AWS CLI…"), {}), &QAction::triggered, this,
            [this] { m_files->showExportDialog(ExportController::Format::AwsCliRecords); });
    connect(make("quit", tr("&Quit"), QKeySequence::Quit), &QAction::triggered, m_window, &QWidget::close);

    // Edit
    connect(make("undo", tr("&Undo"), QKeySequence::Undo, "undo"), &QAction::triggered, m_workspace, &Workspace::undo);
    connect(make("redo", tr("&Redo"), QKeySequence::Redo, "redo"), &QAction::triggered, m_workspace, &Workspace::redo);
    connect(make("addRow", tr("&Add row"), QKeySequence(Qt::Key_Insert), "add-row"), &QAction::triggered, m_rows, &RowActions::addRow);
    connect(make("duplicateRows", tr("D&uplicate rows"), QKeySequence(Qt::CTRL | Qt::Key_D), "duplicate-row"), &QAction::triggered,
            m_rows, &RowActions::duplicateRows);
    connect(make("deleteRows", tr("&Delete rows"), QKeySequence::Delete, "delete-row"), &QAction::triggered, m_rows,
            &RowActions::deleteRows);
    connect(make("pasteRows", tr("&Paste rows"), QKeySequence::Paste, "paste"), &QAction::triggered, m_rows, &RowActions::pasteRows);
    connect(make("copyRows", tr("&Copy rows"), QKeySequence::Copy), &QAction::triggered, m_rows, &RowActions::copyRows);
    connect(make("find", tr("&Find rows by key"), QKeySequence::Find), &QAction::triggered, m_filterBar, &FilterBar::focusSearch);
    connect(make("clearFilter", tr("Show &all rows"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F)), &QAction::triggered, this,
            [this] { m_filterBar->setFilter(RowFilter()); });
    connect(make("applyData", tr("Apply &data edit"), {}), &QAction::triggered, m_editor, &RecordEditorPanel::applyData);

    // Send
    QAction *sendAll = make("sendAll", tr("Send &all"), QKeySequence(Qt::CTRL | Qt::Key_Return), "send");
    sendAll->setToolTip(tr("Send every row that has not succeeded yet (Ctrl+Return)"));
    connect(sendAll, &QAction::triggered, m_sends, &SendActions::sendAll);
    QAction *sendSelected = make("sendSelected", tr("Send &selected"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), "send-selected");
    connect(sendSelected, &QAction::triggered, m_sends, &SendActions::sendSelected);
    QAction *retry = make("retryFailed", tr("&Retry failed"), QKeySequence(Qt::CTRL | Qt::Key_R), "retry");
    retry->setToolTip(tr("Send the failed and cancelled rows again (Ctrl+R)"));
    connect(retry, &QAction::triggered, m_sends, &SendActions::retryFailed);
    QAction *cancel = make("cancelSend", tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), "cancel");
    cancel->setToolTip(tr("Stop sending: queued rows stay pending, requests in flight finish (Ctrl+.)"));
    connect(cancel, &QAction::triggered, m_sender, &SendController::cancel);
    connect(make("abortSend", tr("A&bort requests in flight"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period)), &QAction::triggered,
            m_sender, &SendController::abort);

    // Stream
    connect(make("customEndpoint", tr("&Custom endpoint…"), QKeySequence(Qt::CTRL | Qt::Key_K), "connect"), &QAction::triggered, this,
            [this] { m_connection->showCustomEndpointDialog(); });
    connect(make("refreshStreams", tr("&Refresh streams"), QKeySequence(Qt::Key_F5), "refresh"), &QAction::triggered, m_connection,
            &ConnectionPresenter::refresh);
    connect(make("createStream", tr("Create &stream…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N), "create-stream"),
            &QAction::triggered, m_connection, &ConnectionPresenter::showCreateStreamDialog);

    // Help
    connect(make("shortcuts", tr("&Keyboard shortcuts"), QKeySequence::HelpContents), &QAction::triggered, this,
            [this] { (new ShortcutsDialog(m_window->findChildren<QAction *>(), m_window))->open(); });
    connect(make("about", tr("&About Kinesis Workbench"), {}), &QAction::triggered, this, &WindowActions::showAbout);

    // Row actions work where the table has focus (Delete in a text field deletes text).
    for (const char *name : {"addRow", "duplicateRows", "deleteRows", "pasteRows", "copyRows"}) {
        QAction *a = named(name);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
    }
    auto *separator = new QAction(m_window);
    separator->setSeparator(true);
    m_view->addAction(separator);
    m_view->addAction(sendSelected);
    m_view->addAction(retry);
    m_sendBar->setActions(sendAll, sendSelected, retry, cancel);
}

void WindowActions::createMenus()
{
    QMenuBar *bar = m_window->menuBar();
    QMenu *file = bar->addMenu(tr("&File"));
    addNamedActions(file, m_window, {"newWorkspace", "openFile", "addFromFile"});
    m_recentMenu = new RecentFilesMenu(tr("Open &recent"), file);
    connect(m_recentMenu, &RecentFilesMenu::openRequested, m_files, &FileActions::openPath);
    connect(m_document, &DocumentActions::fileUsed, m_recentMenu, &RecentFilesMenu::add);
    connect(m_files, &FileActions::fileUsed, m_recentMenu, &RecentFilesMenu::add);
    file->addMenu(m_recentMenu);
    addNamedActions(file, m_window, {"openSample", "", "saveWorkspace", "saveWorkspaceAs", "", "exportResultsJsonl", "exportResultsCsv",
                                     "exportRecordsAwsCli", "", "quit"});
    addNamedActions(bar->addMenu(tr("&Edit")), m_window,
                    {"undo", "redo", "", "addRow", "duplicateRows", "deleteRows", "", "copyRows", "pasteRows", "", "find", "clearFilter"});
    addNamedActions(bar->addMenu(tr("&Send")), m_window, {"sendAll", "sendSelected", "retryFailed", "cancelSend", "abortSend"});
    addNamedActions(bar->addMenu(tr("S&tream")), m_window, {"customEndpoint", "refreshStreams", "createStream"});

    m_viewMenu = bar->addMenu(tr("&View"));
    m_viewMenu->addActions(m_docks->makeDockActions());
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
    m_viewMenu->addActions({m_presenter->toggleAction(), m_presenter->zoomInAction(), m_presenter->zoomOutAction(),
                            m_presenter->zoomResetAction()});

    addNamedActions(bar->addMenu(tr("&Help")), m_window, {"shortcuts", "about"});
}

void WindowActions::addDockAction(QAction *toggle, const char *before)
{
    QAction *next = before ? named(before) : m_view->columnsMenu()->menuAction();
    m_viewMenu->insertAction(next, toggle);
}

void WindowActions::addViewAction(QAction *action)
{
    m_viewMenu->addAction(action);
}

void WindowActions::showAbout()
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("About Kinesis Workbench"),
                                tr("<b>Kinesis Workbench %1</b><p>Compose or import records, see which shard each one "
                                   "lands on, send them with PutRecords and retry the ones that fail.</p>")
                                    .arg(QApplication::applicationVersion()),
                                QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void WindowActions::update()
{
    const bool locked = m_workspace->isLocked();
    const bool running = m_sending || m_sender->isRunning();
    const bool busy = m_session->isBusy();
    const bool hasRows = m_workspace->rowCount() > 0;
    const bool hasSelection = m_view->selectionModel()->hasSelection();
    const QString why = m_sender->whyNotReady();
    const bool ready = why.isEmpty() || running;
    const QUndoStack *undo = m_workspace->undoStack();
    named("undo")->setEnabled(!locked && undo->canUndo());
    named("redo")->setEnabled(!locked && undo->canRedo());
    named("undo")->setText(undo->canUndo() ? tr("&Undo %1").arg(undo->undoText()) : tr("&Undo"));
    named("redo")->setText(undo->canRedo() ? tr("&Redo %1").arg(undo->redoText()) : tr("&Redo"));
    for (const char *name : {"addRow", "pasteRows", "newWorkspace", "openFile", "addFromFile", "openSample"})
        named(name)->setEnabled(!locked && !busy);
    named("saveWorkspace")->setEnabled(!busy);
    named("saveWorkspaceAs")->setEnabled(!busy);
    named("duplicateRows")->setEnabled(!locked && hasSelection);
    named("deleteRows")->setEnabled(!locked && hasSelection);
    named("copyRows")->setEnabled(hasSelection);
    named("sendAll")->setEnabled(!running && hasRows && ready);
    named("sendAll")->setStatusTip(why);
    named("sendSelected")->setEnabled(!running && hasSelection && ready);
    named("retryFailed")->setEnabled(!running && m_sender->failedRows() > 0 && ready);
    named("cancelSend")->setEnabled(running);
    named("abortSend")->setEnabled(running);
    named("createStream")->setEnabled(m_streams->client() != nullptr);
    named("refreshStreams")->setEnabled(m_streams->client() != nullptr);
}

} // namespace kwb::ui
