// The shard map's comparison of a load sent plain and aggregated (KPL): what Aggregator::measure
// counts per shard, and kpl::LoadComparison's records/s, bytes/s, binding limit and shards
// needed. Every expected value is worked out here by hand, from the KPL format's byte layout
// and the per-shard limits (1,000 records/s and 1 MiB/s = 1,048,576 bytes/s).
#include "HashKey.h"
#include "TestSupport.h"
#include "kpl/Aggregator.h"
#include "kpl/LoadComparison.h"

#include <QTest>

using namespace kwb;
using namespace kwb::kpl;
using Binding = LoadComparison::Binding;

namespace {

ShardPacking shard(qint64 userRecords, qint64 userBytes, qint64 kinesisRecords, qint64 kinesisBytes)
{
    return ShardPacking{userRecords, userBytes, kinesisRecords, kinesisBytes};
}

} // namespace

class TstLoadComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void measureCountsTheFormatsBytes();
    void measureSplitsAtTheLimit();
    void measureMatchesWhatPackMakes();
    void evenLoadIsBoundByRecordsPlainAndBytesAggregated();
    void skewedLoadIsBoundByBytesBothWays();
    void sandboxLimitsScaleTheShardsNeeded();
    void noLimitsBindNothing();
};

void TstLoadComparison::measureCountsTheFormatsBytes()
{
    // Three user records, key "a" (1 byte), 10 bytes of data each, on one shard.
    RecordStore store;
    for (int i = 0; i < 3; ++i)
        store.append("a", QByteArray(10, char('0' + i)));
    auto measured = Aggregator::measure(store, ShardMap::uniform(1).value());
    KWB_VERIFY_OK(measured);
    QCOMPARE(measured.value().size(), size_t(1));
    const ShardPacking &p = measured.value()[0];
    QCOMPARE(p.userRecords, qint64(3));
    QCOMPARE(p.userBytes, qint64(3 * (1 + 10)));
    // The protobuf: the key table's one entry (field key, length 1, "a") = 3 bytes; per record
    // a field key and length (2) around its key index (2) and data field (1 + 1 + 10): 16 bytes.
    // 3 + 3 x 16 = 51. The Kinesis record: its key "a" + magic 4 + 51 + MD5 16 = 72 bytes.
    QCOMPARE(p.kinesisRecords, qint64(1));
    QCOMPARE(p.kinesisBytes, qint64(1 + 4 + 3 + 3 * 16 + 16));
}

void TstLoadComparison::measureSplitsAtTheLimit()
{
    // With a 60-byte limit two of the records above fit (1 + 4 + 3 + 2 x 16 + 16 = 56 bytes,
    // three would be 72); the third is alone, and a group of one goes plain: 1 + 10 = 11 bytes.
    RecordStore store;
    for (int i = 0; i < 3; ++i)
        store.append("a", QByteArray(10, 'x'));
    AggregatorOptions options;
    options.maxAggregateBytes = 60;
    auto measured = Aggregator::measure(store, ShardMap::uniform(1).value(), options);
    KWB_VERIFY_OK(measured);
    QCOMPARE(measured.value()[0].kinesisRecords, qint64(2));
    QCOMPARE(measured.value()[0].kinesisBytes, qint64(56 + 11));
    // The stream's record limit caps it the same way.
    options.maxAggregateBytes = 51200;
    options.maxRecordBytes = 60;
    QCOMPARE(Aggregator::measure(store, ShardMap::uniform(1).value(), options).value()[0].kinesisBytes, qint64(56 + 11));
    // A limit below the format's own 20 bytes plus a record is refused, saying why.
    options.maxRecordBytes = 20;
    auto refused = Aggregator::measure(store, ShardMap::uniform(1).value(), options);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QStringLiteral("too small")), qPrintable(refused.error().message));
}

