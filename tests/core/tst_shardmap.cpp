// Shard maps: the even split CreateStream makes, routing, and gap/overlap detection.
// Expected boundaries: Python integer arithmetic (i * (2**128 // n)); kinesalite's own
// ListShards ranges are compared in the integration tests.
#include "ShardMap.h"

#include <QTest>

using namespace kwb;

namespace {

UInt128 key(const char *decimal)
{
    auto parsed = parseHashKey(QByteArray(decimal));
    if (!parsed.ok())
        qFatal("bad test key %s", decimal);
    return parsed.value();
}

Shard shard(const char *id, const char *start, const char *end, const char *endingSeq = "")
{
    Shard s;
    s.shardId = QString::fromLatin1(id);
    s.startingHashKey = key(start);
    s.endingHashKey = key(end);
    s.startingSequenceNumber = QStringLiteral("1");
    s.endingSequenceNumber = QString::fromLatin1(endingSeq);
    return s;
}

} // namespace

class TstShardMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void uniformBoundaries_data();
    void uniformBoundaries();
    void uniformRejectsBadCounts();
    void routing_data();
    void routing();
    void closedShardsKeptButNotRouted();
    void brokenMaps_data();
    void brokenMaps();
};

void TstShardMap::uniformBoundaries_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("firstEnd");
    QTest::addColumn<QString>("secondStart");
    QTest::addColumn<QString>("lastStart");
    QTest::newRow("1") << 1 << QStringLiteral("340282366920938463463374607431768211455") << QString()
                       << QStringLiteral("0");
    QTest::newRow("2") << 2 << QStringLiteral("170141183460469231731687303715884105727")
                       << QStringLiteral("170141183460469231731687303715884105728")
                       << QStringLiteral("170141183460469231731687303715884105728");
    QTest::newRow("3") << 3 << QStringLiteral("113427455640312821154458202477256070484")
                       << QStringLiteral("113427455640312821154458202477256070485")
                       << QStringLiteral("226854911280625642308916404954512140970");
    QTest::newRow("4") << 4 << QStringLiteral("85070591730234615865843651857942052863")
                       << QStringLiteral("85070591730234615865843651857942052864")
                       << QStringLiteral("255211775190703847597530955573826158592");
    QTest::newRow("7") << 7 << QStringLiteral("48611766702991209066196372490252601635")
                       << QStringLiteral("48611766702991209066196372490252601636")
                       << QStringLiteral("291670600217947254397178234941515609816");
}

void TstShardMap::uniformBoundaries()
{
    QFETCH(int, count);
    QFETCH(QString, firstEnd);
    QFETCH(QString, secondStart);
    QFETCH(QString, lastStart);
    const auto map = ShardMap::uniform(count);
    QVERIFY(map.ok());
    QVERIFY(map.value().isVirtual());
    QCOMPARE(map.value().openShardCount(), count);
    QCOMPARE(hashKeyToString(map.value().openShard(0).startingHashKey), QStringLiteral("0"));
    QCOMPARE(hashKeyToString(map.value().openShard(0).endingHashKey), firstEnd);
    if (count > 1)
        QCOMPARE(hashKeyToString(map.value().openShard(1).startingHashKey), secondStart);
    QCOMPARE(hashKeyToString(map.value().openShard(count - 1).startingHashKey), lastStart);
    QCOMPARE(map.value().openShard(count - 1).endingHashKey, kMaxHashKey);
    QCOMPARE(map.value().openShard(count - 1).shardId,
             QStringLiteral("shardId-%1").arg(count - 1, 12, 10, QLatin1Char('0')));
}

void TstShardMap::uniformRejectsBadCounts()
{
    QVERIFY(!ShardMap::uniform(0).ok());
    QVERIFY(!ShardMap::uniform(-3).ok());
    QVERIFY(ShardMap::uniform(0).error().message.contains(QStringLiteral("out of range")));
}

