// The real main window, driven with QTest against a Kinesis-like endpoint (FakeKinesis on a
// loopback port): connect to a custom endpoint, pick a stream, load records, see the shard
// preview, send, see results arrive, throttle some rows, retry them until all succeed, export
// and compare with the file; credential problems in words and keys kept out of settings;
// production confirmation; creating a stream; invalid input in the row; undo/redo from the
// keyboard. Waits with QTRY_*, never sleeps.
#include "FakeKinesis.h"
#include "MainWindow.h"
#include "controllers/ConnectionController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "controllers/StreamController.h"
#include "export/ResultsExport.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"
#include "TestSupport.h"
#include "models/RecordsModel.h"
#include "models/RequestLogModel.h"
#include "models/RowCells.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"
#include "views/FilterBar.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardBarWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QTreeWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace kwb;
using namespace kwb::ui;
using Fake = kwb::test::FakeKinesis;

namespace {

constexpr int kSendTimeoutMs = 30000;

MainWindowServices services(SecretStore *secrets, bool restore = false)
{
    MainWindowServices s;
    s.secrets = secrets;
    s.environment = aws::Environment::fromMap({}, QString());
    s.restoreSession = restore;
    return s;
}

template<typename T>
T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

/// Fills and accepts the custom endpoint dialog the way a user does.
void connectThroughDialog(MainWindow &w, const QString &url, const QString &accessKey = {}, const QString &secret = {})
{
    w.action(QStringLiteral("customEndpoint"))->trigger();
    CustomEndpointDialog *dialog = w.customEndpointDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QTest::keyClicks(child<QLineEdit>(dialog, "name"), QStringLiteral("fake"));
    QTest::keyClicks(child<QLineEdit>(dialog, "url"), url);
    if (!accessKey.isEmpty()) {
        child<QAbstractButton>(dialog, "useKeys")->click();
        QTest::keyClicks(child<QLineEdit>(dialog, "accessKeyId"), accessKey);
        QTest::keyClicks(child<QLineEdit>(dialog, "secretAccessKey"), secret);
    }
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
}

void chooseStreamInBar(MainWindow &w, const QString &stream)
{
    QComboBox *box = w.connectionBar()->streamBox();
    QTRY_VERIFY(box->findData(stream) >= 0);
    const int index = box->findData(stream);
    box->setCurrentIndex(index);
    Q_EMIT box->activated(index);
}

QString cell(MainWindow &w, int storeRow, RecordColumn column, int role = Qt::DisplayRole)
{
    return w.recordsModel()->data(w.recordsModel()->indexForStoreRow(storeRow, int(column)), role).toString();
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void sendThrottleRetryExport();
    void credentialProblemsInWords();
    void keysGoToTheKeychainOnly();
    void productionAsksFirst();
    void createStreamWaitsForActive();
    void invalidInputAndUndoFromTheKeyboard();
    void clickingAShardFilters();
    void columnsAndLayoutPersist();
    void millionRowsInTheWindow();
    void builtInSandboxRunsTheDemo();
    void doneWhenOnTheBuiltInSandbox();
    void orderedAndVerifiedOnAReshardedStream();
    void openFileThroughTheImportDialog();
    void closingWhileSendingIsSafe();

private:
    QTemporaryDir m_dir;
};

void TstMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
}

void TstMainWindow::init()
{
    QSettings().clear();
}

