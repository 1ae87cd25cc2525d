// "What will my consumer see?" in core: RecordInspection (where each user record sits, why a
// record cannot be unpacked), the KCL's records and the Lambda event of one Kinesis record, and
// the Kinesis record a workspace row goes out as. The aggregated records are built byte by byte
// here (protobuf written by hand, MD5 from QCryptographicHash); the expected JSON is written out
// by hand from the AWS Lambda documentation's Kinesis event example.
#include "HashKey.h"
#include "RecordStore.h"
#include "ShardMap.h"
#include "kpl/ConsumerView.h"
#include "kpl/Deaggregator.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace kwb;
using namespace kwb::kpl;

namespace {

QByteArray framed(const QByteArray &protobuf)
{
    return QByteArray::fromHex("F3899AC2") + protobuf + QCryptographicHash::hash(protobuf, QCryptographicHash::Md5);
}

/// Partition keys "a", "b"; explicit hash key "123"; user records {a, "x"} and {b, 123, "yz"}.
QByteArray twoUserRecordsProtobuf()
{
    return QByteArray::fromHex("0A0161"           // partition_key_table "a"  (bytes 4..6)
                               "0A0162"           // partition_key_table "b"  (7..9)
                               "1203313233"       // explicit_hash_key_table "123" (10..14)
                               "1A05" "0800" "1A0178"             // record: key 0, data "x" (15..21)
                               "1A08" "0801" "1000" "1A02797A");  // record: key 1, hash key 0, data "yz" (22..31)
}

} // namespace

class TstConsumerView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inspectsUserRecordSpans();
    void brokenRecordsSayWhy_data();
    void brokenRecordsSayWhy();
    void kclRecordsOfAnAggregatedRecord();
    void kclRecordsOfPlainAndBrokenRecords();
    void lambdaEventAsTheDocsShowIt();
    void framingShowsTheParts();
    void rowRecordPlainOrPacked();
    void holdsUserRecordComparesEverything();
};

void TstConsumerView::inspectsUserRecordSpans()
{
    const QByteArray record = framed(twoUserRecordsProtobuf());
    QCOMPARE(record.size(), 48);
    const RecordInspection inspection = RecordInspection::inspect(record);
    QCOMPARE(inspection.kind, RecordInspection::Kind::Aggregated);
    QCOMPARE(inspection.userRecords.size(), size_t(2));
    const UserRecordSpan &first = inspection.userRecords[0];
    QCOMPARE(first.keyOffset, 6);
    QCOMPARE(first.keyLength, 1);
    QVERIFY(!first.hasExplicitHashKey());
    QCOMPARE(first.dataOffset, 21);
    QCOMPARE(first.dataLength, 1);
    QCOMPARE(first.subSequenceNumber, 0);
    const UserRecordSpan &second = inspection.userRecords[1];
    QCOMPARE(second.partitionKey(record), QByteArrayView("b"));
    QCOMPARE(second.explicitHashKey(record), QByteArrayView("123"));
    QCOMPARE(second.hashKeyOffset, 12);
    QCOMPARE(second.data(record), QByteArrayView("yz"));
    QCOMPARE(second.dataOffset, 30);
    QCOMPARE(second.subSequenceNumber, 1);
    QVERIFY(inspection.shortReason().isEmpty());

    QCOMPARE(RecordInspection::inspect(QByteArray("plain text")).kind, RecordInspection::Kind::Plain);
    QCOMPARE(RecordInspection::inspect(QByteArray()).kind, RecordInspection::Kind::Plain);
}

