#pragma once

#include "RecordStore.h"
#include "net/KinesisClient.h"
#include "send/RetryPolicy.h"
#include "send/SendResults.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <vector>

namespace kwb::send {

/// The read-back of a run (SendOptions::verify): reads each record a run wrote from the stream
/// (GetShardIterator AT_SEQUENCE_NUMBER at the row's shard and sequence number, then GetRecords
/// with a limit of one) and compares it with the row it was sent from. Throttled and transient
/// reads are read again after a backoff, as the run's RetryPolicy allows; then the row is
/// Unreadable. Each row's VerifyState is written into the SendResults. Owned by a SendEngine and
/// lives on its thread (that of the client, store and results); never blocks: waits are timers.
class RecordVerifier : public QObject
{
    Q_OBJECT
public:
    RecordVerifier(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent = nullptr);

    void setStream(const QString &stream) { m_stream = stream; }
    /// Uniform random numbers in [0, 1) for the backoff jitter.
    void setRandom(std::function<double()> uniform01) { m_random = std::move(uniform01); }

    /// Starts over for a new run: forgets the rows of the last one; reads are retried as `policy`
    /// allows, its deadline counted from each row's first read.
    void reset(const RetryPolicy &policy);
    /// A row that succeeded (its shard id and sequence number are in the results), to be read
    /// back by run().
    void add(int row) { m_rows.push_back(row); }
    /// Reads the rows added and not read yet, at most `maxInFlight` at once (at least one); rows
    /// added while reads go on are read too.
    void run(int maxInFlight);
    /// Reads no more rows: those not read yet stay NotVerified; reads in flight that fail or
    /// wait for a retry end as NotVerified.
    void stop();

    /// Rows added and not read yet.
    bool hasUnread() const { return m_next < m_rows.size(); }
    /// Rows being read (or waiting to be read again).
    int inFlight() const { return m_inFlight; }

    /// What the record read back says about the row: Verified when its sequence number,
    /// partition key and data are the ones sent, else Mismatched. For a row sent inside a KPL
    /// aggregated record (`subSequence` >= 0, SendResults::subSequence), the record read back is
    /// de-aggregated and its user record at that place must have the row's partition key, data
    /// and explicit hash key (a bad MD5 or protobuf is a mismatch). Pure.
    static VerifyState compare(const net::StoredRecord &stored, const QString &sequenceNumber, QByteArrayView partitionKeyUtf8,
                               QByteArrayView data, int subSequence = -1,
                               std::optional<UInt128> explicitHashKey = std::nullopt);

Q_SIGNALS:
    /// The row's verify state was written into the results (NotVerified: the read was stopped).
    /// The next reads have been started already.
    void rowVerified(int row, kwb::send::VerifyState state);

private:
    void readNext();
    /// One read of the row's record; `attempts` reads of it failed before, the first at `firstMs`.
    void readBack(int row, const QString &shardId, const QString &sequence, int attempts, qint64 firstMs);
    void done(int row, VerifyState state);
    qint64 nowMs() const { return m_clock.elapsed(); }

    net::KinesisClient *m_client;
    const RecordStore *m_store;
    SendResults *m_results;
    QString m_stream;
    std::function<double()> m_random;
    RetryPolicy m_policy;
    QElapsedTimer m_clock;
    std::vector<int> m_rows; ///< rows to read, from m_next on
    size_t m_next = 0;
    int m_maxInFlight = 1;
    int m_inFlight = 0;
    bool m_stopped = false;
};

} // namespace kwb::send
