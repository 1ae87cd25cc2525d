// The Kinesis client's protocol handling against a scripted loopback HTTP server: request shape
// and signing headers, pagination, error classification, and answers no healthy endpoint sends
// (not JSON, truncated, silence, reset, wrong record count).
#include "ScriptedHttpServer.h"
#include "TestSupport.h"
#include "net/KinesisClient.h"
#include "net/ReplyFacts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QTest>

using namespace kwb;
using namespace kwb::net;
using kwb::test::await;
using Server = kwb::test::ScriptedHttpServer;

namespace {

const QString kSecret = QStringLiteral("kwbSecretKeyThatMustNeverLeak/0123456789");
const QString kToken = QStringLiteral("kwbSessionTokenThatMustNeverLeak");

ClientOptions optionsFor(const Server &server)
{
    ClientOptions options;
    options.endpoint = QUrl(server.url());
    options.region = QStringLiteral("eu-west-1");
    options.credentials = {QStringLiteral("AKIDKWBUNIT"), kSecret, kToken, {}, QStringLiteral("test")};
    options.connectTimeoutMs = 2000;
    options.transferTimeoutMs = 2000;
    return options;
}

QJsonObject bodyOf(const Server::Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

Server::Answer ok(const QByteArray &json)
{
    return {Server::Action::Respond, Server::response(200, json)};
}

void verifyNoSecrets(const Error &error)
{
    QVERIFY(!error.toString().contains(kSecret));
    QVERIFY(!error.toString().contains(kToken));
}

} // namespace

class TstKinesisClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestShapeAndSigningHeaders();
    void streamArnIsSentAsStreamArn();
    void putRecordsBodyIsValidJson();
    void putRecordsPartialFailure();
    void putRecordsCountMismatch();
    void listShardsFollowsNextToken();
    void listStreamsPagesBothWays();
    void errorClassification_data();
    void errorClassification();
    void replyClassification_data();
    void replyClassification();
    void notJsonIsProtocolError();
    void truncatedBodyIsAnError();
    void silenceTimesOut();
    void resetIsRetriableNetworkError();
    void connectionRefused();
    void abortCancels();
    void logEntryPerRequest();
    void tlsCertificatesAreVerified();
};

void TstKinesisClient::requestShapeAndSigningHeaders()
{
    Server server;
    server.script({ok(R"({"StreamNames":["a"],"HasMoreStreams":false})")});
    KinesisClient client(optionsFor(server));
    client.setClock([] { return QDateTime(QDate(2026, 11, 25), QTime(12, 34, 56), Qt::UTC); });
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    KWB_VERIFY_OK(r);
    QCOMPARE(r.value(), QStringList{QStringLiteral("a")});
    QCOMPARE(server.requests().size(), 1);
    const auto &request = server.requests().front();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/"));
    QCOMPARE(request.header("X-Amz-Target"), QByteArray("Kinesis_20131202.ListStreams"));
    QCOMPARE(request.header("Content-Type"), QByteArray("application/x-amz-json-1.1"));
    QCOMPARE(request.header("X-Amz-Date"), QByteArray("20261125T123456Z"));
    QCOMPARE(request.header("X-Amz-Security-Token"), kToken.toUtf8());
    QCOMPARE(request.header("Host"), QStringLiteral("127.0.0.1:%1").arg(server.port()).toUtf8());
    const QByteArray authorization = request.header("Authorization");
    QVERIFY2(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDKWBUNIT/20261125/eu-west-1/kinesis/aws4_request, "
                                      "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="),
             authorization.constData());
    QCOMPARE(authorization.size() - authorization.indexOf("Signature=") - 10, 64);
    QVERIFY(!authorization.contains(kSecret.toUtf8()));
    QCOMPARE(bodyOf(request), QJsonObject{});
}

