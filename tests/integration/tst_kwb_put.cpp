// kwb put / preview / retry against real peers, as a user runs them: every record accounted
// for, every actual shard equal to the prediction, retry resends only what did not succeed,
// --verify reads records back; and records exported as AWS CLI files replay with awscli.
#include "KplOracle.h"
#include "RecordStore.h"
#include "ShardMap.h"
#include "TestSupport.h"
#include "export/ResultsExport.h"
#include "net/KinesisClient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace kwb;
using kwb::test::await;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runProgram(const QString &program, const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, args);
    if (!process.waitForFinished(240000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

Run kwbRun(const QStringList &args)
{
    return runProgram(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
                      QStringList{QStringLiteral("--endpoint-url"), test::peerEndpoint().toString()} + args);
}

/// The lines of a results file in the order of their "index": kwb writes rows as they finish.
QList<QJsonObject> byIndex(QList<QJsonObject> lines)
{
    std::stable_sort(lines.begin(), lines.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("index")).toInteger() < b.value(QStringLiteral("index")).toInteger();
    });
    return lines;
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

/// The environment for /usr/bin/aws against the peer: placeholder keys, no config files.
QProcessEnvironment awsCliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The test environment blanks these to isolate the tests; awscli reads an empty
    // AWS_PROFILE as a profile named "", so remove them instead.
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

/// Records in the peer's kinesalite-sized runs: 10,000; kinesis-mock slows down as shards fill.
int recordCount()
{
    return test::peerName() == QLatin1String("kinesismock") ? 1000 : 10000;
}

} // namespace

#define KWB_VERIFY_RUN(run, code)                                                                   \
    QVERIFY2((run).exitCode == (code), qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3") \
                                                      .arg((run).exitCode)                          \
                                                      .arg(code)                                    \
                                                      .arg(QString::fromUtf8((run).err.left(2000) + (run).out.left(500)))))

class TstKwbPut : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void putFromJsonlLandsWherePredicted();
    void previewMatchesPut();
    void retrySendsOnlyWhatDidNotSucceed();
    void verifyReadsRecordsBack();
    void badRowsAreListedWithTheirPlace();
    void awsCliReplaysExportedRecords();
    void slowPipeRecordsLeaveWithinASecond();
    void killedPutIsRecoveredWithRetry();
    void terminatedPutWritesItsResults();
    void aggregatedPutDeaggregatesToWhatWasSent();

private:
    QString createStream(const QString &prefix, int shards);
    /// Every record in the stream, read from each shard's trim horizon.
    std::vector<net::StoredRecord> readAll(const QString &stream);
    QTemporaryDir m_dir;
    std::unique_ptr<net::KinesisClient> m_client;
};

void TstKwbPut::initTestCase()
{
    QVERIFY2(!test::peerEndpoint().isEmpty(), "the peer fixture did not write its endpoint; run through ctest");
    QVERIFY(m_dir.isValid());
    m_client = std::make_unique<net::KinesisClient>(test::peerClientOptions());
}

QString TstKwbPut::createStream(const QString &prefix, int shards)
{
    const QString name = test::uniqueStreamName(prefix);
    const Run created = kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QString::number(shards), QStringLiteral("--wait")});
    return created.exitCode == 0 ? name : QString();
}

std::vector<net::StoredRecord> TstKwbPut::readAll(const QString &stream)
{
    std::vector<net::StoredRecord> all;
    auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { m_client->listShards(stream, ctx, done); });
    if (!shards.ok())
        return all;
    for (const Shard &shard : shards.value()) {
        auto iterator = await<QString>([&](QObject *ctx, auto done) {
            m_client->getShardIterator(stream, shard.shardId, net::ShardIteratorType::TrimHorizon, {}, {}, ctx, done);
        });
        QString next = iterator.ok() ? iterator.value() : QString();
        while (!next.isEmpty()) {
            auto page = await<net::GetRecordsResult>([&](QObject *ctx, auto done) { m_client->getRecords(next, 10000, ctx, done); });
            if (!page.ok() || page.value().records.empty())
                break;
            all.insert(all.end(), page.value().records.begin(), page.value().records.end());
            next = page.value().nextShardIterator;
        }
    }
    return all;
}

