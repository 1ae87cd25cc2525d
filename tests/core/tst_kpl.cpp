// KPL aggregation: the aggregator and de-aggregator. Expected bytes are written by hand from the
// format description (awslabs/amazon-kinesis-producer aggregation-format.md: magic F3 89 9A C2,
// protobuf AggregatedRecord, MD5 of the protobuf) with the MD5 from QCryptographicHash; the
// round trips through the npm module aws-kinesis-agg are in tst_kpl_oracle.
#include "kpl/Aggregator.h"
#include "kpl/Deaggregator.h"
#include "kpl/KinesisRecordsFile.h"
#include "kpl/KplFormat.h"

#include <QCryptographicHash>
#include <QTest>

#include <set>

using namespace kwb;
using namespace kwb::kpl;

namespace {

QByteArray magic() { return QByteArray::fromHex("F3899AC2"); }

QByteArray wrap(const QByteArray &proto)
{
    return magic() + proto + QCryptographicHash::hash(proto, QCryptographicHash::Md5);
}

// partition_key_table: "a", "bb"; explicit_hash_key_table: "7"; records:
//   {pk 0, data "xyz"}, {pk 1, ehk 0, data ""}, {pk 0, data "q", tag {key "t", value "v"}}
QByteArray sampleProto()
{
    return QByteArray::fromHex("0A0161"            // pk table "a"
                               "0A026262"          // pk table "bb"
                               "120137"            // ehk table "7"
                               "1A07" "0800" "1A0378797A"       // record 0
                               "1A06" "0801" "1000" "1A00"      // record 1
                               "1A0D" "0800" "1A0171" "2206" "0A0174" "120176"); // record 2 with a tag
}

ShardMap uniform(int shards)
{
    auto map = ShardMap::uniform(shards);
    if (!map.ok())
        qFatal("uniform map");
    return map.value();
}

} // namespace

class TstKpl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void varints_data();
    void varints();
    void unpacksHandWrittenRecord();
    void rejectsBrokenRecords_data();
    void rejectsBrokenRecords();
    void encodeMatchesHandWrittenBytes();
    void packsPerShard();
    void groupOfOneIsPlain();
    void staysWithinLimit_data();
    void staysWithinLimit();
    void mostThatFit();
    void largeRecordGoesPlain();
    void explicitHashKeysRoundTrip();
    void needsShardMap();
    void readsGetRecordsOutput();
    void readsLambdaEvent();
    void readsBase64Lines();
    void detectsRawRecords();
    void refusesJsonWithoutRecords();
};

void TstKpl::varints_data()
{
    QTest::addColumn<quint64>("value");
    QTest::addColumn<QByteArray>("bytes"); // from the protobuf encoding guide
    QTest::newRow("0") << quint64(0) << QByteArray::fromHex("00");
    QTest::newRow("1") << quint64(1) << QByteArray::fromHex("01");
    QTest::newRow("127") << quint64(127) << QByteArray::fromHex("7F");
    QTest::newRow("128") << quint64(128) << QByteArray::fromHex("8001");
    QTest::newRow("150") << quint64(150) << QByteArray::fromHex("9601");
    QTest::newRow("300") << quint64(300) << QByteArray::fromHex("AC02");
    QTest::newRow("2^32") << (quint64(1) << 32) << QByteArray::fromHex("8080808010");
    QTest::newRow("max") << ~quint64(0) << QByteArray::fromHex("FFFFFFFFFFFFFFFFFF01");
}

void TstKpl::varints()
{
    QFETCH(quint64, value);
    QFETCH(QByteArray, bytes);
    char out[16];
    char *end = wire::writeVarint(out, value);
    QCOMPARE(QByteArray(out, end - out), bytes);
    QCOMPARE(wire::varintSize(value), bytes.size());
    const char *pos = bytes.constData();
    quint64 read = 0;
    QVERIFY(wire::readVarint(pos, bytes.constData() + bytes.size(), read));
    QCOMPARE(read, value);
    QCOMPARE(pos, bytes.constData() + bytes.size());
    // Cut short: never read past the end.
    pos = bytes.constData();
    QVERIFY(!wire::readVarint(pos, bytes.constData() + bytes.size() - 1, read));
}

