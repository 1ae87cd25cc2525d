// The Live stream dock on the built-in sandbox: records written by another client appear once each; records
// this workspace sent select their row and back, with their latency; resharding during the read is followed;
// with the sandbox's read limits on (scaled down) reading stays within them and every record arrives.
// KPL aggregated records made by aws-kinesis-agg (an independent producer) show their user records
// exactly; broken ones show with the reason; "What will my consumer see?" opens for a live record;
// Reset layout and presenter mode place the dock.
#include "../sandbox/SandboxTestSupport.h"
#include "KplOracle.h"

#include "MainWindow.h"
#include "RecordStore.h"
#include "controllers/ConnectionController.h"
#include "controllers/LiveStreamController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/PresenterMode.h"
#include "dialogs/ConsumerViewDialog.h"
#include "controllers/SendController.h"
#include "models/LiveRecordsModel.h"
#include "models/Workspace.h"
#include "views/JourneyPanel.h"
#include "views/LiveShardStrip.h"
#include "views/LiveStreamPanel.h"
#include "views/RecordsView.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMainWindow>
#include <QTabWidget>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QMenu>

#include <set>

using namespace kwb;
using namespace kwb::ui;

namespace {

/// The built-in sandbox with a stream "demo" of `shards` shards, a client of the test's own (the "other
/// producer"), and the window on the sandbox.
struct LiveWindow
{
    explicit LiveWindow(int shards, double limitScale = 1.0)
        : server(options(shards, limitScale))
    {
        services.secrets = &secrets;
        services.environment = aws::Environment::fromMap({}, QString());
    }
    static sandbox::SandboxOptions options(int shards, double limitScale)
    {
        sandbox::SandboxOptions o;
        o.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), shards}};
        o.limitScale = limitScale;
        return o;
    }
    bool start()
    {
        auto url = server.start(0);
        if (!url.ok())
            return false;
        client = std::make_unique<net::KinesisClient>(test::sandboxClientOptions(url.value()));
        window = std::make_unique<MainWindow>(services);
        window->resize(1280, 720);
        window->show();
        window->setSandbox(url.value());
        window->setSandboxServer(&server);
        return true;
    }
    Result<net::PutRecordsResult> put(const std::vector<Record> &records)
    {
        return test::await<net::PutRecordsResult>(
            [&](QObject *ctx, auto done) { client->putRecords(QStringLiteral("demo"), records, ctx, done); });
    }
    /// The workspace's rows: "row-0", "row-1"… with the data {"row":0}, {"row":1}…
    bool loadRows(int count)
    {
        RecordStore rows;
        for (int i = 0; i < count; ++i)
            rows.append(QStringLiteral("row-%1").arg(i).toUtf8(), QByteArray("{\"row\":") + QByteArray::number(i) + '}');
        return window->workspace()->loadRecords(std::move(rows));
    }
    LiveStreamPanel *panel() const { return window->livePanel(); }
    LiveRecordsModel *model() const { return panel()->model(); }

    sandbox::SandboxServer server;
    MemorySecretStore secrets;
    MainWindowServices services;
    std::unique_ptr<net::KinesisClient> client;
    std::unique_ptr<MainWindow> window;
};

std::vector<Record> recordsWithKeys(const QString &prefix, int count)
{
    std::vector<Record> records;
    for (int i = 0; i < count; ++i) {
        const QString key = prefix + QString::number(i);
        records.push_back(
            {key, QByteArray("{\"key\":\"") + key.toUtf8() + "\",\"n\":" + QByteArray::number(i) + '}', std::nullopt});
    }
    return records;
}

/// Partition key → how many times it was read, and whether each shard's sequence numbers rise.
std::map<QString, int> keysRead(const LiveRecordsModel *model, bool *inOrder)
{
    std::map<QString, int> keys;
    std::map<QString, QString> lastSequence;
    *inOrder = true;
    for (int row = 0; row < model->rowCount(); ++row) {
        const stream::ReadRecord &r = model->record(row);
        ++keys[r.partitionKey];
        auto last = lastSequence.find(r.shardId);
        if (last != lastSequence.end() && stream::compareSequenceNumbers(last->second, r.sequenceNumber) >= 0)
            *inOrder = false;
        lastSequence[r.shardId] = r.sequenceNumber;
    }
    return keys;
}

} // namespace

class TstLiveStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void modelKeepsTheNewestAndFilters();
    void capacityIsKeptBetweenRuns();
    void recordsFromAnotherClientAppear();
    void startPositionsAndChosenShards();
    void sentRowsAndLiveRecordsSelectEachOther();
    void theJourneyFollowsTheLiveView();
    void reshardingIsFollowed();
    void readLimitsAreRespected();
    void renewedCredentialsAreFollowed();
    void modelUnpacksAggregatedRecords();
    void aggregatedRecordsFromTheOracleShowTheirUserRecords();
    void liveDockIsPlacedByResetAndPresenter();

private:
    QTemporaryDir m_dir;
};

void TstLiveStream::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_livestream"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
}