void TstKwbPut::putFromJsonlLandsWherePredicted()
{
    const QString stream = createStream(QStringLiteral("put"), 4);
    QVERIFY(!stream.isEmpty());
    const int n = recordCount();
    const QString input = m_dir.filePath(QStringLiteral("orders.jsonl"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < n; ++i)
            file.write(QStringLiteral("{\"PartitionKey\":\"customer-%1\",\"Data\":\"{\\\"order\\\":%2,\\\"item\\\":\\\"widget\\\"}\"%3}\n")
                           .arg(i % 613)
                           .arg(i)
                           .arg(i % 250 == 0 ? QStringLiteral(",\"ExplicitHashKey\":\"%1\"").arg(i) : QString())
                           .toUtf8());
    }
    const QString results = m_dir.filePath(QStringLiteral("orders-results.jsonl"));
    const Run put = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input, QStringLiteral("--results"), results});
    KWB_VERIFY_RUN(put, 0);
    QVERIFY2(put.err.contains(QStringLiteral("%1 succeeded").arg(QLocale::c().toString(n)).toUtf8()), put.err.constData());
    const auto lines = jsonLines(results);
    QCOMPARE(lines.size(), n);
    QSet<int> indexes;
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(!line.value(QStringLiteral("sequenceNumber")).toString().isEmpty());
        QCOMPARE(line.value(QStringLiteral("shardId")).toString(), line.value(QStringLiteral("predictedShardId")).toString());
        indexes.insert(line.value(QStringLiteral("index")).toInt());
    }
    QCOMPARE(indexes.size(), n);
    QCOMPARE(*std::max_element(indexes.begin(), indexes.end()), n - 1);
    // What the peer holds is exactly what was sent.
    QCOMPARE(int(readAll(stream).size()), n);
}

void TstKwbPut::previewMatchesPut()
{
    const QString stream = createStream(QStringLiteral("preview"), 3);
    QVERIFY(!stream.isEmpty());
    const QString input = m_dir.filePath(QStringLiteral("lines.txt"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 60; ++i)
            file.write(QStringLiteral("line %1\n").arg(i).toUtf8());
    }
    const Run preview = kwbRun({QStringLiteral("preview"), input, QStringLiteral("--stream"), stream, QStringLiteral("--format"),
                             QStringLiteral("lines"), QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(preview, 0);
    const QJsonObject doc = QJsonDocument::fromJson(preview.out).object();
    const QJsonArray rows = doc.value(QStringLiteral("records")).toArray();
    QCOMPARE(rows.size(), 60);
    qint64 total = 0;
    for (const QJsonValue &s : doc.value(QStringLiteral("shards")).toArray())
        total += s.toObject().value(QStringLiteral("records")).toInteger();
    QCOMPARE(total, 60);
    const QString results = m_dir.filePath(QStringLiteral("lines-results.jsonl"));
    KWB_VERIFY_RUN(kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input, QStringLiteral("--format"), QStringLiteral("lines"),
                        QStringLiteral("--results"), results}),
                   0);
    const auto lines = byIndex(jsonLines(results));
    QCOMPARE(lines.size(), 60);
    for (int i = 0; i < 60; ++i) {
        const QJsonObject predicted = rows[i].toObject();
        QCOMPARE(predicted.value(QStringLiteral("partitionKey")).toString(), lines[i].value(QStringLiteral("partitionKey")).toString());
        QCOMPARE(predicted.value(QStringLiteral("shardId")).toString(), lines[i].value(QStringLiteral("shardId")).toString());
        // Independent check of the hash: Kinesis' own routing put it on that shard.
        QVERIFY(parseHashKey(predicted.value(QStringLiteral("hashKey")).toString()).ok());
    }
}

