#pragma once

#include "send/SendResults.h"

#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace kwb::generate {

/// A generator run's numbers, bounded whatever the run's length: running totals per outcome, per
/// error code and per shard over the whole run, and per-second counts (attempts sent, succeeded,
/// throttled, failed, latency) overall and per shard for the newest kWindowSeconds seconds only,
/// kept in a fixed ring. Shards are the stream's open shards by index (-1: not known). Pure
/// value; the thread of its owner (the GUI thread's GenerateController).
class RunStats
{
public:
    static constexpr int kWindowSeconds = 60;

    /// What one second of the run did.
    struct Second
    {
        qint64 second = -1; ///< into the run; -1: nothing happened in it
        qint64 sent = 0;    ///< attempts answered (a record sent twice counts twice)
        qint64 succeeded = 0;
        qint64 throttled = 0;
        qint64 failed = 0;  ///< other errors, requests that failed
        qint64 latencySumMs = 0;
        qint64 latencyCount = 0;
        double meanLatencyMs() const { return latencyCount ? double(latencySumMs) / double(latencyCount) : 0.0; }
    };
    /// Final rows by outcome.
    struct Totals
    {
        qint64 records = 0;   ///< rows final so far
        qint64 succeeded = 0;
        qint64 failed = 0;
        qint64 cancelled = 0; ///< aborted in flight: may or may not have been written
        qint64 pending = 0;   ///< never sent (the run was stopped before)
        qint64 bytesSucceeded = 0;
        qint64 throttles = 0; ///< throttled attempts (each retried)

        friend bool operator==(const Totals &, const Totals &) = default;
    };

    /// Starts over for a stream with these open shards.
    void reset(const QStringList &shardIds);

    /// An attempt answered at `second` of the run, for a record routed to `shard`.
    void addAttempt(qint64 second, int shard, send::AttemptOutcome outcome, int latencyMs);
    /// A row reached its final state; `bytes` is its partition key and data.
    void addFinal(int shard, send::RowStatus status, const QString &errorCode, qint64 bytes);

    const Totals &totals() const { return m_totals; }
    /// Totals of the records routed to a shard (index into shardIds()).
    const Totals &shardTotals(int shard) const { return m_shardTotals[size_t(shard)]; }
    /// Failed, cancelled and never-sent rows by error code ("" for never sent).
    const std::map<QString, qint64> &problemsByCode() const { return m_codes; }
    const QStringList &shardIds() const { return m_shardIds; }

    /// The newest second anything happened in; -1 before the first.
    qint64 lastSecond() const { return m_last; }
    /// Second `second` of the run for `shard` (-1: all shards); zeros when it is older than the
    /// window or nothing happened in it.
    Second at(int shard, qint64 second) const;

private:
    Second &slot(int shard, qint64 second);

    QStringList m_shardIds;
    Totals m_totals;
    std::vector<Totals> m_shardTotals;
    std::map<QString, qint64> m_codes;
    std::vector<Second> m_ring; ///< (shards + 1) x kWindowSeconds; row 0 is all shards
    qint64 m_last = -1;
};

} // namespace kwb::generate