void TstMainWindow::sendThrottleRetryExport()
{
    Fake fake;
    fake.addStream(QStringLiteral("orders"), 4);
    fake.addStream(QStringLiteral("clicks"), 2);
    bool healthy = false;
    fake.recordRule = [&](const QString &key, int) {
        return !healthy && key == QLatin1String("user-1108") ? Fake::Verdict::Throttle : Fake::Verdict::Ok;
    };
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.sender()->setRandom([] { return 0.05; });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    connectThroughDialog(w, fake.url());
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QVERIFY(w.connection()->info().credentialSource.contains(QStringLiteral("placeholder")));
    chooseStreamInBar(w, QStringLiteral("orders"));
    QTRY_VERIFY(w.workspace()->hasStreamMap());
    QCOMPARE(w.workspace()->shardMap().openShardCount(), 4);
    QTRY_VERIFY(child<QLabel>(&w, "streamInfo")->text().contains(QStringLiteral("4 open shards")));
    QVERIFY(child<QLabel>(&w, "streamInfo")->text().contains(QStringLiteral("1 MiB")));

    // Sample records plus two pasted rows.
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    w.recordsView()->selectStoreRow(49);
    w.pasteText(QStringLiteral("paste-1\t{\"n\":1}\npaste-2\t{\"n\":2}\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 52);
    QCOMPARE(w.workspace()->store().partitionKey(50), QStringLiteral("paste-1"));

    // The shard preview: counts per shard (off the GUI thread) and the selected row's marker.
    QTRY_COMPARE(w.stats()->stats().records, 52);
    QCOMPARE(int(w.stats()->stats().shardRecords.size()), 4);
    qint64 sum = 0;
    for (qint64 n : w.stats()->stats().shardRecords)
        sum += n;
    QCOMPARE(sum, 52);
    QVERIFY(w.recordsView()->selectStoreRow(3));
    QTRY_COMPARE(int(w.shardPanel()->bar()->markers().size()), 1);
    QVERIFY(w.shardPanel()->bar()->markers().front() == w.workspace()->store().hashKey(3));
    QCOMPARE(cell(w, 3, RecordColumn::PredictedShard),
             w.workspace()->shardMap().shardFor(w.workspace()->store().hashKey(3))->shardId);

    int throttledRows = 0;
    for (int r = 0; r < 52; ++r)
        throttledRows += w.workspace()->store().partitionKey(r) == QLatin1String("user-1108");
    QVERIFY(throttledRows > 0);

    // Send all from the send bar, with 3 attempts (automatic attempts retry a throttled row
    // until its deadline, and this fake throttles user-1108 forever).
    send::SendOptions threeAttempts = w.sendBar()->options();
    threeAttempts.maxAttempts = 3;
    w.sendBar()->setOptions(threeAttempts);
    QToolButton *sendAll = child<QToolButton>(&w, "sendAllButton");
    QVERIFY(sendAll->isEnabled());
    QTest::mouseClick(sendAll, Qt::LeftButton);
    QTRY_VERIFY(w.sender()->isRunning() || fake.count("PutRecords") > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), kSendTimeoutMs);
    const send::SendResults &results = w.workspace()->results();
    for (int r = 0; r < 52; ++r) {
        if (w.workspace()->store().partitionKey(r) == QLatin1String("user-1108")) {
            QCOMPARE(results.status(r), send::RowStatus::Failed);
            QCOMPARE(results.attemptCount(r), 3);
            QCOMPARE(cell(w, r, RecordColumn::Status), QStringLiteral("throttled"));
            QCOMPARE(cell(w, r, RecordColumn::ErrorCode), QStringLiteral("ProvisionedThroughputExceededException"));
        } else {
            QCOMPARE(results.status(r), send::RowStatus::Succeeded);
            QVERIFY(!cell(w, r, RecordColumn::SequenceNumber).isEmpty());
            QCOMPARE(cell(w, r, RecordColumn::ActualShard), cell(w, r, RecordColumn::PredictedShard));
        }
    }
    QTRY_VERIFY(w.sendBar()->countersText().contains(QStringLiteral("%1 failed").arg(throttledRows)));
    QVERIFY(w.sendBar()->countersText().contains(QStringLiteral("%1 succeeded").arg(52 - throttledRows)));
    QToolButton *retryRows = child<QToolButton>(&w, "retryFailedRowsButton");
    QVERIFY(!retryRows->isHidden());
    QVERIFY(retryRows->text().contains(QString::number(throttledRows)));

    // KWB_SCREENSHOT_DIR=... keeps a picture of the window after the first send (for the docs).
    if (qEnvironmentVariableIsSet("KWB_SCREENSHOT_DIR")) {
        w.resize(1400, 900);
        w.recordsView()->selectStoreRow(throttledRows > 0 ? 0 : 1);
        QCoreApplication::sendPostedEvents(); // pending layouts, before grabbing
        w.grab().save(QDir(qEnvironmentVariable("KWB_SCREENSHOT_DIR")).filePath(QStringLiteral("workbench.png")));
    }

    // The attempts of a throttled row, in the editor panel.
    int throttledRow = 0;
    while (w.workspace()->store().partitionKey(throttledRow) != QLatin1String("user-1108"))
        ++throttledRow;
    QVERIFY(w.recordsView()->selectStoreRow(throttledRow));
    QTRY_COMPARE(w.editor()->row(), throttledRow);
    QTRY_COMPARE(child<QTreeWidget>(w.editor(), "attemptsList")->topLevelItemCount(), 3);

    // The log dock: every request, PutRecords with its FailedRecordCount.
    w.requestLog()->flush();
    QTRY_VERIFY(w.requestLog()->rowCount() >= fake.count("PutRecords"));
    bool sawFailedCount = false;
    for (int r = 0; r < w.requestLog()->rowCount(); ++r) {
        const net::RequestLogEntry &e = w.requestLog()->entry(r);
        if (e.operation == QLatin1String("PutRecords") && e.failedRecordCount > 0) {
            sawFailedCount = true;
            QCOMPARE(e.httpStatus, 200);
        }
    }
    QVERIFY(sawFailedCount);

    // The failed filter shows exactly the throttled rows.
    RowFilter failed;
    failed.status = RowFilter::Status::Failed;
    w.filterBar()->setFilter(failed);
    QTRY_VERIFY(!w.recordsModel()->isOrdering() && w.recordsModel()->rowCount() == throttledRows);

    // Retry until all succeed.
    healthy = true;
    QTest::mouseClick(retryRows, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->failedRows() == 0, kSendTimeoutMs);
    for (int r = 0; r < 52; ++r)
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
    QTRY_VERIFY(retryRows->isHidden());
    int written = 0;
    for (int n : fake.acknowledged)
        written += n;
    QCOMPARE(written, 52); // nothing written twice
    // The filter ran again after the send: no failed rows left.
    QTRY_COMPARE(w.recordsModel()->rowCount(), 0);
    w.filterBar()->setFilter(RowFilter());
    QTRY_COMPARE(w.recordsModel()->rowCount(), 52);

    // Export results as JSON Lines and CSV, and the records for the AWS CLI; compare the files.
    const QString jsonl = m_dir.filePath(QStringLiteral("results.jsonl"));
    const QString csv = m_dir.filePath(QStringLiteral("results.csv"));
    w.exportTo(ExportController::Format::ResultsJsonl, jsonl);
    w.exportTo(ExportController::Format::ResultsCsv, csv);
    w.exportTo(ExportController::Format::AwsCliRecords, m_dir.filePath(QStringLiteral("records")));
    QTRY_COMPARE(w.exporter()->running(), 0);
    QFile file(jsonl);
    QVERIFY(file.open(QIODevice::ReadOnly));
    int line = 0;
    while (!file.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        QCOMPARE(o.value(QStringLiteral("partitionKey")).toString(), w.workspace()->store().partitionKey(line));
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(o.value(QStringLiteral("sequenceNumber")).toString(), results.sequenceNumber(line));
        QCOMPARE(o.value(QStringLiteral("shardId")).toString(), results.shardId(line));
        ++line;
    }
    QCOMPARE(line, 52);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(csvFile.readAll().count("\r\n"), 53);
    QFile cli(m_dir.filePath(QStringLiteral("records-0001.json")));
    QVERIFY(cli.open(QIODevice::ReadOnly));
    const QJsonObject cliInput = QJsonDocument::fromJson(cli.readAll()).object();
    QCOMPARE(cliInput.value(QStringLiteral("StreamName")).toString(), QStringLiteral("orders"));
    QCOMPARE(cliInput.value(QStringLiteral("Records")).toArray().size(), 52);
}

void TstMainWindow::credentialProblemsInWords()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    // An AWS endpoint and no credentials anywhere: said in words, with where it looked.
    connectThroughDialog(w, QStringLiteral("https://kinesis.eu-west-1.amazonaws.com"));
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Failed);
    QVERIFY2(w.banner()->text().contains(QStringLiteral("No AWS credentials were found")), qPrintable(w.banner()->text()));

    // Keys the endpoint does not know.
    Fake fake;
    fake.requestRule = [](const QByteArray &) {
        return Fake::Server::Answer{Fake::Server::Action::Respond,
                                    Fake::Server::response(400, R"({"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."})")};
    };
    connectThroughDialog(w, fake.url(), QStringLiteral("AKIDWRONG"), QStringLiteral("wrong-secret"));
    QTRY_VERIFY(w.banner()->text().contains(QStringLiteral("does not know this access key")));
    QVERIFY(!w.banner()->text().contains(QStringLiteral("wrong-secret")));
}

