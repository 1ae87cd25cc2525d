// The sandbox's data directory: streams and records survive a restart, a torn tail (a crash
// mid-write: the start of a frame and nothing after it) is cut off without losing what was
// acknowledged (other damage: tst_sandbox_log_damage), retention trims old records
// (with an injected clock), and two sandboxes never share a directory.
#include "SandboxTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::net;
using kwb::test::SandboxFixture;

class TstSandboxPersistence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void streamsAndRecordsSurviveARestart();
    void tornTailIsCutOff_data();
    void tornTailIsCutOff();
    void reshardAndDeleteSurvive();
    void retentionTrimsOldRecords();
    void expiredRecordsAreNotReloaded();
    void oneSandboxPerDirectory();

private:
    Result<QUrl> restart();
    std::vector<StoredRecord> readAll(const QString &stream, const QString &shardId);

    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    test::FakeClock m_clock;
    sandbox::SandboxOptions m_options;
};

void TstSandboxPersistence::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = test::FakeClock();
    m_options = {};
    m_options.dataDir = m_dir->path();
    KWB_VERIFY_OK(m_sandbox.start(m_options, m_clock.clock()));
}

void TstSandboxPersistence::cleanup()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
    m_dir.reset();
}

Result<QUrl> TstSandboxPersistence::restart()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset(); // stops, and closes the data directory
    return m_sandbox.start(m_options, m_clock.clock());
}

std::vector<StoredRecord> TstSandboxPersistence::readAll(const QString &stream, const QString &shardId)
{
    auto iterator = m_sandbox.iterator(stream, shardId, ShardIteratorType::TrimHorizon);
    if (!iterator.ok())
        return {};
    auto read = m_sandbox.getRecords(iterator.value());
    return read.ok() ? read.value().records : std::vector<StoredRecord>{};
}

void TstSandboxPersistence::streamsAndRecordsSurviveARestart()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("kept"), 2));
    auto put = m_sandbox.putRecords(QStringLiteral("kept"), test::makeRecords(100));
    KWB_VERIFY_OK(put);
    QCOMPARE(put.value().failedRecordCount, 0);
    const auto before0 = readAll(QStringLiteral("kept"), QStringLiteral("shardId-000000000000"));
    const auto before1 = readAll(QStringLiteral("kept"), QStringLiteral("shardId-000000000001"));
    QCOMPARE(before0.size() + before1.size(), size_t(100));

    KWB_VERIFY_OK(restart());
    QVERIFY(m_sandbox.server->notes().isEmpty());
    const auto after0 = readAll(QStringLiteral("kept"), QStringLiteral("shardId-000000000000"));
    const auto after1 = readAll(QStringLiteral("kept"), QStringLiteral("shardId-000000000001"));
    QCOMPARE(after0.size(), before0.size());
    QCOMPARE(after1.size(), before1.size());
    for (size_t i = 0; i < after0.size(); ++i) {
        QCOMPARE(after0[i].sequenceNumber, before0[i].sequenceNumber);
        QCOMPARE(after0[i].partitionKey, before0[i].partitionKey);
        QCOMPARE(after0[i].data, before0[i].data);
        QCOMPARE(after0[i].approximateArrivalTimestamp, before0[i].approximateArrivalTimestamp);
    }
    // New records continue the sequence.
    auto more = m_sandbox.putRecords(QStringLiteral("kept"), {Record{QStringLiteral("k0"), QByteArray("new"), std::nullopt}});
    KWB_VERIFY_OK(more);
    const QString shard = more.value().records[0].shardId;
    const QString last = (shard.endsWith(QLatin1Char('0')) ? before0 : before1).back().sequenceNumber;
    QVERIFY(more.value().records[0].sequenceNumber > last);
}

void TstSandboxPersistence::tornTailIsCutOff_data()
{
    QTest::addColumn<int>("chop");    // bytes cut off the end (a write that stopped short)
    QTest::addColumn<QByteArray>("garbage"); // bytes appended (the start of a frame header)
    QTest::newRow("half a frame") << 10 << QByteArray();
    QTest::newRow("half a header") << 0 << QByteArray("\xC5KWL\x40\x00\x00\x00\x01\x00\x00\x00\x11\x22\x33\x44", 16);
    QTest::newRow("three bytes") << 0 << QByteArray("\xC5KW", 3);
}

