// The sandbox's Kinesis API, driven in-process through kwb::net::KinesisClient: every operation,
// every error shape, ARN addressing, resharding, iterators of every type, paging.
#include "HashKey.h"
#include "SandboxTestSupport.h"
#include "ShardMap.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace kwb;
using namespace kwb::net;
using kwb::test::SandboxFixture;

namespace {

QString arnOf(const QString &name)
{
    return QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/") + name;
}

QJsonObject streamBody(const QString &name)
{
    return QJsonObject{{QStringLiteral("StreamName"), name}};
}

} // namespace

class TstSandboxApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void createDescribeListDelete();
    void onDemandStreamHasFourShards();
    void describeStreamListsShards();
    void errorShapes();
    void contentTypeFollowsTheProtocol();
    void validationMessages_data();
    void validationMessages();
    void putRecordsValidation();
    void arnAddressing();
    void malformedArnsAreRefused_data();
    void malformedArnsAreRefused();
    void hugeTimestampsDoNotOverflow();
    void routingMatchesShardMap();
    void updateShardCountClosesParents();
    void listShardsFiltersAndPages();
    void listStreamsPages();
    void iteratorsOfEveryType();
    void getRecordsPages();
    void closedShardEndsWithChildShards();
    void sequenceNumbersGrowPerShard();
    void binaryDataRoundTrips();

private:
    SandboxFixture m_sandbox;
    test::FakeClock m_clock;
};

void TstSandboxApi::init()
{
    m_clock = test::FakeClock();
    sandbox::SandboxOptions options;
    options.shardLimit = 60;
    KWB_VERIFY_OK(m_sandbox.start(options, m_clock.clock()));
}

void TstSandboxApi::cleanup()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
}

void TstSandboxApi::createDescribeListDelete()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("orders"), 3));
    auto names = test::await<QStringList>([&](QObject *ctx, auto done) { m_sandbox.client->listStreams(ctx, done); });
    KWB_VERIFY_OK(names);
    QCOMPARE(names.value(), QStringList{QStringLiteral("orders")});

    auto summary = test::await<StreamSummary>(
        [&](QObject *ctx, auto done) { m_sandbox.client->describeStreamSummary(QStringLiteral("orders"), ctx, done); });
    KWB_VERIFY_OK(summary);
    QCOMPARE(summary.value().name, QStringLiteral("orders"));
    QCOMPARE(summary.value().arn, arnOf(QStringLiteral("orders")));
    QCOMPARE(summary.value().status, QStringLiteral("ACTIVE"));
    QCOMPARE(summary.value().streamMode, QStringLiteral("PROVISIONED"));
    QCOMPARE(summary.value().openShardCount, 3);
    QCOMPARE(summary.value().retentionHours, 24);
    QCOMPARE(summary.value().maxRecordSizeKiB, 1024);

    auto raw = m_sandbox.call(QStringLiteral("DescribeStreamSummary"), streamBody(QStringLiteral("orders")));
    KWB_VERIFY_OK(raw);
    const QJsonObject d = raw.value().value(QLatin1String("StreamDescriptionSummary")).toObject();
    QCOMPARE(d.value(QLatin1String("MaxRecordSizeInKiB")).toInt(), 1024);
    QCOMPARE(d.value(QLatin1String("StreamCreationTimestamp")).toDouble(), double(m_clock.now()) / 1000.0);

    KWB_VERIFY_OK(test::await<void>(
        [&](QObject *ctx, auto done) { m_sandbox.client->deleteStream(QStringLiteral("orders"), ctx, done); }));
    auto gone = test::await<StreamSummary>(
        [&](QObject *ctx, auto done) { m_sandbox.client->describeStreamSummary(QStringLiteral("orders"), ctx, done); });
    KWB_VERIFY_ERROR(gone, "ResourceNotFoundException", 400);
    QCOMPARE(gone.error().message, QStringLiteral("Stream orders under account 000000000000 not found."));
    QCOMPARE(gone.error().kind, Error::Kind::NotFound);
}

void TstSandboxApi::onDemandStreamHasFourShards()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("flex"), 0)); // 0 = ON_DEMAND in the client
    auto summary = test::await<StreamSummary>(
        [&](QObject *ctx, auto done) { m_sandbox.client->describeStreamSummary(QStringLiteral("flex"), ctx, done); });
    KWB_VERIFY_OK(summary);
    QCOMPARE(summary.value().openShardCount, 4);
    QCOMPARE(summary.value().streamMode, QStringLiteral("ON_DEMAND"));
}

void TstSandboxApi::describeStreamListsShards()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("five"), 5));
    auto described = m_sandbox.call(QStringLiteral("DescribeStream"), streamBody(QStringLiteral("five")));
    KWB_VERIFY_OK(described);
    const QJsonObject d = described.value().value(QLatin1String("StreamDescription")).toObject();
    QCOMPARE(d.value(QLatin1String("StreamStatus")).toString(), QStringLiteral("ACTIVE"));
    QCOMPARE(d.value(QLatin1String("HasMoreShards")).toBool(), false);
    const QJsonArray shards = d.value(QLatin1String("Shards")).toArray();
    QCOMPARE(shards.size(), 5);
    const ShardMap uniform = ShardMap::uniform(5).value();
    for (int i = 0; i < 5; ++i) {
        const QJsonObject s = shards[i].toObject();
        QCOMPARE(s.value(QLatin1String("ShardId")).toString(), uniform.openShard(i).shardId);
        const QJsonObject range = s.value(QLatin1String("HashKeyRange")).toObject();
        QCOMPARE(range.value(QLatin1String("StartingHashKey")).toString(), hashKeyToString(uniform.openShard(i).startingHashKey));
        QCOMPARE(range.value(QLatin1String("EndingHashKey")).toString(), hashKeyToString(uniform.openShard(i).endingHashKey));
        QVERIFY(!s.value(QLatin1String("SequenceNumberRange")).toObject().value(QLatin1String("StartingSequenceNumber")).toString().isEmpty());
    }
    // Limit and ExclusiveStartShardId page through the shards.
    auto page = m_sandbox.call(QStringLiteral("DescribeStream"),
                               QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("five")},
                                           {QStringLiteral("Limit"), 2},
                                           {QStringLiteral("ExclusiveStartShardId"), QStringLiteral("shardId-000000000001")}});
    KWB_VERIFY_OK(page);
    const QJsonObject p = page.value().value(QLatin1String("StreamDescription")).toObject();
    QCOMPARE(p.value(QLatin1String("Shards")).toArray().size(), 2);
    QCOMPARE(p.value(QLatin1String("Shards")).toArray()[0].toObject().value(QLatin1String("ShardId")).toString(),
             QStringLiteral("shardId-000000000002"));
    QCOMPARE(p.value(QLatin1String("HasMoreShards")).toBool(), true);
}

