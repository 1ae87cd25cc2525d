// The send engine against a scripted Kinesis endpoint: batching limits, per-record and
// whole-request failures, retries with backoff, give-up, cancel and abort, manual retry,
// ordered mode and pacing. Each case checks the final state of every row and that no
// succeeded record was ever sent again.
#include "FakeKinesis.h"
#include "RecordStore.h"
#include "ScriptedHttpServer.h"
#include "ShardMap.h"
#include "TestSupport.h"
#include "kpl/Deaggregator.h"
#include "send/SendEngine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::send;
using Server = kwb::test::ScriptedHttpServer;

namespace {

using kwb::test::FakeKinesis;
using Verdict = FakeKinesis::Verdict;

/// Store, results, client and engine wired to a FakeKinesis.
struct Rig
{
    explicit Rig(FakeKinesis &fake, int records, int dataBytes = 10)
    {
        if (!fake.streams.contains(QStringLiteral("orders")))
            fake.addStream(QStringLiteral("orders"), 4);
        for (int i = 0; i < records; ++i)
            store.append(QStringLiteral("key-%1").arg(i).toUtf8(), QByteArray(dataBytes, char('a' + i % 26)));
        results.resize(store.size());
        net::ClientOptions options;
        options.endpoint = QUrl(fake.url());
        options.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
        options.transferTimeoutMs = 2000;
        client = std::make_unique<net::KinesisClient>(options);
        engine = std::make_unique<SendEngine>(client.get(), &store, &results);
        engine->setStream(QStringLiteral("orders"));
        engine->setShardMap(fake.map(QStringLiteral("orders")));
        SendOptions o;
        o.backoffBaseMs = 5;
        o.backoffCapMs = 20;
        engine->setOptions(o);
        engine->setRandom([] { return 0.5; });
    }

    /// Changes some of the engine's options, keeping the others.
    void change(const std::function<void(SendOptions &)> &edit)
    {
        SendOptions o = engine->options();
        edit(o);
        engine->setOptions(o);
    }

    bool run(const std::function<void()> &start, int timeoutMs = 30000)
    {
        QSignalSpy spy(engine.get(), &SendEngine::finished);
        start();
        return spy.size() > 0 || spy.wait(timeoutMs);
    }

    int count(RowStatus status) const
    {
        int n = 0;
        for (int row = 0; row < results.size(); ++row)
            n += results.status(row) == status;
        return n;
    }

    RecordStore store;
    SendResults results;
    std::unique_ptr<net::KinesisClient> client;
    std::unique_ptr<SendEngine> engine;
};

QString key(int row)
{
    return QStringLiteral("key-%1").arg(row);
}

/// No record was acknowledged twice: a succeeded row is never sent again.
void verifyNoDuplicates(const FakeKinesis &fake)
{
    for (auto it = fake.acknowledged.begin(); it != fake.acknowledged.end(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 acknowledged %2 times").arg(it.key()).arg(it.value())));
}

} // namespace

class TstSendEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesOf500();
    void requestByteBudget();
    void partialFailuresAreRetried();
    void givesUpAfterMaxAttempts();
    void nonRetriableRecordError();
    void nonRetriableRequestError();
    void serverErrorsThenSuccess_data();
    void serverErrorsThenSuccess();
    void timeoutThenSuccess();
    void connectionResetThenSuccess();
    void malformedAnswerFailsBatch();
    void countMismatchFailsBatch();
    void invalidRowsAreRefusedBeforeSending();
    void manyInvalidRowsAreRefusedAsTheRunReachesThem();
    void manualRetrySendsOnlyFailedRows();
    void cancelKeepsUnsentRowsPending();
    void largeRunsReportManyRowsChanged();
    void abortMarksInFlightRowsCancelled();
    void predictedVersusActualShard();
    void orderedModeChainsSequenceNumbers();
    void orderedModeRetriesBeforeLaterRows();
    void rowsAddedWhileCancellingStayAsTheyWere();
    void pacingSpreadsRequests();
    void pacingWorksWithOneShard();
    void backoffDelaysFollowFullJitter();
    void throttlesAreRetriedUntilTheyGoThrough();
    void attemptsKnowTheirRequest();
    void throttlesGiveUpAtTheDeadline();
    void enginesShareOneFlowController();
    void aggregatedRowsShareTheirKinesisRecordsOutcome();
    void abortingAnAggregatedRunCancelsItsRows();
};

void TstSendEngine::batchesOf500()
{
    FakeKinesis fake;
    Rig rig(fake, 1200);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(fake.putKeys.size(), 3);
    QList<int> sizes;
    for (const auto &keys : fake.putKeys)
        sizes.append(int(keys.size()));
    std::sort(sizes.begin(), sizes.end());
    QCOMPARE(sizes, (QList<int>{200, 500, 500}));
    QCOMPARE(rig.count(RowStatus::Succeeded), 1200);
    const SendCounters &c = rig.engine->counters();
    QCOMPARE(c.attempted, 1200);
    QCOMPARE(c.succeeded, 1200);
    QCOMPARE(c.failed, 0);
    QCOMPARE(c.retried, 0);
    QCOMPARE(c.pending, 0);
    QCOMPARE(c.inFlight, 0);
    for (int row = 0; row < 1200; ++row) {
        QVERIFY(!rig.results.sequenceNumber(row).isEmpty());
        QCOMPARE(rig.results.attemptCount(row), 1);
        QCOMPARE(rig.results.shardId(row), rig.results.predictedShardId(row));
    }
    verifyNoDuplicates(fake);
}

void TstSendEngine::requestByteBudget()
{
    FakeKinesis fake;
    Rig rig(fake, 100, 1000); // ~1 KB records
    rig.change([](SendOptions &o) { o.maxRequestBytes = 10 * 1024; });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 100);
    for (const auto &keys : fake.putKeys) {
        qint64 bytes = 0;
        for (const QString &k : keys)
            bytes += k.toUtf8().size() + 1000;
        QVERIFY2(bytes <= 10 * 1024, qPrintable(QString::number(bytes)));
        QCOMPARE(keys.size(), 10); // 10 records of ~1,006 bytes fit in 10 KiB, 11 do not
    }
    QCOMPARE(fake.putKeys.size(), 10);
}

