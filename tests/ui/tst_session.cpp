// Workspaces as documents, driven through the real window against the built-in sandbox: a saved
// workspace opens in a new window with every row's outcome, its target and stream, and its failed
// rows can be retried; typed keys never reach the file or the autosave; after a "crash" (a
// window gone without closing) the next window offers the autosave and restores every row's state;
// closing with unsaved changes asks; a damaged file is refused with its place; files dropped on
// the window open.
#include "MainWindow.h"
#include "TestSupport.h"
#include "controllers/ConnectionController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "controllers/SessionController.h"
#include "controllers/StreamController.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/Banner.h"
#include "workspace/WorkspaceFile.h"

#include <QAction>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;
using send::RowStatus;

namespace {

constexpr int kSendTimeoutMs = 30000;
const QString kSecret = QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYSESSIONSECRET");
const QString kToken = QStringLiteral("FwoGZXIvYXdzEXAMPLESESSIONTOKEN");

MainWindowServices services(SecretStore *secrets, const QString &autosaveDir = {})
{
    MainWindowServices s;
    s.secrets = secrets;
    s.environment = aws::Environment::fromMap({}, QString());
    s.restoreSession = false;
    s.autosaveDirectory = autosaveDir;
    s.autosaveIntervalMs = 50;
    return s;
}

/// A row's outcome as the table would show it.
struct Outcome
{
    RowStatus status;
    QString shard;
    QString sequence;
    QString code;
    QString partitionKey;
    bool operator==(const Outcome &) const = default;
};

std::vector<Outcome> outcomes(const Workspace &w)
{
    std::vector<Outcome> list;
    for (int r = 0; r < w.rowCount(); ++r)
        list.push_back({w.results().status(r), w.results().shardId(r), w.results().sequenceNumber(r), w.results().errorCode(r),
                        w.store().partitionKey(r)});
    return list;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QMessageBox *visibleBox(QWidget &w, const char *name)
{
    auto *box = w.findChild<QMessageBox *>(QLatin1String(name));
    return box && box->isVisible() ? box : nullptr;
}

} // namespace

class TstSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void saveAndOpenKeepEveryRowAndTheTarget();
    void restoresAfterACrash();
    void closingAsksToSaveChanges();
    void damagedFileIsRefusedWithItsPlace();
    void rowIdsThatCannotGrowAreRefused();
    void importReplacingRowsStartsANewDocument();
    void droppedFilesOpen();

private:
    /// Starts the sandbox (demo: 4 shards) and connects `w` to it, like the app does.
    void connectToSandbox(MainWindow &w);
    /// Sends every row; the sandbox fails about a third of the records (seeded, so some do).
    void sendWithFailures(MainWindow &w);

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    QUrl m_url;
};

void TstSession::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_session"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}, sandbox::InitialStream{QStringLiteral("other"), 2}};
    m_sandbox = std::make_unique<sandbox::SandboxServer>(options);
    auto url = m_sandbox->start(0);
    KWB_VERIFY_OK(url);
    m_url = url.value();
}

void TstSession::init()
{
    QSettings().clear();
    m_sandbox->setRecordFailureRate(0);
}

void TstSession::connectToSandbox(MainWindow &w)
{
    w.setSandbox(m_url);
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
}

void TstSession::sendWithFailures(MainWindow &w)
{
    m_sandbox->setSeed(7);
    m_sandbox->setRecordFailureRate(0.35);
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().attempted == w.workspace()->rowCount(),
                             kSendTimeoutMs);
    m_sandbox->setRecordFailureRate(0);
}

