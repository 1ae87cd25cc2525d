// aws::StreamArn, the one parser of stream ARNs: the parts of valid ARNs (the format AWS documents,
// arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME), and for each malformed one which part it
// names as wrong.
#include "aws/StreamArn.h"

#include <QTest>

using namespace kwb;
using aws::StreamArn;

class TstStreamArn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void streamNames_data();
    void streamNames();
};

void TstStreamArn::valid_data()
{
    QTest::addColumn<QString>("arn");
    QTest::addColumn<QString>("partition");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("name");
    QTest::newRow("aws") << QStringLiteral("arn:aws:kinesis:us-east-1:123456789012:stream/orders") << QStringLiteral("aws")
                         << QStringLiteral("us-east-1") << QStringLiteral("123456789012") << QStringLiteral("orders");
    QTest::newRow("china") << QStringLiteral("arn:aws-cn:kinesis:cn-north-1:000000000000:stream/a.b_c-d") << QStringLiteral("aws-cn")
                           << QStringLiteral("cn-north-1") << QStringLiteral("000000000000") << QStringLiteral("a.b_c-d");
    QTest::newRow("gov cloud") << QStringLiteral("arn:aws-us-gov:kinesis:us-gov-west-1:111122223333:stream/X")
                               << QStringLiteral("aws-us-gov") << QStringLiteral("us-gov-west-1") << QStringLiteral("111122223333")
                               << QStringLiteral("X");
    QTest::newRow("128-character name") << QStringLiteral("arn:aws:kinesis:eu-west-1:123456789012:stream/") + QString(128, QLatin1Char('n'))
                                        << QStringLiteral("aws") << QStringLiteral("eu-west-1") << QStringLiteral("123456789012")
                                        << QString(128, QLatin1Char('n'));
}

void TstStreamArn::valid()
{
    QFETCH(QString, arn);
    QFETCH(QString, partition);
    QFETCH(QString, region);
    QFETCH(QString, account);
    QFETCH(QString, name);
    QVERIFY(StreamArn::looksLikeArn(arn));
    auto parsed = StreamArn::parse(arn);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed.value().partition, partition);
    QCOMPARE(parsed.value().region, region);
    QCOMPARE(parsed.value().accountId, account);
    QCOMPARE(parsed.value().streamName, name);
    QCOMPARE(parsed.value().toString(), arn);
}

void TstStreamArn::invalid_data()
{
    QTest::addColumn<QString>("arn");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("the finding") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a:stream/b")
                                 << QStringLiteral("the stream name 'a:stream/b'");
    QTest::newRow("a name") << QStringLiteral("orders") << QStringLiteral("six parts");
    QTest::newRow("too few parts") << QStringLiteral("arn:aws:kinesis:us-east-1:stream/a") << QStringLiteral("six parts");
    QTest::newRow("not arn") << QStringLiteral("urn:aws:kinesis:us-east-1:000000000000:stream/a") << QStringLiteral("six parts");
    QTest::newRow("partition") << QStringLiteral("arn:awsx:kinesis:us-east-1:000000000000:stream/a") << QStringLiteral("the partition 'awsx'");
    QTest::newRow("partition ends in -") << QStringLiteral("arn:aws-:kinesis:us-east-1:000000000000:stream/a") << QStringLiteral("the partition 'aws-'");
    QTest::newRow("service") << QStringLiteral("arn:aws:firehose:us-east-1:000000000000:stream/a") << QStringLiteral("the service 'firehose'");
    QTest::newRow("empty region") << QStringLiteral("arn:aws:kinesis::000000000000:stream/a") << QStringLiteral("the region ''");
    QTest::newRow("region without number") << QStringLiteral("arn:aws:kinesis:us-east:000000000000:stream/a") << QStringLiteral("the region 'us-east'");
    QTest::newRow("region upper case") << QStringLiteral("arn:aws:kinesis:US-EAST-1:000000000000:stream/a") << QStringLiteral("the region 'US-EAST-1'");
    QTest::newRow("account 11 digits") << QStringLiteral("arn:aws:kinesis:us-east-1:00000000000:stream/a") << QStringLiteral("the account '00000000000'");
    QTest::newRow("account 13 digits") << QStringLiteral("arn:aws:kinesis:us-east-1:0000000000000:stream/a") << QStringLiteral("the account '0000000000000'");
    QTest::newRow("account letters") << QStringLiteral("arn:aws:kinesis:us-east-1:00000000000a:stream/a") << QStringLiteral("the account '00000000000a'");
    QTest::newRow("account non-ASCII digits") << QStringLiteral("arn:aws:kinesis:us-east-1:\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662:stream/a")
                                              << QStringLiteral("the account");
    QTest::newRow("consumer") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a/consumer/c:1")
                              << QStringLiteral("the stream name 'a/consumer/c:1'");
    QTest::newRow("not a stream") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:table/a") << QStringLiteral("the resource 'table/a'");
    QTest::newRow("empty name") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/") << QStringLiteral("the stream name ''");
    QTest::newRow("129-character name") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/") + QString(129, QLatin1Char('n'))
                                        << QStringLiteral("the stream name");
    QTest::newRow("space in name") << QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a b") << QStringLiteral("the stream name 'a b'");
}

void TstStreamArn::invalid()
{
    QFETCH(QString, arn);
    QFETCH(QString, mentions);
    auto parsed = StreamArn::parse(arn);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, QStringLiteral("InvalidStreamArn"));
    QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
    QVERIFY2(parsed.error().message.contains(QStringLiteral("arn:aws:kinesis:us-east-1:123456789012:stream/orders")),
             qPrintable(parsed.error().message)); // says what one looks like
}

void TstStreamArn::streamNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("letters") << QStringLiteral("Orders") << true;
    QTest::newRow("all allowed") << QStringLiteral("a-b_c.d9") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("colon") << QStringLiteral("a:b") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("non-ASCII") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("128") << QString(128, QLatin1Char('x')) << true;
    QTest::newRow("129") << QString(129, QLatin1Char('x')) << false;
}

void TstStreamArn::streamNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(StreamArn::isValidStreamName(name), valid);
}

QTEST_GUILESS_MAIN(TstStreamArn)
#include "tst_streamarn.moc"
