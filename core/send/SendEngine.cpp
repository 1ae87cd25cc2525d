#include "SendEngine.h"

#include "Logging.h"
#include "net/JsonWriter.h"
#include "send/AggregatedSend.h"
#include "send/RowAdmission.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace kwb::send {

namespace {

constexpr qint64 kPacingTickMs = FlowController::kTickMs;
/// At most this many rows are refused by one takeFresh() before the event loop runs again.
constexpr int kScanLimit = 4096;
/// Pacing: fresh rows moved into the shards' queues per pump.
constexpr size_t kDistributeChunk = 32768;

QList<int> toList(const std::vector<int> &rows)
{
    return QList<int>(rows.begin(), rows.end());
}

} // namespace

SendEngine::SendEngine(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
    , m_results(results)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
    , m_wake(new QTimer(this))
    , m_verifier(new RecordVerifier(client, store, results, this))
{
    m_verifier->setRandom([this] { return m_random(); });
    connect(m_verifier, &RecordVerifier::rowVerified, this, [this](int row, VerifyState state) {
        if (state == VerifyState::Verified)
            ++m_counters.verified;
        else if (state != VerifyState::NotVerified) // NotVerified: the run was stopped
            ++m_counters.mismatched;
        changed({row});
        maybeFinish();
    });
    m_wake->setSingleShot(true);
    connect(m_wake, &QTimer::timeout, this, [this] {
        releaseWaiting();
        if (m_options.ordered)
            pumpOrdered();
        else
            pump();
    });
    connect(m_client, &net::KinesisClient::requestFinished, this, &SendEngine::requestLogged);
}

void SendEngine::setFlowController(FlowController *flow)
{
    if (m_flow)
        disconnect(m_flow, nullptr, this, nullptr);
    m_flow = flow;
    if (!m_flow)
        return;
    // Another engine's request came back: a slot this one may be waiting for. Queued, so an
    // engine never re-enters another one's answer handling.
    connect(m_flow, &FlowController::slotFreed, this, [this] {
        if (m_running && !m_stopping && !m_options.ordered)
            pump();
    }, Qt::QueuedConnection);
}

FlowController *SendEngine::flowController()
{
    if (!m_flow) {
        m_ownFlow = new FlowController(this);
        m_ownFlow->setLimits(ShardLimits::forEndpoint(m_client->options().endpoint));
        setFlowController(m_ownFlow);
    }
    return m_flow;
}

void SendEngine::followAdvertisedLimits()
{
    // An endpoint that says what its limits are (the built-in sandbox, also when they change
    // while a run goes on) is paced to exactly those.
    const auto &advertised = m_client->advertisedLimits();
    if (!advertised || advertised == m_followed)
        return;
    m_followed = advertised;
    m_flow->setLimits(ShardLimits::advertised(advertised->enabled, advertised->recordsPerSecond, advertised->bytesPerSecond));
}

SendEngine::~SendEngine()
{
    for (net::KinesisCall *call : std::as_const(m_calls))
        call->abort();
}

int SendEngine::shardOf(int row) const
{
    return m_map.isEmpty() ? -1 : m_map.openIndexFor(m_store->hashKey(row));
}

void SendEngine::sendAll()
{
    std::vector<int> rows;
    rows.reserve(size_t(m_store->size()));
    for (int row = 0; row < m_store->size(); ++row)
        rows.push_back(row);
    send(std::move(rows));
}

void SendEngine::send(std::vector<int> rows)
{
    std::erase_if(rows, [this](int row) {
        const RowStatus s = m_results->status(row);
        return s != RowStatus::Pending && s != RowStatus::Failed && s != RowStatus::Cancelled;
    });
    start(std::move(rows));
}

void SendEngine::retry(std::vector<int> rows)
{
    std::erase_if(rows, [this](int row) {
        const RowStatus s = m_results->status(row);
        return s != RowStatus::Failed && s != RowStatus::Cancelled;
    });
    start(std::move(rows));
}

void SendEngine::retryAllFailed()
{
    std::vector<int> rows;
    for (int row = 0; row < m_results->size(); ++row)
        rows.push_back(row);
    retry(std::move(rows));
}

bool SendEngine::admit(int row)
{
    // Refused before sending, with a reason on the row; no request could ever succeed.
    const auto check = RowAdmission::check(m_store->partitionKeyUtf8(row), m_store->recordSize(row), m_options.maxRecordBytes);
    if (!check.ok())
        m_results->markFailed(row, check.error().code, check.error().message, false);
    return check.ok();
}

void SendEngine::start(std::vector<int> rows)
{
    if (m_running && m_aggregating)
        return; // an aggregated run is packed at its start: these rows wait for the next run
    if (!m_running && m_options.aggregate && !m_options.ordered) {
        startAggregated(std::move(rows));
        return;
    }
    if (m_running) {
        // A run that is being cancelled takes no more rows (they would stay queued): they stay
        // as they are, to be sent once it has finished.
        if (m_stopping)
            return;
        // A run is going on: add the rows to it.
        std::vector<int> added;
        for (int row : rows) {
            if (m_results->status(row) == RowStatus::Queued || m_results->status(row) == RowStatus::InFlight)
                continue;
            m_results->clearOutcome(row);
            m_results->setStatus(row, RowStatus::Queued);
            m_runAttempts[size_t(row)] = 0;
            m_firstAttemptMs[size_t(row)] = 0;
            ++m_counters.total;
            ++m_counters.pending;
            m_fresh.push_back(row);
            added.push_back(row);
        }
        changed(added);
        m_options.ordered ? pumpOrdered() : pump();
        return;
    }
    m_running = true;
    m_stopping = false;
    m_counters = SendCounters{};
    m_counters.total = qint64(rows.size());
    m_counters.pending = qint64(rows.size());
    m_clock.start();
    m_runAttempts.reset(size_t(m_store->size()));
    m_nextDelayMs.reset(size_t(m_store->size()));
    m_lastSequenceByKey.clear();
    m_waiting = {};
    m_refused.clear();
    m_policy = m_options.retryPolicy();
    m_verifier->setStream(m_stream);
    m_verifier->reset(m_policy);
    m_firstAttemptMs.reset(size_t(m_store->size()));
    FlowController *flow = flowController();
    // What the endpoint said before this run may be stale (the sandbox's limits changed since):
    // a controller someone else set up keeps their limits until this run's answers speak.
    if (flow == m_ownFlow)
        followAdvertisedLimits();
    flow->setShardCount(m_map.isEmpty() ? 0 : m_map.openShardCount());
    flow->setRatePercent(m_options.ratePercent);
    flow->setConcurrency(m_options.concurrency);
    flow->setPacingEnabled(m_options.flowControl && !m_options.ordered);
    m_pacing = flow->paces() && !m_options.ordered;
    m_queues.assign(m_pacing ? size_t(m_map.openShardCount()) : 1, {});
    m_roundRobin = 0;
    // Each open shard's id interned once; a row gets its predicted shard when it goes into a
    // request (predict()), so a run of a million rows starts without routing every row first.
    m_openShardIds.assign(size_t(m_map.openShardCount()), -1);
    for (int i = 0; i < m_map.openShardCount(); ++i)
        m_openShardIds[size_t(i)] = m_results->intern(m_map.openShard(i).shardId);
    // Column by column: a million rows' outcomes cleared and marked Queued in one pass over each
    // column. Rows are checked as they are taken (takeFresh()).
    m_results->beginRun(rows);
    qCDebug(lcSend) << "run of" << rows.size() << "rows";
    m_fresh = std::move(rows);
    m_freshNext = 0;
    changed(m_fresh);
    if (m_options.ordered)
        pumpOrdered();
    else
        pump();
}

void SendEngine::startAggregated(std::vector<int> rows)
{
    m_running = true;
    m_aggregating = true;
    m_stopping = false;
    m_counters = SendCounters{};
    m_clock.start();
    m_results->beginRun(rows);
    std::vector<int> refused;
    std::erase_if(rows, [&](int row) {
        if (admit(row))
            return false;
        refused.push_back(row);
        return true;
    });
    m_aggregateBase = SendCounters{};
    m_aggregateBase.total = m_aggregateBase.failed = qint64(refused.size());
    if (m_aggregated)
        m_aggregated->deleteLater(); // it may be inside its finished() signal
    m_aggregated = new AggregatedSend(m_client, m_store, m_results, this);
    connect(m_aggregated, &AggregatedSend::rowsChanged, this, [this](const std::vector<int> &changedRows) {
        m_counters = m_aggregated->counters(m_aggregateBase);
        changed(changedRows);
    });
    connect(m_aggregated, &AggregatedSend::finished, this, [this] {
        m_counters = m_aggregated->counters(m_aggregateBase);
        endRun();
    });
    std::vector<int> all = rows;
    all.insert(all.end(), refused.begin(), refused.end());
    const Result<void> started =
        rows.empty() ? Result<void>{} : m_aggregated->start(rows, m_stream, m_map, m_options, flowController(), m_random);
    if (!started.ok()) {
        for (int row : rows)
            m_results->markFailed(row, started.error().code, started.error().message, false);
        m_aggregateBase.total = m_aggregateBase.failed = qint64(all.size());
    }
    m_counters = m_aggregated->counters(m_aggregateBase);
    changed(all);
    // A run that sends nothing ends once the event loop is back, as a run does.
    if (rows.empty() || !started.ok())
        QMetaObject::invokeMethod(this, &SendEngine::endRun, Qt::QueuedConnection);
}

void SendEngine::endRun()
{
    m_running = false;
    m_aggregating = false;
    m_wake->stop();
    m_counters.elapsedMs = nowMs();
    Q_EMIT countersChanged(m_counters);
    Q_EMIT finished(m_counters);
}

int SendEngine::takeFresh()
{
    while (m_freshNext < m_fresh.size() && m_refusedThisScan < kScanLimit) {
        const int row = m_fresh[m_freshNext++];
        if (admit(row))
            return row;
        predict(row); // refused here, but where it would have gone is still worth showing
        ++m_counters.failed;
        --m_counters.pending;
        ++m_refusedThisScan;
        m_refused.push_back(row);
    }
    if (m_freshNext == m_fresh.size() && !m_fresh.empty()) {
        m_fresh.clear();
        m_fresh.shrink_to_fit();
        m_freshNext = 0;
    }
    return -1;
}

void SendEngine::distributeFresh()
{
    for (size_t n = 0; n < kDistributeChunk; ++n) {
        const int row = takeFresh();
        if (row < 0)
            return;
        enqueue(row);
    }
}

bool SendEngine::hasQueued() const
{
    return m_freshNext < m_fresh.size()
        || std::any_of(m_queues.begin(), m_queues.end(), [](const auto &q) { return !q.empty(); });
}

void SendEngine::enqueue(int row)
{
    const size_t queue = m_pacing ? size_t(std::max(0, shardOf(row))) : 0;
    m_queues[queue].push_back(row);
}

void SendEngine::predict(int row)
{
    if (!m_openShardIds.empty())
        m_results->setPredictedShardIdInterned(row, m_openShardIds[size_t(m_map.openIndexFor(m_store->hashKey(row)))]);
}

std::vector<int> SendEngine::takeBatch()
{
    std::vector<int> batch;
    qint64 bytes = 0;
    const auto fits = [&](int row) {
        const qint64 size = m_store->recordSize(row);
        // A record alone may exceed a lowered request budget; it still goes, alone.
        return int(batch.size()) < m_options.maxRecordsPerRequest
            && (batch.empty() || bytes + size <= m_options.maxRequestBytes);
    };
    if (!m_pacing) {
        // The run's fresh rows first, then the retries that came due meanwhile.
        while (int(batch.size()) < m_options.maxRecordsPerRequest) {
            int row = takeFresh();
            if (row >= 0 && !fits(row)) {
                // Admitting has no side effect: the row is taken again by the next batch.
                --m_freshNext;
                break;
            }
            if (row < 0) {
                if (m_freshNext < m_fresh.size())
                    break; // scan limit: the rest after the event loop ran
                auto &queue = m_queues.front();
                if (queue.empty() || !fits(queue.front()))
                    break;
                row = queue.front();
                queue.pop_front();
            }
            bytes += m_store->recordSize(row);
            predict(row);
            batch.push_back(row);
        }
        return batch;
    }
    // Pacing: round-robin over the shards that have rows and budget.
    distributeFresh();
    const size_t shards = m_queues.size();
    bool progress = true;
    while (progress && int(batch.size()) < m_options.maxRecordsPerRequest) {
        progress = false;
        for (size_t k = 0; k < shards; ++k) {
            const size_t shard = (m_roundRobin + k) % shards;
            auto &queue = m_queues[shard];
            if (queue.empty() || !fits(queue.front()))
                continue;
            if (!m_flow->tryTake(int(shard), m_store->recordSize(queue.front())))
                continue;
            bytes += m_store->recordSize(queue.front());
            predict(queue.front());
            batch.push_back(queue.front());
            queue.pop_front();
            progress = true;
        }
        m_roundRobin = (m_roundRobin + 1) % shards;
    }
    return batch;
}

void SendEngine::pump()
{
    // An aggregated run is pumped by its own inner engine (a freed slot may still call here).
    if (!m_running || m_aggregating)
        return;
    m_refusedThisScan = 0;
    while (!m_stopping && m_flow->mayStartRequest()) {
        std::vector<int> batch = takeBatch();
        if (batch.empty())
            break;
        sendBatch(std::move(batch));
    }
    flushRefused();
    scheduleWake();
    maybeFinish();
}

void SendEngine::sendBatch(std::vector<int> rows)
{
    QByteArray body;
    qsizetype estimate = 64 + m_stream.size() * 6;
    for (int row : rows)
        estimate += net::putRecordsEntryEstimate(m_store->partitionKeyUtf8(row).size(), m_store->data(row).size());
    body.reserve(estimate);
    net::beginPutRecordsBody(body, m_stream);
    bool first = true;
    for (int row : rows) {
        net::appendPutRecordsEntry(body, first, m_store->partitionKeyUtf8(row), m_store->data(row),
                                   m_store->optionalExplicitHashKey(row));
        first = false;
    }
    net::endPutRecordsBody(body);
    m_flow->requestStarted();
    const RequestInfo request = beginRequest(rows);
    const int count = int(rows.size());
    track<net::PutRecordsResult>(
        [&](auto answered) { return m_client->putRecordsBody(std::move(body), count, this, std::move(answered)); },
        [this, rows = std::move(rows), request](Result<net::PutRecordsResult> r) {
            const RequestInfo answered = this->answered(request);
            m_flow->requestFinished(answered.latencyMs, int(rows.size()));
            batchDone(rows, answered, std::move(r));
        });
}

SendEngine::RequestInfo SendEngine::beginRequest(const std::vector<int> &rows)
{
    qint64 payload = 0;
    for (int row : rows) {
        m_results->setStatus(row, RowStatus::InFlight);
        noteAttempt(row);
        payload += m_store->recordSize(row);
    }
    m_counters.pending -= qint64(rows.size());
    m_counters.inFlight += qint64(rows.size());
    ++m_counters.requests;
    ++m_inFlightRequests;
    changed(rows);
    RequestInfo request{++m_requestNumber, qint32(std::min<qint64>(payload, INT32_MAX)), int(rows.size())};
    request.startedMs = QDateTime::currentMSecsSinceEpoch();
    request.startedClockMs = nowMs();
    return request;
}

SendEngine::RequestInfo SendEngine::answered(RequestInfo request) const
{
    request.latencyMs = nowMs() - request.startedClockMs;
    return request;
}

template<typename T, typename Start, typename Done>
void SendEngine::track(Start start, Done done)
{
    // The call is known once started, and abort() reaches it while it is in flight. An answer
    // given at once (before start() returned) leaves nothing to track.
    auto call = std::make_shared<net::KinesisCall *>(nullptr);
    *call = start([this, call, done = std::move(done)](Result<T> r) mutable {
        m_calls.remove(*call);
        --m_inFlightRequests;
        done(std::move(r));
    });
    if (!(*call)->isFinished())
        m_calls.insert(*call);
}

void SendEngine::recordAttempt(int row, const RequestInfo &request, int position, AttemptOutcome outcome, const QString &code,
                               const QString &message)
{
    Attempt attempt;
    attempt.request = request.number;
    attempt.requestBytes = request.bytes;
    attempt.position = quint32(std::min(position, Attempt::kMaxRequestRecords));
    attempt.requestRecords = quint32(std::min(request.records, Attempt::kMaxRequestRecords));
    attempt.startedMs = request.startedMs;
    attempt.delayMs = m_nextDelayMs[size_t(row)];
    attempt.latencyMs = qint32(request.latencyMs);
    attempt.outcome = outcome;
    attempt.code = m_results->intern(code);
    attempt.message = m_results->intern(message);
    m_results->addAttempt(row, attempt);
    m_nextDelayMs[size_t(row)] = 0;
}

void SendEngine::succeeded(int row, qint32 shardId, const QString &sequenceNumber)
{
    m_results->markSucceededInterned(row, shardId, sequenceNumber);
    ++m_counters.succeeded;
    m_counters.bytesSucceeded += m_store->recordSize(row);
    if (m_options.verify)
        m_verifier->add(row);
}

void SendEngine::batchDone(const std::vector<int> &rows, const RequestInfo &request, Result<net::PutRecordsResult> result)
{
    m_counters.inFlight -= qint64(rows.size());
    m_answerAtMs = nowMs();
    followAdvertisedLimits();
    if (!result.ok()) {
        requestFailed(rows, request, result.error());
    } else {
        const auto &entries = result.value().records;
        // An answer names a few shards: each is interned once per answer, not per row (the
        // answer's reader gives equal ids one shared QString, so most lookups end at a pointer).
        std::vector<std::pair<QString, qint32>> shards;
        const auto internShard = [&](const QString &id) {
            for (const auto &[text, interned] : shards)
                if (text.constData() == id.constData() || text == id)
                    return interned;
            const qint32 interned = m_results->intern(id);
            if (shards.size() < 64)
                shards.emplace_back(id, interned);
            return interned;
        };
        for (size_t i = 0; i < rows.size(); ++i) {
            const int row = rows[i];
            const net::PutRecordsEntry &entry = entries[i];
            if (entry.succeeded()) {
                recordAttempt(row, request, int(i), AttemptOutcome::Succeeded, {}, {});
                succeeded(row, internShard(entry.shardId), entry.sequenceNumber);
                if (m_pacing)
                    m_flow->recordAccepted(shardOf(row));
                continue;
            }
            const RetryClass retryClass = RetryPolicy::classifyRecord(entry.errorCode);
            attemptFailed(row, request, int(i), retryClass, AttemptOutcome::Failed, entry.errorCode, entry.errorMessage);
            retryOrFail(row, retryClass, entry.errorCode, entry.errorMessage);
        }
    }
    changed(rows);
    pump();
}

void SendEngine::requestFailed(const std::vector<int> &rows, const RequestInfo &request, const Error &error)
{
    const RetryClass retryClass = RetryPolicy::classify(error);
    for (size_t i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        attemptFailed(row, request, int(i), retryClass, AttemptOutcome::RequestFailed, error.code, error.message);
        if (error.kind == Error::Kind::Cancelled) {
            m_results->markFailed(row, QStringLiteral("Cancelled"),
                                  QStringLiteral("the request was aborted in flight; the service may or may not have "
                                                 "written this record"),
                                  true);
            m_results->setStatus(row, RowStatus::Cancelled);
        } else {
            retryOrFail(row, retryClass, error.code, error.message);
        }
    }
}

void SendEngine::attemptFailed(int row, const RequestInfo &request, int position, RetryClass retryClass, AttemptOutcome outcome,
                               const QString &code, const QString &message)
{
    const bool throttled = retryClass == RetryClass::Throttle;
    if (throttled) {
        ++m_counters.throttled;
        if (m_pacing)
            m_flow->recordThrottled(shardOf(row));
    }
    recordAttempt(row, request, position, throttled ? AttemptOutcome::Throttled : outcome, code, message);
}

void SendEngine::noteAttempt(int row)
{
    if (m_runAttempts[size_t(row)] == 0) {
        ++m_counters.attempted;
        m_firstAttemptMs[size_t(row)] = qint32(nowMs() + 1);
    } else {
        ++m_counters.retried;
    }
    ++m_runAttempts[size_t(row)];
}

void SendEngine::retryOrFail(int row, RetryClass retryClass, const QString &code, const QString &message)
{
    if (retryClass == RetryClass::Fatal) {
        m_results->markFailed(row, code, message, false);
        ++m_counters.failed;
        return;
    }
    const int attempts = m_runAttempts[size_t(row)];
    const qint64 first = m_firstAttemptMs[size_t(row)];
    const qint64 since = first > 0 ? nowMs() - (first - 1) : 0;
    if (m_stopping || !m_policy.shouldRetry(retryClass, attempts, since)) {
        const QString reason = m_stopping ? message
                                          : QStringLiteral("%1 (%2)").arg(message, m_policy.giveUpReason(retryClass, attempts, since));
        m_results->markFailed(row, code, reason, true);
        ++m_counters.failed;
        return;
    }
    const qint64 delay = m_policy.delayMs(attempts, m_random(), retryClass, m_pacing);
    m_nextDelayMs[size_t(row)] = qint32(delay);
    m_results->markFailed(row, code, message, true);
    m_results->setStatus(row, RowStatus::Queued);
    m_waiting.push({m_answerAtMs + delay, row});
    ++m_counters.pending;
}

void SendEngine::releaseWaiting()
{
    const qint64 now = nowMs();
    while (!m_waiting.empty() && m_waiting.top().readyAtMs <= now) {
        // Still Queued and counted pending since retryOrFail(); only its place changes.
        const int row = m_waiting.top().row;
        m_waiting.pop();
        if (m_options.ordered)
            m_queues.front().push_front(row); // before later rows, to keep the order
        else
            enqueue(row);
    }
}

void SendEngine::scheduleWake()
{
    if (!m_running || m_stopping)
        return;
    qint64 due = -1;
    if (!m_waiting.empty())
        due = std::max<qint64>(0, m_waiting.top().readyAtMs - nowMs());
    // Waiting for a request slot needs no timer: slotFreed() (or this engine's own answer) pumps.
    const bool slot = m_options.ordered ? m_inFlightRequests == 0 : m_flow->mayStartRequest();
    if (m_pacing && hasQueued() && slot)
        due = due < 0 ? kPacingTickMs : std::min(due, kPacingTickMs);
    // Rows left unscanned after refusing kScanLimit rows: the rest as soon as events ran.
    if (!m_pacing && m_freshNext < m_fresh.size() && slot)
        due = 0;
    if (due >= 0 && (!m_wake->isActive() || m_wake->remainingTime() > due))
        m_wake->start(int(due));
}

void SendEngine::pumpOrdered()
{
    if (!m_running)
        return;
    m_refusedThisScan = 0;
    if (!m_stopping && m_inFlightRequests == 0) {
        // A retry goes first (it was put back in front), then the run's next row; while a
        // retry waits for its backoff, later rows wait too, or they would overtake it.
        int row = -1;
        if (!m_queues.front().empty()) {
            row = m_queues.front().front();
            m_queues.front().pop_front();
        } else if (m_waiting.empty()) {
            row = takeFresh();
        }
        if (row >= 0) {
            predict(row);
            sendOrdered(row);
        }
    }
    flushRefused();
    scheduleWake();
    maybeFinish();
}

void SendEngine::sendOrdered(int row)
{
    const RequestInfo request = beginRequest({row});
    const QByteArray key = m_store->partitionKeyUtf8(row).toByteArray();
    track<net::PutRecordResult>(
        [&](auto answered) {
            return m_client->putRecord(m_stream, m_store->record(row), m_lastSequenceByKey.value(key), this, std::move(answered));
        },
        [this, row, request](Result<net::PutRecordResult> r) { orderedDone(row, answered(request), std::move(r)); });
}

void SendEngine::orderedDone(int row, const RequestInfo &request, Result<net::PutRecordResult> result)
{
    --m_counters.inFlight;
    m_answerAtMs = nowMs();
    if (result.ok()) {
        recordAttempt(row, request, 0, AttemptOutcome::Succeeded, {}, {});
        succeeded(row, m_results->intern(result.value().shardId), result.value().sequenceNumber);
        m_lastSequenceByKey.insert(m_store->partitionKeyUtf8(row).toByteArray(), result.value().sequenceNumber);
    } else {
        requestFailed({row}, request, result.error());
    }
    changed({row});
    pumpOrdered();
}

void SendEngine::cancel()
{
    if (!m_running || m_stopping)
        return;
    if (m_aggregating) {
        m_aggregated->cancel();
        return;
    }
    m_stopping = true;
    m_wake->stop();
    std::vector<int> back(m_fresh.begin() + qptrdiff(m_freshNext), m_fresh.end());
    m_fresh.clear();
    m_freshNext = 0;
    for (auto &queue : m_queues) {
        back.insert(back.end(), queue.begin(), queue.end());
        queue.clear();
    }
    while (!m_waiting.empty()) {
        back.push_back(m_waiting.top().row);
        m_waiting.pop();
    }
    for (int row : back) {
        // A row waiting for a retry keeps its last error, as a failed row; one never sent is pending.
        if (m_results->errorCode(row).isEmpty()) {
            m_results->setStatus(row, RowStatus::Pending);
        } else {
            m_results->setStatus(row, RowStatus::Failed);
            ++m_counters.failed;
        }
    }
    m_counters.pending = 0;
    for (int row : back)
        if (m_results->status(row) == RowStatus::Pending)
            ++m_counters.pending;
    m_verifier->stop();
    back.insert(back.end(), m_refused.begin(), m_refused.end());
    m_refused.clear();
    changed(back);
    maybeFinish();
}

void SendEngine::abort()
{
    if (m_running && m_aggregating) {
        m_aggregated->abort();
        return;
    }
    cancel();
    const auto calls = m_calls;
    for (net::KinesisCall *call : calls)
        call->abort();
}

void SendEngine::maybeFinish()
{
    if (!m_running || m_inFlightRequests > 0 || m_verifier->inFlight() > 0)
        return;
    if (!m_stopping && (hasQueued() || !m_waiting.empty()))
        return;
    if (!m_stopping && m_options.verify && m_verifier->hasUnread()) {
        m_verifier->run(m_flow->maxInFlight());
        return;
    }
    endRun();
}

void SendEngine::flushRefused()
{
    if (m_refused.empty())
        return;
    changed(m_refused);
    m_refused.clear();
}

void SendEngine::changed(const std::vector<int> &rows)
{
    if (rows.size() > size_t(kManyRows))
        Q_EMIT manyRowsChanged();
    else if (!rows.empty())
        Q_EMIT rowsChanged(toList(rows));
    Q_EMIT countersChanged(m_counters);
}

} // namespace kwb::send