void TstConsumerView::brokenRecordsSayWhy_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("code");
    QByteArray tampered = framed(twoUserRecordsProtobuf());
    tampered[21] = 'X'; // the first user record's data, after the MD5 was taken
    QTest::newRow("md5 mismatch") << tampered << QStringLiteral("aggregated record, MD5 mismatch") << QStringLiteral("KplBadDigest");
    // The second user record says 8 bytes but the protobuf ends 4 bytes into it (MD5 of what is there).
    QTest::newRow("truncated protobuf") << framed(twoUserRecordsProtobuf().left(24))
                                        << QStringLiteral("aggregated record, malformed protobuf") << QStringLiteral("KplMalformed");
    QTest::newRow("bad key index") << framed(QByteArray::fromHex("0A0161" "1A05" "0805" "1A0178"))
                                   << QStringLiteral("aggregated record, a key index points outside its table")
                                   << QStringLiteral("KplBadIndex");
    QTest::newRow("no data") << framed(QByteArray::fromHex("0A0161" "1A02" "0800"))
                             << QStringLiteral("aggregated record, a required field is missing") << QStringLiteral("KplMissingField");
    QTest::newRow("too short") << QByteArray::fromHex("F3899AC2" "0A0161")
                               << QStringLiteral("aggregated record, too short for its MD5") << QStringLiteral("KplTooShort");
}

void TstConsumerView::brokenRecordsSayWhy()
{
    QFETCH(QByteArray, record);
    QFETCH(QString, reason);
    QFETCH(QString, code);
    const RecordInspection inspection = RecordInspection::inspect(record);
    QCOMPARE(inspection.kind, RecordInspection::Kind::Broken);
    QVERIFY(inspection.userRecords.empty());
    QCOMPARE(inspection.error.code, code);
    QCOMPARE(inspection.shortReason(), reason);
    QVERIFY(!inspection.error.message.isEmpty());
}

void TstConsumerView::kclRecordsOfAnAggregatedRecord()
{
    KinesisRecordFacts facts;
    facts.data = framed(twoUserRecordsProtobuf());
    facts.partitionKey = QStringLiteral("a");
    facts.sequenceNumber = QStringLiteral("49590338271490256608559692538361571095921575989136588898");
    facts.shardId = QStringLiteral("shardId-000000000006");
    facts.arrivalMs = 1545084650987;
    const QByteArray expected = R"json([
  {
    "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
    "subSequenceNumber": 0,
    "partitionKey": "a",
    "aggregated": true,
    "approximateArrivalTimestamp": 1545084650987,
    "data": "eA=="
  },
  {
    "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
    "subSequenceNumber": 1,
    "partitionKey": "b",
    "explicitHashKey": "123",
    "aggregated": true,
    "approximateArrivalTimestamp": 1545084650987,
    "data": "eXo="
  }
]
)json";
    QCOMPARE(consumer::kclRecordsJson(facts), expected);
    QVERIFY(consumer::kclSummary(facts).contains(QStringLiteral("its 2 user records")));
}

void TstConsumerView::kclRecordsOfPlainAndBrokenRecords()
{
    KinesisRecordFacts plain;
    plain.data = "Hello, this is a test.";
    plain.partitionKey = QStringLiteral("1");
    plain.explicitHashKey = QStringLiteral("42");
    plain.arrivalMs = 1000;
    // Not sent: the sequence number says so.
    QCOMPARE(consumer::kclRecordsJson(plain), QByteArray(R"json([
  {
    "sequenceNumber": "(assigned by Kinesis when sent)",
    "subSequenceNumber": 0,
    "partitionKey": "1",
    "explicitHashKey": "42",
    "aggregated": false,
    "approximateArrivalTimestamp": 1000,
    "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg=="
  }
]
)json"));
    QVERIFY(consumer::kclSummary(plain).startsWith(QStringLiteral("A plain record")));

    // A bad MD5: the KCL passes the whole record on, magic and all, as one plain record.
    KinesisRecordFacts broken;
    broken.data = framed(twoUserRecordsProtobuf());
    broken.data[21] = 'X';
    broken.partitionKey = QStringLiteral("a");
    broken.sequenceNumber = QStringLiteral("7");
    const QJsonDocument doc = QJsonDocument::fromJson(consumer::kclRecordsJson(broken));
    QCOMPARE(doc.array().size(), 1);
    QCOMPARE(doc.array().at(0).toObject().value(QStringLiteral("aggregated")).toBool(true), false);
    QCOMPARE(QByteArray::fromBase64(doc.array().at(0).toObject().value(QStringLiteral("data")).toString().toLatin1()),
             broken.data);
    QVERIFY(consumer::kclSummary(broken).startsWith(QStringLiteral("aggregated record, MD5 mismatch. The KCL does not unpack it")));
}