void TstSendEngine::partialFailuresAreRetried()
{
    FakeKinesis fake;
    int throttles = 0;
    fake.recordRule = [&](const QString &k, int attempt) {
        const int i = k.mid(4).toInt();
        if (attempt == 1 && i % 3 == 0) {
            ++throttles;
            return Verdict::Throttle;
        }
        if (attempt <= 2 && i % 5 == 0)
            return Verdict::InternalFailure;
        return Verdict::Ok;
    };
    Rig rig(fake, 300);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 300);
    for (int row = 0; row < 300; ++row) {
        const int expected = row % 5 == 0 ? 3 : row % 3 == 0 ? 2 : 1;
        QCOMPARE(rig.results.attemptCount(row), expected);
        const auto attempts = rig.results.attempts(row);
        QCOMPARE(int(attempts.size()), expected);
        QCOMPARE(attempts.back().outcome, AttemptOutcome::Succeeded);
        if (row % 3 == 0 && row % 5 != 0)
            QCOMPARE(attempts.front().outcome, AttemptOutcome::Throttled);
    }
    QCOMPARE(rig.engine->counters().throttled, qint64(throttles));
    QCOMPARE(rig.engine->counters().succeeded, 300);
    QCOMPARE(rig.engine->counters().retried, qint64(60 * 2 + (100 - 20)));
    verifyNoDuplicates(fake);
    // Retries are built from the failed rows only.
    for (qsizetype r = 1; r < fake.putKeys.size(); ++r)
        for (const QString &k : fake.putKeys[r])
            QVERIFY(k.mid(4).toInt() % 3 == 0 || k.mid(4).toInt() % 5 == 0 || r == 0);
}

void TstSendEngine::givesUpAfterMaxAttempts()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int) { return k == key(7) ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 20);
    // Explicit attempts win (throttles are otherwise retried until the deadline).
    rig.change([](SendOptions &o) { o.maxAttempts = 3; });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 19);
    QCOMPARE(rig.results.status(7), RowStatus::Failed);
    QCOMPARE(rig.results.errorCode(7), QStringLiteral("ProvisionedThroughputExceededException"));
    QVERIFY(rig.results.errorMessage(7).contains(QStringLiteral("gave up after 3 attempts")));
    QVERIFY(rig.results.retriable(7));
    QCOMPARE(rig.results.attemptCount(7), 3);
    QCOMPARE(rig.engine->counters().failed, 1);
    QCOMPARE(rig.engine->counters().throttled, 3);
    verifyNoDuplicates(fake);
}

void TstSendEngine::nonRetriableRecordError()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int) { return k == key(3) ? Verdict::OtherError : Verdict::Ok; };
    Rig rig(fake, 10);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.results.status(3), RowStatus::Failed);
    QCOMPARE(rig.results.errorCode(3), QStringLiteral("KMSAccessDeniedException"));
    QVERIFY(!rig.results.retriable(3));
    QCOMPARE(rig.results.attemptCount(3), 1);
    QCOMPARE(fake.putKeys.size(), 1);
    QCOMPARE(rig.count(RowStatus::Succeeded), 9);
}

