#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "kpl/Aggregator.h"
#include "send/SendResults.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace kwb::net {
class KinesisClient;
}

namespace kwb::send {

class FlowController;
class SendEngine;
struct SendCounters;
struct SendOptions;

/// One aggregated run of a SendEngine (SendOptions::aggregate): packs the run's user rows into
/// KPL aggregated Kinesis records per predicted shard (kpl::Aggregator), sends those with an
/// inner SendEngine, and gives every user row the outcome of its Kinesis record: status, shard,
/// sequence number, error, each attempt, its sub-sequence number. A failed Kinesis record fails
/// (and is retried for) all of its user rows; rows that succeeded are never in a later run.
/// Lives on its SendEngine's thread; owned by it.
class AggregatedSend : public QObject
{
    Q_OBJECT
public:
    AggregatedSend(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent = nullptr);
    ~AggregatedSend() override;

    /// Packs and sends `rows` (admitted and marked Queued by the caller). The counters start
    /// from `base` (the run's rows refused before packing).
    Result<void> start(const std::vector<int> &rows, const QString &stream, const ShardMap &map,
                       const SendOptions &options, FlowController *flow, std::function<double()> random);
    void cancel();
    void abort();

    /// The Kinesis records of the run (for tests and the GUI's view of a row).
    const kpl::Aggregation &aggregation() const { return m_aggregation; }
    /// The run's counts in user rows; requests, throttles and retries as the inner engine counts them.
    SendCounters counters(const SendCounters &base) const;

Q_SIGNALS:
    /// User rows whose status or outcome changed.
    void rowsChanged(const std::vector<int> &rows);
    /// The inner run ended.
    void finished();

private:
    void sync(const QList<int> &kinesisRecords);

    net::KinesisClient *m_client;
    const RecordStore *m_store;
    SendResults *m_results;
    kpl::Aggregation m_aggregation;
    SendResults m_kinesisResults;
    std::unique_ptr<SendEngine> m_engine;
    std::vector<RowStatus> m_seenStatus; ///< per Kinesis record, as last copied to its rows
    std::vector<int> m_seenAttempts;     ///< per Kinesis record, attempts copied to its rows
    std::vector<VerifyState> m_seenVerify;
    qint64 m_rows = 0;
    qint64 m_attempted = 0;
    qint64 m_succeeded = 0;
    qint64 m_failed = 0;
    qint64 m_inFlight = 0;
    qint64 m_verified = 0;
    qint64 m_mismatched = 0;
};

} // namespace kwb::send
