// The window a trainer can use without preparing it: the real main window on the built-in
// sandbox (in this process, on a free loopback port) at the default 1280×720 and at 1920×1080.
// Results at a glance (the key, shard and result of every visible row inside the table's
// viewport after a send), the first-launch layout and View ▸ Reset layout, the empty table,
// columns kept as the user left them, actions that follow the engine, dock shortcuts, the
// shortcut list, one shard numbering, group separators, row numbers as places, results made
// against an earlier sandbox session, and the import dialog's guesses. Expected values come
// from the test's own counting (MD5 of the key read as a big-endian number, the shard id's
// digits), never from the code under test. Waits with QTRY_*, never sleeps.
#include "MainWindow.h"
#include "NumberLocale.h"
#include "TestSupport.h"
#include "controllers/ConnectionController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "dialogs/ImportDialog.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/Banner.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/ShardBarWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace kwb;
using namespace kwb::ui;

namespace {

constexpr int kSendTimeoutMs = 30000;

MainWindowServices services(SecretStore *secrets, bool restore = false, const QString &autosaves = {})
{
    MainWindowServices s;
    s.secrets = secrets;
    s.environment = aws::Environment::fromMap({}, QString());
    s.restoreSession = restore;
    if (!autosaves.isEmpty())
        s.autosaveDirectory = autosaves;
    return s;
}

sandbox::SandboxOptions demoSandbox()
{
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    return options;
}

/// MD5 of the key, read as a big-endian 128-bit number (the Kinesis rule), counted here.
UInt128 md5Number(const QByteArray &key)
{
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Md5);
    UInt128 n = 0;
    for (char c : digest)
        n = (n << 8) | UInt128(quint8(c));
    return n;
}

/// The shard of an even split into 4: the top two bits of the hash key.
int quarterOf(UInt128 hash)
{
    return int(hash >> 126);
}

/// The digits at the end of a shard id, as a number ("shardId-000000000002" is 2).
QString digitsOf(const QString &shardId)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(\\d+)$")).match(shardId);
    return m.hasMatch() ? QString::number(m.captured(1).toLongLong()) : QString();
}

QString cell(MainWindow &w, int storeRow, RecordColumn column)
{
    return w.recordsModel()->data(w.recordsModel()->indexForStoreRow(storeRow, int(column))).toString();
}

QDockWidget *dock(MainWindow &w, const char *name)
{
    return w.findChild<QDockWidget *>(QLatin1String(name));
}

/// In front: open and not covered by another tab.
bool inFront(QDockWidget *d)
{
    return d->isVisible() && !d->visibleRegion().isEmpty();
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return file.fileName();
}

/// A window on a running sandbox, connected to its demo stream.
struct Rig
{
    explicit Rig(QSize size = QSize(1280, 720), sandbox::SandboxOptions options = demoSandbox(), bool restore = false)
        : server(options)
        , window(services(&secrets, restore))
    {
        url = server.start(0);
        window.resize(size);
        window.show();
        if (url.ok()) {
            window.setSandbox(url.value());
            window.setSandboxServer(&server);
        }
    }
    bool ready()
    {
        return url.ok() && window.workspace()->streamName() == QLatin1String("demo") && window.workspace()->hasStreamMap();
    }

    sandbox::SandboxServer server;
    MemorySecretStore secrets;
    MainWindow window;
    Result<QUrl> url = Error{};
};

} // namespace

class TstTrainerWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void resultsAtAGlance_data();
    void resultsAtAGlance();
    void columnsStayAsTheUserLeftThem();
    void firstLaunchLayoutGivesTheEditorRoom();
    void resetLayoutIsTheFirstLaunchLayout();
    void emptyTableSaysWhatToDo();
    void actionsFollowTheEngine();
    void refusalGoesWithTheSend();
    void shardMarkersNeverStale();
    void dockShortcutsShowAndRaise();
    void shortcutListHasEachOnceAndCloses();
    void oneShardNumbering();
    void numbersWithGroupSeparators();
    void rowNumbersArePlaces();
    void resultsFromAnEarlierSandboxSession();
    void importGuessesAKeyForPlainObjects();
    void importWithoutAnyKeyIsNotOffered();
    void importPreviewCountsShardsAndHeaders();

