// core/stream's StreamReader against the built-in sandbox: every record once, in sequence order
// per shard, from every start position, across an UpdateShardCount, within the read limits (and
// on through throttles and expired iterators), with a bounded ring. What was written is known
// from the PutRecords answers (shard and sequence number of each record), not from the reader.
#include "SandboxTestSupport.h"
#include "stream/StreamReader.h"

#include <QSignalSpy>
#include <QTest>

#include <map>
#include <set>

using namespace kwb;
using namespace kwb::net;
using kwb::stream::ReadRecord;
using kwb::stream::ReaderOptions;
using kwb::stream::StartPosition;
using kwb::stream::StreamReader;
using kwb::test::SandboxFixture;

namespace {

/// shardId -> sequence numbers, as the writer was told.
using Written = std::map<QString, std::vector<QString>>;

void noteWritten(Written &written, const PutRecordsResult &result)
{
    for (const PutRecordsEntry &e : result.records)
        if (e.succeeded())
            written[e.shardId].push_back(e.sequenceNumber);
}

/// Records a reader hands out, in the order it hands them out, with its events.
struct Collected
{
    std::vector<ReadRecord> records;
    QStringList events; ///< "start shardId-..." / "end shardId-..."
    std::optional<Error> error;

    void attach(StreamReader &reader)
    {
        QObject::connect(&reader, &StreamReader::recordsRead, &reader, [this](const QList<ReadRecord> &batch) {
            records.insert(records.end(), batch.begin(), batch.end());
        });
        QObject::connect(&reader, &StreamReader::shardStarted, &reader,
                         [this](const QString &id) { events << QStringLiteral("start ") + id; });
        QObject::connect(&reader, &StreamReader::shardFinished, &reader,
                         [this](const QString &id) { events << QStringLiteral("end ") + id; });
        QObject::connect(&reader, &StreamReader::failed, &reader, [this](const Error &e) { error = e; });
    }
    Written byShard() const
    {
        Written w;
        for (const ReadRecord &r : records)
            w[r.shardId].push_back(r.sequenceNumber);
        return w;
    }
};

} // namespace

class TstStreamReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void readsEveryShardFromTrimHorizon();
    void latestSeesOnlyNewRecords();
    void followsUpdateShardCount();
    void childrenWaitForTheirParents();
    void keepsToTheReadLimitsOfAScaledSandbox();
    void readsOnThroughThrottles();
    void readsOnAfterAnExpiredIterator();
    void atTimestampAndAtSequenceNumber();
    void chosenShardsOnly();
    void ringKeepsTheLastRecords();
    void startPositionsParse_data();
    void startPositionsParse();

private:
    void start(sandbox::SandboxOptions options = {}, int shards = 2);
    Written put(int count, const QString &prefix);
    SandboxFixture m_sandbox;
};

void TstStreamReader::cleanup()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
}

void TstStreamReader::start(sandbox::SandboxOptions options, int shards)
{
    options.initialStreams = {{QStringLiteral("s"), shards}};
    KWB_VERIFY_OK(m_sandbox.start(options));
}

Written TstStreamReader::put(int count, const QString &prefix)
{
    Written written;
    auto r = m_sandbox.putRecords(QStringLiteral("s"), test::makeRecords(count, prefix, 50));
    if (r.ok())
        noteWritten(written, r.value());
    return written;
}

static ReaderOptions fastOptions(StartPosition from)
{
    ReaderOptions options;
    options.from = from;
    options.limits.idleMs = 200; // within 5 calls/s: the tests wait less
    return options;
}

static void merge(Written &into, const Written &from)
{
    for (const auto &[shard, seqs] : from)
        into[shard].insert(into[shard].end(), seqs.begin(), seqs.end());
}

/// Whether every child shard's "start" event comes after the "end" of each of its parents.
static bool childrenStartAfterTheirParents(const QStringList &events, const std::vector<Shard> &shards)
{
    for (const Shard &s : shards) {
        const qsizetype startAt = events.indexOf(QStringLiteral("start ") + s.shardId);
        if (startAt < 0)
            return false;
        for (const QString &parent : {s.parentShardId, s.adjacentParentShardId}) {
            if (parent.isEmpty())
                continue;
            const qsizetype endAt = events.indexOf(QStringLiteral("end ") + parent);
            if (endAt < 0 || endAt > startAt) {
                qWarning().noquote() << s.shardId << "started before" << parent << "ended:" << events.join(QLatin1Char(','));
                return false;
            }
        }
    }
    return true;
}

static int total(const Written &w)
{
    int n = 0;
    for (const auto &[shard, seqs] : w)
        n += int(seqs.size());
    return n;
}