void TstSendEngine::nonRetriableRequestError()
{
    FakeKinesis fake;
    fake.putRule = [](int) {
        return Server::Answer{Server::Action::Respond,
                              Server::response(400, R"({"__type":"AccessDeniedException","message":"User is not authorized"})")};
    };
    Rig rig(fake, 30);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(fake.putKeys.size(), 1);
    QCOMPARE(rig.count(RowStatus::Failed), 30);
    for (int row = 0; row < 30; ++row) {
        QCOMPARE(rig.results.errorCode(row), QStringLiteral("AccessDeniedException"));
        QVERIFY(rig.results.errorMessage(row).contains(QStringLiteral("not authorized")));
        QVERIFY(!rig.results.retriable(row));
        QCOMPARE(rig.results.attempts(row).front().outcome, AttemptOutcome::RequestFailed);
    }
}

void TstSendEngine::serverErrorsThenSuccess_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    QTest::newRow("500 then 503") << Server::response(500, R"({"__type":"InternalFailure","message":"x"})")
                                  << Server::response(503, "<html>unavailable</html>", "text/html");
    QTest::newRow("request throttled twice") << Server::response(400, R"({"__type":"ThrottlingException","message":"slow down"})")
                                             << Server::response(400, R"({"__type":"ThrottlingException","message":"slow down"})");
}

void TstSendEngine::serverErrorsThenSuccess()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    FakeKinesis fake;
    fake.putRule = [&](int index) {
        if (index == 0)
            return Server::Answer{Server::Action::Respond, first};
        if (index == 1)
            return Server::Answer{Server::Action::Respond, second};
        return Server::Answer{Server::Action::Respond, {}};
    };
    Rig rig(fake, 50);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 50);
    QCOMPARE(fake.putKeys.size(), 3);
    for (int row = 0; row < 50; ++row)
        QCOMPARE(rig.results.attemptCount(row), 3);
    verifyNoDuplicates(fake);
}

void TstSendEngine::timeoutThenSuccess()
{
    FakeKinesis fake;
    fake.putRule = [](int index) {
        return index == 0 ? Server::Answer{Server::Action::Silence, {}} : Server::Answer{Server::Action::Respond, {}};
    };
    Rig rig(fake, 10);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 10);
    QCOMPARE(rig.results.attempts(0).front().code, rig.results.intern(QStringLiteral("Timeout")));
}

void TstSendEngine::connectionResetThenSuccess()
{
    FakeKinesis fake;
    // Qt resends once by itself on a dropped connection: reset the first two deliveries.
    fake.putRule = [](int index) {
        return index < 2 ? Server::Answer{Server::Action::Reset, {}} : Server::Answer{Server::Action::Respond, {}};
    };
    Rig rig(fake, 10);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 10);
    QCOMPARE(rig.results.attempts(0).front().outcome, AttemptOutcome::RequestFailed);
    verifyNoDuplicates(fake);
}

void TstSendEngine::malformedAnswerFailsBatch()
{
    FakeKinesis fake;
    fake.putRule = [](int) { return Server::Answer{Server::Action::Respond, Server::response(200, "{\"Records\": [")}; };
    Rig rig(fake, 5);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Failed), 5);
    QCOMPARE(rig.results.errorCode(0), QStringLiteral("InvalidResponse"));
    QCOMPARE(fake.putKeys.size(), 1); // the records may have been written: no blind resend
}

void TstSendEngine::countMismatchFailsBatch()
{
    FakeKinesis fake;
    fake.putRule = [](int) {
        return Server::Answer{Server::Action::Respond,
                              Server::response(200, R"({"FailedRecordCount":0,"Records":[{"ShardId":"shardId-000000000000","SequenceNumber":"1"}]})")};
    };
    Rig rig(fake, 3);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Failed), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(rig.results.errorCode(row), QStringLiteral("RecordCountMismatch"));
        QVERIFY(rig.results.sequenceNumber(row).isEmpty()); // never guessed
    }
}

void TstSendEngine::invalidRowsAreRefusedBeforeSending()
{
    FakeKinesis fake;
    Rig rig(fake, 3);
    rig.store.append(QByteArray(), QByteArray("x"));                  // row 3: empty key
    rig.store.append(QByteArray("big"), QByteArray(1024 * 1024, 'x')); // row 4: 1 MiB + 3 bytes
    rig.store.append(QString(257, QChar(u'\u00e9')).toUtf8(), QByteArray("x")); // row 5: 257 chars
    rig.store.append(QString::fromUtf8("\xf0\x9f\x99\x82").repeated(129).toUtf8(), QByteArray("x")); // row 6: 258 UTF-16 units
    rig.results.resize(rig.store.size());
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 3);
    QCOMPARE(rig.results.errorCode(3), QStringLiteral("InvalidPartitionKey"));
    QCOMPARE(rig.results.errorCode(4), QStringLiteral("RecordTooLarge"));
    QVERIFY(rig.results.errorMessage(4).contains(QStringLiteral("1 MiB")));
    QCOMPARE(rig.results.errorCode(5), QStringLiteral("InvalidPartitionKey"));
    QVERIFY(rig.results.errorMessage(5).contains(QStringLiteral("257")));
    QCOMPARE(rig.results.errorCode(6), QStringLiteral("InvalidPartitionKey"));
    QVERIFY(rig.results.errorMessage(6).contains(QStringLiteral("258")));
    for (int row = 3; row < 7; ++row) {
        QVERIFY(!rig.results.retriable(row));
        QCOMPARE(rig.results.attemptCount(row), 0);
    }
    QCOMPARE(fake.putKeys.front().size(), 3);
    QCOMPARE(rig.engine->counters().failed, 4);
}