void TstSandboxApi::errorShapes()
{
    // ResourceNotFoundException
    auto missing = m_sandbox.call(QStringLiteral("DescribeStreamSummary"), streamBody(QStringLiteral("nope")));
    KWB_VERIFY_ERROR(missing, "ResourceNotFoundException", 400);

    // ResourceInUseException
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("dup"), 1));
    auto inUse = m_sandbox.createStream(QStringLiteral("dup"), 1);
    KWB_VERIFY_ERROR(inUse, "ResourceInUseException", 400);
    QCOMPARE(inUse.error().message, QStringLiteral("Stream dup under account 000000000000 already exists."));
    QCOMPARE(inUse.error().kind, Error::Kind::InUse);

    // InvalidArgumentException
    auto invalid = m_sandbox.call(QStringLiteral("GetShardIterator"),
                                  QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("dup")},
                                              {QStringLiteral("ShardId"), QStringLiteral("shardId-000000000000")},
                                              {QStringLiteral("ShardIteratorType"), QStringLiteral("TRIM_HORIZON")},
                                              {QStringLiteral("StartingSequenceNumber"), QStringLiteral("1")}});
    KWB_VERIFY_ERROR(invalid, "InvalidArgumentException", 400);
    QVERIFY(invalid.error().message.contains(QLatin1String("Request specified TRIM_HORIZON and also a StartingSequenceNumber.")));

    // ValidationException
    auto validation = m_sandbox.createStream(QStringLiteral("bad name!"), 1);
    KWB_VERIFY_ERROR(validation, "ValidationException", 400);
    QCOMPARE(validation.error().message,
             QStringLiteral("1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: "
                            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    QCOMPARE(validation.error().kind, Error::Kind::Validation);

    // LimitExceededException: the account allows 60 open shards here.
    auto limit = m_sandbox.createStream(QStringLiteral("huge"), 60);
    KWB_VERIFY_ERROR(limit, "LimitExceededException", 400);
    QVERIFY(limit.error().message.startsWith(QLatin1String("This request would exceed the shard limit for the account 000000000000")));

    // ExpiredIteratorException: iterators live five minutes.
    auto iterator = m_sandbox.iterator(QStringLiteral("dup"), QStringLiteral("shardId-000000000000"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_OK(iterator);
    m_clock.advance(5 * 60 * 1000 + 1);
    auto expired = m_sandbox.getRecords(iterator.value());
    KWB_VERIFY_ERROR(expired, "ExpiredIteratorException", 400);
    QVERIFY(expired.error().message.startsWith(QLatin1String("Iterator expired. The iterator was created at time ")));
    QVERIFY(expired.error().message.endsWith(QLatin1String("tolerated delay of 300000 milliseconds.")));

    // A hand-made iterator.
    auto forged = m_sandbox.getRecords(QStringLiteral("AAAAAAAAAAE="));
    KWB_VERIFY_ERROR(forged, "InvalidArgumentException", 400);
    QCOMPARE(forged.error().message, QStringLiteral("Invalid ShardIterator."));

    // A shard that does not exist.
    auto noShard = m_sandbox.iterator(QStringLiteral("dup"), QStringLiteral("shardId-000000000009"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_ERROR(noShard, "ResourceNotFoundException", 400);
    QCOMPARE(noShard.error().message,
             QStringLiteral("Shard shardId-000000000009 in stream dup under account 000000000000 does not exist"));

    // UnknownOperationException
    auto unknown = m_sandbox.call(QStringLiteral("Frobnicate"), QJsonObject{});
    KWB_VERIFY_ERROR(unknown, "UnknownOperationException", 400);

    // SerializationException: not JSON, and JSON of the wrong type.
    const test::RawAnswer notJson = test::rawPost(m_sandbox.url, "Kinesis_20131202.ListStreams", "{\"Limit\": ");
    QCOMPARE(notJson.status, 400);
    QCOMPARE(notJson.type(), QStringLiteral("SerializationException"));
    auto wrongType = m_sandbox.call(QStringLiteral("CreateStream"), QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("x")},
                                                                               {QStringLiteral("ShardCount"), QStringLiteral("two")}});
    KWB_VERIFY_ERROR(wrongType, "SerializationException", 400);
    QCOMPARE(wrongType.error().message, QStringLiteral("class java.lang.String can not be converted to an Integer"));

    // A content type the service does not speak, and a GET.
    const test::RawAnswer plainJson = test::rawPost(m_sandbox.url, "Kinesis_20131202.ListStreams", "{}", "application/json");
    QCOMPARE(plainJson.status, 404);
    QCOMPARE(plainJson.type(), QStringLiteral("UnknownOperationException"));
}

// Each service that shares the endpoint answers with its own protocol's Content-Type, as AWS
// does: Kinesis AWS JSON 1.1, STS (the Query protocol) text/xml, SSO and SSO OIDC (REST JSON)
// application/json. Clients choose their parser by it.
void TstSandboxApi::contentTypeFollowsTheProtocol()
{
    const test::RawAnswer kinesis = test::rawPost(m_sandbox.url, "Kinesis_20131202.ListStreams", "{}");
    QCOMPARE(kinesis.status, 200);
    QCOMPARE(kinesis.contentType, QByteArray("application/x-amz-json-1.1"));
    const test::RawAnswer kinesisError = test::rawPost(m_sandbox.url, "Kinesis_20131202.ListStreams", "{\"Limit\": ");
    QCOMPARE(kinesisError.contentType, QByteArray("application/x-amz-json-1.1"));

    const test::RawAnswer sts = test::rawPost(m_sandbox.url, {}, "Action=GetCallerIdentity&Version=2011-06-15",
                                              "application/x-www-form-urlencoded");
    QCOMPARE(sts.status, 403); // unsigned
    QCOMPARE(sts.contentType, QByteArray("text/xml"));
    QVERIFY2(sts.body.startsWith("<ErrorResponse"), sts.body.constData());

    const test::RawAnswer oidc = test::rawPost(m_sandbox.url.resolved(QUrl(QStringLiteral("/client/register"))), {}, "{}",
                                               "application/json");
    QCOMPARE(oidc.contentType, QByteArray("application/json"));
    QVERIFY2(oidc.json().contains(QLatin1String("error")) || oidc.json().contains(QLatin1String("clientId")), oidc.body.constData());
}

void TstSandboxApi::validationMessages_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("no stream name") << QStringLiteral("CreateStream") << QJsonObject{{QStringLiteral("ShardCount"), 1}}
                                    << QStringLiteral("1 validation error detected: Value null at 'streamName' failed to "
                                                      "satisfy constraint: Member must not be null");
    QTest::newRow("zero shards") << QStringLiteral("CreateStream")
                                 << QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("s")}, {QStringLiteral("ShardCount"), 0}}
                                 << QStringLiteral("1 validation error detected: Value '0' at 'shardCount' failed to satisfy "
                                                   "constraint: Member must have value greater than or equal to 1");
    QTest::newRow("two errors") << QStringLiteral("CreateStream")
                                << QJsonObject{{QStringLiteral("StreamName"), QString(129, QLatin1Char('a'))},
                                               {QStringLiteral("ShardCount"), 100001}}
                                << QStringLiteral("2 validation errors detected: Value '100001' at 'shardCount' failed to "
                                                  "satisfy constraint: Member must have value less than or equal to 100000; "
                                                  "Value '%1' at 'streamName' failed to satisfy constraint: Member must have "
                                                  "length less than or equal to 128")
                                       .arg(QString(129, QLatin1Char('a')));
    QTest::newRow("bad iterator type") << QStringLiteral("GetShardIterator")
                                       << QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("s")},
                                                      {QStringLiteral("ShardId"), QStringLiteral("shardId-000000000000")},
                                                      {QStringLiteral("ShardIteratorType"), QStringLiteral("OLDEST")}}
                                       << QStringLiteral("1 validation error detected: Value 'OLDEST' at 'shardIteratorType' "
                                                         "failed to satisfy constraint: Member must satisfy enum value set: "
                                                         "[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, "
                                                         "TRIM_HORIZON]");
    QTest::newRow("bad ARN") << QStringLiteral("DescribeStreamSummary")
                             << QJsonObject{{QStringLiteral("StreamARN"), QStringLiteral("arn:aws:s3:::bucket")}}
                             << QStringLiteral("1 validation error detected: Value 'arn:aws:s3:::bucket' at 'streamARN' "
                                               "failed to satisfy constraint: Member must satisfy regular expression "
                                               "pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
    QTest::newRow("no stream at all") << QStringLiteral("DescribeStreamSummary") << QJsonObject{}
                                      << QStringLiteral("Either StreamName or StreamARN must be provided.");
    QTest::newRow("filter without type") << QStringLiteral("ListShards")
                                         << QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("s")},
                                                        {QStringLiteral("ShardFilter"), QJsonObject{}}}
                                         << QStringLiteral("1 validation error detected: Value null at 'shardFilter.type' "
                                                           "failed to satisfy constraint: Member must not be null");
    QTest::newRow("limit too high") << QStringLiteral("GetRecords")
                                    << QJsonObject{{QStringLiteral("ShardIterator"), QStringLiteral("x")}, {QStringLiteral("Limit"), 10001}}
                                    << QStringLiteral("1 validation error detected: Value '10001' at 'limit' failed to satisfy "
                                                      "constraint: Member must have value less than or equal to 10000");
}