void TstConsumerView::lambdaEventAsTheDocsShowIt()
{
    // The AWS Lambda documentation's example Kinesis event ("Using Lambda with Kinesis"), without
    // invokeIdentityArn.
    KinesisRecordFacts facts;
    facts.data = "Hello, this is a test.";
    facts.partitionKey = QStringLiteral("1");
    facts.sequenceNumber = QStringLiteral("49590338271490256608559692538361571095921575989136588898");
    facts.shardId = QStringLiteral("shardId-000000000006");
    facts.arrivalMs = 1545084650987;
    const EventSourceFacts source{QStringLiteral("arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"),
                                  QStringLiteral("us-east-2")};
    const QByteArray expected = R"json({
  "Records": [
    {
      "kinesis": {
        "kinesisSchemaVersion": "1.0",
        "partitionKey": "1",
        "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
        "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==",
        "approximateArrivalTimestamp": 1545084650.987
      },
      "eventSource": "aws:kinesis",
      "eventVersion": "1.0",
      "eventID": "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
      "eventName": "aws:kinesis:record",
      "awsRegion": "us-east-2",
      "eventSourceARN": "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"
    }
  ]
}
)json";
    QCOMPARE(consumer::lambdaEventJson(facts, source), expected);

    // Milliseconds below 100 keep their zeros; an aggregated record goes as it is (Lambda does not unpack).
    facts.arrivalMs = 1545084650007;
    facts.data = framed(twoUserRecordsProtobuf());
    const QJsonObject kinesis = QJsonDocument::fromJson(consumer::lambdaEventJson(facts, source))
                                    .object()
                                    .value(QStringLiteral("Records"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("kinesis"))
                                    .toObject();
    QCOMPARE(kinesis.value(QStringLiteral("approximateArrivalTimestamp")).toDouble(), 1545084650.007);
    QCOMPARE(QByteArray::fromBase64(kinesis.value(QStringLiteral("data")).toString().toLatin1()), facts.data);
    QVERIFY(consumer::lambdaEventJson(facts, source).contains("\"approximateArrivalTimestamp\": 1545084650.007\n"));
}

void TstConsumerView::framingShowsTheParts()
{
    const QByteArray record = framed(twoUserRecordsProtobuf());
    const QString text = consumer::framing(record);
    QVERIFY2(text.contains(QStringLiteral("bytes 4..31  protobuf AggregatedRecord (28 bytes)")), qPrintable(text));
    const QByteArray md5 = QCryptographicHash::hash(twoUserRecordsProtobuf(), QCryptographicHash::Md5).toHex();
    QVERIFY2(text.contains(QStringLiteral("bytes 32..47  MD5 %1 (computed %1: matches)").arg(QLatin1String(md5))), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("2 user records; partition keys used: 2; explicit hash keys used: 1")), qPrintable(text));
    QByteArray tampered = record;
    tampered[21] = 'X';
    const QString bad = consumer::framing(tampered);
    QVERIFY2(bad.contains(QStringLiteral("DOES NOT MATCH")) && bad.contains(QStringLiteral("Cannot be unpacked")), qPrintable(bad));
    QVERIFY(consumer::framing("plain").startsWith(QStringLiteral("Plain record: 5 bytes")));
}