void TstSendEngine::manyInvalidRowsAreRefusedAsTheRunReachesThem()
{
    // 10,000 rows with an empty key, then 10 good ones, then every third row bad: the whole run
    // shows Queued at once, each bad row ends failed with its reason (reported as changed), and
    // the good ones behind them still go out.
    FakeKinesis fake;
    Rig rig(fake, 0);
    for (int i = 0; i < 10000; ++i)
        rig.store.append(QByteArray(), QByteArray("x"));
    for (int i = 0; i < 3010; ++i)
        rig.store.append(i >= 10 && i % 3 == 0 ? QByteArray() : key(i).toUtf8(), QByteArray("x"));
    rig.results.resize(rig.store.size());
    QSet<int> reported;
    QObject::connect(rig.engine.get(), &SendEngine::rowsChanged, rig.engine.get(), [&](const QList<int> &rows) {
        for (int row : rows)
            reported.insert(row);
    });
    QSignalSpy finished(rig.engine.get(), &SendEngine::finished);
    rig.engine->sendAll();
    for (int row = 0; row < rig.results.size(); ++row)
        QVERIFY2(rig.results.status(row) != RowStatus::Pending, qPrintable(QString::number(row)));
    QVERIFY(finished.wait(30000));

    int bad = 0;
    for (int row = 0; row < rig.store.size(); ++row) {
        if (rig.store.partitionKeyUtf8(row).isEmpty()) {
            ++bad;
            QCOMPARE(rig.results.status(row), RowStatus::Failed);
            QCOMPARE(rig.results.errorCode(row), QStringLiteral("InvalidPartitionKey"));
            QVERIFY2(reported.contains(row), qPrintable(QString::number(row)));
        } else {
            QCOMPARE(rig.results.status(row), RowStatus::Succeeded);
        }
    }
    QCOMPARE(bad, 10000 + 1000);
    const SendCounters &c = rig.engine->counters();
    QCOMPARE(c.failed, qint64(bad));
    QCOMPARE(c.succeeded, qint64(rig.store.size() - bad));
    QCOMPARE(c.pending, 0);
    QCOMPARE(c.inFlight, 0);
    for (const QStringList &keys : std::as_const(fake.putKeys)) {
        QVERIFY(keys.size() <= 500);
        QVERIFY(!keys.contains(QString()));
    }
    verifyNoDuplicates(fake);
}