void TstShardMap::routing_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("hashKey");
    QTest::addColumn<int>("expectedShard");
    QTest::newRow("0 of 4") << 4 << QStringLiteral("0") << 0;
    QTest::newRow("max of 4") << 4 << QStringLiteral("340282366920938463463374607431768211455") << 3;
    QTest::newRow("end of shard 0 of 4") << 4 << QStringLiteral("85070591730234615865843651857942052863") << 0;
    QTest::newRow("start of shard 1 of 4") << 4 << QStringLiteral("85070591730234615865843651857942052864") << 1;
    QTest::newRow("end of shard 1 of 3") << 3 << QStringLiteral("226854911280625642308916404954512140969") << 1;
    QTest::newRow("start of shard 2 of 3") << 3 << QStringLiteral("226854911280625642308916404954512140970") << 2;
    // MD5("partition-1") = 198019941650871988756153596255032211816 (Python hashlib)
    QTest::newRow("partition-1 of 3") << 3 << QStringLiteral("198019941650871988756153596255032211816") << 1;
    QTest::newRow("any of 1") << 1 << QStringLiteral("123456789") << 0;
}

void TstShardMap::routing()
{
    QFETCH(int, count);
    QFETCH(QString, hashKey);
    QFETCH(int, expectedShard);
    const auto map = ShardMap::uniform(count);
    QVERIFY(map.ok());
    const UInt128 k = parseHashKey(hashKey).value();
    QCOMPARE(map.value().openIndexFor(k), expectedShard);
    QCOMPARE(map.value().shardFor(k)->shardId, ShardMap::shardIdForIndex(expectedShard));
}

void TstShardMap::closedShardsKeptButNotRouted()
{
    // A resharded stream: shard 0 (whole range) closed, children 1 and 2 open. Given out of order.
    std::vector<Shard> shards{
        shard("shardId-000000000002", "170141183460469231731687303715884105728",
              "340282366920938463463374607431768211455"),
        shard("shardId-000000000000", "0", "340282366920938463463374607431768211455", "999"),
        shard("shardId-000000000001", "0", "170141183460469231731687303715884105727"),
    };
    shards[0].parentShardId = QStringLiteral("shardId-000000000000");
    const auto map = ShardMap::fromShards(shards);
    QVERIFY2(map.ok(), map.ok() ? "" : qPrintable(map.error().message));
    QCOMPARE(int(map.value().shards().size()), 3);
    QCOMPARE(map.value().openShardCount(), 2);
    QVERIFY(!map.value().isVirtual());
    QCOMPARE(map.value().shardFor(0)->shardId, QStringLiteral("shardId-000000000001"));
    QCOMPARE(map.value().shardFor(kMaxHashKey)->shardId, QStringLiteral("shardId-000000000002"));
    QCOMPARE(map.value().openIndexOf(QStringLiteral("shardId-000000000002")), 1);
    QCOMPARE(map.value().openIndexOf(QStringLiteral("shardId-000000000000")), -1);
}

void TstShardMap::brokenMaps_data()
{
    QTest::addColumn<QList<int>>("caseIndex"); // index into the cases table in brokenMaps()
    QTest::addColumn<QString>("mentions");
    QTest::newRow("gap") << QList<int>{0} << QStringLiteral("no open shard holds hash keys 101 to 199");
    QTest::newRow("overlap") << QList<int>{1} << QStringLiteral("overlap");
    QTest::newRow("missing-start") << QList<int>{2} << QStringLiteral("no open shard holds hash keys 0 to 9");
    QTest::newRow("missing-end") << QList<int>{3} << QStringLiteral("to 2^128-1");
    QTest::newRow("all-closed") << QList<int>{4} << QStringLiteral("no open shard");
    QTest::newRow("start-after-end") << QList<int>{5} << QStringLiteral("after its end");
}

void TstShardMap::brokenMaps()
{
    QFETCH(QList<int>, caseIndex);
    QFETCH(QString, mentions);
    const char *max = "340282366920938463463374607431768211455";
    std::vector<std::vector<Shard>> cases{
        {shard("a", "0", "100"), shard("b", "200", max)},
        {shard("a", "0", "100"), shard("b", "100", max)},
        {shard("a", "10", "100"), shard("b", "101", max)},
        {shard("a", "0", "100"), shard("b", "101", "340282366920938463463374607431768211454")},
        {shard("a", "0", max, "5")},
        {shard("a", "0", "100"), shard("b", max, "101")},
    };
    const auto map = ShardMap::fromShards(cases[size_t(caseIndex.front())]);
    QVERIFY(!map.ok());
    QVERIFY2(map.error().message.contains(mentions), qPrintable(map.error().message));
}

QTEST_GUILESS_MAIN(TstShardMap)
#include "tst_shardmap.moc"