void TstKinesisClient::streamArnIsSentAsStreamArn()
{
    Server server;
    server.script({ok(R"({"Shards":[]})"), ok(R"({"Shards":[]})")});
    KinesisClient client(optionsFor(server));
    const QString arn = QStringLiteral("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
    KWB_VERIFY_OK(await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(arn, ctx, done); }));
    KWB_VERIFY_OK(await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(QStringLiteral("orders"), ctx, done); }));
    QCOMPARE(bodyOf(server.requests()[0]), (QJsonObject{{QStringLiteral("StreamARN"), arn}}));
    QCOMPARE(bodyOf(server.requests()[1]), (QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("orders")}}));
}

void TstKinesisClient::putRecordsBodyIsValidJson()
{
    const QByteArray binary("\x00\x01\x02\xff\"\\\n", 7);
    std::vector<Record> records{
        {QStringLiteral("plain"), QByteArray("hello"), std::nullopt},
        {QStringLiteral("quote\" back\\slash \n tab\t ctrl\x01 \u00e9\u4e2d"), binary, UInt128(0)},
        {QStringLiteral("max"), QByteArray(), kMaxHashKey},
    };
    const QByteArray body = KinesisClient::buildPutRecordsBody(QStringLiteral("my-stream"), records);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(object.value(QStringLiteral("StreamName")).toString(), QStringLiteral("my-stream"));
    const QJsonArray array = object.value(QStringLiteral("Records")).toArray();
    QCOMPARE(array.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject r = array[i].toObject();
        QCOMPARE(r.value(QStringLiteral("PartitionKey")).toString(), records[size_t(i)].partitionKey);
        QCOMPARE(QByteArray::fromBase64(r.value(QStringLiteral("Data")).toString().toLatin1()), records[size_t(i)].data);
    }
    QVERIFY(!array[0].toObject().contains(QStringLiteral("ExplicitHashKey")));
    QCOMPARE(array[1].toObject().value(QStringLiteral("ExplicitHashKey")).toString(), QStringLiteral("0"));
    QCOMPARE(array[2].toObject().value(QStringLiteral("ExplicitHashKey")).toString(),
             QStringLiteral("340282366920938463463374607431768211455"));
}

void TstKinesisClient::putRecordsPartialFailure()
{
    Server server;
    server.script({ok(R"({"FailedRecordCount":1,"Records":[
        {"ShardId":"shardId-000000000000","SequenceNumber":"4960"},
        {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded for shard shardId-000000000001"},
        {"ShardId":"shardId-000000000002","SequenceNumber":"4961","ErrorCode":null}]})")});
    KinesisClient client(optionsFor(server));
    std::vector<Record> records(3, Record{QStringLiteral("k"), QByteArray("d"), std::nullopt});
    auto r = await<PutRecordsResult>([&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("s"), records, ctx, done); });
    KWB_VERIFY_OK(r);
    QCOMPARE(r.value().failedRecordCount, 1);
    QVERIFY(r.value().records[0].succeeded());
    QCOMPARE(r.value().records[0].sequenceNumber, QStringLiteral("4960"));
    QVERIFY(!r.value().records[1].succeeded());
    QCOMPARE(r.value().records[1].errorCode, QStringLiteral("ProvisionedThroughputExceededException"));
    QVERIFY(r.value().records[1].errorMessage.contains(QStringLiteral("shardId-000000000001")));
    QVERIFY(r.value().records[2].succeeded()); // an explicit null ErrorCode means no error
}