void TstLiveStream::modelKeepsTheNewestAndFilters()
{
    LiveRecordsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(5);
    auto batch = [](int from, int count) {
        QList<stream::ReadRecord> records;
        for (int i = from; i < from + count; ++i)
            records.append({QStringLiteral("shardId-000000000000"), QString::number(100 + i),
                            i % 2 ? QStringLiteral("odd-%1").arg(i) : QStringLiteral("even-%1").arg(i),
                            QByteArray("payload ") + QByteArray::number(i), 1765000000000 + i});
        return records;
    };
    model.append(batch(0, 3));
    QCOMPARE(model.rowCount(), 3);
    model.append(batch(3, 4)); // 7 received, 5 kept: 2..6
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.received(), 7);
    QCOMPARE(model.dropped(), 2);
    QCOMPARE(model.record(0).partitionKey, QStringLiteral("even-2"));
    QCOMPARE(model.record(4).partitionKey, QStringLiteral("even-6"));
    // A batch larger than the capacity: its newest stay.
    model.append(batch(7, 8)); // 7..14 → 10..14
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.record(0).partitionKey, QStringLiteral("even-10"));
    QCOMPARE(model.record(4).partitionKey, QStringLiteral("even-14"));
    // The filter looks at the key and the data text, ignoring case.
    model.setFilter(QStringLiteral("ODD"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.record(0).partitionKey, QStringLiteral("odd-11"));
    model.setFilter(QStringLiteral("payload 12"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("shardId-000000000000"), QStringLiteral("112")), 0);
    // New records leave the oldest behind, filtered or not.
    model.setFilter(QStringLiteral("odd"));
    model.append(batch(15, 4)); // kept 14..18; odd: 15, 17
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.record(0).partitionKey, QStringLiteral("odd-15"));
    QCOMPARE(model.record(1).partitionKey, QStringLiteral("odd-17"));
    QCOMPARE(model.index(1, LiveRecordsModel::Size).data().toString(), QStringLiteral("10"));
    QCOMPARE(model.index(1, LiveRecordsModel::Arrival).data().toString(), QStringLiteral("2025-12-06 05:46:40.017"));
    model.setFilter({});
    QCOMPARE(model.rowCount(), 5);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.received(), 0);
}

void TstLiveStream::capacityIsKeptBetweenRuns()
{
    // As a run before this one saved it (the key is the settings file's, not the code's).
    QSettings().setValue(QStringLiteral("liveView/capacity"), 500);
    {
        LiveStreamPanel panel;
        QCOMPARE(panel.model()->capacity(), 500);
        auto *capacity = panel.findChild<QSpinBox *>(QStringLiteral("liveCapacity"));
        QCOMPARE(capacity->value(), 500);
        capacity->setValue(2500);
        Q_EMIT capacity->editingFinished();
        QCOMPARE(panel.model()->capacity(), 2500);
    }
    QCOMPARE(QSettings().value(QStringLiteral("liveView/capacity")).toLongLong(), 2500);
    LiveStreamPanel again;
    QCOMPARE(again.model()->capacity(), 2500);
    // Out of range in the file: held to the range the spin box offers.
    QSettings().setValue(QStringLiteral("liveView/capacity"), 5);
    QCOMPARE(LiveStreamPanel().model()->capacity(), 100);
    QSettings().remove(QStringLiteral("liveView/capacity"));
    QCOMPARE(LiveStreamPanel().model()->capacity(), LiveRecordsModel::kDefaultCapacity);
}