void TstMainWindow::keysGoToTheKeychainOnly()
{
    Fake fake;
    fake.addStream(QStringLiteral("orders"), 2);
    MemorySecretStore secrets;
    {
        MainWindow w(services(&secrets, true));
        w.show();
        connectThroughDialog(w, fake.url(), QStringLiteral("AKIDKEYCHAIN"), QStringLiteral("very-secret-value"));
        QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
        QVERIFY(w.connection()->info().credentialSource.contains(QStringLiteral("AKIDKEYCHAIN")));
        QVERIFY(!w.connection()->info().credentialSource.contains(QStringLiteral("very-secret-value")));
        QTRY_VERIFY(w.connectionBar()->streamBox()->findData(QStringLiteral("orders")) >= 0);
        // The request was signed with the typed keys.
        QVERIFY(fake.server().requests().last().header("Authorization").contains("AKIDKEYCHAIN"));
        w.close();
    }
    QCOMPARE(secrets.contents().size(), 1);
    QVERIFY(secrets.contents().begin().value().contains(QStringLiteral("very-secret-value")));
    QSettings().sync();
    QFile ini(QSettings().fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray stored = ini.readAll();
    QVERIFY(stored.contains(fake.url().toUtf8()));
    QVERIFY(!stored.contains("very-secret-value"));
    QVERIFY(!stored.contains("AKIDKEYCHAIN"));

    // A new window reconnects to the last target with the keys from the keychain.
    MainWindow again(services(&secrets, true));
    QTRY_COMPARE(again.connection()->state(), ConnectionController::State::Connected);
    QVERIFY(again.connection()->info().credentialSource.contains(QStringLiteral("AKIDKEYCHAIN")));
}

void TstMainWindow::productionAsksFirst()
{
    Fake fake;
    fake.addStream(QStringLiteral("orders"), 2);
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    connectThroughDialog(w, fake.url());
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    chooseStreamInBar(w, QStringLiteral("orders"));
    QTRY_VERIFY(w.workspace()->hasStreamMap());
    w.pasteText(QStringLiteral("a\t1\nb\t2\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 2);
    QTest::mouseClick(child<QToolButton>(&w, "productionToggle"), Qt::LeftButton);
    QVERIFY(w.connection()->target().production);

    w.action(QStringLiteral("sendAll"))->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = w.findChild<QMessageBox *>(QStringLiteral("confirmation"))) && box->isVisible());
    QVERIFY(box->text().contains(QStringLiteral("production")));
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!w.findChild<QMessageBox *>(QStringLiteral("confirmation")));
    QCOMPARE(fake.count("PutRecords"), 0);

    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY((box = w.findChild<QMessageBox *>(QStringLiteral("confirmation"))) && box->isVisible());
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.workspace()->results().status(1) == send::RowStatus::Succeeded, kSendTimeoutMs);
    QCOMPARE(fake.count("PutRecords"), 1);
}

