// RetryPolicy: the one place that decides whether a failed record is tried again and when.
// The classes follow the AWS SDKs' standard retry mode (botocore's retryhandler and the
// "standard" mode of the SDK retry specification): throttling codes retry with backoff, 5xx /
// InternalFailure / connection errors are transient, everything else is the caller's mistake.
// The PutRecords per-record codes are the two the API reference documents.
#include "net/ServiceError.h"
#include "send/RetryPolicy.h"

#include <QTest>

using namespace kwb;
using namespace kwb::send;

Q_DECLARE_METATYPE(kwb::send::RetryClass)
Q_DECLARE_METATYPE(kwb::Error::Kind)

class TstRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifiesServiceReplies_data();
    void classifiesServiceReplies();
    void classifiesRecordCodes_data();
    void classifiesRecordCodes();
    void decides_data();
    void decides();
    void giveUpReasonNamesTheBudget();
    void delayIsFullJitter_data();
    void delayIsFullJitter();
};

void TstRetryPolicy::classifiesServiceReplies_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<RetryClass>("expected");
    // Throttling codes (botocore's list) and Kinesis' own.
    QTest::newRow("PTEE") << "ProvisionedThroughputExceededException" << 400 << RetryClass::Throttle;
    QTest::newRow("ThrottlingException") << "ThrottlingException" << 400 << RetryClass::Throttle;
    QTest::newRow("LimitExceededException") << "LimitExceededException" << 400 << RetryClass::Throttle;
    QTest::newRow("KMSThrottlingException") << "KMSThrottlingException" << 400 << RetryClass::Throttle;
    QTest::newRow("429 without a code") << "Http429" << 429 << RetryClass::Throttle;
    // Transient: the service failed.
    QTest::newRow("InternalFailure 500") << "InternalFailure" << 500 << RetryClass::Transient;
    QTest::newRow("ServiceUnavailable 503") << "ServiceUnavailable" << 503 << RetryClass::Transient;
    QTest::newRow("502 without a code") << "Http502" << 502 << RetryClass::Transient;
    QTest::newRow("504 without a code") << "Http504" << 504 << RetryClass::Transient;
    // The caller's mistake: the same request fails the same way.
    QTest::newRow("ValidationException") << "ValidationException" << 400 << RetryClass::Fatal;
    QTest::newRow("ResourceNotFoundException") << "ResourceNotFoundException" << 400 << RetryClass::Fatal;
    QTest::newRow("AccessDeniedException") << "AccessDeniedException" << 400 << RetryClass::Fatal;
    QTest::newRow("KMSAccessDeniedException") << "KMSAccessDeniedException" << 400 << RetryClass::Fatal;
    QTest::newRow("ResourceInUseException") << "ResourceInUseException" << 400 << RetryClass::Fatal;
    QTest::newRow("ExpiredTokenException") << "ExpiredTokenException" << 400 << RetryClass::Fatal;
    QTest::newRow("unknown 400") << "SomethingNew" << 400 << RetryClass::Fatal;
    QTest::newRow("403 without a code") << "Http403" << 403 << RetryClass::Fatal;
}

void TstRetryPolicy::classifiesServiceReplies()
{
    QFETCH(QString, code);
    QFETCH(int, status);
    QFETCH(RetryClass, expected);
    const QByteArray body = code.startsWith(QLatin1String("Http"))
        ? QByteArray()
        : QByteArray(R"({"__type":"Kinesis_20131202#)" + code.toUtf8() + R"(","message":"m"})");
    const Error error = net::serviceErrorFromResponse(status, body);
    QCOMPARE(RetryPolicy::classify(error), expected);
    QCOMPARE(error.retriable(), expected != RetryClass::Fatal);
}

void TstRetryPolicy::classifiesRecordCodes_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<RetryClass>("expected");
    QTest::newRow("throttled") << "ProvisionedThroughputExceededException" << RetryClass::Throttle;
    QTest::newRow("internal failure") << "InternalFailure" << RetryClass::Transient;
    QTest::newRow("kms on an encrypted stream") << "KMSAccessDeniedException" << RetryClass::Fatal;
    QTest::newRow("kms disabled") << "KMSDisabledException" << RetryClass::Fatal;
    QTest::newRow("empty") << "" << RetryClass::Fatal;
}

void TstRetryPolicy::classifiesRecordCodes()
{
    QFETCH(QString, code);
    QFETCH(RetryClass, expected);
    QCOMPARE(RetryPolicy::classifyRecord(code), expected);
}