void TstLiveStream::recordsFromAnotherClientAppear()
{
    LiveWindow live(2);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("liveDock"));
    QVERIFY(dock && dock->isHidden());
    w.action(QStringLiteral("showLiveDock"))->trigger();
    QVERIFY(dock->isVisible());
    QCOMPARE(w.action(QStringLiteral("showLiveDock"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));

    LiveStreamPanel *panel = live.panel();
    auto *start = panel->findChild<QPushButton *>(QStringLiteral("liveStart"));
    QTRY_VERIFY(start->isEnabled());
    start->click(); // from Latest, every shard
    QVERIFY(panel->controller()->isRunning());
    QCOMPARE(start->text(), QStringLiteral("Stop"));
    // Both shards have their iterators: what is written from now on is read.
    QTRY_COMPARE(panel->controller()->shardsReading().size(), 2);
    QCOMPARE(panel->strip()->state(QStringLiteral("shardId-000000000000")), LiveShardStrip::State::Reading);
    QCOMPARE(panel->strip()->state(QStringLiteral("shardId-000000000001")), LiveShardStrip::State::Reading);

    const std::vector<Record> records = recordsWithKeys(QStringLiteral("other-"), 40);
    auto put = live.put(records);
    KWB_VERIFY_OK(put);
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 40, 15000);
    bool inOrder = false;
    const auto keys = keysRead(live.model(), &inOrder);
    QVERIFY(inOrder);
    QCOMPARE(keys.size(), size_t(40));
    for (const auto &[key, count] : keys)
        QCOMPARE(count, 1);
    // Each record on the shard and with the sequence number the producer was told.
    for (size_t i = 0; i < records.size(); ++i) {
        const int row = live.model()->rowOf(put.value().records[i].shardId, put.value().records[i].sequenceNumber);
        QVERIFY(row >= 0);
        QCOMPARE(live.model()->record(row).partitionKey, records[i].partitionKey);
        QCOMPARE(live.model()->record(row).data, records[i].data);
        // Not sent by this workspace: no latency.
        QVERIFY(!live.model()->index(row, LiveRecordsModel::Latency).data().isValid());
    }

    // The filter (partition key or data text), and the selected record's data in the views.
    auto *filter = panel->findChild<QLineEdit *>(QStringLiteral("liveFilter"));
    filter->setText(QStringLiteral("other-1"));
    QCOMPARE(live.model()->rowCount(), 11); // other-1, other-10 … other-19
    filter->setText(QStringLiteral("\"n\":7}"));
    QCOMPARE(live.model()->rowCount(), 1);
    panel->table()->selectRow(0);
    auto *views = panel->findChild<QComboBox *>(QStringLiteral("liveDataView"));
    auto *data = panel->findChild<QPlainTextEdit *>(QStringLiteral("liveData"));
    views->setCurrentIndex(0);
    QCOMPARE(data->toPlainText(), QStringLiteral("{\"key\":\"other-7\",\"n\":7}"));
    views->setCurrentIndex(1);
    QCOMPARE(data->toPlainText(), QStringLiteral("{\n  \"key\": \"other-7\",\n  \"n\": 7\n}"));
    views->setCurrentIndex(3);
    QCOMPARE(data->toPlainText(), QStringLiteral("eyJrZXkiOiJvdGhlci03IiwibiI6N30="));
    views->setCurrentIndex(2);
    QVERIFY2(data->toPlainText().startsWith(QStringLiteral("7b 22 6b 65 79 22")), qPrintable(data->toPlainText()));
    filter->clear();
    QCOMPARE(live.model()->rowCount(), 40);

    // Pause holds the table; what arrives meanwhile shows on Resume.
    auto *pause = panel->findChild<QPushButton *>(QStringLiteral("livePause"));
    pause->click();
    KWB_VERIFY_OK(live.put(recordsWithKeys(QStringLiteral("later-"), 5)));
    QTest::qWait(2500); // the reader polls each caught-up shard once a second
    QCOMPARE(live.model()->rowCount(), 40);
    pause->click();
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 45, 10000);
    panel->findChild<QPushButton *>(QStringLiteral("liveClear"))->click();
    QCOMPARE(live.model()->rowCount(), 0);
    start->click();
    QVERIFY(!panel->controller()->isRunning());
    QCOMPARE(start->text(), QStringLiteral("Start"));
}

void TstLiveStream::startPositionsAndChosenShards()
{
    LiveWindow live(2);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const std::vector<Record> records = recordsWithKeys(QStringLiteral("pos-"), 30);
    auto put = live.put(records);
    KWB_VERIFY_OK(put);

    auto *from = panel->findChild<QComboBox *>(QStringLiteral("liveFrom"));
    auto *value = panel->findChild<QLineEdit *>(QStringLiteral("liveFromValue"));
    auto *shards = panel->findChild<QToolButton *>(QStringLiteral("liveShards"));
    QVERIFY(from && value && shards);
    QTRY_COMPARE(shards->menu()->actions().size(), 2);

    // A sequence number: the digits of one, and its shard chosen.
    from->setCurrentIndex(3);
    QVERIFY(value->isEnabled());
    value->setText(QStringLiteral("12ab"));
    QVERIFY(!panel->startReading());
    QVERIFY2(panel->message().contains(QStringLiteral("not a sequence number")), qPrintable(panel->message()));
    const QString shard = put.value().records[5].shardId;
    const QString sequence = put.value().records[5].sequenceNumber;
    value->setText(sequence);
    QVERIFY(!panel->startReading());
    QVERIFY2(panel->message().contains(QStringLiteral("choose that shard")), qPrintable(panel->message()));
    for (QAction *a : shards->menu()->actions())
        a->setChecked(a->text() == shard);
    QCOMPARE(shards->text(), QStringLiteral("1 shard"));
    QVERIFY(panel->startReading());
    QVERIFY(panel->message().isEmpty());
    // What the producer was told: the records of that shard from that one on.
    int expected = 0;
    for (const net::PutRecordsEntry &e : put.value().records)
        expected += e.shardId == shard && stream::compareSequenceNumbers(e.sequenceNumber, sequence) >= 0;
    QVERIFY(expected >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), expected, 10000);
    QCOMPARE(live.model()->record(0).sequenceNumber, sequence);
    for (int row = 0; row < live.model()->rowCount(); ++row)
        QCOMPARE(live.model()->record(row).shardId, shard);
    QCOMPARE(panel->strip()->state(shard), LiveShardStrip::State::Reading);
    for (const QString &other : panel->strip()->shards()) {
        if (other != shard)
            QCOMPARE(panel->strip()->state(other), LiveShardStrip::State::NotRead);
    }
    panel->stopReading();
    panel->clear();

    // A time: every shard again, the records that arrived since.
    for (QAction *a : shards->menu()->actions())
        a->setChecked(false);
    from->setCurrentIndex(2);
    value->setText(QStringLiteral("yesterday"));
    QVERIFY(!panel->startReading());
    QVERIFY2(panel->message().contains(QStringLiteral("not a time")), qPrintable(panel->message()));
    value->setText(before.toString(Qt::ISODate));
    QVERIFY(panel->startReading());
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 30, 10000);
    bool inOrder = false;
    QCOMPARE(keysRead(live.model(), &inOrder).size(), size_t(30));
    QVERIFY(inOrder);
}