void TstKpl::unpacksHandWrittenRecord()
{
    const QByteArray record = wrap(sampleProto());
    QVERIFY(Deaggregator::isAggregated(record));
    auto unpacked = Deaggregator::unpack(record);
    QVERIFY2(unpacked.ok(), qPrintable(unpacked.ok() ? QString() : unpacked.error().message));
    const auto &users = unpacked.value();
    QCOMPARE(users.size(), size_t(3));
    QCOMPARE(users[0].partitionKey.toByteArray(), QByteArray("a"));
    QCOMPARE(users[0].data.toByteArray(), QByteArray("xyz"));
    QVERIFY(!users[0].hasExplicitHashKey);
    QCOMPARE(users[0].subSequenceNumber, 0);
    QCOMPARE(users[1].partitionKey.toByteArray(), QByteArray("bb"));
    QVERIFY(users[1].hasExplicitHashKey);
    QCOMPARE(users[1].explicitHashKey.toByteArray(), QByteArray("7"));
    QCOMPARE(users[1].data.size(), 0);
    QCOMPARE(users[2].data.toByteArray(), QByteArray("q"));
    QCOMPARE(users[2].tagCount, 1);
    QCOMPARE(users[2].subSequenceNumber, 2);
    QVERIFY(!Deaggregator::isAggregated(QByteArray("plain data")));
}

void TstKpl::rejectsBrokenRecords_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");

    const QByteArray good = wrap(sampleProto());
    QByteArray badDigest = good;
    badDigest[badDigest.size() - 1] = char(badDigest.at(badDigest.size() - 1) ^ 1);
    QByteArray changedByte = good;
    changedByte[10] = char(changedByte.at(10) ^ 0x20);

    QTest::newRow("plain") << QByteArray("hello") << "KplNotAggregated" << "magic";
    QTest::newRow("magic only") << magic() << "KplTooShort" << "4 bytes";
    QTest::newRow("bad digest") << badDigest << "KplBadDigest" << "MD5";
    QTest::newRow("changed byte") << changedByte << "KplBadDigest" << "MD5";
    QTest::newRow("cut") << good.left(good.size() - 3) << "KplBadDigest" << "MD5";
    // Well-formed MD5 over broken protobuf.
    QTest::newRow("length past end") << wrap(QByteArray::fromHex("0A0561")) << "KplMalformed" << "byte 5";
    QTest::newRow("truncated varint") << wrap(QByteArray::fromHex("0A0161" "1A")) << "KplMalformed" << "byte 8";
    QTest::newRow("truncated key") << wrap(QByteArray::fromHex("0A0161" "FF")) << "KplMalformed" << "byte 7";
    QTest::newRow("wrong wire type for table") << wrap(QByteArray::fromHex("0801")) << "KplMalformed" << "wire type 0";
    QTest::newRow("group") << wrap(QByteArray::fromHex("0A0161" "2B")) << "KplMalformed" << "wire type 3";
    QTest::newRow("field 0") << wrap(QByteArray::fromHex("0001")) << "KplMalformed" << "field number 0";
    QTest::newRow("record without data") << wrap(QByteArray::fromHex("0A0161" "1A020800")) << "KplMissingField"
                                         << "no data";
    QTest::newRow("record without key index") << wrap(QByteArray::fromHex("0A0161" "1A021A00")) << "KplMissingField"
                                              << "no partition key index";
    QTest::newRow("key index out of table") << wrap(QByteArray::fromHex("0A0161" "1A0408011A00")) << "KplBadIndex"
                                            << "partition key 1 but the table has 1";
    QTest::newRow("empty key table") << wrap(QByteArray::fromHex("1A0408001A00")) << "KplBadIndex"
                                     << "the table has 0";
    QTest::newRow("hash index out of table") << wrap(QByteArray::fromHex("0A0161" "1A06080010001A00")) << "KplBadIndex"
                                             << "explicit hash key 0";
    QTest::newRow("data length past record") << wrap(QByteArray::fromHex("0A0161" "1A0408001A05")) << "KplMalformed"
                                             << "says 5 bytes";
    QTest::newRow("tag without key") << wrap(QByteArray::fromHex("0A0161" "1A09" "08001A00" "2203120176"))
                                     << "KplMissingField" << "tag without";
}

void TstKpl::rejectsBrokenRecords()
{
    QFETCH(QByteArray, record);
    QFETCH(QString, code);
    QFETCH(QString, says);
    auto unpacked = Deaggregator::unpack(record);
    QVERIFY(!unpacked.ok());
    QCOMPARE(unpacked.error().code, code);
    QVERIFY2(unpacked.error().message.contains(says), qPrintable(unpacked.error().message));
}

