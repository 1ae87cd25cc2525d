// FlowController with a fake clock: what it lets through is counted here, independently, in
// every one-second span (as the sandbox and AWS count a shard's writes) and over whole runs.
#include "send/FlowController.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <deque>

using namespace kwb;
using namespace kwb::send;

namespace {

/// The most records (or bytes) any span of `spanMs` held, for events at whole milliseconds.
qint64 busiestSpan(const std::vector<std::pair<qint64, qint64>> &events, qint64 spanMs)
{
    qint64 best = 0;
    qint64 sum = 0;
    size_t tail = 0;
    for (size_t head = 0; head < events.size(); ++head) {
        sum += events[head].second;
        while (events[head].first - events[tail].first >= spanMs)
            sum -= events[tail++].second;
        best = std::max(best, sum);
    }
    return best;
}

/// A shard that accepts at most `limit` records in any one-second span (the test's own count).
struct CountingShard
{
    qint64 limit;
    std::deque<qint64> accepted;
    bool accept(qint64 t)
    {
        while (!accepted.empty() && t - accepted.front() >= 1000)
            accepted.pop_front();
        if (qint64(accepted.size()) >= limit)
            return false;
        accepted.push_back(t);
        return true;
    }
};

} // namespace

class TstFlowController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void steadyPaceNeverOverfillsASecond_data();
    void steadyPaceNeverOverfillsASecond();
    void bytesLimitBinds();
    void throttleSlowsTheShardThenItRecovers();
    void explicitRateWins();
    void learnsUnknownLimits();
    void requestsInFlightFollowLatency();
    void sharedSlotsSignalWhenFreed();
    void limitsOfTargets();
    void unlimitedAndOffDoNotPace();
    void newLimitsKeepWhatTheLastSecondTook();
};

void TstFlowController::steadyPaceNeverOverfillsASecond_data()
{
    QTest::addColumn<double>("recordsPerSecond");
    QTest::newRow("AWS: 1,000/s") << 1000.0;
    QTest::newRow("sandbox at 1/100: 10/s") << 10.0;
    QTest::newRow("sandbox at 1/4: 250/s") << 250.0;
}

void TstFlowController::steadyPaceNeverOverfillsASecond()
{
    QFETCH(double, recordsPerSecond);
    qint64 now = 1000;
    FlowController flow;
    flow.setClock([&] { return now; });
    ShardLimits limits;
    limits.recordsPerSecond = recordsPerSecond;
    flow.setLimits(limits);
    flow.setShardCount(2);
    QVERIFY(flow.paces());
    // A sender with endless records for shard 1 asks every millisecond for 20 s.
    std::vector<std::pair<qint64, qint64>> taken;
    for (; now < 21000; ++now)
        while (flow.tryTake(1, 100))
            taken.push_back({now, 1});
    // Any one-second span holds at most the limit even if requests arrive 20 ms closer
    // together than they were sent.
    QVERIFY2(busiestSpan(taken, 1020) <= qint64(recordsPerSecond), qPrintable(QString::number(busiestSpan(taken, 1020))));
    // ...and the shard is kept at 95 % of its limit or more over the run.
    const double rate = double(taken.size()) / 20.0;
    QVERIFY2(rate >= 0.95 * recordsPerSecond, qPrintable(QString::number(rate)));
    QVERIFY(rate <= recordsPerSecond);
    // The idle shard still has its budget.
    QVERIFY(flow.tryTake(0, 100));
}

void TstFlowController::bytesLimitBinds()
{
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setShardCount(1);
    constexpr qint64 kRecord = 50 * 1000;
    std::vector<std::pair<qint64, qint64>> taken;
    for (; now < 20000; ++now)
        while (flow.tryTake(0, kRecord))
            taken.push_back({now, kRecord});
    QVERIFY(busiestSpan(taken, 1020) <= 1024 * 1024);
    // Whole records: 20 of 50,000 bytes fit in a second's 1,048,576; the 21st would not.
    const double recordsPerSecond = double(taken.size()) / 20.0;
    QVERIFY2(recordsPerSecond >= 0.95 * 20, qPrintable(QString::number(recordsPerSecond)));
    // A record over a whole second's bytes still goes (alone), so nothing waits forever.
    FlowController small;
    small.setClock([&] { return now; });
    small.setLimits(ShardLimits::sandbox(true, 0.01)); // 10,486 bytes/s
    small.setShardCount(1);
    int big = 0;
    for (const qint64 end = now + 5000; now < end; ++now)
        big += small.tryTake(0, kRecord) ? 1 : 0;
    QVERIFY2(big >= 1 && big <= 5, qPrintable(QString::number(big)));
}

