#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "net/KinesisClient.h"
#include "send/FlowController.h"
#include "send/RecordVerifier.h"
#include "send/RetryPolicy.h"
#include "send/SendResults.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>

#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <queue>
#include <vector>

class QTimer;

namespace kwb::send {

class AggregatedSend;

/// A zero-filled array from calloc: a large one comes as fresh zero pages from the kernel, so a
/// run of a million rows sets up its per-row counters without writing a byte.
template<typename T>
class ZeroedArray
{
public:
    void reset(size_t n)
    {
        m_data.reset(n > 0 ? static_cast<T *>(std::calloc(n, sizeof(T))) : nullptr);
        if (n > 0 && !m_data)
            throw std::bad_alloc();
    }
    T &operator[](size_t i) { return m_data.get()[i]; }
    const T &operator[](size_t i) const { return m_data.get()[i]; }

private:
    struct Free
    {
        void operator()(T *p) const { std::free(p); }
    };
    std::unique_ptr<T, Free> m_data;
};

/// How a run sends. The defaults are the product: per-shard flow control at the target's limits,
/// requests in flight following the latency, throttles retried until a time budget runs out.
/// Every field set explicitly wins over the automatic behaviour.
struct SendOptions
{
    int concurrency = 0;                                    ///< requests in flight; 0 = automatic
    int maxRecordsPerRequest = limits::kMaxRecordsPerRequest;
    qint64 maxRequestBytes = limits::kMaxRequestBytes;      ///< keys + data per request
    qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes; ///< the stream's MaxRecordSizeInKiB
    /// Per row and run, the first included; 0 = automatic: throttles until the deadline, other
    /// transient failures RetryPolicy::kDefaultTransientAttempts times.
    int maxAttempts = 0;
    /// Time budget for a row's retries, from its first attempt; 0 = RetryPolicy::kDefaultDeadlineMs.
    qint64 deadlineMs = 0;
    int backoffBaseMs = 100;
    int backoffCapMs = 5000;
    /// Pacing per predicted shard as a fixed percentage of the target's limits (fractions
    /// allowed); 0 = automatic (the limits, less a margin for jitter, adjusted from throttles).
    /// A fixed rate bursts at most 100 ms of its budget.
    double ratePercent = 0;
    bool flowControl = true; ///< false: no per-shard pacing at all, only retries
    bool ordered = false; ///< PutRecord one at a time, chaining SequenceNumberForOrdering per key
    bool verify = false;  ///< read succeeded records back and compare them
    /// Pack the user rows into KPL aggregated Kinesis records per predicted shard (needs a shard
    /// map; not with `ordered`); each row's outcome is its Kinesis record's (AggregatedSend).
    bool aggregate = false;
    /// Largest aggregated Kinesis record, partition key included (the KPL's default, 50 KB).
    qint64 aggregateMaxBytes = 51200;

    RetryPolicy retryPolicy() const { return RetryPolicy(maxAttempts, deadlineMs, backoffBaseMs, backoffCapMs); }
};

/// Live counts of a run. `attempted` counts rows sent at least once; `retried` counts re-sends;
/// `throttled` counts throttling answers (per record or per request). Sent is never succeeded.
struct SendCounters
{
    qint64 total = 0;     ///< rows in the run
    qint64 attempted = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 throttled = 0;
    qint64 retried = 0;
    qint64 pending = 0;   ///< queued or waiting for a retry
    qint64 inFlight = 0;
    qint64 verified = 0;
    qint64 mismatched = 0;
    qint64 requests = 0;
    qint64 bytesSucceeded = 0;
    qint64 elapsedMs = 0;
};

/// Sends rows of a RecordStore with PutRecords (or PutRecord in ordered mode), retries what
/// can be retried, and writes every row's outcome into a SendResults. Lives on the thread of
/// its KinesisClient, RecordStore and SendResults (the GUI thread, or the CLI's main thread);
/// the store must not change while a run is going on. Never blocks: all waiting is timers.
class SendEngine : public QObject
{
    Q_OBJECT
public:
    /// Steps that change more rows than this report manyRowsChanged().
    static constexpr int kManyRows = 4096;