void TstLiveStream::sentRowsAndLiveRecordsSelectEachOther()
{
    LiveWindow live(2);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    QVERIFY(live.loadRows(30));
    QTRY_COMPARE(w.workspace()->rowCount(), 30);

    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    auto *from = panel->findChild<QComboBox *>(QStringLiteral("liveFrom"));
    from->setCurrentIndex(1); // Trim horizon: nothing is missed whenever the send starts
    QVERIFY(panel->startReading());

    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 20000);
    const send::SendResults &results = w.workspace()->results();
    for (int row = 0; row < 30; ++row)
        QCOMPARE(results.status(row), send::RowStatus::Succeeded);
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 30, 15000);

    // Every live record names its row, and its latency is its arrival minus its request's start.
    for (int liveRow = 0; liveRow < 30; ++liveRow) {
        const stream::ReadRecord &r = live.model()->record(liveRow);
        const int row = live.model()->sentRow(liveRow);
        QVERIFY(row >= 0);
        QCOMPARE(results.shardId(row), r.shardId);
        QCOMPARE(results.sequenceNumber(row), r.sequenceNumber);
        QCOMPARE(r.partitionKey, QStringLiteral("row-%1").arg(row));
        const std::vector<send::Attempt> attempts = results.attempts(row);
        QVERIFY(!attempts.empty());
        const qint64 sent = attempts.back().startedMs;
        QVERIFY(sent >= before);
        const qint64 latency = live.model()->latencyMs(liveRow);
        QCOMPARE(latency, std::max<qint64>(0, r.arrivalMs - sent));
        QVERIFY2(latency < 10000, qPrintable(QString::number(latency)));
        QCOMPARE(live.model()->index(liveRow, LiveRecordsModel::Latency).data().toString(),
                 QStringLiteral("%1 ms").arg(QLocale().toString(latency)));
    }

    // Row → live record.
    QVERIFY(w.recordsView()->selectStoreRow(17));
    const QModelIndex current = panel->table()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(live.model()->record(current.row()).partitionKey, QStringLiteral("row-17"));
    QCOMPARE(live.model()->record(current.row()).sequenceNumber, results.sequenceNumber(17));
    // The row's journey ends with the record as the live view read it.
    const JourneyStep readBack = w.journey()->journey().step(JourneyStep::ReadBack);
    QCOMPARE(readBack.value, QStringLiteral("Seen in the live view"));
    QVERIFY2(readBack.detail.contains(results.sequenceNumber(17)) && readBack.detail.contains(results.shardId(17)),
             qPrintable(readBack.detail));
    // Live record → row.
    const int liveOfRow5 = live.model()->rowOf(results.shardId(5), results.sequenceNumber(5));
    QVERIFY(liveOfRow5 >= 0);
    panel->table()->selectRow(liveOfRow5);
    QCOMPARE(w.recordsView()->currentStoreRow(), 5);
    // A record from elsewhere selects no row.
    KWB_VERIFY_OK(live.put({Record{QStringLiteral("elsewhere"), QByteArrayLiteral("x"), std::nullopt}}));
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 31, 10000);
    const int elsewhere = live.model()->rowCount() - 1;
    QCOMPARE(live.model()->record(elsewhere).partitionKey, QStringLiteral("elsewhere"));
    QCOMPARE(live.model()->sentRow(elsewhere), -1);
    panel->table()->selectRow(elsewhere);
    QCOMPARE(w.recordsView()->currentStoreRow(), 5);
}

void TstLiveStream::theJourneyFollowsTheLiveView()
{
    LiveWindow live(1);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    QVERIFY(live.loadRows(5));
    QTRY_COMPARE(w.workspace()->rowCount(), 5);
    const QString seen = QStringLiteral("Seen in the live view");
    const auto readBack = [&w] { return w.journey()->journey().step(JourneyStep::ReadBack); };

    // The row is chosen before it is sent: its journey ends once the live view reads it, unasked.
    QVERIFY(w.recordsView()->selectStoreRow(3));
    QCOMPARE(w.journey()->row(), 3);
    QVERIFY(readBack().value != seen);
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    panel->findChild<QComboBox *>(QStringLiteral("liveFrom"))->setCurrentIndex(1); // Trim horizon
    QVERIFY(panel->startReading());
    QTRY_VERIFY(w.action(QStringLiteral("sendAll"))->isEnabled());
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning(), 20000);
    const send::SendResults &results = w.workspace()->results();
    QCOMPARE(results.status(3), send::RowStatus::Succeeded);
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 5, 15000);
    QTRY_COMPARE(readBack().value, seen);
    QVERIFY2(readBack().detail.contains(results.sequenceNumber(3)) && readBack().detail.contains(results.shardId(3)),
             qPrintable(readBack().detail));
    QCOMPARE(w.recordsView()->currentStoreRow(), 3);

    // Cleared from the live view: no longer seen there.
    panel->stopReading();
    panel->clear();
    QCOMPARE(live.model()->rowCount(), 0);
    QVERIFY2(readBack().value != seen, qPrintable(readBack().value));
}

