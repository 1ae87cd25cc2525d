// kwb generate and kwb replay against the built-in sandbox, as a user runs them: counts and
// rates, records read back from the stream equal to what --output wrote and kwb put sent, seeded
// files identical, template errors before anything is sent, the hot-shard warning, replay at a
// speed-up with re-stamped times, and Ctrl-C ending an --until-stopped run cleanly.
#include "ShardMap.h"
#include "TestSupport.h"
#include "net/KinesisClient.h"

#include <QElapsedTimer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
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
    qint64 ms = 0;
};

QString kwbPath()
{
    return qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
}

QStringList withEndpoint(const QStringList &args)
{
    return QStringList{QStringLiteral("--endpoint-url"), test::peerEndpoint().toString()} + args;
}

Run kwbRun(const QStringList &args)
{
    QProcess process;
    QElapsedTimer clock;
    clock.start();
    process.start(kwbPath(), withEndpoint(args));
    if (!process.waitForFinished(240000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError(), clock.elapsed()};
}

QString sample(const QString &name)
{
    return QDir(qEnvironmentVariable("KWB_SOURCE_DIR")).filePath(QStringLiteral("resources/generator/") + name);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

#define KWB_VERIFY_RUN(run, code)                                                                   \
    QVERIFY2((run).exitCode == (code), qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3") \
                                                      .arg((run).exitCode)                          \
                                                      .arg(code)                                    \
                                                      .arg(QString::fromUtf8((run).err.left(2000) + (run).out.left(500)))))

class TstKwbGenerate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outputRoundTripsThroughPut();
    void seededFilesAreIdentical();
    void streamRunSendsTheCount();
    void durationAndRate();
    void hotShardIsForecast();
    void templateErrorsStopBeforeSending();
    void previewShowsShards();
    void replayAtSpeed();
    void untilStoppedEndsOnCtrlC();

private:
    QString createStream(const QString &prefix, int shards);
    std::vector<net::StoredRecord> readAll(const QString &stream);
    QTemporaryDir m_dir;
    std::unique_ptr<net::KinesisClient> m_client;
};

void TstKwbGenerate::initTestCase()
{
    QVERIFY2(!test::peerEndpoint().isEmpty(), "the peer fixture did not write its endpoint; run through ctest");
    QVERIFY(m_dir.isValid());
    m_client = std::make_unique<net::KinesisClient>(test::peerClientOptions());
}

QString TstKwbGenerate::createStream(const QString &prefix, int shards)
{
    const QString name = test::uniqueStreamName(prefix);
    const Run created = kwbRun({QStringLiteral("create-stream"), name, QStringLiteral("--shards"), QString::number(shards), QStringLiteral("--wait")});
    return created.exitCode == 0 ? name : QString();
}

std::vector<net::StoredRecord> TstKwbGenerate::readAll(const QString &stream)
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

void TstKwbGenerate::outputRoundTripsThroughPut()
{
    const QString stream = createStream(QStringLiteral("gen-out"), 4);
    QVERIFY(!stream.isEmpty());
    const QString file = m_dir.filePath(QStringLiteral("orders.jsonl"));
    const Run generated = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("orders.json")), QStringLiteral("--count"),
                                  QStringLiteral("700"), QStringLiteral("--seed"), QStringLiteral("21"), QStringLiteral("--key"),
                                  QStringLiteral("cust-{{random.number(50)}}"), QStringLiteral("--output"), file});
    KWB_VERIFY_RUN(generated, 0);
    QVERIFY(generated.err.contains("700 records written"));
    const Run put = kwbRun({QStringLiteral("put"), QStringLiteral("--stream"), stream, QStringLiteral("--format"),
                            QStringLiteral("jsonl"), file});
    KWB_VERIFY_RUN(put, 0);
    // What the stream holds is what the file says, record for record.
    QMultiHash<QByteArray, QByteArray> written;
    for (const QByteArray &line : readFile(file).split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.size(), 2);
        written.insert(o.value(QStringLiteral("PartitionKey")).toString().toUtf8(), o.value(QStringLiteral("Data")).toString().toUtf8());
    }
    QCOMPARE(written.size(), 700);
    const auto stored = readAll(stream);
    QCOMPARE(int(stored.size()), 700);
    for (const net::StoredRecord &r : stored) {
        const QByteArray key = r.partitionKey.toUtf8();
        QVERIFY2(written.contains(key, r.data), key.constData());
        written.remove(key, r.data);
        QCOMPARE(QJsonDocument::fromJson(r.data).isObject(), true);
    }
    QVERIFY(written.isEmpty());
}