void TstKwbPut::retrySendsOnlyWhatDidNotSucceed()
{
    const QString stream = createStream(QStringLiteral("retry"), 2);
    QVERIFY(!stream.isEmpty());
    // A results file of an earlier run: 5 succeeded rows (already in the stream? no: they
    // were "sent" elsewhere), 3 failed, 2 pending. Retry must send exactly the 5 others.
    const QString earlier = m_dir.filePath(QStringLiteral("earlier.jsonl"));
    {
        QFile file(earlier);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 10; ++i) {
            QJsonObject row{{QStringLiteral("index"), 100 + i}, {QStringLiteral("partitionKey"), QStringLiteral("k%1").arg(i)},
                            {QStringLiteral("attempts"), 1}};
            if (i < 5) {
                row.insert(QStringLiteral("status"), QStringLiteral("succeeded"));
                row.insert(QStringLiteral("shardId"), QStringLiteral("shardId-000000000000"));
                row.insert(QStringLiteral("sequenceNumber"), QStringLiteral("1"));
            } else {
                row.insert(QStringLiteral("status"), i < 8 ? QStringLiteral("failed") : QStringLiteral("pending"));
                row.insert(QStringLiteral("errorCode"), QStringLiteral("ProvisionedThroughputExceededException"));
                row.insert(QStringLiteral("data"), QString::fromLatin1(QByteArray("payload-" + QByteArray::number(i)).toBase64()));
            }
            file.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
        }
    }
    const QString again = m_dir.filePath(QStringLiteral("again.jsonl"));
    const Run retry = kwbRun({QStringLiteral("retry"), earlier, QStringLiteral("--stream"), stream, QStringLiteral("--results"), again});
    KWB_VERIFY_RUN(retry, 0);
    const auto lines = byIndex(jsonLines(again));
    QCOMPARE(lines.size(), 10);
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(lines[i].value(QStringLiteral("index")).toInt(), 100 + i);
        QCOMPARE(lines[i].value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    }
    // Rows that had succeeded keep their old outcome untouched.
    QCOMPARE(lines[0].value(QStringLiteral("sequenceNumber")).toString(), QStringLiteral("1"));
    const auto stored = readAll(stream);
    QCOMPARE(int(stored.size()), 5);
    QSet<QByteArray> data;
    for (const auto &r : stored)
        data.insert(r.data);
    for (int i = 5; i < 10; ++i)
        QVERIFY(data.contains("payload-" + QByteArray::number(i)));
}

void TstKwbPut::verifyReadsRecordsBack()
{
    const QString stream = createStream(QStringLiteral("verify"), 2);
    QVERIFY(!stream.isEmpty());
    const QString input = m_dir.filePath(QStringLiteral("verify.csv"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("partition_key,data\r\n");
        for (int i = 0; i < 40; ++i)
            file.write(QStringLiteral("k%1,\"value, with comma %1\"\r\n").arg(i).toUtf8());
    }
    const Run put = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input, QStringLiteral("--verify"),
                         QStringLiteral("--output"), QStringLiteral("json")});
    KWB_VERIFY_RUN(put, 0);
    const QJsonObject summary = QJsonDocument::fromJson(put.out).object();
    QCOMPARE(summary.value(QStringLiteral("succeeded")).toInt(), 40);
    QCOMPARE(summary.value(QStringLiteral("verified")).toInt(), 40);
    QCOMPARE(summary.value(QStringLiteral("verifyMismatched")).toInt(), 0);
}

void TstKwbPut::badRowsAreListedWithTheirPlace()
{
    const QString stream = createStream(QStringLiteral("bad"), 1);
    QVERIFY(!stream.isEmpty());
    const QString input = m_dir.filePath(QStringLiteral("bad.jsonl"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"PartitionKey\":\"good\",\"Data\":\"1\"}\n{\"PartitionKey\":\"\",\"Data\":\"2\"}\n{\"PartitionKey\":\"good2\",\"Data\":\"3\"}\n");
    }
    const Run skip = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input});
    KWB_VERIFY_RUN(skip, 2);
    QVERIFY2(skip.err.contains("bad.jsonl:2:"), skip.err.constData());
    QVERIFY2(skip.err.contains("2 succeeded"), skip.err.constData());
    const Run stop = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input, QStringLiteral("--on-bad-row"), QStringLiteral("stop")});
    KWB_VERIFY_RUN(stop, 2);
    QVERIFY2(stop.err.contains("nothing was sent"), stop.err.constData());
    QCOMPARE(int(readAll(stream).size()), 2); // only the first run's two good records
}

