// kwb tail against every peer (the built-in sandbox, kinesalite, kinesis-mock), as a user runs
// it: records written by three independent writers (the AWS CLI, boto3 and kwb put) appear
// exactly once each and in per-shard sequence order, while the stream goes from 2 to 3 open
// shards during the tail. What was written is known from the writers' own answers and input,
// not from kwb. The sandbox and kinesis-mock reshard with UpdateShardCount (UNIFORM_SCALING);
// kinesalite has no UpdateShardCount, so there one shard is split with SplitShard (2 -> 3 open
// shards), which kwb tail follows the same way (kinesalite sends no ChildShards: the reader
// finds the children with ListShards).
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>

using namespace kwb;
using kwb::test::await;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QProcessEnvironment awsEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"AWS_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KINESIS"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDKWBTEST"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("kwb-test-secret"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    return env;
}

Run runProgram(const QString &program, const QStringList &args, const QProcessEnvironment &env = awsEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, args);
    if (!process.waitForFinished(120000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

QString kwbProgram()
{
    return qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
}

QStringList kwbArgs(const QStringList &args)
{
    return QStringList{QStringLiteral("--endpoint-url"), test::peerEndpoint().toString()} + args;
}

Run kwbRun(const QStringList &args)
{
    return runProgram(kwbProgram(), kwbArgs(args));
}

Run awsCli(const QStringList &args)
{
    return runProgram(QStringLiteral("/usr/bin/aws"),
                      QStringList{QStringLiteral("kinesis")} + args
                          + QStringList{QStringLiteral("--endpoint-url"), test::peerEndpoint().toString(),
                                        QStringLiteral("--output"), QStringLiteral("json")});
}

/// One written record: its key is unique in the test, its data says who wrote it.
struct Written
{
    QString key;
    QByteArray data;
};

} // namespace

#define KWB_VERIFY_RUN(run, code)                                                                   \
    QVERIFY2((run).exitCode == (code), qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3") \
                                                      .arg((run).exitCode)                          \
                                                      .arg(code)                                    \
                                                      .arg(QString::fromUtf8((run).err.left(2000) + (run).out.left(500)))))

class TstKwbTail : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyWriterOnceInOrderAcrossResharding();
    void ctrlCEndsWithExit0();
    void textAndEncodings();
    void deaggregatePrintsUserRecords();
    void badOptionsAreUsageErrors();

private:
    QString createStream(const QString &prefix, int shards);
    /// Writes `count` records with each writer; appends them to `written`.
    bool writeBatch(const QString &stream, const QString &tag, int count, std::vector<Written> &written);
    bool reshardTo3(const QString &stream);
    QTemporaryDir m_dir;
};

void TstKwbTail::initTestCase()
{
    QVERIFY2(!test::peerEndpoint().isEmpty(), "the peer fixture did not write its endpoint; run through ctest");
    QVERIFY(m_dir.isValid());
    if (!QFile::exists(QStringLiteral("/usr/bin/aws")))
        QSKIP("the AWS CLI (/usr/bin/aws) is not installed");
    if (runProgram(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("import boto3")}).exitCode != 0)
        QSKIP("boto3 is not installed for /usr/bin/python3");
}

QString TstKwbTail::createStream(const QString &prefix, int shards)
{
    const QString name = test::uniqueStreamName(prefix);
    const Run created = kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QString::number(shards),
                                QStringLiteral("--wait")});
    return created.exitCode == 0 ? name : QString();
}