void TstLiveStream::reshardingIsFollowed()
{
    LiveWindow live(2);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    QVERIFY(panel->startReading());
    QTRY_COMPARE(panel->controller()->shardsReading().size(), 2);

    KWB_VERIFY_OK(live.put(recordsWithKeys(QStringLiteral("before-"), 60)));
    const QJsonObject request{{QStringLiteral("StreamName"), QStringLiteral("demo")},
                              {QStringLiteral("TargetShardCount"), 3},
                              {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}};
    KWB_VERIFY_OK(test::await<QJsonObject>(
        [&](QObject *ctx, auto done) { live.client->call(QStringLiteral("UpdateShardCount"), request, ctx, done); }));
    KWB_VERIFY_OK(live.put(recordsWithKeys(QStringLiteral("after-"), 60)));

    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 120, 30000);
    // The two parents were read to their end, and the new shards are read.
    QTRY_COMPARE_WITH_TIMEOUT(panel->controller()->shardsFinished().size(), 2, 10000);
    QVERIFY(panel->controller()->shardsFinished().contains(QStringLiteral("shardId-000000000000")));
    QVERIFY(panel->controller()->shardsFinished().contains(QStringLiteral("shardId-000000000001")));
    QTRY_COMPARE_WITH_TIMEOUT(panel->controller()->shardsReading().size(), 3, 10000);
    QCOMPARE(panel->strip()->state(QStringLiteral("shardId-000000000000")), LiveShardStrip::State::Finished);
    for (const QString &id : panel->controller()->shardsReading())
        QCOMPARE(panel->strip()->state(id), LiveShardStrip::State::Reading);
    QTest::qWait(1500); // nothing more comes: no record twice
    QCOMPARE(live.model()->rowCount(), 120);
    bool inOrder = false;
    const auto keys = keysRead(live.model(), &inOrder);
    QVERIFY(inOrder);
    QCOMPARE(keys.size(), size_t(120));
    for (const auto &[key, count] : keys)
        QCOMPARE(count, 1);
    QVERIFY(panel->message().isEmpty());
}

void TstLiveStream::readLimitsAreRespected()
{
    // Read limits at a fifth: 1 GetRecords call per second per shard (and 400 KiB/s), which the sandbox
    // enforces with ProvisionedThroughputExceededException; the reader follows what the sandbox says its
    // limits are.
    LiveWindow live(2, 0.2);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    panel->findChild<QComboBox *>(QStringLiteral("liveFrom"))->setCurrentIndex(1);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(panel->startReading());
    // Writes in several requests, within the scaled write limit (200 records/s).
    int written = 0;
    for (int batch = 0; batch < 4; ++batch) {
        auto put = live.put(recordsWithKeys(QStringLiteral("b%1-").arg(batch), 100));
        KWB_VERIFY_OK(put);
        QCOMPARE(put.value().failedRecordCount, 0);
        written += 100;
        QTest::qWait(600);
    }
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), written, 30000);
    QVERIFY2(panel->message().isEmpty(), qPrintable(panel->message()));
    QVERIFY(panel->controller()->isRunning());
    QTest::qWait(2000); // caught up: one call a second per shard at most
    const LiveReadStats stats = panel->controller()->readStats();
    const qint64 seconds = clock.elapsed() / 1000 + 1;
    QCOMPARE(stats.throttled, 0);
    QCOMPARE(live.server.stats().readsThrottled, 0); // the sandbox's own count
    QVERIFY(stats.calls >= 2);
    QVERIFY2(stats.calls <= 2 * seconds, qPrintable(QStringLiteral("%1 calls in %2 s").arg(stats.calls).arg(seconds)));
    bool inOrder = false;
    const auto keys = keysRead(live.model(), &inOrder);
    QVERIFY(inOrder);
    QCOMPARE(keys.size(), size_t(written));
}

