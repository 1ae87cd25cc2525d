// Workspace files (.kwb): every row's record, outcome and attempt history survive a save and a
// load; rows on their way when saved come back as cancelled, saying so; damaged, cut-short and
// foreign files are refused with the place and what to do; write failures and cancel leave the
// previous file alone. The expected values are the ones written into the inputs here and in
// tests/data/workspace/ (a file written by hand to the documented format).
#include "HashKey.h"
#include "TestSupport.h"
#include "workspace/WorkspaceFile.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::workspace;
using send::AttemptOutcome;
using send::RowStatus;
using send::VerifyState;

namespace {

/// A device that accepts `limit` bytes and then fails every write (a full disk).
class FailingDevice : public QIODevice
{
public:
    explicit FailingDevice(qint64 limit) : m_limit(limit) { open(QIODevice::WriteOnly); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 length) override
    {
        if (m_written + length > m_limit) {
            setErrorString(QStringLiteral("No space left on device"));
            return -1;
        }
        m_written += length;
        return length;
    }

private:
    qint64 m_limit;
    qint64 m_written = 0;
};

UInt128 key(const char *decimal)
{
    return parseHashKey(QByteArray(decimal)).value();
}

/// Five rows, one of each kind of outcome, and a header with a stream of three shards (one closed).
WorkspaceContent sampleContent()
{
    WorkspaceContent c;
    c.store.append(QByteArray("order-1"), QByteArray(R"({"id":1})"));
    c.store.append(QStringLiteral("ключ-😀").toUtf8(), QByteArray("\x00\x01\xff\n\"", 5), key("170141183460469231731687303715884105728"));
    c.store.append(QByteArray("k3"), QByteArray("plain text"));
    c.store.append(QByteArray("k4"), QByteArray());
    c.store.append(QByteArray("k5"), QByteArray("in flight"));
    c.rowIds = {0, 7, 8, 41, 42};
    c.badExplicitHashKeys.emplace(3, QStringLiteral("12x"));

    send::SendResults &r = c.results;
    r.resize(5);
    r.setPredictedShardId(0, QStringLiteral("shardId-000000000001"));
    send::Attempt throttled;
    throttled.startedMs = 1764110000000;
    throttled.latencyMs = 12;
    throttled.request = 3;
    throttled.position = 499;
    throttled.requestRecords = 500;
    throttled.requestBytes = 5242880;
    throttled.outcome = AttemptOutcome::Throttled;
    throttled.code = r.intern(QStringLiteral("ProvisionedThroughputExceededException"));
    throttled.message = r.intern(QStringLiteral("Rate exceeded for shard shardId-000000000001"));
    r.addAttempt(0, throttled);
    send::Attempt ok;
    ok.startedMs = 1764110000250;
    ok.delayMs = 230;
    ok.latencyMs = 9;
    r.addAttempt(0, ok);
    r.markSucceeded(0, QStringLiteral("shardId-000000000001"), QStringLiteral("49590338271490256608559692538361571095921575989136588898"));
    r.setVerifyState(0, VerifyState::Verified);

    r.markFailed(1, QStringLiteral("InternalFailure"), QStringLiteral("Internal service failure."), true);
    r.addAttempt(1, throttled);

    r.markFailed(2, QStringLiteral("Cancelled"), QStringLiteral("The request was aborted."), true);
    r.setStatus(2, RowStatus::Cancelled);
    r.setStatus(4, RowStatus::InFlight);

    WorkspaceHeader &h = c.header;
    h.appVersion = QStringLiteral("9.9.9");
    h.savedAt = QDateTime(QDate(2026, 11, 25), QTime(22, 50, 1, 250), Qt::UTC);
    h.target = SavedTarget{QStringLiteral("custom:1234"), QStringLiteral("custom"), QStringLiteral("local"), QStringLiteral("dev"),
                           QStringLiteral("http://127.0.0.1:4567"), QStringLiteral("eu-west-1"), true};
    h.stream = QStringLiteral("orders");
    std::vector<Shard> shards(3);
    shards[0].shardId = QStringLiteral("shardId-000000000000");
    shards[0].startingHashKey = 0;
    shards[0].endingHashKey = key("340282366920938463463374607431768211455");
    shards[0].endingSequenceNumber = QStringLiteral("4959");
    shards[1].shardId = QStringLiteral("shardId-000000000001");
    shards[1].parentShardId = QStringLiteral("shardId-000000000000");
    shards[1].startingHashKey = 0;
    shards[1].endingHashKey = key("170141183460469231731687303715884105727");
    shards[2].shardId = QStringLiteral("shardId-000000000002");
    shards[2].parentShardId = QStringLiteral("shardId-000000000000");
    shards[2].startingHashKey = key("170141183460469231731687303715884105728");
    shards[2].endingHashKey = key("340282366920938463463374607431768211455");
    h.streamMap = ShardMap::fromShards(shards).value();
    h.virtualShards = 6;
    h.maxRecordBytes = 2 * 1024 * 1024;
    h.send = SavedSendSettings{8, 5, 90, true, true, 60000, false};
    h.nextRowId = 43;
    return c;
}

QString dataFile(const char *name)
{
    return QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("workspace/") + QLatin1String(name));
}

} // namespace

class TestWorkspaceFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEveryRowAndItsOutcome();
    void rowsOnTheirWayComeBackCancelled();
    void headerAloneSaysWhatARestoreBrings();
    void readsAHandWrittenVersion1File();
    void generatorSettingsRoundTrip();
    void refusesDamagedFiles_data();
    void refusesDamagedFiles();
    void refusesAFileCutShort();
    void aggregationOptionRoundTrips();
    void refusesRowIdsThatCannotGrow();
    void nextRowIdIsAboveEveryRowId();
    void writeFailureIsReported();
    void cancelledSaveKeepsThePreviousFile();
};

void TestWorkspaceFile::roundTripKeepsEveryRowAndItsOutcome()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.kwb"));
    QVERIFY(WorkspaceFile::save(path, sampleContent()).ok());

    auto loaded = WorkspaceFile::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    const WorkspaceContent &c = loaded.value();
    QCOMPARE(c.store.size(), 5);
    QCOMPARE(c.rowIds, (std::vector<qint64>{0, 7, 8, 41, 42}));

    // Records, byte for byte.
    QCOMPARE(c.store.partitionKeyUtf8(0).toByteArray(), QByteArray("order-1"));
    QCOMPARE(c.store.data(0).toByteArray(), QByteArray(R"({"id":1})"));
    QCOMPARE(c.store.partitionKey(1), QStringLiteral("ключ-😀"));
    QCOMPARE(c.store.data(1).toByteArray(), QByteArray("\x00\x01\xff\n\"", 5));
    QVERIFY(c.store.hasExplicitHashKey(1));
    QCOMPARE(hashKeyToString(c.store.explicitHashKey(1)), QStringLiteral("170141183460469231731687303715884105728"));
    QCOMPARE(c.store.hashKey(1), key("170141183460469231731687303715884105728"));
    QVERIFY(!c.store.hasExplicitHashKey(0));
    // MD5("order-1") read big-endian, as Python's int(hashlib.md5(b"order-1").hexdigest(), 16) gives it.
    QCOMPARE(hashKeyToString(c.store.hashKey(0)), QStringLiteral("146877212252092102612564579855103022916"));
    QCOMPARE(c.store.data(3).size(), 0);
    QCOMPARE(c.badExplicitHashKeys.size(), size_t(1));
    QCOMPARE(c.badExplicitHashKeys.at(3), QStringLiteral("12x"));

    // Outcomes.
    const send::SendResults &r = c.results;
    QCOMPARE(r.size(), 5);
    QCOMPARE(r.status(0), RowStatus::Succeeded);
    QCOMPARE(r.shardId(0), QStringLiteral("shardId-000000000001"));
    QCOMPARE(r.predictedShardId(0), QStringLiteral("shardId-000000000001"));
    QCOMPARE(r.sequenceNumber(0), QStringLiteral("49590338271490256608559692538361571095921575989136588898"));
    QCOMPARE(r.verifyState(0), VerifyState::Verified);
    QCOMPARE(r.attemptCount(0), 2);
    const auto history = r.attempts(0);
    QCOMPARE(history.size(), size_t(2));
    QCOMPARE(history[0].outcome, AttemptOutcome::Throttled);
    QCOMPARE(history[0].startedMs, qint64(1764110000000));
    QCOMPARE(history[0].latencyMs, 12);
    QCOMPARE(history[0].request, 3);
    QCOMPARE(int(history[0].position), 499);
    QCOMPARE(int(history[0].requestRecords), 500);
    QCOMPARE(history[0].requestBytes, 5242880);
    QCOMPARE(history[1].request, 0); // not known: written without
    QCOMPARE(r.text(history[0].code), QStringLiteral("ProvisionedThroughputExceededException"));
    QCOMPARE(r.text(history[0].message), QStringLiteral("Rate exceeded for shard shardId-000000000001"));
    QCOMPARE(history[1].outcome, AttemptOutcome::Succeeded);
    QCOMPARE(history[1].delayMs, 230);
    QCOMPARE(r.text(history[1].code), QString());

    QCOMPARE(r.status(1), RowStatus::Failed);
    QCOMPARE(r.errorCode(1), QStringLiteral("InternalFailure"));
    QCOMPARE(r.errorMessage(1), QStringLiteral("Internal service failure."));
    QVERIFY(r.retriable(1));
    QCOMPARE(r.attemptCount(1), 1);

    QCOMPARE(r.status(2), RowStatus::Cancelled);
    QCOMPARE(r.errorCode(2), QStringLiteral("Cancelled"));
    QCOMPARE(r.status(3), RowStatus::Pending);
    QCOMPARE(r.errorCode(3), QString());
    QCOMPARE(r.attemptCount(3), 0);

    // Header.
    const WorkspaceHeader &h = c.header;
    QCOMPARE(h.appVersion, QStringLiteral("9.9.9"));
    QCOMPARE(h.savedAt, QDateTime(QDate(2026, 11, 25), QTime(22, 50, 1, 250), Qt::UTC));
    QCOMPARE(h.target.id, QStringLiteral("custom:1234"));
    QCOMPARE(h.target.kind, QStringLiteral("custom"));
    QCOMPARE(h.target.name, QStringLiteral("local"));
    QCOMPARE(h.target.profile, QStringLiteral("dev"));
    QCOMPARE(h.target.endpointUrl, QStringLiteral("http://127.0.0.1:4567"));
    QCOMPARE(h.target.region, QStringLiteral("eu-west-1"));
    QVERIFY(h.target.production);
    QCOMPARE(h.stream, QStringLiteral("orders"));
    QCOMPARE(h.streamMap.shards().size(), size_t(3));
    QCOMPARE(h.streamMap.openShardCount(), 2);
    QVERIFY(!h.streamMap.shards()[0].isOpen());
    QCOMPARE(h.streamMap.shards()[1].parentShardId, QStringLiteral("shardId-000000000000"));
    QCOMPARE(h.streamMap.openShard(1).startingHashKey, key("170141183460469231731687303715884105728"));
    QCOMPARE(h.virtualShards, 6);
    QCOMPARE(h.maxRecordBytes, qint64(2 * 1024 * 1024));
    QCOMPARE(h.send.concurrency, 8);
    QCOMPARE(h.send.maxAttempts, 5);
    QCOMPARE(h.send.ratePercent, 90.0);
    QCOMPARE(h.send.deadlineMs, qint64(60000));
    QVERIFY(!h.send.flowControl);
    QVERIFY(h.send.ordered);
    QVERIFY(h.send.verify);
    QCOMPARE(h.nextRowId, qint64(43));
    QCOMPARE(h.rows, qint64(5));
}

