// The sandbox's parts on their own: sequence numbers, compact shard storage, strict base64,
// the write limiter, the fault generator and the signature check.
#include "TestSupport.h"
#include "aws/SigV4Signer.h"
#include "sandbox/FaultInjector.h"
#include "sandbox/SandboxBase64.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/SequenceNumber.h"
#include "sandbox/ShardStore.h"
#include "sandbox/SignatureVerifier.h"
#include "sandbox/ThroughputLimiter.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::sandbox;

class TstSandboxUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sequenceNumbersRoundTripAndSort();
    void sequenceNumbersRejectOthers_data();
    void sequenceNumbersRejectOthers();
    void shardStoreAppendsLooksUpAndTrims();
    void base64IsStrict_data();
    void base64IsStrict();
    void limiterCountsPerWindow();
    void faultsRepeatWithTheSeed();
    void signatureVerifier();
};

void TstSandboxUnits::sequenceNumbersRoundTripAndSort()
{
    const SequenceNumber a{1764100000123, 7, 1};
    const SequenceNumber b{1764100000123, 7, 10};
    const SequenceNumber c{1764100000123, 7, ~quint64(0)};
    QCOMPARE(a.toBytes().size(), 56);
    QVERIFY(a.toBytes().startsWith("49"));
    QVERIFY(a.toBytes() < b.toBytes());
    QVERIFY(b.toBytes() < c.toBytes());
    for (const SequenceNumber &s : {a, b, c}) {
        const auto parsed = SequenceNumber::parse(s.toBytes());
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->streamEpoch, s.streamEpoch);
        QCOMPARE(parsed->shardIndex, s.shardIndex);
        QCOMPARE(parsed->counter, s.counter);
    }
    QVERIFY(parseHashKey(c.toBytes().right(30)).ok());
}

void TstSandboxUnits::sequenceNumbersRejectOthers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("short") << QByteArray("4917641");
    QTest::newRow("aws") << QByteArray("49590338271490256608559692538361571095921575989136588898");
    QTest::newRow("letters") << QByteArray("49" + QByteArray(53, '0') + "x");
    QTest::newRow("counter over 64 bits") << QByteArray("49" + QByteArray(22, '0') + "1" + QByteArray(31, '0'));
}

void TstSandboxUnits::sequenceNumbersRejectOthers()
{
    QFETCH(QByteArray, text);
    QVERIFY(!SequenceNumber::parse(text).has_value());
}

void TstSandboxUnits::shardStoreAppendsLooksUpAndTrims()
{
    ShardStore store;
    // A store that never held a record (it allocates nothing) answers like an emptied one.
    QVERIFY(store.isEmpty());
    QCOMPARE(store.lowerBoundCounter(7), 0);
    QCOMPARE(store.lowerBoundTime(7), 0);
    QCOMPARE(store.trimBefore(1LL << 40), 0);
    QCOMPARE(store.trimToBytes(0), 0);
    store.clear();
    QCOMPARE(store.bytes(), qint64(0));
    const QByteArray big(700 * 1024, 'b'); // two of these do not fit one 1 MiB chunk
    for (int i = 0; i < 10; ++i)
        store.append(quint64(i + 1), 1000 + i * 100, QByteArray("key") + QByteArray::number(i), i % 3 == 1 ? big : QByteArray::number(i));
    QCOMPARE(store.size(), 10);
    QCOMPARE(store.key(5), QByteArrayView("key5"));
    QCOMPARE(store.data(5), QByteArrayView("5"));
    QCOMPARE(store.data(4).size(), big.size());
    QCOMPARE(store.lowerBoundCounter(5), 4);
    QCOMPARE(store.lowerBoundCounter(0), 0);
    QCOMPARE(store.lowerBoundCounter(11), 10);
    QCOMPARE(store.lowerBoundTime(1450), 5);
    const qint64 bytes = store.bytes();
    QCOMPARE(store.trimBefore(1300), 3);
    QCOMPARE(store.size(), 7);
    QCOMPARE(store.entry(0).counter, quint64(4));
    QCOMPARE(store.key(0), QByteArrayView("key3"));
    QVERIFY(store.bytes() < bytes);
    QCOMPARE(store.trimToBytes(1024), 5); // the two small records at the end stay
    QCOMPARE(store.size(), 2);
    QCOMPARE(store.key(0), QByteArrayView("key8"));
    QCOMPARE(store.bytes(), qint64(10));
    store.append(11, 2000, "k", "v");
    QCOMPARE(store.data(2), QByteArrayView("v"));
    QCOMPARE(store.trimBefore(5000), 3);
    QVERIFY(store.isEmpty());
    QCOMPARE(store.bytes(), qint64(0));
    store.append(12, 6000, "again", "ok");
    QCOMPARE(store.key(0), QByteArrayView("again"));
    QCOMPARE(store.data(0), QByteArrayView("ok"));
    store.clear();
    QVERIFY(store.isEmpty());
    QCOMPARE(store.lowerBoundCounter(12), 0);
    store.append(13, 7000, "after", "clear");
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.data(0), QByteArrayView("clear"));
}

