// RecordVerifier against a scripted endpoint that keeps its own records: what a read back says
// about a row (same record, other data, other key, other sequence number, nothing there), reads
// again after throttles, gives up on errors that are not retriable, stops, and keeps its limit
// of reads in flight. The records the endpoint answers with are the test's, not the verifier's.
#include "RecordStore.h"
#include "ScriptedHttpServer.h"
#include "TestSupport.h"
#include "kpl/Aggregator.h"
#include "send/RecordVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::send;
using Server = kwb::test::ScriptedHttpServer;

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Server::Answer ok(const QJsonObject &o)
{
    return {Server::Action::Respond, Server::response(200, json(o))};
}

Server::Answer error(int status, const QString &type)
{
    return {Server::Action::Respond,
            Server::response(status, json({{QStringLiteral("__type"), type}, {QStringLiteral("message"), type}}))};
}

/// A stream as the endpoint keeps it: records by shard and sequence number. GetShardIterator
/// AT_SEQUENCE_NUMBER hands out "shard|sequence" as the iterator, GetRecords answers the record
/// at it (or none). `readRule` may answer a GetRecords call instead (by its 0-based number).
struct Endpoint
{
    struct Stored
    {
        QString key;
        QByteArray data;
    };

    Endpoint()
    {
        server.setFallback([this](const Server::Request &request) { return answer(request); });
    }

    Server::Answer answer(const Server::Request &request)
    {
        const QByteArray target = request.header("X-Amz-Target");
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (target.endsWith(".GetShardIterator")) {
            iteratorBodies.append(body);
            return ok({{QStringLiteral("ShardIterator"), body.value(QStringLiteral("ShardId")).toString() + QLatin1Char('|')
                                                             + body.value(QStringLiteral("StartingSequenceNumber")).toString()}});
        }
        if (target.endsWith(".GetRecords")) {
            const int n = reads++;
            if (const Server::Answer fault = readRule(n); !fault.raw.isEmpty() || fault.action != Server::Action::Respond)
                return fault;
            const QString iterator = body.value(QStringLiteral("ShardIterator")).toString();
            QJsonArray records;
            if (const auto it = stored.find(iterator); it != stored.end())
                records.append(QJsonObject{{QStringLiteral("SequenceNumber"), iterator.section(QLatin1Char('|'), 1)},
                                           {QStringLiteral("PartitionKey"), it->key},
                                           {QStringLiteral("Data"), QString::fromLatin1(it->data.toBase64())},
                                           {QStringLiteral("ApproximateArrivalTimestamp"), 1.7e9}});
            return ok({{QStringLiteral("Records"), records},
                       {QStringLiteral("NextShardIterator"), iterator + QStringLiteral("+1")},
                       {QStringLiteral("MillisBehindLatest"), 0}});
        }
        return error(400, QStringLiteral("UnknownOperationException"));
    }

    void put(const QString &shard, const QString &sequence, const QString &key, const QByteArray &data)
    {
        stored.insert(shard + QLatin1Char('|') + sequence, {key, data});
    }

    Server server;
    QHash<QString, Stored> stored; ///< "shard|sequence" -> record
    std::function<Server::Answer(int)> readRule = [](int) { return Server::Answer{}; };
    int reads = 0;
    QList<QJsonObject> iteratorBodies;
};

/// A store and results whose rows succeeded on the endpoint's records, and a verifier for them.
struct Rig
{
    explicit Rig(Endpoint &endpoint)
    {
        net::ClientOptions options;
        options.endpoint = QUrl(endpoint.server.url());
        options.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
        options.transferTimeoutMs = 2000;
        client = std::make_unique<net::KinesisClient>(options);
        verifier = std::make_unique<RecordVerifier>(client.get(), &store, &results);
        verifier->setStream(QStringLiteral("orders"));
        verifier->setRandom([] { return 0.5; });
        verifier->reset(RetryPolicy(0, 0, 5, 20));
    }

    /// A row sent as (key, data) that the endpoint acknowledged at (shard, sequence).
    int sent(const QString &key, const QByteArray &data, const QString &shard, const QString &sequence)
    {
        const int row = store.append(key.toUtf8(), data);
        results.resize(store.size());
        results.markSucceeded(row, shard, sequence);
        verifier->add(row);
        return row;
    }