private:
    QTemporaryDir m_dir;
};

void TstTrainerWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_trainerwindow"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    // What main() does: the C locale of the test run writes 10,000 too.
    useGroupSeparators();
}

void TstTrainerWindow::init()
{
    QSettings().clear();
}

void TstTrainerWindow::resultsAtAGlance_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x720") << QSize(1280, 720);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TstTrainerWindow::resultsAtAGlance()
{
    QFETCH(QSize, size);
    Rig rig(size);
    MainWindow &w = rig.window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(rig.ready());
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().succeeded == 50, kSendTimeoutMs);
    w.recordsModel()->flushPendingChanges();

    RecordsView *view = w.recordsView();
    const QRect viewport = view->viewport()->rect();
    QVERIFY(view->horizontalScrollBar()->value() == 0);
    int visibleRows = 0;
    for (int row = 0; row < w.recordsModel()->rowCount(); ++row) {
        // Shown rows, judged up and down only: where they are across is what is checked.
        const int top = view->rowViewportPosition(row);
        if (top < 0 || top + view->rowHeight(row) > viewport.height())
            continue;
        ++visibleRows;
        for (RecordColumn column : {RecordColumn::PartitionKey, RecordColumn::Shard, RecordColumn::Result}) {
            const QRect r = view->visualRect(w.recordsModel()->index(row, int(column)));
            QVERIFY2(!view->isColumnHidden(int(column)) && viewport.contains(r),
                     qPrintable(QStringLiteral("row %1, %2 at %3,%4 %5×%6 outside the viewport %7×%8")
                                    .arg(row)
                                    .arg(RecordsModel::columnTitle(column))
                                    .arg(r.x())
                                    .arg(r.y())
                                    .arg(r.width())
                                    .arg(r.height())
                                    .arg(viewport.width())
                                    .arg(viewport.height())));
        }
        // What they say, counted here: the shard id's number, the sequence number's tail.
        const int store = w.recordsModel()->storeRow(row);
        const QString shardId = w.workspace()->results().shardId(store);
        QCOMPARE(cell(w, store, RecordColumn::Shard), digitsOf(shardId));
        const QString sequence = w.workspace()->results().sequenceNumber(store);
        QVERIFY(sequence.size() > 6);
        QVERIFY2(cell(w, store, RecordColumn::Result).endsWith(sequence.right(6)), qPrintable(cell(w, store, RecordColumn::Result)));
        QVERIFY(w.recordsModel()
                    ->index(row, int(RecordColumn::Result))
                    .data(Qt::DecorationRole)
                    .isValid()); // the status icon
        // The full id in the tooltip.
        QVERIFY(w.recordsModel()->index(row, int(RecordColumn::Shard)).data(Qt::ToolTipRole).toString().contains(shardId));
    }
    QVERIFY2(visibleRows >= 8, qPrintable(QString::number(visibleRows)));
    // The data takes the remaining width: the table needs no horizontal scrolling.
    QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
}

void TstTrainerWindow::columnsStayAsTheUserLeftThem()
{
    int widened = 0;
    {
        MemorySecretStore secrets;
        MainWindow w(services(&secrets, true));
        w.show();
        RecordsView *view = w.recordsView();
        QHeaderView *header = view->horizontalHeader();
        // Hide Size, move Result before the key, widen the key, show Attempts.
        view->setColumnHidden(int(RecordColumn::Size), true);
        header->moveSection(header->visualIndex(int(RecordColumn::Result)), header->visualIndex(int(RecordColumn::PartitionKey)));
        widened = header->sectionSize(int(RecordColumn::PartitionKey)) + 77;
        header->resizeSection(int(RecordColumn::PartitionKey), widened);
        view->setColumnHidden(int(RecordColumn::Attempts), false);
        QVERIFY(w.close());
    }
    MemorySecretStore secrets;
    MainWindow again(services(&secrets, true));
    again.show();
    QHeaderView *header = again.recordsView()->horizontalHeader();
    QVERIFY(again.recordsView()->isColumnHidden(int(RecordColumn::Size)));
    QVERIFY(!again.recordsView()->isColumnHidden(int(RecordColumn::Attempts)));
    QVERIFY(header->visualIndex(int(RecordColumn::Result)) < header->visualIndex(int(RecordColumn::PartitionKey)));
    QCOMPARE(header->sectionSize(int(RecordColumn::PartitionKey)), widened);
    // And Reset columns brings the defaults back.
    again.recordsView()->resetColumns();
    QVERIFY(!again.recordsView()->isColumnHidden(int(RecordColumn::Size)));
    QVERIFY(again.recordsView()->isColumnHidden(int(RecordColumn::Attempts)));
    QVERIFY(header->visualIndex(int(RecordColumn::PartitionKey)) < header->visualIndex(int(RecordColumn::Shard)));
    QVERIFY(header->visualIndex(int(RecordColumn::Shard)) < header->visualIndex(int(RecordColumn::Result)));
}

