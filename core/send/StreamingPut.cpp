#include "StreamingPut.h"

#include "Logging.h"
#include "export/ResultsExport.h"

#include <QPointer>
#include <QTimer>

namespace kwb::send {

StreamingPut::StreamingPut(net::KinesisClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_flow(new FlowController(this))
    , m_flushTimer(new QTimer(this))
{
    m_flow->setLimits(ShardLimits::forEndpoint(client->options().endpoint));
    m_clock.start();
    m_flushTimer->setInterval(200);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        if (m_journal)
            journalResult(m_journal->flush());
    });
    m_flushTimer->start();
}

StreamingPut::~StreamingPut() = default;

void StreamingPut::addChunk(RecordChunk chunk)
{
    auto live = std::make_unique<Live>();
    live->chunk = std::move(chunk);
    const int rows = live->chunk.store.size();
    if (live->chunk.results.size() != rows)
        live->chunk.results.resize(rows);
    live->said.assign(size_t(rows), Said::Queued);
    live->untaken = rows;
    if (m_journal)
        for (int row = 0; row < rows; ++row)
            m_journal->queued(live->chunk.store, live->chunk.results, row, live->chunk.indexOf(row));
    m_chunks.push_back(std::move(live));
    if (m_cancelling)
        finishUnstarted(*m_chunks.back());
    else
        startReadyChunks();
}

void StreamingPut::endOfInput()
{
    m_endOfInput = true;
    QMetaObject::invokeMethod(this, &StreamingPut::maybeFinish, Qt::QueuedConnection);
}

qint64 StreamingPut::kinesisRecordIndex(const Live &live, int row)
{
    const SendResults &results = live.chunk.results;
    return results.subSequence(row) < 0 ? -1 : live.chunk.indexOf(results.aggregateFirstRow(row));
}

void StreamingPut::startReadyChunks()
{
    if (m_cancelling)
        return;
    const Live *previous = nullptr;
    for (auto &live : m_chunks) {
        if (!live->started) {
            const bool previousReady = !previous || previous->done
                || (!m_options.ordered && previous->untaken == 0);
            if (!previousReady)
                return;
            start(*live);
            if (m_cancelling)
                return;
        }
        previous = live.get();
    }
}

void StreamingPut::start(Live &live)
{
    live.started = true;
    live.engine = std::make_unique<SendEngine>(m_client, &live.chunk.store, &live.chunk.results);
    live.engine->setStream(m_stream);
    live.engine->setShardMap(m_map);
    live.engine->setOptions(m_options);
    live.engine->setFlowController(m_flow);
    Live *l = &live;
    connect(live.engine.get(), &SendEngine::rowsChanged, this, [this, l](const QList<int> &rows) { onRowsChanged(*l, rows); });
    connect(live.engine.get(), &SendEngine::manyRowsChanged, this, [this, l] {
        QList<int> all;
        all.reserve(l->chunk.store.size());
        for (int row = 0; row < l->chunk.store.size(); ++row)
            all.append(row);
        onRowsChanged(*l, all);
    });
    connect(live.engine.get(), &SendEngine::finished, this, [this, l](const SendCounters &c) { chunkFinished(*l, c); });
    live.engine->sendAll();
}

void StreamingPut::onRowsChanged(Live &live, const QList<int> &rows)
{
    const SendResults &results = live.chunk.results;
    const RecordStore &store = live.chunk.store;
    std::vector<qint64> inFlight;
    std::vector<qint64> waiting;
    const qint64 untakenBefore = live.untaken;
    for (int row : rows) {
        Said &said = live.said[size_t(row)];
        if (said == Said::Final)
            continue;
        const RowStatus status = results.status(row);
        if (said == Said::Queued && status != RowStatus::Queued && status != RowStatus::Pending)
            --live.untaken;
        switch (status) {
        case RowStatus::InFlight:
            if (said != Said::InFlight) {
                inFlight.push_back(live.chunk.indexOf(row));
                said = Said::InFlight;
            }
            break;
        case RowStatus::Queued:
            if (said == Said::InFlight) {
                // Answered with an error that is retried. A request that failed without an
                // answer (a timeout) may have been written: the journal keeps it in flight.
                const std::vector<Attempt> attempts = results.attempts(row);
                if (attempts.empty() || attempts.back().outcome != AttemptOutcome::RequestFailed)
                    waiting.push_back(live.chunk.indexOf(row));
                said = Said::Waiting;
            }
            break;
        case RowStatus::Succeeded:
            if (m_journal) {
                if (m_options.verify && results.verifyState(row) == VerifyState::NotVerified) {
                    if (said != Said::Sent)
                        m_journal->sent(store, results, row, live.chunk.indexOf(row), kinesisRecordIndex(live, row));
                    said = Said::Sent;
                    break;
                }
                m_journal->final(store, results, row, live.chunk.indexOf(row), kinesisRecordIndex(live, row));
            }
            said = Said::Final;
            break;
        case RowStatus::Failed:
            if (m_journal)
                m_journal->final(store, results, row, live.chunk.indexOf(row), kinesisRecordIndex(live, row));
            said = Said::Final;
            break;
        case RowStatus::Pending:
        case RowStatus::Cancelled:
            break; // final once the chunk's run ends (chunkFinished)
        }
    }
    if (m_journal) {
        m_journal->backToQueue(waiting);
        if (!inFlight.empty())
            journalResult(m_journal->inFlight(inFlight));
    }
    Q_EMIT rowsChanged(live.chunk, rows);
    if (untakenBefore > 0 && live.untaken == 0)
        startReadyChunks();
}

