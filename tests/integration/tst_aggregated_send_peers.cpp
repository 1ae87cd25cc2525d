// The window's send path (Workspace + SendController, as the Send bar drives them) with
// Aggregate (KPL format) on, against every peer (kinesalite, kinesis-mock, `kwb sandbox`):
// every row succeeds on the shard its key predicts with its Kinesis record's sequence number and
// its sub-sequence number, and the stream read back and de-aggregated by awslabs'
// aws-kinesis-agg holds exactly the rows sent.
#include "AggregatedReadBack.h"
#include "TestSupport.h"
#include "controllers/SendController.h"
#include "models/Workspace.h"

#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstAggregatedSendPeers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aggregatedRowsReadBackExactly();

private:
    std::unique_ptr<net::KinesisClient> m_client;
};

void TstAggregatedSendPeers::initTestCase()
{
    QVERIFY2(!test::peerEndpoint().isEmpty(), "the peer fixture did not write its endpoint; run through ctest");
    m_client = std::make_unique<net::KinesisClient>(test::peerClientOptions());
}

void TstAggregatedSendPeers::aggregatedRowsReadBackExactly()
{
    const QString stream = test::uniqueStreamName(QStringLiteral("aggsend"));
    KWB_VERIFY_OK(test::await<void>([&](QObject *ctx, auto done) { m_client->createStream(stream, 3, ctx, done); }));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto s = test::await<net::StreamSummary>([&](QObject *ctx, auto done) { m_client->describeStreamSummary(stream, ctx, done); });
            return s.ok() && s.value().status == QLatin1String("ACTIVE");
        }(),
        20000);
    auto shards = test::await<std::vector<Shard>>([&](QObject *ctx, auto done) { m_client->listShards(stream, ctx, done); });
    KWB_VERIFY_OK(shards);
    auto map = ShardMap::fromShards(shards.value());
    KWB_VERIFY_OK(map);

    Workspace workspace;
    workspace.setStreamShardMap(stream, map.value());
    RecordStore rows;
    for (int i = 0; i < 150; ++i)
        rows.append(i % 9 == 0 ? QByteArray("ключ-") + QByteArray::number(i % 4) : "order-" + QByteArray::number(i % 11),
                    "{\"order\":" + QByteArray::number(i) + ",\"note\":\"" + QByteArray(i % 90, 'n') + "\"}");
    QVERIFY(workspace.loadRecords(std::move(rows)));

    SendController sender(&workspace);
    sender.setClient(m_client.get());
    sender.setStream(stream);
    sender.setShardMap(map.value());
    send::SendOptions options = sender.options();
    options.aggregate = true;
    options.aggregateMaxBytes = 2048; // several Kinesis records per shard
    sender.setOptions(options);
    QSignalSpy finished(&sender, &SendController::finished);
    QVERIFY(sender.sendAll());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);

    const send::SendResults &results = workspace.results();
    int aggregated = 0;
    for (int r = 0; r < workspace.rowCount(); ++r) {
        QCOMPARE(results.status(r), send::RowStatus::Succeeded);
        QCOMPARE(results.shardId(r), map.value().openShard(map.value().openIndexFor(workspace.store().hashKey(r))).shardId);
        aggregated += results.subSequence(r) >= 0;
    }
    QVERIFY2(aggregated > 140, qPrintable(QString::number(aggregated)));
    const QString problem = test::checkReadBack(workspace.store(), results, test::readStream(*m_client, stream));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_MAIN(TstAggregatedSendPeers)
#include "tst_aggregated_send_peers.moc"