void TstSandboxApi::validationMessages()
{
    QFETCH(QString, operation);
    QFETCH(QJsonObject, body);
    QFETCH(QString, message);
    auto answer = m_sandbox.call(operation, body);
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().httpStatus, 400);
    QCOMPARE(answer.error().message, message);
    QCOMPARE(answer.error().kind, Error::Kind::Validation);
}

void TstSandboxApi::putRecordsValidation()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("v"), 1));
    const auto recordsBody = [](const QJsonArray &records) {
        return QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("v")}, {QStringLiteral("Records"), records}};
    };
    const QJsonObject good{{QStringLiteral("PartitionKey"), QStringLiteral("k")}, {QStringLiteral("Data"), QStringLiteral("AAEC")}};
    QJsonObject emptyKey = good;
    emptyKey.insert(QStringLiteral("PartitionKey"), QString());
    auto answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({good, emptyKey}));
    KWB_VERIFY_ERROR(answer, "ValidationException", 400);
    QCOMPARE(answer.error().message,
             QStringLiteral("1 validation error detected: Value '' at 'records.2.member.partitionKey' failed to satisfy "
                            "constraint: Member must have length greater than or equal to 1"));

    QJsonObject noData = good;
    noData.remove(QStringLiteral("Data"));
    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({noData}));
    QCOMPARE(answer.error().message,
             QStringLiteral("1 validation error detected: Value null at 'records.1.member.data' failed to satisfy "
                            "constraint: Member must not be null"));

    QJsonObject badBase64 = good;
    badBase64.insert(QStringLiteral("Data"), QStringLiteral("AAE"));
    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({badBase64}));
    KWB_VERIFY_ERROR(answer, "SerializationException", 400);
    QCOMPARE(answer.error().message,
             QStringLiteral("'AAE' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes "
                            "but found: 3"));

    QJsonArray many;
    for (int i = 0; i < 501; ++i)
        many.append(good);
    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody(many));
    KWB_VERIFY_ERROR(answer, "ValidationException", 400);
    QVERIFY(answer.error().message.endsWith(QLatin1String("at 'records' failed to satisfy constraint: Member must have "
                                                          "length less than or equal to 500")));

    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({}));
    QVERIFY(answer.error().message.endsWith(QLatin1String("Member must have length greater than or equal to 1")));

    QJsonObject hashTooBig = good;
    hashTooBig.insert(QStringLiteral("ExplicitHashKey"), QStringLiteral("340282366920938463463374607431768211456"));
    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({hashTooBig}));
    KWB_VERIFY_ERROR(answer, "InvalidArgumentException", 400);
    QCOMPARE(answer.error().message,
             QStringLiteral("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value "
                            "was 340282366920938463463374607431768211456"));

    QJsonObject hashNotDecimal = good;
    hashNotDecimal.insert(QStringLiteral("ExplicitHashKey"), QStringLiteral("0x10"));
    answer = m_sandbox.call(QStringLiteral("PutRecords"), recordsBody({hashNotDecimal}));
    QCOMPARE(answer.error().message,
             QStringLiteral("1 validation error detected: Value '0x10' at 'records.1.member.explicitHashKey' failed to "
                            "satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"));

    // A partition key of 256 characters is fine, 257 is not (characters, not bytes).
    const QString key256(256, QChar(0xe9));
    auto ok = m_sandbox.putRecords(QStringLiteral("v"), {Record{key256, QByteArray("x"), std::nullopt}});
    KWB_VERIFY_OK(ok);
    QCOMPARE(ok.value().failedRecordCount, 0);
    auto tooLong = m_sandbox.putRecords(QStringLiteral("v"), {Record{key256 + QLatin1Char('x'), QByteArray("x"), std::nullopt}});
    KWB_VERIFY_ERROR(tooLong, "ValidationException", 400);
}

