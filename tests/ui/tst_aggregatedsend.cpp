// Sending aggregated (KPL format) from the window, on the built-in sandbox as the app starts it:
// the Send bar's option and its size limit (and why Ordered cannot go with it), every row's own
// result in the table (shard, sequence number, Kinesis record, sub-sequence number), the stream
// read back and de-aggregated by awslabs' aws-kinesis-agg giving exactly the rows sent; a
// failed aggregated record failing all its rows with that attempt, and Retry failed never
// sending a row that succeeded; the option kept in the workspace file; the shard map's
// comparison of the load sent plain and aggregated.
#include "AggregatedReadBack.h"
#include "MainWindow.h"
#include "SandboxWindow.h"
#include "RecordStore.h"
#include "TestSupport.h"
#include "controllers/SendController.h"
#include "dialogs/ConsumerViewDialog.h"
#include "models/RecordColumn.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardMapPanel.h"
#include "workspace/WorkspaceFile.h"

#include <QAction>
#include <QBuffer>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cstdlib>
#include <map>

using namespace kwb;
using namespace kwb::ui;

namespace {

/// 240 rows: 13 keys (two of them not ASCII), data of 20 to 140 bytes, and one row of 3,000
/// bytes that is too large to be packed within a 2 KiB limit even alone (it goes plain).
RecordStore rowsToSend()
{
    RecordStore rows;
    for (int i = 0; i < 240; ++i) {
        const QByteArray key = i % 13 == 0 ? QByteArray("日本-キー") : i % 13 == 1 ? QByteArray("clé-é") : "user-" + QByteArray::number(i % 13);
        const QByteArray data = i == 100 ? QByteArray(3000, 'L')
                                         : "{\"n\":" + QByteArray::number(i) + ",\"pad\":\"" + QByteArray(i % 120, 'p') + "\"}";
        rows.append(key, data);
    }
    return rows;
}

QString cell(MainWindow &w, int row, RecordColumn column)
{
    return w.recordsModel()->data(w.recordsModel()->indexForStoreRow(row, int(column))).toString();
}

/// Shows the window on the sandbox's "agg" stream with rowsToSend(), Aggregate on up to `kib` KiB.
void openWithAggregate(MainWindow &w, test::SandboxWindow &demo, const QUrl &url, int kib)
{
    w.resize(1280, 720);
    w.show();
    w.setSandbox(url);
    w.setSandboxServer(&demo.server);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("agg"));
    QVERIFY(w.workspace()->loadRecords(rowsToSend()));
    QTRY_COMPARE(w.workspace()->rowCount(), 240);
    w.sendBar()->findChild<QCheckBox *>(QStringLiteral("aggregate"))->click();
    w.sendBar()->findChild<QSpinBox *>(QStringLiteral("aggregateMaxKiB"))->setValue(kib);
}

/// Triggers the action (sendAll, retryFailed) and waits for the run to end.
void runAndWait(MainWindow &w, const char *action)
{
    QTRY_VERIFY(w.action(QLatin1String(action))->isEnabled());
    w.action(QLatin1String(action))->trigger();
    QTRY_VERIFY(w.sender()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 60000);
}

net::ClientOptions sandboxClient(const QUrl &url)
{
    net::ClientOptions o;
    o.endpoint = url;
    o.region = QStringLiteral("us-east-1");
    o.credentials = {QStringLiteral("AKIDKWBTEST"), QStringLiteral("kwb-test-secret"), {}, {}, QStringLiteral("test")};
    return o;
}

} // namespace

class TstAggregatedSend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void optionExcludesOrderedAndIsSaved();
    void everyRowShowsItsPlaceAndReadsBackExactly();
    void failedRecordFailsItsRowsAndRetrySendsOnlyThose();
    void shardMapComparesPlainAndAggregated();

private:
    QTemporaryDir m_dir;
};

void TstAggregatedSend::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_aggregatedsend"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); // the user guide's numbers
}