void TstStreamReader::readsEveryShardFromTrimHorizon()
{
    start();
    const Written written = put(300, QStringLiteral("a"));
    QCOMPARE(total(written), 300);
    QCOMPARE(int(written.size()), 2);
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), fastOptions(StartPosition::trimHorizon()));
    Collected got;
    got.attach(reader);
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 300, 15000);
    QTest::qWait(500); // and nothing more
    QCOMPARE(got.byShard(), written); // each once, in each shard's sequence order
    QVERIFY(!got.error);
    QCOMPARE(reader.counters().records, qint64(300));
    // Partition keys and data as written.
    for (const ReadRecord &r : got.records) {
        const int i = r.partitionKey.mid(1).toInt();
        QCOMPARE(r.data, QByteArray(50, char('a' + i % 26)));
    }
}

void TstStreamReader::latestSeesOnlyNewRecords()
{
    start();
    put(40, QStringLiteral("old"));
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), fastOptions(StartPosition::latest()));
    Collected got;
    got.attach(reader);
    QSignalSpy started(&reader, &StreamReader::shardStarted);
    reader.start();
    QTRY_COMPARE(started.count(), 2);
    QTRY_VERIFY(reader.counters().calls >= 2); // both iterators taken
    const Written fresh = put(60, QStringLiteral("new"));
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 60, 15000);
    QTest::qWait(400);
    QCOMPARE(got.byShard(), fresh);
}

void TstStreamReader::followsUpdateShardCount()
{
    start();
    Written written = put(200, QStringLiteral("before"));
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), fastOptions(StartPosition::trimHorizon()));
    Collected got;
    got.attach(reader);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(got.records.size() >= 100, 15000); // reading while the stream reshards
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"),
                                 QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("s")},
                                             {QStringLiteral("TargetShardCount"), 3},
                                             {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}}));
    merge(written, put(300, QStringLiteral("after")));
    QCOMPARE(total(written), 500);
    QCOMPARE(int(written.size()), 5); // 2 closed parents, 3 children
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 500, 20000);
    QTest::qWait(400);
    QCOMPARE(got.byShard(), written);
    QVERIFY(!got.error);
    QCOMPARE(reader.counters().shardsFinished, 2);
    // A child starts only after every parent it has ended (ListShards says which they are).
    auto shards = m_sandbox.listShards(QStringLiteral("s"));
    KWB_VERIFY_OK(shards);
    QVERIFY(childrenStartAfterTheirParents(got.events, shards.value()));
    QCOMPARE(reader.shardsReading().size(), 3);
}

void TstStreamReader::childrenWaitForTheirParents()
{
    // Resharded before the reader starts: all five shards are listed at once, and the children
    // must still wait until their parents are read, so each key's records come out in the
    // order they were written.
    start();
    const auto phase = [&](const QByteArray &data) {
        std::vector<Record> records;
        for (int i = 0; i < 200; ++i)
            records.push_back({QStringLiteral("key%1").arg(i % 20), data + QByteArray::number(i), std::nullopt});
        auto r = m_sandbox.putRecords(QStringLiteral("s"), records);
        Written w;
        if (r.ok())
            noteWritten(w, r.value());
        return w;
    };
    Written written = phase("before-");
    KWB_VERIFY_OK(m_sandbox.call(QStringLiteral("UpdateShardCount"),
                                 QJsonObject{{QStringLiteral("StreamName"), QStringLiteral("s")},
                                             {QStringLiteral("TargetShardCount"), 3},
                                             {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}}));
    merge(written, phase("after-"));
    QCOMPARE(total(written), 400);
    ReaderOptions o = fastOptions(StartPosition::trimHorizon());
    o.recordsPerCall = 25; // parents take several calls
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
    Collected got;
    got.attach(reader);
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 400, 20000);
    QCOMPARE(got.byShard(), written);
    std::map<QString, bool> sawAfter;
    for (const ReadRecord &r : got.records) {
        const bool after = r.data.startsWith("after-");
        QVERIFY2(after || !sawAfter[r.partitionKey], qPrintable(r.partitionKey + QStringLiteral(": an old record after a new one")));
        sawAfter[r.partitionKey] = sawAfter[r.partitionKey] || after;
    }
    auto shards = m_sandbox.listShards(QStringLiteral("s"));
    KWB_VERIFY_OK(shards);
    QVERIFY(childrenStartAfterTheirParents(got.events, shards.value()));
}