void TstSandboxApi::arnAddressing()
{
    const QString arn = arnOf(QStringLiteral("byarn"));
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("byarn"), 2));
    auto summary = test::await<StreamSummary>(
        [&](QObject *ctx, auto done) { m_sandbox.client->describeStreamSummary(arn, ctx, done); });
    KWB_VERIFY_OK(summary);
    QCOMPARE(summary.value().name, QStringLiteral("byarn"));
    auto shards = m_sandbox.listShards(arn);
    KWB_VERIFY_OK(shards);
    QCOMPARE(shards.value().size(), size_t(2));
    auto put = m_sandbox.putRecords(arn, test::makeRecords(10));
    KWB_VERIFY_OK(put);
    QCOMPARE(put.value().failedRecordCount, 0);
    auto single = test::await<PutRecordResult>([&](QObject *ctx, auto done) {
        m_sandbox.client->putRecord(arn, Record{QStringLiteral("one"), QByteArray("1"), std::nullopt}, QString(), ctx, done);
    });
    KWB_VERIFY_OK(single);
    auto iterator = m_sandbox.iterator(arn, single.value().shardId, ShardIteratorType::AtSequenceNumber, single.value().sequenceNumber);
    KWB_VERIFY_OK(iterator);
    auto read = m_sandbox.getRecords(iterator.value());
    KWB_VERIFY_OK(read);
    QCOMPARE(read.value().records.size(), size_t(1));
    QCOMPARE(read.value().records[0].data, QByteArray("1"));

    // Another account's ARN names no stream here.
    auto foreign = test::await<StreamSummary>([&](QObject *ctx, auto done) {
        m_sandbox.client->describeStreamSummary(QStringLiteral("arn:aws:kinesis:us-east-1:123456789012:stream/byarn"), ctx, done);
    });
    KWB_VERIFY_ERROR(foreign, "ResourceNotFoundException", 400);
    KWB_VERIFY_OK(test::await<void>([&](QObject *ctx, auto done) { m_sandbox.client->deleteStream(arn, ctx, done); }));
    auto gone = m_sandbox.listShards(QStringLiteral("byarn"));
    KWB_VERIFY_ERROR(gone, "ResourceNotFoundException", 400);
}

void TstSandboxApi::malformedArnsAreRefused_data()
{
    // Each passes the service model's pattern (arn:aws.*:kinesis:.*:\d{12}:stream/\S+), so only
    // a strict reading of the parts can tell what is wrong.
    QTest::addColumn<QString>("arn");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("a second resource") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a:stream/b")
                                       << QStringLiteral("the stream name 'a:stream/b'");
    QTest::newRow("a slash in the name") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a/b")
                                         << QStringLiteral("the stream name 'a/b'");
    QTest::newRow("account not 12 digits") << QStringLiteral("arn:aws:kinesis:us-east-1:x:kinesis:r:000000000000:stream/a")
                                           << QStringLiteral("the account 'x'");
    QTest::newRow("partition") << QStringLiteral("arn:awsx:kinesis:us-east-1:000000000000:stream/a")
                               << QStringLiteral("the partition 'awsx'");
    QTest::newRow("region") << QStringLiteral("arn:aws:kinesis:nowhere:000000000000:stream/a")
                            << QStringLiteral("the region 'nowhere'");
}