    SendEngine(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent = nullptr);
    ~SendEngine() override;

    void setStream(const QString &stream) { m_stream = stream; }
    /// The map that predicts shards (and paces per shard); an empty map disables both.
    void setShardMap(ShardMap map) { m_map = std::move(map); }
    void setOptions(const SendOptions &options) { m_options = options; }
    const SendOptions &options() const { return m_options; }
    /// The flow control to use (not owned; may be shared by several engines on this thread, which
    /// then must send to the same stream with the same map; its owner sets its limits, e.g. from
    /// ShardLimits::forEndpoint() or the client's advertisedLimits()). Without one the engine makes
    /// its own, with the limits the endpoint advertised or its URL implies. A run applies its
    /// options (rate, concurrency, pacing on/off) and its map's shard count to the controller, and
    /// limits the endpoint advertises in the run's answers.
    void setFlowController(FlowController *flow);
    FlowController *flowController();
    /// Test hook: uniform random numbers in [0, 1) for the backoff jitter.
    void setRandom(std::function<double()> uniform01) { m_random = std::move(uniform01); }

    /// Sends the given rows that have not succeeded yet (pending, failed or cancelled ones).
    void send(std::vector<int> rows);
    /// Sends every row that has not succeeded.
    void sendAll();
    /// Resends exactly the given rows that failed or were cancelled; others are left alone.
    void retry(std::vector<int> rows);
    /// Resends every failed or cancelled row.
    void retryAllFailed();
    /// Stops starting requests: queued rows go back to pending, requests in flight finish.
    void cancel();
    /// Like cancel(), and aborts requests in flight; their rows become cancelled (the service
    /// may or may not have written them).
    void abort();

    bool isRunning() const { return m_running; }
    const SendCounters &counters() const { return m_counters; }

Q_SIGNALS:
    /// Rows whose status or outcome changed (in bursts of up to one request).
    void rowsChanged(const QList<int> &rows);
    /// Instead of rowsChanged when a step changed more rows than kManyRows (the start of a large
    /// run): listeners refresh everything rather than look at a list of a million rows.
    void manyRowsChanged();
    void countersChanged(const kwb::send::SendCounters &counters);
    /// The run ended: every row of it is succeeded, failed or pending (cancelled run).
    void finished(const kwb::send::SendCounters &counters);
    /// One HTTP request done, for logs.
    void requestLogged(const kwb::net::RequestLogEntry &entry);

private:
    /// The request a batch went in, for each row's attempt.
    struct RequestInfo
    {
        qint32 number = 0; ///< counted by the engine over all its runs, 1 = first
        qint32 bytes = 0;  ///< body size
        int records = 0;
        qint64 startedMs = 0;      ///< wall clock, ms since the epoch
        qint64 startedClockMs = 0; ///< run clock
        qint64 latencyMs = 0;      ///< once answered
    };

    struct Waiting
    {
        qint64 readyAtMs;
        int row;
        bool operator>(const Waiting &other) const { return readyAtMs > other.readyAtMs; }
    };