bool TstKwbTail::writeBatch(const QString &stream, const QString &tag, int count, std::vector<Written> &written)
{
    // The AWS CLI: put-records with base64 data, as AWS CLI v2 takes it.
    QJsonArray records;
    for (int i = 0; i < count; ++i) {
        const Written w{QStringLiteral("aws-%1-%2").arg(tag).arg(i), QStringLiteral("awscli %1 %2").arg(tag).arg(i).toUtf8()};
        records.append(QJsonObject{{QStringLiteral("PartitionKey"), w.key},
                                   {QStringLiteral("Data"), QString::fromLatin1(w.data.toBase64())}});
        written.push_back(w);
    }
    const QString input = m_dir.filePath(QStringLiteral("aws-%1.json").arg(tag));
    QFile file(input);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("StreamName"), stream}, {QStringLiteral("Records"), records}}).toJson());
    file.close();
    const Run a = awsCli({QStringLiteral("put-records"), QStringLiteral("--cli-input-json"), QStringLiteral("file://") + input});
    if (a.exitCode != 0 || QJsonDocument::fromJson(a.out).object().value(QStringLiteral("FailedRecordCount")).toInt() != 0) {
        qWarning() << "aws put-records:" << a.err << a.out.left(500);
        return false;
    }
    // boto3.
    const QString script = QStringLiteral(
        "import boto3, sys\n"
        "c = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1',\n"
        "                 aws_access_key_id='AKIDKWBTEST', aws_secret_access_key='kwb-test-secret')\n"
        "records = [{'PartitionKey': 'boto-%s-%d' % (sys.argv[3], i), 'Data': ('boto3 %s %d' % (sys.argv[3], i)).encode()}\n"
        "           for i in range(int(sys.argv[4]))]\n"
        "r = c.put_records(StreamName=sys.argv[2], Records=records)\n"
        "sys.exit(1 if r['FailedRecordCount'] else 0)\n");
    const Run b = runProgram(QStringLiteral("/usr/bin/python3"),
                             {QStringLiteral("-c"), script, test::peerEndpoint().toString(), stream, tag, QString::number(count)});
    if (b.exitCode != 0) {
        qWarning() << "boto3:" << b.err;
        return false;
    }
    for (int i = 0; i < count; ++i)
        written.push_back({QStringLiteral("boto-%1-%2").arg(tag).arg(i), QStringLiteral("boto3 %1 %2").arg(tag).arg(i).toUtf8()});
    // kwb put: JSON Lines, the key from a field, each line the data.
    const QString lines = m_dir.filePath(QStringLiteral("kwb-%1.jsonl").arg(tag));
    QFile jsonl(lines);
    if (!jsonl.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < count; ++i) {
        const QString key = QStringLiteral("kwb-%1-%2").arg(tag).arg(i);
        const QByteArray line = QJsonDocument(QJsonObject{{QStringLiteral("id"), key}, {QStringLiteral("n"), i}}).toJson(QJsonDocument::Compact);
        jsonl.write(line + '\n');
        written.push_back({key, line});
    }
    jsonl.close();
    const Run k = kwbRun({QStringLiteral("put"), lines, QStringLiteral("--stream"), stream, QStringLiteral("--partition-key-field"),
                          QStringLiteral("id")});
    if (k.exitCode != 0) {
        qWarning() << "kwb put:" << k.err;
        return false;
    }
    return true;
}

bool TstKwbTail::reshardTo3(const QString &stream)
{
    if (test::peerName() == QLatin1String("kinesalite")) {
        // kinesalite does not implement UpdateShardCount: split shard 0 in the middle of its range.
        const Run split = awsCli({QStringLiteral("split-shard"), QStringLiteral("--stream-name"), stream, QStringLiteral("--shard-to-split"),
                               QStringLiteral("shardId-000000000000"), QStringLiteral("--new-starting-hash-key"),
                               QStringLiteral("85070591730234615865843651857942052864")}); // 2^126
        if (split.exitCode != 0) {
            qWarning() << "split-shard:" << split.err;
            return false;
        }
    } else {
        const Run update = awsCli({QStringLiteral("update-shard-count"), QStringLiteral("--stream-name"), stream,
                                QStringLiteral("--target-shard-count"), QStringLiteral("3"), QStringLiteral("--scaling-type"),
                                QStringLiteral("UNIFORM_SCALING")});
        if (update.exitCode != 0) {
            qWarning() << "update-shard-count:" << update.err;
            return false;
        }
    }
    // ACTIVE again with three open shards.
    for (int i = 0; i < 100; ++i) {
        const Run shards = kwbRun({QStringLiteral("--output"), QStringLiteral("json"), QStringLiteral("shards"), stream});
        int open = 0;
        for (const QJsonValue &s : QJsonDocument::fromJson(shards.out).object().value(QStringLiteral("shards")).toArray())
            open += s.toObject().value(QStringLiteral("state")).toString() == QLatin1String("open") ? 1 : 0;
        if (open == 3)
            return true;
        QTest::qWait(200);
    }
    return false;
}

