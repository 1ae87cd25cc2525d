// WorkspaceStats counted by StatsController over the live workspace, a slice of rows per
// event-loop turn: records and bytes per shard against a count made here from the hash keys and
// the shards' ranges, and a count that starts over when rows or routing change under it.
#include "controllers/StatsController.h"
#include "models/Workspace.h"

#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

namespace {

constexpr int kRows = 200000;
const QString kThrottled = QStringLiteral("ProvisionedThroughputExceededException");

RecordStore makeStore(int rows, const char *prefix = "user-")
{
    RecordStore store;
    store.reserve(rows);
    for (int i = 0; i < rows; ++i)
        store.append(QByteArray(prefix) + QByteArray::number(i), QByteArray("{\"n\":") + QByteArray::number(i * 7) + '}');
    return store;
}

/// What the counts should be, worked out without WorkspaceStats, RowCells or
/// ShardMap::openIndexFor: each row's hash key against every shard's own range.
struct Expected
{
    std::vector<qint64> shardRecords;
    std::vector<qint64> shardBytes;
    qint64 records = 0;
    qint64 bytes = 0;
};

Expected countByHand(const Workspace &ws, int shardCount)
{
    const ShardMap map = ShardMap::uniform(shardCount).value();
    Expected out;
    out.shardRecords.assign(size_t(shardCount), 0);
    out.shardBytes.assign(size_t(shardCount), 0);
    const RecordStore &store = ws.store();
    for (int row = 0; row < store.size(); ++row) {
        const UInt128 hash = store.hashKey(row);
        const qint64 size = store.partitionKeyUtf8(row).size() + store.data(row).size();
        int shard = -1;
        for (int i = 0; i < shardCount; ++i) {
            const Shard &s = map.openShard(i);
            if (s.startingHashKey <= hash && hash <= s.endingHashKey) {
                shard = i;
                break;
            }
        }
        if (shard < 0) // cannot count it: the comparison below fails on the totals
            continue;
        ++out.shardRecords[size_t(shard)];
        out.shardBytes[size_t(shard)] += size;
        ++out.records;
        out.bytes += size;
    }
    return out;
}

/// Compares the per-shard and total counts; empty when equal, else what differs.
QString differences(const WorkspaceStats &stats, const Expected &expected)
{
    QStringList out;
    if (stats.shardRecords.size() != expected.shardRecords.size() || stats.shardBytes.size() != expected.shardBytes.size())
        return QStringLiteral("%1 shards counted, %2 expected").arg(stats.shardRecords.size()).arg(expected.shardRecords.size());
    for (size_t i = 0; i < expected.shardRecords.size(); ++i) {
        if (stats.shardRecords[i] != expected.shardRecords[i] || stats.shardBytes[i] != expected.shardBytes[i])
            out << QStringLiteral("shard %1: %2 records, %3 bytes (expected %4, %5)")
                       .arg(i)
                       .arg(stats.shardRecords[i])
                       .arg(stats.shardBytes[i])
                       .arg(expected.shardRecords[i])
                       .arg(expected.shardBytes[i]);
    }
    if (stats.records != expected.records || stats.bytes != expected.bytes)
        out << QStringLiteral("total: %1 records, %2 bytes (expected %3, %4)")
                   .arg(stats.records)
                   .arg(stats.bytes)
                   .arg(expected.records)
                   .arg(expected.bytes);
    return out.join(QLatin1String("; "));
}

/// Starts a count and returns true once it is under way with rows left for later slices (the
/// first slice runs within updateNow(), for StatsController::kSliceMs). kRows take more than
/// one slice on the machines this was written on (about 7 ms of counting); on a machine fast
/// enough to count them in one, rows are added until one slice is not enough. Statistics of
/// counts that finished at once are dropped from `spy`.
bool startSlicedCount(Workspace &ws, StatsController &controller, QSignalSpy &spy)
{
    for (int doublings = 0;; ++doublings) {
        controller.updateNow();
        if (controller.isBusy()) {
            spy.clear();
            return true;
        }
        if (doublings == 3)
            return false;
        ws.appendRecords(makeStore(ws.rowCount(), QStringLiteral("more-%1-").arg(doublings).toUtf8().constData()));
    }
}

} // namespace

class TstWorkspaceStats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void independentCountInSlices();
    void changeWhileCountingStartsOver_data();
    void changeWhileCountingStartsOver();
};