void TstSandboxPersistence::tornTailIsCutOff()
{
    QFETCH(int, chop);
    QFETCH(QByteArray, garbage);
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("torn"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("torn"), test::makeRecords(10, QStringLiteral("first"))));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("torn"), test::makeRecords(5, QStringLiteral("second"))));
    m_sandbox.client.reset();
    m_sandbox.server.reset();

    const QString path = QDir(m_dir->path()).filePath(QStringLiteral("torn.stream"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 intact = file.size();
    if (chop > 0)
        QVERIFY(file.resize(intact - chop));
    file.seek(file.size());
    file.write(garbage);
    file.close();

    KWB_VERIFY_OK(m_sandbox.start(m_options, m_clock.clock()));
    QCOMPARE(m_sandbox.server->notes().size(), 1);
    QVERIFY2(m_sandbox.server->notes().front().contains(QLatin1String("torn tail")), qPrintable(m_sandbox.server->notes().front()));
    const auto records = readAll(QStringLiteral("torn"), QStringLiteral("shardId-000000000000"));
    // A chopped frame loses that (never acknowledged) request; appended garbage loses nothing.
    QCOMPARE(records.size(), size_t(chop > 0 ? 10 : 15));
    QCOMPARE(records.front().partitionKey, QStringLiteral("first0"));
    if (chop > 0)
        QVERIFY(QFileInfo(path).size() < intact - chop);
    else
        QCOMPARE(QFileInfo(path).size(), intact);

    // The log is whole again: new records go after the cut, and a restart finds it clean.
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("torn"), test::makeRecords(3, QStringLiteral("third"))));
    KWB_VERIFY_OK(restart());
    QVERIFY(m_sandbox.server->notes().isEmpty());
    const auto again = readAll(QStringLiteral("torn"), QStringLiteral("shardId-000000000000"));
    QCOMPARE(again.size(), records.size() + 3);
    QCOMPARE(again.back().partitionKey, QStringLiteral("third2"));
}

void TstSandboxPersistence::reshardAndDeleteSurvive()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("grow"), 2));
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("gone"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("grow"), test::makeRecords(10)));
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"),
                                 QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("grow")},
                                             {QStringLiteral("TargetShardCount"), 3},
                                             {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}}));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("grow"), test::makeRecords(10)));
    auto before = m_sandbox.listShards(QStringLiteral("grow"));
    KWB_VERIFY_OK(before);
    KWB_VERIFY_OK(test::await<void>(
        [&](QObject *ctx, auto done) { m_sandbox.client->deleteStream(QStringLiteral("gone"), ctx, done); }));
    QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(QStringLiteral("gone.stream"))));

    KWB_VERIFY_OK(restart());
    auto names = test::await<QStringList>([&](QObject *ctx, auto done) { m_sandbox.client->listStreams(ctx, done); });
    KWB_VERIFY_OK(names);
    QCOMPARE(names.value(), QStringList{QStringLiteral("grow")});
    auto after = m_sandbox.listShards(QStringLiteral("grow"));
    KWB_VERIFY_OK(after);
    QCOMPARE(after.value().size(), before.value().size());
    for (size_t i = 0; i < after.value().size(); ++i) {
        QCOMPARE(after.value()[i].shardId, before.value()[i].shardId);
        QCOMPARE(after.value()[i].endingSequenceNumber, before.value()[i].endingSequenceNumber);
        QCOMPARE(after.value()[i].parentShardId, before.value()[i].parentShardId);
    }
    int total = 0;
    for (const Shard &s : after.value())
        total += int(readAll(QStringLiteral("grow"), s.shardId).size());
    QCOMPARE(total, 20);
}

void TstSandboxPersistence::retentionTrimsOldRecords()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("old"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("old"), test::makeRecords(4, QStringLiteral("day1-"))));
    m_clock.advance(23 * 3600 * 1000);
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("old"), test::makeRecords(2, QStringLiteral("day2-"))));
    QCOMPARE(readAll(QStringLiteral("old"), QStringLiteral("shardId-000000000000")).size(), size_t(6));
    m_clock.advance(2 * 3600 * 1000); // the first four are now 25 hours old
    const auto kept = readAll(QStringLiteral("old"), QStringLiteral("shardId-000000000000"));
    QCOMPARE(kept.size(), size_t(2));
    QCOMPARE(kept.front().partitionKey, QStringLiteral("day2-0"));

    m_clock.advance(23 * 3600 * 1000);
    QCOMPARE(readAll(QStringLiteral("old"), QStringLiteral("shardId-000000000000")).size(), size_t(0));
    auto shards = m_sandbox.listShards(QStringLiteral("old"));
    KWB_VERIFY_OK(shards);
    QCOMPARE(shards.value().size(), size_t(1));
}

void TstSandboxPersistence::expiredRecordsAreNotReloaded()
{
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("reload"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("reload"), test::makeRecords(3, QStringLiteral("old"))));
    m_clock.advance(20 * 3600 * 1000);
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("reload"), test::makeRecords(2, QStringLiteral("new"))));
    m_clock.advance(5 * 3600 * 1000);
    KWB_VERIFY_OK(restart());
    const auto records = readAll(QStringLiteral("reload"), QStringLiteral("shardId-000000000000"));
    QCOMPARE(records.size(), size_t(2));
    QCOMPARE(records.front().partitionKey, QStringLiteral("new0"));
}

void TstSandboxPersistence::oneSandboxPerDirectory()
{
    sandbox::SandboxServer second(m_options);
    auto started = second.start(0);
    QVERIFY(!started.ok());
    QVERIFY2(started.error().message.contains(QLatin1String("another sandbox")), qPrintable(started.error().message));
}

QTEST_GUILESS_MAIN(TstSandboxPersistence)
#include "tst_sandbox_persistence.moc"