void TstAggregatedSend::optionExcludesOrderedAndIsSaved()
{
    test::SandboxWindow demo(QStringLiteral("agg"), 4);
    MainWindow w(demo.services);
    auto *aggregate = w.sendBar()->findChild<QCheckBox *>(QStringLiteral("aggregate"));
    auto *ordered = w.sendBar()->findChild<QCheckBox *>(QStringLiteral("ordered"));
    auto *limit = w.sendBar()->findChild<QSpinBox *>(QStringLiteral("aggregateMaxKiB"));
    QVERIFY(aggregate && ordered && limit);
    // Off at first, with the KPL's default of 50 KiB, at most the stream's 1 MiB records.
    QVERIFY(!aggregate->isChecked());
    QCOMPARE(limit->value(), 50);
    QCOMPARE(limit->maximum(), 1024);
    QVERIFY(!limit->isEnabled());
    QCOMPARE(w.sender()->options().aggregateMaxBytes, qint64(51200));

    // On: the controller has it, Ordered is disabled and says why.
    aggregate->click();
    QVERIFY(w.sender()->options().aggregate);
    QVERIFY(limit->isEnabled());
    QVERIFY(!ordered->isEnabled());
    QVERIFY2(ordered->toolTip().startsWith(QStringLiteral("Not with Aggregate")), qPrintable(ordered->toolTip()));
    limit->setValue(20);
    QCOMPARE(w.sender()->options().aggregateMaxBytes, qint64(20 * 1024));
    // The Kinesis record and Sub-sequence columns show once aggregation is on.
    QVERIFY(!w.recordsView()->isColumnHidden(int(RecordColumn::KinesisRecord)));
    QVERIFY(!w.recordsView()->isColumnHidden(int(RecordColumn::SubSequence)));

    // Kept in the workspace file's header and back through a controller of another window.
    workspace::WorkspaceContent content;
    content.header.send = w.sender()->savedOptions();
    QBuffer file;
    file.open(QIODevice::WriteOnly);
    KWB_VERIFY_OK(workspace::WorkspaceFile::write(file, content));
    QBuffer in;
    in.setData(file.data());
    in.open(QIODevice::ReadOnly);
    auto read = workspace::WorkspaceFile::read(in, QStringLiteral("agg.kwb"));
    KWB_VERIFY_OK(read);
    MainWindow other(demo.services);
    other.sender()->applySavedOptions(read.value().header.send);
    auto *otherAggregate = other.sendBar()->findChild<QCheckBox *>(QStringLiteral("aggregate"));
    QVERIFY(otherAggregate->isChecked());
    QCOMPARE(other.sendBar()->findChild<QSpinBox *>(QStringLiteral("aggregateMaxKiB"))->value(), 20);
    QCOMPARE(other.sender()->options().aggregateMaxBytes, qint64(20 * 1024));
    QVERIFY(!other.sendBar()->findChild<QCheckBox *>(QStringLiteral("ordered"))->isEnabled());

    // Off again: Ordered comes back; on, Aggregate is disabled and says why.
    aggregate->click();
    QVERIFY(ordered->isEnabled());
    ordered->click();
    QVERIFY(w.sender()->options().ordered);
    QVERIFY(!aggregate->isEnabled());
    QVERIFY2(aggregate->toolTip().startsWith(QStringLiteral("Not with Ordered")), qPrintable(aggregate->toolTip()));
    // A stream with smaller records brings the limit down to them.
    w.workspace()->setMaxRecordBytes(16 * 1024);
    QCOMPARE(limit->maximum(), 16);
    QCOMPARE(limit->value(), 16);
    QCOMPARE(w.sender()->options().aggregateMaxBytes, qint64(16 * 1024));
}