void TstKwbGenerate::seededFilesAreIdentical()
{
    const auto make = [&](const QString &name, const QString &seed) {
        const QString file = m_dir.filePath(name);
        const Run run = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("clickstream.json")), QStringLiteral("--count"),
                                QStringLiteral("2000"), QStringLiteral("--per-second"), QStringLiteral("500"), QStringLiteral("--seed"),
                                seed, QStringLiteral("--start-time"), QStringLiteral("2024-03-05T10:00:00Z"), QStringLiteral("--output"), file});
        return run.exitCode == 0 ? readFile(file) : QByteArray();
    };
    const QByteArray a = make(QStringLiteral("a.jsonl"), QStringLiteral("77"));
    QVERIFY(!a.isEmpty());
    QCOMPARE(make(QStringLiteral("b.jsonl"), QStringLiteral("77")), a);
    QVERIFY(make(QStringLiteral("c.jsonl"), QStringLiteral("78")) != a);
    // The simulated clock: record 1999 at 500/s is due 4 s after the start.
    QVERIFY(a.contains("2024-03-05T10:00:04.000Z"));
    QVERIFY(!a.contains("2024-03-05T10:00:04.002Z"));
}

void TstKwbGenerate::streamRunSendsTheCount()
{
    const QString stream = createStream(QStringLiteral("gen-count"), 2);
    QVERIFY(!stream.isEmpty());
    const QString tmpl = m_dir.filePath(QStringLiteral("seq.json"));
    QFile f(tmpl);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"seq\": {{current.sequence}}, \"run\": \"{{current.runId}}\", \"who\": {{name.findName}}}\n");
    f.close();
    const Run run = kwbRun({QStringLiteral("generate"), tmpl, QStringLiteral("--count"), QStringLiteral("1500"), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(run, 0);
    QVERIFY2(run.err.contains("1500 records: 1500 succeeded, 0 failed, 0 pending"), run.err.constData());
    QVERIFY(run.err.contains("generating with seed "));
    const auto stored = readAll(stream);
    QCOMPARE(int(stored.size()), 1500);
    QSet<int> seqs;
    QSet<QString> runs;
    for (const auto &r : stored) {
        const QJsonObject o = QJsonDocument::fromJson(r.data).object();
        seqs.insert(o.value(QStringLiteral("seq")).toInt(-1));
        runs.insert(o.value(QStringLiteral("run")).toString());
        QVERIFY(o.value(QStringLiteral("who")).isString());
    }
    QCOMPARE(seqs.size(), 1500);
    QVERIFY(seqs.contains(0) && seqs.contains(1499));
    QCOMPARE(runs.size(), 1);
}

void TstKwbGenerate::durationAndRate()
{
    const QString stream = createStream(QStringLiteral("gen-rate"), 2);
    QVERIFY(!stream.isEmpty());
    const Run run = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("iot-sensor.json")), QStringLiteral("--duration"),
                            QStringLiteral("3s"), QStringLiteral("--per-second"), QStringLiteral("300"), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(run, 0);
    QVERIFY2(run.err.contains("900 records: 900 succeeded"), run.err.constData());
    QVERIFY2(run.ms >= 2900 && run.ms < 8000, qPrintable(QString::number(run.ms)));
    // A ramp from 0 to 400/s over 2 s, then 400/s for 1 s: 400 + 400 records.
    const Run ramp = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("iot-sensor.json")), QStringLiteral("--duration"),
                             QStringLiteral("3"), QStringLiteral("--ramp"), QStringLiteral("0:400:2"), QStringLiteral("--burst"),
                             QStringLiteral("250@1"), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(ramp, 0);
    QVERIFY2(ramp.err.contains("1050 records: 1050 succeeded"), ramp.err.constData());
}

