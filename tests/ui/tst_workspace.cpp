// Workspace: the document behind the table. Edits, inserts and removals through the undo stack
// (row numbers, outcomes and typed explicit hash keys come back on undo), large removals undone
// from a copy, bulk loads, routing.
#include "models/Workspace.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace kwb;
using namespace kwb::ui;

namespace {

RecordStore makeStore(int rows)
{
    RecordStore store;
    for (int i = 0; i < rows; ++i)
        store.append(QStringLiteral("k%1").arg(i).toUtf8(), QStringLiteral("d%1").arg(i).toUtf8());
    return store;
}

QStringList keys(const Workspace &ws)
{
    QStringList out;
    for (int r = 0; r < ws.rowCount(); ++r)
        out << ws.store().partitionKey(r);
    return out;
}

} // namespace

class TstWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadReplacesEverything();
    void badExplicitHashKeyIsKeptAndFollowsRows();
    void removeAndUndoRestoresOutcomesAndNumbers();
    void undoneRemovalKeepsAttemptHistory();
    void largeRemovalUndoesFromACopy();
    void scatteredRemovalResets();
    void appendKeepsNumbering();
    void bigBlocksAvoidMovingEveryRow();
    void routing();
};

void TstWorkspace::loadReplacesEverything()
{
    Workspace ws;
    QSignalSpy reset(&ws, &Workspace::wasReset);
    ws.loadRecords(makeStore(3));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(ws.rowCount(), 3);
    QCOMPARE(ws.results().size(), 3);
    QVERIFY(ws.setPartitionKey(0, QStringLiteral("x")));
    QCOMPARE(ws.undoStack()->count(), 1);
    ws.loadRecords(makeStore(2));
    QCOMPARE(ws.undoStack()->count(), 0); // a load is not undoable
    QCOMPARE(ws.rowId(1), 1);
    QVERIFY(!ws.setPartitionKey(0, QStringLiteral("k0"))); // unchanged: no undo entry
}

void TstWorkspace::badExplicitHashKeyIsKeptAndFollowsRows()
{
    Workspace ws;
    ws.loadRecords(makeStore(4));
    QVERIFY(ws.setExplicitHashKeyText(2, QStringLiteral("-5")));
    QVERIFY(ws.hasBadExplicitHashKey(2));
    QVERIFY(!ws.store().hasExplicitHashKey(2));
    QCOMPARE(ws.issue(2), RowIssue::BadExplicitHashKey);
    QVERIFY(ws.removeRows({0}));
    QVERIFY(ws.hasBadExplicitHashKey(1));
    QCOMPARE(ws.badExplicitHashKey(1), QStringLiteral("-5"));
    QVERIFY(ws.insertRows(0, {RowContent{"a", "b", std::nullopt, {}}, RowContent{"c", "d", std::nullopt, {}}}));
    QVERIFY(ws.hasBadExplicitHashKey(3));
    QVERIFY(ws.undo());
    QVERIFY(ws.undo());
    QVERIFY(ws.hasBadExplicitHashKey(2));
    QVERIFY(ws.setExplicitHashKeyText(2, QStringLiteral(" 17 ")));
    QVERIFY(!ws.hasBadExplicitHashKey(2));
    QCOMPARE(ws.store().explicitHashKey(2), UInt128(17));
    QCOMPARE(ws.issue(2), RowIssue::None);
    QVERIFY(ws.setExplicitHashKeyText(2, QString()));
    QVERIFY(!ws.store().hasExplicitHashKey(2));
    QCOMPARE(ws.store().hashKey(2), hashPartitionKey(QByteArray("k2")));
}

void TstWorkspace::removeAndUndoRestoresOutcomesAndNumbers()
{
    Workspace ws;
    ws.loadRecords(makeStore(6));
    ws.mutableResults().markSucceeded(1, QStringLiteral("shardId-000000000002"), QStringLiteral("777"));
    ws.mutableResults().markFailed(4, QStringLiteral("InternalFailure"), QStringLiteral("oops"), true);
    QVERIFY(ws.removeRows({4, 1, 2, 1}));
    QCOMPARE(keys(ws), (QStringList{QStringLiteral("k0"), QStringLiteral("k3"), QStringLiteral("k5")}));
    QCOMPARE(ws.rowId(2), 5);
    QVERIFY(ws.undo());
    QCOMPARE(keys(ws), (QStringList{QStringLiteral("k0"), QStringLiteral("k1"), QStringLiteral("k2"), QStringLiteral("k3"),
                                    QStringLiteral("k4"), QStringLiteral("k5")}));
    for (int r = 0; r < 6; ++r)
        QCOMPARE(ws.rowId(r), qint64(r));
    QCOMPARE(ws.results().status(1), send::RowStatus::Succeeded);
    QCOMPARE(ws.results().sequenceNumber(1), QStringLiteral("777"));
    QCOMPARE(ws.results().status(4), send::RowStatus::Failed);
    QCOMPARE(ws.results().errorCode(4), QStringLiteral("InternalFailure"));
    QVERIFY(ws.results().retriable(4));
    QVERIFY(ws.redo());
    QCOMPARE(ws.rowCount(), 3);
}