void TstSandboxApi::malformedArnsAreRefused()
{
    QFETCH(QString, arn);
    QFETCH(QString, mentions);
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("a"), 1));
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("b"), 1));
    for (const QString &operation : {QStringLiteral("DescribeStreamSummary"), QStringLiteral("ListShards")}) {
        auto answer = m_sandbox.call(operation, QJsonObject{{QStringLiteral("StreamARN"), arn}});
        KWB_VERIFY_ERROR(answer, "InvalidArgumentException", 400);
        QVERIFY2(answer.error().message.contains(mentions), qPrintable(answer.error().message));
        QVERIFY2(answer.error().message.contains(arn), qPrintable(answer.error().message));
    }
    auto put = m_sandbox.call(QStringLiteral("PutRecords"),
                              QJsonObject{{QStringLiteral("StreamARN"), arn},
                                          {QStringLiteral("Records"),
                                           QJsonArray{QJsonObject{{QStringLiteral("PartitionKey"), QStringLiteral("k")},
                                                                  {QStringLiteral("Data"), QStringLiteral("eA==")}}}}});
    KWB_VERIFY_ERROR(put, "InvalidArgumentException", 400);
}

void TstSandboxApi::hugeTimestampsDoNotOverflow()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("ts"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("ts"), test::makeRecords(3)));
    const auto iteratorAt = [&](double seconds) {
        return m_sandbox.call(QStringLiteral("GetShardIterator"),
                              QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("ts")},
                                          {QStringLiteral("ShardId"), QStringLiteral("shardId-000000000000")},
                                          {QStringLiteral("ShardIteratorType"), QStringLiteral("AT_TIMESTAMP")},
                                          {QStringLiteral("Timestamp"), seconds}});
    };
    // Far in the future: refused as kinesalite does (timestampInMillis 1e300 * 1000 > now).
    for (const double seconds : {1e300, 1e17, 9.3e15}) {
        auto future = iteratorAt(seconds);
        KWB_VERIFY_ERROR(future, "InvalidArgumentException", 400);
        QVERIFY2(future.error().message.startsWith(
                     QStringLiteral("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis.")),
                 qPrintable(future.error().message));
    }
    QVERIFY(iteratorAt(1e300).error().message.contains(QStringLiteral("timestampInMillis: 1e+303,")));
    // Far in the past: every record, as from the trim horizon.
    auto past = iteratorAt(-1e300);
    KWB_VERIFY_OK(past);
    auto read = m_sandbox.getRecords(past.value().value(QStringLiteral("ShardIterator")).toString());
    KWB_VERIFY_OK(read);
    QCOMPARE(read.value().records.size(), size_t(3));
    // ListShards with a timestamp filter beyond any qint64 of milliseconds.
    for (const double seconds : {1e300, -1e300}) {
        auto listed = m_sandbox.call(
            QStringLiteral("ListShards"),
            QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("ts")},
                        {QStringLiteral("ShardFilter"),
                         QJsonObject{{QStringLiteral("Type"), QStringLiteral("FROM_TIMESTAMP")}, {QStringLiteral("Timestamp"), seconds}}}});
        KWB_VERIFY_OK(listed);
        QCOMPARE(listed.value().value(QStringLiteral("Shards")).toArray().size(), 1);
    }
}

void TstSandboxApi::routingMatchesShardMap()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("route"), 7));
    const ShardMap map = ShardMap::uniform(7).value();
    std::vector<Record> records = test::makeRecords(300, QStringLiteral("key-"));
    for (int i = 0; i < 7; ++i) {
        records.push_back({QStringLiteral("s%1").arg(i), QByteArray("e"), map.openShard(i).startingHashKey});
        records.push_back({QStringLiteral("e%1").arg(i), QByteArray("e"), map.openShard(i).endingHashKey});
    }
    records.push_back({QStringLiteral("\u00e9\u4e2d"), QByteArray("utf8"), std::nullopt});
    auto put = m_sandbox.putRecords(QStringLiteral("route"), records);
    KWB_VERIFY_OK(put);
    QCOMPARE(put.value().failedRecordCount, 0);
    for (size_t i = 0; i < records.size(); ++i)
        QCOMPARE(put.value().records[i].shardId, map.shardFor(records[i].hashKey())->shardId);
}