void TstKwbGenerate::hotShardIsForecast()
{
    // The peer fixture's sandbox runs without write limits (like the emulators); this one has
    // AWS's: 1,000 records/s and 1 MiB/s per shard.
    QProcess sandbox;
    sandbox.start(kwbPath(), {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--streams"),
                              QStringLiteral("hot:4")});
    QVERIFY(sandbox.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(sandbox.canReadLine(), 10000);
    const QString url = QString::fromUtf8(sandbox.readLine()).trimmed();
    QVERIFY2(url.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(url));
    const auto generate = [&](const QStringList &extra) {
        QProcess process;
        process.start(kwbPath(), QStringList{QStringLiteral("--endpoint-url"), url, QStringLiteral("generate"),
                                             sample(QStringLiteral("hot-shard.json")), QStringLiteral("--count"),
                                             QStringLiteral("2000"), QStringLiteral("--per-second"), QStringLiteral("2000"),
                                             QStringLiteral("--stream"), QStringLiteral("hot")}
                                     + extra);
        process.waitForFinished(120000);
        return std::pair{process.exitCode(), process.readAllStandardError()};
    };
    const QString key = QString::fromUtf8(readFile(sample(QStringLiteral("hot-shard.key")))).trimmed();
    const auto [code, err] = generate({QStringLiteral("--key"), key});
    QVERIFY2(code == 0, err.constData());
    QVERIFY2(err.contains("above its limit of 1,000 records/s"), err.constData());
    QVERIFY(err.contains("the stream takes about"));
    QVERIFY(err.contains("2000 records: 2000 succeeded"));
    // An even spread (a UUID key per record) at the same rate: no warning.
    const auto [evenCode, evenErr] = generate({});
    QVERIFY2(evenCode == 0, evenErr.constData());
    QVERIFY2(!evenErr.contains("warning"), evenErr.constData());
    sandbox.terminate();
    sandbox.waitForFinished(10000);
}

void TstKwbGenerate::templateErrorsStopBeforeSending()
{
    const QString stream = createStream(QStringLiteral("gen-bad"), 1);
    QVERIFY(!stream.isEmpty());
    const QString tmpl = m_dir.filePath(QStringLiteral("bad.json"));
    QFile f(tmpl);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\n  \"a\": {{random.number(10)}},\n  \"b\": \"{{name.frstName}}\"\n}\n");
    f.close();
    const Run run = kwbRun({QStringLiteral("generate"), tmpl, QStringLiteral("--count"), QStringLiteral("10"), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(run, 2);
    QVERIFY2(run.err.contains(QStringLiteral("%1:3:11: unknown helper 'name.frstName'; did you mean 'name.firstName'?").arg(tmpl).toUtf8()),
             run.err.constData());
    const Run badKey = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("orders.json")), QStringLiteral("--key"),
                               QStringLiteral("{{lorem.words(200)}}"), QStringLiteral("--count"), QStringLiteral("10"),
                               QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(badKey, 2);
    QVERIFY(badKey.err.contains("record 0: the --key template gave a partition key of"));
    QCOMPARE(int(readAll(stream).size()), 0);
    const Run noEnd = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("orders.json")), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(noEnd, 2);
    QVERIFY(noEnd.err.contains("give one of --count N, --duration D or --until-stopped"));
}

void TstKwbGenerate::previewShowsShards()
{
    const Run run = kwbRun({QStringLiteral("generate"), sample(QStringLiteral("orders.json")), QStringLiteral("--preview"),
                            QStringLiteral("10"), QStringLiteral("--shards"), QStringLiteral("4"), QStringLiteral("--per-second"),
                            QStringLiteral("1000"), QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--output"),
                            QStringLiteral("json")});
    KWB_VERIFY_RUN(run, 0);
    const QJsonObject doc = QJsonDocument::fromJson(run.out).object();
    const auto records = doc.value(QStringLiteral("records")).toArray();
    QCOMPARE(records.size(), 10);
    const ShardMap map = ShardMap::uniform(4).value();
    for (const auto &value : records) {
        const QJsonObject r = value.toObject();
        // The predicted shard is the one the key's MD5 routes to.
        QCOMPARE(r.value(QStringLiteral("shardId")).toString(),
                 map.shardFor(hashPartitionKey(r.value(QStringLiteral("partitionKey")).toString()))->shardId);
        QVERIFY(QJsonDocument::fromJson(r.value(QStringLiteral("data")).toString().toUtf8()).isObject());
    }
    double total = 0;
    for (const auto &s : doc.value(QStringLiteral("shards")).toArray())
        total += s.toObject().value(QStringLiteral("recordsPerSecond")).toDouble();
    QVERIFY(std::abs(total - 1000) < 1e-6);
}