void TstKinesisClient::putRecordsCountMismatch()
{
    Server server;
    server.script({ok(R"({"FailedRecordCount":0,"Records":[{"ShardId":"shardId-000000000000","SequenceNumber":"1"}]})")});
    KinesisClient client(optionsFor(server));
    std::vector<Record> records(2, Record{QStringLiteral("k"), QByteArray("d"), std::nullopt});
    auto r = await<PutRecordsResult>([&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("s"), records, ctx, done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("RecordCountMismatch"));
    QCOMPARE(r.error().kind, Error::Kind::Protocol);
    QVERIFY(r.error().message.contains(QStringLiteral("record count mismatch")));
}

void TstKinesisClient::listShardsFollowsNextToken()
{
    Server server;
    server.script({
        ok(R"({"Shards":[{"ShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"170141183460469231731687303715884105727"},"SequenceNumberRange":{"StartingSequenceNumber":"1"}}],"NextToken":"page-2"})"),
        ok(R"({"Shards":[{"ShardId":"shardId-000000000001","ParentShardId":null,"HashKeyRange":{"StartingHashKey":"170141183460469231731687303715884105728","EndingHashKey":"340282366920938463463374607431768211455"},"SequenceNumberRange":{"StartingSequenceNumber":"2","EndingSequenceNumber":null}}],"NextToken":null})"),
    });
    KinesisClient client(optionsFor(server));
    auto r = await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(QStringLiteral("s"), ctx, done); });
    KWB_VERIFY_OK(r);
    QCOMPARE(r.value().size(), size_t(2));
    QVERIFY(r.value()[1].isOpen());
    QVERIFY(r.value()[1].parentShardId.isEmpty());
    QCOMPARE(server.requests().size(), 2);
    // With a NextToken, the stream must not be named again (AWS rejects both together).
    QCOMPARE(bodyOf(server.requests()[1]), (QJsonObject{{QStringLiteral("NextToken"), QStringLiteral("page-2")}}));
    QVERIFY(ShardMap::fromShards(r.value()).ok());
}

void TstKinesisClient::listStreamsPagesBothWays()
{
    Server server;
    server.script({
        ok(R"({"StreamNames":["a","b"],"HasMoreStreams":true})"),
        ok(R"({"StreamNames":["c"],"HasMoreStreams":true,"NextToken":"tok"})"),
        ok(R"({"StreamNames":["d"],"HasMoreStreams":false})"),
    });
    KinesisClient client(optionsFor(server));
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    KWB_VERIFY_OK(r);
    QCOMPARE(r.value(), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")}));
    QCOMPARE(bodyOf(server.requests()[1]), (QJsonObject{{QStringLiteral("ExclusiveStartStreamName"), QStringLiteral("b")}}));
    QCOMPARE(bodyOf(server.requests()[2]), (QJsonObject{{QStringLiteral("NextToken"), QStringLiteral("tok")}}));
}

void TstKinesisClient::errorClassification_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("retriable");
    QTest::addColumn<QString>("message");
    QTest::newRow("not found, Message, namespaced type")
        << Server::response(400, R"({"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","Message":"Stream s under account 1 not found."})")
        << QStringLiteral("ResourceNotFoundException") << int(Error::Kind::NotFound) << false << QStringLiteral("Stream s under account 1 not found.");
    QTest::newRow("throttling") << Server::response(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})")
                                << QStringLiteral("ThrottlingException") << int(Error::Kind::Throttling) << true << QStringLiteral("Rate exceeded");
    QTest::newRow("limit exceeded") << Server::response(400, R"({"__type":"LimitExceededException","message":"Too many"})")
                                    << QStringLiteral("LimitExceededException") << int(Error::Kind::Throttling) << true << QStringLiteral("Too many");
    QTest::newRow("access denied") << Server::response(400, R"({"__type":"AccessDeniedException","message":"no"})")
                                   << QStringLiteral("AccessDeniedException") << int(Error::Kind::Access) << false << QStringLiteral("no");
    QTest::newRow("bad signature") << Server::response(400, R"({"__type":"InvalidSignatureException","message":"sig"})")
                                   << QStringLiteral("InvalidSignatureException") << int(Error::Kind::Access) << false << QStringLiteral("sig");
    QTest::newRow("validation") << Server::response(400, R"({"__type":"ValidationException","message":"1 validation error"})")
                                << QStringLiteral("ValidationException") << int(Error::Kind::Validation) << false << QStringLiteral("1 validation error");
    QTest::newRow("invalid argument") << Server::response(400, R"({"__type":"InvalidArgumentException","message":"bad"})")
                                      << QStringLiteral("InvalidArgumentException") << int(Error::Kind::Validation) << false << QStringLiteral("bad");
    QTest::newRow("kms") << Server::response(400, R"({"__type":"KMSAccessDeniedException","message":"kms"})")
                         << QStringLiteral("KMSAccessDeniedException") << int(Error::Kind::Kms) << false << QStringLiteral("kms");
    QTest::newRow("in use") << Server::response(400, R"({"__type":"ResourceInUseException","message":"busy"})")
                            << QStringLiteral("ResourceInUseException") << int(Error::Kind::InUse) << false << QStringLiteral("busy");
    QTest::newRow("500 json") << Server::response(500, R"({"__type":"InternalFailure","message":"oops"})")
                              << QStringLiteral("InternalFailure") << int(Error::Kind::Server) << true << QStringLiteral("oops");
    QTest::newRow("503 html") << Server::response(503, "<html>Service Unavailable</html>", "text/html")
                              << QStringLiteral("Http503") << int(Error::Kind::Server) << true << QStringLiteral("not JSON");
    QTest::newRow("400 unknown code") << Server::response(400, R"({"__type":"SomethingNewException"})")
                                      << QStringLiteral("SomethingNewException") << int(Error::Kind::Client) << false << QStringLiteral("HTTP 400");
}

