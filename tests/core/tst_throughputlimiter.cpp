// The sandbox's per-shard write limits, checked against a count done here: no one-second span
// ever holds more than the limits (AWS: 1,000 records and 1 MiB per shard per second), and a
// steady sender under the limits is never throttled, whatever the phase of the clock's seconds.
#include "sandbox/ThroughputLimiter.h"

#include <QRandomGenerator>
#include <QTest>

#include <deque>

using namespace kwb::sandbox;

class TstThroughputLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noSecondHoldsMoreThanTheLimit_data();
    void noSecondHoldsMoreThanTheLimit();
    void steadySenderUnderTheLimitIsNeverThrottled_data();
    void steadySenderUnderTheLimitIsNeverThrottled();
    void bytesCount();
};

void TstThroughputLimiter::noSecondHoldsMoreThanTheLimit_data()
{
    QTest::addColumn<qint64>("start");
    QTest::newRow("on a second") << qint64(1764100000000);
    QTest::newRow("mid second") << qint64(1764100000500);
    QTest::newRow("just before") << qint64(1764100000990);
}

void TstThroughputLimiter::noSecondHoldsMoreThanTheLimit()
{
    // A sender that tries 5 records every millisecond for 5 s.
    QFETCH(qint64, start);
    const ThroughputLimiter limiter(true, 1.0);
    ThroughputWindow window;
    std::deque<qint64> accepted; // times, to count every 1,000 ms span here
    qint64 total = 0;
    for (qint64 t = start; t < start + 5000; ++t) {
        for (int k = 0; k < 5; ++k) {
            if (!limiter.admit(window, t, 10))
                continue;
            accepted.push_back(t);
            ++total;
        }
        while (!accepted.empty() && t - accepted.front() >= 1000)
            accepted.pop_front();
        QVERIFY2(accepted.size() <= 1000, qPrintable(QStringLiteral("%1 records in the second before %2").arg(accepted.size()).arg(t)));
    }
    // Aligned windows let 2,000 through across a boundary; a sliding second lets ~5,000 in 5 s.
    QVERIFY2(total >= 4900 && total <= 5000, qPrintable(QString::number(total)));
}

void TstThroughputLimiter::steadySenderUnderTheLimitIsNeverThrottled_data()
{
    QTest::addColumn<int>("perSecond");
    QTest::newRow("99 %") << 990;
    QTest::newRow("95 %") << 950;
}

void TstThroughputLimiter::steadySenderUnderTheLimitIsNeverThrottled()
{
    // Requests of 33 records (one shard's share of a 500-record request on 15 shards), evenly
    // spaced, starting at a random phase of the clock's second.
    QFETCH(int, perSecond);
    const ThroughputLimiter limiter(true, 1.0);
    ThroughputWindow window;
    const qint64 start = 1764100000000 + QRandomGenerator::global()->bounded(1000);
    const double every = 33.0 * 1000.0 / perSecond;
    int throttled = 0;
    for (int request = 0; request < 300; ++request) {
        const qint64 t = start + qint64(request * every);
        for (int k = 0; k < 33; ++k)
            throttled += limiter.admit(window, t, 100) ? 0 : 1;
    }
    QCOMPARE(throttled, 0);
}

void TstThroughputLimiter::bytesCount()
{
    const ThroughputLimiter limiter(true, 1.0);
    ThroughputWindow window;
    // Twenty 50,000-byte records fit in 1 MiB (1,000,000 <= 1,048,576); the 21st does not.
    for (int i = 0; i < 20; ++i)
        QVERIFY(limiter.admit(window, 100 + i, 50000));
    QVERIFY(!limiter.admit(window, 500, 50000));
    QVERIFY(limiter.admit(window, 500, 48576)); // exactly to the limit
    QVERIFY(!limiter.admit(window, 1099, 1));
    QVERIFY(limiter.admit(window, 1100, 50000)); // the first record left the window
    // Scaled down to 1/100 (10,486 bytes/s): a 50,000-byte record goes alone into an empty window.
    const ThroughputLimiter small(true, 0.01);
    ThroughputWindow w2;
    QVERIFY(small.admit(w2, 0, 50000));
    QVERIFY(!small.admit(w2, 500, 1));
    QVERIFY(small.admit(w2, 1000, 50000));
}

QTEST_GUILESS_MAIN(TstThroughputLimiter)
#include "tst_throughputlimiter.moc"