void TstMainWindow::createStreamWaitsForActive()
{
    Fake fake;
    fake.createPolls = 3;
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.streams()->setPollInterval(20);
    w.show();
    connectThroughDialog(w, fake.url());
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    w.action(QStringLiteral("createStream"))->trigger();
    CreateStreamDialog *dialog = w.createStreamDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QTest::keyClicks(child<QLineEdit>(dialog, "streamName"), QStringLiteral("bad name!"));
    QPushButton *create = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!create->isEnabled());
    child<QLineEdit>(dialog, "streamName")->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, "streamName"), QStringLiteral("new-stream"));
    QVERIFY(create->isEnabled());
    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_VERIFY(!w.createStreamDialog());
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("new-stream"));
    QCOMPARE(w.workspace()->shardMap().openShardCount(), 2);
    QVERIFY(fake.count("DescribeStreamSummary") >= 3);
    QCOMPARE(fake.streams.value(QStringLiteral("new-stream")).status, QStringLiteral("ACTIVE"));
}

void TstMainWindow::invalidInputAndUndoFromTheKeyboard()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.pasteText(QStringLiteral("k1\tone\nk2\ttwo\tnot-a-number\n"));
    QTRY_COMPARE(w.workspace()->rowCount(), 2);
    // A typed explicit hash key that does not parse: in the row, with the reason.
    QCOMPARE(cell(w, 1, RecordColumn::Status), QStringLiteral("invalid"));
    QCOMPARE(cell(w, 1, RecordColumn::ErrorCode), QStringLiteral("InvalidExplicitHashKey"));
    QVERIFY(cell(w, 1, RecordColumn::PartitionKey, Qt::ToolTipRole).contains(QStringLiteral("not-a-number")));

    // Edit a key in the table: F2, clear, Enter.
    RecordsView *view = w.recordsView();
    view->setFocus();
    view->setCurrentIndex(w.recordsModel()->indexForStoreRow(0, int(RecordColumn::PartitionKey)));
    QTest::keyClick(view, Qt::Key_F2);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    editor->selectAll();
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(w.workspace()->issue(0), RowIssue::EmptyKey);
    QCOMPARE(cell(w, 0, RecordColumn::Status), QStringLiteral("invalid"));
    QCOMPARE(cell(w, 0, RecordColumn::ErrorCode), QStringLiteral("InvalidPartitionKey"));
    QVERIFY(!w.recordsModel()->data(w.recordsModel()->indexForStoreRow(0, int(RecordColumn::Row)), Qt::DecorationRole).isNull());

    // Undo and redo with the keyboard.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w.workspace()->store().partitionKey(0), QStringLiteral("k1"));
    QTest::keySequence(view, QKeySequence::Redo);
    QCOMPARE(w.workspace()->store().partitionKey(0), QString());
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);

    // Delete, Insert and Ctrl+D on the table.
    QVERIFY(w.recordsView()->selectStoreRow(1));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(w.workspace()->rowCount(), 1);
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w.workspace()->rowCount(), 2);
    QCOMPARE(w.workspace()->badExplicitHashKey(1), QStringLiteral("not-a-number"));
    QVERIFY(w.recordsView()->selectStoreRow(0));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(w.workspace()->rowCount(), 3);
    QCOMPARE(w.workspace()->store().partitionKey(1), QStringLiteral("k1"));
    QTRY_VERIFY(QApplication::focusWidget() == view || view->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(view, Qt::Key_Insert);
    QCOMPARE(w.workspace()->rowCount(), 4);
    QVERIFY(w.action(QStringLiteral("undo"))->text().contains(QStringLiteral("Add row")));

    // Ctrl+Return in the editor's data view applies the edit; it does not send.
    QVERIFY(w.recordsView()->selectStoreRow(0));
    QTRY_COMPARE(w.editor()->row(), 0);
    w.editor()->showView(RecordEditorPanel::TextView);
    auto *text = w.editor()->findChild<QPlainTextEdit *>(QStringLiteral("textView"));
    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    text->selectAll();
    QTest::keyClicks(text, QStringLiteral("edited"));
    QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(w.workspace()->store().data(0).toByteArray(), QByteArray("edited"));
    QVERIFY(!w.sender()->isRunning());

    // Too large for the stream: flagged in the row.
    RowContent big = w.workspace()->rowContent(0);
    big.data = QByteArray(2 * 1024 * 1024, 'x');
    QVERIFY(w.workspace()->setRowContent(0, big));
    QCOMPARE(cell(w, 0, RecordColumn::ErrorCode), QStringLiteral("RecordTooLarge"));
    QVERIFY(cell(w, 0, RecordColumn::ErrorMessage).contains(QStringLiteral("1 MiB")));
}