void TestWorkspaceFile::rowsOnTheirWayComeBackCancelled()
{
    WorkspaceContent content = sampleContent();
    content.results.setStatus(3, RowStatus::Queued);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(WorkspaceFile::write(buffer, content).ok());
    // The first bytes say what the file is (the MIME type's magic matches them).
    QVERIFY(buffer.data().startsWith(R"({"format":"kinesis-workbench-workspace","version":1,)"));
    QVERIFY(buffer.data().contains(R"("status":"in-flight")"));
    QVERIFY(buffer.data().contains(R"("status":"queued")"));

    QBuffer in(&buffer.buffer());
    in.open(QIODevice::ReadOnly);
    auto loaded = WorkspaceFile::read(in, QStringLiteral("w.kwb"));
    QVERIFY(loaded.ok());
    for (int row : {3, 4}) {
        QCOMPARE(loaded.value().results.status(row), RowStatus::Cancelled);
        QCOMPARE(loaded.value().results.errorCode(row), QStringLiteral("Interrupted"));
        QVERIFY(loaded.value().results.errorMessage(row).contains(QLatin1String("may or may not have been written")));
    }
    QCOMPARE(loaded.value().header.counts.cancelled, qint64(3));
    QCOMPARE(loaded.value().header.counts.inFlight, qint64(0));
}