void TstTrainerWindow::firstLaunchLayoutGivesTheEditorRoom()
{
    Rig rig;
    MainWindow &w = rig.window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(rig.ready());
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    w.recordsView()->selectStoreRow(0);
    QDockWidget *editor = dock(w, "editorDock");
    QDockWidget *shards = dock(w, "shardDock");
    QDockWidget *log = dock(w, "logDock");
    QDockWidget *sandbox = dock(w, "sandboxDock");
    QVERIFY(editor && shards && log && sandbox);
    // The request log and the sandbox are tabs behind the shard map, which is in front.
    const QList<QDockWidget *> tabs = w.tabifiedDockWidgets(shards);
    QVERIFY(tabs.contains(log));
    QVERIFY(tabs.contains(sandbox));
    QTRY_VERIFY(inFront(shards));
    QVERIFY(!inFront(log));
    QVERIFY(inFront(editor));
    // The table has most of the height.
    QVERIFY2(w.recordsView()->height() > w.height() / 2, qPrintable(QString::number(w.recordsView()->height())));
    // The record dock shows the route line and the start of the attempt history without scrolling.
    auto *scroll = editor->findChild<QScrollArea *>();
    QVERIFY(scroll);
    auto *routing = editor->findChild<QLabel *>(QStringLiteral("routingLabel"));
    auto *attempts = editor->findChild<QTreeWidget *>(QStringLiteral("attemptsList"));
    QVERIFY(routing && attempts);
    QTRY_VERIFY(!routing->text().isEmpty());
    const QRect shown = scroll->viewport()->rect();
    const QRect route(routing->mapTo(scroll->viewport(), QPoint(0, 0)), routing->size());
    QVERIFY2(shown.contains(route), qPrintable(QStringLiteral("route at y %1..%2, viewport height %3")
                                                   .arg(route.top())
                                                   .arg(route.bottom())
                                                   .arg(shown.height())));
    const QPoint history = attempts->mapTo(scroll->viewport(), QPoint(0, 0));
    QVERIFY2(history.y() + 40 <= shown.bottom(),
             qPrintable(QStringLiteral("attempts at y %1, viewport height %2").arg(history.y()).arg(shown.height())));
}

void TstTrainerWindow::resetLayoutIsTheFirstLaunchLayout()
{
    Rig rig;
    MainWindow &w = rig.window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(rig.ready());
    QDockWidget *editor = dock(w, "editorDock");
    QDockWidget *shards = dock(w, "shardDock");
    QDockWidget *log = dock(w, "logDock");
    QDockWidget *sandbox = dock(w, "sandboxDock");
    QTRY_VERIFY(inFront(shards));
    const auto layout = [&] {
        QStringList parts;
        for (QDockWidget *d : {editor, shards, log, sandbox}) {
            QStringList tabs;
            for (QDockWidget *t : w.tabifiedDockWidgets(d))
                tabs << t->objectName();
            tabs.sort();
            parts << QStringLiteral("%1:%2:%3:%4:%5[%6]")
                         .arg(d->objectName())
                         .arg(int(w.dockWidgetArea(d)))
                         .arg(d->isFloating())
                         .arg(d->isHidden())
                         .arg(inFront(d))
                         .arg(tabs.join(QLatin1Char(',')));
        }
        return parts.join(QLatin1Char(' '));
    };
    const QString first = layout();
    const int editorHeight = editor->height();
    // Move everything about: the log to the bottom, the sandbox floating, the shard map closed.
    w.addDockWidget(Qt::BottomDockWidgetArea, log);
    sandbox->setFloating(true);
    shards->hide();
    QVERIFY(layout() != first);
    w.action(QStringLiteral("resetLayout"))->trigger();
    QTRY_COMPARE(layout(), first);
    QTRY_VERIFY(qAbs(editor->height() - editorHeight) <= 8);
}

