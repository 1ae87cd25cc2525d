// core/stream's ShardLineage: a child shard is read only after every parent it has in the
// lineage has been read to its end. The lineages are the shapes Kinesis documents for
// SplitShard (one parent), MergeShards (parent and adjacent parent) and UpdateShardCount.
#include "stream/ShardLineage.h"

#include <QTest>

using kwb::stream::ShardLineage;

class TstShardLineage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitWaitsForItsParent();
    void mergeWaitsForBothParents();
    void unknownParentsDoNotHoldBack();
    void aShardIsAddedOnce();
};

void TstShardLineage::splitWaitsForItsParent()
{
    ShardLineage lineage;
    lineage.add(QStringLiteral("p"), {});
    lineage.add(QStringLiteral("a"), {QStringLiteral("p")});
    lineage.add(QStringLiteral("b"), {QStringLiteral("p"), QString()});
    QCOMPARE(lineage.takeStartable(), QStringList{QStringLiteral("p")});
    QCOMPARE(lineage.takeStartable(), QStringList()); // p is being read: nothing new
    QCOMPARE(lineage.state(QStringLiteral("a")), ShardLineage::State::Waiting);
    lineage.finish(QStringLiteral("p"));
    QCOMPARE(lineage.takeStartable(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(lineage.reading(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(!lineage.allFinished());
}

void TstShardLineage::mergeWaitsForBothParents()
{
    ShardLineage lineage;
    lineage.add(QStringLiteral("x"), {});
    lineage.add(QStringLiteral("y"), {});
    lineage.add(QStringLiteral("m"), {QStringLiteral("x"), QStringLiteral("y")});
    QCOMPARE(lineage.takeStartable(), (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    lineage.finish(QStringLiteral("x"));
    QCOMPARE(lineage.takeStartable(), QStringList());
    lineage.finish(QStringLiteral("y"));
    QCOMPARE(lineage.takeStartable(), QStringList{QStringLiteral("m")});
    lineage.finish(QStringLiteral("m"));
    QVERIFY(lineage.allFinished());
}

void TstShardLineage::unknownParentsDoNotHoldBack()
{
    // A parent that is not read (not chosen, expired, or closed before a LATEST start).
    ShardLineage lineage;
    lineage.add(QStringLiteral("c"), {QStringLiteral("gone"), QStringLiteral("other")});
    QCOMPARE(lineage.takeStartable(), QStringList{QStringLiteral("c")});
    QCOMPARE(lineage.state(QStringLiteral("gone")), ShardLineage::State::Finished);
}

void TstShardLineage::aShardIsAddedOnce()
{
    // Both parents of a merge name the child in their ChildShards: the second add is a no-op,
    // and a shard already read is never read again.
    ShardLineage lineage;
    QVERIFY(lineage.add(QStringLiteral("x"), {}));
    QCOMPARE(lineage.takeStartable(), QStringList{QStringLiteral("x")});
    lineage.finish(QStringLiteral("x"));
    QVERIFY(!lineage.add(QStringLiteral("x"), {}));
    QCOMPARE(lineage.state(QStringLiteral("x")), ShardLineage::State::Finished);
    QCOMPARE(lineage.takeStartable(), QStringList());
    QCOMPARE(lineage.size(), 1);
}

QTEST_GUILESS_MAIN(TstShardLineage)
#include "tst_shardlineage.moc"