void TestWorkspaceFile::headerAloneSaysWhatARestoreBrings()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.kwb"));
    WorkspaceContent content = sampleContent();
    content.header.documentPath = QStringLiteral("/home/me/orders.kwb");
    content.header.modified = true;
    QVERIFY(WorkspaceFile::save(path, content).ok());
    auto header = WorkspaceFile::readHeader(path);
    QVERIFY(header.ok());
    QCOMPARE(header.value().rows, qint64(5));
    QCOMPARE(header.value().counts.succeeded, qint64(1));
    QCOMPARE(header.value().counts.failed, qint64(1));
    QCOMPARE(header.value().counts.cancelled, qint64(1));
    QCOMPARE(header.value().counts.pending, qint64(1));
    QCOMPARE(header.value().counts.inFlight, qint64(1));
    QCOMPARE(header.value().documentPath, QStringLiteral("/home/me/orders.kwb"));
    QVERIFY(header.value().modified);
}

void TestWorkspaceFile::readsAHandWrittenVersion1File()
{
    auto loaded = WorkspaceFile::load(dataFile("version1.kwb"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    const WorkspaceContent &c = loaded.value();
    QCOMPARE(c.store.size(), 3);
    QCOMPARE(c.header.stream, QString());
    QCOMPARE(c.header.target.id, QStringLiteral("sandbox"));
    QCOMPARE(c.header.virtualShards, 4);
    QCOMPARE(c.store.partitionKey(0), QStringLiteral("user-1"));
    QCOMPARE(c.store.data(0).toByteArray(), QByteArray(R"({"click":1})"));
    QCOMPARE(c.results.status(0), RowStatus::Succeeded);
    QCOMPARE(c.results.shardId(0), QStringLiteral("shardId-000000000002"));
    QCOMPARE(c.results.sequenceNumber(0), QStringLiteral("49000000000000000000000000000000000000000000000000000001"));
    QCOMPARE(c.store.explicitHashKey(1), key("85070591730234615865843651857942052864"));
    QCOMPARE(c.results.status(1), RowStatus::Failed);
    QCOMPARE(c.results.errorCode(1), QStringLiteral("ProvisionedThroughputExceededException"));
    QCOMPARE(c.results.attemptCount(1), 3);
    QVERIFY(c.results.retriable(1));
    QCOMPARE(c.results.verifyState(0), VerifyState::Verified);
    // The pending row's line says "verified" too (edited by hand): a pending row carries no
    // outcome, so the state is dropped.
    QCOMPARE(c.results.status(2), RowStatus::Pending);
    QCOMPARE(c.results.verifyState(2), VerifyState::NotVerified);
    QCOMPARE(c.rowIds, (std::vector<qint64>{0, 1, 5}));
    // Written before flow control with the old defaults (4 in flight, 3 attempts, no pacing):
    // they were not choices, so they read as today's automatic ones.
    QCOMPARE(c.header.send.concurrency, 0);
    QCOMPARE(c.header.send.maxAttempts, 0);
    QCOMPARE(c.header.send.ratePercent, 0.0);
    QVERIFY(c.header.send.flowControl);
    QCOMPARE(c.header.send.deadlineMs, qint64(0));
    // Written before aggregation: not aggregated, the KPL's default limit of 50 KiB.
    QVERIFY(!c.header.send.aggregate);
    QCOMPARE(c.header.send.aggregateMaxBytes, qint64(51200));
    // Written before the Generate dock's settings were kept: none, and the dock stays as it is.
    QVERIFY(!c.header.generator.has_value());
}

void TestWorkspaceFile::generatorSettingsRoundTrip()
{
    SavedGenerator g;
    // Quotes, backslashes, newlines, tabs, braces and text outside the BMP, as templates hold them.
    g.dataTemplate = QStringLiteral("{\n\t\"name\": \"{{name.firstName}}\",\n\t\"note\": \"\\\"quoted\\\" \u00e9 \U0001F600\"\n}\n");
    g.keyTemplate = QStringLiteral("{{random.arrayElement([\"a\",\"b\"])}}");
    g.explicitHashKeyTemplate = QStringLiteral("340282366920938463463374607431768211455");
    g.sample = QStringLiteral("clickstream");
    g.seed = 18446744073709551615ULL; // the largest: beyond what a JSON number keeps exact
    g.rate = 250;
    g.perShard = true;
    g.end = SavedGenerator::End::Seconds;
    g.endValue = 90;
    g.ramp = true;
    g.rampTo = 2000;
    g.rampSeconds = 45;
    g.bursts = QStringLiteral("5000@30s, 100");
    g.windowRows = 2500;
    WorkspaceContent content = sampleContent();
    content.header.generator = g;
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QVERIFY(WorkspaceFile::write(out, content).ok());
    const QByteArray firstLine = out.data().left(out.data().indexOf('\n'));
    QVERIFY2(firstLine.contains(R"("seed":"18446744073709551615")"), firstLine.constData());
    QVERIFY(firstLine.contains(R"("generate":{)"));
    QBuffer in(&out.buffer());
    in.open(QIODevice::ReadOnly);
    auto loaded = WorkspaceFile::read(in, QStringLiteral("w.kwb"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QVERIFY(loaded.value().header.generator.has_value());
    const SavedGenerator &back = *loaded.value().header.generator;
    QCOMPARE(back.dataTemplate, g.dataTemplate);
    QCOMPARE(back.keyTemplate, g.keyTemplate);
    QCOMPARE(back.seed, g.seed);
    QCOMPARE(back.end, SavedGenerator::End::Seconds);
    QCOMPARE(back.bursts, g.bursts);
    QVERIFY(back == g);
    QCOMPARE(loaded.value().store.size(), content.store.size());
}

void TestWorkspaceFile::refusesDamagedFiles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    const QByteArray header = R"({"format":"kinesis-workbench-workspace","version":1,"rows":1})"
                              "\n";
    QTest::newRow("records file") << QByteArray(R"({"PartitionKey":"a","Data":"eA=="})"
                                                "\n")
                                  << QStringLiteral("w.kwb:1: not a Kinesis Workbench workspace");
    QTest::newRow("newer version") << QByteArray(R"({"format":"kinesis-workbench-workspace","version":2,"rows":0})")
                                   << QStringLiteral("w.kwb:1: workspace format version 2");
    QTest::newRow("broken JSON") << header + R"({"id":0,"pk":"a","data":"eA==)"
                                 << QStringLiteral("w.kwb:2:25: not valid JSON");
    QTest::newRow("no key") << header + R"({"id":0,"data":"eA=="})" << QStringLiteral("w.kwb:2:1: the row has no \"pk\"");
    QTest::newRow("bad base64") << header + R"({"id":0,"pk":"a","data":"e*A="})"
                                << QStringLiteral("w.kwb:2:18: \"data\" is not valid base64");
    QTest::newRow("bad hash key") << header + R"({"id":0,"pk":"a","data":"","ehk":"-1"})"
                                  << QStringLiteral("w.kwb:2:28: \"ehk\":");
    QTest::newRow("bad status") << header + R"({"id":0,"pk":"a","data":"","status":"done"})"
                                << QStringLiteral("w.kwb:2:28: \"status\" must be pending");
    QTest::newRow("attempt position out of range")
        << header + R"({"id":0,"pk":"a","data":"","attempts":1,"history":[{"at":1,"outcome":"throttled","position":5000}]})"
        << QStringLiteral("w.kwb:2:41: a \"history\" entry has \"request\", \"position\"");
    const auto withNext = [](const char *next) {
        return QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"rows":0,"nextRowId":)") + next + "}\n";
    };
    QTest::newRow("nextRowId 1e300") << withNext("1e300")
                                     << QStringLiteral("w.kwb:1: \"nextRowId\" must be a whole number from 0 to 9007199254740992, not 1e+300");
    QTest::newRow("nextRowId INT64_MAX") << withNext("9223372036854775807")
                                         << QStringLiteral("w.kwb:1: \"nextRowId\" must be a whole number from 0 to 9007199254740992");
    QTest::newRow("nextRowId negative") << withNext("-1")
                                        << QStringLiteral("w.kwb:1: \"nextRowId\" must be a whole number from 0 to 9007199254740992, not -1");
    QTest::newRow("nextRowId fraction") << withNext("2.5")
                                        << QStringLiteral("w.kwb:1: \"nextRowId\" must be a whole number from 0 to 9007199254740992, not 2.5");
    QTest::newRow("nextRowId text") << withNext("\"7\"")
                                    << QStringLiteral("w.kwb:1: \"nextRowId\" must be a whole number from 0 to 9007199254740992, not \"7\"");
    const auto withGenerate = [](const QByteArray &generate) {
        return QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"rows":0,"generate":)") + generate + "}\n";
    };
    QTest::newRow("generate not an object") << withGenerate("[]") << QStringLiteral("w.kwb:1: \"generate\" must be an object");
    QTest::newRow("generate rate fraction") << withGenerate(R"({"rate":2.5})")
                                            << QStringLiteral("w.kwb:1: in \"generate\": \"rate\" must be a whole number from 1 to 1000000, not 2.5");
    QTest::newRow("generate window too small") << withGenerate(R"({"windowRows":10})")
                                               << QStringLiteral("w.kwb:1: in \"generate\": \"windowRows\" must be a whole number from 100 to 10000000, not 10");
    QTest::newRow("generate seed a number") << withGenerate(R"({"seed":7})")
                                            << QStringLiteral("w.kwb:1: in \"generate\": \"seed\" must be a whole number from 0 to 18446744073709551615 in quotes, not 7");
    QTest::newRow("generate unknown end") << withGenerate(R"({"end":"forever"})")
                                          << QStringLiteral("w.kwb:1: in \"generate\": \"end\" must be \"count\", \"seconds\" or \"untilStopped\", not \"forever\"");
    QTest::newRow("generate template a number") << withGenerate(R"({"data":5})")
                                                << QStringLiteral("w.kwb:1: in \"generate\": \"data\" must be text, not 5");
    QTest::newRow("rows 1e300") << QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"rows":1e300})" "\n")
                                << QStringLiteral("w.kwb:1: \"rows\" must be a whole number from 0 to 9007199254740991, not 1e+300");
    QTest::newRow("a negative count")
        << QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"rows":0,"counts":{"failed":-3}})" "\n")
        << QStringLiteral("w.kwb:1: in \"counts\": \"failed\" must be a whole number from 0 to 9007199254740991, not -3");
    QTest::newRow("row id above 2^53-1") << header + R"({"id":9007199254740992,"pk":"a","data":""})"
                                         << QStringLiteral("w.kwb:2:2: \"id\" 9007199254740992 is larger than the largest row id, 9007199254740991");
    // Found by fuzzing: a header number a double cannot turn into an integer was undefined
    // behaviour, and the value garbage.
    QTest::newRow("huge maxRecordBytes")
        << QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"maxRecordBytes":92233720368547758071048576})" "\n")
        << QStringLiteral("w.kwb:1: \"maxRecordBytes\" must be a whole number from 0 to 10485760");
    QTest::newRow("sub-sequence past its record")
        << header + R"({"id":0,"pk":"a","data":"","status":"succeeded","sub":2,"aggregateSize":2})"
        << QStringLiteral("w.kwb:2:49: \"sub\" must be below \"aggregateSize\"");
    QTest::newRow("first row after the row")
        << header + R"({"id":0,"pk":"a","data":"","status":"succeeded","sub":0,"aggregateSize":2,"aggregateOffset":1})"
        << QStringLiteral("w.kwb:2:49: \"sub\" must be below \"aggregateSize\", and \"aggregateOffset\" from 0 to the rows before this one (0)");
    QTest::newRow("first row given as negative")
        << header + R"({"id":0,"pk":"a","data":"","status":"succeeded","sub":0,"aggregateSize":2,"aggregateOffset":-1})"
        << QStringLiteral("w.kwb:2:75: \"aggregateOffset\" must be a whole number >= 0");
    QTest::newRow("aggregate limit too small")
        << QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"send":{"aggregate":true,"aggregateMaxBytes":100}})" "\n")
        << QStringLiteral("w.kwb:1: \"aggregateMaxBytes\" must be at least 1024 bytes, not 100");
    QTest::newRow("aggregate limit over 10 MiB")
        << QByteArray(R"({"format":"kinesis-workbench-workspace","version":1,"send":{"aggregateMaxBytes":10485761}})" "\n")
        << QStringLiteral("w.kwb:1: \"aggregateMaxBytes\" must be a whole number from 0 to 10485760, not 10485761");
}

