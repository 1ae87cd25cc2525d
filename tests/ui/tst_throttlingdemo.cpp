// The throttling demo a trainer walks through, on the built-in sandbox as the app starts it:
// sample data, Provoke throttling (limits at 1/100: 10 records/s per shard), then 300 rows to one
// key sent with the defaults. One action must finish every row, at the pace the sandbox allows,
// with each row's attempts in its history; the chart's limit lines and a message show the new
// limits; the counters tell rows from answers and are cleared when the rows are replaced.
#include "MainWindow.h"
#include "RecordStore.h"
#include "SandboxWindow.h"
#include "TestSupport.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardChartWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QStatusBar>
#include <QTest>
#include <QTreeWidget>

using namespace kwb;
using namespace kwb::ui;

class TstThrottlingDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void provokeThenSendFinishesInOneAction();
    void pacedSendStopsWithCtrlPeriod();

private:
    QTemporaryDir m_dir;
};

void TstThrottlingDemo::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_throttlingdemo"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TstThrottlingDemo::provokeThenSendFinishesInOneAction()
{
    test::SandboxWindow demo(QStringLiteral("demo"), 4);
    sandbox::SandboxServer &server = demo.server;
    const auto url = server.start(0);
    KWB_VERIFY_OK(url);
    MainWindow w(demo.services);
    w.resize(1280, 720);
    w.show();
    w.setSandbox(url.value());
    w.setSandboxServer(&server);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    w.loadSample();
    QTRY_COMPARE(w.workspace()->rowCount(), 50);
    ShardChartWidget *chart = w.shardPanel()->chart();
    QCOMPARE(chart->limits().recordsPerSecond, 1000.0);
    QCOMPARE(chart->limitLabel(0), QStringLiteral("1,000/s"));

    // Provoke throttling: the sandbox's limits drop to a hundredth, and the window says so where
    // the user looks: in the dock, in the status bar, and on the chart's limit lines.
    auto *provoke = w.findChild<QPushButton *>(QStringLiteral("sandboxProvokeThrottling"));
    QVERIFY(provoke);
    provoke->click();
    QCOMPARE(server.options().limitScale, 0.01);
    auto *message = w.findChild<QLabel *>(QStringLiteral("sandboxMessage"));
    QVERIFY(message && !message->isHidden());
    QVERIFY2(message->text().contains(QStringLiteral("10 records/s")), qPrintable(message->text()));
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("10 records/s")), qPrintable(w.statusBar()->currentMessage()));
    QCOMPARE(chart->limits().recordsPerSecond, 10.0);
    QCOMPARE(chart->limitLabel(0), QStringLiteral("10/s"));
    QCOMPARE(w.sender()->targetLimits().recordsPerSecond, 10.0);

    // 300 rows to one key (one shard: 10 records/s), replacing the sample as an import would.
    RecordStore rows;
    for (int i = 0; i < 300; ++i)
        rows.append(QByteArrayLiteral("demo-key"), QByteArray("{\"n\":") + QByteArray::number(i) + '}');
    QVERIFY(w.workspace()->loadRecords(std::move(rows)));
    QTRY_COMPARE(w.workspace()->rowCount(), 300);

    // One action.
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    QElapsedTimer timer;
    timer.start();
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 90000);
    const send::SendResults &results = w.workspace()->results();
    for (int r = 0; r < 300; ++r) {
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
        // Every attempt is in the row's history; the last one succeeded.
        const auto attempts = results.attempts(r);
        QVERIFY(!attempts.empty());
        QCOMPARE(attempts.back().outcome, send::AttemptOutcome::Succeeded);
    }
    QCOMPARE(w.sender()->failedRows(), 0);
    QCOMPARE(server.stats().recordsAccepted, qint64(300));
    // At the pace the sandbox allows: at least 29 s for 300 records at 10 a second (less the
    // one second's worth an idle shard may take at once), and no flood of throttled answers.
    QVERIFY2(timer.elapsed() >= 25000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(server.stats().recordsThrottled <= 15, qPrintable(QString::number(server.stats().recordsThrottled)));
    // The counters: rows in words a newcomer reads, and rows/s that reached the stream.
    const QString counters = w.sendBar()->countersText();
    QVERIFY2(counters.startsWith(QStringLiteral("Rows: 300 succeeded · 0 failed · 0 waiting")), qPrintable(counters));
    QVERIFY2(counters.contains(QStringLiteral("rows/s into the stream")), qPrintable(counters));

    // The history of a row shows its attempts in the Record panel.
    QVERIFY(w.recordsView()->selectStoreRow(299));
    auto *history = w.findChild<QTreeWidget *>(QStringLiteral("attemptsList"));
    QVERIFY(history);
    QTRY_COMPARE(history->topLevelItemCount(), int(results.attempts(299).size()));
    int succeededItems = 0;
    for (int i = 0; i < history->topLevelItemCount(); ++i)
        succeededItems += history->topLevelItem(i)->text(4) == QLatin1String("succeeded");
    QCOMPARE(succeededItems, 1);

    // Rows replaced: the send bar no longer counts the old run.
    RecordStore many;
    for (int i = 0; i < 10000; ++i)
        many.append(QByteArray("k-") + QByteArray::number(i), QByteArray("x"));
    QVERIFY(w.workspace()->loadRecords(std::move(many)));
    QTRY_COMPARE(w.workspace()->rowCount(), 10000);
    QTRY_VERIFY2(w.sendBar()->countersText().isEmpty(), qPrintable(w.sendBar()->countersText()));
}