    /// Runs the verifier until every added row has a verdict (or the timeout).
    bool run(int maxInFlight = 4, int timeoutMs = 10000)
    {
        QSignalSpy spy(verifier.get(), &RecordVerifier::rowVerified);
        const int expected = store.size();
        verifier->run(maxInFlight);
        while (spy.size() < expected && spy.wait(timeoutMs)) {
        }
        return spy.size() == expected && !verifier->hasUnread() && verifier->inFlight() == 0;
    }

    RecordStore store;
    SendResults results;
    std::unique_ptr<net::KinesisClient> client;
    std::unique_ptr<RecordVerifier> verifier;
};

const QString kShard = QStringLiteral("shardId-000000000001");

} // namespace

class TstRecordVerifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compare_data();
    void compare();
    void verdictsFromTheStream();
    void readsAtTheRowsSequenceNumber();
    void readsAgainAfterThrottles();
    void givesUpOnErrorsNotRetriable();
    void givesUpWhenThrottlesOutlastThePolicy();
    void stopLeavesRowsNotVerified();
    void keepsItsLimitOfReadsInFlight();
    void aggregatedRowsAreComparedWithTheirUserRecord();
};

void TstRecordVerifier::compare_data()
{
    QTest::addColumn<QString>("storedSequence");
    QTest::addColumn<QString>("storedKey");
    QTest::addColumn<QByteArray>("storedData");
    QTest::addColumn<VerifyState>("expected");
    const QString seq = QStringLiteral("49600000000000000000000000000000000000000000000000000001");
    QTest::newRow("same") << seq << QStringLiteral("k") << QByteArray("data") << VerifyState::Verified;
    QTest::newRow("other data") << seq << QStringLiteral("k") << QByteArray("dat4") << VerifyState::Mismatched;
    QTest::newRow("data cut short") << seq << QStringLiteral("k") << QByteArray("dat") << VerifyState::Mismatched;
    QTest::newRow("other key") << seq << QStringLiteral("K") << QByteArray("data") << VerifyState::Mismatched;
    QTest::newRow("next record") << QStringLiteral("49600000000000000000000000000000000000000000000000000002")
                                 << QStringLiteral("k") << QByteArray("data") << VerifyState::Mismatched;
}

void TstRecordVerifier::compare()
{
    QFETCH(QString, storedSequence);
    QFETCH(QString, storedKey);
    QFETCH(QByteArray, storedData);
    QFETCH(VerifyState, expected);
    net::StoredRecord stored;
    stored.sequenceNumber = storedSequence;
    stored.partitionKey = storedKey;
    stored.data = storedData;
    QCOMPARE(RecordVerifier::compare(stored, QStringLiteral("49600000000000000000000000000000000000000000000000000001"),
                                     QByteArrayView("k"), QByteArrayView("data")),
             expected);
}

void TstRecordVerifier::verdictsFromTheStream()
{
    Endpoint endpoint;
    endpoint.put(kShard, QStringLiteral("101"), QStringLiteral("same"), QByteArray("payload\0with nul", 16));
    endpoint.put(kShard, QStringLiteral("102"), QStringLiteral("changed"), QByteArray("what the stream holds"));
    endpoint.put(kShard, QStringLiteral("103"), QStringLiteral("stored-key"), QByteArray("x"));
    endpoint.put(kShard, QStringLiteral("104"), QStringLiteral("\u00e9t\u00e9 \U0001F600"), QByteArray("utf-8 key"));
    Rig rig(endpoint);
    const int same = rig.sent(QStringLiteral("same"), QByteArray("payload\0with nul", 16), kShard, QStringLiteral("101"));
    const int changed = rig.sent(QStringLiteral("changed"), QByteArray("what was sent"), kShard, QStringLiteral("102"));
    const int otherKey = rig.sent(QStringLiteral("sent-key"), QByteArray("x"), kShard, QStringLiteral("103"));
    const int utf8 = rig.sent(QStringLiteral("\u00e9t\u00e9 \U0001F600"), QByteArray("utf-8 key"), kShard, QStringLiteral("104"));
    const int missing = rig.sent(QStringLiteral("gone"), QByteArray("trimmed"), kShard, QStringLiteral("105"));
    QVERIFY(rig.run());
    QCOMPARE(rig.results.verifyState(same), VerifyState::Verified);
    QCOMPARE(rig.results.verifyState(changed), VerifyState::Mismatched);
    QCOMPARE(rig.results.verifyState(otherKey), VerifyState::Mismatched);
    QCOMPARE(rig.results.verifyState(utf8), VerifyState::Verified);
    QCOMPARE(rig.results.verifyState(missing), VerifyState::Unreadable);
    QCOMPARE(endpoint.reads, 5);
}