void TstMainWindow::clickingAShardFilters()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    ShardBarWidget *bar = w.shardPanel()->bar();
    QTRY_VERIFY(bar->isVisible());
    // The virtual stream of 4 shards; click inside shard 2.
    const Shard &shard = w.workspace()->shardMap().openShard(2);
    const int x = int(bar->xOf(shard.startingHashKey + (shard.endingHashKey - shard.startingHashKey) / 2));
    QCOMPARE(bar->openShardAt(x), 2);
    QTest::mouseClick(bar, Qt::LeftButton, {}, QPoint(x, bar->height() / 2));
    QTRY_VERIFY(!w.recordsModel()->isOrdering() && w.recordsModel()->filter().shardId == shard.shardId);
    QTRY_VERIFY(!w.recordsModel()->isOrdering());
    QVERIFY(w.recordsModel()->rowCount() > 0);
    for (int r = 0; r < w.recordsModel()->rowCount(); ++r)
        QCOMPARE(w.recordsModel()->data(w.recordsModel()->index(r, int(RecordColumn::PredictedShard))).toString(), shard.shardId);
    QCOMPARE(w.filterBar()->filter().shardId, shard.shardId);

    // Select all on the filtered table (no row was current): every shown row is selected, one
    // of them becomes current, and the editor shows it rather than "No row selected".
    QVERIFY(w.recordsView()->currentStoreRow() < 0);
    w.recordsView()->setFocus();
    QTest::keyClick(w.recordsView(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(int(w.recordsView()->selectedStoreRows().size()), w.recordsModel()->rowCount());
    const int current = w.recordsView()->currentStoreRow();
    QVERIFY(current >= 0);
    QCOMPARE(w.recordsModel()->data(w.recordsModel()->indexForStoreRow(current, int(RecordColumn::PredictedShard))).toString(),
             shard.shardId);
    auto *title = w.editor()->findChild<QLabel *>(QStringLiteral("editorTitle"));
    QVERIFY(title);
    QTRY_VERIFY(title->text() != QStringLiteral("No row selected"));

    // Fewer virtual shards: a hot shard at a high rate is named in words.
    w.shardPanel()->setRate(20000);
    QTRY_VERIFY(w.shardPanel()->warningText().contains(QStringLiteral("Hot shard")) ||
                w.shardPanel()->warningText().contains(QStringLiteral("hot shards")));
    QVERIFY(w.shardPanel()->warningText().contains(QStringLiteral("ProvisionedThroughputExceededException")));
}

void TstMainWindow::columnsAndLayoutPersist()
{
    MemorySecretStore secrets;
    {
        MainWindow w(services(&secrets, true));
        w.show();
        QAction *hashColumn = w.recordsView()->columnsMenu()->findChild<QAction *>(QStringLiteral("column-hashKey"));
        QAction *dataColumn = w.recordsView()->columnsMenu()->findChild<QAction *>(QStringLiteral("column-data"));
        QVERIFY(hashColumn && dataColumn);
        QVERIFY(!hashColumn->isChecked());
        hashColumn->trigger();
        QVERIFY(!w.recordsView()->isColumnHidden(int(RecordColumn::HashKey)));
        w.recordsView()->columnsMenu()->findChild<QAction *>(QStringLiteral("column-data"))->trigger();
        QVERIFY(w.recordsView()->isColumnHidden(int(RecordColumn::Data)));
        w.findChild<QDockWidget *>(QStringLiteral("logDock"))->hide();
        w.close();
    }
    MainWindow again(services(&secrets, true));
    QVERIFY(!again.recordsView()->isColumnHidden(int(RecordColumn::HashKey)));
    QVERIFY(again.recordsView()->isColumnHidden(int(RecordColumn::Data)));
    QVERIFY(again.findChild<QDockWidget *>(QStringLiteral("logDock"))->isHidden());
}

void TstMainWindow::millionRowsInTheWindow()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    {
        RecordStore store;
        store.reserve(1000000);
        for (int i = 0; i < 1000000; ++i)
            store.append(QByteArray("device-") + QByteArray::number(i % 70000), QByteArray("{\"reading\":") + QByteArray::number(i) + '}');
        w.workspace()->loadRecords(std::move(store));
    }
    QCOMPARE(w.recordsModel()->rowCount(), 1000000);
    RecordsView *view = w.recordsView();
    view->scrollToBottom();
    QVERIFY(w.recordsView()->selectStoreRow(999999));
    QTRY_COMPARE(w.editor()->row(), 999999);
    QTRY_COMPARE(w.stats()->stats().records, 1000000);
    // Sort by clicking the partition key header, then filter by a shard.
    QHeaderView *header = view->horizontalHeader();
    const int x = header->sectionViewportPosition(int(RecordColumn::PartitionKey)) + 5;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(w.recordsModel()->sortColumn() == int(RecordColumn::PartitionKey) && !w.recordsModel()->isOrdering(), 30000);
    QCOMPARE(w.recordsModel()->rowCount(), 1000000);
    QVERIFY(w.recordsModel()->data(w.recordsModel()->index(0, int(RecordColumn::PartitionKey))).toString()
            <= w.recordsModel()->data(w.recordsModel()->index(1, int(RecordColumn::PartitionKey))).toString());
    // The selected row stays selected and current through the sort.
    QCOMPARE(view->currentStoreRow(), 999999);
    w.filterBar()->showShard(QStringLiteral("shardId-000000000001"), RowFilter::ShardSource::Predicted);
    QTRY_VERIFY_WITH_TIMEOUT(!w.recordsModel()->isOrdering() && w.recordsModel()->rowCount() < 1000000, 30000);
    QCOMPARE(qint64(w.recordsModel()->rowCount()), w.stats()->stats().shardRecords[1]);

    // Copying every row of the shard: built off the GUI thread, then on the clipboard, one line a row.
    const int shown = w.recordsModel()->rowCount();
    view->selectAll();
    QTRY_COMPARE(int(view->selectedStoreRows().size()), shown);
    QGuiApplication::clipboard()->clear();
    w.action(QStringLiteral("copyRows"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!QGuiApplication::clipboard()->text().isEmpty(), 30000);
    const QString copied = QGuiApplication::clipboard()->text();
    QCOMPARE(int(copied.count(QLatin1Char('\n'))), shown);
    const int first = view->selectedStoreRows().front();
    QVERIFY(copied.contains(w.workspace()->store().partitionKey(first) + QLatin1Char('\t')
                            + QString::fromUtf8(w.workspace()->store().data(first))));
}

void TstMainWindow::builtInSandboxRunsTheDemo()
{
    // What `make run` does: the window picks the sandbox once it runs, and its demo stream.
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    sandbox::SandboxServer server(options);
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    QVERIFY(w.connectionBar()->targetBox()->itemText(0).contains(QStringLiteral("starting")));
    const auto url = server.start(0);
    KWB_VERIFY_OK(url);
    w.setSandbox(url.value());
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QCOMPARE(w.connection()->target().kind, ConnectionTarget::Kind::Sandbox);
    QVERIFY(!w.connectionBar()->targetBox()->itemText(0).contains(QStringLiteral("starting")));
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    QCOMPARE(w.workspace()->shardMap().openShardCount(), 4);
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().succeeded == 50, kSendTimeoutMs);
    for (int r = 0; r < 50; ++r)
        QCOMPARE(cell(w, r, RecordColumn::ActualShard), cell(w, r, RecordColumn::PredictedShard));
}