void TstStreamReader::keepsToTheReadLimitsOfAScaledSandbox()
{
    // One GetRecords call per second per shard (x0.2): the reader follows what the sandbox
    // advertises and is never throttled.
    sandbox::SandboxOptions options;
    options.limitScale = 0.2;
    start(options, 1);
    const Written written = put(50, QStringLiteral("k"));
    ReaderOptions o = fastOptions(StartPosition::trimHorizon());
    o.recordsPerCall = 10; // five calls for the backlog
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
    Collected got;
    got.attach(reader);
    QElapsedTimer clock;
    clock.start();
    reader.start();
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 50, 15000);
    QVERIFY2(clock.elapsed() >= 3900, qPrintable(QString::number(clock.elapsed()))); // 5 calls at 1/s
    QCOMPARE(got.byShard(), written);
    QCOMPARE(reader.counters().throttled, qint64(0));
    QCOMPARE(m_sandbox.server->stats().readsThrottled, qint64(0));
}

void TstStreamReader::readsOnThroughThrottles()
{
    // A reader that ignores what the sandbox says and polls at 50 calls/s is throttled, backs
    // off and still hands out every record once.
    start({}, 1);
    Written written = put(100, QStringLiteral("a"));
    ReaderOptions o = fastOptions(StartPosition::trimHorizon());
    o.followAdvertisedLimits = false;
    o.limits.callsPerSecond = 50;
    o.limits.idleMs = 10;
    o.limits.backoffBaseMs = 50;
    o.recordsPerCall = 7;
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
    Collected got;
    got.attach(reader);
    reader.start();
    QTRY_VERIFY_WITH_TIMEOUT(reader.counters().throttled >= 3, 15000);
    merge(written, put(100, QStringLiteral("b")));
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 200, 20000);
    QCOMPARE(got.byShard(), written);
    QVERIFY(!got.error);
    QVERIFY(m_sandbox.server->stats().readsThrottled >= 3);
}

void TstStreamReader::readsOnAfterAnExpiredIterator()
{
    test::FakeClock clock(QDateTime::currentMSecsSinceEpoch());
    sandbox::SandboxOptions options;
    options.limitsEnabled = false; // the fake clock stands still: limits would never refill
    options.initialStreams = {{QStringLiteral("s"), 1}};
    KWB_VERIFY_OK(m_sandbox.start(options, clock.clock()));
    Written written = put(30, QStringLiteral("a"));
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), fastOptions(StartPosition::trimHorizon()));
    Collected got;
    got.attach(reader);
    reader.start();
    QTRY_COMPARE(int(got.records.size()), 30);
    clock.advance(6 * 60 * 1000); // every iterator handed out so far has expired
    merge(written, put(30, QStringLiteral("b")));
    QTRY_COMPARE_WITH_TIMEOUT(int(got.records.size()), 60, 15000);
    QTest::qWait(400);
    QVERIFY(reader.counters().expiredIterators >= 1);
    QCOMPARE(got.byShard(), written);
}

void TstStreamReader::atTimestampAndAtSequenceNumber()
{
    test::FakeClock clock(QDateTime::currentMSecsSinceEpoch() - 60000);
    sandbox::SandboxOptions options;
    options.limitsEnabled = false;
    options.initialStreams = {{QStringLiteral("s"), 1}};
    KWB_VERIFY_OK(m_sandbox.start(options, clock.clock()));
    const Written early = put(10, QStringLiteral("early"));
    clock.advance(10000);
    const QDateTime cut = QDateTime::fromMSecsSinceEpoch(clock.now(), Qt::UTC);
    const Written late = put(10, QStringLiteral("late"));
    {
        StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"),
                            fastOptions(StartPosition{ShardIteratorType::AtTimestamp, cut, {}}));
        Collected got;
        got.attach(reader);
        reader.start();
        QTRY_COMPARE(int(got.records.size()), 10);
        QTest::qWait(300);
        QCOMPARE(got.byShard(), late);
    }
    const QString shard = early.begin()->first;
    const QString fifth = early.begin()->second[4];
    for (const auto type : {ShardIteratorType::AtSequenceNumber, ShardIteratorType::AfterSequenceNumber}) {
        ReaderOptions o = fastOptions(StartPosition{type, {}, fifth});
        o.shardIds = {shard};
        StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
        Collected got;
        got.attach(reader);
        reader.start();
        const int expected = type == ShardIteratorType::AtSequenceNumber ? 16 : 15;
        QTRY_COMPARE(int(got.records.size()), expected);
        QTest::qWait(300);
        QCOMPARE(int(got.records.size()), expected);
        QCOMPARE(got.records.front().sequenceNumber, early.begin()->second[type == ShardIteratorType::AtSequenceNumber ? 4 : 5]);
    }
    // A sequence number needs its shard.
    StreamReader unsure(m_sandbox.client.get(), QStringLiteral("s"), fastOptions(StartPosition{ShardIteratorType::AtSequenceNumber, {}, fifth}));
    Collected got;
    got.attach(unsure);
    unsure.start();
    QTRY_VERIFY(got.error.has_value());
    QCOMPARE(got.error->kind, Error::Kind::Input);
    QVERIFY2(got.error->message.contains(QLatin1String("--shard")), qPrintable(got.error->message));
}