void TstConsumerView::rowRecordPlainOrPacked()
{
    RecordStore store;
    store.append("k1", "one");
    store.append("k2", "two", UInt128(42));
    store.append("k3", "three");
    const ShardMap map = ShardMap::uniform(1).value();

    const KinesisRecordFacts plain = consumer::packedRecordOf(store, 1, map, false);
    QCOMPARE(plain.data, QByteArray("two"));
    QCOMPARE(plain.partitionKey, QStringLiteral("k2"));
    QCOMPARE(plain.explicitHashKey, QStringLiteral("42"));

    // One shard: all three share one aggregated record, under the first one's key and hash key.
    const KinesisRecordFacts packed = consumer::packedRecordOf(store, 1, map, true);
    QCOMPARE(packed.partitionKey, QStringLiteral("k1"));
    QCOMPARE(packed.explicitHashKey, hashKeyToString(hashPartitionKey(QByteArray("k1"))));
    QVERIFY(packed.data.startsWith(QByteArray::fromHex("F3899AC2")));
    const auto users = Deaggregator::unpack(packed.data);
    QVERIFY(users.ok());
    QCOMPARE(users.value().size(), size_t(3));
    QCOMPARE(users.value()[1].partitionKey, QByteArrayView("k2"));
    QCOMPARE(users.value()[1].explicitHashKey, QByteArrayView("42"));
    QCOMPARE(users.value()[2].data, QByteArrayView("three"));
    // Not sent yet: no arrival time, in either view (not 0, which a consumer reads as 1970).
    const QJsonArray kcl = QJsonDocument::fromJson(consumer::kclRecordsJson(packed)).array();
    QCOMPARE(kcl.size(), 3);
    QVERIFY(kcl.at(0).toObject().value(QStringLiteral("approximateArrivalTimestamp")).isNull());
    const QJsonObject event = QJsonDocument::fromJson(consumer::lambdaEventJson(packed, {})).object();
    QVERIFY(event.value(QStringLiteral("Records")).toArray().at(0).toObject().value(QStringLiteral("kinesis")).toObject()
                .value(QStringLiteral("approximateArrivalTimestamp")).isNull());

    // What was sent: the members given, in order.
    const KinesisRecordFacts sent = consumer::sentRecordOf(store, {2, 0}, true);
    const auto sentUsers = Deaggregator::unpack(sent.data);
    QVERIFY(sentUsers.ok());
    QCOMPARE(sentUsers.value().size(), size_t(2));
    QCOMPARE(sentUsers.value()[0].data, QByteArrayView("three"));
    QCOMPARE(sent.partitionKey, QStringLiteral("k3"));
    QCOMPARE(consumer::sentRecordOf(store, {0}, false).data, QByteArray("one"));
}

void TstConsumerView::holdsUserRecordComparesEverything()
{
    const QByteArray record = framed(twoUserRecordsProtobuf());
    QVERIFY(RecordInspection::holdsUserRecord(record, 0, "a", "x", std::nullopt));
    QVERIFY(RecordInspection::holdsUserRecord(record, 1, "b", "yz", UInt128(123)));
    QVERIFY(!RecordInspection::holdsUserRecord(record, 1, "b", "yz", std::nullopt)); // its hash key is missed
    QVERIFY(!RecordInspection::holdsUserRecord(record, 1, "b", "yz", UInt128(124)));
    QVERIFY(!RecordInspection::holdsUserRecord(record, 0, "a", "y", std::nullopt));
    QVERIFY(!RecordInspection::holdsUserRecord(record, 0, "b", "x", std::nullopt));
    QVERIFY(!RecordInspection::holdsUserRecord(record, 1, "a", "x", std::nullopt)); // the other place
    QVERIFY(!RecordInspection::holdsUserRecord(record, 2, "a", "x", std::nullopt));
    QVERIFY(!RecordInspection::holdsUserRecord(record, -1, "a", "x", std::nullopt));
    QByteArray tampered = record;
    tampered[30] = 'Y';
    QVERIFY(!RecordInspection::holdsUserRecord(tampered, 0, "a", "x", std::nullopt)); // the MD5 fails the whole record
    QVERIFY(!RecordInspection::holdsUserRecord("x", 0, "a", "x", std::nullopt));
}

QTEST_GUILESS_MAIN(TstConsumerView)
#include "tst_consumerview.moc"
