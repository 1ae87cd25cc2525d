// The sandbox's per-shard read limits, from AWS's documented quotas for GetRecords: 5 calls per
// second and 2 MiB per second per shard, ProvisionedThroughputExceededException beyond them
// (an answer of up to 10 MiB is allowed, and the shard's reads are then refused until the
// 2 MiB/s have paid it off). Counted with an injected clock, so the counts are exact; switched
// off and scaled with the write limits; advertised in the x-kwb-shard-limits header.
#include "SandboxTestSupport.h"
#include "RecordStore.h"
#include "sandbox/ThroughputLimiter.h"
#include "send/SendEngine.h"

#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::net;
using kwb::test::SandboxFixture;

class TstSandboxReadLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void limiterCountsCallsPerSlidingSecond();
    void limiterPaysOffLargeAnswers();
    void sixthCallInASecondIsThrottled();
    void largeAnswerThrottlesUntilPaidOff();
    void shardsHaveTheirOwnLimits();
    void limitsOffAndScaled();
    void limitsAreAdvertised();
    void verifyReadsAgainAfterThrottles();

private:
    void startOneShard(sandbox::SandboxOptions options = {}, int shards = 1);
    Result<GetRecordsResult> read(const QString &shardId = QStringLiteral("shardId-000000000000"));
    SandboxFixture m_sandbox;
    test::FakeClock m_clock;
};

void TstSandboxReadLimits::cleanup()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
}

void TstSandboxReadLimits::startOneShard(sandbox::SandboxOptions options, int shards)
{
    m_clock = test::FakeClock(1764100000000);
    options.initialStreams = {{QStringLiteral("one"), shards}};
    KWB_VERIFY_OK(m_sandbox.start(options, m_clock.clock()));
}

Result<GetRecordsResult> TstSandboxReadLimits::read(const QString &shardId)
{
    auto iterator = m_sandbox.iterator(QStringLiteral("one"), shardId, ShardIteratorType::TrimHorizon);
    if (!iterator.ok())
        return iterator.error();
    return m_sandbox.getRecords(iterator.value());
}

void TstSandboxReadLimits::limiterCountsCallsPerSlidingSecond()
{
    const sandbox::ThroughputLimiter limiter(true, 1.0);
    QCOMPARE(limiter.readCallLimit(), qint64(5));
    QCOMPARE(limiter.readByteLimit(), qint64(2 * 1024 * 1024));
    sandbox::ReadWindow window;
    // Calls at 0, 100, ..., 900 ms: five fit, then none until the first leaves the window.
    int admitted = 0;
    for (int i = 0; i < 10; ++i)
        admitted += limiter.admitRead(window, 10000 + i * 100) ? 1 : 0;
    QCOMPARE(admitted, 5);
    QVERIFY(!limiter.admitRead(window, 10990));
    QVERIFY(limiter.admitRead(window, 11000)); // the call at 10000 has left the last second
    QVERIFY(!limiter.admitRead(window, 11050));
    const sandbox::ThroughputLimiter off(false, 1.0);
    sandbox::ReadWindow any;
    for (int i = 0; i < 100; ++i)
        QVERIFY(off.admitRead(any, 0));
    QCOMPARE(sandbox::ThroughputLimiter(true, 2.0).readCallLimit(), qint64(10));
    QCOMPARE(sandbox::ThroughputLimiter(true, 0.01).readCallLimit(), qint64(1)); // never below one call
}

void TstSandboxReadLimits::limiterPaysOffLargeAnswers()
{
    const sandbox::ThroughputLimiter limiter(true, 1.0);
    sandbox::ReadWindow window;
    QVERIFY(limiter.admitRead(window, 0));
    limiter.tookRead(window, 10 * 1024 * 1024); // 10 MiB: 8 MiB over the bucket
    QVERIFY(!limiter.admitRead(window, 1000));
    QVERIFY(!limiter.admitRead(window, 3999)); // 2 MiB/s pay the 8 MiB off in 4 s
    QVERIFY(!limiter.admitRead(window, 4000)); // exactly paid off: nothing left to read with
    QVERIFY(limiter.admitRead(window, 4010));
}

void TstSandboxReadLimits::sixthCallInASecondIsThrottled()
{
    startOneShard();
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("one"), test::makeRecords(3)));
    for (int i = 0; i < 5; ++i) {
        m_clock.advance(10);
        auto r = read();
        KWB_VERIFY_OK(r);
        QCOMPARE(int(r.value().records.size()), 3);
    }
    m_clock.advance(10);
    auto sixth = read();
    KWB_VERIFY_ERROR(sixth, "ProvisionedThroughputExceededException", 400);
    QCOMPARE(sixth.error().kind, Error::Kind::Throttling);
    QCOMPARE(sixth.error().message,
             QStringLiteral("Rate exceeded for shard shardId-000000000000 in stream one under account 000000000000."));
    QCOMPARE(m_sandbox.server->stats().readsThrottled, qint64(1));
    // One second after the first call, one call is free again.
    m_clock.advance(1000 - 50);
    KWB_VERIFY_OK(read());
}