void TstLoadComparison::measureMatchesWhatPackMakes()
{
    // Per shard, measure() counts exactly the records pack() builds and their bytes.
    RecordStore store;
    for (int i = 0; i < 5000; ++i)
        store.append(QByteArray("key-") + QByteArray::number(i % 37), QByteArray(20 + i % 300, char('a' + i % 26)));
    const ShardMap map = ShardMap::uniform(4).value();
    AggregatorOptions options;
    options.maxAggregateBytes = 8000;
    std::vector<int> rows(size_t(store.size()));
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i] = int(i);
    auto packed = Aggregator::pack(store, rows, map, options);
    auto measured = Aggregator::measure(store, map, options);
    KWB_VERIFY_OK(packed);
    KWB_VERIFY_OK(measured);
    std::vector<ShardPacking> fromPack(4);
    for (int k = 0; k < packed.value().kinesisRecordCount(); ++k) {
        ShardPacking &s = fromPack[size_t(map.openIndexFor(packed.value().records.hashKey(k)))];
        ++s.kinesisRecords;
        s.kinesisBytes += packed.value().records.recordSize(k);
    }
    for (size_t s = 0; s < 4; ++s) {
        QCOMPARE(measured.value()[s].kinesisRecords, fromPack[s].kinesisRecords);
        QCOMPARE(measured.value()[s].kinesisBytes, fromPack[s].kinesisBytes);
    }
    qint64 users = 0;
    for (const ShardPacking &s : measured.value())
        users += s.userRecords;
    QCOMPARE(users, qint64(5000));
}

void TstLoadComparison::evenLoadIsBoundByRecordsPlainAndBytesAggregated()
{
    // 4 shards, each 1,000 user records of 100 bytes packed into 3 Kinesis records of 101,000
    // bytes in all. At 4,000 user records/s the 4,000 records take 1 s.
    const std::vector<ShardPacking> shards(4, shard(1000, 100000, 3, 101000));
    const LoadComparison c = LoadComparison::compute(shards, 4000, send::ShardLimits{});
    QVERIFY(c.limitsKnown);
    QCOMPARE(c.userRecords, qint64(4000));
    QCOMPARE(c.kinesisRecords, qint64(12));
    // Plain: 4,000 records/s = 4 x 1,000; 400,000 bytes/s = 0.38 x 1,048,576: records bind, 4 shards.
    QCOMPARE(c.plain.recordsPerSecond, 4000.0);
    QCOMPARE(c.plain.bytesPerSecond, 400000.0);
    QCOMPARE(c.plain.binding, Binding::Records);
    QCOMPARE(c.plain.shardsNeeded, 4);
    QCOMPARE(c.plain.busiestShard, 0); // all alike: the first
    QCOMPARE(c.plain.busiestRecordsPerSecond, 1000.0);
    QCOMPARE(c.plain.busiestUse, 1.0);
    QCOMPARE(c.plain.busiestBinding, Binding::Records);
    // Aggregated: 12 records/s = 0.012 x 1,000; 404,000 bytes/s = 0.385 x 1,048,576: bytes bind, 1 shard.
    QCOMPARE(c.aggregated.recordsPerSecond, 12.0);
    QCOMPARE(c.aggregated.bytesPerSecond, 404000.0);
    QCOMPARE(c.aggregated.binding, Binding::Bytes);
    QCOMPARE(c.aggregated.shardsNeeded, 1);
    QCOMPARE(c.aggregated.busiestBinding, Binding::Bytes);

    // Five times the rate (0.2 s): plain 20,000 records/s needs 20 shards; aggregated 60
    // records/s and 2,020,000 bytes/s = 1.93 x 1,048,576 needs 2.
    const LoadComparison fast = LoadComparison::compute(shards, 20000, send::ShardLimits{});
    QCOMPARE(fast.plain.shardsNeeded, 20);
    QCOMPARE(fast.plain.binding, Binding::Records);
    QCOMPARE(fast.aggregated.recordsPerSecond, 60.0);
    QCOMPARE(fast.aggregated.bytesPerSecond, 2020000.0);
    QCOMPARE(fast.aggregated.shardsNeeded, 2);
    QCOMPARE(fast.aggregated.binding, Binding::Bytes);
}

