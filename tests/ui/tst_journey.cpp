// A record's journey: the values of each step equal an independent computation (python3's
// hashlib MD5 of the key's UTF-8 bytes, its big-endian integer, the shard of a uniform split),
// never the project's own hashing; steps not reached say what would happen; and after a real
// send on the built-in sandbox with provoked throttling (limits at 1/100, flow control off) the
// steps follow the row: its request, the throttled attempt and the wait before the retry, the
// shard and sequence number the service gave, and the read back of Verify. The panel steps with
// the keyboard and follows the key typed in the record editor. Waits with QTRY_*, never sleeps.
#include "MainWindow.h"
#include "RecordStore.h"
#include "ShardMap.h"
#include "SandboxWindow.h"
#include "TestSupport.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "models/Journey.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/JourneyPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardBarWidget.h"

#include <QAction>
#include <QApplication>
#include <QInputMethodEvent>
#include <QDockWidget>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

namespace {

/// What python3 says about a key: MD5 hex, the digest as a decimal integer, and the shard of
/// a uniform split into `shards` (CreateStream's: shard i starts at i * floor(2^128 / N)).
struct Expected
{
    QString hex;
    QString decimal;
    QString bytesHex; ///< "6f 72 64"
    int shard = -1;
};

Expected independent(const QString &key, int shards)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import hashlib,sys\n"
                                 "b=sys.stdin.buffer.read()\n"
                                 "h=hashlib.md5(b).hexdigest()\n"
                                 "n=int(h,16)\n"
                                 "s=min(n//((1<<128)//%1),%1-1)\n"
                                 "print(h);print(n);print(' '.join('%02x'%c for c in b));print(s)\n")
                      .arg(shards)});
    python.write(key.toUtf8());
    python.closeWriteChannel();
    if (!python.waitForFinished(20000) || python.exitCode() != 0)
        return {};
    const QStringList lines = QString::fromUtf8(python.readAllStandardOutput()).split(QLatin1Char('\n'));
    if (lines.size() < 4)
        return {};
    return {lines[0], lines[1], lines[2], lines[3].toInt()};
}

JourneyInput unsent(const QString &key, const ShardMap *map)
{
    JourneyInput in;
    in.partitionKey = in.sentKey = key;
    in.map = map;
    in.dataBytes = 10;
    return in;
}

} // namespace

class TstJourney : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void valuesEqualAnIndependentMd5_data();
    void valuesEqualAnIndependentMd5();
    void explicitHashKeyOverridesTheHash();
    void unreachedStepsSayWhatWouldHappen();
    void stepsFollowAThrottledSend();
    void panelStepsWithTheKeyboardAndFollowsTheEditor();

private:
    QTemporaryDir m_dir;
};

void TstJourney::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_journey"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    QVERIFY2(!independent(QStringLiteral("x"), 4).hex.isEmpty(), "python3 is needed for the independent MD5");
}

void TstJourney::valuesEqualAnIndependentMd5_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("ascii") << QStringLiteral("order-17");
    QTest::newRow("one char") << QStringLiteral("a");
    QTest::newRow("cyrillic and emoji") << QStringLiteral("ключ-😀");
    QTest::newRow("256 chars") << QString(256, QLatin1Char('k'));
    QTest::newRow("empty") << QString();
}

void TstJourney::valuesEqualAnIndependentMd5()
{
    QFETCH(QString, key);
    const Expected expected = independent(key, 4);
    QVERIFY(!expected.hex.isEmpty());
    const ShardMap map = ShardMap::uniform(4).value();
    const Journey j = Journey::compute(unsent(key, &map));

    QCOMPARE(j.step(JourneyStep::Md5Digest).value, expected.hex);
    const QStringList hashLines = j.step(JourneyStep::HashKey).value.split(QLatin1Char('\n'));
    QCOMPARE(hashLines.size(), 2);
    QCOMPARE(hashLines[0], expected.decimal);
    QCOMPARE(hashLines[1], QStringLiteral("0x") + expected.hex);
    if (key.toUtf8().size() <= 48)
        QCOMPARE(j.step(JourneyStep::Utf8Bytes).value, expected.bytesHex.isEmpty() ? QStringLiteral("(no bytes)") : expected.bytesHex);
    else
        QVERIFY(j.step(JourneyStep::Utf8Bytes).value.startsWith(expected.bytesHex.left(48 * 3 - 1)));
    QCOMPARE(j.openShardIndex(), expected.shard);
    QVERIFY2(j.step(JourneyStep::Shard).value.startsWith(QStringLiteral("shardId-%1").arg(expected.shard, 12, 10, QLatin1Char('0'))),
             qPrintable(j.step(JourneyStep::Shard).value));
    // The key-space percentage from the same integer (python's, not ours).
    const double percent = expected.decimal.toDouble() / std::pow(2.0, 128) * 100.0;
    QVERIFY2(j.step(JourneyStep::KeySpace).value.startsWith(QLocale().toString(percent, 'f', 2)),
             qPrintable(j.step(JourneyStep::KeySpace).value));
    for (int k = JourneyStep::PartitionKey; k <= JourneyStep::Shard; ++k)
        QVERIFY(j.steps()[size_t(k)].reached);
}