void TstLiveStream::renewedCredentialsAreFollowed()
{
    // The sandbox checks signatures; the connection's credentials are renewed while reading (as temporary
    // ones are before they expire) and the sandbox accepts only the new ones.
    const aws::Credentials first{QStringLiteral("AKIDFIRST"), QStringLiteral("first-secret"), {}, {}, QStringLiteral("test")};
    const aws::Credentials renewed{
        QStringLiteral("AKIDRENEWED"), QStringLiteral("renewed-secret"), {}, {}, QStringLiteral("test")};
    LiveWindow live(2);
    live.server.setSignatureKey(first.accessKeyId, first.secretAccessKey);
    auto url = live.server.start(0);
    KWB_VERIFY_OK(url);
    live.client
        = std::make_unique<net::KinesisClient>(test::sandboxClientOptions(url.value(), first.accessKeyId, first.secretAccessKey));
    live.window = std::make_unique<MainWindow>(live.services);
    MainWindow &w = *live.window;
    w.show();
    w.setSandbox(url.value(), first);
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    QVERIFY(panel->startReading());
    QTRY_COMPARE(panel->controller()->shardsReading().size(), 2);
    KWB_VERIFY_OK(live.put(recordsWithKeys(QStringLiteral("first-"), 10)));
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 10, 10000);

    // The sandbox knows one key at a time: it changes, and the connection's client gets the new one, in the
    // same turn of the event loop; the reading takes it over at once (its timer would do it within
    // kCredentialsCheckMs).
    live.server.setSignatureKey(renewed.accessKeyId, renewed.secretAccessKey);
    w.connection()->client()->setCredentials(renewed);
    panel->followCredentials();
    live.client->setCredentials(renewed);
    KWB_VERIFY_OK(live.put(recordsWithKeys(QStringLiteral("renewed-"), 10)));
    QTRY_VERIFY2_WITH_TIMEOUT(
        live.model()->rowCount() == 20,
        qPrintable(panel->message()
                   + QStringLiteral(" running %1 rows %2").arg(panel->controller()->isRunning()).arg(live.model()->rowCount())),
        20000);
    QVERIFY2(panel->message().isEmpty(), qPrintable(panel->message()));
    QVERIFY(panel->controller()->isRunning());
}

namespace {

struct UserRecord
{
    QString key;
    QByteArray data;
    QString hashKey; ///< decimal; empty for none
};

/// The Kinesis records aws-kinesis-agg makes of `users` (one aggregated record for a few).
std::vector<Record> aggregatedByOracle(const std::vector<UserRecord> &users)
{
    QJsonArray input;
    for (const UserRecord &u : users) {
        QJsonObject o{{QStringLiteral("partitionKey"), u.key}, {QStringLiteral("data"), QString::fromLatin1(u.data.toBase64())}};
        if (!u.hashKey.isEmpty())
            o.insert(QStringLiteral("explicitHashKey"), u.hashKey);
        input.append(o);
    }
    const QJsonObject answer = test::runKplOracle({{QStringLiteral("op"), QStringLiteral("aggregate")}, {QStringLiteral("records"), input}});
    std::vector<Record> out;
    for (const QJsonValue &v : answer.value(QStringLiteral("records")).toArray()) {
        const QJsonObject o = v.toObject();
        Record r{o.value(QStringLiteral("partitionKey")).toString(),
                 QByteArray::fromBase64(o.value(QStringLiteral("data")).toString().toLatin1()), std::nullopt};
        if (o.contains(QStringLiteral("explicitHashKey")))
            r.explicitHashKey = parseHashKey(o.value(QStringLiteral("explicitHashKey")).toString()).value();
        out.push_back(r);
    }
    return out;
}

const std::vector<UserRecord> &oracleUsers()
{
    static const std::vector<UserRecord> users{
        {QStringLiteral("order-1"), "{\"id\":1}", {}},
        {QStringLiteral("Grüße-🔑"), "unicode key", {}},
        {QStringLiteral("empty"), QByteArray(), {}},
        {QStringLiteral("routed"), "to a chosen hash key", QStringLiteral("170141183460469231731687303715884105728")},
    };
    return users;
}

} // namespace