void TstTrainerWindow::emptyTableSaysWhatToDo()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QWidget *hint = w.recordsView()->emptyHint();
    QVERIFY(hint);
    QTRY_VERIFY(hint->isVisible());
    QString said;
    for (QLabel *label : hint->findChildren<QLabel *>())
        said += label->text() + QLatin1Char(' ');
    for (const char *words : {"Add a record", "open a file", "drop a file", "sample"})
        QVERIFY2(said.contains(QLatin1String(words)), qPrintable(said));
    // A button for each, doing what the menu does.
    QStringList buttons;
    for (QToolButton *b : hint->findChildren<QToolButton *>())
        buttons << b->defaultAction()->objectName();
    buttons.sort();
    QCOMPARE(buttons, (QStringList{QStringLiteral("addRow"), QStringLiteral("openFile"), QStringLiteral("openSample")}));
    auto *sample = hint->findChild<QToolButton *>(QStringLiteral("empty-openSample"));
    QTest::mouseClick(sample, Qt::LeftButton);
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY(!hint->isVisible());
    // Empty again: the hint is back.
    QVERIFY(w.workspace()->clear());
    QTRY_VERIFY(hint->isVisible());
}

void TstTrainerWindow::actionsFollowTheEngine()
{
    // Slow answers make the send long: 20,000 rows, 40 requests, each answered after 300 ms.
    sandbox::SandboxOptions options = demoSandbox();
    options.latencyMs = 300;
    Rig rig(QSize(1280, 720), options);
    MainWindow &w = rig.window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(rig.ready());
    std::vector<RowContent> rows(20000);
    for (size_t i = 0; i < rows.size(); ++i) {
        rows[i].partitionKey = QByteArray::number(qulonglong(i));
        rows[i].data = QByteArrayLiteral("{}");
    }
    QVERIFY(w.workspace()->insertRows(0, std::move(rows)));
    QAction *sendAll = w.action(QStringLiteral("sendAll"));
    QAction *cancel = w.action(QStringLiteral("cancelSend"));
    QAction *abort = w.action(QStringLiteral("abortSend"));
    QAction *retry = w.action(QStringLiteral("retryFailed"));
    QAction *sendSelected = w.action(QStringLiteral("sendSelected"));
    QTRY_VERIFY(sendAll->isEnabled());
    QVERIFY(!cancel->isEnabled() && !abort->isEnabled());
    w.recordsView()->selectStoreRow(0);
    w.activateWindow();
    w.recordsView()->setFocus();
    QTest::keyClick(w.recordsView(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(w.sender()->isRunning());
    // At once, while it runs: stop is offered, starting another send is not.
    QVERIFY(cancel->isEnabled());
    QVERIFY(abort->isEnabled());
    QVERIFY(!sendAll->isEnabled());
    QVERIFY(!sendSelected->isEnabled());
    QVERIFY(!retry->isEnabled());
    // Ctrl+Return again does not start a second send nor complain.
    QTest::keyClick(w.recordsView(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(w.banner()->text().isEmpty());
    // Ctrl+. stops it: requests in flight finish, the rest stay pending.
    QTest::keyClick(w.recordsView(), Qt::Key_Period, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 5000);
    QVERIFY2(w.sender()->counters().succeeded < 20000, qPrintable(QString::number(w.sender()->counters().succeeded)));
    QVERIFY(!cancel->isEnabled() && !abort->isEnabled());
    QVERIFY(sendAll->isEnabled());
    // And Abort in the middle of the next one.
    sendAll->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    QVERIFY(abort->isEnabled());
    abort->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 5000);
    QVERIFY(sendAll->isEnabled() && !abort->isEnabled());
}

void TstTrainerWindow::refusalGoesWithTheSend()
{
    sandbox::SandboxOptions options = demoSandbox();
    options.latencyMs = 200;
    Rig rig(QSize(1280, 720), options);
    MainWindow &w = rig.window;
    QTRY_VERIFY(rig.ready());
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    // Another way in than the disabled actions (a script, a second window's shortcut).
    QVERIFY(!w.sender()->sendAll());
    QVERIFY2(w.banner()->text().contains(QStringLiteral("already running")), qPrintable(w.banner()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), kSendTimeoutMs);
    QTRY_VERIFY(w.banner()->text().isEmpty());
}

void TstTrainerWindow::shardMarkersNeverStale()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    ShardBarWidget *bar = w.shardPanel()->bar();
    QVERIFY(w.recordsView()->selectStoreRow(3));
    QTRY_COMPARE(bar->markers().size(), size_t(1));
    QCOMPARE(bar->markers().front(), md5Number(w.workspace()->store().partitionKeyUtf8(3).toByteArray()));
    // The key edited (as the editor or the table does): the marker moves with it.
    QVERIFY(w.workspace()->setPartitionKey(3, QStringLiteral("a-new-key")));
    QTRY_COMPARE(bar->markers().size(), size_t(1));
    QCOMPARE(bar->markers().front(), md5Number("a-new-key"));
    // Undo moves it back.
    w.action(QStringLiteral("undo"))->trigger();
    QTRY_COMPARE(bar->markers().front(), md5Number(w.workspace()->store().partitionKeyUtf8(3).toByteArray()));
    // The editor's dashed preview: there while a row is shown, gone once none is selected.
    QTRY_VERIFY(bar->previewMarker().has_value());
    w.recordsView()->clearSelection();
    QTRY_VERIFY(bar->markers().empty());
    QVERIFY(!bar->previewMarker().has_value());
    // ... and once the rows are replaced.
    QVERIFY(w.recordsView()->selectStoreRow(5));
    QTRY_VERIFY(bar->previewMarker().has_value());
    QVERIFY(w.workspace()->clear());
    QTRY_VERIFY(!bar->previewMarker().has_value());
    QVERIFY(bar->markers().empty());
}

void TstTrainerWindow::dockShortcutsShowAndRaise()
{
    Rig rig;
    MainWindow &w = rig.window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(rig.ready());
    QDockWidget *sandbox = dock(w, "sandboxDock");
    QDockWidget *shards = dock(w, "shardDock");
    QTRY_VERIFY(inFront(shards));
    QVERIFY(!inFront(sandbox));
    w.activateWindow();
    // A background tab: Ctrl+4 brings it to the front, it does not close it.
    QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
    QTRY_VERIFY(inFront(sandbox));
    QVERIFY(!inFront(shards));
    // In front: Ctrl+4 closes it.
    QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
    QTRY_VERIFY(sandbox->isHidden());
    // Closed: Ctrl+4 opens it, in front.
    QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
    QTRY_VERIFY(inFront(sandbox));
    // The same for the others: Ctrl+3 raises the request log behind the tabs.
    QTest::keyClick(&w, Qt::Key_3, Qt::ControlModifier);
    QTRY_VERIFY(inFront(dock(w, "logDock")));
    QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
    QTRY_VERIFY(inFront(shards));
    QVERIFY(w.action(QStringLiteral("showShardDock"))->isChecked());
}

void TstTrainerWindow::shortcutListHasEachOnceAndCloses()
{
    Rig rig;
    MainWindow &w = rig.window;
    QTRY_VERIFY(rig.ready());
    w.action(QStringLiteral("shortcuts"))->trigger();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<QDialog *>(QStringLiteral("shortcutsDialog"))) && dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcuts"));
    QVERIFY(table);
    QStringList names;
    QStringList keys;
    for (int row = 0; row < table->rowCount(); ++row) {
        names << table->item(row, 0)->text();
        keys << table->item(row, 1)->text();
    }
    for (const QString &name : {QStringLiteral("Record"), QStringLiteral("Shard map"), QStringLiteral("Request log"),
                                QStringLiteral("Sandbox")})
        QVERIFY2(names.count(name) == 1, qPrintable(name + QStringLiteral(": ") + names.join(QStringLiteral(", "))));
    QStringList unique = keys;
    unique.removeDuplicates();
    QCOMPARE(unique.size(), keys.size());
    auto *box = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(box && box->button(QDialogButtonBox::Close));
    QTest::mouseClick(box->button(QDialogButtonBox::Close), Qt::LeftButton);
    QTRY_VERIFY(!w.findChild<QDialog *>(QStringLiteral("shortcutsDialog")) || !dialog->isVisible());
}

void TstTrainerWindow::oneShardNumbering()
{
    Rig rig;
    MainWindow &w = rig.window;
    QTRY_VERIFY(rig.ready());
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    // Find a row the test itself routes to the third quarter: shardId-000000000002.
    int row = -1;
    for (int r = 0; r < 50 && row < 0; ++r)
        if (quarterOf(md5Number(w.workspace()->store().partitionKeyUtf8(r).toByteArray())) == 2)
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(cell(w, row, RecordColumn::Shard), QStringLiteral("2"));
    QVERIFY(w.recordsView()->selectStoreRow(row));
    auto *routing = w.editor()->findChild<QLabel *>(QStringLiteral("routingLabel"));
    QTRY_VERIFY(routing->text().contains(QStringLiteral("shardId-000000000002")));
    QVERIFY2(routing->text().contains(QStringLiteral("(shard 2,")), qPrintable(routing->text()));
    QVERIFY2(!routing->text().contains(QStringLiteral("shard 3")), qPrintable(routing->text()));
}

void TstTrainerWindow::numbersWithGroupSeparators()
{
    QTemporaryDir dir;
    QByteArray lines;
    for (int i = 0; i < 12345; ++i)
        lines += "{\"PartitionKey\":\"k" + QByteArray::number(i) + "\",\"Data\":\"x\"}\n";
    const QString path = writeFile(dir, QStringLiteral("many.jsonl"), lines);
    QVERIFY(!path.isEmpty());
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.openFile(path);
    QTRY_COMPARE(w.workspace()->rowCount(), 12345);
    QTRY_VERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("imported 12,345 of 12,345 records")),
                 qPrintable(w.statusBar()->currentMessage()));
    QTRY_COMPARE(w.findChild<QLabel *>(QStringLiteral("rowsLabel"))->text(), QStringLiteral("12,345 rows"));
    // A record of 12,219 bytes: the editor says so with the separator.
    QVERIFY(w.workspace()->setData(0, QByteArray(12219 - 2, 'a'))); // + the key "k0"
    QVERIFY(w.recordsView()->selectStoreRow(0));
    auto *routing = w.editor()->findChild<QLabel *>(QStringLiteral("routingLabel"));
    QTRY_VERIFY2(routing->text().contains(QStringLiteral("12,219 bytes")), qPrintable(routing->text()));
    QCOMPARE(cell(w, 0, RecordColumn::Size), QStringLiteral("12,219"));
    QTRY_VERIFY(w.editor()->findChild<QLabel *>(QStringLiteral("editorTitle"))->text().contains(QStringLiteral("Row 1")));
    QVERIFY(w.recordsView()->selectStoreRow(12344));
    QTRY_VERIFY2(w.editor()->findChild<QLabel *>(QStringLiteral("editorTitle"))->text().contains(QStringLiteral("Row 12,345")),
                 qPrintable(w.editor()->findChild<QLabel *>(QStringLiteral("editorTitle"))->text()));
}

