#pragma once

#include "Result.h"
#include "net/KinesisClient.h"
#include "stream/ReadPacer.h"
#include "stream/ReadRecord.h"
#include "stream/RecordRing.h"
#include "stream/ShardLineage.h"
#include "stream/StartPosition.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>

class QTimer;

namespace kwb::stream {

/// What a StreamReader reads and how.
struct ReaderOptions
{
    StartPosition from;    ///< for the shards known at the start; children found later: TRIM_HORIZON
    QStringList shardIds;  ///< only these shards (and the children they close into); empty: all
    int recordsPerCall = 10000;
    ReadLimits limits;
    bool followAdvertisedLimits = true; ///< lower `limits` to what the endpoint says (the sandbox does)
    qint64 ringCapacity = RecordRing::kDefaultCapacity;
    qint64 ringMaxBytes = RecordRing::kDefaultMaxBytes;
    int maxTransientFailures = 10; ///< network/5xx failures in a row on one shard before the reader fails
};

/// Counts of a reader's work, for tests and status lines.
struct ReaderCounters
{
    qint64 records = 0;
    qint64 calls = 0;            ///< GetRecords calls
    qint64 throttled = 0;        ///< ProvisionedThroughputExceededException answers
    qint64 expiredIterators = 0; ///< ExpiredIteratorException answers (read on from the last record)
    qint64 duplicatesSkipped = 0;
    int shardsFinished = 0;
};

/// Reads a stream, every shard at once (or the chosen ones), and follows resharding: ListShards,
/// then per shard GetShardIterator and a GetRecords loop within the read limits (ReadPacer), a
/// backoff after throttles, a new iterator after the last record read when one expires. A shard
/// that closes (no NextShardIterator) hands over to its children (ChildShards, or ListShards
/// for endpoints that do not send them), which start from TRIM_HORIZON once all their parents are
/// read to the end (ShardLineage): nothing missed, nothing twice, each shard in sequence order.
/// Keeps the last records in a bounded RecordRing. Lives on its client's thread; all waiting is
/// timers. Reports a fatal error once (failed()) and stops.
class StreamReader : public QObject
{
    Q_OBJECT
public:
    StreamReader(net::KinesisClient *client, QString stream, ReaderOptions options, QObject *parent = nullptr);
    ~StreamReader() override;

    /// Lists the shards and starts reading; a second call does nothing.
    void start();
    /// Stops reading: calls in flight are aborted, no signal follows.
    void stop();
    bool isRunning() const { return m_running; }

    const RecordRing &ring() const { return m_ring; }
    void clearRing() { m_ring.clear(); }
    const ReaderCounters &counters() const { return m_counters; }
    /// Shards being read now, by id.
    QStringList shardsReading() const { return m_lineage.reading(); }
    /// Test hook: uniform random numbers in [0, 1) for the backoff jitter.
    void setRandom(std::function<double()> uniform01) { m_random = std::move(uniform01); }

Q_SIGNALS:
    /// New records of one shard, in sequence order (also appended to ring()).
    void recordsRead(const QList<kwb::stream::ReadRecord> &records);
    void shardStarted(const QString &shardId);
    /// The shard closed and every record of it was read.
    void shardFinished(const QString &shardId);
    /// A fatal error (stream gone, access refused, too many failures): the reader has stopped.
    void failed(const kwb::Error &error);

private:
    struct Shard;
    void listed(std::vector<kwb::Shard> shards);
    void startReady();
    void requestIterator(Shard &shard);
    void poll(Shard &shard);
    void answered(Shard &shard, net::GetRecordsResult result);
    void callFailed(Shard &shard, const Error &error, bool fromIterator);
    void shardEnded(Shard &shard, const std::vector<net::ChildShard> &children);
    void addChildren(const QString &parentId, const std::vector<net::ChildShard> &children);
    void schedule(Shard &shard, qint64 delayMs, void (StreamReader::*step)(Shard &));
    void fail(const Error &error);
    ReadLimits effectiveLimits() const;
    qint64 nowMs() const;

    net::KinesisClient *m_client;
    QString m_stream;
    ReaderOptions m_options;
    RecordRing m_ring;
    ShardLineage m_lineage;
    std::map<QString, std::unique_ptr<Shard>> m_shards;
    ReaderCounters m_counters;
    std::function<double()> m_random;
    QPointer<net::KinesisCall> m_listing;
    QElapsedTimer m_clock;
    bool m_started = false;
    bool m_running = false;
};

} // namespace kwb::stream
