// SendResults' aggregated rows: which rows share a Kinesis record, and the first row each names,
// through removals, moves (an insert is an append and a move of the tail), a copy and the run out
// of record identities. The expected rows are worked out by hand in the comments.
#include "send/SendResults.h"

#include <QTest>

#include <limits>

using kwb::send::SendResults;

namespace {

/// The first row each row names (its own for a plain row).
std::vector<int> firstRows(const SendResults &r)
{
    std::vector<int> out;
    for (int row = 0; row < r.size(); ++row)
        out.push_back(r.aggregateFirstRow(row));
    return out;
}

} // namespace

class TstSendResults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstRowFollowsRemovalsAndMoves();
    void identitiesRunningOutKeepTheRecords();
};

void TstSendResults::firstRowFollowsRemovalsAndMoves()
{
    // Rows 0..7: record A = rows 0, 2, 5; record B = rows 1, 3; rows 4, 6, 7 plain.
    SendResults r;
    r.resize(8);
    r.setAggregate(0, 0, 3, 0);
    r.setAggregate(2, 1, 3, 0);
    r.setAggregate(5, 2, 3, 0);
    r.setAggregate(1, 0, 2, 1);
    r.setAggregate(3, 1, 2, 1);
    QCOMPARE(firstRows(r), (std::vector<int>{0, 1, 0, 1, 4, 0, 6, 7}));
    QVERIFY(r.aggregateId(0) != r.aggregateId(1));

    // Remove rows 1 and 4: A = 0, 1 (was 2), 3 (was 5); B = 2 (was 3); plain 4, 5 (were 6, 7).
    r.removeRows({1, 4});
    QCOMPARE(firstRows(r), (std::vector<int>{0, 0, 2, 0, 4, 5}));
    QCOMPARE(r.subSequence(2), 1); // B's second user record, its first one gone
    // Remove row 0, A's first: A's next row (was 2, now 0) names itself.
    const auto copy = r; // a snapshot keeps what it had
    r.removeRows({0});
    QCOMPARE(firstRows(r), (std::vector<int>{0, 1, 0, 3, 4}));
    QCOMPARE(firstRows(copy), (std::vector<int>{0, 0, 2, 0, 4, 5}));

    // The last two rows (plain) moved to the front: A = 2, 4; B = 3.
    r.moveTailTo(0, 2);
    QCOMPARE(firstRows(r), (std::vector<int>{0, 1, 2, 3, 2}));
    // A row given A's identity joins A wherever it is, and becomes its first when it is lowest.
    r.setAggregateId(0, 0, 3, r.aggregateId(2));
    QCOMPARE(firstRows(r), (std::vector<int>{0, 1, 0, 3, 0}));
    // Its outcome cleared, it leaves A again.
    r.clearOutcome(0);
    QCOMPARE(firstRows(r), (std::vector<int>{0, 1, 2, 3, 2}));
    QCOMPARE(r.subSequence(0), -1);
}

void TstSendResults::identitiesRunningOutKeepTheRecords()
{
    // Records A = rows 0, 1 (the last identity there is) and B = rows 2, 3; then a new record C
    // (rows 4, 5) needs an identity: the ones in use are numbered anew, A and B stay apart.
    SendResults r;
    r.resize(6);
    const qint32 last = std::numeric_limits<qint32>::max();
    r.setAggregateId(0, 0, 2, last);
    r.setAggregateId(1, 1, 2, last);
    r.setAggregateId(2, 0, 2, 7);
    r.setAggregateId(3, 1, 2, 7);
    r.setAggregate(4, 0, 2, 4);
    r.setAggregate(5, 1, 2, 4);
    QCOMPARE(firstRows(r), (std::vector<int>{0, 0, 2, 2, 4, 4}));
    QVERIFY(r.aggregateId(0) < last);
    QVERIFY(r.aggregateId(0) != r.aggregateId(2));
    QVERIFY(r.aggregateId(4) != r.aggregateId(0) && r.aggregateId(4) != r.aggregateId(2));
    QCOMPARE(r.aggregateId(0), r.aggregateId(1));
}

QTEST_GUILESS_MAIN(TstSendResults)
#include "tst_sendresults.moc"