void TstSandboxApi::updateShardCountClosesParents()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("grow"), 2));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("grow"), test::makeRecords(20)));
    m_clock.advance(1000);
    const QJsonObject request{{QStringLiteral("StreamName"), QStringLiteral("grow")},
                              {QStringLiteral("TargetShardCount"), 4},
                              {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}};
    auto updated = m_sandbox.call(QStringLiteral("UpdateShardCount"), request);
    KWB_VERIFY_OK(updated);
    QCOMPARE(updated.value().value(QLatin1String("CurrentShardCount")).toInt(), 2);
    QCOMPARE(updated.value().value(QLatin1String("TargetShardCount")).toInt(), 4);

    auto listed = m_sandbox.listShards(QStringLiteral("grow"));
    KWB_VERIFY_OK(listed);
    const std::vector<Shard> &shards = listed.value();
    QCOMPARE(shards.size(), size_t(6));
    for (int i = 0; i < 2; ++i) {
        QVERIFY2(!shards[size_t(i)].isOpen(), "a parent is still open");
        QVERIFY(parseHashKey(shards[size_t(i)].endingSequenceNumber.right(30)).ok());
    }
    for (int i = 2; i < 6; ++i) {
        QVERIFY(shards[size_t(i)].isOpen());
        QCOMPARE(shards[size_t(i)].shardId, ShardMap::shardIdForIndex(i));
        QVERIFY(!shards[size_t(i)].parentShardId.isEmpty());
    }
    QCOMPARE(shards[2].parentShardId, QStringLiteral("shardId-000000000000"));
    QCOMPARE(shards[5].parentShardId, QStringLiteral("shardId-000000000001"));
    // The open children cover the key space evenly: the client can route with them.
    auto map = ShardMap::fromShards(shards);
    KWB_VERIFY_OK(map);
    QCOMPARE(map.value().openShardCount(), 4);
    const ShardMap uniform = ShardMap::uniform(4).value();
    for (int i = 0; i < 4; ++i)
        QCOMPARE(map.value().openShard(i).startingHashKey, uniform.openShard(i).startingHashKey);
    auto put = m_sandbox.putRecords(QStringLiteral("grow"), test::makeRecords(40));
    KWB_VERIFY_OK(put);
    for (const PutRecordsEntry &e : put.value().records)
        QVERIFY2(e.shardId >= QStringLiteral("shardId-000000000002"), qPrintable(e.shardId));

    // The parents keep their records, readable to the end.
    auto iterator = m_sandbox.iterator(QStringLiteral("grow"), QStringLiteral("shardId-000000000000"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_OK(iterator);
    auto read = m_sandbox.getRecords(iterator.value());
    KWB_VERIFY_OK(read);
    QVERIFY(!read.value().records.empty());

    // More than double, or less than half, is refused.
    QJsonObject tooMany = request;
    tooMany.insert(QStringLiteral("TargetShardCount"), 9);
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("UpdateShardCount"), tooMany), "LimitExceededException", 400);
    QJsonObject tooFew = request;
    tooFew.insert(QStringLiteral("TargetShardCount"), 1);
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("UpdateShardCount"), tooFew), "LimitExceededException", 400);
    QJsonObject badType = request;
    badType.insert(QStringLiteral("ScalingType"), QStringLiteral("MAGIC"));
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("UpdateShardCount"), badType), "ValidationException", 400);

    // Scaling down merges: a child of two parents names both.
    QJsonObject shrink = request;
    shrink.insert(QStringLiteral("TargetShardCount"), 3);
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"), shrink));
    listed = m_sandbox.listShards(QStringLiteral("grow"));
    KWB_VERIFY_OK(listed);
    QCOMPARE(listed.value().size(), size_t(9));
    QCOMPARE(listed.value()[7].parentShardId, QStringLiteral("shardId-000000000003"));
    QCOMPARE(listed.value()[7].adjacentParentShardId, QStringLiteral("shardId-000000000004"));
    // Records now go to the three children only, each where the listed key ranges say.
    auto shrunk = ShardMap::fromShards(listed.value());
    KWB_VERIFY_OK(shrunk);
    QCOMPARE(shrunk.value().openShardCount(), 3);
    const auto later = test::makeRecords(60);
    auto putLater = m_sandbox.putRecords(QStringLiteral("grow"), later);
    KWB_VERIFY_OK(putLater);
    QCOMPARE(putLater.value().records.size(), later.size());
    for (size_t i = 0; i < later.size(); ++i) {
        QCOMPARE(putLater.value().records[i].shardId, shrunk.value().shardFor(later[i].hashKey())->shardId);
        QVERIFY2(putLater.value().records[i].shardId >= QStringLiteral("shardId-000000000006"),
                 qPrintable(putLater.value().records[i].shardId));
    }
}

void TstSandboxApi::listShardsFiltersAndPages()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("pages"), 7));
    QJsonObject first{{QStringLiteral("StreamName"), QStringLiteral("pages")}, {QStringLiteral("MaxResults"), 3}};
    QStringList ids;
    auto page = m_sandbox.call(QStringLiteral("ListShards"), first);
    int pages = 0;
    while (true) {
        KWB_VERIFY_OK(page);
        ++pages;
        for (const QJsonValue &s : page.value().value(QLatin1String("Shards")).toArray())
            ids.append(s.toObject().value(QLatin1String("ShardId")).toString());
        const QString token = page.value().value(QLatin1String("NextToken")).toString();
        if (token.isEmpty())
            break;
        page = m_sandbox.call(QStringLiteral("ListShards"),
                              QJsonObject{{QStringLiteral("NextToken"), token}, {QStringLiteral("MaxResults"), 3}});
    }
    QCOMPARE(pages, 3);
    QCOMPARE(ids.size(), 7);
    QCOMPARE(ids.last(), QStringLiteral("shardId-000000000006"));
    // The client follows NextToken by itself.
    auto all = m_sandbox.listShards(QStringLiteral("pages"));
    KWB_VERIFY_OK(all);
    QCOMPARE(all.value().size(), size_t(7));

    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("ListShards"),
                                    QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("pages")},
                                                {QStringLiteral("NextToken"), QStringLiteral("abc")}}),
                     "InvalidArgumentException", 400);
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("ListShards"), QJsonObject{}), "InvalidArgumentException", 400);

    // Filters, after a reshard 7 -> 4 (7 closed, 4 open).
    m_clock.advance(60 * 1000);
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"),
                                 QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("pages")},
                                             {QStringLiteral("TargetShardCount"), 4},
                                             {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}}));
    const auto filtered = [&](const QJsonObject &filter) {
        auto answer = m_sandbox.call(QStringLiteral("ListShards"),
                                     QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("pages")},
                                                 {QStringLiteral("ShardFilter"), filter}});
        QStringList result;
        for (const QJsonValue &s : answer.valueOr({}).value(QLatin1String("Shards")).toArray())
            result.append(s.toObject().value(QLatin1String("ShardId")).toString().right(2));
        return result.join(QLatin1Char(','));
    };
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("AT_LATEST")}}), QStringLiteral("07,08,09,10"));
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("AT_TRIM_HORIZON")}}), QStringLiteral("00,01,02,03,04,05,06"));
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("FROM_TRIM_HORIZON")}}).count(QLatin1Char(',')), 10);
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("AFTER_SHARD_ID")},
                       {QStringLiteral("ShardId"), QStringLiteral("shardId-000000000008")}}),
             QStringLiteral("09,10"));
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("AT_TIMESTAMP")},
                       {QStringLiteral("Timestamp"), double(m_clock.now()) / 1000.0 + 1}}),
             QStringLiteral("07,08,09,10"));
    QCOMPARE(filtered({{QStringLiteral("Type"), QStringLiteral("AT_TIMESTAMP")},
                       {QStringLiteral("Timestamp"), double(m_clock.now()) / 1000.0 - 30}}),
             QStringLiteral("00,01,02,03,04,05,06"));
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("ListShards"),
                                    QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("pages")},
                                                {QStringLiteral("ShardFilter"),
                                                 QJsonObject{{QStringLiteral("Type"), QStringLiteral("AFTER_SHARD_ID")}}}}),
                     "InvalidArgumentException", 400);
}