void TstSandboxUnits::base64IsStrict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("empty") << QByteArray() << QString() << QByteArray();
    QTest::newRow("abc") << QByteArray("YWJj") << QString() << QByteArray("abc");
    QTest::newRow("padding 1") << QByteArray("YWI=") << QString() << QByteArray("ab");
    QTest::newRow("padding 2") << QByteArray("YQ==") << QString() << QByteArray("a");
    QTest::newRow("length") << QByteArray("YWJ") << QStringLiteral("Base64 encoded length is expected a multiple of 4 bytes but found: 3")
                            << QByteArray();
    QTest::newRow("character") << QByteArray("YW J") << QStringLiteral("Invalid Base64 character: ' '") << QByteArray();
    QTest::newRow("inner padding") << QByteArray("Y=Jj") << QStringLiteral("Invalid Base64 character: '='") << QByteArray();
    QTest::newRow("not canonical") << QByteArray("YR==") << QStringLiteral("Invalid last non-pad Base64 character dectected")
                                   << QByteArray();
    QTest::newRow("url alphabet") << QByteArray("-_==") << QStringLiteral("Invalid Base64 character: '-'") << QByteArray();
}

void TstSandboxUnits::base64IsStrict()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, problem);
    QFETCH(QByteArray, decoded);
    const std::string_view view(text.constData(), size_t(text.size()));
    QCOMPARE(base64::problem(view), problem);
    if (problem.isEmpty()) {
        QByteArray out(base64::decodedSize(view), Qt::Uninitialized);
        base64::decode(view, out.data());
        QCOMPARE(out, decoded);
    }
}

void TstSandboxUnits::limiterCountsPerWindow()
{
    const ThroughputLimiter limiter(true, 1.0);
    ThroughputWindow window;
    int admitted = 0;
    for (int i = 0; i < 1500; ++i)
        admitted += limiter.admit(window, 5000 + i % 1000, 10) ? 1 : 0;
    QCOMPARE(admitted, 1000);
    QVERIFY(limiter.admit(window, 6000, 10)); // the next second
    ThroughputWindow bytes;
    QVERIFY(limiter.admit(bytes, 0, 1024 * 1024));
    QVERIFY(!limiter.admit(bytes, 999, 1));
    QVERIFY(limiter.admit(bytes, 1000, 1));
    const ThroughputLimiter off(false, 1.0);
    ThroughputWindow any;
    for (int i = 0; i < 5000; ++i)
        QVERIFY(off.admit(any, 0, 1024 * 1024));
    QCOMPARE(ThroughputLimiter(true, 0.5).recordLimit(), qint64(500));
    QCOMPARE(ThroughputLimiter(true, 3).byteLimit(), qint64(3 * 1024 * 1024));
}

void TstSandboxUnits::faultsRepeatWithTheSeed()
{
    const auto draws = [](quint64 seed) {
        FaultInjector faults(seed);
        QList<bool> out;
        for (int i = 0; i < 100; ++i)
            out.append(faults.recordFails(0.5));
        return out;
    };
    QCOMPARE(draws(7), draws(7));
    QVERIFY(draws(7) != draws(8));
    FaultInjector faults(1);
    SandboxOptions options;
    QCOMPARE(faults.requestFault(options), FaultInjector::RequestFault::None);
    options.unavailableRate = 1;
    QCOMPARE(faults.requestFault(options), FaultInjector::RequestFault::Unavailable);
    options.dropConnectionRate = 1;
    QCOMPARE(faults.requestFault(options), FaultInjector::RequestFault::Drop);
    QVERIFY(!faults.recordFails(0));
    QVERIFY(faults.recordFails(1));
}

