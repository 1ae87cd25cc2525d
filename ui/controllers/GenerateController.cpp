#include "GenerateController.h"

#include "generate/GeneratorSource.h"
#include "generate/Pacer.h"
#include "net/KinesisClient.h"
#include "send/StreamingPut.h"

#include <QTimer>

namespace kwb::ui {

GenerateController::GenerateController(QObject *parent)
    : QObject(parent)
    , m_sampleTimer(new QTimer(this))
{
    m_sampleTimer->setInterval(1000);
    connect(m_sampleTimer, &QTimer::timeout, this, &GenerateController::takeSample);
}

GenerateController::~GenerateController()
{
    // The pacer holds the source and hands chunks to the put: it goes first, saying nothing; the
    // put then aborts what is in flight.
    if (m_pacer)
        m_pacer->disconnect(this);
    m_pacer.reset();
    if (m_put) {
        m_put->disconnect(this);
        m_put->abort();
    }
    m_put.reset();
}

void GenerateController::setClient(net::KinesisClient *client)
{
    m_client = client;
}

Result<void> GenerateController::start(generate::RecordGenerator generator, const generate::RateSchedule &schedule,
                                       const QString &stream, const ShardMap &map)
{
    if (m_state != State::Idle)
        return Error::input(tr("A run is going: stop it first."));
    if (!m_client)
        return Error::input(tr("Not connected: choose a target in the connection bar first."));
    if (stream.isEmpty())
        return Error::input(tr("No stream: choose the stream to generate into in the connection bar."));
    if (const QString why = m_guard ? m_guard() : QString(); !why.isEmpty())
        return Error::input(why);
    m_pacer.reset();
    m_put = std::make_unique<send::StreamingPut>(m_client.data());
    m_put->setStream(stream);
    m_put->setShardMap(map);
    m_put->flowController()->setLimits(m_limits);
    m_map = map;
    QStringList shardIds;
    for (int i = 0; i < map.openShardCount(); ++i)
        shardIds << map.openShard(i).shardId;
    m_stats.reset(shardIds);
    m_tracks.clear();
    connect(m_put.get(), &send::StreamingPut::rowsChanged, this,
            [this](const send::RecordChunk &chunk, const QList<int> &rows) { onRows(chunk, rows, false); });
    connect(m_put.get(), &send::StreamingPut::chunkFinal, this, [this](const send::RecordChunk &chunk) {
        QList<int> all;
        all.reserve(chunk.store.size());
        for (int row = 0; row < chunk.store.size(); ++row)
            all.append(row);
        onRows(chunk, all, true);
        m_tracks.erase(chunk.firstIndex);
    });
    connect(m_put.get(), &send::StreamingPut::finished, this, [this](const send::SendCounters &counters) {
        m_sampleTimer->stop();
        takeSample();
        setState(State::Idle);
        Q_EMIT finished(counters);
    });
    m_source = std::make_unique<generate::GeneratorSource>(std::move(generator), schedule);
    m_pacer = std::make_unique<generate::Pacer>(m_source.get());
    m_pacer->setSink([this](RecordStore &&records, qint64 firstIndex) {
        send::RecordChunk chunk = send::RecordChunk::fresh(std::move(records), firstIndex);
        Track &track = m_tracks[firstIndex];
        track.attempts.assign(size_t(chunk.store.size()), 0);
        track.final.assign(size_t(chunk.store.size()), false);
        Q_EMIT chunkAdded(chunk);
        m_put->addChunk(std::move(chunk));
    });
    m_pacer->setRoom([this] { return m_put->chunksAlive() < kWindowChunks; });
    connect(m_pacer.get(), &generate::Pacer::failed, this, [this](const Error &error) { Q_EMIT failed(error.message); });
    connect(m_pacer.get(), &generate::Pacer::finished, this, [this] {
        if (m_state != State::Idle)
            setState(State::Stopping);
        m_put->endOfInput();
    });
    m_sample = {};
    m_previous = {};
    m_previousMs = 0;
    setState(State::Running);
    m_pacer->start();
    m_sampleTimer->start();
    return {};
}

void GenerateController::pause()
{
    if (m_state != State::Running)
        return;
    m_pacer->pause();
    setState(State::Paused);
}

void GenerateController::resume()
{
    if (m_state != State::Paused)
        return;
    m_pacer->resume();
    setState(State::Running);
}

void GenerateController::stop()
{
    if (m_state != State::Running && m_state != State::Paused)
        return;
    setState(State::Stopping);
    m_pacer->stop();
}

send::SendCounters GenerateController::counters() const
{
    return m_put ? m_put->counters() : send::SendCounters{};
}

double GenerateController::seconds() const
{
    return m_pacer ? m_pacer->elapsedMs() / 1000.0 : 0.0;
}

void GenerateController::onRows(const send::RecordChunk &chunk, const QList<int> &rows, bool chunkFinal)
{
    const auto found = m_tracks.find(chunk.firstIndex);
    if (found == m_tracks.end())
        return;
    Track &track = found->second;
    const send::SendResults &results = chunk.results;
    const qint64 second = m_pacer ? m_pacer->elapsedMs() / 1000 : 0;
    for (int row : rows) {
        if (track.final[size_t(row)])
            continue;
        const int shard = m_map.isEmpty() ? -1 : m_map.openIndexFor(chunk.store.hashKey(row));
        if (results.attemptCount(row) > track.attempts[size_t(row)]) {
            const std::vector<send::Attempt> attempts = results.attempts(row);
            for (size_t i = track.attempts[size_t(row)]; i < attempts.size(); ++i)
                m_stats.addAttempt(second, shard, attempts[i].outcome, attempts[i].latencyMs);
            track.attempts[size_t(row)] = quint16(attempts.size());
        }
        const send::RowStatus status = results.status(row);
        if (isFinal(status, chunkFinal)) {
            track.final[size_t(row)] = true;
            m_stats.addFinal(shard, status, results.errorCode(row), chunk.store.recordSize(row));
        }
    }
    Q_EMIT rowsUpdated(chunk, rows, chunkFinal);
}

void GenerateController::takeSample()
{
    if (!m_put || !m_pacer)
        return;
    const send::SendCounters now = m_put->counters();
    const qint64 ms = m_pacer->elapsedMs();
    const double seconds = std::max<qint64>(1, ms - m_previousMs) / 1000.0;
    m_sample.seconds = ms / 1000.0;
    m_sample.attemptedPerSecond = (now.attempted - m_previous.attempted) / seconds;
    m_sample.succeededPerSecond = (now.succeeded - m_previous.succeeded) / seconds;
    m_sample.throttledPerSecond = (now.throttled - m_previous.throttled) / seconds;
    m_sample.totals = now;
    m_sample.produced = m_pacer->produced();
    m_sample.behind = m_pacer->behind();
    m_previous = now;
    m_previousMs = ms;
    Q_EMIT sampled(m_sample);
}

void GenerateController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace kwb::ui