// A paced send of 300 rows at 10 records/s takes 30 s: while it runs, the send actions follow
// it, and Ctrl+. stops it within moments; the rows not sent yet go back to pending, none is lost.
void TstThrottlingDemo::pacedSendStopsWithCtrlPeriod()
{
    test::SandboxWindow demo(QStringLiteral("demo"), 4);
    sandbox::SandboxServer &server = demo.server;
    const auto url = server.start(0);
    KWB_VERIFY_OK(url);
    MainWindow w(demo.services);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSandbox(url.value());
    w.setSandboxServer(&server);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    auto *provoke = w.findChild<QPushButton *>(QStringLiteral("sandboxProvokeThrottling"));
    QVERIFY(provoke);
    provoke->click();
    QTRY_COMPARE(w.sender()->targetLimits().recordsPerSecond, 10.0);
    RecordStore rows;
    for (int i = 0; i < 300; ++i)
        rows.append(QByteArrayLiteral("demo-key"), QByteArray("{\"n\":") + QByteArray::number(i) + '}');
    QVERIFY(w.workspace()->loadRecords(std::move(rows)));
    QTRY_COMPARE(w.workspace()->rowCount(), 300);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    QVERIFY(!w.action(QStringLiteral("cancelSend"))->isEnabled());

    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    // The actions follow the running send.
    QTRY_VERIFY(w.action(QStringLiteral("cancelSend"))->isEnabled());
    QVERIFY(w.action(QStringLiteral("abortSend"))->isEnabled());
    QVERIFY(!w.action(QStringLiteral("sendAll"))->isEnabled());
    QVERIFY(!w.action(QStringLiteral("retryFailed"))->isEnabled());
    // Some rows in (the pace is 10 a second), then Ctrl+. from the keyboard.
    QTRY_VERIFY_WITH_TIMEOUT(server.stats().recordsAccepted >= 20, 10000);
    w.activateWindow();
    QTest::keyClick(&w, Qt::Key_Period, Qt::ControlModifier);
    QElapsedTimer stopping;
    stopping.start();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 5000);
    QVERIFY2(stopping.elapsed() < 3000, qPrintable(QString::number(stopping.elapsed())));
    const qint64 accepted = server.stats().recordsAccepted;
    QVERIFY2(accepted < 200, qPrintable(QString::number(accepted)));

    // Every row ended sent or pending (a row waiting for its retry keeps its last error as
    // failed): none is lost, and exactly the rows the sandbox took are succeeded.
    const send::SendResults &results = w.workspace()->results();
    int succeeded = 0;
    int other = 0;
    for (int r = 0; r < 300; ++r) {
        const send::RowStatus s = results.status(r);
        if (s == send::RowStatus::Succeeded)
            ++succeeded;
        else if (s == send::RowStatus::Pending || s == send::RowStatus::Failed)
            ++other;
    }
    QCOMPARE(qint64(succeeded), server.stats().recordsAccepted);
    QCOMPARE(succeeded + other, 300);
    // The actions follow the stop, and nothing more arrives.
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    QVERIFY(!w.action(QStringLiteral("cancelSend"))->isEnabled());
    QVERIFY(!w.action(QStringLiteral("abortSend"))->isEnabled());
    QTest::qWait(500); // a window in which a send that did not stop would deliver ~5 more records
    QCOMPARE(server.stats().recordsAccepted, accepted);
}

QTEST_MAIN(TstThrottlingDemo)
#include "tst_throttlingdemo.moc"