void TstKwbTail::everyWriterOnceInOrderAcrossResharding()
{
    const QString stream = createStream(QStringLiteral("tail"), 2);
    QVERIFY(!stream.isEmpty());
    constexpr int kPerWriter = 40;
    constexpr int kTotal = 2 * 3 * kPerWriter;
    QProcess tail;
    tail.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    tail.start(kwbProgram(), kwbArgs({QStringLiteral("--output"), QStringLiteral("json"), QStringLiteral("tail"), stream,
                                      QStringLiteral("--from"), QStringLiteral("trim-horizon"), QStringLiteral("--count"),
                                      QString::number(kTotal)}));
    QVERIFY(tail.waitForStarted());
    std::vector<Written> written;
    QVERIFY(writeBatch(stream, QStringLiteral("one"), kPerWriter, written));
    // The first batch is printed before the stream reshards: the tail is reading when it does.
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += tail.readAllStandardOutput(), out.count('\n') >= 3 * kPerWriter), 30000);
    QVERIFY(reshardTo3(stream));
    QVERIFY(writeBatch(stream, QStringLiteral("two"), kPerWriter, written));
    QVERIFY2(tail.waitForFinished(60000), "kwb tail did not stop after --count records");
    out += tail.readAllStandardOutput();
    QVERIFY2(tail.exitStatus() == QProcess::NormalExit && tail.exitCode() == 0, tail.readAllStandardError().constData());

    // Exactly once each, with the data its writer wrote.
    std::map<QString, QByteArray> expected;
    for (const Written &w : written)
        expected[w.key] = w.data;
    QCOMPARE(int(expected.size()), kTotal);
    std::map<QString, int> seen;
    std::map<QString, QString> lastSequence; // per shard
    QSet<QString> shards;
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), kTotal);
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        const QString key = o.value(QStringLiteral("partitionKey")).toString();
        QVERIFY2(expected.count(key), qPrintable(key));
        QCOMPARE(o.value(QStringLiteral("data")).toString().toUtf8(), expected.at(key));
        QCOMPARE(++seen[key], 1);
        const QString shard = o.value(QStringLiteral("shardId")).toString();
        const QString sequence = o.value(QStringLiteral("sequenceNumber")).toString();
        shards.insert(shard);
        if (lastSequence.count(shard)) {
            const QString &before = lastSequence[shard];
            const bool ascending = sequence.size() > before.size() || (sequence.size() == before.size() && sequence > before);
            QVERIFY2(ascending, qPrintable(QStringLiteral("%1: %2 after %3").arg(shard, sequence, before)));
        }
        lastSequence[shard] = sequence;
        QVERIFY(QDateTime::fromString(o.value(QStringLiteral("approximateArrivalTimestamp")).toString(), Qt::ISODateWithMs).isValid());
    }
    QCOMPARE(int(seen.size()), kTotal);
    // Records came from the shards the stream closed into too.
    QVERIFY2(shards.size() >= 4, qPrintable(QStringList(shards.values()).join(QLatin1Char(','))));
}