void TstSession::saveAndOpenKeepEveryRowAndTheTarget()
{
    const QString path = m_dir.filePath(QStringLiteral("orders.kwb"));
    MemorySecretStore secrets;
    std::vector<Outcome> before;
    QString targetId;
    {
        MainWindow w(services(&secrets));
        w.show();
        // A custom target whose keys were typed into the app: they go to the keychain only.
        ConnectionTarget target = ConnectionTarget::newCustom();
        target.name = QStringLiteral("classroom");
        target.endpointUrl = m_url.toString();
        target.region = QStringLiteral("eu-west-1");
        target.keysInKeychain = true;
        targetId = target.id;
        w.saveCustomTarget(target, aws::Credentials{QStringLiteral("AKIDSESSIONTEST"), kSecret, kToken, {}, {}});
        QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
        QTRY_VERIFY(w.streams()->streams().contains(QStringLiteral("other")));
        w.chooseStream(QStringLiteral("other"));
        QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("other"));
        w.loadSample();
        QTRY_COMPARE(w.workspace()->rowCount(), 50);
        QVERIFY(!w.session()->isModified()); // the untouched sample is nothing to save
        sendWithFailures(w);
        QVERIFY(w.sender()->counters().failed > 0 && w.sender()->counters().succeeded > 0);
        QVERIFY(w.session()->isModified());
        QVERIFY(w.isWindowModified());
        before = outcomes(*w.workspace());

        QSignalSpy saved(w.session(), &SessionController::saved);
        w.saveWorkspace(path);
        QTRY_COMPARE(saved.count(), 1);
        QVERIFY(!w.session()->isModified());
        QVERIFY(!w.isWindowModified());
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("orders.kwb")));
        QCOMPARE(w.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    }

    // The file has the target's address and no key.
    const QByteArray text = readAll(path);
    QVERIFY(text.startsWith(R"({"format":"kinesis-workbench-workspace","version":1,)"));
    QVERIFY(text.contains(m_url.toString().toUtf8()));
    QVERIFY(text.contains("AKIDSESSIONTEST") == false);
    QVERIFY(!text.contains(kSecret.toUtf8()));
    QVERIFY(!text.contains(kToken.toUtf8()));

    // A new window (the sandbox target by default) opens it: the rows, their outcomes, the target
    // and the stream come back.
    MainWindow w(services(&secrets));
    w.show();
    connectToSandbox(w);
    QSignalSpy opened(w.session(), &SessionController::opened);
    w.openPath(path);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(w.workspace()->rowCount(), 50);
    QVERIFY(outcomes(*w.workspace()) == before);
    QVERIFY(!w.session()->isModified());
    QCOMPARE(w.session()->documentPath(), path);
    QTRY_COMPARE(w.connection()->target().id, targetId);
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("other"));
    QCOMPARE(w.workspace()->shardMap().openShardCount(), 2);

    // Its failed rows are retried until all succeed.
    const qint64 failed = std::count_if(before.begin(), before.end(), [](const Outcome &o) { return o.status == RowStatus::Failed; });
    QTRY_COMPARE(w.sender()->failedRows(), int(failed));
    QTRY_VERIFY(w.action(QStringLiteral("retryFailed"))->isEnabled());
    w.action(QStringLiteral("retryFailed"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->failedRows() == 0, kSendTimeoutMs);
    for (int r = 0; r < 50; ++r) {
        QCOMPARE(w.workspace()->results().status(r), RowStatus::Succeeded);
        // Rows that had succeeded keep their sequence number: they were not sent again.
        if (before[size_t(r)].status == RowStatus::Succeeded)
            QCOMPARE(w.workspace()->results().sequenceNumber(r), before[size_t(r)].sequence);
    }
}

