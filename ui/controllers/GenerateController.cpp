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
    m_pacer.reset();
    m_put = std::make_unique<send::StreamingPut>(m_client.data());
    m_put->setStream(stream);
    m_put->setShardMap(map);
    m_put->flowController()->setLimits(m_limits);
    connect(m_put.get(), &send::StreamingPut::finished, this, [this](const send::SendCounters &counters) {
        m_sampleTimer->stop();
        takeSample();
        setState(State::Idle);
        Q_EMIT finished(counters);
    });
    m_source = std::make_unique<generate::GeneratorSource>(std::move(generator), schedule);
    m_pacer = std::make_unique<generate::Pacer>(m_source.get());
    m_pacer->setSink([this](RecordStore &&records, qint64 firstIndex) {
        send::RecordChunk chunk;
        chunk.store = std::move(records);
        chunk.results.resize(chunk.store.size());
        chunk.firstIndex = firstIndex;
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