void TstKwbTail::ctrlCEndsWithExit0()
{
    const QString stream = createStream(QStringLiteral("tailc"), 1);
    QVERIFY(!stream.isEmpty());
    QProcess tail;
    tail.start(kwbProgram(), kwbArgs({QStringLiteral("tail"), stream, QStringLiteral("--from"), QStringLiteral("trim-horizon")}));
    QVERIFY(tail.waitForStarted());
    std::vector<Written> written;
    QVERIFY(writeBatch(stream, QStringLiteral("c"), 5, written));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += tail.readAllStandardOutput(), out.count('\n') >= 15), 30000);
    ::kill(pid_t(tail.processId()), SIGINT);
    QVERIFY(tail.waitForFinished(10000));
    QCOMPARE(tail.exitStatus(), QProcess::NormalExit);
    QCOMPARE(tail.exitCode(), 0);
    out += tail.readAllStandardOutput();
    QCOMPARE(out.count('\n'), 15);
}

void TstKwbTail::textAndEncodings()
{
    const QString stream = createStream(QStringLiteral("tailt"), 1);
    QVERIFY(!stream.isEmpty());
    const QByteArray data("line one\nline\ttwo \xff");
    const Run put = awsCli({QStringLiteral("put-record"), QStringLiteral("--stream-name"), stream, QStringLiteral("--partition-key"),
                         QStringLiteral("k 1"), QStringLiteral("--data"), QString::fromLatin1(data.toBase64())});
    KWB_VERIFY_RUN(put, 0);
    const QString sequence = QJsonDocument::fromJson(put.out).object().value(QStringLiteral("SequenceNumber")).toString();
    const QString shard = QJsonDocument::fromJson(put.out).object().value(QStringLiteral("ShardId")).toString();
    const QStringList from{QStringLiteral("tail"), stream, QStringLiteral("--from"), QStringLiteral("trim-horizon"),
                           QStringLiteral("--count"), QStringLiteral("1")};
    const Run text = kwbRun(from);
    KWB_VERIFY_RUN(text, 0);
    const QList<QByteArray> fields = text.out.chopped(1).split('\t');
    QCOMPARE(fields.size(), 5);
    QCOMPARE(QString::fromLatin1(fields[0]), shard);
    QCOMPARE(QString::fromLatin1(fields[1]), sequence);
    QCOMPARE(fields[2], QByteArray("k 1"));
    QCOMPARE(fields[4], QByteArray("line one\\nline\\ttwo \xef\xbf\xbd")); // one line; not UTF-8: U+FFFD
    const Run hex = kwbRun(from + QStringList{QStringLiteral("--data-encoding"), QStringLiteral("hex"), QStringLiteral("--output"),
                                              QStringLiteral("json")});
    KWB_VERIFY_RUN(hex, 0);
    QCOMPARE(QJsonDocument::fromJson(hex.out).object().value(QStringLiteral("data")).toString().toLatin1(), data.toHex());
    const Run b64 = kwbRun(from + QStringList{QStringLiteral("--data-encoding"), QStringLiteral("base64"), QStringLiteral("--output"),
                                              QStringLiteral("json")});
    KWB_VERIFY_RUN(b64, 0);
    QCOMPARE(QJsonDocument::fromJson(b64.out).object().value(QStringLiteral("data")).toString().toLatin1(), data.toBase64());
    // From the record's own sequence number on its shard.
    const Run at = kwbRun({QStringLiteral("tail"), stream, QStringLiteral("--shard"), shard, QStringLiteral("--from"), sequence,
                           QStringLiteral("--count"), QStringLiteral("1")});
    KWB_VERIFY_RUN(at, 0);
    QVERIFY(at.out.startsWith((shard + QLatin1Char('\t') + sequence + QLatin1Char('\t')).toLatin1()));
}

