// The kwb command line against real peers: runs the built binary as a user would, checks its
// output (table and JSON) and its exit statuses (0 ok, 1 service/network, 2 usage/input).
#include "HashKey.h"
#include "ShardMap.h"
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace kwb;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run kwbRun(const QStringList &arguments, bool withEndpoint = true)
{
    QProcess process;
    QStringList args;
    if (withEndpoint)
        args << QStringLiteral("--endpoint-url") << test::peerEndpoint().toString();
    args << arguments;
    process.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"), args);
    if (!process.waitForFinished(120000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QJsonDocument json(const Run &run)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s\n%s", qPrintable(error.errorString()), run.out.constData());
    return document;
}

} // namespace

#define KWB_VERIFY_RUN(run, code)                                                                    \
    QVERIFY2((run).exitCode == (code),                                                              \
             qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3; stdout: %4")                \
                            .arg((run).exitCode)                                                     \
                            .arg(code)                                                               \
                            .arg(QString::fromUtf8((run).err), QString::fromUtf8((run).out.left(500)))))

class TstKwbCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void createListShardsDelete();
    void hashVirtualMap();
    void hashRealStream();
    void usageErrors_data();
    void usageErrors();
    void serviceErrorExitsOne();
    void networkErrorExitsOne();
    void putRefusesWideText();
};

void TstKwbCli::initTestCase()
{
    QVERIFY2(!test::peerEndpoint().isEmpty(), "the peer fixture did not write its endpoint; run through ctest");
}

void TstKwbCli::createListShardsDelete()
{
    const QString name = test::uniqueStreamName(QStringLiteral("cli"));
    Run created = kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QStringLiteral("3"),
                          QStringLiteral("--wait"), QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(created, 0);
    QCOMPARE(json(created).object().value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
    QCOMPARE(json(created).object().value(QStringLiteral("openShardCount")).toInt(), 3);

    Run streams = kwbRun({QStringLiteral("streams"), QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(streams, 0);
    QVERIFY(json(streams).object().value(QStringLiteral("streams")).toArray().contains(name));
    Run streamsTable = kwbRun({QStringLiteral("streams")});
    KWB_VERIFY_RUN(streamsTable, 0);
    QVERIFY(streamsTable.out.startsWith("STREAM\n"));
    QVERIFY(streamsTable.out.contains(name.toUtf8() + '\n'));

    Run shards = kwbRun({QStringLiteral("shards"), name, QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(shards, 0);
    const QJsonArray list = json(shards).object().value(QStringLiteral("shards")).toArray();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0].toObject().value(QStringLiteral("shardId")).toString(), QStringLiteral("shardId-000000000000"));
    QCOMPARE(list[0].toObject().value(QStringLiteral("startingHashKey")).toString(), QStringLiteral("0"));
    QCOMPARE(list[2].toObject().value(QStringLiteral("endingHashKey")).toString(),
             QStringLiteral("340282366920938463463374607431768211455"));
    QCOMPARE(list[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("open"));
    QVERIFY(list[0].toObject().value(QStringLiteral("parentShardId")).isNull());

    Run table = kwbRun({QStringLiteral("shards"), name});
    KWB_VERIFY_RUN(table, 0);
    QVERIFY(table.out.startsWith("SHARD "));
    QCOMPARE(table.out.count('\n'), 4);

    Run deleted = kwbRun({QStringLiteral("delete-stream"), name});
    KWB_VERIFY_RUN(deleted, 0);
    QTRY_VERIFY_WITH_TIMEOUT(kwbRun({QStringLiteral("shards"), name}).exitCode == 1, 20000);
}

void TstKwbCli::hashVirtualMap()
{
    // No endpoint needed: the virtual map is computed locally.
    Run run = kwbRun({QStringLiteral("hash"), QStringLiteral("abc"), QStringLiteral("partition-1"),
                      QStringLiteral("--shards"), QStringLiteral("3"), QStringLiteral("--output"), QStringLiteral("json")},
                     false);
    KWB_VERIFY_RUN(run, 0);
    const QJsonArray rows = json(run).array();
    QCOMPARE(rows.size(), 2);
    // RFC 1321 digest of "abc"; its big-endian integer and shard computed with Python.
    QCOMPARE(rows[0].toObject().value(QStringLiteral("partitionKey")).toString(), QStringLiteral("abc"));
    QCOMPARE(rows[0].toObject().value(QStringLiteral("md5")).toString(), QStringLiteral("900150983cd24fb0d6963f7d28e17f72"));
    QCOMPARE(rows[0].toObject().value(QStringLiteral("hashKey")).toString(),
             QStringLiteral("191415658344158766168031473277922803570"));
    QCOMPARE(rows[0].toObject().value(QStringLiteral("shardId")).toString(), QStringLiteral("shardId-000000000001"));
    QCOMPARE(rows[1].toObject().value(QStringLiteral("hashKey")).toString(),
             QStringLiteral("198019941650871988756153596255032211816"));
    QCOMPARE(rows[1].toObject().value(QStringLiteral("shardId")).toString(), QStringLiteral("shardId-000000000001"));

    Run plain = kwbRun({QStringLiteral("hash"), QStringLiteral("abc")}, false);
    KWB_VERIFY_RUN(plain, 0);
    QVERIFY(plain.out.contains("900150983cd24fb0d6963f7d28e17f72"));
    QVERIFY(!plain.out.contains("SHARD"));
}

void TstKwbCli::hashRealStream()
{
    const QString name = test::uniqueStreamName(QStringLiteral("clihash"));
    KWB_VERIFY_RUN(kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QStringLiteral("4"),
                           QStringLiteral("--wait")}),
                   0);
    // Keys chosen so the four shards are all hit; routed by the stream's own map.
    QStringList keys;
    for (int i = 0; i < 16; ++i)
        keys << QStringLiteral("key-%1").arg(i);
    Run run = kwbRun(QStringList{QStringLiteral("hash")} + keys
                     + QStringList{QStringLiteral("--stream"), name, QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(run, 0);
    const QJsonArray rows = json(run).array();
    QCOMPARE(rows.size(), keys.size());
    Run shards = kwbRun({QStringLiteral("shards"), name, QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(shards, 0);
    for (const QJsonValue &row : rows) {
        const UInt128 hash = parseHashKey(row.toObject().value(QStringLiteral("hashKey")).toString()).value();
        QString expected;
        for (const QJsonValue &s : json(shards).object().value(QStringLiteral("shards")).toArray()) {
            const auto start = parseHashKey(s.toObject().value(QStringLiteral("startingHashKey")).toString()).value();
            const auto end = parseHashKey(s.toObject().value(QStringLiteral("endingHashKey")).toString()).value();
            if (start <= hash && hash <= end)
                expected = s.toObject().value(QStringLiteral("shardId")).toString();
        }
        QCOMPARE(row.toObject().value(QStringLiteral("shardId")).toString(), expected);
    }
}

void TstKwbCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("no command");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command 'frobnicate'");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("streams"), QStringLiteral("--bogus")} << QStringLiteral("bogus");
    QTest::newRow("bad output") << QStringList{QStringLiteral("streams"), QStringLiteral("--output"), QStringLiteral("xml")}
                                << QStringLiteral("--output must be");
    QTest::newRow("shards without stream") << QStringList{QStringLiteral("shards")} << QStringLiteral("one stream");
    QTest::newRow("create without count") << QStringList{QStringLiteral("create-stream"), QStringLiteral("s")}
                                          << QStringLiteral("--shards N or --on-demand");
    QTest::newRow("create zero shards") << QStringList{QStringLiteral("create-stream"), QStringLiteral("s"), QStringLiteral("--shards"), QStringLiteral("0")}
                                        << QStringLiteral("--shards takes a whole number from 1 to 100000, not '0'");
    QTest::newRow("hash without keys") << QStringList{QStringLiteral("hash")} << QStringLiteral("at least one partition key");
    QTest::newRow("hash empty key") << QStringList{QStringLiteral("hash"), QString()} << QStringLiteral("key 1: the partition key is empty");
    QTest::newRow("hash both maps") << QStringList{QStringLiteral("hash"), QStringLiteral("k"), QStringLiteral("--shards"), QStringLiteral("2"),
                                                   QStringLiteral("--stream"), QStringLiteral("s")}
                                    << QStringLiteral("not both");
    QTest::newRow("hash bad shards") << QStringList{QStringLiteral("hash"), QStringLiteral("k"), QStringLiteral("--shards"), QStringLiteral("0")}
                                     << QStringLiteral("--shards takes a whole number from 1 to 100000, not '0'");
    QTest::newRow("create wait-timeout nan")
        << QStringList{QStringLiteral("create-stream"), QStringLiteral("s"), QStringLiteral("--shards"), QStringLiteral("1"),
                       QStringLiteral("--wait-timeout"), QStringLiteral("nan")}
        << QStringLiteral("--wait-timeout takes a number of seconds above 0");
    QTest::newRow("timeout inf") << QStringList{QStringLiteral("--timeout"), QStringLiteral("inf"), QStringLiteral("streams")}
                                 << QStringLiteral("--timeout takes a number of seconds above 0 and at most 3600, not 'inf'");
    const QString records = QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import/records.jsonl"));
    QTest::newRow("put rate nan") << QStringList{QStringLiteral("put"), QStringLiteral("--stream"), QStringLiteral("s"), records,
                                                 QStringLiteral("--rate"), QStringLiteral("nan")}
                                  << QStringLiteral("--rate takes a percentage above 0 and at most 100, not 'nan'");
    QTest::newRow("preview bad shards") << QStringList{QStringLiteral("preview"), records, QStringLiteral("--shards"), QStringLiteral("x")}
                                        << QStringLiteral("--shards takes a whole number from 1 to 100000, not 'x'");
    // ARNs are read strictly, before anything is sent.
    const QString twoResources = QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/a:stream/b");
    QTest::newRow("shards bad ARN") << QStringList{QStringLiteral("shards"), twoResources}
                                    << QStringLiteral("the stream name 'a:stream/b' must be");
    QTest::newRow("delete bad ARN") << QStringList{QStringLiteral("delete-stream"), QStringLiteral("arn:aws:kinesis:us-east-1:12:stream/a")}
                                    << QStringLiteral("the account '12' must be 12 digits");
    QTest::newRow("put --stream-arn not an ARN") << QStringList{QStringLiteral("put"), QStringLiteral("--stream-arn"), QStringLiteral("orders"), records}
                                                 << QStringLiteral("--stream-arn: 'orders' is not a Kinesis stream ARN");
    QTest::newRow("hash --stream bad ARN") << QStringList{QStringLiteral("hash"), QStringLiteral("k"), QStringLiteral("--stream"), twoResources}
                                           << QStringLiteral("--stream: '") + twoResources + QStringLiteral("' is not a Kinesis stream ARN");
    // A UTF-16 file is refused with its encoding named, by put and preview alike.
    const QString wide = QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import/utf16be.json"));
    QTest::newRow("preview UTF-16") << QStringList{QStringLiteral("preview"), wide, QStringLiteral("--shards"), QStringLiteral("4")}
                                    << QStringLiteral("utf16be.json is UTF-16BE text (NUL bytes between its characters)");
    QTest::newRow("bad endpoint") << QStringList{QStringLiteral("--endpoint-url"), QStringLiteral("ftp://x"), QStringLiteral("streams")}
                                  << QStringLiteral("ftp://x");
}

void TstKwbCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    Run run = kwbRun(arguments, false);
    KWB_VERIFY_RUN(run, 2);
    QVERIFY2(run.err.startsWith("kwb: error: "), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(run.err).contains(mentions), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

void TstKwbCli::serviceErrorExitsOne()
{
    Run run = kwbRun({QStringLiteral("shards"), test::uniqueStreamName(QStringLiteral("nope"))});
    KWB_VERIFY_RUN(run, 1);
    QVERIFY2(run.err.contains("ResourceNotFoundException"), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
}

void TstKwbCli::networkErrorExitsOne()
{
    // Port 1 on loopback: nothing listens there.
    Run run = kwbRun({QStringLiteral("--endpoint-url"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("streams")}, false);
    KWB_VERIFY_RUN(run, 1);
    QVERIFY2(run.err.contains("connection refused"), run.err.constData());
}

void TstKwbCli::putRefusesWideText()
{
    // The UTF-16BE file of the finding: refused with exit 2 and what to do, nothing sent.
    const QString name = test::uniqueStreamName(QStringLiteral("wide"));
    KWB_VERIFY_RUN(kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QStringLiteral("1"), QStringLiteral("--wait")}), 0);
    const QString wide = QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import/utf16be.json"));
    Run put = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), name, wide});
    KWB_VERIFY_RUN(put, 2);
    QVERIFY2(put.err.contains("utf16be.json is UTF-16BE text"), put.err.constData());
    QVERIFY2(put.err.contains("iconv -f UTF-16BE -t UTF-8"), put.err.constData());
    KWB_VERIFY_RUN(kwbRun({QStringLiteral("delete-stream"), name}), 0);
}

QTEST_GUILESS_MAIN(TstKwbCli)
#include "tst_kwb_cli.moc"
