// The send engine against the sandbox's per-shard limits (1,000 records/s per shard): a burst
// of 3,000 records to one shard (flow control off) gets throttled and retried, while the same
// run with the default flow control, or paced at 90 % of the limit, gets no throttling at all.
#include "RecordStore.h"
#include "ShardMap.h"
#include "TestSupport.h"
#include "sandbox/SandboxServer.h"
#include "send/SendEngine.h"

#include <QSignalSpy>
#include <QTest>

using namespace kwb;

class TstSandboxPacing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstIsThrottledPacedRunIsNot_data();
    void burstIsThrottledPacedRunIsNot();
    void followsTheLimitsTheSandboxAdvertises();
};

void TstSandboxPacing::burstIsThrottledPacedRunIsNot_data()
{
    QTest::addColumn<double>("ratePercent");
    QTest::addColumn<bool>("flowControl");
    QTest::newRow("burst (no pacing)") << 0.0 << false;
    QTest::newRow("paced at 90%") << 90.0 << true;
    QTest::newRow("default flow control") << 0.0 << true;
}

void TstSandboxPacing::burstIsThrottledPacedRunIsNot()
{
    QFETCH(double, ratePercent);
    QFETCH(bool, flowControl);
    sandbox::SandboxOptions options; // limits on, AWS's numbers
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("one"), 1}};
    sandbox::SandboxServer server(options);
    auto url = server.start(0);
    KWB_VERIFY_OK(url);

    net::ClientOptions clientOptions;
    clientOptions.endpoint = url.value();
    clientOptions.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
    net::KinesisClient client(clientOptions);
    RecordStore store;
    for (int i = 0; i < 3000; ++i)
        store.append(QStringLiteral("key-%1").arg(i).toUtf8(), QByteArray(100, 'x'));
    send::SendResults results;
    results.resize(store.size());
    send::SendEngine engine(&client, &store, &results);
    engine.setStream(QStringLiteral("one"));
    engine.setShardMap(ShardMap::uniform(1).value());
    send::SendOptions o;
    o.ratePercent = ratePercent;
    o.flowControl = flowControl;
    o.maxAttempts = 10;
    o.backoffBaseMs = 200;
    o.backoffCapMs = 1000;
    engine.setOptions(o);
    QSignalSpy finished(&engine, &send::SendEngine::finished);
    engine.sendAll();
    QVERIFY(finished.wait(60000));

    const send::SendCounters &c = engine.counters();
    QCOMPARE(server.stats().recordsAccepted, c.succeeded);
    if (!flowControl) {
        // 3,000 records in one burst against 1,000/s: most are throttled at first and retried
        // with jittered backoff. Every row ends succeeded or failed with the throttling reason.
        QVERIFY2(c.throttled >= 1000, qPrintable(QString::number(c.throttled)));
        QCOMPARE(server.stats().recordsThrottled, c.throttled);
        QVERIFY(c.retried > 0);
        QCOMPARE(c.succeeded + c.failed, 3000);
        for (int row = 0; row < results.size(); ++row) {
            if (results.status(row) == send::RowStatus::Succeeded)
                continue;
            QCOMPARE(results.status(row), send::RowStatus::Failed);
            QCOMPARE(results.errorCode(row), QStringLiteral("ProvisionedThroughputExceededException"));
            QVERIFY(results.retriable(row));
        }
        QVERIFY2(c.succeeded >= 2900, qPrintable(QString::number(c.succeeded)));
    } else {
        QCOMPARE(c.succeeded, 3000);
        QCOMPARE(c.failed, 0);
        QCOMPARE(server.stats().recordsThrottled, c.throttled);
        if (ratePercent > 0) {
            // Paced at 90 %: a tenth of the limit spare, so not one throttled answer. Under
            // AddressSanitizer the client and the sandbox share two slowed cores: requests the
            // engine sent apart can reach the sandbox's one-second window tens of milliseconds
            // late and together (CI saw one request's 11 records throttled), so there the bound is
            // the default's, at most 0.5 % of the records, and every record still succeeds.
#if defined(__SANITIZE_ADDRESS__)
            QVERIFY2(c.throttled <= 15, qPrintable(QString::number(c.throttled)));
            QVERIFY(c.retried <= c.throttled);
#else
            QCOMPARE(c.throttled, 0);
            QCOMPARE(c.retried, 0);
#endif
        } else {
            // The default paces at the limit itself (99.5 % of it): issue #14's target is at most
            // 0.5 % throttled answers per record, and no record failed (slow builds such as ASan
            // squeeze requests together and see a few).
            QVERIFY2(c.throttled <= 15, qPrintable(QString::number(c.throttled)));
            QVERIFY(c.retried <= c.throttled);
        }
    }
}

void TstSandboxPacing::followsTheLimitsTheSandboxAdvertises()
{
    // The sandbox at 1/20 of AWS's limits (50 records/s per shard) says so in its answers; the
    // default send paces to that at once instead of learning it from throttles.
    sandbox::SandboxOptions options;
    options.limitScale = 0.05;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("one"), 1}};
    sandbox::SandboxServer server(options);
    auto url = server.start(0);
    KWB_VERIFY_OK(url);
    net::ClientOptions clientOptions;
    clientOptions.endpoint = url.value();
    clientOptions.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
    net::KinesisClient client(clientOptions);
    // Any answer carries the limits (kwb put asks for the stream's summary first).
    auto summary = test::await<net::StreamSummary>([&](QObject *ctx, auto done) { client.describeStreamSummary(QStringLiteral("one"), ctx, done); });
    KWB_VERIFY_OK(summary);
    QVERIFY(client.advertisedLimits().has_value());
    QCOMPARE(client.advertisedLimits()->recordsPerSecond, 50.0);
    QCOMPARE(client.advertisedLimits()->bytesPerSecond, 52429.0);
    RecordStore store;
    for (int i = 0; i < 200; ++i)
        store.append(QStringLiteral("key-%1").arg(i).toUtf8(), QByteArray(100, 'x'));
    send::SendResults results;
    results.resize(store.size());
    send::SendEngine engine(&client, &store, &results);
    engine.setStream(QStringLiteral("one"));
    engine.setShardMap(ShardMap::uniform(1).value());
    QSignalSpy finished(&engine, &send::SendEngine::finished);
    QElapsedTimer timer;
    timer.start();
    engine.sendAll();
    QVERIFY(finished.wait(60000));
    QCOMPARE(engine.counters().succeeded, 200);
    QCOMPARE(engine.flowController()->limits().recordsPerSecond, 50.0);
    QCOMPARE(server.stats().recordsThrottled, 0);
    // 200 records at 50 a second, less the half second's worth taken at once.
    QVERIFY2(timer.elapsed() >= 3000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TstSandboxPacing)
#include "tst_sandbox_pacing.moc"