void TstMainWindow::doneWhenOnTheBuiltInSandbox()
{
    // What the issue's "done when" asks of a new user, on the built-in sandbox as `make run` starts
    // it: Send the sample, see the results, provoke throttling in the Sandbox dock, send again,
    // retry the failed rows until all succeed, export the results.
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    sandbox::SandboxServer server(options);
    const auto url = server.start(0);
    KWB_VERIFY_OK(url);
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.setSandbox(url.value());
    w.setSandboxServer(&server);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().succeeded == 50, kSendTimeoutMs);
    QVERIFY(!w.action(QStringLiteral("retryFailed"))->isEnabled());

    // The dock's button: limits at a hundredth, and the same sample now gets throttled.
    auto *provoke = w.findChild<QPushButton *>(QStringLiteral("sandboxProvokeThrottling"));
    QVERIFY(provoke);
    provoke->click();
    QCOMPARE(server.options().limitScale, 0.01);
    // Every row succeeded already: Send all asks before writing them a second time.
    w.action(QStringLiteral("sendAll"))->trigger();
    QMessageBox *again = nullptr;
    QTRY_VERIFY((again = w.findChild<QMessageBox *>(QStringLiteral("confirmation"))) && again->isVisible());
    QVERIFY2(again->text().contains(QStringLiteral("All 50 rows were sent already")), qPrintable(again->text()));
    QVERIFY(!w.sender()->isRunning());
    QTest::mouseClick(again->button(QMessageBox::Yes), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().attempted == 50, kSendTimeoutMs);
    const send::SendResults &results = w.workspace()->results();
    // With flow control at the sandbox's new limits the send finishes in one action: no row is
    // left failed for Retry failed.
    QVERIFY(!w.action(QStringLiteral("retryFailed"))->isEnabled());
    QCOMPARE(w.sender()->failedRows(), 0);
    for (int r = 0; r < 50; ++r) {
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
        QCOMPARE(results.shardId(r), results.predictedShardId(r));
    }

    // The exported results are the rows' results.
    const QString jsonl = m_dir.filePath(QStringLiteral("done-when.jsonl"));
    w.exportTo(ExportController::Format::ResultsJsonl, jsonl);
    QTRY_COMPARE(w.exporter()->running(), 0);
    QFile file(jsonl);
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto exported = exporting::readResultsJsonl(file, jsonl);
    KWB_VERIFY_OK(exported);
    QCOMPARE(exported.value().store.size(), 50);
    for (int r = 0; r < 50; ++r) {
        QCOMPARE(exported.value().store.partitionKey(r), w.workspace()->store().partitionKey(r));
        QCOMPARE(exported.value().results.status(r), send::RowStatus::Succeeded);
        QCOMPARE(exported.value().results.sequenceNumber(r), results.sequenceNumber(r));
        QCOMPARE(exported.value().results.shardId(r), results.shardId(r));
    }
}