void TstKpl::encodeMatchesHandWrittenBytes()
{
    // Same key twice shares one table entry; the explicit hash key is written as a decimal.
    RecordStore store;
    store.append("a", "xyz");
    store.append("bb", "", UInt128(7));
    store.append("a", "q");
    const QByteArray expected = wrap(QByteArray::fromHex("0A0161" "0A026262" "120137"
                                                         "1A07" "0800" "1A0378797A"
                                                         "1A06" "0801" "1000" "1A00"
                                                         "1A05" "0800" "1A0171"));
    QCOMPARE(Aggregator::encode(store, {0, 1, 2}).toHex(), expected.toHex());
}

void TstKpl::packsPerShard()
{
    RecordStore store;
    for (int i = 0; i < 1000; ++i)
        store.append(QByteArray("key-") + QByteArray::number(i), QByteArray(100, char('a' + i % 26)));
    std::vector<int> rows(1000);
    for (int i = 0; i < 1000; ++i)
        rows[size_t(i)] = i;
    const ShardMap map = uniform(4);
    auto packed = Aggregator::pack(store, rows, map);
    QVERIFY(packed.ok());
    const Aggregation &agg = packed.value();
    QCOMPARE(agg.members.size(), size_t(1000));
    QCOMPARE(agg.kinesisRecordCount(), 4); // 250 x ~115 bytes each fits into 50 KB per shard
    std::set<int> seen;
    for (int k = 0; k < agg.kinesisRecordCount(); ++k) {
        const int shard = map.openIndexFor(agg.records.hashKey(k));
        QVERIFY(agg.aggregated[size_t(k)]);
        auto unpacked = Deaggregator::unpack(agg.records.data(k));
        QVERIFY(unpacked.ok());
        QCOMPARE(int(unpacked.value().size()), agg.memberCount(k));
        int previous = -1;
        for (int s = 0; s < agg.memberCount(k); ++s) {
            const int row = agg.member(k, s);
            QVERIFY(row > previous); // input order kept
            previous = row;
            QVERIFY(seen.insert(row).second);
            QCOMPARE(map.openIndexFor(store.hashKey(row)), shard);
            QCOMPARE(unpacked.value()[size_t(s)].partitionKey, store.partitionKeyUtf8(row));
            QCOMPARE(unpacked.value()[size_t(s)].data, store.data(row));
        }
        // The Kinesis record's key is its first user record's, its explicit hash key that key's hash.
        QCOMPARE(agg.records.partitionKeyUtf8(k), store.partitionKeyUtf8(agg.member(k, 0)));
        QVERIFY(agg.records.hasExplicitHashKey(k));
        QCOMPARE(agg.records.explicitHashKey(k), hashPartitionKey(store.partitionKeyUtf8(agg.member(k, 0))));
    }
}

void TstKpl::groupOfOneIsPlain()
{
    RecordStore store;
    store.append("only", "payload");
    auto packed = Aggregator::pack(store, {0}, uniform(2));
    QVERIFY(packed.ok());
    QCOMPARE(packed.value().kinesisRecordCount(), 1);
    QVERIFY(!packed.value().aggregated[0]);
    QCOMPARE(packed.value().records.data(0), QByteArrayView("payload"));
    QCOMPARE(packed.value().records.partitionKeyUtf8(0), QByteArrayView("only"));
    QVERIFY(!packed.value().records.hasExplicitHashKey(0));
}

void TstKpl::staysWithinLimit_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<int>("dataBytes");
    QTest::newRow("50 KB, 100 B") << qint64(51200) << 100;
    QTest::newRow("1 KiB, 100 B") << qint64(1024) << 100;
    QTest::newRow("1 KiB, 127 B") << qint64(1024) << 127; // varint length boundary
    QTest::newRow("1 KiB, 128 B") << qint64(1024) << 128;
    QTest::newRow("1 MiB, 10000 B") << qint64(1024 * 1024) << 10000;
    QTest::newRow("300 B, 200 B") << qint64(300) << 200;
}

void TstKpl::staysWithinLimit()
{
    QFETCH(qint64, limit);
    QFETCH(int, dataBytes);
    RecordStore store;
    std::vector<int> rows;
    for (int i = 0; i < 3000; ++i)
        rows.push_back(store.append(QByteArray("k") + QByteArray::number(i % 50), QByteArray(dataBytes, 'x')));
    AggregatorOptions options;
    options.maxAggregateBytes = limit;
    auto packed = Aggregator::pack(store, rows, uniform(3), options);
    QVERIFY(packed.ok());
    const Aggregation &agg = packed.value();
    QCOMPARE(agg.members.size(), rows.size());
    for (int k = 0; k < agg.kinesisRecordCount(); ++k) {
        QVERIFY2(agg.records.recordSize(k) <= limit, qPrintable(QString::number(agg.records.recordSize(k))));
        if (agg.aggregated[size_t(k)]) {
            auto unpacked = Deaggregator::unpack(agg.records.data(k));
            QVERIFY(unpacked.ok());
            QCOMPARE(int(unpacked.value().size()), agg.memberCount(k));
        }
    }
}