void TstSandboxApi::listStreamsPages()
{
    for (const char *name : {"a1", "a2", "a3", "b1", "b2"})
        KWB_VERIFY_OK(m_sandbox.createStream(QLatin1String(name), 1));
    auto page = m_sandbox.call(QStringLiteral("ListStreams"), QJsonObject{{QStringLiteral("Limit"), 2}});
    KWB_VERIFY_OK(page);
    QCOMPARE(page.value().value(QLatin1String("StreamNames")).toArray().toVariantList(),
             (QVariantList{QStringLiteral("a1"), QStringLiteral("a2")}));
    QCOMPARE(page.value().value(QLatin1String("HasMoreStreams")).toBool(), true);
    QCOMPARE(page.value().value(QLatin1String("StreamSummaries")).toArray().size(), 2);
    QCOMPARE(page.value().value(QLatin1String("StreamSummaries")).toArray()[0].toObject().value(QLatin1String("StreamARN")).toString(),
             arnOf(QStringLiteral("a1")));
    auto next = m_sandbox.call(QStringLiteral("ListStreams"),
                               QJsonObject{{QStringLiteral("Limit"), 2},
                                           {QStringLiteral("NextToken"), page.value().value(QLatin1String("NextToken")).toString()}});
    KWB_VERIFY_OK(next);
    QCOMPARE(next.value().value(QLatin1String("StreamNames")).toArray().toVariantList(),
             (QVariantList{QStringLiteral("a3"), QStringLiteral("b1")}));
    auto old = m_sandbox.call(QStringLiteral("ListStreams"), QJsonObject{{QStringLiteral("ExclusiveStartStreamName"), QStringLiteral("b1")}});
    KWB_VERIFY_OK(old);
    QCOMPARE(old.value().value(QLatin1String("StreamNames")).toArray().toVariantList(), (QVariantList{QStringLiteral("b2")}));
    QCOMPARE(old.value().value(QLatin1String("HasMoreStreams")).toBool(), false);
    QVERIFY(!old.value().contains(QLatin1String("NextToken")));
    auto all = test::await<QStringList>([&](QObject *ctx, auto done) { m_sandbox.client->listStreams(ctx, done); });
    KWB_VERIFY_OK(all);
    QCOMPARE(all.value().size(), 5);
}

void TstSandboxApi::iteratorsOfEveryType()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("it"), 1));
    const QString shard = QStringLiteral("shardId-000000000000");
    std::vector<QString> sequences;
    std::vector<qint64> times;
    for (int i = 0; i < 5; ++i) {
        m_clock.advance(1000);
        times.push_back(m_clock.now());
        auto put = test::await<PutRecordResult>([&](QObject *ctx, auto done) {
            m_sandbox.client->putRecord(QStringLiteral("it"), Record{QStringLiteral("k"), QByteArray::number(i), std::nullopt},
                                        QString(), ctx, done);
        });
        KWB_VERIFY_OK(put);
        sequences.push_back(put.value().sequenceNumber);
    }
    const auto count = [&](Result<QString> iterator) -> int {
        if (!iterator.ok())
            return -100;
        auto read = m_sandbox.getRecords(iterator.value());
        return read.ok() ? int(read.value().records.size()) : -1;
    };
    QCOMPARE(count(m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::TrimHorizon)), 5);
    QCOMPARE(count(m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::AtSequenceNumber, sequences[2])), 3);
    QCOMPARE(count(m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::AfterSequenceNumber, sequences[2])), 2);
    QCOMPARE(count(m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::AtTimestamp, {},
                                      QDateTime::fromMSecsSinceEpoch(times[3], Qt::UTC))),
             2);
    auto latest = m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::Latest);
    KWB_VERIFY_OK(latest);
    auto none = m_sandbox.getRecords(latest.value());
    KWB_VERIFY_OK(none);
    QCOMPARE(none.value().records.size(), size_t(0));
    m_clock.advance(1000); // five GetRecords calls so far: the shard's read limit for this second
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("it"), test::makeRecords(2)));
    auto after = m_sandbox.getRecords(none.value().nextShardIterator);
    KWB_VERIFY_OK(after);
    QCOMPARE(after.value().records.size(), size_t(2));
    QCOMPARE(after.value().records[0].approximateArrivalTimestamp.toMSecsSinceEpoch(), m_clock.now());

    // Errors of each kind of iterator request.
    KWB_VERIFY_ERROR(m_sandbox.iterator(QStringLiteral("it"), shard, ShardIteratorType::AtSequenceNumber, QStringLiteral("12345")),
                     "InvalidArgumentException", 400);
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("GetShardIterator"),
                                    QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("it")},
                                                {QStringLiteral("ShardId"), shard},
                                                {QStringLiteral("ShardIteratorType"), QStringLiteral("AT_TIMESTAMP")}}),
                     "InvalidArgumentException", 400);
    KWB_VERIFY_ERROR(m_sandbox.call(QStringLiteral("GetShardIterator"),
                                    QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("it")},
                                                {QStringLiteral("ShardId"), shard},
                                                {QStringLiteral("ShardIteratorType"), QStringLiteral("AFTER_SEQUENCE_NUMBER")}}),
                     "InvalidArgumentException", 400);
    // A sequence number of another shard.
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("it2"), 2));
    auto other = m_sandbox.putRecords(QStringLiteral("it2"), {Record{QStringLiteral("x"), QByteArray("x"), kMaxHashKey}});
    KWB_VERIFY_OK(other);
    auto wrongShard = m_sandbox.iterator(QStringLiteral("it2"), QStringLiteral("shardId-000000000000"),
                                         ShardIteratorType::AtSequenceNumber, other.value().records[0].sequenceNumber);
    KWB_VERIFY_ERROR(wrongShard, "InvalidArgumentException", 400);
    QCOMPARE(wrongShard.error().message,
             QStringLiteral("Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to "
                            "a shard with shardId-000000000000"));
}