void TstMainWindow::orderedAndVerifiedOnAReshardedStream()
{
    // A stream split from 2 to 4 shards has closed parents; the window routes with the open
    // shards only, and an ordered (PutRecord) send with Verify lands where predicted and reads back.
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 2}};
    sandbox::SandboxServer server(options);
    const auto url = server.start(0);
    KWB_VERIFY_OK(url);
    net::ClientOptions clientOptions;
    clientOptions.endpoint = url.value();
    clientOptions.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
    net::KinesisClient client(clientOptions);
    auto resharded = test::await<QJsonObject>([&](QObject *ctx, auto done) {
        client.call(QStringLiteral("UpdateShardCount"),
                    QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("demo")},
                                {QStringLiteral("TargetShardCount"), 4},
                                {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}},
                    ctx, done);
    });
    KWB_VERIFY_OK(resharded);

    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.setSandbox(url.value());
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    QTRY_COMPARE(w.workspace()->shardMap().openShardCount(), 4);
    int closed = 0;
    for (const Shard &shard : w.workspace()->shardMap().shards())
        closed += !shard.isOpen();
    QCOMPARE(closed, 2);

    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    send::SendOptions sendOptions = w.sendBar()->options();
    sendOptions.ordered = true;
    sendOptions.verify = true;
    w.sendBar()->setOptions(sendOptions);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().succeeded == 50, kSendTimeoutMs);
    const send::SendResults &results = w.workspace()->results();
    QStringList openIds;
    for (int i = 0; i < 4; ++i)
        openIds << w.workspace()->shardMap().openShard(i).shardId;
    for (int r = 0; r < 50; ++r) {
        QCOMPARE(results.shardId(r), results.predictedShardId(r));
        QVERIFY2(openIds.contains(results.shardId(r)), qPrintable(results.shardId(r)));
        QCOMPARE(results.verifyState(r), send::VerifyState::Verified);
    }
    // Ordered mode speaks PutRecord, one record a request.
    QTRY_VERIFY(w.requestLog()->rowCount() > 0);
    int putRecord = 0;
    for (int i = 0; i < w.requestLog()->rowCount(); ++i) {
        QVERIFY(w.requestLog()->entry(i).operation != QLatin1String("PutRecords"));
        putRecord += w.requestLog()->entry(i).operation == QLatin1String("PutRecord");
    }
    QCOMPARE(putRecord, 50);
}