void TstJourney::explicitHashKeyOverridesTheHash()
{
    const ShardMap map = ShardMap::uniform(4).value();
    JourneyInput in = unsent(QStringLiteral("order-17"), &map);
    // 2^127: the first key of shard 2 of 4.
    in.explicitHashKey = in.sentExplicitHashKey = QStringLiteral("170141183460469231731687303715884105728");
    const Journey j = Journey::compute(in);
    QVERIFY(j.explicitOverride());
    QCOMPARE(j.openShardIndex(), 2);
    QVERIFY(j.step(JourneyStep::Shard).detail.contains(QStringLiteral("ExplicitHashKey overrides")));
    QVERIFY(j.step(JourneyStep::HashKey).detail.contains(QStringLiteral("170141183460469231731687303715884105728")));
    QVERIFY(j.step(JourneyStep::KeySpace).value.startsWith(QLocale().toString(50.0, 'f', 2)));
    // The MD5 steps still show the key's own digest.
    QCOMPARE(j.step(JourneyStep::Md5Digest).value, independent(QStringLiteral("order-17"), 4).hex);

    in.explicitHashKey = in.sentExplicitHashKey = QStringLiteral("12x");
    const Journey bad = Journey::compute(in);
    QVERIFY(!bad.explicitOverride());
    QVERIFY(bad.step(JourneyStep::HashKey).detail.contains(QStringLiteral("not valid")));
}

void TstJourney::unreachedStepsSayWhatWouldHappen()
{
    const Journey noMap = Journey::compute(unsent(QStringLiteral("k"), nullptr));
    QVERIFY(!noMap.step(JourneyStep::Shard).reached);
    QVERIFY(noMap.step(JourneyStep::Shard).detail.contains(QStringLiteral("Choose a stream")));
    QCOMPARE(noMap.openShardIndex(), -1);

    const ShardMap map = ShardMap::uniform(2).value();
    const Journey j = Journey::compute(unsent(QStringLiteral("k"), &map));
    QCOMPARE(j.reachedCount(), 6);
    QVERIFY(j.step(JourneyStep::Request).detail.contains(QStringLiteral("500 records")));
    QVERIFY(j.step(JourneyStep::Request).detail.contains(QStringLiteral("11 bytes"))); // 1 key byte + 10 data bytes
    QVERIFY(j.step(JourneyStep::Attempts).detail.contains(QStringLiteral("ProvisionedThroughputExceededException")));
    const QString expectedShard = map.openShard(j.openShardIndex()).shardId;
    QVERIFY(j.step(JourneyStep::Landed).detail.contains(expectedShard));
    QVERIFY(j.step(JourneyStep::ReadBack).detail.contains(QStringLiteral("Verify")));

    // An edited key: the row's outcome belongs to the stored key, so the journey says so.
    JourneyInput edited = unsent(QStringLiteral("k"), &map);
    edited.sentKey = QStringLiteral("other");
    send::Attempt a;
    a.request = 1;
    a.requestRecords = 1;
    edited.attempts.push_back({a, {}, {}});
    edited.status = send::RowStatus::Succeeded;
    const Journey e = Journey::compute(edited);
    QVERIFY(!e.step(JourneyStep::Request).reached);
    QVERIFY(e.step(JourneyStep::Request).detail.startsWith(QStringLiteral("Edited and not applied yet")));

    // A result restored without its attempts (kwb retry's results file): stored, history unknown.
    JourneyInput restored = unsent(QStringLiteral("k"), &map);
    restored.status = send::RowStatus::Succeeded;
    restored.attemptCount = 2;
    restored.shardId = expectedShard;
    restored.sequenceNumber = QStringLiteral("49590338271490256608559692538361571095921575989136588898");
    const Journey r = Journey::compute(restored);
    QCOMPARE(r.step(JourneyStep::Request).value, QStringLiteral("Not recorded"));
    QCOMPARE(r.step(JourneyStep::Attempts).value, QStringLiteral("Not recorded"));
    QVERIFY(r.step(JourneyStep::Landed).reached);
    QCOMPARE(r.step(JourneyStep::Landed).value, expectedShard + QLatin1Char('\n') + restored.sequenceNumber);

    // Refused before sending: failed, and never attempted.
    JourneyInput refused = unsent(QStringLiteral("k"), &map);
    refused.status = send::RowStatus::Failed;
    refused.errorCode = QStringLiteral("RecordTooLarge");
    refused.errorMessage = QStringLiteral("the record is 1,048,577 bytes; the stream takes at most 1,048,576");
    const Journey f = Journey::compute(refused);
    QVERIFY(!f.step(JourneyStep::Request).reached);
    QCOMPARE(f.step(JourneyStep::Request).value, QStringLiteral("Not sent: refused"));
    QVERIFY(f.step(JourneyStep::Request).detail.endsWith(refused.errorMessage));
}

