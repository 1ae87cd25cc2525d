#pragma once

#include "Record.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QUrl;

namespace kwb::send {

/// A target's write limits per shard. `known`: the numbers are the target's own (AWS's
/// documented limits, the built-in sandbox's current ones); otherwise they are a starting point
/// and the flow controller learns the real ones from throttles. `unlimited`: nothing to pace
/// (a sandbox with its limits off). A plain value.
struct ShardLimits
{
    double recordsPerSecond = limits::kShardRecordsPerSecond;
    double bytesPerSecond = double(limits::kShardBytesPerSecond);
    bool known = true;
    bool unlimited = false;

    /// AWS's documented write limits: 1,000 records/s and 1 MiB/s per shard.
    static ShardLimits documented();
    /// An endpoint of unknown kind: the documented limits as a start, learned from throttles.
    static ShardLimits unknown();
    /// The built-in sandbox with its limits on at `scale` (or off).
    static ShardLimits sandbox(bool enabled, double scale);
    /// Limits an endpoint advertised about itself (known; `enabled` false: none).
    static ShardLimits advertised(bool enabled, double recordsPerSecond, double bytesPerSecond);
    /// What a URL tells: an AWS endpoint (*.amazonaws.com, *.amazonaws.com.cn, or none given)
    /// has the documented limits; any other endpoint is unknown.
    static ShardLimits forEndpoint(const QUrl &endpoint);

    /// "1,000 records/s and 1 MiB/s per shard" (or "no limits"), for people.
    QString describe() const;
    bool operator==(const ShardLimits &) const = default;
};

/// Per-shard flow control for PutRecords. Each open shard has a budget of `share x limits` per
/// one-second window, kept as a sliding window that is kWindowMs long (a little over a second,
/// so requests sent apart that arrive closer together by up to 30 ms still fit any one-second
/// window the service counts), and a token bucket that spreads the records smoothly over it.
/// The share is automatic (1.0 at known limits; multiplicative decrease on a throttle, recovery
/// back to the ceiling in kRecoverMs; for unknown limits a ceiling learned from what the shard
/// accepted) or a fixed percentage. The cap on requests in flight follows the measured latency
/// (Little's law), so a slow link still keeps the stream full.
/// One controller serves one stream of one target and may be shared by several SendEngines on
/// the same thread (each asks it for tokens and request slots); engines must then agree on the
/// shard map. GUI thread or the CLI's main thread; owned by whoever created it.
class FlowController : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;

    /// The sliding window's granularity and length: 103 slots of 10 ms.
    static constexpr qint64 kSlotMs = 10;
    static constexpr int kWindowSlots = 103;
    static constexpr qint64 kWindowMs = kSlotMs * kWindowSlots;
    /// The smooth pace stays this far under what the window allows, so the window only binds
    /// at the start and after a throttle.
    static constexpr double kSmoothShare = 0.995;
    /// A fresh shard may burst this much of its window at once.
    static constexpr double kStartBurst = 0.5;
    /// The smooth pace's burst: a quarter second's worth, so that a busy event loop, or requests
    /// waiting for a free connection, lose nothing and requests fill up (the window, not the
    /// burst, keeps every second within the limits). An explicit rate: 100 ms.
    static constexpr double kAutoBurstSeconds = 0.25;
    static constexpr double kExplicitBurstSeconds = 0.1;
    /// The pacing tick: how often engines come back for tokens.
    static constexpr qint64 kTickMs = 20;
    static constexpr double kRecoverMs = 2000;

    explicit FlowController(QObject *parent = nullptr);

    /// Test hook: a monotonic clock in ms (default: a QElapsedTimer started with the controller).
    void setClock(Clock clock);

    /// The target's limits; takes effect at once (a live change of the sandbox's limits).
    void setLimits(const ShardLimits &limits);
    const ShardLimits &limits() const { return m_limits; }
    /// Open shards of the stream's map; a change resets the per-shard state.
    void setShardCount(int shards);
    int shardCount() const { return int(m_shards.size()); }
    /// 0 = automatic (the whole limits, adjusted from throttles); else a fixed percentage of them.
    void setRatePercent(double percent);
    double ratePercent() const { return m_ratePercent; }
    /// Requests in flight: 0 = automatic (follows latency); else that many.
    void setConcurrency(int requests);
    int concurrency() const { return m_concurrency; }
    /// false: no pacing at all (send as fast as the request slots allow).
    void setPacingEnabled(bool enabled);

    /// Whether records are paced per shard (enabled, limited, a map is known).
    bool paces() const;

    /// Takes one record of `bytes` from the shard's budget; false when it has to wait.
    bool tryTake(int shard, qint64 bytes);
    /// Milliseconds until the shard's budget holds a record of `bytes` (0 = now).
    qint64 msUntilReady(int shard, qint64 bytes);

    /// Requests in flight allowed now, over every engine sharing this controller.
    int maxInFlight() const;
    int inFlight() const { return m_inFlight; }
    bool mayStartRequest() const { return m_inFlight < maxInFlight(); }
    void requestStarted();
    /// A request came back after `latencyMs` with `records` records in it.
    void requestFinished(qint64 latencyMs, int records);
    /// Feedback per record.
    void recordAccepted(int shard);
    void recordThrottled(int shard);

    /// The shard's pace now, in records/s and bytes/s (0 when not pacing).
    double shardRecordRate(int shard) const;
    double shardByteRate(int shard) const;
    /// The measured request latency (smoothed), ms, and its smoothed deviation.
    double latencyMs() const { return m_latencyMs; }
    double latencyDeviationMs() const { return m_latencyDevMs; }

Q_SIGNALS:
    /// A request slot came free: engines waiting for one try again.
    void slotFreed();
    void limitsChanged(const kwb::send::ShardLimits &limits);

private:
    struct Shard
    {
        double records = 0;      ///< smoothing tokens
        double bytes = 0;
        qint64 refilledAtMs = 0;
        double factor = 1.0;     ///< automatic pace as a share of the limits
        double ceiling = 1.0;    ///< where recovery goes back to
        qint64 decreasedAtMs = -1000000;
        qint64 acceptedSinceMark = 0;
        qint64 markAtMs = 0;
        // The sliding window: records and bytes taken per slot, and their sums.
        std::vector<qint32> slotRecords;
        std::vector<qint64> slotBytes;
        qint64 headSlot = -1;
        qint64 windowRecords = 0;
        qint64 windowBytes = 0;
    };
    void advance(Shard &s, qint64 now);
    bool windowFits(const Shard &s, qint64 bytes) const;
    void resetShards();
    void refill(Shard &s, qint64 now);
    double share(const Shard &s) const;
    double jitterAllowance() const;
    double smoothShare(const Shard &s) const;
    double burstSeconds() const;
    qint64 now() const;

    Clock m_clock;
    ShardLimits m_limits;
    double m_ratePercent = 0;
    int m_concurrency = 0;
    bool m_pacingEnabled = true;
    std::vector<Shard> m_shards;
    int m_inFlight = 0;
    double m_latencyMs = 0;
    double m_latencyDevMs = 0;
    double m_recordsPerRequest = limits::kMaxRecordsPerRequest;
};

} // namespace kwb::send