void TstSession::restoresAfterACrash()
{
    const QString autosaveDir = m_dir.filePath(QStringLiteral("autosave"));
    MemorySecretStore secrets;
    std::vector<Outcome> before;
    {
        auto w = std::make_unique<MainWindow>(services(&secrets, autosaveDir));
        w->show();
        connectToSandbox(*w);
        w->loadSample();
        QTRY_COMPARE(w->workspace()->rowCount(), 50);
        w->pasteText(QStringLiteral("typed-key\t{\"typed\":true}\n"));
        QTRY_COMPARE(w->workspace()->rowCount(), 51);
        sendWithFailures(*w);
        before = outcomes(*w->workspace());
        // The autosave holds the rows as they are now: a timer's save may be running; after it,
        // autosaveNow() writes again only if something changed since.
        QTRY_VERIFY(!w->session()->isBusy());
        w->session()->autosaveNow();
        QTRY_VERIFY(!w->session()->isBusy());
        QVERIFY(QFile::exists(w->session()->autosavePath()));
        // While the window runs, its autosave is nobody's orphan.
        QVERIFY(SessionController::findOrphans(autosaveDir).isEmpty());
        // The window goes away without closing: what a crash leaves behind. A killed process
        // also leaves its lock file, naming a process that no longer runs: put one back.
        QString lockPath = w->session()->autosavePath();
        lockPath.replace(QRegularExpression(QStringLiteral("kwb$")), QStringLiteral("lock"));
        QByteArray lock = readAll(lockPath);
        QVERIFY(!lock.isEmpty());
        w.reset();
        QVERIFY(!QFile::exists(lockPath));
        QProcess gone;
        gone.start(QStringLiteral("sleep"), {QStringLiteral("0.1")});
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(deadPid > 0);
        QVERIFY(gone.waitForFinished());
        lock = QByteArray::number(deadPid) + lock.mid(lock.indexOf('\n'));
        QFile stale(lockPath);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write(lock);
        stale.close();
    }
    QCOMPARE(SessionController::findOrphans(autosaveDir).size(), 1);

    MainWindow w(services(&secrets, autosaveDir));
    w.show();
    connectToSandbox(w);
    w.offerRestore();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleBox(w, "restoreOffer")));
    QVERIFY2(box->informativeText().contains(QStringLiteral("51 rows")), qPrintable(box->informativeText()));
    QVERIFY(box->informativeText().contains(QStringLiteral("succeeded")));
    QVERIFY(box->informativeText().contains(QStringLiteral("failed")));
    QSignalSpy opened(w.session(), &SessionController::opened);
    QPushButton *restore = nullptr;
    for (QAbstractButton *b : box->buttons()) {
        if (b->text().contains(QStringLiteral("Restore")))
            restore = qobject_cast<QPushButton *>(b);
    }
    QVERIFY(restore);
    restore->click();
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(w.workspace()->rowCount(), 51);
    QVERIFY(outcomes(*w.workspace()) == before);
    QVERIFY(std::any_of(before.begin(), before.end(), [](const Outcome &o) { return o.partitionKey == QLatin1String("typed-key"); }));
    // Restored, not saved anywhere yet: the changes are still to be saved.
    QVERIFY(w.session()->isModified());
    QVERIFY(w.session()->documentPath().isEmpty());
    // The orphan is gone; only this window's own autosave is left.
    QTRY_VERIFY(SessionController::findOrphans(autosaveDir).isEmpty());
    const QStringList left = QDir(autosaveDir).entryList({QStringLiteral("*.kwb")}, QDir::Files);
    QVERIFY(left.size() <= 1);
    if (left.size() == 1)
        QCOMPARE(QDir(autosaveDir).filePath(left.first()), w.session()->autosavePath());
    // Closing cleanly removes it.
    QVERIFY(!w.close()); // unsaved changes: asks
    QMessageBox *ask = nullptr;
    QTRY_VERIFY((ask = visibleBox(w, "saveChanges")));
    ask->button(QMessageBox::Discard)->click();
    QTRY_VERIFY(!w.isVisible());
    // (An autosave being written at that moment is cancelled, or removed once written.)
    QTRY_VERIFY(QDir(autosaveDir).entryList({QStringLiteral("*.kwb"), QStringLiteral("*.lock")}, QDir::Files).isEmpty());
    QTest::qWait(200);
    QVERIFY(QDir(autosaveDir).entryList({QStringLiteral("*.kwb"), QStringLiteral("*.lock")}, QDir::Files).isEmpty());
}

void TstSession::closingAsksToSaveChanges()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.pasteText(QStringLiteral("a\t1\nb\t2\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 2);
    QVERIFY(w.session()->isModified());

    // Cancel: the window stays.
    QVERIFY(!w.close());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleBox(w, "saveChanges")));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!visibleBox(w, "saveChanges"));
    QVERIFY(w.isVisible());

    // Save, with a file already chosen: saved, then closed.
    const QString path = m_dir.filePath(QStringLiteral("two.kwb"));
    QSignalSpy saved(w.session(), &SessionController::saved);
    w.saveWorkspace(path);
    QTRY_COMPARE(saved.count(), 1);
    w.pasteText(QStringLiteral("c\t3\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 3);
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("two.kwb")));
    QVERIFY(w.isWindowModified());
    QVERIFY(!w.close());
    QTRY_VERIFY((box = visibleBox(w, "saveChanges")));
    box->button(QMessageBox::Save)->click();
    QTRY_VERIFY(!w.isVisible());
    auto loaded = workspace::WorkspaceFile::load(path);
    KWB_VERIFY_OK(loaded);
    QCOMPARE(loaded.value().store.size(), 3);
    QStringList keys;
    for (int r = 0; r < loaded.value().store.size(); ++r)
        keys << loaded.value().store.partitionKey(r);
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
}