void TstLoadComparison::skewedLoadIsBoundByBytesBothWays()
{
    // Every record on shard 2 of 3: 500 user records of 1,200 bytes (600,000), packed into 12
    // Kinesis records of 601,000 bytes. At 1,000 user records/s they take 0.5 s.
    const std::vector<ShardPacking> shards{shard(0, 0, 0, 0), shard(0, 0, 0, 0), shard(500, 600000, 12, 601000)};
    const LoadComparison c = LoadComparison::compute(shards, 1000, send::ShardLimits{});
    // Plain: 1,000 records/s (1.0 x) and 1,200,000 bytes/s (1.14 x): bytes bind, 2 shards.
    QCOMPARE(c.plain.recordsPerSecond, 1000.0);
    QCOMPARE(c.plain.bytesPerSecond, 1200000.0);
    QCOMPARE(c.plain.binding, Binding::Bytes);
    QCOMPARE(c.plain.shardsNeeded, 2);
    QCOMPARE(c.plain.busiestShard, 2);
    QCOMPARE(c.plain.busiestUse, 1200000.0 / 1048576.0);
    // Aggregated: 24 records/s and 1,202,000 bytes/s: bytes still bind, still 2 shards.
    QCOMPARE(c.aggregated.recordsPerSecond, 24.0);
    QCOMPARE(c.aggregated.bytesPerSecond, 1202000.0);
    QCOMPARE(c.aggregated.binding, Binding::Bytes);
    QCOMPARE(c.aggregated.shardsNeeded, 2);
    QCOMPARE(c.aggregated.busiestShard, 2);
}

void TstLoadComparison::sandboxLimitsScaleTheShardsNeeded()
{
    // The sandbox at 1/100: 10 records/s and 10,486 bytes/s per shard (it rounds to whole bytes).
    // The even load above: plain 4,000 / 10 = 400 shards (bytes: 400,000 / 10,486 = 38.1);
    // aggregated 12 / 10 = 1.2 against 404,000 / 10,486 = 38.53: bytes bind, 39 shards.
    const std::vector<ShardPacking> shards(4, shard(1000, 100000, 3, 101000));
    const LoadComparison c = LoadComparison::compute(shards, 4000, send::ShardLimits::sandbox(true, 0.01));
    QCOMPARE(c.plain.shardsNeeded, 400);
    QCOMPARE(c.plain.binding, Binding::Records);
    QCOMPARE(c.aggregated.shardsNeeded, 39);
    QCOMPARE(c.aggregated.binding, Binding::Bytes);
}

void TstLoadComparison::noLimitsBindNothing()
{
    // Limits of an endpoint of unknown kind are AWS's documented ones until throttles say more:
    // 20 records/s of 100 bytes against 1,000 records/s is one shard, records binding.
    const LoadComparison unknown = LoadComparison::compute(std::vector<ShardPacking>(2, shard(10, 1000, 1, 1100)), 20,
                                                           send::ShardLimits::unknown());
    QVERIFY(unknown.limitsKnown);
    QCOMPARE(unknown.plain.shardsNeeded, 1);
    QCOMPARE(unknown.plain.binding, Binding::Records);
    // The sandbox with its limits off: nothing binds, no shard count.
    const std::vector<ShardPacking> shards(2, shard(10, 1000, 1, 1100));
    send::ShardLimits none = send::ShardLimits::sandbox(false, 1);
    const LoadComparison c = LoadComparison::compute(shards, 20, none);
    QVERIFY(!c.limitsKnown);
    QCOMPARE(c.plain.recordsPerSecond, 20.0);
    QCOMPARE(c.aggregated.recordsPerSecond, 2.0);
    QCOMPARE(c.plain.binding, Binding::None);
    QCOMPARE(c.plain.shardsNeeded, 0);
    // No rows: no load at all.
    const LoadComparison empty = LoadComparison::compute({}, 1000, send::ShardLimits{});
    QCOMPARE(empty.userRecords, qint64(0));
    QCOMPARE(empty.plain.shardsNeeded, 0);
    QCOMPARE(empty.plain.busiestShard, -1);
}

QTEST_GUILESS_MAIN(TstLoadComparison)
#include "tst_loadcomparison.moc"