void TstFlowController::throttleSlowsTheShardThenItRecovers()
{
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setShardCount(2);
    const double full = flow.shardRecordRate(0);
    QVERIFY(full > 950 && full < 1000);
    flow.recordThrottled(0);
    QCOMPARE(flow.shardRecordRate(0), full * 0.7);
    QCOMPARE(flow.shardRecordRate(1), full); // the other shard is not touched
    {
        // The slower shard's window: over the next 300 ms (while it climbs back from 70 % to
        // 85 %) it takes at most 85 % of a second's budget, its start burst included, and less
        // than shard 1.
        FlowController probe;
        qint64 t = 0;
        probe.setClock([&] { return t; });
        probe.setShardCount(2);
        probe.recordThrottled(0);
        int slow = 0;
        int fast = 0;
        for (; t < 300; ++t) {
            while (probe.tryTake(0, 10))
                ++slow;
            while (probe.tryTake(1, 10))
                ++fast;
        }
        QVERIFY2(slow <= 850 && slow < fast, qPrintable(QStringLiteral("%1 vs %2").arg(slow).arg(fast)));
    }
    // More throttles of the same burst (within a round trip) are one signal.
    now += 10;
    flow.recordThrottled(0);
    QVERIFY2(flow.shardRecordRate(0) < full * 0.71, qPrintable(QString::number(flow.shardRecordRate(0))));
    // Back to the full pace within kRecoverMs.
    now += qint64(FlowController::kRecoverMs);
    QVERIFY(flow.msUntilReady(0, 10) == 0);
    QVERIFY(flow.tryTake(0, 10));
    QCOMPARE(flow.shardRecordRate(0), full);
}

void TstFlowController::explicitRateWins()
{
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setShardCount(1);
    flow.setRatePercent(10); // 100 records/s
    int burst = 0;
    while (flow.tryTake(0, 10))
        ++burst;
    QVERIFY2(burst <= 10, qPrintable(QString::number(burst))); // 100 ms of the budget
    int taken = burst;
    for (; now < 10000; ++now)
        while (flow.tryTake(0, 10))
            ++taken;
    QVERIFY2(taken >= 900 && taken <= 1010, qPrintable(QString::number(taken)));
    // A throttle does not change an explicit rate.
    const double before = flow.shardRecordRate(0);
    flow.recordThrottled(0);
    QCOMPARE(flow.shardRecordRate(0), before);
    // 0.5 %: fractions are allowed.
    flow.setRatePercent(0.5);
    QCOMPARE(flow.ratePercent(), 0.5);
    QVERIFY(flow.shardRecordRate(0) < 5.0 && flow.shardRecordRate(0) > 4.5);
}

void TstFlowController::learnsUnknownLimits()
{
    // An endpoint that takes 50 records/s per shard where AWS takes 1,000.
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setLimits(ShardLimits::forEndpoint(QUrl(QStringLiteral("http://127.0.0.1:4567"))));
    QVERIFY(!flow.limits().known);
    flow.setShardCount(1);
    CountingShard shard{50, {}};
    qint64 lateAccepted = 0;
    qint64 lateThrottled = 0;
    qint64 throttled = 0;
    for (; now < 60000; ++now) {
        while (flow.tryTake(0, 10)) {
            const bool ok = shard.accept(now);
            ok ? flow.recordAccepted(0) : flow.recordThrottled(0);
            throttled += ok ? 0 : 1;
            if (now >= 40000)
                (ok ? lateAccepted : lateThrottled) += 1;
        }
    }
    // Learned: the last 20 s run near the real limit with few throttles.
    QVERIFY2(lateAccepted >= 20 * 50 * 0.8, qPrintable(QString::number(lateAccepted)));
    QVERIFY2(lateThrottled <= lateAccepted / 10, qPrintable(QStringLiteral("%1 throttled, %2 accepted").arg(lateThrottled).arg(lateAccepted)));
    QVERIFY(flow.shardRecordRate(0) < 100);
}