void TstSendEngine::aggregatedRowsShareTheirKinesisRecordsOutcome()
{
    FakeKinesis fake;
    Rig rig(fake, 40);
    rig.change([](SendOptions &o) { o.aggregate = true; });
    // One aggregated Kinesis record per shard, keyed by the shard's first user row.
    std::vector<std::vector<int>> rowsOfShard(4);
    for (int row = 0; row < 40; ++row)
        rowsOfShard[size_t(fake.map(QStringLiteral("orders")).openIndexFor(rig.store.hashKey(row)))].push_back(row);
    for (const auto &rows : rowsOfShard)
        QVERIFY(rows.size() >= 2);
    const QString throttled = key(rowsOfShard[0].front());
    const QString broken = key(rowsOfShard[1].front());
    bool healthy = false;
    fake.recordRule = [&](const QString &k, int attempt) {
        if (k == throttled && attempt == 1)
            return Verdict::Throttle;
        return k == broken && !healthy ? Verdict::OtherError : Verdict::Ok;
    };
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    qsizetype kinesisRecordsSent = 0;
    for (const QStringList &keys : fake.putKeys)
        kinesisRecordsSent += keys.size();
    QCOMPARE(kinesisRecordsSent, qsizetype(5)); // four records, one of them twice
    QCOMPARE(rig.engine->counters().total, qint64(40));
    QCOMPARE(rig.engine->counters().failed, qint64(rowsOfShard[1].size()));
    QCOMPARE(rig.engine->counters().succeeded, qint64(40 - rowsOfShard[1].size()));
    for (int shard = 0; shard < 4; ++shard) {
        const auto &rows = rowsOfShard[size_t(shard)];
        for (size_t s = 0; s < rows.size(); ++s) {
            const int row = rows[s];
            QCOMPARE(rig.results.subSequence(row), int(s));
            QCOMPARE(rig.results.aggregateSize(row), int(rows.size()));
            QCOMPARE(rig.results.aggregateFirstRow(row), rows.front());
            QCOMPARE(rig.results.predictedShardId(row), fake.map(QStringLiteral("orders")).openShard(shard).shardId);
            if (shard == 1) {
                QCOMPARE(rig.results.status(row), RowStatus::Failed);
                QCOMPARE(rig.results.errorCode(row), QStringLiteral("KMSAccessDeniedException"));
                QCOMPARE(rig.results.attemptCount(row), 1);
                continue;
            }
            QCOMPARE(rig.results.status(row), RowStatus::Succeeded);
            QCOMPARE(rig.results.shardId(row), fake.map(QStringLiteral("orders")).openShard(shard).shardId);
            QCOMPARE(rig.results.sequenceNumber(row), rig.results.sequenceNumber(rows.front()));
            const auto attempts = rig.results.attempts(row);
            QCOMPARE(int(attempts.size()), shard == 0 ? 2 : 1);
            if (shard == 0)
                QCOMPARE(attempts.front().outcome, AttemptOutcome::Throttled);
        }
    }

    // Retrying sends only the failed user rows, packed again, never one that succeeded.
    healthy = true;
    const qsizetype before = fake.putBodies.size();
    QVERIFY(rig.run([&] { rig.engine->retryAllFailed(); }));
    QCOMPARE(fake.putBodies.size(), before + 1);
    const QJsonArray records = fake.putBodies.last().value(QStringLiteral("Records")).toArray();
    QCOMPARE(records.size(), qsizetype(1));
    const QByteArray data = QByteArray::fromBase64(records.at(0).toObject().value(QStringLiteral("Data")).toString().toLatin1());
    auto users = kpl::Deaggregator::unpack(data);
    QVERIFY(users.ok());
    QCOMPARE(users.value().size(), rowsOfShard[1].size());
    for (size_t s = 0; s < users.value().size(); ++s)
        QCOMPARE(users.value()[s].partitionKey, rig.store.partitionKeyUtf8(rowsOfShard[1][s]));
    QCOMPARE(rig.count(RowStatus::Succeeded), 40);
    QCOMPARE(rig.results.attemptCount(rowsOfShard[1].back()), 2);
    verifyNoDuplicates(fake);
}

void TstSendEngine::abortingAnAggregatedRunCancelsItsRows()
{
    FakeKinesis fake;
    fake.putRule = [](int) { return Server::Answer{Server::Action::Silence, {}}; };
    Rig rig(fake, 40);
    rig.change([](SendOptions &o) { o.aggregate = true; });
    QSignalSpy finished(rig.engine.get(), &SendEngine::finished);
    rig.engine->sendAll();
    QTRY_COMPARE(fake.putKeys.size(), 1);
    QCOMPARE(fake.putKeys.first().size(), 4); // one aggregated record per shard
    rig.engine->abort();
    QVERIFY(finished.size() == 1 || finished.wait(10000));
    QVERIFY(!rig.engine->isRunning());
    QCOMPARE(rig.count(RowStatus::Cancelled), 40);
    for (int row = 0; row < 40; ++row)
        QVERIFY(rig.results.errorMessage(row).contains(QStringLiteral("may or may not")));
    QCOMPARE(rig.engine->counters().total, qint64(40));
    QCOMPARE(rig.engine->counters().succeeded, qint64(0));
}