void TstKinesisClient::errorClassification()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, code);
    QFETCH(int, kind);
    QFETCH(bool, retriable);
    QFETCH(QString, message);
    Server server;
    server.script({{Server::Action::Respond, raw}});
    KinesisClient client(optionsFor(server));
    auto r = await<StreamSummary>([&](QObject *ctx, auto done) { client.describeStreamSummary(QStringLiteral("s"), ctx, done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
    QCOMPARE(int(r.error().kind), kind);
    QCOMPARE(r.error().retriable(), retriable);
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    QVERIFY(r.error().httpStatus >= 400);
    verifyNoSecrets(r.error());
}

// ReplyFacts::classify, the one decision over a finished request, without a network: how each
// combination of our timers, HTTP status, Qt's network error and body ends. Qt reports an error
// for every 4xx/5xx as well (ProtocolInvalidOperationError for 400, ServiceUnavailableError for
// 503, from QNetworkReply's documentation); the body still says what the service meant.
void TstKinesisClient::replyClassification_data()
{
    using N = QNetworkReply::NetworkError;
    using T = ReplyFacts::Timeout;
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("networkError");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code"); // empty: an answer object
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("says");
    const int none = int(T::None);
    QTest::newRow("connect timeout") << int(T::Connect) << 0 << int(N::OperationCanceledError) << QByteArray()
                                     << QStringLiteral("Timeout") << int(Error::Kind::Timeout)
                                     << QStringLiteral("within 1234 ms (connect timeout)");
    QTest::newRow("transfer timeout wins over a status") << int(T::Transfer) << 200 << int(N::OperationCanceledError)
                                                         << QByteArray(R"({"Records":[)") << QStringLiteral("Timeout")
                                                         << int(Error::Kind::Timeout)
                                                         << QStringLiteral("went silent for 5678 ms (transfer timeout)");
    QTest::newRow("refused") << none << 0 << int(N::ConnectionRefusedError) << QByteArray()
                             << QStringLiteral("ConnectionRefused") << int(Error::Kind::Network)
                             << QStringLiteral("connection refused");
    QTest::newRow("closed before a status") << none << 0 << int(N::RemoteHostClosedError) << QByteArray()
                                            << QStringLiteral("ConnectionClosed") << int(Error::Kind::Network)
                                            << QStringLiteral("closed the connection");
    QTest::newRow("200 closed mid-body") << none << 200 << int(N::RemoteHostClosedError) << QByteArray(R"({"FailedRecordCount":0)")
                                         << QStringLiteral("ConnectionClosed") << int(Error::Kind::Network)
                                         << QStringLiteral("closed the connection");
    QTest::newRow("200 empty (CreateStream)") << none << 200 << int(N::NoError) << QByteArray() << QString() << 0 << QString();
    QTest::newRow("200 object") << none << 200 << int(N::NoError) << QByteArray(R"({"StreamNames":["a"],"HasMoreStreams":false})")
                                << QString() << 0 << QString();
    QTest::newRow("200 not JSON") << none << 200 << int(N::NoError) << QByteArray("<html>ok</html>")
                                  << QStringLiteral("InvalidResponse") << int(Error::Kind::Protocol)
                                  << QStringLiteral("is not a JSON object");
    QTest::newRow("200 JSON array") << none << 200 << int(N::NoError) << QByteArray("[]") << QStringLiteral("InvalidResponse")
                                    << int(Error::Kind::Protocol) << QStringLiteral("is not a JSON object");
    QTest::newRow("400 with Qt's error") << none << 400 << int(N::ProtocolInvalidOperationError)
                                         << QByteArray(R"({"__type":"ResourceNotFoundException","message":"Stream s not found"})")
                                         << QStringLiteral("ResourceNotFoundException") << int(Error::Kind::NotFound)
                                         << QStringLiteral("Stream s not found");
    QTest::newRow("400 throughput exceeded") << none << 400 << int(N::ProtocolInvalidOperationError)
                                             << QByteArray(R"({"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded for shard"})")
                                             << QStringLiteral("ProvisionedThroughputExceededException")
                                             << int(Error::Kind::Throttling) << QStringLiteral("Rate exceeded for shard");
    QTest::newRow("503 html") << none << 503 << int(N::ServiceUnavailableError) << QByteArray("<html>Service Unavailable</html>")
                              << QStringLiteral("Http503") << int(Error::Kind::Server) << QStringLiteral("not JSON");
}

void TstKinesisClient::replyClassification()
{
    QFETCH(int, timeout);
    QFETCH(int, status);
    QFETCH(int, networkError);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(int, kind);
    QFETCH(QString, says);
    ReplyFacts facts;
    facts.timeout = ReplyFacts::Timeout(timeout);
    facts.httpStatus = status;
    facts.error = QNetworkReply::NetworkError(networkError);
    facts.errorText = QStringLiteral("from Qt");
    facts.body = body;
    const auto result = facts.classify(QStringLiteral("http://127.0.0.1:4567"), 1234, 5678);
    if (code.isEmpty()) {
        KWB_VERIFY_OK(result);
        QCOMPARE(result.value(), QJsonDocument::fromJson(body).object());
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QCOMPARE(int(result.error().kind), kind);
    QVERIFY2(result.error().message.contains(says), qPrintable(result.error().message));
}

void TstKinesisClient::notJsonIsProtocolError()
{
    Server server;
    server.script({ok("this is not json"), ok("[1,2,3]")});
    KinesisClient client(optionsFor(server));
    for (int i = 0; i < 2; ++i) {
        auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Error::Kind::Protocol);
        QVERIFY2(r.error().message.contains(QStringLiteral("not a JSON object")), qPrintable(r.error().message));
    }
}

void TstKinesisClient::truncatedBodyIsAnError()
{
    Server server;
    // Promises 200 bytes, sends 20, closes.
    QByteArray raw = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 200\r\n\r\n"
                     "{\"StreamNames\":[\"a\"";
    server.script({{Server::Action::RespondClose, raw}});
    KinesisClient client(optionsFor(server));
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    QVERIFY(!r.ok());
    QVERIFY2(r.error().kind == Error::Kind::Network || r.error().kind == Error::Kind::Protocol,
             qPrintable(r.error().toString()));
}

void TstKinesisClient::silenceTimesOut()
{
    Server server;
    server.script({{Server::Action::Silence, {}}});
    auto options = optionsFor(server);
    options.transferTimeoutMs = 300;
    KinesisClient client(options);
    QElapsedTimer timer;
    timer.start();
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); }, 10000);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Timeout);
    QVERIFY(r.error().retriable());
    QVERIFY2(r.error().message.contains(QStringLiteral("transfer timeout")), qPrintable(r.error().message));
    QVERIFY(timer.elapsed() < 5000);
}