void TstJourney::stepsFollowAThrottledSend()
{
    test::SandboxWindow demo(QStringLiteral("journey"), 4);
    const auto url = demo.server.start(0);
    KWB_VERIFY_OK(url);
    MainWindow w(demo.services);
    w.resize(1280, 720);
    w.show();
    w.setSandbox(url.value());
    w.setSandboxServer(&demo.server);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("journey"));

    // Provoked throttling: 10 records/s per shard, and no pacing, so 30 rows to one key must be
    // throttled and retried; Verify reads the stored ones back.
    demo.server.setLimitScale(0.01);
    send::SendOptions o = w.sendBar()->options();
    o.flowControl = false;
    o.verify = true;
    o.concurrency = 1;
    w.sendBar()->setOptions(o);
    w.sender()->setOptions(w.sendBar()->options());
    const QString key = QStringLiteral("journey-key");
    RecordStore rows;
    for (int i = 0; i < 30; ++i)
        rows.append(key.toUtf8(), QByteArray("{\"n\":") + QByteArray::number(i) + '}');
    QVERIFY(w.workspace()->loadRecords(std::move(rows)));
    QTRY_COMPARE(w.workspace()->rowCount(), 30);
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 90000);
    QVERIFY2(demo.server.stats().recordsThrottled > 0, "the sandbox throttled nothing");

    // A row whose first attempt was throttled.
    const send::SendResults &results = w.workspace()->results();
    int row = -1;
    for (int r = 0; r < 30 && row < 0; ++r) {
        const auto attempts = results.attempts(r);
        if (attempts.size() >= 2 && attempts.front().outcome == send::AttemptOutcome::Throttled
            && results.status(r) == send::RowStatus::Succeeded)
            row = r;
    }
    QVERIFY(row >= 0);
    QTRY_COMPARE(results.verifyState(row), send::VerifyState::Verified);
    QVERIFY(w.recordsView()->selectStoreRow(row));
    JourneyPanel *panel = w.journey();
    QTRY_COMPARE(panel->row(), row);
    const Journey &j = panel->journey();

    const Expected expected = independent(key, 4);
    QCOMPARE(j.step(JourneyStep::Md5Digest).value, expected.hex);
    QCOMPARE(j.openShardIndex(), expected.shard);
    const QString shardId = QStringLiteral("shardId-%1").arg(expected.shard, 12, 10, QLatin1Char('0'));

    const auto attempts = results.attempts(row);
    // The request of the last attempt, as the engine numbered it; each attempt in the list.
    QVERIFY(j.step(JourneyStep::Request).reached);
    QVERIFY2(j.step(JourneyStep::Request).value.startsWith(QStringLiteral("request %1, record %2 of %3")
                                                              .arg(attempts.back().request)
                                                              .arg(int(attempts.back().position) + 1)
                                                              .arg(int(attempts.back().requestRecords))),
             qPrintable(j.step(JourneyStep::Request).value));
    const JourneyStep &tries = j.step(JourneyStep::Attempts);
    QVERIFY(tries.reached);
    QVERIFY2(tries.value.startsWith(QStringLiteral("%1 attempts, ").arg(attempts.size())), qPrintable(tries.value));
    const QStringList lines = tries.detail.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), int(attempts.size()));
    QVERIFY2(lines[0].contains(QStringLiteral("throttled (ProvisionedThroughputExceededException)")), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(QStringLiteral("retried after %1 ms").arg(attempts[1].delayMs)), qPrintable(lines[0]));
    QVERIFY(attempts[1].delayMs > 0);
    QVERIFY2(lines.last().contains(QStringLiteral("succeeded in")), qPrintable(lines.last()));

    const JourneyStep &landed = j.step(JourneyStep::Landed);
    QVERIFY(landed.reached);
    QCOMPARE(landed.value, shardId + QLatin1Char('\n') + results.sequenceNumber(row));
    QVERIFY(!results.sequenceNumber(row).isEmpty());
    QCOMPARE(j.step(JourneyStep::ReadBack).value, QStringLiteral("Verified"));
    QVERIFY(j.step(JourneyStep::ReadBack).reached);
    QCOMPARE(j.reachedCount(), JourneyStep::kCount);

    // The live view's hook: a sighting is the last step's answer.
    panel->setSighting(row, JourneySighting{shardId, results.sequenceNumber(row), QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)});
    QCOMPARE(panel->journey().step(JourneyStep::ReadBack).value, QStringLiteral("Seen in the live view"));
    QVERIFY(panel->journey().step(JourneyStep::ReadBack).detail.contains(QStringLiteral("1970-01-01 00:00:00.000 UTC")));
}