void TstSandboxApi::getRecordsPages()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("page"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("page"), test::makeRecords(25)));
    m_clock.advance(2000);
    auto iterator = m_sandbox.iterator(QStringLiteral("page"), QStringLiteral("shardId-000000000000"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_OK(iterator);
    QString next = iterator.value();
    std::vector<int> sizes;
    QStringList keys;
    qint64 firstBehind = -1;
    for (int i = 0; i < 4; ++i) {
        auto read = m_sandbox.getRecords(next, 10);
        KWB_VERIFY_OK(read);
        sizes.push_back(int(read.value().records.size()));
        for (const StoredRecord &r : read.value().records)
            keys.append(r.partitionKey);
        if (i == 0)
            firstBehind = read.value().millisBehindLatest;
        if (i == 3)
            QCOMPARE(read.value().millisBehindLatest, qint64(0));
        next = read.value().nextShardIterator;
        QVERIFY(!next.isEmpty());
    }
    QCOMPARE(sizes, (std::vector<int>{10, 10, 5, 0}));
    QCOMPARE(firstBehind, qint64(2000));
    QCOMPARE(keys.size(), 25);
    QCOMPARE(keys.front(), QStringLiteral("k0"));
    QCOMPARE(keys.back(), QStringLiteral("k24"));
}

void TstSandboxApi::closedShardEndsWithChildShards()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("closing"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("closing"), test::makeRecords(3)));
    auto iterator = m_sandbox.iterator(QStringLiteral("closing"), QStringLiteral("shardId-000000000000"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_OK(iterator);
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"),
                                 QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("closing")},
                                             {QStringLiteral("TargetShardCount"), 2},
                                             {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}}));
    auto read = m_sandbox.call(QStringLiteral("GetRecords"), QJsonObject{{QStringLiteral("ShardIterator"), iterator.value()}});
    KWB_VERIFY_OK(read);
    QCOMPARE(read.value().value(QLatin1String("Records")).toArray().size(), 3);
    QVERIFY(!read.value().contains(QLatin1String("NextShardIterator")));
    const QJsonArray children = read.value().value(QLatin1String("ChildShards")).toArray();
    QCOMPARE(children.size(), 2);
    QCOMPARE(children[0].toObject().value(QLatin1String("ShardId")).toString(), QStringLiteral("shardId-000000000001"));
    QCOMPARE(children[1].toObject().value(QLatin1String("ParentShards")).toArray().first().toString(),
             QStringLiteral("shardId-000000000000"));
}

void TstSandboxApi::sequenceNumbersGrowPerShard()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("seq"), 3));
    auto first = m_sandbox.putRecords(QStringLiteral("seq"), test::makeRecords(200));
    KWB_VERIFY_OK(first);
    QHash<QString, QString> last;
    QSet<QString> all;
    for (const PutRecordsEntry &e : first.value().records) {
        QCOMPARE(e.sequenceNumber.size(), 56);
        QVERIFY(std::all_of(e.sequenceNumber.begin(), e.sequenceNumber.end(), [](QChar c) { return c.isDigit(); }));
        if (last.contains(e.shardId))
            QVERIFY(e.sequenceNumber > last.value(e.shardId));
        last[e.shardId] = e.sequenceNumber;
        all.insert(e.sequenceNumber);
    }
    QCOMPARE(all.size(), 200);
    // SequenceNumberForOrdering is accepted; the next number is still larger.
    auto ordered = test::await<PutRecordResult>([&](QObject *ctx, auto done) {
        m_sandbox.client->putRecord(QStringLiteral("seq"), Record{QStringLiteral("k0"), QByteArray("z"), std::nullopt},
                                    first.value().records[0].sequenceNumber, ctx, done);
    });
    KWB_VERIFY_OK(ordered);
    QVERIFY(ordered.value().sequenceNumber > last.value(ordered.value().shardId));
}

void TstSandboxApi::binaryDataRoundTrips()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("bin"), 1));
    QByteArray all256;
    for (int i = 0; i < 256; ++i)
        all256.append(char(i));
    std::vector<Record> records{{QStringLiteral("a"), all256, std::nullopt},
                                {QStringLiteral("quote\"and\\slash"), QByteArray("\x00", 1), std::nullopt},
                                {QStringLiteral("big"), QByteArray(512 * 1024, 'x'), std::nullopt}};
    auto put = m_sandbox.putRecords(QStringLiteral("bin"), records);
    KWB_VERIFY_OK(put);
    QCOMPARE(put.value().failedRecordCount, 0);
    auto iterator = m_sandbox.iterator(QStringLiteral("bin"), QStringLiteral("shardId-000000000000"), ShardIteratorType::TrimHorizon);
    KWB_VERIFY_OK(iterator);
    auto read = m_sandbox.getRecords(iterator.value());
    KWB_VERIFY_OK(read);
    QCOMPARE(read.value().records.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) {
        QCOMPARE(read.value().records[i].partitionKey, records[i].partitionKey);
        QCOMPARE(read.value().records[i].data, records[i].data);
    }
}

QTEST_GUILESS_MAIN(TstSandboxApi)
#include "tst_sandbox_api.moc"