void TstSandboxUnits::signatureVerifier()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto signedRequest = [&](const QString &key, const QString &secret, const QDateTime &time) {
        HttpRequest request;
        request.method = "POST";
        request.target = "/";
        request.body = "{\"StreamName\":\"s\"}";
        request.headers = {{"Host", "127.0.0.1:4567"},
                           {"Content-Type", "application/x-amz-json-1.1"},
                           {"X-Amz-Target", "Kinesis_20131202.DescribeStreamSummary"},
                           {"User-Agent", "test"}};
        aws::SignableRequest signable{"POST", "/", {}, request.headers, aws::SignableRequest::sha256Hex(request.body)};
        aws::SigningParams params;
        params.region = QStringLiteral("eu-west-1");
        params.service = QStringLiteral("kinesis");
        params.time = time;
        params.credentials = {key, secret, {}, {}, {}};
        const auto headers = aws::SigV4Signer::sign(signable, params);
        for (const auto &header : headers.value())
            request.headers.append(header);
        return request;
    };
    const SignatureVerifier verifier(QStringLiteral("AKID"), QStringLiteral("secret"));
    KWB_VERIFY_OK(verifier.verify(signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now), now.toMSecsSinceEpoch()));

    HttpRequest tampered = signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now);
    tampered.body = "{\"StreamName\":\"t\"}";
    QCOMPARE(verifier.verify(tampered, now.toMSecsSinceEpoch()).error().code, QStringLiteral("InvalidSignatureException"));
    // Unsigned headers may change (User-Agent), signed ones may not.
    HttpRequest agent = signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now);
    agent.headers[3].second = "another agent";
    KWB_VERIFY_OK(verifier.verify(agent, now.toMSecsSinceEpoch()));
    HttpRequest target = signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now);
    target.headers[2].second = "Kinesis_20131202.DeleteStream";
    QCOMPARE(verifier.verify(target, now.toMSecsSinceEpoch()).error().code, QStringLiteral("InvalidSignatureException"));

    QCOMPARE(verifier.verify(signedRequest(QStringLiteral("AKID"), QStringLiteral("nope"), now), now.toMSecsSinceEpoch()).error().code,
             QStringLiteral("InvalidSignatureException"));
    QCOMPARE(verifier.verify(signedRequest(QStringLiteral("OTHER"), QStringLiteral("secret"), now), now.toMSecsSinceEpoch()).error().code,
             QStringLiteral("UnrecognizedClientException"));
    const auto expired = verifier.verify(signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now.addSecs(-16 * 60)),
                                         now.toMSecsSinceEpoch());
    QCOMPARE(expired.error().code, QStringLiteral("InvalidSignatureException"));
    QVERIFY(expired.error().message.startsWith(QLatin1String("Signature expired: ")));
    KWB_VERIFY_OK(verifier.verify(signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now.addSecs(-14 * 60)),
                                  now.toMSecsSinceEpoch()));

    HttpRequest none = signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now);
    none.headers.removeIf([](const aws::HttpHeader &h) { return h.first == "Authorization"; });
    QCOMPARE(verifier.verify(none, now.toMSecsSinceEpoch()).error().code, QStringLiteral("MissingAuthenticationTokenException"));
    HttpRequest incomplete = signedRequest(QStringLiteral("AKID"), QStringLiteral("secret"), now);
    for (auto &h : incomplete.headers)
        if (h.first == "Authorization")
            h.second = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request";
    const auto partial = verifier.verify(incomplete, now.toMSecsSinceEpoch());
    QCOMPARE(partial.error().code, QStringLiteral("IncompleteSignatureException"));
    QVERIFY(partial.error().message.contains(QLatin1String("Authorization header requires 'Signature' parameter.")));
    // The secret never appears in what the verifier says.
    QVERIFY(!partial.error().message.contains(QLatin1String("secret")));
}

QTEST_GUILESS_MAIN(TstSandboxUnits)
#include "tst_sandbox_units.moc"