void TstKwbGenerate::replayAtSpeed()
{
    const QString stream = createStream(QStringLiteral("gen-replay"), 2);
    QVERIFY(!stream.isEmpty());
    // 91 records over 90 seconds, in ISO form; x30 replays them in 3 s.
    const QString file = m_dir.filePath(QStringLiteral("recorded.jsonl"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QDateTime start = QDateTime::fromString(QStringLiteral("2023-06-01T12:00:00.000Z"), Qt::ISODateWithMs);
    for (int i = 0; i <= 90; ++i)
        f.write(QStringLiteral("{\"id\": %1, \"meta\": {\"at\": \"%2\"}, \"v\": \"x\"}\n")
                    .arg(i)
                    .arg(start.addSecs(i).toUTC().toString(Qt::ISODateWithMs))
                    .toUtf8());
    f.close();
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const Run run = kwbRun({QStringLiteral("replay"), file, QStringLiteral("--timestamp-field"), QStringLiteral("meta.at"),
                            QStringLiteral("--speed"), QStringLiteral("30"), QStringLiteral("--restamp"), QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(run, 0);
    QVERIFY2(run.err.contains("91 records: 91 succeeded"), run.err.constData());
    QVERIFY2(run.ms >= 2900 && run.ms < 6000, qPrintable(QString::number(run.ms)));
    const auto stored = readAll(stream);
    QCOMPARE(int(stored.size()), 91);
    for (const auto &r : stored) {
        const QJsonObject o = QJsonDocument::fromJson(r.data).object();
        const QDateTime at = QDateTime::fromString(o.value(QStringLiteral("meta")).toObject().value(QStringLiteral("at")).toString(),
                                                   Qt::ISODateWithMs);
        QVERIFY(at.isValid());
        // Re-stamped to the sending time, the rest of the record as it was.
        QVERIFY(at.toMSecsSinceEpoch() >= before - 1000 && at.toMSecsSinceEpoch() <= before + 10000);
        QCOMPARE(o.value(QStringLiteral("v")).toString(), QStringLiteral("x"));
    }
    // A line that is not JSON stops the run before it is sent, naming the line.
    QFile bad(m_dir.filePath(QStringLiteral("bad.jsonl")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"t\": 1}\nnot json\n");
    bad.close();
    const Run broken = kwbRun({QStringLiteral("replay"), bad.fileName(), QStringLiteral("--timestamp-field"), QStringLiteral("t"),
                               QStringLiteral("--stream"), stream});
    QVERIFY2(broken.err.contains(QStringLiteral("%1:2: expected one JSON object per line").arg(bad.fileName()).toUtf8()), broken.err.constData());
    const Run missing = kwbRun({QStringLiteral("replay"), file, QStringLiteral("--timestamp-field"), QStringLiteral("nope"),
                                QStringLiteral("--stream"), stream});
    KWB_VERIFY_RUN(missing, 2);
    QVERIFY(missing.err.contains(":1: the record has no nope (--timestamp-field)"));
}

void TstKwbGenerate::untilStoppedEndsOnCtrlC()
{
    const QString stream = createStream(QStringLiteral("gen-stop"), 1);
    QVERIFY(!stream.isEmpty());
    QProcess process;
    process.start(kwbPath(), withEndpoint({QStringLiteral("generate"), sample(QStringLiteral("app-logs.json")),
                                           QStringLiteral("--until-stopped"), QStringLiteral("--per-second"),
                                           QStringLiteral("200"), QStringLiteral("--stream"), stream}));
    QVERIFY(process.waitForStarted());
    QTest::qWait(2000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(30000));
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(err.contains("stopping: no new records"), err.constData());
    const auto stored = readAll(stream);
    // About 2 s at 200/s; every record made was sent.
    QVERIFY2(stored.size() >= 300 && stored.size() <= 520, qPrintable(QString::number(stored.size())));
    QVERIFY2(err.contains(QStringLiteral("%1 records: %1 succeeded").arg(stored.size()).toUtf8()), err.constData());
}

QTEST_GUILESS_MAIN(TstKwbGenerate)
#include "tst_kwb_generate.moc"