void StreamingPut::chunkFinished(Live &live, const SendCounters &c)
{
    if (live.done)
        return;
    live.done = true;
    live.untaken = 0;
    const SendResults &results = live.chunk.results;
    for (int row = 0; row < results.size(); ++row) {
        if (live.said[size_t(row)] != Said::Final && m_journal)
            m_journal->final(live.chunk.store, results, row, live.chunk.indexOf(row), kinesisRecordIndex(live, row));
        live.said[size_t(row)] = Said::Final;
        const RowStatus status = results.status(row);
        m_totals.succeeded += status == RowStatus::Succeeded;
        m_totals.pending += status == RowStatus::Pending;
        m_totals.cancelled += status == RowStatus::Cancelled;
        m_totals.shardMismatches += status == RowStatus::Succeeded && results.shardMismatch(row);
    }
    m_totals.rows += results.size();
    m_done.total += c.total;
    m_done.attempted += c.attempted;
    m_done.succeeded += c.succeeded;
    m_done.failed += c.failed;
    m_done.throttled += c.throttled;
    m_done.retried += c.retried;
    m_done.pending += c.pending;
    m_done.verified += c.verified;
    m_done.mismatched += c.mismatched;
    m_done.requests += c.requests;
    m_done.bytesSucceeded += c.bytesSucceeded;
    if (m_journal)
        journalResult(m_journal->flush());
    // The engine is inside its finished() signal: it and its chunk go once the event loop is back.
    QMetaObject::invokeMethod(this, [this] {
        std::erase_if(m_chunks, [](const std::unique_ptr<Live> &l) { return l->done; });
        maybeFinish();
    }, Qt::QueuedConnection);
    Q_EMIT chunkFinal(live.chunk);
    Q_EMIT chunkDone();
    startReadyChunks();
}

void StreamingPut::finishUnstarted(Live &live)
{
    // Never sent: pending, and said so (a cancelled run keeps them for kwb retry).
    live.started = true;
    SendCounters c;
    c.total = live.chunk.store.size();
    c.pending = c.total;
    chunkFinished(live, c);
}

void StreamingPut::cancel()
{
    if (m_cancelling)
        return;
    m_cancelling = true;
    std::vector<Live *> lives;
    for (auto &live : m_chunks)
        lives.push_back(live.get());
    for (Live *live : lives) {
        if (live->done)
            continue;
        if (!live->engine)
            finishUnstarted(*live);
        else
            live->engine->cancel();
    }
}

void StreamingPut::abort()
{
    cancel();
    std::vector<QPointer<SendEngine>> engines;
    for (auto &live : m_chunks)
        if (!live->done && live->engine)
            engines.push_back(live->engine.get());
    for (const auto &engine : engines)
        if (engine)
            engine->abort();
}

SendCounters StreamingPut::counters() const
{
    SendCounters sum = m_done;
    for (const auto &live : m_chunks) {
        if (live->done)
            continue;
        if (!live->engine) {
            sum.total += live->chunk.store.size();
            sum.pending += live->chunk.store.size();
            continue;
        }
        const SendCounters &c = live->engine->counters();
        sum.total += c.total;
        sum.attempted += c.attempted;
        sum.succeeded += c.succeeded;
        sum.failed += c.failed;
        sum.throttled += c.throttled;
        sum.retried += c.retried;
        sum.pending += c.pending;
        sum.inFlight += c.inFlight;
        sum.verified += c.verified;
        sum.mismatched += c.mismatched;
        sum.requests += c.requests;
        sum.bytesSucceeded += c.bytesSucceeded;
    }
    sum.elapsedMs = m_clock.elapsed();
    return sum;
}

void StreamingPut::journalResult(const Result<void> &result)
{
    if (result.ok() || !m_journalError.isEmpty())
        return;
    // Without a results file that says what happened, sending more would lose track of rows.
    m_journalError = result.error().message;
    qCWarning(lcSend).noquote() << m_journalError;
    QMetaObject::invokeMethod(this, &StreamingPut::cancel, Qt::QueuedConnection);
}

void StreamingPut::maybeFinish()
{
    if (m_finished || !m_endOfInput || !m_chunks.empty())
        return;
    m_finished = true;
    m_flushTimer->stop();
    if (m_journal)
        journalResult(m_journal->flush());
    SendCounters c = m_done;
    c.elapsedMs = m_clock.elapsed();
    Q_EMIT finished(c);
}

} // namespace kwb::send