void TstKwbPut::awsCliReplaysExportedRecords()
{
    const QString stream = createStream(QStringLiteral("replay"), 2);
    QVERIFY(!stream.isEmpty());
    RecordStore store;
    QRandomGenerator random(11);
    for (int i = 0; i < 620; ++i) {
        QByteArray data(16 + int(random.bounded(64)), Qt::Uninitialized);
        for (char &c : data)
            c = char(random.bounded(256));
        store.append(QStringLiteral("replay-%1").arg(i).toUtf8(), data, i == 7 ? std::optional<UInt128>(kMaxHashKey) : std::nullopt);
    }
    auto files = exporting::writeAwsCliPutRecords(m_dir.filePath(QStringLiteral("replay")), stream, store);
    QVERIFY(files.ok());
    QCOMPARE(files.value().size(), 2);
    const QProcessEnvironment env = awsCliEnvironment();
    for (const QString &file : files.value()) {
        // Debian's awscli (v2) reads Data as base64, as our files write it.
        const Run aws = runProgram(QStringLiteral("/usr/bin/aws"),
                                   {QStringLiteral("kinesis"), QStringLiteral("put-records"), QStringLiteral("--cli-input-json"),
                                    QStringLiteral("file://") + file, QStringLiteral("--endpoint-url"), test::peerEndpoint().toString(),
                                    QStringLiteral("--output"), QStringLiteral("json")},
                                   env);
        KWB_VERIFY_RUN(aws, 0);
        QCOMPARE(QJsonDocument::fromJson(aws.out).object().value(QStringLiteral("FailedRecordCount")).toInt(), 0);
    }
    const auto stored = readAll(stream);
    QCOMPARE(int(stored.size()), 620);
    QHash<QString, QByteArray> byKey;
    for (const auto &r : stored)
        byKey.insert(r.partitionKey, r.data);
    for (int row = 0; row < store.size(); ++row)
        QCOMPARE(byKey.value(store.partitionKey(row)), store.data(row).toByteArray());
}

void TstKwbPut::slowPipeRecordsLeaveWithinASecond()
{
    // `tail -f app.log | kwb put --format lines -`: one record every 200 ms, each one in the
    // stream within a second of being written, long before the pipe closes.
    const QString stream = createStream(QStringLiteral("slow"), 2);
    QVERIFY(!stream.isEmpty());
    auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { m_client->listShards(stream, ctx, done); });
    QVERIFY(shards.ok());
    std::vector<QString> iterators;
    for (const Shard &shard : shards.value()) {
        auto iterator = await<QString>([&](QObject *ctx, auto done) {
            m_client->getShardIterator(stream, shard.shardId, net::ShardIteratorType::TrimHorizon, {}, {}, ctx, done);
        });
        QVERIFY(iterator.ok());
        iterators.push_back(iterator.value());
    }
    QSet<QByteArray> seen;
    const auto poll = [&] {
        for (QString &iterator : iterators) {
            auto page = await<net::GetRecordsResult>([&](QObject *ctx, auto done) { m_client->getRecords(iterator, 1000, ctx, done); });
            if (!page.ok())
                continue;
            for (const net::StoredRecord &r : page.value().records)
                seen.insert(r.data);
            iterator = page.value().nextShardIterator;
        }
    };
    QProcess put;
    put.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
              {QStringLiteral("--endpoint-url"), test::peerEndpoint().toString(), QStringLiteral("put"), QStringLiteral("--stream"),
               stream, QStringLiteral("--format"), QStringLiteral("lines"), QStringLiteral("-")});
    QVERIFY(put.waitForStarted());
    constexpr int kRecords = 12;
    QElapsedTimer sinceWrite;
    for (int i = 0; i < kRecords; ++i) {
        if (i > 0)
            QTest::qWait(std::max<int>(0, 200 - int(sinceWrite.elapsed())));
        const QByteArray line = "slow-record-" + QByteArray::number(i);
        put.write(line + '\n');
        sinceWrite.start();
        QTRY_VERIFY_WITH_TIMEOUT((poll(), seen.contains(line)), 1000);
        QVERIFY2(sinceWrite.elapsed() < 1000, qPrintable(QStringLiteral("record %1 took %2 ms").arg(i).arg(sinceWrite.elapsed())));
        QCOMPARE(put.state(), QProcess::Running); // the pipe is still open: it flows, it does not wait for the end
    }
    put.closeWriteChannel();
    QVERIFY(put.waitForFinished(30000));
    const QByteArray err = put.readAllStandardError();
    QVERIFY2(put.exitCode() == 0, err.constData());
    QVERIFY2(err.contains("12 succeeded"), err.constData());
    QCOMPARE(int(readAll(stream).size()), kRecords);
}