void TstLiveStream::modelUnpacksAggregatedRecords()
{
    // Built here byte by byte: keys "a", "b", hash key "123", user records {a, "x"} and {b, 123, "yz"}.
    const QByteArray protobuf = QByteArray::fromHex("0A01610A01621203313233" "1A0508001A0178" "1A08080110001A02797A");
    const QByteArray aggregated = QByteArray::fromHex("F3899AC2") + protobuf + QCryptographicHash::hash(protobuf, QCryptographicHash::Md5);
    QByteArray badMd5 = aggregated;
    badMd5[21] = 'X';
    const QString shard = QStringLiteral("shardId-000000000000");
    LiveRecordsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(4);
    model.append({{shard, QStringLiteral("1"), QStringLiteral("plain"), "plain data", 1000},
                  {shard, QStringLiteral("2"), QStringLiteral("a"), aggregated, 1001},
                  {shard, QStringLiteral("3"), QStringLiteral("a"), badMd5, 1002}});
    QCOMPARE(model.received(), 3);
    QCOMPARE(model.aggregatedReceived(), 1);
    QCOMPARE(model.userRecordsReceived(), 2);
    QCOMPARE(model.brokenReceived(), 1);
    QCOMPARE(model.rowCount(), 4);
    auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, LiveRecordsModel::PartitionKey), QStringLiteral("plain"));
    QCOMPARE(cell(0, LiveRecordsModel::SubSequence), QString());
    QCOMPARE(cell(1, LiveRecordsModel::SequenceNumber), QStringLiteral("2"));
    QCOMPARE(cell(1, LiveRecordsModel::SubSequence), QStringLiteral("0"));
    QCOMPARE(cell(1, LiveRecordsModel::PartitionKey), QStringLiteral("a"));
    QCOMPARE(cell(1, LiveRecordsModel::ExplicitHashKey), QString());
    QCOMPARE(cell(1, LiveRecordsModel::Data), QStringLiteral("x"));
    QCOMPARE(cell(1, LiveRecordsModel::Size), QStringLiteral("1"));
    QCOMPARE(cell(2, LiveRecordsModel::SubSequence), QStringLiteral("1"));
    QCOMPARE(cell(2, LiveRecordsModel::PartitionKey), QStringLiteral("b"));
    QCOMPARE(cell(2, LiveRecordsModel::ExplicitHashKey), QStringLiteral("123"));
    QCOMPARE(cell(2, LiveRecordsModel::Data), QStringLiteral("yz"));
    QCOMPARE(model.entry(2).data(), QByteArrayView("yz"));
    QCOMPARE(model.record(2).data, aggregated); // the Kinesis record it is in
    // The broken one: one row, with its reason, never its bytes as user records.
    QVERIFY(model.entry(3).isBroken());
    QVERIFY2(cell(3, LiveRecordsModel::Data).startsWith(QStringLiteral("⚠ aggregated record, MD5 mismatch")),
             qPrintable(cell(3, LiveRecordsModel::Data)));
    QVERIFY(model.index(3, LiveRecordsModel::Data).data(Qt::ToolTipRole).toString().contains(QStringLiteral("MD5")));
    QCOMPARE(cell(3, LiveRecordsModel::PartitionKey), QStringLiteral("a"));

    // The filter looks at user records' keys and data, and at the reasons.
    model.setFilter(QStringLiteral("yz"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.entry(0).span().subSequenceNumber, 1);
    model.setFilter(QStringLiteral("mismatch"));
    QCOMPARE(model.rowCount(), 1);
    model.setFilter({});

    // The capacity counts rows: one more aggregated record pushes out the oldest rows.
    model.append({{shard, QStringLiteral("4"), QStringLiteral("a"), aggregated, 1003}});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.dropped(), 2);
    QCOMPARE(cell(0, LiveRecordsModel::SequenceNumber), QStringLiteral("2"));
    QCOMPARE(cell(0, LiveRecordsModel::SubSequence), QStringLiteral("1"));
    QCOMPARE(cell(3, LiveRecordsModel::SequenceNumber), QStringLiteral("4"));
}