void TstWorkspace::undoneRemovalKeepsAttemptHistory()
{
    // A row throttled twice, then written and verified; removed and brought back by undo, it
    // has its three attempts (times, waits, latencies, errors) and its verify state again.
    Workspace ws;
    ws.loadRecords(makeStore(4));
    send::SendResults &r = ws.mutableResults();
    const auto attempt = [&](qint64 at, int delay, int latency, send::AttemptOutcome outcome, const QString &code) {
        send::Attempt a;
        a.startedMs = at;
        a.delayMs = delay;
        a.latencyMs = latency;
        a.outcome = outcome;
        a.code = r.intern(code);
        a.message = r.intern(code.isEmpty() ? QString() : QStringLiteral("Rate exceeded for shard shardId-000000000001"));
        r.addAttempt(2, a);
    };
    attempt(1000, 0, 40, send::AttemptOutcome::Throttled, QStringLiteral("ProvisionedThroughputExceededException"));
    attempt(1100, 60, 41, send::AttemptOutcome::Throttled, QStringLiteral("ProvisionedThroughputExceededException"));
    attempt(1300, 150, 39, send::AttemptOutcome::Succeeded, QString());
    r.markSucceeded(2, QStringLiteral("shardId-000000000001"), QStringLiteral("4960"));
    r.setVerifyState(2, send::VerifyState::Verified);
    const std::vector<send::Attempt> before = r.attempts(2);
    QCOMPARE(before.size(), size_t(3));

    QVERIFY(ws.removeRows({2}));
    QCOMPARE(ws.rowCount(), 3);
    QVERIFY(ws.undo());
    QCOMPARE(ws.store().partitionKey(2), QStringLiteral("k2"));
    const send::SendResults &after = ws.results();
    QCOMPARE(after.status(2), send::RowStatus::Succeeded);
    QCOMPARE(after.verifyState(2), send::VerifyState::Verified);
    QCOMPARE(after.attemptCount(2), 3);
    const std::vector<send::Attempt> history = after.attempts(2);
    QCOMPARE(history.size(), before.size());
    for (size_t i = 0; i < history.size(); ++i) {
        QCOMPARE(history[i].startedMs, before[i].startedMs);
        QCOMPARE(history[i].delayMs, before[i].delayMs);
        QCOMPARE(history[i].latencyMs, before[i].latencyMs);
        QCOMPARE(history[i].outcome, before[i].outcome);
        QCOMPARE(after.text(history[i].code), r.text(before[i].code));
        QCOMPARE(after.text(history[i].message), r.text(before[i].message));
    }
    QCOMPARE(after.text(history[0].code), QStringLiteral("ProvisionedThroughputExceededException"));
}

void TstWorkspace::largeRemovalUndoesFromACopy()
{
    Workspace ws;
    ws.loadRecords(makeStore(3000));
    std::vector<int> rows;
    for (int r = 0; r < 2500; ++r)
        rows.push_back(r);
    QSignalSpy removed(&ws, &Workspace::rowsRemoved);
    QVERIFY(ws.removeRows(rows));
    QCOMPARE(removed.size(), 1); // one contiguous range
    QCOMPARE(ws.rowCount(), 500);
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("k2500"));
    QSignalSpy reset(&ws, &Workspace::wasReset);
    QVERIFY(ws.undo());
    QCOMPARE(reset.size(), 1);
    QCOMPARE(ws.rowCount(), 3000);
    QCOMPARE(ws.store().partitionKey(1234), QStringLiteral("k1234"));
    QCOMPARE(ws.rowId(2999), 2999);
}