void TstRecordVerifier::readsAtTheRowsSequenceNumber()
{
    Endpoint endpoint;
    endpoint.put(QStringLiteral("shardId-000000000003"), QStringLiteral("777"), QStringLiteral("k"), QByteArray("d"));
    Rig rig(endpoint);
    rig.sent(QStringLiteral("k"), QByteArray("d"), QStringLiteral("shardId-000000000003"), QStringLiteral("777"));
    QVERIFY(rig.run());
    QCOMPARE(endpoint.iteratorBodies.size(), 1);
    const QJsonObject body = endpoint.iteratorBodies.front();
    // The GetShardIterator request as the Kinesis API reference spells it.
    QCOMPARE(body.value(QStringLiteral("StreamName")).toString(), QStringLiteral("orders"));
    QCOMPARE(body.value(QStringLiteral("ShardId")).toString(), QStringLiteral("shardId-000000000003"));
    QCOMPARE(body.value(QStringLiteral("ShardIteratorType")).toString(), QStringLiteral("AT_SEQUENCE_NUMBER"));
    QCOMPARE(body.value(QStringLiteral("StartingSequenceNumber")).toString(), QStringLiteral("777"));
    QCOMPARE(rig.results.verifyState(0), VerifyState::Verified);
}

void TstRecordVerifier::readsAgainAfterThrottles()
{
    Endpoint endpoint;
    endpoint.put(kShard, QStringLiteral("1"), QStringLiteral("k"), QByteArray("d"));
    endpoint.readRule = [](int n) {
        return n < 2 ? error(400, QStringLiteral("ProvisionedThroughputExceededException")) : Server::Answer{};
    };
    Rig rig(endpoint);
    rig.sent(QStringLiteral("k"), QByteArray("d"), kShard, QStringLiteral("1"));
    QVERIFY(rig.run());
    QCOMPARE(rig.results.verifyState(0), VerifyState::Verified);
    QCOMPARE(endpoint.reads, 3);
    QCOMPARE(endpoint.iteratorBodies.size(), 3); // each read again starts at the row's sequence number
}

void TstRecordVerifier::givesUpOnErrorsNotRetriable()
{
    Endpoint endpoint;
    endpoint.put(kShard, QStringLiteral("1"), QStringLiteral("k"), QByteArray("d"));
    endpoint.readRule = [](int) { return error(400, QStringLiteral("AccessDeniedException")); };
    Rig rig(endpoint);
    rig.sent(QStringLiteral("k"), QByteArray("d"), kShard, QStringLiteral("1"));
    QVERIFY(rig.run());
    QCOMPARE(rig.results.verifyState(0), VerifyState::Unreadable);
    QCOMPARE(endpoint.reads, 1);
}

void TstRecordVerifier::givesUpWhenThrottlesOutlastThePolicy()
{
    Endpoint endpoint;
    endpoint.put(kShard, QStringLiteral("1"), QStringLiteral("k"), QByteArray("d"));
    endpoint.readRule = [](int) { return error(400, QStringLiteral("ProvisionedThroughputExceededException")); };
    Rig rig(endpoint);
    rig.verifier->reset(RetryPolicy(3, 0, 5, 20)); // three reads at most
    rig.sent(QStringLiteral("k"), QByteArray("d"), kShard, QStringLiteral("1"));
    QVERIFY(rig.run());
    QCOMPARE(rig.results.verifyState(0), VerifyState::Unreadable);
    QCOMPARE(endpoint.reads, 3);
}

void TstRecordVerifier::stopLeavesRowsNotVerified()
{
    Endpoint endpoint;
    endpoint.readRule = [](int) { return error(400, QStringLiteral("ProvisionedThroughputExceededException")); };
    Rig rig(endpoint);
    rig.verifier->reset(RetryPolicy(0, 0, 300, 300)); // a long wait before each read again
    for (int i = 0; i < 3; ++i)
        rig.sent(QStringLiteral("k%1").arg(i), QByteArray("d"), kShard, QString::number(i + 1));
    QSignalSpy spy(rig.verifier.get(), &RecordVerifier::rowVerified);
    rig.verifier->run(1);
    QTRY_COMPARE(endpoint.reads, 1); // the first row waits for its read again
    rig.verifier->stop();
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(spy.front().at(1).value<VerifyState>(), VerifyState::NotVerified);
    QTest::qWait(400);
    QCOMPARE(spy.size(), 1); // the rows not read yet are never read
    QCOMPARE(endpoint.reads, 1);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(rig.results.verifyState(row), VerifyState::NotVerified);
    QVERIFY(!rig.verifier->hasUnread());
    QCOMPARE(rig.verifier->inFlight(), 0);
}