void TstSendEngine::manualRetrySendsOnlyFailedRows()
{
    FakeKinesis fake;
    bool healthy = false;
    fake.recordRule = [&](const QString &k, int) {
        return !healthy && (k == key(2) || k == key(5)) ? Verdict::InternalFailure : Verdict::Ok;
    };
    Rig rig(fake, 8);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Failed), 2);
    const qsizetype before = fake.putKeys.size();
    healthy = true;
    QVERIFY(rig.run([&] { rig.engine->retryAllFailed(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 8);
    QCOMPARE(fake.putKeys.size(), before + 1);
    QCOMPARE(fake.putKeys.last(), (QStringList{key(2), key(5)}));
    QCOMPARE(rig.results.attemptCount(2), 4); // three automatic, one manual
    verifyNoDuplicates(fake);
    // retry() of rows that did not fail sends nothing.
    QVERIFY(rig.run([&] { rig.engine->retry({0, 1, 2}); }));
    QCOMPARE(fake.putKeys.size(), before + 1);
}

void TstSendEngine::largeRunsReportManyRowsChanged()
{
    // Starting a run of 5,000 rows changes them all at once: one manyRowsChanged, not a list of
    // 5,000; the batches' results come as lists as before.
    FakeKinesis fake;
    Rig rig(fake, 5000);
    QSignalSpy many(rig.engine.get(), &SendEngine::manyRowsChanged);
    int largestList = 0;
    qint64 listed = 0;
    QObject::connect(rig.engine.get(), &SendEngine::rowsChanged, rig.engine.get(), [&](const QList<int> &rows) {
        largestList = std::max(largestList, int(rows.size()));
        listed += rows.size();
    });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 5000);
    QVERIFY(many.count() >= 1);
    QVERIFY2(largestList <= SendEngine::kManyRows, qPrintable(QString::number(largestList)));
    QVERIFY(listed >= 5000); // every row's result was still reported in a list
    // Every row has its predicted shard, set as it went into a request.
    for (int row = 0; row < 5000; ++row)
        QVERIFY(!rig.results.predictedShardId(row).isEmpty());
}

void TstSendEngine::cancelKeepsUnsentRowsPending()
{
    FakeKinesis fake;
    Rig rig(fake, 3000);
    rig.change([](SendOptions &o) { o.concurrency = 1; });
    QSignalSpy finished(rig.engine.get(), &SendEngine::finished);
    bool cancelled = false;
    QObject::connect(rig.engine.get(), &SendEngine::rowsChanged, rig.engine.get(), [&](const QList<int> &) {
        if (!cancelled && rig.count(RowStatus::Succeeded) >= 500) {
            cancelled = true;
            rig.engine->cancel();
        }
    });
    rig.engine->sendAll();
    QVERIFY(finished.wait(30000));
    QVERIFY(cancelled);
    const int succeeded = rig.count(RowStatus::Succeeded);
    const int pending = rig.count(RowStatus::Pending);
    QVERIFY(succeeded >= 500 && succeeded < 3000);
    QCOMPARE(succeeded + pending, 3000); // nothing lost: each row sent or still pending
    QCOMPARE(rig.engine->counters().pending, qint64(pending));
    for (int row = 0; row < 3000; ++row)
        if (rig.results.status(row) == RowStatus::Pending)
            QCOMPARE(rig.results.attemptCount(row), 0);
    // The rest can be sent later.
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 3000);
    verifyNoDuplicates(fake);
}

void TstSendEngine::abortMarksInFlightRowsCancelled()
{
    FakeKinesis fake;
    fake.putRule = [](int) { return Server::Answer{Server::Action::Silence, {}}; };
    Rig rig(fake, 700);
    rig.change([](SendOptions &o) { o.concurrency = 1; });
    QSignalSpy finished(rig.engine.get(), &SendEngine::finished);
    rig.engine->sendAll();
    QTRY_COMPARE(fake.putKeys.size(), 1);
    rig.engine->abort();
    QVERIFY(finished.size() == 1 || finished.wait(10000));
    QCOMPARE(rig.count(RowStatus::Cancelled), 500);
    QCOMPARE(rig.count(RowStatus::Pending), 200);
    QVERIFY(rig.results.errorMessage(0).contains(QStringLiteral("may or may not")));
}

void TstSendEngine::predictedVersusActualShard()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int) { return k == key(4) ? Verdict::WrongShard : Verdict::Ok; };
    Rig rig(fake, 10);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 10);
    for (int row = 0; row < 10; ++row)
        QCOMPARE(rig.results.shardMismatch(row), row == 4);
}

void TstSendEngine::orderedModeChainsSequenceNumbers()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &, int attempt) { return attempt == 1 ? Verdict::Ok : Verdict::Ok; };
    Rig rig(fake, 0);
    for (const char *k : {"a", "b", "a", "a", "b"})
        rig.store.append(QByteArray(k), QByteArray("d"));
    rig.results.resize(rig.store.size());
    rig.change([](SendOptions &o) { o.ordered = true; });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 5);
    QCOMPARE(fake.putBodies.size(), 5);
    // Requests in row order, one record each; each "a" after the first names the previous "a".
    QStringList keys;
    for (const auto &k : fake.putKeys)
        keys.append(k);
    QCOMPARE(keys, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("b")}));
    const auto ordering = [&](int i) { return fake.putBodies[i].value(QStringLiteral("SequenceNumberForOrdering")).toString(); };
    QVERIFY(ordering(0).isEmpty());
    QVERIFY(ordering(1).isEmpty());
    QCOMPARE(ordering(2), rig.results.sequenceNumber(0));
    QCOMPARE(ordering(3), rig.results.sequenceNumber(2));
    QCOMPARE(ordering(4), rig.results.sequenceNumber(1));
}