void TstKwbPut::killedPutIsRecoveredWithRetry()
{
    // kill -9 in the middle of a run whose requests take 300 ms (the sandbox's added latency),
    // so some rows are certainly in flight. kwb retry sends what is known not to be in the
    // stream and reports the rest as unknown; reading the shards back then finds each record
    // read by kwb put exactly once, except the unknown ones (at most once).
    if (test::peerName() != QLatin1String("sandbox"))
        QSKIP("needs the built-in sandbox's --latency; covered by the sandbox run");
    const QString kwb = qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
    QProcess sandbox;
    sandbox.start(kwb, {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--no-limits"),
                        QStringLiteral("--latency"), QStringLiteral("300"), QStringLiteral("--streams"), QStringLiteral("killed:3")});
    QVERIFY(sandbox.waitForReadyRead(20000));
    const QString endpoint = QString::fromUtf8(sandbox.readLine()).trimmed();
    net::ClientOptions options = test::peerClientOptions();
    options.endpoint = QUrl(endpoint);
    net::KinesisClient client(options);

    const QString results = m_dir.filePath(QStringLiteral("killed.jsonl"));
    QProcess put;
    put.start(kwb, {QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("put"), QStringLiteral("--stream"),
                    QStringLiteral("killed"), QStringLiteral("--format"), QStringLiteral("lines"), QStringLiteral("-"),
                    QStringLiteral("--results"), results, QStringLiteral("--concurrency"), QStringLiteral("2")});
    QVERIFY(put.waitForStarted());
    // The first part: wait until some of it succeeded.
    constexpr int kFirst = 3000;
    constexpr int kSecond = 3000;
    QByteArray first;
    for (int i = 0; i < kFirst; ++i)
        first += "killed-" + QByteArray::number(i) + '\n';
    put.write(first);
    const auto journal = [&] {
        QFile file(results);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    QTRY_VERIFY_WITH_TIMEOUT(journal().contains("\"status\":\"succeeded\""), 20000);
    // The second part, then kill as soon as a request of it is in flight.
    QByteArray second;
    for (int i = kFirst; i < kFirst + kSecond; ++i)
        second += "killed-" + QByteArray::number(i) + '\n';
    put.write(second);
    const auto secondPartInFlight = [&] {
        for (const QByteArray &line : journal().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QStringLiteral("status")).toString() != QLatin1String("inflight"))
                continue;
            for (const QJsonValue v : o.value(QStringLiteral("indexes")).toArray())
                if (v.toInteger() >= kFirst)
                    return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(secondPartInFlight(), 20000);
    ::kill(pid_t(put.processId()), SIGKILL);
    QVERIFY(put.waitForFinished(10000));
    QCOMPARE(put.exitStatus(), QProcess::CrashExit);

    // What the file says, worked out here line by line: the last line about an index wins.
    QHash<qint64, QString> last;
    qint64 highest = -1;
    for (const QByteArray &line : journal().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue; // a line cut by the kill
        const QString status = o.value(QStringLiteral("status")).toString();
        if (o.contains(QStringLiteral("indexes"))) {
            for (const QJsonValue v : o.value(QStringLiteral("indexes")).toArray())
                last.insert(v.toInteger(), status);
        } else {
            last.insert(o.value(QStringLiteral("index")).toInteger(), status);
            highest = std::max(highest, o.value(QStringLiteral("index")).toInteger());
        }
    }
    qint64 unknown = 0;
    for (auto it = last.cbegin(); it != last.cend(); ++it)
        unknown += it.value() == QLatin1String("inflight");
    QVERIFY2(unknown > 0, "no request was in flight at the kill");
    QVERIFY(highest >= kFirst);

    const QString again = m_dir.filePath(QStringLiteral("killed-again.jsonl"));
    const Run retry = runProgram(kwb, {QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("retry"), results,
                                       QStringLiteral("--stream"), QStringLiteral("killed"), QStringLiteral("--results"), again});
    // The unknown rows are not sent without --resend-unknown: the run is not all succeeded.
    KWB_VERIFY_RUN(retry, 1);
    QVERIFY2(retry.err.contains(QStringLiteral("%1 rows may or may not be in the stream").arg(QLocale::c().toString(unknown)).toUtf8()),
             retry.err.constData());
    const auto lines = jsonLines(again);
    QCOMPARE(qint64(lines.size()), highest + 1);
    qint64 cancelled = 0;
    for (const QJsonObject &line : lines) {
        const QString status = line.value(QStringLiteral("status")).toString();
        cancelled += status == QLatin1String("cancelled");
        QVERIFY2(status == QLatin1String("succeeded") || status == QLatin1String("cancelled"), qPrintable(status));
    }
    QCOMPARE(cancelled, unknown);

    // Every shard read back.
    std::vector<net::StoredRecord> stored;
    auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(QStringLiteral("killed"), ctx, done); });
    QVERIFY(shards.ok());
    for (const Shard &shard : shards.value()) {
        auto iterator = await<QString>([&](QObject *ctx, auto done) {
            client.getShardIterator(QStringLiteral("killed"), shard.shardId, net::ShardIteratorType::TrimHorizon, {}, {}, ctx, done);
        });
        QVERIFY(iterator.ok());
        QString next = iterator.value();
        for (;;) {
            auto page = await<net::GetRecordsResult>([&](QObject *ctx, auto done) { client.getRecords(next, 10000, ctx, done); });
            QVERIFY(page.ok());
            if (page.value().records.empty())
                break;
            stored.insert(stored.end(), page.value().records.begin(), page.value().records.end());
            next = page.value().nextShardIterator;
        }
    }
    QHash<QByteArray, int> copies;
    for (const net::StoredRecord &r : stored)
        ++copies[r.data];
    for (qint64 i = 0; i <= highest; ++i) {
        const int n = copies.value("killed-" + QByteArray::number(i));
        if (last.value(i) == QLatin1String("inflight"))
            QVERIFY2(n <= 1, qPrintable(QStringLiteral("unknown record %1 is in the stream %2 times").arg(i).arg(n)));
        else
            QVERIFY2(n == 1, qPrintable(QStringLiteral("record %1 is in the stream %2 times").arg(i).arg(n)));
    }
    // Records kwb never read (still in the pipe at the kill) were never sent.
    for (qint64 i = highest + 1; i < kFirst + kSecond; ++i)
        QCOMPARE(copies.value("killed-" + QByteArray::number(i)), 0);

    // With --resend-unknown the unknown rows go too (each is then in the stream once or twice).
    const Run resend = runProgram(kwb, {QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("retry"), again, QStringLiteral("--stream"),
                                        QStringLiteral("killed"), QStringLiteral("--resend-unknown"), QStringLiteral("--results"),
                                        m_dir.filePath(QStringLiteral("killed-third.jsonl"))});
    KWB_VERIFY_RUN(resend, 0);
    QVERIFY2(resend.err.contains(QStringLiteral("%1 succeeded").arg(QLocale::c().toString(highest + 1)).toUtf8()), resend.err.constData());
    sandbox.terminate();
    sandbox.waitForFinished(10000);
}