void TstKpl::mostThatFit()
{
    // One shard, identical 10-byte records with one key: each adds 1 (key) + 1 (length) + 2 (pk
    // index) + 12 (data field) = 16 bytes; the table adds 3 once. With key "k": 1 + 20 + 3 = 24
    // bytes of overhead, so a limit of 24 + 16 * n holds exactly n records.
    RecordStore store;
    std::vector<int> rows;
    for (int i = 0; i < 100; ++i)
        rows.push_back(store.append("k", QByteArray(10, 'd')));
    AggregatorOptions options;
    options.maxAggregateBytes = 24 + 16 * 37;
    auto packed = Aggregator::pack(store, rows, uniform(1), options);
    QVERIFY(packed.ok());
    const Aggregation &agg = packed.value();
    QCOMPARE(agg.kinesisRecordCount(), 3);
    QCOMPARE(agg.memberCount(0), 37);
    QCOMPARE(agg.records.recordSize(0), options.maxAggregateBytes);
    QCOMPARE(agg.memberCount(1), 37);
    QCOMPARE(agg.memberCount(2), 26);
}

void TstKpl::largeRecordGoesPlain()
{
    RecordStore store;
    store.append("small-1", "a");
    store.append("big", QByteArray(1024 * 1024 - 3, 'b')); // exactly 1 MiB with its key
    store.append("small-2", "b");
    AggregatorOptions options;
    options.maxAggregateBytes = 1024 * 1024;
    auto packed = Aggregator::pack(store, {0, 1, 2}, uniform(1), options);
    QVERIFY(packed.ok());
    const Aggregation &agg = packed.value();
    QCOMPARE(agg.kinesisRecordCount(), 2);
    // The big one alone is plain; the two small ones share a record.
    int big = agg.aggregated[0] ? 1 : 0;
    QVERIFY(!agg.aggregated[size_t(big)]);
    QCOMPARE(agg.records.recordSize(big), qint64(1024 * 1024));
    QCOMPARE(agg.memberCount(1 - big), 2);
}

void TstKpl::explicitHashKeysRoundTrip()
{
    RecordStore store;
    const UInt128 max = kMaxHashKey;
    store.append("x", "1", max);
    store.append("y", "2", max);
    store.append("z", "3", max - 1);
    const QByteArray bytes = Aggregator::encode(store, {0, 1, 2});
    auto unpacked = Deaggregator::unpack(bytes);
    QVERIFY(unpacked.ok());
    QCOMPARE(unpacked.value()[0].explicitHashKey.toByteArray(), QByteArray("340282366920938463463374607431768211455"));
    QCOMPARE(unpacked.value()[1].explicitHashKey.toByteArray(), QByteArray("340282366920938463463374607431768211455"));
    QCOMPARE(unpacked.value()[2].explicitHashKey.toByteArray(), QByteArray("340282366920938463463374607431768211454"));
    // Both records route to the same shard as the aggregated record would.
    auto packed = Aggregator::pack(store, {0, 1, 2}, uniform(5));
    QVERIFY(packed.ok());
    QCOMPARE(packed.value().kinesisRecordCount(), 1);
    QCOMPARE(packed.value().records.explicitHashKey(0), max);
}

void TstKpl::needsShardMap()
{
    RecordStore store;
    store.append("k", "d");
    auto packed = Aggregator::pack(store, {0}, ShardMap());
    QVERIFY(!packed.ok());
    QVERIFY(packed.error().message.contains(QLatin1String("shard map")));
}

void TstKpl::readsGetRecordsOutput()
{
    // As `aws kinesis get-records` prints it.
    const QByteArray json = R"({
    "Records": [
        {"SequenceNumber": "49590338271490256608559692538361571095921575989136588898",
         "ApproximateArrivalTimestamp": "2026-12-06T20:00:00.000000+00:00",
         "Data": "aGVsbG8=", "PartitionKey": "k1"},
        {"SequenceNumber": "2", "Data": "not base64!", "PartitionKey": "k2"},
        {"SequenceNumber": "3", "PartitionKey": "k3"}
    ],
    "NextShardIterator": "AAAA", "MillisBehindLatest": 0
})";
    auto read = KinesisRecordsFile::read(json, KinesisRecordsFile::Format::Auto, QStringLiteral("out.json"));
    QVERIFY(read.ok());
    const auto &records = read.value();
    QCOMPARE(records.size(), size_t(3));
    QCOMPARE(records[0].data, QByteArray("hello"));
    QCOMPARE(records[0].partitionKey, QStringLiteral("k1"));
    QCOMPARE(records[0].sequenceNumber, QStringLiteral("49590338271490256608559692538361571095921575989136588898"));
    QVERIFY(records[0].error.isEmpty());
    QCOMPARE(records[1].where, QStringLiteral("out.json: Records[1]"));
    QVERIFY(records[1].error.contains(QLatin1String("not base64")));
    QVERIFY(records[2].error.contains(QLatin1String("no \"Data\"")));
}