void TestWorkspaceFile::refusesDamagedFiles()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QBuffer in(&text);
    in.open(QIODevice::ReadOnly);
    auto loaded = WorkspaceFile::read(in, QStringLiteral("w.kwb"));
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.startsWith(expected), qPrintable(loaded.error().message));
}

void TestWorkspaceFile::aggregationOptionRoundTrips()
{
    // On, with a limit of its own: back as written, in the header line as JSON anyone can read.
    WorkspaceContent c;
    c.header.send.aggregate = true;
    c.header.send.aggregateMaxBytes = 20000;
    // Rows 0 and 2 went in one aggregated Kinesis record (places 0 and 1); row 1 went plain.
    for (int i = 0; i < 3; ++i)
        c.store.append(QByteArray("k") + QByteArray::number(i), "d");
    c.results.resize(3);
    c.results.restore(0, RowStatus::Succeeded, QStringLiteral("shardId-000000000001"), QStringLiteral("4961"), {}, {}, 1);
    c.results.restore(1, RowStatus::Succeeded, QStringLiteral("shardId-000000000000"), QStringLiteral("4962"), {}, {}, 1);
    c.results.restore(2, RowStatus::Succeeded, QStringLiteral("shardId-000000000001"), QStringLiteral("4961"), {}, {}, 1);
    c.results.setAggregate(0, 0, 2, 0);
    c.results.setAggregate(2, 1, 2, 0);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    KWB_VERIFY_OK(WorkspaceFile::write(out, c));
    const QByteArray text = out.data();
    const QJsonObject send = QJsonDocument::fromJson(text.left(text.indexOf('\n'))).object().value(QStringLiteral("send")).toObject();
    QCOMPARE(send.value(QStringLiteral("aggregate")).toBool(), true);
    QCOMPARE(send.value(QStringLiteral("aggregateMaxBytes")).toInteger(), qint64(20000));
    QBuffer in;
    in.setData(text);
    in.open(QIODevice::ReadOnly);
    auto back = WorkspaceFile::read(in, QStringLiteral("w.kwb"));
    KWB_VERIFY_OK(back);
    QVERIFY(back.value().header.send.aggregate);
    QCOMPARE(back.value().header.send.aggregateMaxBytes, qint64(20000));
    QVERIFY(!back.value().header.send.ordered);
    const send::SendResults &r = back.value().results;
    QCOMPARE(r.subSequence(0), 0);
    QCOMPARE(r.subSequence(1), -1);
    QCOMPARE(r.subSequence(2), 1);
    QCOMPARE(r.aggregateSize(2), 2);
    QCOMPARE(r.aggregateFirstRow(2), 0);
    QCOMPARE(r.aggregateFirstRow(0), 0);
    QCOMPARE(r.sequenceNumber(2), QStringLiteral("4961"));

    // Ordered and aggregated exclude each other: a file edited to claim both keeps the order.
    QByteArray both = R"({"format":"kinesis-workbench-workspace","version":1,"rows":0,"send":{"ordered":true,"aggregate":true}})"
                      "\n";
    QBuffer bothIn(&both);
    bothIn.open(QIODevice::ReadOnly);
    auto read = WorkspaceFile::read(bothIn, QStringLiteral("both.kwb"));
    KWB_VERIFY_OK(read);
    QVERIFY(read.value().header.send.ordered);
    QVERIFY(!read.value().header.send.aggregate);
}