void TstAggregatedSend::everyRowShowsItsPlaceAndReadsBackExactly()
{
    test::SandboxWindow demo(QStringLiteral("agg"), 4);
    const auto url = demo.server.start(0);
    KWB_VERIFY_OK(url);
    MainWindow w(demo.services);
    openWithAggregate(w, demo, url.value(), 2);
    if (QTest::currentTestFailed())
        return;
    runAndWait(w, "sendAll");
    if (QTest::currentTestFailed())
        return;

    const send::SendResults &results = w.workspace()->results();
    const RecordStore &store = w.workspace()->store();
    std::map<int, std::vector<int>> byKinesisRecord; // first row -> rows, in sub-sequence order
    for (int r = 0; r < 240; ++r) {
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
        // On the shard its own key predicts, as the KPL packs them.
        QCOMPARE(results.shardId(r), w.workspace()->shardMap().openShard(w.workspace()->shardMap().openIndexFor(store.hashKey(r))).shardId);
        QVERIFY(!results.sequenceNumber(r).isEmpty());
        if (results.subSequence(r) < 0) {
            QVERIFY(cell(w, r, RecordColumn::KinesisRecord).isEmpty());
            continue;
        }
        auto &members = byKinesisRecord[results.aggregateFirstRow(r)];
        QCOMPARE(results.subSequence(r), int(members.size())); // rows come in their order inside
        members.push_back(r);
        QCOMPARE(cell(w, r, RecordColumn::KinesisRecord), QString::number(results.aggregateFirstRow(r) + 1));
        QCOMPARE(cell(w, r, RecordColumn::SubSequence), QString::number(results.subSequence(r)));
    }
    // The 3,000-byte row cannot be packed within 2 KiB: it went as a plain record.
    QCOMPARE(results.subSequence(100), -1);
    // Many user records per Kinesis record, each within 2 KiB, sharing its sequence number.
    QVERIFY2(byKinesisRecord.size() >= 8 && byKinesisRecord.size() < 60, qPrintable(QString::number(byKinesisRecord.size())));
    for (const auto &[first, members] : byKinesisRecord) {
        QCOMPARE(results.aggregateSize(first), int(members.size()));
        for (int r : members)
            QCOMPARE(results.sequenceNumber(r), results.sequenceNumber(first));
    }
    // The sandbox took the Kinesis records, not the rows.
    int plain = 0;
    for (int r = 0; r < 240; ++r)
        plain += results.subSequence(r) < 0;
    QCOMPARE(demo.server.stats().recordsAccepted, qint64(byKinesisRecord.size()) + plain);

    // The editor says where the current row went.
    const int some = byKinesisRecord.rbegin()->second.back();
    QVERIFY(w.recordsView()->selectStoreRow(some));
    auto *outcome = w.findChild<QLabel *>(QStringLiteral("outcomeLabel"));
    QVERIFY(outcome);
    QTRY_VERIFY2(outcome->text().contains(QStringLiteral("sub-sequence number %1").arg(results.subSequence(some))),
                 qPrintable(outcome->text()));

    // Read back and de-aggregated by aws-kinesis-agg: exactly the rows, each where it says.
    net::KinesisClient client(sandboxClient(url.value()));
    const auto stored = test::readStream(client, QStringLiteral("agg"));
    QCOMPARE(stored.size(), size_t(byKinesisRecord.size()) + size_t(plain));
    const QString problem = test::checkReadBack(store, results, stored);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // "What will my consumer see?" for a sent row: the arrival time is the service's stamp on the
    // Kinesis record read back, to within the request's round trip (the same machine's clock).
    {
        QVERIFY(w.recordsView()->selectStoreRow(some));
        w.recordsView()->setFocus();
        QAction *consumer = w.action(QStringLiteral("consumerView"));
        QVERIFY(consumer && consumer->isEnabled());
        consumer->trigger();
        auto *dialog = w.findChild<ConsumerViewDialog *>(QStringLiteral("consumerViewDialog"));
        QVERIFY(dialog && dialog->isVisible());
        const QJsonArray kcl = QJsonDocument::fromJson(dialog->kclText().toUtf8()).array();
        QCOMPARE(kcl.size(), results.aggregateSize(some));
        const auto it = std::find_if(stored.begin(), stored.end(),
                                     [&](const test::ReadBack &r) { return r.record.sequenceNumber == results.sequenceNumber(some); });
        QVERIFY(it != stored.end());
        const qint64 serviceMs = it->record.approximateArrivalTimestamp.toMSecsSinceEpoch();
        const qint64 shownMs = qint64(kcl.at(0).toObject().value(QStringLiteral("approximateArrivalTimestamp")).toDouble());
        const send::Attempt last = results.attempts(some).back();
        QVERIFY2(serviceMs > 0 && std::abs(shownMs - serviceMs) <= std::max(last.latencyMs, 0) + 5,
                 qPrintable(QStringLiteral("shown %1, the service's %2, round trip %3 ms").arg(shownMs).arg(serviceMs).arg(last.latencyMs)));
        dialog->close();
    }

    // Rows removed and brought back: each row still names its own Kinesis record, the first
    // row that shares its sequence number (the service's word for "one Kinesis record").
    const auto namesItsRecord = [&w, &results](const char *when) {
        std::map<QString, int> firstBySequence;
        for (int r = 0; r < results.size(); ++r)
            if (results.subSequence(r) >= 0)
                firstBySequence.try_emplace(results.sequenceNumber(r), r);
        for (int r = 0; r < results.size(); ++r) {
            if (results.subSequence(r) < 0)
                continue;
            const int first = firstBySequence.at(results.sequenceNumber(r));
            QVERIFY2(results.aggregateFirstRow(r) == first,
                     qPrintable(QStringLiteral("%1: row %2 names row %3, not %4").arg(QLatin1String(when)).arg(r + 1)
                                    .arg(results.aggregateFirstRow(r) + 1).arg(first + 1)));
            QCOMPARE(cell(w, r, RecordColumn::KinesisRecord), QString::number(first + 1));
        }
    };
    // A record with rows of other records between its own: remove some of those.
    const auto spread = std::find_if(byKinesisRecord.begin(), byKinesisRecord.end(),
                                     [](const auto &k) { return k.second.size() >= 3 && k.second[1] - k.second[0] > 1; });
    QVERIFY(spread != byKinesisRecord.end());
    const int firstOfSpread = spread->first, secondOfSpread = spread->second[1];
    std::vector<int> between;
    for (int r = firstOfSpread + 1; r < secondOfSpread; ++r)
        between.push_back(r);
    QVERIFY(w.workspace()->removeRows(between));
    QCOMPARE(results.aggregateFirstRow(secondOfSpread - int(between.size())), firstOfSpread);
    namesItsRecord("rows between removed");
    // Its first row removed: the next of its rows names it now.
    QVERIFY(w.workspace()->removeRows({firstOfSpread}));
    QCOMPARE(results.aggregateFirstRow(firstOfSpread), firstOfSpread);
    namesItsRecord("first row removed");
    // Undone, both: every row as it was sent.
    w.workspace()->undoStack()->undo();
    namesItsRecord("first row back");
    w.workspace()->undoStack()->undo();
    QCOMPARE(w.workspace()->rowCount(), 240);
    QCOMPARE(results.aggregateFirstRow(secondOfSpread), firstOfSpread);
    namesItsRecord("all rows back");
}