void TstKwbTail::deaggregatePrintsUserRecords()
{
    const QString stream = createStream(QStringLiteral("taild"), 2);
    QVERIFY(!stream.isEmpty());
    // N user records with distinct keys, aggregated by kwb put.
    constexpr int kUsers = 30;
    std::map<QString, QByteArray> expected;
    const QString lines = m_dir.filePath(QStringLiteral("deagg.jsonl"));
    QFile jsonl(lines);
    QVERIFY(jsonl.open(QIODevice::WriteOnly));
    for (int i = 0; i < kUsers; ++i) {
        const QString key = QStringLiteral("agg-%1").arg(i);
        const QByteArray line = QJsonDocument(QJsonObject{{QStringLiteral("id"), key}, {QStringLiteral("n"), i}}).toJson(QJsonDocument::Compact);
        jsonl.write(line + '\n');
        expected[key] = line;
    }
    jsonl.close();
    const Run put = kwbRun({QStringLiteral("put"), lines, QStringLiteral("--stream"), stream, QStringLiteral("--partition-key-field"),
                            QStringLiteral("id"), QStringLiteral("--aggregate")});
    KWB_VERIFY_RUN(put, 0);
    // The aggregated record of the user guide's example (keys é and b) with its last MD5 byte
    // changed, and a plain record: both through the AWS CLI.
    QByteArray bad = QByteArray::fromBase64("84mawgoCw6kKAWIaBggAGgJoaRoECAEaAM995EZGvUwRRMXagpMws1Y=");
    bad[bad.size() - 1] = char(bad.at(bad.size() - 1) ^ 0x01);
    const Run badPut = awsCli({QStringLiteral("put-record"), QStringLiteral("--stream-name"), stream, QStringLiteral("--partition-key"),
                               QStringLiteral("bad-md5"), QStringLiteral("--data"), QString::fromLatin1(bad.toBase64())});
    KWB_VERIFY_RUN(badPut, 0);
    const Run plainPut = awsCli({QStringLiteral("put-record"), QStringLiteral("--stream-name"), stream, QStringLiteral("--partition-key"),
                                 QStringLiteral("plain"), QStringLiteral("--data"), QString::fromLatin1(QByteArray("plain data").toBase64())});
    KWB_VERIFY_RUN(plainPut, 0);
    // How many Kinesis records the stream holds, counted by boto3.
    const QString script = QStringLiteral(
        "import boto3, sys\n"
        "c = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1',\n"
        "                 aws_access_key_id='AKIDKWBTEST', aws_secret_access_key='kwb-test-secret')\n"
        "n = 0\n"
        "for s in c.list_shards(StreamName=sys.argv[2])['Shards']:\n"
        "    it = c.get_shard_iterator(StreamName=sys.argv[2], ShardId=s['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']\n"
        "    n += len(c.get_records(ShardIterator=it, Limit=10000)['Records'])\n"
        "print(n)\n");
    const Run counted = runProgram(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, test::peerEndpoint().toString(), stream});
    KWB_VERIFY_RUN(counted, 0);
    const int kinesisRecords = counted.out.trimmed().toInt();
    QVERIFY2(kinesisRecords >= 3 && kinesisRecords < kUsers, counted.out.constData()); // aggregated: fewer than the users

    const Run tail = kwbRun({QStringLiteral("--output"), QStringLiteral("json"), QStringLiteral("tail"), stream, QStringLiteral("--from"),
                             QStringLiteral("trim-horizon"), QStringLiteral("--deaggregate"), QStringLiteral("--count"),
                             QString::number(kinesisRecords)});
    KWB_VERIFY_RUN(tail, 0);
    const QList<QByteArray> out = tail.out.trimmed().split('\n');
    QCOMPARE(out.size(), kUsers + 2);
    std::map<QString, int> seen;
    std::map<QString, std::vector<int>> subs; // per Kinesis record
    int errors = 0;
    int plain = 0;
    for (const QByteArray &line : out) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        const QString key = o.value(QStringLiteral("partitionKey")).toString();
        if (key == QLatin1String("bad-md5")) {
            ++errors;
            QVERIFY2(o.value(QStringLiteral("error")).toString().contains(QLatin1String("MD5")), line.constData());
            QVERIFY(!o.contains(QStringLiteral("subSequenceNumber")));
            continue;
        }
        QVERIFY2(!o.contains(QStringLiteral("error")), line.constData());
        if (key == QLatin1String("plain")) {
            ++plain;
            QCOMPARE(o.value(QStringLiteral("data")).toString(), QStringLiteral("plain data"));
            QVERIFY(!o.contains(QStringLiteral("subSequenceNumber")));
            continue;
        }
        QVERIFY2(expected.count(key), qPrintable(key));
        QCOMPARE(o.value(QStringLiteral("data")).toString().toUtf8(), expected.at(key));
        QCOMPARE(++seen[key], 1);
        QVERIFY(!o.contains(QStringLiteral("explicitHashKey")) || !o.value(QStringLiteral("explicitHashKey")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("subSequenceNumber")).isDouble());
        subs[o.value(QStringLiteral("shardId")).toString() + QLatin1Char('/') + o.value(QStringLiteral("sequenceNumber")).toString()]
            .push_back(o.value(QStringLiteral("subSequenceNumber")).toInt());
        QVERIFY(QDateTime::fromString(o.value(QStringLiteral("approximateArrivalTimestamp")).toString(), Qt::ISODateWithMs).isValid());
    }
    QCOMPARE(errors, 1);
    QCOMPARE(plain, 1);
    QCOMPARE(int(seen.size()), kUsers);
    QCOMPARE(int(subs.size()), kinesisRecords - 2);
    for (const auto &[record, numbers] : subs)
        for (size_t i = 0; i < numbers.size(); ++i)
            QVERIFY2(numbers[i] == int(i), qPrintable(QStringLiteral("%1: sub-sequence number %2 at place %3").arg(record).arg(numbers[i]).arg(i)));

    // Text: a user record has two more columns (sub-sequence number, explicit hash key); the broken
    // record one error column.
    const Run text = kwbRun({QStringLiteral("tail"), stream, QStringLiteral("--from"), QStringLiteral("trim-horizon"),
                             QStringLiteral("--deaggregate"), QStringLiteral("--count"), QString::number(kinesisRecords)});
    KWB_VERIFY_RUN(text, 0);
    const QList<QByteArray> textLines = text.out.trimmed().split('\n');
    QCOMPARE(textLines.size(), kUsers + 2);
    for (const QByteArray &line : textLines) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields[2] == "plain")
            QCOMPARE(fields.size(), 5);
        else if (fields[2] == "bad-md5")
            QVERIFY2(fields.size() == 6 && fields[5].startsWith("error: "), line.constData());
        else
            QVERIFY2(fields.size() == 7 && expected.count(QString::fromUtf8(fields[2])) && fields[4] == expected.at(QString::fromUtf8(fields[2])),
                     line.constData());
    }
}