void TstKpl::readsLambdaEvent()
{
    const QByteArray json = R"({"Records": [{"kinesis": {"partitionKey": "pk", "sequenceNumber": "7",
        "data": "84mawgoCw6kKAWIaBggAGgJoaRoECAEaAM995EZGvUwRRMXagpMws1Y="}, "eventSource": "aws:kinesis"}]})";
    auto read = KinesisRecordsFile::read(json, KinesisRecordsFile::Format::Json, QStringLiteral("event.json"));
    QVERIFY(read.ok());
    QCOMPARE(read.value().size(), size_t(1));
    QCOMPARE(read.value()[0].partitionKey, QStringLiteral("pk"));
    QCOMPARE(read.value()[0].sequenceNumber, QStringLiteral("7"));
    // Made by aws-kinesis-agg: user records "hi" (key "é") and "" (key "b").
    auto users = Deaggregator::unpack(read.value()[0].data);
    QVERIFY(users.ok());
    QCOMPARE(users.value().size(), size_t(2));
    QCOMPARE(users.value()[0].partitionKey.toByteArray(), QByteArray("\xc3\xa9"));
    QCOMPARE(users.value()[0].data.toByteArray(), QByteArray("hi"));
    QCOMPARE(users.value()[1].partitionKey.toByteArray(), QByteArray("b"));
}

void TstKpl::readsBase64Lines()
{
    const QByteArray text = "aGVsbG8=\r\n\n-_8\nbad*line\n";
    QCOMPARE(KinesisRecordsFile::detect("aGVsbG8=\nd29ybGQ=\n"), KinesisRecordsFile::Format::Base64);
    auto read = KinesisRecordsFile::read(text, KinesisRecordsFile::Format::Base64, QStringLiteral("r.b64"));
    QVERIFY(read.ok());
    QCOMPARE(read.value().size(), size_t(3));
    QCOMPARE(read.value()[0].data, QByteArray("hello"));
    QCOMPARE(read.value()[1].data, QByteArray::fromHex("FBFF")); // URL alphabet, no padding
    QCOMPARE(read.value()[2].where, QStringLiteral("r.b64:4"));
    QVERIFY(!read.value()[2].error.isEmpty());
}

void TstKpl::detectsRawRecords()
{
    const QByteArray raw = wrap(sampleProto());
    QCOMPARE(KinesisRecordsFile::detect(raw), KinesisRecordsFile::Format::Raw);
    QCOMPARE(KinesisRecordsFile::detect(QByteArray("\x01\x02 binary")), KinesisRecordsFile::Format::Raw);
    auto read = KinesisRecordsFile::read(raw, KinesisRecordsFile::Format::Auto, QStringLiteral("r.bin"));
    QVERIFY(read.ok());
    QCOMPARE(read.value().size(), size_t(1));
    QCOMPARE(read.value()[0].data, raw);
    auto empty = KinesisRecordsFile::read(QByteArray(), KinesisRecordsFile::Format::Auto, QStringLiteral("e.bin"));
    QVERIFY(empty.ok());
    QVERIFY(empty.value().empty());
}

void TstKpl::refusesJsonWithoutRecords()
{
    auto read = KinesisRecordsFile::read("{\"Shards\": []}", KinesisRecordsFile::Format::Auto, QStringLiteral("x.json"));
    QVERIFY(!read.ok());
    QVERIFY(read.error().message.contains(QLatin1String("x.json: no \"Records\" array")));
    auto broken = KinesisRecordsFile::read("{\"Records\": [", KinesisRecordsFile::Format::Json, QStringLiteral("y.json"));
    QVERIFY(!broken.ok());
    QVERIFY(broken.error().message.startsWith(QLatin1String("y.json: not JSON at byte")));
}

QTEST_GUILESS_MAIN(TstKpl)
#include "tst_kpl.moc"