void TstSendEngine::orderedModeRetriesBeforeLaterRows()
{
    // Ordered: a throttled row is sent again before any later row, however long its backoff.
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int attempt) { return k == key(1) && attempt <= 2 ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 4);
    rig.change([](SendOptions &o) { o.ordered = true; });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 4);
    QStringList keys;
    for (const auto &k : std::as_const(fake.putKeys))
        keys.append(k);
    QCOMPARE(keys, (QStringList{key(0), key(1), key(1), key(1), key(2), key(3)}));
    QCOMPARE(rig.results.attemptCount(1), 3);
}

void TstSendEngine::rowsAddedWhileCancellingStayAsTheyWere()
{
    // send() while a cancelled run still waits for a request in flight: the rows are not taken
    // (they would stay queued with nothing left to send them) and can be sent afterwards.
    FakeKinesis fake;
    Rig rig(fake, 1000);
    rig.change([](SendOptions &o) { o.concurrency = 1; });
    QSignalSpy finished(rig.engine.get(), &SendEngine::finished);
    rig.engine->send({0, 1, 2});
    QVERIFY(rig.engine->isRunning());
    rig.engine->cancel();
    QVERIFY(rig.engine->isRunning()); // the request is still in flight
    rig.engine->send({500, 501});
    QCOMPARE(rig.results.status(500), RowStatus::Pending);
    QVERIFY(finished.wait(30000));
    QCOMPARE(rig.count(RowStatus::Queued), 0);
    QCOMPARE(rig.count(RowStatus::Succeeded), 3);
    QCOMPARE(rig.results.status(501), RowStatus::Pending);
    QVERIFY(rig.run([&] { rig.engine->send({500, 501}); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 5);
}

void TstSendEngine::pacingSpreadsRequests()
{
    FakeKinesis fake;
    Rig rig(fake, 0);
    // 300 records, all to one shard of the 4-shard map, paced at 10% (100 records/s).
    const UInt128 shard0 = fake.map(QStringLiteral("orders")).openShard(0).startingHashKey;
    for (int i = 0; i < 300; ++i)
        rig.store.append(QStringLiteral("p%1").arg(i).toUtf8(), QByteArray("x"), shard0 + UInt128(unsigned(i)));
    rig.results.resize(rig.store.size());
    rig.change([](SendOptions &o) { o.ratePercent = 10; });
    QElapsedTimer timer;
    timer.start();
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }, 20000));
    QCOMPARE(rig.count(RowStatus::Succeeded), 300);
    // The shard may burst 100 ms of its budget (10 records); the other 290 need ~2.9 s of refill.
    QVERIFY2(fake.putKeys.first().size() <= 10, qPrintable(QString::number(fake.putKeys.first().size())));
    QVERIFY(fake.putKeys.size() >= 20);
    QVERIFY2(timer.elapsed() >= 2500, qPrintable(QString::number(timer.elapsed())));
}

void TstSendEngine::pacingWorksWithOneShard()
{
    FakeKinesis fake;
    Rig rig(fake, 60);
    rig.engine->setShardMap(ShardMap::uniform(1).value());
    rig.change([](SendOptions &o) {
        o.ratePercent = 5; // 50 records/s, bursts of 5
    });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }, 20000));
    QCOMPARE(rig.count(RowStatus::Succeeded), 60);
    for (const auto &keys : fake.putKeys)
        QVERIFY2(keys.size() <= 5, qPrintable(QString::number(keys.size())));
}

void TstSendEngine::backoffDelaysFollowFullJitter()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &, int attempt) { return attempt < 3 ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 1);
    rig.change([](SendOptions &o) {
        o.backoffBaseMs = 40;
        o.backoffCapMs = 60;
    });
    rig.engine->setRandom([] { return 0.75; });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    const auto attempts = rig.results.attempts(0);
    QCOMPARE(int(attempts.size()), 3);
    QCOMPARE(attempts[0].delayMs, 0);
    QCOMPARE(attempts[1].delayMs, 30); // 0.75 * min(60, 40 * 2^0)
    QCOMPARE(attempts[2].delayMs, 45); // 0.75 * min(60, 40 * 2^1) = 0.75 * 60
}

void TstSendEngine::throttlesAreRetriedUntilTheyGoThrough()
{
    // The default retries a throttled row until the service takes it, not three times.
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int attempt) { return k == key(4) && attempt <= 8 ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 10);
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 10);
    QCOMPARE(rig.results.attemptCount(4), 9);
    const auto attempts = rig.results.attempts(4);
    for (size_t i = 0; i + 1 < attempts.size(); ++i)
        QCOMPARE(attempts[i].outcome, AttemptOutcome::Throttled);
    QCOMPARE(attempts.back().outcome, AttemptOutcome::Succeeded);
    QCOMPARE(rig.engine->counters().throttled, 8);
    QCOMPARE(rig.engine->counters().failed, 0);
    verifyNoDuplicates(fake);
}