void TstTrainerWindow::rowNumbersArePlaces()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.pasteText(QStringLiteral("a\t1\nb\t2\nc\t3\nd\t4\ne\t5\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 5);
    QVERIFY(w.recordsView()->selectStoreRow(1));
    w.pasteText(QStringLiteral("f\t6\ng\t7\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 7);
    // Row 2 was current: the pasted rows follow it as 3 and 4, and the rest move down.
    QCOMPARE(w.workspace()->store().partitionKey(2), QStringLiteral("f"));
    QCOMPARE(cell(w, 2, RecordColumn::Row), QStringLiteral("3"));
    QCOMPARE(cell(w, 3, RecordColumn::Row), QStringLiteral("4"));
    QCOMPARE(w.workspace()->store().partitionKey(6), QStringLiteral("e"));
    QCOMPARE(cell(w, 6, RecordColumn::Row), QStringLiteral("7"));
    for (int r = 0; r < 7; ++r)
        QCOMPARE(cell(w, r, RecordColumn::Row), QString::number(r + 1));
    // Deleting row 1 renumbers the rest.
    QVERIFY(w.recordsView()->selectStoreRow(0));
    w.deleteRows();
    QTRY_COMPARE(w.workspace()->rowCount(), 6);
    for (int r = 0; r < 6; ++r)
        QCOMPARE(cell(w, r, RecordColumn::Row), QString::number(r + 1));
    QCOMPARE(w.workspace()->store().partitionKey(0), QStringLiteral("b"));
    // The editor's title says the same.
    QVERIFY(w.recordsView()->selectStoreRow(2));
    QTRY_COMPARE(w.editor()->findChild<QLabel *>(QStringLiteral("editorTitle"))->text(), QStringLiteral("Row 3"));
}

void TstTrainerWindow::resultsFromAnEarlierSandboxSession()
{
    const QString file = m_dir.filePath(QStringLiteral("earlier.kwb"));
    {
        Rig rig;
        MainWindow &w = rig.window;
        QTRY_VERIFY(rig.ready());
        w.loadSample();
        QTRY_COMPARE(w.workspace()->rowCount(), 50);
        QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
        w.action(QStringLiteral("sendAll"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().succeeded == 50, kSendTimeoutMs);
        w.saveWorkspace(file);
        QTRY_VERIFY(QFile::exists(file) && !w.session()->isBusy());
        // Reopened against the same sandbox session: nothing to say.
        w.workspace()->clear();
        w.openWorkspace(file);
        QTRY_COMPARE(w.workspace()->rowCount(), 50);
        QTRY_VERIFY(w.connection()->state() == ConnectionController::State::Connected);
        QTRY_VERIFY(rig.ready());
        QTest::qWait(0);
        QVERIFY2(!w.banner()->text().contains(QStringLiteral("earlier")), qPrintable(w.banner()->text()));
    }
    // The sandbox restarted (a new process, a new empty demo stream, created now).
    Rig rig;
    MainWindow &w = rig.window;
    QTRY_VERIFY(rig.ready());
    w.openWorkspace(file);
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY2(w.banner()->text().contains(QStringLiteral("earlier session of the built-in sandbox")),
                 qPrintable(w.banner()->text()));
    QVERIFY(w.banner()->text().contains(QStringLiteral("demo")));
}

void TstTrainerWindow::importGuessesAKeyForPlainObjects()
{
    QTemporaryDir dir;
    QByteArray lines;
    for (int i = 0; i < 30; ++i)
        lines += "{\"event\":\"click\",\"order_id\":\"o-" + QByteArray::number(i) + "\",\"n\":" + QByteArray::number(i) + "}\n";
    const QString path = writeFile(dir, QStringLiteral("plain.jsonl"), lines);
    ImportDialog dialog(path, false);
    dialog.show();
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() > 0);
    QCOMPARE(dialog.guessedKeyField(), QStringLiteral("order_id"));
    QVERIFY(dialog.canImport());
    const import::ImportOptions options = dialog.options();
    QCOMPARE(options.keyStrategy, import::KeyStrategy::Field);
    QCOMPARE(options.partitionKeyField, QStringLiteral("order_id"));
    QCOMPARE(options.dataField, QString()); // the whole object
    QCOMPARE(dialog.previewRecordCount(), ImportDialog::kPreviewRecords);
    auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(preview->item(3, ImportDialog::KeyColumn)->text(), QStringLiteral("o-3"));
    QCOMPARE(preview->item(3, ImportDialog::DataColumn)->text(), QStringLiteral("{\"event\":\"click\",\"order_id\":\"o-3\",\"n\":3}"));
    QVERIFY2(dialog.previewText().contains(QStringLiteral("order_id")), qPrintable(dialog.previewText()));
    {
        // The last import's field (as MainWindow sets it from the settings), which these objects
        // lack: the dialog proposes theirs instead of failing every record.
        ImportDialog next(path, false);
        import::ImportOptions last;
        last.keyStrategy = import::KeyStrategy::Field;
        last.partitionKeyField = QStringLiteral("customer_id");
        next.setOptions(last);
        QTRY_VERIFY(!next.isPreviewing() && next.previewRecordCount() > 0);
        QCOMPARE(next.options().partitionKeyField, QStringLiteral("order_id"));
        QVERIFY(next.canImport());
    }
    // The user's own choice stays: a constant key is not replaced by the guess.
    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Auto)));
    Q_EMIT keys->activated(keys->currentIndex());
    QTRY_VERIFY(!dialog.isPreviewing());
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 0);
    QVERIFY(!dialog.canImport());
}

