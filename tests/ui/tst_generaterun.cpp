// Generator runs against the built-in sandbox, as the Generate dock drives them: the live charts
// get a point each second while a run goes and stop with it; the records table keeps a window of
// the newest rows whatever the run's length, while the run's totals stay exact (checked against
// the sandbox's own count and an MD5 of every key computed here with QCryptographicHash, not the
// workbench's hashing); a ramp reaches its rates, measured as the sandbox takes the records.
#include "SandboxFixture.h"
#include "TestSupport.h"
#include "controllers/GenerateController.h"
#include "controllers/GenerateRowWindow.h"
#include "generate/RecordGenerator.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/GenerateCharts.h"
#include "views/GeneratePanel.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTimer>

#include <array>
#include <cmath>

using namespace kwb;
using Series = ui::GenerateCharts::Series;

class TstGenerateRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chartsFollowARunAndStopAtItsEnd();
    void tableKeepsAWindowAndTotalsStayExact();
    void rampReachesItsRates();
};

namespace {

double sumY(const QList<QPointF> &points)
{
    double sum = 0;
    for (const QPointF &p : points)
        sum += p.y();
    return sum;
}

} // namespace

void TstGenerateRun::chartsFollowARunAndStopAtItsEnd()
{
    test::SandboxFixture sandbox(QStringLiteral("gen"), 2);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.error));
    sandbox.server->setLatencyMs(20); // every answer at least 20 ms late: the latency the chart must show
    ui::GenerateController controller;
    controller.setClient(sandbox.client.get());
    ui::GeneratePanel panel;
    panel.setController(&controller);
    auto map = ShardMap::uniform(2);
    KWB_VERIFY_OK(map);
    panel.setShardMap(map.value(), QStringLiteral("gen"));
    panel.loadSample(QStringLiteral("clickstream"));
    panel.refreshNow();
    panel.findChild<QComboBox *>(QStringLiteral("generateEnd"))->setCurrentIndex(1); // seconds
    panel.findChild<QSpinBox *>(QStringLiteral("generateEndValue"))->setValue(4);
    panel.findChild<QSpinBox *>(QStringLiteral("generateRate"))->setValue(300);
    ui::GenerateCharts *charts = panel.charts();
    QVERIFY(charts);
    QVERIFY(charts->points(Series::Sent).isEmpty());

    QSignalSpy finished(&controller, &ui::GenerateController::finished);
    QVERIFY(panel.startRun());
    // A point a second while it goes, each second's records sent and succeeded.
    QTRY_VERIFY_WITH_TIMEOUT(charts->points(Series::Succeeded).size() >= 2, 10000);
    QVERIFY(charts->points(Series::Sent).size() == charts->points(Series::Succeeded).size());
    QVERIFY(sumY(charts->points(Series::Succeeded)) > 0);
    double slowest = 0;
    for (const QPointF &p : charts->points(Series::Latency))
        slowest = std::max(slowest, p.y());
    QVERIFY2(slowest >= 20, qPrintable(QString::number(slowest)));
    // One shard: part of the whole.
    charts->setShard(0);
    const double shard0 = sumY(charts->points(Series::Succeeded));
    charts->setShard(-1);
    QVERIFY2(shard0 > 0 && shard0 < sumY(charts->points(Series::Succeeded)), qPrintable(QString::number(shard0)));

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    const qint64 accepted = sandbox.server->stats().recordsAccepted;
    QCOMPARE(accepted, qint64(4 * 300));
    // Every record the sandbox took is in the charts' seconds, over all shards and shard by shard.
    QCOMPARE(qint64(sumY(charts->points(Series::Succeeded))), accepted);
    double perShard = 0;
    for (int shard : {0, 1}) {
        charts->setShard(shard);
        perShard += sumY(charts->points(Series::Succeeded));
    }
    QCOMPARE(qint64(perShard), accepted);
    charts->setShard(-1);
    // Stopped with the run: nothing moves any more.
    std::array<QList<QPointF>, 4> atEnd;
    for (Series s : {Series::Sent, Series::Succeeded, Series::Throttled, Series::Latency})
        atEnd[size_t(s)] = charts->points(s);
    QTest::qWait(2200);
    for (Series s : {Series::Sent, Series::Succeeded, Series::Throttled, Series::Latency})
        QCOMPARE(charts->points(s), atEnd[size_t(s)]);
    QVERIFY(atEnd[size_t(Series::Sent)].size() <= ui::GenerateCharts::windowSeconds());
}