void TstJourney::panelStepsWithTheKeyboardAndFollowsTheEditor()
{
    MemorySecretStore secrets;
    MainWindowServices services;
    services.secrets = &secrets;
    services.environment = aws::Environment::fromMap({}, QString());
    MainWindow w(services);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    RecordStore rows;
    rows.append(QByteArrayLiteral("first"), QByteArrayLiteral("{}"));
    rows.append(QByteArrayLiteral("second"), QByteArrayLiteral("{}"));
    QVERIFY(w.workspace()->loadRecords(std::move(rows)));
    QTRY_COMPARE(w.workspace()->rowCount(), 2);
    QVERIFY(w.recordsView()->selectStoreRow(1));
    JourneyPanel *panel = w.journey();
    QTRY_COMPARE(panel->row(), 1);
    QCOMPARE(panel->journey().step(JourneyStep::PartitionKey).value, QStringLiteral("second"));

    // Step by step: the panel's keys, and the window's Alt+Right / Alt+Left from the table.
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("journeyDock"));
    QVERIFY(dock);
    w.action(QStringLiteral("showJourneyDock"))->trigger();
    QTRY_VERIFY(dock->isVisible() && panel->isVisible());
    QCOMPARE(panel->shownSteps(), 1);
    QTest::keyClick(panel, Qt::Key_Right);
    QTest::keyClick(panel, Qt::Key_Space);
    QCOMPARE(panel->shownSteps(), 3);
    QTest::keyClick(panel, Qt::Key_Left);
    QCOMPARE(panel->shownSteps(), 2);
    w.recordsView()->setFocus();
    QTest::keyClick(w.recordsView(), Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(panel->shownSteps(), 3);
    QTest::keyClick(w.recordsView(), Qt::Key_End, Qt::AltModifier);
    QCOMPARE(panel->shownSteps(), JourneyStep::kCount);
    for (int k = 0; k < JourneyStep::kCount; ++k)
        QVERIFY(panel->findChild<QWidget *>(QStringLiteral("journeyStep%1").arg(k))->isVisible());
    QTest::keyClick(w.recordsView(), Qt::Key_Home, Qt::AltModifier);
    QCOMPARE(panel->shownSteps(), 1);
    QVERIFY(!panel->findChild<QWidget *>(QStringLiteral("journeyStep1"))->isVisible());
    panel->showAllSteps();

    // Typing a key in the editor updates the journey before the key is applied.
    auto *keyEdit = w.findChild<QLineEdit *>(QStringLiteral("partitionKeyEdit"));
    QVERIFY(keyEdit);
    keyEdit->setFocus();
    keyEdit->selectAll();
    QTest::keyClicks(keyEdit, QStringLiteral("typed-"));
    QInputMethodEvent typing; // what a keyboard layout sends for letters outside ASCII
    typing.setCommitString(QStringLiteral("ключ"));
    QApplication::sendEvent(keyEdit, &typing);
    QCOMPARE(panel->journey().step(JourneyStep::PartitionKey).value, QStringLiteral("typed-ключ"));
    QCOMPARE(panel->journey().step(JourneyStep::Md5Digest).value, independent(QStringLiteral("typed-ключ"), 1).hex);
    QCOMPARE(w.workspace()->store().partitionKey(1), QStringLiteral("second")); // not applied yet
    // Another row forgets the typed key.
    QVERIFY(w.recordsView()->selectStoreRow(0));
    QTRY_COMPARE(panel->row(), 0);
    QCOMPARE(panel->journey().step(JourneyStep::PartitionKey).value, QStringLiteral("first"));
}

QTEST_MAIN(TstJourney)
#include "tst_journey.moc"