void TstRetryPolicy::decides_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<qint64>("deadlineMs");
    QTest::addColumn<RetryClass>("outcome");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<qint64>("sinceFirstMs");
    QTest::addColumn<bool>("retry");
    // Defaults: throttles until five minutes have passed, whatever the count.
    QTest::newRow("default throttle, 3rd") << 0 << qint64(0) << RetryClass::Throttle << 3 << qint64(1000) << true;
    QTest::newRow("default throttle, 200th") << 0 << qint64(0) << RetryClass::Throttle << 200 << qint64(299999) << true;
    QTest::newRow("default throttle, at 5 min") << 0 << qint64(0) << RetryClass::Throttle << 200 << qint64(300000) << false;
    // Defaults: transient failures three attempts, as before.
    QTest::newRow("default transient, 2nd") << 0 << qint64(0) << RetryClass::Transient << 2 << qint64(10) << true;
    QTest::newRow("default transient, 3rd") << 0 << qint64(0) << RetryClass::Transient << 3 << qint64(10) << false;
    QTest::newRow("fatal, never") << 0 << qint64(0) << RetryClass::Fatal << 1 << qint64(0) << false;
    // Explicit attempts win for every retriable class.
    QTest::newRow("max 3, throttle 3rd") << 3 << qint64(0) << RetryClass::Throttle << 3 << qint64(10) << false;
    QTest::newRow("max 3, throttle 2nd") << 3 << qint64(0) << RetryClass::Throttle << 2 << qint64(10) << true;
    QTest::newRow("max 10, transient 5th") << 10 << qint64(0) << RetryClass::Transient << 5 << qint64(10) << true;
    QTest::newRow("max 10, fatal") << 10 << qint64(0) << RetryClass::Fatal << 1 << qint64(10) << false;
    // An explicit deadline wins too.
    QTest::newRow("deadline 2 s, before") << 0 << qint64(2000) << RetryClass::Throttle << 9 << qint64(1999) << true;
    QTest::newRow("deadline 2 s, after") << 0 << qint64(2000) << RetryClass::Throttle << 9 << qint64(2000) << false;
    QTest::newRow("deadline 2 s, transient") << 0 << qint64(2000) << RetryClass::Transient << 1 << qint64(2500) << false;
}

void TstRetryPolicy::decides()
{
    QFETCH(int, maxAttempts);
    QFETCH(qint64, deadlineMs);
    QFETCH(RetryClass, outcome);
    QFETCH(int, attempts);
    QFETCH(qint64, sinceFirstMs);
    QFETCH(bool, retry);
    const RetryPolicy policy(maxAttempts, deadlineMs);
    QCOMPARE(policy.shouldRetry(outcome, attempts, sinceFirstMs), retry);
}

void TstRetryPolicy::giveUpReasonNamesTheBudget()
{
    const RetryPolicy byCount(3);
    QCOMPARE(byCount.giveUpReason(RetryClass::Throttle, 3, 50), QStringLiteral("gave up after 3 attempts"));
    const RetryPolicy byTime(0, 2000);
    QCOMPARE(byTime.giveUpReason(RetryClass::Throttle, 7, 2100),
             QStringLiteral("gave up after 7 attempts in 2.1 s, the retry deadline"));
    QCOMPARE(byTime.giveUpReason(RetryClass::Transient, 1, 2100),
             QStringLiteral("gave up after 1 attempt in 2.1 s, the retry deadline"));
}

void TstRetryPolicy::delayIsFullJitter_data()
{
    QTest::addColumn<int>("attempts");
    QTest::addColumn<double>("uniform");
    QTest::addColumn<qint64>("expected");
    // uniform * min(cap, base * 2^(attempts-1)), base 100, cap 5000, counted by hand.
    QTest::newRow("1st, 0.5") << 1 << 0.5 << qint64(50);
    QTest::newRow("2nd, 0.5") << 2 << 0.5 << qint64(100);
    QTest::newRow("4th, 0.25") << 4 << 0.25 << qint64(200);
    QTest::newRow("7th, capped") << 7 << 1.0 << qint64(5000);
    QTest::newRow("60th, capped") << 60 << 0.5 << qint64(2500);
    QTest::newRow("zero") << 3 << 0.0 << qint64(0);
}

void TstRetryPolicy::delayIsFullJitter()
{
    QFETCH(int, attempts);
    QFETCH(double, uniform);
    QFETCH(qint64, expected);
    QCOMPARE(RetryPolicy(0, 0, 100, 5000).delayMs(attempts, uniform), expected);
    // A throttle on a paced shard waits at most a second; unpaced, the whole backoff.
    const qint64 paced = RetryPolicy(0, 0, 100, 5000).delayMs(attempts, uniform, RetryClass::Throttle, true);
    QCOMPARE(paced, std::min<qint64>(expected, qint64(uniform * 1000)));
    QCOMPARE(RetryPolicy(0, 0, 100, 5000).delayMs(attempts, uniform, RetryClass::Throttle, false), expected);
}

QTEST_GUILESS_MAIN(TstRetryPolicy)
#include "tst_retrypolicy.moc"