void TestWorkspaceFile::refusesAFileCutShort()
{
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QVERIFY(WorkspaceFile::write(out, sampleContent()).ok());
    QByteArray text = out.data();
    text.truncate(text.lastIndexOf("\n{"));
    QBuffer in(&text);
    in.open(QIODevice::ReadOnly);
    auto loaded = WorkspaceFile::read(in, QStringLiteral("w.kwb"));
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.contains(QLatin1String("promises 5 rows but the file has 4")), qPrintable(loaded.error().message));
}

void TestWorkspaceFile::refusesRowIdsThatCannotGrow()
{
    // The finding: a row id of INT64_MAX, where the next id (highest + 1) overflows.
    const QString path = dataFile("row-id-int64-max.kwb");
    auto loaded = WorkspaceFile::load(path);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code, QStringLiteral("InvalidWorkspace"));
    QVERIFY2(loaded.error().message.startsWith(
                 path + QStringLiteral(":3:2: \"id\" 9223372036854775807 is larger than the largest row id, 9007199254740991")),
             qPrintable(loaded.error().message));
}

void TestWorkspaceFile::nextRowIdIsAboveEveryRowId()
{
    // The largest id allowed loads; new rows then get ids above it, whatever the header said (2).
    auto loaded = WorkspaceFile::load(dataFile("largest-row-id.kwb"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded.value().rowIds, (std::vector<qint64>{0, 9007199254740991}));
    QCOMPARE(loaded.value().header.nextRowId, qint64(9007199254740992));
    // The hand-written version 1 file says 6 with ids up to 5: the header's value stays.
    auto version1 = WorkspaceFile::load(dataFile("version1.kwb"));
    QVERIFY(version1.ok());
    QCOMPARE(version1.value().header.nextRowId, qint64(6));
}

void TestWorkspaceFile::writeFailureIsReported()
{
    FailingDevice device(100);
    auto written = WorkspaceFile::write(device, sampleContent());
    QVERIFY(!written.ok());
    QVERIFY2(written.error().message.contains(QLatin1String("No space left on device")), qPrintable(written.error().message));
}

void TestWorkspaceFile::cancelledSaveKeepsThePreviousFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.kwb"));
    WorkspaceContent small = sampleContent();
    QVERIFY(WorkspaceFile::save(path, small).ok());
    const QByteArray before = [&] {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();

    WorkspaceContent big;
    for (int i = 0; i < 40000; ++i)
        big.store.append(QByteArray::number(i), QByteArray("x"));
    big.results.resize(big.store.size());
    qint64 calls = 0;
    auto saved = WorkspaceFile::save(path, big, [&calls](qint64, qint64) { return ++calls < 2; });
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().kind, Error::Kind::Cancelled);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("w.kwb")});
}

QTEST_GUILESS_MAIN(TestWorkspaceFile)
#include "tst_workspacefile.moc"