void TstGenerateRun::tableKeepsAWindowAndTotalsStayExact()
{
    constexpr int kShards = 4;
    constexpr qint64 kRecords = 40000;
    constexpr int kWindow = 500;
    test::SandboxFixture sandbox(QStringLiteral("gen"), kShards);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.error));
    sandbox.server->setLimitsEnabled(false); // as fast as it goes: the run is long in records, not in time
    ui::Workspace workspace;
    ui::RecordsModel model(&workspace);
    ui::GenerateController controller;
    controller.setClient(sandbox.client.get());
    controller.setLimits(send::ShardLimits::sandbox(false, 1));
    controller.setWindowRows(kWindow);
    ui::GenerateRowWindow window(&controller, &workspace);

    // About 1 KiB a record: 40 MB go through the table's storage over the run.
    generate::GeneratorTemplates templates;
    templates.data = QStringLiteral("{\"n\": {{current.sequence}}, \"pad\": \"%1\"}").arg(QString(1000, QLatin1Char('x')));
    templates.key = QStringLiteral("{{random.uuid}}");
    constexpr quint64 kSeed = 99;
    auto generator = generate::RecordGenerator::create(templates, kSeed);
    KWB_VERIFY_OK(generator);
    // The keys the run will make, routed here by MD5 (the top two bits pick one of four even shards).
    auto again = generate::RecordGenerator::create(templates, kSeed);
    KWB_VERIFY_OK(again);
    std::array<qint64, kShards> expected{};
    QByteArray lastKey;
    QHash<QByteArray, qint64> indexOf;
    generate::GeneratedRecord record;
    for (qint64 i = 0; i < kRecords; ++i) {
        KWB_VERIFY_OK(again.value().next(0, record));
        indexOf.insert(record.partitionKey, i);
        const QByteArray md5 = QCryptographicHash::hash(record.partitionKey, QCryptographicHash::Md5);
        ++expected[size_t(quint8(md5[0]) >> 6)];
        lastKey = record.partitionKey;
    }

    generate::RateSchedule schedule;
    schedule.setRate(20000);
    schedule.setCount(kRecords);
    auto map = ShardMap::uniform(kShards);
    KWB_VERIFY_OK(map);
    int mostRows = 0;
    qint64 mostArena = 0;
    QTimer watch;
    watch.setInterval(5);
    connect(&watch, &QTimer::timeout, this, [&] {
        mostRows = std::max(mostRows, workspace.rowCount());
        mostArena = std::max(mostArena, workspace.store().arenaBytes());
    });
    watch.start();
    QSignalSpy finished(&controller, &ui::GenerateController::finished);
    KWB_VERIFY_OK(controller.start(std::move(generator.value()), schedule, QStringLiteral("gen"), map.value()));
    QVERIFY(workspace.isLocked()); // no edits or other sends while rows come and go
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    watch.stop();

    // The table: the newest rows, at most the window plus the chunks on their way.
    QVERIFY(!workspace.isLocked());
    QCOMPARE(workspace.rowCount(), kWindow);
    QCOMPARE(model.rowCount(), kWindow);
    QVERIFY2(mostRows <= kWindow + ui::GenerateController::kWindowChunks * 500, qPrintable(QString::number(mostRows)));
    QCOMPARE(workspace.store().partitionKeyUtf8(kWindow - 1).toByteArray(), lastKey);
    QCOMPARE(window.rowsDropped(), kRecords - kWindow);
    for (int row = 0; row < kWindow; ++row)
        QCOMPARE(workspace.results().status(row), send::RowStatus::Succeeded);
    // Storage does not grow with the run: what dropped rows leave behind is reclaimed.
    QVERIFY(window.compactions() > 0);
    QVERIFY2(mostArena <= 24 * 1024 * 1024, qPrintable(QString::number(mostArena)));

    // The totals cover every record of the run, exactly.
    const generate::RunStats &stats = controller.stats();
    QCOMPARE(sandbox.server->stats().recordsAccepted, kRecords);
    QCOMPARE(stats.totals().records, kRecords);
    QCOMPARE(stats.totals().succeeded, kRecords);
    QCOMPARE(stats.totals().failed, qint64(0));
    for (int shard = 0; shard < kShards; ++shard)
        QCOMPARE(stats.shardTotals(shard).succeeded, expected[size_t(shard)]);
}

void TstGenerateRun::rampReachesItsRates()
{
    test::SandboxFixture sandbox(QStringLiteral("gen"), 4);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.error));
    ui::GenerateController controller;
    controller.setClient(sandbox.client.get());
    controller.setLimits(send::ShardLimits::sandbox(true, 1));
    auto generator = generate::RecordGenerator::create({QStringLiteral("{\"t\": {{random.number(9)}}}"), {}, {}, {}}, 5);
    KWB_VERIFY_OK(generator);
    // 200/s rising to 1,200/s over 4 s, then 1,200/s: 2,800 records in the ramp, 5,200 in 6 s.
    generate::RateSchedule schedule;
    schedule.setRamp({200, 1200, 4});
    schedule.setDuration(6);
    auto map = ShardMap::uniform(4);
    KWB_VERIFY_OK(map);
    // The sandbox's count of records taken, watched every few milliseconds.
    std::vector<std::pair<qint64, qint64>> taken; // ms since start, records
    QElapsedTimer clock;
    QTimer watch;
    watch.setInterval(10);
    connect(&watch, &QTimer::timeout, this,
            [&] { taken.emplace_back(clock.elapsed(), sandbox.server->stats().recordsAccepted); });
    QSignalSpy finished(&controller, &ui::GenerateController::finished);
    clock.start();
    watch.start();
    KWB_VERIFY_OK(controller.start(std::move(generator.value()), schedule, QStringLiteral("gen"), map.value()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    watch.stop();
    QCOMPARE(sandbox.server->stats().recordsAccepted, qint64(5200));
    const auto takenBy = [&](qint64 ms) {
        qint64 n = 0;
        for (const auto &[at, records] : taken)
            if (at <= ms)
                n = records;
        return n;
    };
    // Worked out from the ramp by hand: second k takes 200 + 1000 * (k + 0.5) / 4 while rising.
    const qint64 perSecond[] = {325, 575, 825, 1075, 1200, 1200};
    QStringList measured;
    for (int k = 0; k < 6; ++k)
        measured << QString::number(takenBy((k + 1) * 1000) - takenBy(k * 1000));
    for (int k = 0; k < 6; ++k) {
        const qint64 got = measured[k].toLongLong();
        const double tolerance = 0.15 * double(perSecond[k]) + 30;
        QVERIFY2(std::abs(double(got - perSecond[k])) <= tolerance,
                 qPrintable(QStringLiteral("second %1: %2 records, asked %3 (all: %4)")
                                .arg(k)
                                .arg(got)
                                .arg(perSecond[k])
                                .arg(measured.join(QLatin1Char(' ')))));
    }
}

QTEST_MAIN(TstGenerateRun)
#include "tst_generaterun.moc"