    void start(std::vector<int> rows);
    /// start() for SendOptions::aggregate: admits the rows, then AggregatedSend packs and sends.
    void startAggregated(std::vector<int> rows);
    bool admit(int row);
    /// The next row of the run not yet taken, admitted; -1 when there is none (or when this call
    /// refused kScanLimit rows already: scheduleWake() comes back for the rest).
    int takeFresh();
    /// Pacing: moves up to a chunk of fresh rows into their shards' queues.
    void distributeFresh();
    bool hasQueued() const;
    /// Reports the rows takeFresh() refused (rowsChanged) since the last call.
    void flushRefused();
    /// Puts an admitted row at the back of its queue (its shard's when pacing).
    void enqueue(int row);
    void pump();
    void pumpOrdered();
    /// Sets the row's predicted shard (as it goes into a request).
    void predict(int row);
    std::vector<int> takeBatch();
    void sendBatch(std::vector<int> rows);
    void sendOrdered(int row);
    /// Marks the rows in flight, counts the request they go in and says so (changed()).
    RequestInfo beginRequest(const std::vector<int> &rows);
    /// The request with its latency, as its answer arrives.
    RequestInfo answered(RequestInfo request) const;
    /// Starts a call with `start(callback)` and keeps it where abort() reaches it until it is
    /// answered; then `done(result)`.
    template<typename T, typename Start, typename Done>
    void track(Start start, Done done);
    void batchDone(const std::vector<int> &rows, const RequestInfo &request, Result<net::PutRecordsResult> result);
    void orderedDone(int row, const RequestInfo &request, Result<net::PutRecordResult> result);
    void requestFailed(const std::vector<int> &rows, const RequestInfo &request, const Error &error);
    /// `position`: the row's place in the request.
    void recordAttempt(int row, const RequestInfo &request, int position, AttemptOutcome outcome, const QString &code,
                       const QString &message);
    /// Records a failed attempt (Throttled when the class says so) and counts a throttle.
    void attemptFailed(int row, const RequestInfo &request, int position, RetryClass retryClass, AttemptOutcome outcome,
                       const QString &code, const QString &message);
    /// Applies the limits the endpoint advertised, if they are new.
    void followAdvertisedLimits();
    /// Counts an attempt of the row as it goes into a request.
    void noteAttempt(int row);
    /// Fails the row (for good when `retryClass` is Fatal), or queues it for another attempt.
    void retryOrFail(int row, RetryClass retryClass, const QString &code, const QString &message);
    void succeeded(int row, qint32 shardId, const QString &sequenceNumber);
    void releaseWaiting();
    void scheduleWake();
    void maybeFinish();
    /// The run ended: says so with its final counters.
    void endRun();
    void changed(const std::vector<int> &rows);
    qint64 nowMs() const { return m_clock.elapsed(); }
    int shardOf(int row) const;

    net::KinesisClient *m_client;
    const RecordStore *m_store;
    SendResults *m_results;
    QString m_stream;
    ShardMap m_map;
    SendOptions m_options;
    std::function<double()> m_random;
    FlowController *m_flow = nullptr;
    FlowController *m_ownFlow = nullptr;
    std::optional<net::AdvertisedLimits> m_followed;
    RetryPolicy m_policy;

    bool m_running = false;
    bool m_stopping = false;
    QElapsedTimer m_clock;
    ZeroedArray<quint16> m_runAttempts; ///< attempts of each row in this run
    ZeroedArray<qint32> m_nextDelayMs;  ///< delay before each row's next attempt
    ZeroedArray<qint32> m_firstAttemptMs; ///< run clock at each row's first attempt, + 1 (0 = none yet)
    /// The run's rows not taken yet (from m_freshNext on). They show Queued from the start, and
    /// are admitted (checked, refused with a reason) as they are taken, so Send all with a
    /// million rows costs a pass over the status column, not a queue entry a row.
    std::vector<int> m_fresh;
    size_t m_freshNext = 0;
    int m_refusedThisScan = 0;
    std::vector<int> m_refused;             ///< refused since the last changed()
    std::vector<std::deque<int>> m_queues;  ///< admitted rows (retries), one per shard when pacing, else one
    std::vector<qint32> m_openShardIds;     ///< interned ids of the map's open shards, by open index
    bool m_pacing = false;
    qint64 m_answerAtMs = 0; ///< when the answer being handled arrived: its retries become due together
    size_t m_roundRobin = 0;
    std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> m_waiting;
    QTimer *m_wake = nullptr;
    QSet<net::KinesisCall *> m_calls;
    int m_inFlightRequests = 0;
    QHash<QByteArray, QString> m_lastSequenceByKey; ///< ordered mode
    RecordVerifier *m_verifier; ///< the read-back of SendOptions::verify; child
    SendCounters m_counters;
    AggregatedSend *m_aggregated = nullptr; ///< the aggregated run going on (or the last one); child
    SendCounters m_aggregateBase;           ///< its rows refused before packing
    bool m_aggregating = false;             ///< the run going on is an aggregated one
    qint32 m_requestNumber = 0; ///< requests made over all runs: a retry's request has its own number
};

} // namespace kwb::send