void TstKwbPut::terminatedPutWritesItsResults()
{
    // SIGTERM (like Ctrl-C) on a live pipe: kwb stops reading, finishes what is in flight, writes
    // the results file (one final line per record read: the journal's lines are gone) and exits 1.
    const QString stream = createStream(QStringLiteral("term"), 1);
    QVERIFY(!stream.isEmpty());
    const QString results = m_dir.filePath(QStringLiteral("term.jsonl"));
    QProcess put;
    put.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
              {QStringLiteral("--endpoint-url"), test::peerEndpoint().toString(), QStringLiteral("put"), QStringLiteral("--stream"),
               stream, QStringLiteral("--format"), QStringLiteral("lines"), QStringLiteral("-"), QStringLiteral("--results"), results});
    QVERIFY(put.waitForStarted());
    put.write("one\ntwo\nthree\n");
    const auto count = [&](const QByteArray &what) {
        QFile file(results);
        return file.open(QIODevice::ReadOnly) ? file.readAll().count(what) : qsizetype(0);
    };
    QTRY_COMPARE_WITH_TIMEOUT(count("\"status\":\"succeeded\""), qsizetype(3), 10000);
    put.terminate();
    QVERIFY(put.waitForFinished(20000));
    QCOMPARE(put.exitStatus(), QProcess::NormalExit);
    QCOMPARE(put.exitCode(), 1);
    const auto lines = jsonLines(results);
    QCOMPARE(lines.size(), 3);
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(int(readAll(stream).size()), 3);
}