void TstSession::damagedFileIsRefusedWithItsPlace()
{
    const QString path = m_dir.filePath(QStringLiteral("bad.kwb"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"format":"kinesis-workbench-workspace","version":1,"rows":2})"
            "\n"
            R"({"id":0,"pk":"a","data":"eA=="})"
            "\n"
            R"({"id":1,"pk":"b","data":"not base64!"})"
            "\n");
    f.close();
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.pasteText(QStringLiteral("keep\tme\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 1);
    QSignalSpy failed(w.session(), &SessionController::openFailed);
    w.session()->setModified(false);
    w.openWorkspace(path);
    QTRY_COMPARE(failed.count(), 1);
    QTRY_VERIFY(w.banner()->isVisible());
    const QString text = w.banner()->text();
    QVERIFY2(text.contains(QStringLiteral("bad.kwb:3:18")) && text.contains(QStringLiteral("base64")), qPrintable(text));
    QCOMPARE(w.workspace()->rowCount(), 1);
    QCOMPARE(w.workspace()->store().partitionKey(0), QStringLiteral("keep"));
}

void TstSession::rowIdsThatCannotGrowAreRefused()
{
    // A row id of INT64_MAX: refused with its place, the rows on screen kept.
    const QString dataDir = qEnvironmentVariable("KWB_TEST_DATA") + QStringLiteral("/workspace/");
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.pasteText(QStringLiteral("keep\tme\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 1);
    QSignalSpy failed(w.session(), &SessionController::openFailed);
    w.session()->setModified(false);
    w.openWorkspace(dataDir + QStringLiteral("row-id-int64-max.kwb"));
    QTRY_COMPARE(failed.count(), 1);
    QTRY_VERIFY(w.banner()->isVisible());
    const QString text = w.banner()->text();
    QVERIFY2(text.contains(QStringLiteral("row-id-int64-max.kwb:3:2")) && text.contains(QStringLiteral("\"id\" 9223372036854775807")),
             qPrintable(text));
    QCOMPARE(w.workspace()->rowCount(), 1);

    // The largest id allowed opens; a new row gets the id after it, not a wrapped one.
    QSignalSpy opened(w.session(), &SessionController::opened);
    w.openWorkspace(dataDir + QStringLiteral("largest-row-id.kwb"));
    QTRY_COMPARE(opened.count(), 1);
    QTRY_COMPARE(w.workspace()->rowCount(), 2);
    QCOMPARE(w.workspace()->rowId(1), qint64(9007199254740991));
    w.pasteText(QStringLiteral("new\trow\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 3);
    QCOMPARE(w.workspace()->rowId(2), qint64(9007199254740992));
}

void TstSession::importReplacingRowsStartsANewDocument()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.pasteText(QStringLiteral("a\t1\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 1);
    const QString path = m_dir.filePath(QStringLiteral("kept.kwb"));
    QSignalSpy saved(w.session(), &SessionController::saved);
    w.saveWorkspace(path);
    QTRY_COMPARE(saved.count(), 1);
    w.pasteText(QStringLiteral("b\t2\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 2);

    // Records that replace unsaved rows: asked first.
    const QString records = m_dir.filePath(QStringLiteral("replacing.jsonl"));
    QFile f(records);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"PartitionKey\":\"r1\",\"Data\":\"eA==\"}\n{\"PartitionKey\":\"r2\",\"Data\":\"eQ==\"}\n{\"PartitionKey\":\"r3\",\"Data\":\"eg==\"}\n");
    f.close();
    w.openFile(records);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visibleBox(w, "saveChanges")));
    QCOMPARE(w.workspace()->rowCount(), 2); // nothing replaced before the answer
    box->button(QMessageBox::Discard)->click();
    QTRY_COMPARE(w.workspace()->rowCount(), 3);
    // The imported rows are not kept.kwb: a save must not overwrite it unasked.
    QTRY_VERIFY(w.session()->documentPath().isEmpty());
    QVERIFY(w.session()->isModified());
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("replacing.jsonl")));
    auto kept = workspace::WorkspaceFile::load(path);
    KWB_VERIFY_OK(kept);
    QCOMPARE(kept.value().store.size(), 1);
}

void TstSession::droppedFilesOpen()
{
    // A workspace with one row, written by the core (the format is tested there).
    const QString path = m_dir.filePath(QStringLiteral("dropped.kwb"));
    workspace::WorkspaceContent content;
    content.store.append(QByteArray("dropped-key"), QByteArray("dropped data"));
    content.results.resize(1);
    KWB_VERIFY_OK(workspace::WorkspaceFile::save(path, content));

    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    QSignalSpy opened(w.session(), &SessionController::opened);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &drop);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(w.workspace()->rowCount(), 1);
    QCOMPARE(w.workspace()->store().partitionKey(0), QStringLiteral("dropped-key"));

    // Records dropped onto rows: the import dialog, set to add them.
    const QString records = m_dir.filePath(QStringLiteral("more.jsonl"));
    QFile f(records);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"PartitionKey\":\"m\",\"Data\":\"bW9yZQ==\"}\n");
    f.close();
    QMimeData more;
    more.setUrls({QUrl::fromLocalFile(records)});
    QDragEnterEvent enterRecords(QPoint(10, 10), Qt::CopyAction, &more, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enterRecords);
    QVERIFY(enterRecords.isAccepted());
    QDropEvent dropRecords(QPointF(10, 10), Qt::CopyAction, &more, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &dropRecords);
    QVERIFY(dropRecords.isAccepted());
    QTRY_VERIFY(w.importDialog() && w.importDialog()->isVisible());
    QCOMPARE(w.importDialog()->path(), records);
    QVERIFY(w.importDialog()->append());
}

QTEST_MAIN(TstSession)
#include "tst_session.moc"