void TstTrainerWindow::importWithoutAnyKeyIsNotOffered()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("nokey.jsonl"), "{\"event\":\"a\"}\n{\"event\":\"b\"}\n");
    ImportDialog dialog(path, false);
    dialog.show();
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(dialog.previewRecordCount(), 0);
    QVERIFY(!dialog.canImport());
    auto *box = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(!box->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY2(dialog.previewText().contains(QStringLiteral("records would import: they have no PartitionKey member")), qPrintable(dialog.previewText()));
    QVERIFY(dialog.previewText().contains(QStringLiteral("UUID")));
    // A UUID per record: now they import.
    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Uuid)));
    Q_EMIT keys->activated(keys->currentIndex());
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 2);
    QVERIFY(dialog.canImport());
}

void TstTrainerWindow::importPreviewCountsShardsAndHeaders()
{
    QTemporaryDir dir;
    QByteArray lines;
    for (int i = 0; i < 10000; ++i)
        lines += "{\"PartitionKey\":\"user-" + QByteArray::number(i) + "\",\"Data\":\"x\"}\n";
    lines += "\n"; // an empty line is no record
    const QString path = writeFile(dir, QStringLiteral("users.jsonl"), lines);
    ImportDialog dialog(path, false);
    auto map = ShardMap::uniform(4);
    KWB_VERIFY_OK(map);
    dialog.setShardMap(map.value());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == ImportDialog::kPreviewRecords);
    QTRY_VERIFY2(dialog.previewText().contains(QStringLiteral("10,000 records")), qPrintable(dialog.previewText()));
    auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    for (int row = 0; row < preview->rowCount(); ++row) {
        const QString key = preview->item(row, ImportDialog::KeyColumn)->text();
        QCOMPARE(preview->item(row, ImportDialog::ShardColumn)->text(), QString::number(quarterOf(md5Number(key.toUtf8()))));
    }
    // Every header whole.
    QHeaderView *header = preview->horizontalHeader();
    for (int c = 0; c < preview->columnCount(); ++c) {
        const QString title = preview->horizontalHeaderItem(c)->text();
        QVERIFY2(header->sectionSize(c) >= header->fontMetrics().horizontalAdvance(title) + 8,
                 qPrintable(QStringLiteral("%1: %2 px").arg(title).arg(header->sectionSize(c))));
    }
    // A file too large to count is estimated from its first lines, and says so.
    const QStringList first{QStringLiteral("0123456789\n"), QStringLiteral("0123456789\n")}; // 11 bytes a line
    const ImportDialog::RecordCount estimate = ImportDialog::countLines(path, first, 110LL * 1000 * 1000);
    QVERIFY(estimate.estimated);
    QCOMPARE(estimate.lines, 10LL * 1000 * 1000);
    const ImportDialog::RecordCount counted = ImportDialog::countLines(path, {}, QFileInfo(path).size());
    QVERIFY(!counted.estimated);
    QCOMPARE(counted.lines, 10000);
}

QTEST_MAIN(TstTrainerWindow)
#include "tst_trainerwindow.moc"