void TstMainWindow::openFileThroughTheImportDialog()
{
    QFile file(m_dir.filePath(QStringLiteral("clicks.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    for (int i = 0; i < 30; ++i)
        file.write(QStringLiteral("{\"visitor\":\"v-%1\",\"page\":\"/p/%2\"}\n").arg(i % 7).arg(i).toUtf8());
    file.close();
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.showImportDialog(file.fileName(), false);
    ImportDialog *dialog = w.importDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible() && !dialog->isPreviewing());
    auto *keys = dialog->findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
    dialog->findChild<QComboBox *>(QStringLiteral("keyField"))->setCurrentText(QStringLiteral("visitor"));
    QTRY_VERIFY(!dialog->isPreviewing() && dialog->previewRecordCount() == 20);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_COMPARE(w.workspace()->rowCount(), 30);
    QCOMPARE(w.workspace()->store().partitionKey(8), QStringLiteral("v-1"));
    QVERIFY(w.windowTitle().contains(QStringLiteral("clicks.jsonl")));
    QCOMPARE(w.recentFiles().value(0), QFileInfo(file.fileName()).absoluteFilePath());
    // The key settings are offered again next time.
    w.showImportDialog(file.fileName(), true);
    QTRY_VERIFY(w.importDialog() && w.importDialog()->options().partitionKeyField == QLatin1String("visitor"));
}

void TstMainWindow::closingWhileSendingIsSafe()
{
    Fake fake;
    fake.addStream(QStringLiteral("orders"), 2);
    fake.requestRule = [](const QByteArray &operation) {
        return operation == "PutRecords" ? Fake::Server::Answer{Fake::Server::Action::Silence, {}}
                                         : Fake::Server::Answer{Fake::Server::Action::Respond, {}};
    };
    MemorySecretStore secrets;
    auto w = std::make_unique<MainWindow>(services(&secrets));
    w->show();
    connectThroughDialog(*w, fake.url());
    QTRY_COMPARE(w->connection()->state(), ConnectionController::State::Connected);
    chooseStreamInBar(*w, QStringLiteral("orders"));
    QTRY_VERIFY(w->workspace()->hasStreamMap());
    w->pasteText(QStringLiteral("a\t1\nb\t2\n"));
    QTRY_COMPARE(w->workspace()->rowCount(), 2);
    w->sendAll();
    QTRY_VERIFY(fake.count("PutRecords") == 1);
    QVERIFY(w->sender()->isRunning());
    QVERIFY(w->workspace()->isLocked());
    // Closing asks first (rows in flight may or may not be written); the window goes away cleanly.
    QVERIFY(!w->close());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = w->findChild<QMessageBox *>(QStringLiteral("confirmation"))) && box->isVisible());
    QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
    QVERIFY(w->sender()->isRunning());
    w.reset();
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