void TstLiveStream::aggregatedRecordsFromTheOracleShowTheirUserRecords()
{
    const std::vector<Record> aggregated = aggregatedByOracle(oracleUsers());
    QCOMPARE(aggregated.size(), size_t(1));
    const Record &good = aggregated.front();
    Record badMd5 = good;
    badMd5.data[badMd5.data.size() - 20] = char(badMd5.data[badMd5.data.size() - 20] ^ 0x01);
    Record truncated = good;
    const QByteArray protobuf = good.data.mid(4, good.data.size() - 20 - 3);
    truncated.data = good.data.left(4) + protobuf + QCryptographicHash::hash(protobuf, QCryptographicHash::Md5);

    LiveWindow live(1);
    QVERIFY(live.start());
    MainWindow &w = *live.window;
    QTRY_COMPARE(w.workspace()->streamName(), QStringLiteral("demo"));
    w.action(QStringLiteral("showLiveDock"))->trigger();
    LiveStreamPanel *panel = live.panel();
    QTRY_VERIFY(panel->findChild<QPushButton *>(QStringLiteral("liveStart"))->isEnabled());
    QVERIFY(panel->startReading());
    QTRY_COMPARE(panel->controller()->shardsReading().size(), 1);

    const Record plain{QStringLiteral("plain"), "a plain record", std::nullopt};
    auto put = live.put({plain, good, badMd5, truncated});
    KWB_VERIFY_OK(put);
    const int users = int(oracleUsers().size());
    QTRY_COMPARE_WITH_TIMEOUT(live.model()->rowCount(), 1 + users + 2, 15000);
    LiveRecordsModel *model = live.model();
    QCOMPARE(model->record(0).partitionKey, QStringLiteral("plain"));
    QCOMPARE(model->entry(0).kind, kpl::RecordInspection::Kind::Plain);
    // Exactly the oracle's input, in order, each with the aggregated record's sequence number.
    for (int i = 0; i < users; ++i) {
        const LiveRow &row = model->entry(1 + i);
        QVERIFY(row.isUserRecord());
        QCOMPARE(row.partitionKey(), oracleUsers()[size_t(i)].key);
        QCOMPARE(row.data().toByteArray(), oracleUsers()[size_t(i)].data);
        QCOMPARE(QString::fromUtf8(row.explicitHashKey()), oracleUsers()[size_t(i)].hashKey);
        QCOMPARE(row.span().subSequenceNumber, i);
        QCOMPARE(row.record.sequenceNumber, put.value().records[1].sequenceNumber);
        QCOMPARE(model->index(1 + i, LiveRecordsModel::SubSequence).data().toString(), QString::number(i));
    }
    const auto dataCell = [&](int row) { return model->index(row, LiveRecordsModel::Data).data().toString(); };
    QVERIFY2(dataCell(1 + users).startsWith(QStringLiteral("⚠ aggregated record, MD5 mismatch")), qPrintable(dataCell(1 + users)));
    QVERIFY2(dataCell(2 + users).startsWith(QStringLiteral("⚠ aggregated record, malformed protobuf")), qPrintable(dataCell(2 + users)));
    QCOMPARE(model->brokenReceived(), 2);
    const QString status = panel->findChild<QLabel *>(QStringLiteral("liveStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral("4 records received (1 aggregated, holding 4 user records), 2 aggregated but broken")),
             qPrintable(status));

    // The detail of a broken record says why.
    panel->table()->selectRow(1 + users);
    QVERIFY(panel->findChild<QPlainTextEdit *>(QStringLiteral("liveData"))->toPlainText().startsWith(
        QStringLiteral("Not unpacked — aggregated record, MD5 mismatch")));

    // "What will my consumer see?" for a user record's row: its Kinesis record, unpacked as the KCL does.
    panel->table()->selectRow(2);
    panel->table()->setFocus();
    QAction *consumer = w.action(QStringLiteral("consumerView"));
    QVERIFY(consumer);
    QCOMPARE(consumer->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));
    QVERIFY(panel->table()->actions().contains(consumer)); // in the live table's context menu
    QTRY_VERIFY(panel->table()->hasFocus());
    consumer->trigger();
    auto *dialog = w.findChild<ConsumerViewDialog *>(QStringLiteral("consumerViewDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    const QJsonArray kcl = QJsonDocument::fromJson(dialog->kclText().toUtf8()).array();
    QCOMPARE(kcl.size(), users);
    for (int i = 0; i < users; ++i) {
        const QJsonObject o = kcl.at(i).toObject();
        QCOMPARE(o.value(QStringLiteral("partitionKey")).toString(), oracleUsers()[size_t(i)].key);
        QCOMPARE(QByteArray::fromBase64(o.value(QStringLiteral("data")).toString().toLatin1()), oracleUsers()[size_t(i)].data);
        QCOMPARE(o.value(QStringLiteral("subSequenceNumber")).toInt(), i);
        QCOMPARE(o.value(QStringLiteral("sequenceNumber")).toString(), put.value().records[1].sequenceNumber);
    }
    const QJsonObject event = QJsonDocument::fromJson(dialog->lambdaText().toUtf8()).object();
    const QJsonObject record = event.value(QStringLiteral("Records")).toArray().at(0).toObject();
    QCOMPARE(record.value(QStringLiteral("eventID")).toString(),
             put.value().records[1].shardId + QLatin1Char(':') + put.value().records[1].sequenceNumber);
    QCOMPARE(QByteArray::fromBase64(record.value(QStringLiteral("kinesis")).toObject().value(QStringLiteral("data")).toString().toLatin1()),
             good.data);
    QVERIFY(dialog->rawText().contains(QStringLiteral("matches")));
    dialog->close();
}

void TstLiveStream::liveDockIsPlacedByResetAndPresenter()
{
    MemorySecretStore secrets;
    MainWindowServices services;
    services.secrets = &secrets;
    services.environment = aws::Environment::fromMap({}, QString());
    services.restoreSession = false;
    MainWindow w(services);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *dock = w.findChild<QDockWidget *>(QStringLiteral("liveDock"));
    // Closed at first launch, but docked under the table for when it opens.
    QVERIFY(dock->isHidden());
    QCOMPARE(w.dockWidgetArea(dock), Qt::BottomDockWidgetArea);
    w.action(QStringLiteral("showLiveDock"))->trigger();
    QTRY_VERIFY(dock->isVisible());
    dock->setFloating(true);
    w.action(QStringLiteral("resetLayout"))->trigger();
    QVERIFY(!dock->isFloating());
    QCOMPARE(w.dockWidgetArea(dock), Qt::BottomDockWidgetArea);
    QTRY_VERIFY(dock->isVisible());
    // Under the table, not under the right column: the editor keeps its height to the bottom.
    auto *editor = w.findChild<QDockWidget *>(QStringLiteral("editorDock"));
    QVERIFY(editor);
    QTRY_VERIFY(dock->geometry().right() < editor->geometry().left());
    QVERIFY(dock->height() >= w.height() / 5);

    // Presenter mode keeps an open Live dock (under the table); leaving brings the layout back.
    w.presenter()->setActive(true);
    QTRY_VERIFY(dock->isVisible());
    QCOMPARE(w.dockWidgetArea(dock), Qt::BottomDockWidgetArea);
    w.presenter()->setActive(false);
    QTRY_VERIFY(dock->isVisible());
    // Closed, it stays closed in presenter mode and through Reset layout.
    w.action(QStringLiteral("showLiveDock"))->trigger();
    QTRY_VERIFY(dock->isHidden());
    w.presenter()->setActive(true);
    QVERIFY(dock->isHidden());
    w.presenter()->setActive(false);
    w.action(QStringLiteral("resetLayout"))->trigger();
    QVERIFY(dock->isHidden());
    QCOMPARE(w.dockWidgetArea(dock), Qt::BottomDockWidgetArea);
}

QTEST_MAIN(TstLiveStream)
#include "tst_livestream.moc"