void TstKinesisClient::resetIsRetriableNetworkError()
{
    Server server;
    // Qt resends once by itself when a connection drops before any answer; reset every attempt.
    server.setFallback([](const Server::Request &) { return Server::Answer{Server::Action::Reset, {}}; });
    KinesisClient client(optionsFor(server));
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Network);
    QVERIFY(r.error().retriable());
}

void TstKinesisClient::connectionRefused()
{
    ClientOptions options;
    options.endpoint = QUrl(QStringLiteral("http://127.0.0.1:1"));
    options.credentials = {QStringLiteral("AKID"), kSecret, {}, {}, {}};
    KinesisClient client(options);
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Network);
    QCOMPARE(r.error().code, QStringLiteral("ConnectionRefused"));
    QVERIFY(r.error().message.contains(QStringLiteral("http://127.0.0.1:1")));
    verifyNoSecrets(r.error());
}

void TstKinesisClient::abortCancels()
{
    Server server;
    server.script({{Server::Action::Silence, {}}});
    KinesisClient client(optionsFor(server));
    auto r = await<QStringList>([&](QObject *ctx, auto done) {
        KinesisCall *call = client.listStreams(ctx, done);
        QTimer::singleShot(100, call, &KinesisCall::abort);
    });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QVERIFY(!r.error().retriable());
}

