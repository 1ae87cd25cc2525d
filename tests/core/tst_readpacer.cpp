// core/stream's ReadPacer: when a shard's next GetRecords call may go. The bounds are AWS's
// documented read quotas (5 calls and 2 MiB per second per shard) and the KCL's habit of one
// call a second once caught up; the times are computed here from them, not taken from the code.
#include "stream/ReadPacer.h"

#include <QTest>

using kwb::stream::ReadLimits;
using kwb::stream::ReadPacer;

class TstReadPacer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void neverMoreThanTheCallLimitInOneSecond();
    void afterAnAnswer_data();
    void afterAnAnswer();
    void backoffDoublesUpToTheCap();
};

void TstReadPacer::neverMoreThanTheCallLimitInOneSecond()
{
    // A reader far behind (MillisBehindLatest > 0) calls as soon as it may: over 10 simulated
    // seconds, no one-second span (as the service counts, plus the margin) holds more than 5.
    ReadLimits limits;
    ReadPacer pacer(limits);
    std::vector<qint64> calls;
    qint64 now = 0;
    while (now < 10000) {
        pacer.noteCall(now);
        calls.push_back(now);
        now += 20; // the answer's time on the way
        now += pacer.delayAfterAnswer(now, 1000, true, 60000);
    }
    for (size_t i = 5; i < calls.size(); ++i)
        QVERIFY2(calls[i] - calls[i - 5] >= 1000 + limits.marginMs, qPrintable(QString::number(i)));
    // And it does use them: about 5 a second, less the margin.
    QVERIFY2(calls.size() >= 45, qPrintable(QString::number(calls.size())));
}

void TstReadPacer::afterAnAnswer_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<bool>("full");
    QTest::addColumn<qint64>("behindMs");
    QTest::addColumn<qint64>("delay");
    // One call so far at t=0, the answer at t=100. 100 bytes at 2 MiB/s: 0.05 ms, rounded up to 1.
    QTest::newRow("caught up: idle 1 s") << qint64(100) << false << qint64(0) << qint64(1000);
    QTest::newRow("behind: at once") << qint64(100) << false << qint64(5000) << qint64(1);
    QTest::newRow("full answer, emulator says 0: at once") << qint64(100) << true << qint64(0) << qint64(1);
    QTest::newRow("4 MiB behind: 2 s to pay") << qint64(4 * 1024 * 1024) << true << qint64(5000) << qint64(2000);
    QTest::newRow("1 MiB caught up: idle wins") << qint64(1024 * 1024) << false << qint64(0) << qint64(1000);
    QTest::newRow("3 MiB caught up: bytes win") << qint64(3 * 1024 * 1024) << false << qint64(0) << qint64(1500);
}

void TstReadPacer::afterAnAnswer()
{
    QFETCH(qint64, bytes);
    QFETCH(bool, full);
    QFETCH(qint64, behindMs);
    QFETCH(qint64, delay);
    ReadPacer pacer;
    pacer.noteCall(0);
    QCOMPARE(pacer.delayAfterAnswer(100, bytes, full, behindMs), delay);
}

void TstReadPacer::backoffDoublesUpToTheCap()
{
    ReadLimits limits;
    limits.backoffBaseMs = 200;
    limits.backoffCapMs = 5000;
    ReadPacer pacer(limits);
    // With the largest draw (just under 1): 200, 400, 800, ... up to the 5 s cap.
    const qint64 expected[] = {199, 399, 799, 1599, 3199, 4999, 4999};
    for (qint64 e : expected)
        QCOMPARE(pacer.delayAfterFailure(0, 0.9999), e);
    QCOMPARE(pacer.failuresInRow(), 7);
    QCOMPARE(pacer.delayAfterAnswer(0, 0, false, 0), qint64(limits.idleMs)); // an answer resets it
    QCOMPARE(pacer.failuresInRow(), 0);
    QCOMPARE(pacer.delayAfterFailure(0, 0.0), qint64(0));
    // The backoff never lets a call through sooner than the call limit.
    ReadPacer busy(limits);
    for (int i = 0; i < 5; ++i)
        busy.noteCall(i * 10);
    QCOMPARE(busy.delayAfterFailure(50, 0.0), qint64(1000 + limits.marginMs - 50));
}

QTEST_GUILESS_MAIN(TstReadPacer)
#include "tst_readpacer.moc"