void TstKwbPut::aggregatedPutDeaggregatesToWhatWasSent()
{
    // kwb put --aggregate, read back from every shard, de-aggregated by the independent module:
    // the user records are exactly those sent, each on the shard its own key predicts.
    const QString stream = createStream(QStringLiteral("agg"), 4);
    QVERIFY(!stream.isEmpty());
    const int n = test::peerName() == QLatin1String("kinesismock") ? 1000 : 5000;
    const QString input = m_dir.filePath(QStringLiteral("aggregate.jsonl"));
    QMultiHash<QString, QByteArray> sent; // key -> data
    QHash<QString, QString> explicitKeys; // key -> explicit hash key
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < n; ++i) {
            const QString key = i % 97 == 0 ? QStringLiteral("clé-%1-é").arg(i) : QStringLiteral("customer-%1").arg(i % 613);
            const QString ehk = i % 500 == 1 ? QString::number(qulonglong(i) * 1000003ull) : QString();
            const QString effectiveKey = ehk.isEmpty() ? key : QStringLiteral("ehk-%1").arg(i);
            const QByteArray data = QStringLiteral("{\"order\":%1}").arg(i).toUtf8();
            QJsonObject line{{QStringLiteral("PartitionKey"), effectiveKey}, {QStringLiteral("Data"), QString::fromUtf8(data)}};
            if (!ehk.isEmpty()) {
                line.insert(QStringLiteral("ExplicitHashKey"), ehk);
                explicitKeys.insert(effectiveKey, ehk);
            }
            file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
            sent.insert(effectiveKey, data);
        }
    }
    const QString results = m_dir.filePath(QStringLiteral("aggregate-results.jsonl"));
    const Run put = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, input, QStringLiteral("--aggregate"),
                            QStringLiteral("--aggregate-max-bytes"), QStringLiteral("20000"), QStringLiteral("--results"), results});
    KWB_VERIFY_RUN(put, 0);
    const auto lines = jsonLines(results);
    QCOMPARE(lines.size(), n);
    int aggregatedRows = 0;
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(line.value(QStringLiteral("shardId")).toString(), line.value(QStringLiteral("predictedShardId")).toString());
        aggregatedRows += line.contains(QStringLiteral("subSequenceNumber"));
    }
    QVERIFY(aggregatedRows > n / 2);

    auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { m_client->listShards(stream, ctx, done); });
    QVERIFY(shards.ok());
    auto map = ShardMap::fromShards(shards.value());
    QVERIFY(map.ok());
    QJsonArray kinesisRecords;
    QStringList shardOfRecord;
    qint64 largest = 0;
    for (const Shard &shard : shards.value()) {
        auto iterator = await<QString>([&](QObject *ctx, auto done) {
            m_client->getShardIterator(stream, shard.shardId, net::ShardIteratorType::TrimHorizon, {}, {}, ctx, done);
        });
        QVERIFY(iterator.ok());
        QString next = iterator.value();
        while (!next.isEmpty()) {
            auto page = await<net::GetRecordsResult>([&](QObject *ctx, auto done) { m_client->getRecords(next, 10000, ctx, done); });
            QVERIFY(page.ok());
            if (page.value().records.empty())
                break;
            for (const net::StoredRecord &r : page.value().records) {
                kinesisRecords.append(QJsonObject{{QStringLiteral("partitionKey"), r.partitionKey},
                                                  {QStringLiteral("data"), QString::fromLatin1(r.data.toBase64())}});
                shardOfRecord.append(shard.shardId);
                largest = std::max(largest, qint64(r.data.size() + r.partitionKey.toUtf8().size()));
            }
            next = page.value().nextShardIterator;
        }
    }
    QVERIFY(kinesisRecords.size() < n / 10); // packed, not one Kinesis record per user record
    QVERIFY2(largest <= 20000, qPrintable(QString::number(largest)));
    const QJsonObject answer = test::runKplOracle({{QStringLiteral("op"), QStringLiteral("deaggregate")},
                                                   {QStringLiteral("records"), kinesisRecords}});
    QVERIFY2(!answer.contains(QStringLiteral("error")), qPrintable(answer.value(QStringLiteral("error")).toString()));
    const QJsonArray perRecord = answer.value(QStringLiteral("results")).toArray();
    QCOMPARE(perRecord.size(), kinesisRecords.size());
    QMultiHash<QString, QByteArray> received;
    for (qsizetype k = 0; k < perRecord.size(); ++k) {
        const QJsonObject result = perRecord.at(k).toObject();
        QVERIFY2(!result.contains(QStringLiteral("error")), qPrintable(result.value(QStringLiteral("error")).toString()));
        for (const QJsonValue &u : result.value(QStringLiteral("records")).toArray()) {
            const QString key = u.toObject().value(QStringLiteral("partitionKey")).toString();
            received.insert(key, QByteArray::fromBase64(u.toObject().value(QStringLiteral("data")).toString().toLatin1()));
            const UInt128 hash = explicitKeys.contains(key) ? parseHashKey(explicitKeys.value(key)).value() : hashPartitionKey(key);
            QCOMPARE(map.value().shardFor(hash)->shardId, shardOfRecord.at(k));
        }
    }
    QCOMPARE(received.size(), sent.size());
    for (auto it = sent.constBegin(); it != sent.constEnd(); ++it)
        QVERIFY2(received.values(it.key()).contains(it.value()), qPrintable(it.key()));

    // The first shard as `aws kinesis get-records` prints it, through `kwb deaggregate`: the same
    // user records as the module found in that shard's Kinesis records.
    const QString firstShard = shards.value().front().shardId;
    const QString endpoint = test::peerEndpoint().toString();
    const Run iterator = runProgram(QStringLiteral("/usr/bin/aws"),
                                    {QStringLiteral("kinesis"), QStringLiteral("get-shard-iterator"), QStringLiteral("--stream-name"), stream,
                                     QStringLiteral("--shard-id"), firstShard, QStringLiteral("--shard-iterator-type"),
                                     QStringLiteral("TRIM_HORIZON"), QStringLiteral("--endpoint-url"), endpoint,
                                     QStringLiteral("--output"), QStringLiteral("json")},
                                    awsCliEnvironment());
    KWB_VERIFY_RUN(iterator, 0);
    const Run got = runProgram(QStringLiteral("/usr/bin/aws"),
                               {QStringLiteral("kinesis"), QStringLiteral("get-records"), QStringLiteral("--shard-iterator"),
                                QJsonDocument::fromJson(iterator.out).object().value(QStringLiteral("ShardIterator")).toString(),
                                QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--output"), QStringLiteral("json")},
                               awsCliEnvironment());
    KWB_VERIFY_RUN(got, 0);
    const QString recordsFile = m_dir.filePath(QStringLiteral("get-records.json"));
    {
        QFile file(recordsFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(got.out);
    }
    QMultiHash<QString, QByteArray> inFirstShard;
    for (qsizetype k = 0; k < perRecord.size(); ++k)
        if (shardOfRecord.at(k) == firstShard)
            for (const QJsonValue &u : perRecord.at(k).toObject().value(QStringLiteral("records")).toArray())
                inFirstShard.insert(u.toObject().value(QStringLiteral("partitionKey")).toString(),
                                    QByteArray::fromBase64(u.toObject().value(QStringLiteral("data")).toString().toLatin1()));
    QVERIFY(!inFirstShard.isEmpty());
    const Run deaggregated = kwbRun({QStringLiteral("deaggregate"), recordsFile, QStringLiteral("--data-encoding"), QStringLiteral("utf8")});
    KWB_VERIFY_RUN(deaggregated, 0);
    QMultiHash<QString, QByteArray> printed;
    for (const QByteArray &line : deaggregated.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject u = QJsonDocument::fromJson(line).object();
        QVERIFY(u.value(QStringLiteral("sequenceNumber")).isString());
        printed.insert(u.value(QStringLiteral("partitionKey")).toString(), u.value(QStringLiteral("data")).toString().toUtf8());
    }
    QCOMPARE(printed, inFirstShard);

    // A changed byte in an aggregated record: reported with its place and reason, exit 2.
    QJsonObject document = QJsonDocument::fromJson(got.out).object();
    QJsonArray array = document.value(QStringLiteral("Records")).toArray();
    QJsonObject first = array.at(0).toObject();
    QByteArray bytes = QByteArray::fromBase64(first.value(QStringLiteral("Data")).toString().toLatin1());
    QVERIFY(bytes.startsWith(QByteArray::fromHex("F3899AC2")));
    bytes[10] = char(bytes.at(10) ^ 0x01);
    first.insert(QStringLiteral("Data"), QString::fromLatin1(bytes.toBase64()));
    array.replace(0, first);
    document.insert(QStringLiteral("Records"), array);
    {
        QFile file(recordsFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(document).toJson());
    }
    const Run broken = kwbRun({QStringLiteral("deaggregate"), recordsFile});
    KWB_VERIFY_RUN(broken, 2);
    QVERIFY2(broken.err.contains("Records[0]: KPL aggregated record: the MD5"), broken.err.constData());
}

QTEST_GUILESS_MAIN(TstKwbPut)
#include "tst_kwb_put.moc"