void TstKwbTail::badOptionsAreUsageErrors()
{
    const QString stream = createStream(QStringLiteral("tailb"), 1);
    QVERIFY(!stream.isEmpty());
    const Run badFrom = kwbRun({QStringLiteral("tail"), stream, QStringLiteral("--from"), QStringLiteral("yesterday")});
    KWB_VERIFY_RUN(badFrom, 2);
    QVERIFY(badFrom.err.contains("--from takes latest, trim-horizon"));
    const Run badShard = kwbRun({QStringLiteral("tail"), stream, QStringLiteral("--shard"), QStringLiteral("shardId-000000000007")});
    KWB_VERIFY_RUN(badShard, 2);
    QVERIFY2(badShard.err.contains("shard shardId-000000000007 is not in stream"), badShard.err.constData());
    const Run missing = kwbRun({QStringLiteral("tail"), QStringLiteral("no-such-stream-here"), QStringLiteral("--count"), QStringLiteral("1")});
    KWB_VERIFY_RUN(missing, 1);
    QVERIFY(missing.err.contains("ResourceNotFoundException"));
    const Run encoding = kwbRun({QStringLiteral("tail"), stream, QStringLiteral("--data-encoding"), QStringLiteral("utf16")});
    KWB_VERIFY_RUN(encoding, 2);
}

QTEST_GUILESS_MAIN(TstKwbTail)
#include "tst_kwb_tail.moc"