void TstAggregatedSend::failedRecordFailsItsRowsAndRetrySendsOnlyThose()
{
    test::SandboxWindow demo(QStringLiteral("agg"), 4);
    const auto url = demo.server.start(0);
    KWB_VERIFY_OK(url);
    // Two in five Kinesis records fail with InternalFailure, the same ones on every run.
    demo.server.setSeed(17);
    demo.server.setRecordFailureRate(0.4);
    MainWindow w(demo.services);
    openWithAggregate(w, demo, url.value(), 1);
    if (QTest::currentTestFailed())
        return;
    // One attempt per run: a failed record stays failed, for Retry failed.
    w.sendBar()->findChild<QSpinBox *>(QStringLiteral("maxAttempts"))->setValue(1);
    runAndWait(w, "sendAll");
    if (QTest::currentTestFailed())
        return;

    const send::SendResults &results = w.workspace()->results();
    // Every row of a Kinesis record shares its outcome and its one attempt.
    std::map<int, std::vector<int>> groups;
    for (int r = 0; r < 240; ++r)
        groups[results.subSequence(r) < 0 ? -1 - r : results.aggregateFirstRow(r)].push_back(r);
    int failedRecords = 0;
    int failedRows = 0;
    for (const auto &[id, rows] : groups) {
        const int first = rows.front();
        const auto firstAttempts = results.attempts(first);
        QCOMPARE(firstAttempts.size(), size_t(1));
        for (int r : rows) {
            QCOMPARE(results.status(r), results.status(first));
            const auto attempts = results.attempts(r);
            QCOMPARE(attempts.size(), size_t(1));
            QCOMPARE(attempts.back().request, firstAttempts.back().request);
            QCOMPARE(attempts.back().position, firstAttempts.back().position);
            QCOMPARE(attempts.back().outcome, firstAttempts.back().outcome);
        }
        if (results.status(first) == send::RowStatus::Failed) {
            ++failedRecords;
            failedRows += int(rows.size());
            for (int r : rows) {
                QCOMPARE(results.errorCode(r), QStringLiteral("InternalFailure"));
                QCOMPARE(cell(w, r, RecordColumn::Result), QStringLiteral("InternalFailure"));
            }
        }
    }
    QVERIFY2(failedRecords > 0 && failedRecords < int(groups.size()), qPrintable(QString::number(failedRecords)));
    QCOMPARE(demo.server.stats().recordsFailed, qint64(failedRecords));
    QTRY_COMPARE(w.sender()->failedRows(), failedRows);

    // What succeeded, as it is now.
    std::map<int, std::pair<QString, int>> succeeded; // row -> sequence number, attempts
    for (int r = 0; r < 240; ++r)
        if (results.status(r) == send::RowStatus::Succeeded)
            succeeded[r] = {results.sequenceNumber(r), results.attemptCount(r)};
    const qint64 acceptedBefore = demo.server.stats().recordsAccepted;

    // Retry failed, the faults gone: only the failed rows are packed and sent again.
    demo.server.setRecordFailureRate(0);
    runAndWait(w, "retryFailed");
    if (QTest::currentTestFailed())
        return;
    std::map<int, int> retriedRecords;
    int retriedPlain = 0;
    for (int r = 0; r < 240; ++r) {
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
        const auto before = succeeded.find(r);
        if (before != succeeded.end()) {
            // Never sent again: the same sequence number, the same single attempt.
            QCOMPARE(results.sequenceNumber(r), before->second.first);
            QCOMPARE(results.attemptCount(r), before->second.second);
            continue;
        }
        QCOMPARE(results.attemptCount(r), 2);
        if (results.subSequence(r) < 0)
            ++retriedPlain;
        else
            ++retriedRecords[results.aggregateFirstRow(r)];
    }
    QCOMPARE(demo.server.stats().recordsAccepted - acceptedBefore, qint64(retriedRecords.size()) + retriedPlain);
    QCOMPARE(w.sender()->failedRows(), 0);

    // The stream holds every row exactly once.
    net::KinesisClient client(sandboxClient(url.value()));
    const QString problem = test::checkReadBack(w.workspace()->store(), results, test::readStream(client, QStringLiteral("agg")));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TstAggregatedSend::shardMapComparesPlainAndAggregated()
{
    test::SandboxWindow demo(QStringLiteral("agg"), 4);
    MainWindow w(demo.services); // a virtual stream of 4 shards, AWS's documented limits
    ShardMapPanel *panel = w.shardPanel();
    // 4,000 rows, 1,000 per key; k0, k1, k2 and k3 each have a shard of their own (their MD5s,
    // from python3's hashlib, put them on shards 0, 2, 1 and 3), so each key packs alone.
    RecordStore rows;
    for (int i = 0; i < 4000; ++i)
        rows.append("k" + QByteArray::number(i % 4), QByteArray(98, 'd')); // 100 bytes with its key
    QVERIFY(w.workspace()->loadRecords(std::move(rows)));
    panel->setRate(4000);
    QTRY_COMPARE(panel->loadComparison().userRecords, qint64(4000));
    const kpl::LoadComparison &c = panel->loadComparison();
    // Plain at 4,000 records/s: 4 x a shard's 1,000 records/s, 400,000 bytes/s: 4 shards, records bind.
    QCOMPARE(c.plain.recordsPerSecond, 4000.0);
    QCOMPARE(c.plain.bytesPerSecond, 400000.0);
    QCOMPARE(c.plain.binding, kpl::LoadComparison::Binding::Records);
    QCOMPARE(c.plain.shardsNeeded, 4);
    // Aggregated within 50 KiB (51,200 bytes): per user record the protobuf takes 1 + 1 (field
    // key, length) + 2 (key index) + 1 + 1 + 98 (data) = 104 bytes; a Kinesis record holds
    // 2 ("k0") + 4 + 4 (the key table) + 104 n + 16 <= 51,200, so n = 492 user records. 1,000
    // rows per key: 3 Kinesis records per key (492 + 492 + 16), 12 in all.
    QCOMPARE(c.kinesisRecords, qint64(12));
    QCOMPARE(c.aggregated.recordsPerSecond, 12.0);
    // Bytes: per key 3 x (2 + 4 + 4 + 16) + 1,000 x 104 = 104,078; 416,312 in all.
    QCOMPARE(c.aggregated.bytesPerSecond, 416312.0);
    QCOMPARE(c.aggregated.binding, kpl::LoadComparison::Binding::Bytes);
    QCOMPARE(c.aggregated.shardsNeeded, 1);
    // In words, as the user guide quotes it: 400,000 bytes/s is 391 KiB/s and 38% of 1 MiB/s;
    // 416,312 is 407 KiB/s and 40%; 12 records/s are 1% of 1,000.
    QCOMPARE(panel->aggregationText(),
             QStringLiteral("<b>Plain</b>: 4,000 records/s, 391 KiB/s (400% and 38% of one shard's limits). Records/s "
                            "binds: 4 shards needed.<br><b>Aggregated (KPL, up to 50 KiB)</b>: 12 records/s, 407 KiB/s "
                            "(1% and 40% of one shard's limits). Bytes/s binds: 1 shard needed.<br>Aggregation saves "
                            "3 shards at this rate: 4,000 user records go in 12 Kinesis records."));
    auto *label = panel->findChild<QLabel *>(QStringLiteral("aggregationLoad"));
    QVERIFY(label && !label->isHidden());

    // A smaller limit in the Send bar is measured again: 20 KiB holds 196 user records
    // (2 + 4 + 4 + 104 n + 16 <= 20,480), so 1,000 rows take 6 Kinesis records per key.
    w.sendBar()->findChild<QSpinBox *>(QStringLiteral("aggregateMaxKiB"))->setValue(20);
    QTRY_COMPARE(panel->loadComparison().kinesisRecords, qint64(24));
}

QTEST_MAIN(TstAggregatedSend)
#include "tst_aggregatedsend.moc"