void TstSendEngine::attemptsKnowTheirRequest()
{
    // Each attempt names the request it went in (number in the run, the row's place, the
    // request's records and key + data bytes) as the endpoint saw it.
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int attempt) { return k == key(7) && attempt == 1 ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 12, 10);
    rig.change([](SendOptions &o) {
        o.maxRecordsPerRequest = 5;
        o.flowControl = false;
        o.concurrency = 1;
    });
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QCOMPARE(rig.count(RowStatus::Succeeded), 12);
    // What the endpoint saw: the request (1-based) and position of each attempt of each key.
    QHash<QString, QList<std::pair<int, int>>> seen;
    for (int r = 0; r < fake.putKeys.size(); ++r)
        for (int p = 0; p < fake.putKeys[r].size(); ++p)
            seen[fake.putKeys[r][p]].append({r + 1, p});
    for (int row = 0; row < 12; ++row) {
        const auto attempts = rig.results.attempts(row);
        QCOMPARE(int(attempts.size()), seen.value(key(row)).size());
        for (size_t i = 0; i < attempts.size(); ++i) {
            const auto [request, position] = seen.value(key(row))[qsizetype(i)];
            QCOMPARE(attempts[i].request, request);
            QCOMPARE(int(attempts[i].position), position);
            const QStringList &keys = fake.putKeys[request - 1];
            QCOMPARE(int(attempts[i].requestRecords), keys.size());
            int bytes = 0;
            for (const QString &k : keys)
                bytes += int(k.toUtf8().size()) + 10;
            QCOMPARE(attempts[i].requestBytes, bytes);
        }
    }
    QCOMPARE(int(rig.results.attempts(7).size()), 2);
    QCOMPARE(rig.results.attempts(7).front().outcome, AttemptOutcome::Throttled);
    QVERIFY(rig.results.attempts(7).back().request > rig.results.attempts(7).front().request);
}

void TstSendEngine::throttlesGiveUpAtTheDeadline()
{
    FakeKinesis fake;
    fake.recordRule = [](const QString &k, int) { return k == key(1) ? Verdict::Throttle : Verdict::Ok; };
    Rig rig(fake, 3);
    rig.change([](SendOptions &o) { o.deadlineMs = 300; });
    QElapsedTimer timer;
    timer.start();
    QVERIFY(rig.run([&] { rig.engine->sendAll(); }));
    QVERIFY2(timer.elapsed() >= 300, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(rig.results.status(1), RowStatus::Failed);
    QVERIFY(rig.results.retriable(1));
    QVERIFY(rig.results.attemptCount(1) > 3); // not three attempts: as many as fit the budget
    QVERIFY2(rig.results.errorMessage(1).contains(QStringLiteral("the retry deadline")), qPrintable(rig.results.errorMessage(1)));
    QCOMPARE(rig.count(RowStatus::Succeeded), 2);
}

void TstSendEngine::enginesShareOneFlowController()
{
    // Two engines (as the streaming put runs one per chunk) on one controller: its request
    // slots count both, and a slot one frees lets the other go on.
    FakeKinesis fake;
    Rig a(fake, 1200);
    Rig b(fake, 0);
    for (int i = 0; i < 1200; ++i)
        b.store.append(QStringLiteral("b-%1").arg(i).toUtf8(), QByteArray("x"));
    b.results.resize(b.store.size());
    FlowController flow;
    a.engine->setFlowController(&flow);
    b.engine->setFlowController(&flow);
    a.change([](SendOptions &o) { o.concurrency = 1; o.maxRecordsPerRequest = 100; });
    b.change([](SendOptions &o) { o.concurrency = 1; o.maxRecordsPerRequest = 100; });
    int most = 0;
    const auto watch = [&] { most = std::max(most, flow.inFlight()); };
    QObject::connect(a.engine.get(), &SendEngine::rowsChanged, a.engine.get(), watch);
    QObject::connect(b.engine.get(), &SendEngine::rowsChanged, b.engine.get(), watch);
    QSignalSpy doneA(a.engine.get(), &SendEngine::finished);
    QSignalSpy doneB(b.engine.get(), &SendEngine::finished);
    a.engine->sendAll();
    b.engine->sendAll();
    QTRY_VERIFY_WITH_TIMEOUT(doneA.count() == 1 && doneB.count() == 1, 30000);
    QCOMPARE(most, 1);
    QCOMPARE(a.count(RowStatus::Succeeded), 1200);
    QCOMPARE(b.count(RowStatus::Succeeded), 1200);
    QCOMPARE(flow.inFlight(), 0);
    verifyNoDuplicates(fake);
}

QTEST_GUILESS_MAIN(TstSendEngine)
#include "tst_sendengine.moc"

