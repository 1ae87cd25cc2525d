#include "generate/Pacer.h"

#include <QTimer>

namespace kwb::generate {

namespace {
/// Chunks one tick hands over at most, so a run that is far behind (or unpaced) still lets the
/// event loop turn between ticks.
constexpr int kChunksPerTick = 16;
}

Pacer::Pacer(PacedSource *source, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(m_tickMs);
    connect(m_timer, &QTimer::timeout, this, &Pacer::tick);
}

Pacer::~Pacer() = default;

void Pacer::setTickMs(int ms)
{
    m_tickMs = std::max(1, ms);
    m_timer->setInterval(m_tickMs);
}

void Pacer::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Running;
    m_clock.start();
    m_timer->start();
    QTimer::singleShot(0, this, &Pacer::tick);
}

void Pacer::pause()
{
    if (m_state != State::Running)
        return;
    m_state = State::Paused;
    m_pausedAtMs = m_clock.elapsed();
    m_timer->stop();
}

void Pacer::resume()
{
    if (m_state != State::Paused)
        return;
    m_pausedTotalMs += m_clock.elapsed() - m_pausedAtMs;
    m_state = State::Running;
    m_timer->start();
}

void Pacer::stop()
{
    if (m_state == State::Finished || m_state == State::Idle) {
        m_state = State::Finished;
        return;
    }
    end();
}

qint64 Pacer::elapsedMs() const
{
    if (m_state == State::Idle)
        return 0;
    if (m_state == State::Paused)
        return m_pausedAtMs - m_pausedTotalMs;
    return m_clock.elapsed() - m_pausedTotalMs;
}

void Pacer::end()
{
    m_timer->stop();
    m_state = State::Finished;
    Q_EMIT finished();
}

void Pacer::tick()
{
    if (m_state != State::Running)
        return;
    const qint64 now = elapsedMs();
    bool more = false;
    for (int i = 0; i < kChunksPerTick; ++i) {
        if (m_room && !m_room())
            break;
        RecordStore chunk;
        auto taken = m_source->take(now, m_chunkRecords, chunk);
        if (!taken.ok()) {
            Q_EMIT failed(taken.error());
            end();
            return;
        }
        if (taken.value() == 0)
            break;
        qint64 chunkBytes = 0;
        for (int row = 0; row < chunk.size(); ++row)
            chunkBytes += chunk.recordSize(row);
        const qint64 first = m_produced;
        m_produced += taken.value();
        if (m_sink)
            m_sink(std::move(chunk), first);
        if (m_state != State::Running)
            return; // the sink stopped the run
        // A full chunk (by records, or by bytes for large records): more may be due.
        more = taken.value() == m_chunkRecords || chunkBytes >= PacedSource::kChunkBytes;
        if (!more)
            break;
    }
    if (m_source->atEnd(now)) {
        end();
        return;
    }
    // Unpaced or behind: come back as soon as the event loop has turned.
    if (more)
        QTimer::singleShot(0, this, &Pacer::tick);
}

} // namespace kwb::generate