void TstStreamReader::chosenShardsOnly()
{
    start({}, 3);
    const Written written = put(150, QStringLiteral("k"));
    QCOMPARE(int(written.size()), 3);
    ReaderOptions o = fastOptions(StartPosition::trimHorizon());
    o.shardIds = {QStringLiteral("shardId-000000000001")};
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
    Collected got;
    got.attach(reader);
    reader.start();
    const int expected = int(written.at(QStringLiteral("shardId-000000000001")).size());
    QTRY_COMPARE(int(got.records.size()), expected);
    QTest::qWait(400);
    QCOMPARE(got.byShard(), (Written{{QStringLiteral("shardId-000000000001"), written.at(QStringLiteral("shardId-000000000001"))}}));
    // An unknown shard is an error that says where to look.
    o.shardIds = {QStringLiteral("shardId-000000000009")};
    StreamReader wrong(m_sandbox.client.get(), QStringLiteral("s"), o);
    Collected none;
    none.attach(wrong);
    wrong.start();
    QTRY_VERIFY(none.error.has_value());
    QCOMPARE(none.error->message, QStringLiteral("shard shardId-000000000009 is not in stream s; 'kwb shards s' lists its shards"));
}

void TstStreamReader::ringKeepsTheLastRecords()
{
    start({}, 1);
    const Written written = put(200, QStringLiteral("k"));
    ReaderOptions o = fastOptions(StartPosition::trimHorizon());
    o.ringCapacity = 50;
    StreamReader reader(m_sandbox.client.get(), QStringLiteral("s"), o);
    reader.start();
    QTRY_COMPARE(reader.ring().appended(), qint64(200));
    QCOMPARE(reader.ring().size(), qint64(50));
    QCOMPARE(reader.ring().dropped(), qint64(150));
    const std::vector<QString> &seqs = written.begin()->second;
    for (qint64 i = 0; i < 50; ++i)
        QCOMPARE(reader.ring().at(i).sequenceNumber, seqs[size_t(150 + i)]);
    // A byte cap bounds it too.
    stream::RecordRing small(1000, 10 * 1024);
    for (int i = 0; i < 100; ++i)
        small.append(ReadRecord{QStringLiteral("shardId-000000000000"), QString::number(i), QStringLiteral("k"), QByteArray(1000, 'x'), 0});
    QVERIFY(small.bytes() <= 10 * 1024);
    QVERIFY(small.size() >= 9 && small.size() <= 10);
    QCOMPARE(small.at(small.size() - 1).sequenceNumber, QStringLiteral("99"));
}

void TstStreamReader::startPositionsParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("type"); // -1: an error
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("sequence");
    const QString seq = QStringLiteral("49590338271490256608559692538361571095921575989136588898");
    QTest::newRow("latest") << QStringLiteral("latest") << int(ShardIteratorType::Latest) << qint64(0) << QString();
    QTest::newRow("trim-horizon") << QStringLiteral("trim-horizon") << int(ShardIteratorType::TrimHorizon) << qint64(0) << QString();
    QTest::newRow("iso utc") << QStringLiteral("2026-12-06T20:15:00Z") << int(ShardIteratorType::AtTimestamp)
                             << qint64(1796588100000) << QString();
    QTest::newRow("iso offset") << QStringLiteral("2026-12-06T21:15:00.250+01:00") << int(ShardIteratorType::AtTimestamp)
                                << qint64(1796588100250) << QString();
    QTest::newRow("epoch seconds") << QStringLiteral("1796588100.5") << int(ShardIteratorType::AtTimestamp)
                                   << qint64(1796588100500) << QString();
    QTest::newRow("sequence") << seq << int(ShardIteratorType::AtSequenceNumber) << qint64(0) << seq;
    QTest::newRow("no zone") << QStringLiteral("2026-12-06T20:15:00") << -1 << qint64(0) << QString();
    QTest::newRow("word") << QStringLiteral("yesterday") << -1 << qint64(0) << QString();
}

void TstStreamReader::startPositionsParse()
{
    QFETCH(QString, text);
    QFETCH(int, type);
    QFETCH(qint64, ms);
    QFETCH(QString, sequence);
    const auto parsed = StartPosition::parse(text);
    if (type < 0) {
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, Error::Kind::Input);
        QVERIFY(parsed.error().message.contains(QLatin1String("--from")));
        return;
    }
    KWB_VERIFY_OK(parsed);
    QCOMPARE(int(parsed.value().type), type);
    if (ms)
        QCOMPARE(parsed.value().timestamp.toMSecsSinceEpoch(), ms);
    QCOMPARE(parsed.value().sequenceNumber, sequence);
}

QTEST_GUILESS_MAIN(TstStreamReader)
#include "tst_streamreader.moc"