void TstSandboxReadLimits::largeAnswerThrottlesUntilPaidOff()
{
    sandbox::SandboxOptions options;
    options.limitsEnabled = false; // to write 3 MiB at once
    startOneShard(options);
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("one"), test::makeRecords(3, QStringLiteral("k"), 1024 * 1024)));
    m_sandbox.server->setLimitsEnabled(true);
    auto all = read();
    KWB_VERIFY_OK(all);
    QCOMPARE(int(all.value().records.size()), 3); // one answer may hold more than 2 MiB
    // 3 MiB + keys taken from a bucket of 2 MiB: about 1 MiB over, paid off after about 0.5 s.
    m_clock.advance(400);
    KWB_VERIFY_ERROR(read(), "ProvisionedThroughputExceededException", 400);
    m_clock.advance(200);
    KWB_VERIFY_OK(read());
}

void TstSandboxReadLimits::shardsHaveTheirOwnLimits()
{
    startOneShard({}, 2);
    for (int i = 0; i < 5; ++i)
        KWB_VERIFY_OK(read(QStringLiteral("shardId-000000000000")));
    KWB_VERIFY_ERROR(read(QStringLiteral("shardId-000000000000")), "ProvisionedThroughputExceededException", 400);
    for (int i = 0; i < 5; ++i)
        KWB_VERIFY_OK(read(QStringLiteral("shardId-000000000001")));
}

void TstSandboxReadLimits::limitsOffAndScaled()
{
    sandbox::SandboxOptions options;
    options.limitsEnabled = false;
    startOneShard(options);
    for (int i = 0; i < 20; ++i)
        KWB_VERIFY_OK(read());
    // Live: on again at twice the limits, 10 calls per second.
    m_sandbox.server->setLimitsEnabled(true);
    m_sandbox.server->setLimitScale(2.0);
    m_clock.advance(1000);
    int admitted = 0;
    for (int i = 0; i < 15; ++i)
        admitted += read().ok() ? 1 : 0;
    QCOMPARE(admitted, 10);
    // "Provoke throttling" scales everything down: one call per second.
    m_sandbox.server->setLimitScale(0.01);
    m_clock.advance(1000);
    KWB_VERIFY_OK(read());
    KWB_VERIFY_ERROR(read(), "ProvisionedThroughputExceededException", 400);
}

void TstSandboxReadLimits::limitsAreAdvertised()
{
    startOneShard();
    KWB_VERIFY_OK(read());
    const auto advertised = m_sandbox.client->advertisedLimits();
    QVERIFY(advertised.has_value());
    QCOMPARE(advertised->readsPerSecond, 5.0);
    QCOMPARE(advertised->readBytesPerSecond, 2.0 * 1024 * 1024);
    QCOMPARE(advertised->recordsPerSecond, 1000.0);
    m_sandbox.server->setLimitScale(0.2);
    m_clock.advance(1000);
    KWB_VERIFY_OK(read());
    QCOMPARE(m_sandbox.client->advertisedLimits()->readsPerSecond, 1.0);
    QCOMPARE(m_sandbox.client->advertisedLimits()->readBytesPerSecond, double(qRound64(0.2 * 2 * 1024 * 1024)));
}

void TstSandboxReadLimits::verifyReadsAgainAfterThrottles()
{
    // Send with Verify to a one-shard sandbox that allows 2 GetRecords calls per second (x0.4):
    // the read-backs are throttled and read again after a backoff, and every row is verified.
    sandbox::SandboxOptions options;
    options.limitScale = 0.4;
    options.initialStreams = {{QStringLiteral("one"), 1}};
    KWB_VERIFY_OK(m_sandbox.start(options)); // the real clock: the limits refill as time goes
    RecordStore store;
    for (int i = 0; i < 8; ++i)
        store.append(QStringLiteral("key-%1").arg(i).toUtf8(), QByteArray("data-") + QByteArray::number(i));
    send::SendResults results;
    results.resize(store.size());
    send::SendEngine engine(m_sandbox.client.get(), &store, &results);
    engine.setStream(QStringLiteral("one"));
    send::SendOptions o;
    o.verify = true;
    o.backoffBaseMs = 100;
    o.backoffCapMs = 1000;
    engine.setOptions(o);
    QSignalSpy finished(&engine, &send::SendEngine::finished);
    engine.sendAll();
    QVERIFY(finished.wait(60000));
    QCOMPARE(engine.counters().succeeded, qint64(8));
    QCOMPARE(engine.counters().verified, qint64(8));
    QCOMPARE(engine.counters().mismatched, qint64(0));
    for (int row = 0; row < results.size(); ++row)
        QCOMPARE(results.verifyState(row), send::VerifyState::Verified);
    QVERIFY(m_sandbox.server->stats().readsThrottled > 0); // the reads were throttled on the way
}

QTEST_GUILESS_MAIN(TstSandboxReadLimits)
#include "tst_sandbox_read_limits.moc"