void TstKinesisClient::logEntryPerRequest()
{
    Server server;
    server.script({ok(R"({"FailedRecordCount":1,"Records":[{"ShardId":"shardId-000000000000","SequenceNumber":"1"},{"ErrorCode":"InternalFailure","ErrorMessage":"x"}]})")});
    KinesisClient client(optionsFor(server));
    QSignalSpy spy(&client, &KinesisClient::requestFinished);
    std::vector<Record> records(2, Record{QStringLiteral("k"), QByteArray("d"), std::nullopt});
    KWB_VERIFY_OK(await<PutRecordsResult>([&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("s"), records, ctx, done); }));
    QCOMPARE(spy.size(), 1);
    const auto entry = spy.front().front().value<RequestLogEntry>();
    QCOMPARE(entry.operation, QStringLiteral("PutRecords"));
    QCOMPARE(entry.httpStatus, 200);
    QCOMPARE(entry.records, 2);
    QCOMPARE(entry.failedRecordCount, 1);
    QVERIFY(entry.requestBytes > 0);
}

void TstKinesisClient::tlsCertificatesAreVerified()
{
    // An HTTPS endpoint with a self-signed certificate: the client must refuse it, and the
    // request (with its signature) must never reach the server.
    const QString dir = qEnvironmentVariable("KWB_TEST_DATA") + QStringLiteral("/tls/");
    QFile certFile(dir + QStringLiteral("selfsigned.crt"));
    QFile keyFile(dir + QStringLiteral("selfsigned.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    QSslServer server;
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int encryptedConnections = 0;
    QByteArray received;
    connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            ++encryptedConnections;
            connect(socket, &QTcpSocket::readyRead, &server, [&, socket] { received += socket->readAll(); });
        }
    });

    ClientOptions options;
    options.endpoint = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
    options.credentials = {QStringLiteral("AKIDKWBUNIT"), kSecret, {}, {}, {}};
    KinesisClient client(options);
    auto r = await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("TlsError"));
    QVERIFY(!r.error().retriable());
    QVERIFY2(r.error().message.contains(QStringLiteral("TLS")), qPrintable(r.error().message));
    QCOMPARE(encryptedConnections, 0);
    QVERIFY(received.isEmpty());
    verifyNoSecrets(r.error());
}

QTEST_GUILESS_MAIN(TstKinesisClient)
#include "tst_kinesisclient.moc"