void TstWorkspaceStats::independentCountInSlices()
{
    Workspace ws;
    ws.loadRecords(makeStore(kRows));
    ws.setVirtualShardCount(7); // ranges that do not split on round numbers
    // Some outcomes, so the state counts are not all "pending".
    qint64 succeeded = 0, throttled = 0;
    for (int row = 0; row < kRows; row += 1000) {
        ws.mutableResults().markSucceeded(row, QStringLiteral("shardId-000000000000"), QString::number(row + 1));
        ws.mutableResults().markFailed(row + 1, kThrottled, QStringLiteral("Rate exceeded"), true);
        ++succeeded;
        ++throttled;
    }

    StatsController controller(&ws);
    QSignalSpy changed(&controller, &StatsController::statsChanged);
    // The first slice ran at once and did not get through the rows: the rest follows in later
    // turns of the event loop.
    QVERIFY(startSlicedCount(ws, controller, changed));
    const Expected expected = countByHand(ws, 7);
    QCOMPARE(expected.records, qint64(ws.rowCount())); // every row in exactly one range
    for (qint64 n : expected.shardRecords)
        QVERIFY(n > 0);
    QCOMPARE(changed.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 30000);
    QVERIFY(!controller.isBusy());

    const WorkspaceStats &stats = controller.stats();
    QCOMPARE(differences(stats, expected), QString());
    QCOMPARE(changed.at(0).at(0).value<WorkspaceStats>().shardRecords, stats.shardRecords);
    QCOMPARE(stats.structureVersion, ws.structureVersion());
    QCOMPARE(stats.succeeded, succeeded);
    QCOMPARE(stats.throttled, throttled);
    QCOMPARE(stats.failed, throttled);
    QCOMPARE(stats.pending, ws.rowCount() - succeeded - throttled);
    QCOMPARE(stats.invalid, qint64(0));
    QCOMPARE(stats.errorCodes.value(kThrottled), throttled);
    QCOMPARE(stats.errorCodes.size(), 1);
}

enum class Change { Append, InsertAtTop, Remove, EditCountedRow, ShardCount };

void TstWorkspaceStats::changeWhileCountingStartsOver_data()
{
    QTest::addColumn<int>("change");
    QTest::addColumn<int>("shardsAfter");
    QTest::addColumn<int>("rowsAdded");
    QTest::newRow("rows appended") << int(Change::Append) << 7 << 5000;
    QTest::newRow("rows inserted at the top") << int(Change::InsertAtTop) << 7 << 300;
    QTest::newRow("rows removed") << int(Change::Remove) << 7 << -300;
    QTest::newRow("counted row edited") << int(Change::EditCountedRow) << 7 << 0;
    QTest::newRow("shard map changed") << int(Change::ShardCount) << 13 << 0;
}

void TstWorkspaceStats::changeWhileCountingStartsOver()
{
    QFETCH(int, change);
    QFETCH(int, shardsAfter);
    QFETCH(int, rowsAdded);
    Workspace ws;
    ws.loadRecords(makeStore(kRows));
    ws.setVirtualShardCount(7);
    StatsController controller(&ws);
    QSignalSpy changed(&controller, &StatsController::statsChanged);
    QVERIFY(startSlicedCount(ws, controller, changed));
    const Expected before = countByHand(ws, 7);
    const int rowsAfter = ws.rowCount() + rowsAdded;

    // Changed between two slices of the count.
    switch (Change(change)) {
    case Change::Append:
        QVERIFY(ws.appendRecords(makeStore(5000, "appended-")));
        break;
    case Change::InsertAtTop: {
        std::vector<RowContent> rows;
        for (int i = 0; i < 300; ++i)
            rows.push_back(RowContent{QByteArray("inserted-") + QByteArray::number(i), QByteArray(100 + i, 'x'), std::nullopt, {}});
        QVERIFY(ws.insertRows(0, std::move(rows)));
        break;
    }
    case Change::Remove: {
        std::vector<int> rows;
        for (int i = 0; i < 300; ++i)
            rows.push_back(i);
        QVERIFY(ws.removeRows(std::move(rows)));
        break;
    }
    case Change::EditCountedRow: {
        // Row 0 was counted in the first slice: give it a longer key that lands on another shard.
        const ShardMap map = ShardMap::uniform(7).value();
        const auto shardOf = [&](UInt128 hash) {
            for (int i = 0; i < map.openShardCount(); ++i)
                if (map.openShard(i).startingHashKey <= hash && hash <= map.openShard(i).endingHashKey)
                    return i;
            return -1;
        };
        QByteArray key;
        for (int i = 0; key.isEmpty() || shardOf(hashPartitionKey(key)) == shardOf(ws.store().hashKey(0)); ++i)
            key = QByteArray("moved-elsewhere-") + QByteArray::number(i);
        QVERIFY(ws.setPartitionKey(0, QString::fromUtf8(key)));
        break;
    }
    case Change::ShardCount:
        ws.setVirtualShardCount(13);
        break;
    }
    QCOMPARE(ws.rowCount(), rowsAfter);

    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 30000);
    // The first result already counts the new state: the count under way was dropped.
    QCOMPARE(changed.size(), 1);
    QVERIFY(!controller.isBusy());
    const Expected after = countByHand(ws, shardsAfter);
    // The change shows in the counts: a result for the rows as they were would not pass.
    QVERIFY(after.shardRecords != before.shardRecords || after.shardBytes != before.shardBytes);
    QCOMPARE(differences(controller.stats(), after), QString());
    QCOMPARE(controller.stats().structureVersion, ws.structureVersion());
    QCOMPARE(controller.stats().pending, qint64(rowsAfter));
}

QTEST_MAIN(TstWorkspaceStats)
#include "tst_workspacestats.moc"