void TstFlowController::requestsInFlightFollowLatency()
{
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setShardCount(16); // 16,000 records/s
    QCOMPARE(flow.maxInFlight(), 4);
    // 200 ms a request: 16,000 records/s need at least 16,000 x 0.2 / 500 = 6.4 full requests
    // in flight, and more as requests are smaller (one per 20 ms tick: 10 in 200 ms).
    for (int i = 0; i < 30; ++i) {
        flow.requestStarted();
        flow.requestFinished(200, 320);
    }
    QVERIFY2(flow.maxInFlight() >= 10, qPrintable(QString::number(flow.maxInFlight())));
    QVERIFY(flow.maxInFlight() <= 128);
    for (int i = 0; i < 30; ++i) {
        flow.requestStarted();
        flow.requestFinished(1, 320);
    }
    QCOMPARE(flow.maxInFlight(), 4);
    flow.setConcurrency(2); // explicit wins
    QCOMPARE(flow.maxInFlight(), 2);
}

void TstFlowController::sharedSlotsSignalWhenFreed()
{
    FlowController flow;
    flow.setConcurrency(2);
    QSignalSpy freed(&flow, &FlowController::slotFreed);
    flow.requestStarted(); // engine A
    QVERIFY(flow.mayStartRequest());
    flow.requestStarted(); // engine B
    QVERIFY(!flow.mayStartRequest());
    flow.requestFinished(5, 1);
    QCOMPARE(freed.count(), 1);
    QVERIFY(flow.mayStartRequest());
    QCOMPARE(flow.inFlight(), 1);
}

void TstFlowController::limitsOfTargets()
{
    const ShardLimits aws = ShardLimits::forEndpoint(QUrl(QStringLiteral("https://kinesis.eu-west-1.amazonaws.com")));
    QVERIFY(aws.known);
    QCOMPARE(aws.recordsPerSecond, 1000.0);
    QCOMPARE(aws.bytesPerSecond, 1048576.0);
    QVERIFY(ShardLimits::forEndpoint(QUrl(QStringLiteral("https://kinesis.cn-north-1.amazonaws.com.cn"))).known);
    QVERIFY(!ShardLimits::forEndpoint(QUrl(QStringLiteral("http://localhost:4567"))).known);
    // The sandbox's limits round as ThroughputLimiter does: 1/100 is 10 records and 10,486 bytes.
    const ShardLimits hundredth = ShardLimits::sandbox(true, 0.01);
    QVERIFY(hundredth.known);
    QCOMPARE(hundredth.recordsPerSecond, 10.0);
    QCOMPARE(hundredth.bytesPerSecond, 10486.0);
    QVERIFY(ShardLimits::sandbox(false, 1).unlimited);
    QCOMPARE(aws.describe(), QStringLiteral("1,000 records/s and 1 MiB/s per shard"));
    QCOMPARE(hundredth.describe(), QStringLiteral("10 records/s and 10.2 KiB/s per shard"));
}

void TstFlowController::unlimitedAndOffDoNotPace()
{
    FlowController flow;
    flow.setShardCount(4);
    flow.setLimits(ShardLimits::sandbox(false, 1));
    QVERIFY(!flow.paces());
    for (int i = 0; i < 100000; ++i)
        QVERIFY(flow.tryTake(0, 100));
    flow.setLimits(ShardLimits::documented());
    QVERIFY(flow.paces());
    flow.setPacingEnabled(false);
    QVERIFY(!flow.paces());
    flow.setPacingEnabled(true);
    flow.setShardCount(0); // no map
    QVERIFY(!flow.paces());
}

void TstFlowController::newLimitsKeepWhatTheLastSecondTook()
{
    // A run starts with assumed limits; the first answer says what they really are (the same
    // numbers, now known). What the shard took meanwhile still counts: no second start burst.
    qint64 now = 0;
    FlowController flow;
    flow.setClock([&] { return now; });
    flow.setLimits(ShardLimits::unknown());
    flow.setShardCount(1);
    std::vector<std::pair<qint64, qint64>> taken;
    for (; now < 3000; ++now) {
        if (now == 50)
            flow.setLimits(ShardLimits::advertised(true, 1000, 1048576));
        while (flow.tryTake(0, 100))
            taken.push_back({now, 1});
    }
    QVERIFY(flow.limits().known);
    QVERIFY2(busiestSpan(taken, 1020) <= 1000, qPrintable(QString::number(busiestSpan(taken, 1020))));
    // Lowered live (Provoke throttling): the next second holds no more than the new limit
    // beyond what was already in the window.
    flow.setLimits(ShardLimits::sandbox(true, 0.01));
    int after = 0;
    for (const qint64 end = now + 3000; now < end; ++now)
        while (flow.tryTake(0, 100))
            ++after;
    QVERIFY2(after <= 30 + 10, qPrintable(QString::number(after)));
}

QTEST_GUILESS_MAIN(TstFlowController)
#include "tst_flowcontroller.moc"