void TstRecordVerifier::keepsItsLimitOfReadsInFlight()
{
    Endpoint endpoint;
    Rig rig(endpoint);
    int most = 0;
    endpoint.readRule = [&](int) {
        most = std::max(most, rig.verifier->inFlight());
        return Server::Answer{};
    };
    for (int i = 0; i < 7; ++i) {
        endpoint.put(kShard, QString::number(i + 1), QStringLiteral("k%1").arg(i), QByteArray("d"));
        rig.sent(QStringLiteral("k%1").arg(i), QByteArray("d"), kShard, QString::number(i + 1));
    }
    QVERIFY(rig.run(2));
    QCOMPARE(most, 2);
    for (int row = 0; row < 7; ++row)
        QCOMPARE(rig.results.verifyState(row), VerifyState::Verified);
}

void TstRecordVerifier::aggregatedRowsAreComparedWithTheirUserRecord()
{
    // What the stream holds: an aggregated record of three user records whose second one is not
    // what was sent (a tampered read), and a copy whose MD5 no longer matches.
    RecordStore held;
    held.append("a", "first");
    held.append("b", "changed on the way", UInt128(42));
    held.append("c", "third");
    const QByteArray record = kpl::Aggregator::encode(held, {0, 1, 2});
    QByteArray broken = record;
    broken[broken.size() - 17] = char(broken[broken.size() - 17] ^ 0x01); // the protobuf's last byte
    Endpoint endpoint;
    endpoint.put(kShard, QStringLiteral("201"), QStringLiteral("a"), record);
    endpoint.put(kShard, QStringLiteral("202"), QStringLiteral("a"), broken);
    Rig rig(endpoint);
    const auto sentIn = [&](QByteArrayView key, QByteArrayView data, std::optional<UInt128> hashKey, const QString &sequence,
                            int subSequence) {
        const int row = rig.store.append(key, data, hashKey);
        rig.results.resize(rig.store.size());
        rig.results.markSucceeded(row, kShard, sequence);
        rig.results.setAggregate(row, subSequence, 3, 0);
        rig.verifier->add(row);
        return row;
    };
    const int first = sentIn("a", "first", std::nullopt, QStringLiteral("201"), 0);
    const int tampered = sentIn("b", "what was sent", UInt128(42), QStringLiteral("201"), 1);
    const int third = sentIn("c", "third", std::nullopt, QStringLiteral("201"), 2);
    const int noHashKey = sentIn("b", "changed on the way", std::nullopt, QStringLiteral("201"), 1);
    const int samePlaceSent = sentIn("b", "changed on the way", UInt128(42), QStringLiteral("201"), 1);
    const int wrongPlace = sentIn("c", "third", std::nullopt, QStringLiteral("201"), 0);
    const int badMd5 = sentIn("a", "first", std::nullopt, QStringLiteral("202"), 0);
    QVERIFY(rig.run());
    QCOMPARE(rig.results.verifyState(first), VerifyState::Verified);
    QCOMPARE(rig.results.verifyState(tampered), VerifyState::Mismatched);
    QCOMPARE(rig.results.verifyState(third), VerifyState::Verified);
    QCOMPARE(rig.results.verifyState(noHashKey), VerifyState::Mismatched);
    QCOMPARE(rig.results.verifyState(samePlaceSent), VerifyState::Verified);
    QCOMPARE(rig.results.verifyState(wrongPlace), VerifyState::Mismatched);
    QCOMPARE(rig.results.verifyState(badMd5), VerifyState::Mismatched);
    // A plain row is still compared whole (the aggregated record is not its data).
    net::StoredRecord stored{QStringLiteral("201"), QStringLiteral("a"), record, {}};
    QCOMPARE(RecordVerifier::compare(stored, QStringLiteral("201"), "a", "first"), VerifyState::Mismatched);
    QCOMPARE(RecordVerifier::compare(stored, QStringLiteral("201"), "a", "first", 0), VerifyState::Verified);
}

QTEST_GUILESS_MAIN(TstRecordVerifier)
#include "tst_recordverifier.moc"