void TstWorkspace::scatteredRemovalResets()
{
    Workspace ws;
    ws.loadRecords(makeStore(200));
    std::vector<int> everyOther;
    for (int r = 0; r < 200; r += 2)
        everyOther.push_back(r);
    QSignalSpy reset(&ws, &Workspace::wasReset);
    QSignalSpy removed(&ws, &Workspace::rowsRemoved);
    QVERIFY(ws.removeRows(everyOther));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(ws.rowCount(), 100);
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("k1"));
    QCOMPARE(ws.rowId(99), 199);
    QVERIFY(ws.undo());
    QCOMPARE(ws.rowCount(), 200);
    QCOMPARE(ws.store().partitionKey(100), QStringLiteral("k100"));
}

void TstWorkspace::appendKeepsNumbering()
{
    Workspace ws;
    ws.loadRecords(makeStore(2));
    QVERIFY(ws.insertRows(2, {RowContent{"n", "m", std::nullopt, {}}}));
    ws.appendRecords(makeStore(2));
    QCOMPARE(ws.rowCount(), 5);
    QCOMPARE(ws.rowId(2), 2);
    QCOMPARE(ws.rowId(3), 3);
    QCOMPARE(ws.rowId(4), 4);
    QCOMPARE(ws.results().size(), 5);
}

void TstWorkspace::bigBlocksAvoidMovingEveryRow()
{
    Workspace ws;
    ws.loadRecords(makeStore(30000));
    std::vector<int> block;
    for (int r = 100; r < 1100; ++r)
        block.push_back(r);
    // A block goes into place in one step, right after the rows it copies, with its outcomes.
    ws.mutableResults().markSucceeded(1099, QStringLiteral("shardId-000000000001"), QStringLiteral("49"));
    QSignalSpy insertedBlock(&ws, &Workspace::rowsInserted);
    QCOMPARE(ws.duplicateRows(block), 1100);
    QCOMPARE(insertedBlock.size(), 1);
    QCOMPARE(ws.rowCount(), 31000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(ws.store().partitionKey(1100 + i), QStringLiteral("k%1").arg(100 + i));
    QCOMPARE(ws.store().partitionKey(2100), QStringLiteral("k1100")); // the rows after moved down as a block
    QCOMPARE(ws.store().partitionKey(30999), QStringLiteral("k29999"));
    QCOMPARE(ws.store().hashKey(1100), ws.store().hashKey(100));
    QCOMPARE(ws.results().status(1099), send::RowStatus::Succeeded); // the original keeps its outcome
    QCOMPARE(ws.results().status(2099), send::RowStatus::Pending);   // its copy is a new record
    QCOMPARE(ws.rowId(1100), 30000);
    QCOMPARE(ws.rowId(2100), 1100);
    QVERIFY(ws.undo());
    QCOMPARE(ws.rowCount(), 30000);
    QCOMPARE(ws.store().partitionKey(1100), QStringLiteral("k1100"));
    QCOMPARE(ws.results().status(1099), send::RowStatus::Succeeded);
    // Removing 1,000 rows here is undone from a copy: one reset, not 1,000 inserts.
    QVERIFY(!ws.canInsertInPlace(1000));
    QVERIFY(ws.removeRows(block));
    QSignalSpy reset(&ws, &Workspace::wasReset);
    QSignalSpy inserted(&ws, &Workspace::rowsInserted);
    QVERIFY(ws.undo());
    QCOMPARE(reset.size(), 1);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(ws.store().partitionKey(1099), QStringLiteral("k1099"));
}

void TstWorkspace::routing()
{
    Workspace ws;
    ws.loadRecords(makeStore(10));
    QVERIFY(!ws.hasStreamMap());
    QCOMPARE(ws.shardMap().openShardCount(), 4);
    QSignalSpy routing(&ws, &Workspace::routingChanged);
    ws.setVirtualShardCount(2);
    QCOMPARE(ws.shardMap().openShardCount(), 2);
    std::vector<Shard> shards(1);
    shards[0].shardId = QStringLiteral("shardId-000000000007");
    shards[0].endingHashKey = kMaxHashKey;
    ws.setStreamShardMap(QStringLiteral("orders"), ShardMap::fromShards(shards).value());
    QVERIFY(ws.hasStreamMap());
    QCOMPARE(ws.predictedShard(3), 0);
    ws.setVirtualShardCount(9); // kept for later, the stream's map stays
    QCOMPARE(ws.shardMap().openShardCount(), 1);
    ws.setStreamShardMap(QString(), ShardMap());
    QCOMPARE(ws.shardMap().openShardCount(), 9);
    ws.setMaxRecordBytes(3);
    QCOMPARE(ws.issue(0), RowIssue::TooLarge);
    QCOMPARE(routing.size(), 4); // the count kept for later changed nothing
}

QTEST_GUILESS_MAIN(TstWorkspace)
#include "tst_workspace.moc"
