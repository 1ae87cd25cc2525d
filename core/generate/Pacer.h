#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "generate/PacedSource.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>

class QTimer;

namespace kwb::generate {

/// Runs a PacedSource against the clock: every tick it takes the records due so far and hands
/// them to a sink in chunks (the CLI's and the GUI's streaming put), as long as the sink has
/// room; when it has none, records wait and the run falls behind (behind() says by how much)
/// rather than piling up in memory. Start, pause (the clock stops), resume and stop.
/// Lives on the thread of its sink; never blocks: all waiting is a timer.
class Pacer : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Finished };
    /// Takes a chunk of records; `firstIndex` is the run-wide index of its first record.
    using Sink = std::function<void(RecordStore &&records, qint64 firstIndex)>;

    /// `source` is not owned and must outlive the pacer.
    explicit Pacer(PacedSource *source, QObject *parent = nullptr);
    ~Pacer() override;

    void setSink(Sink sink) { m_sink = std::move(sink); }
    /// Asked before each chunk: false holds records back (default: always room).
    void setRoom(std::function<bool()> room) { m_room = std::move(room); }
    /// Records per chunk at most (default 500, a PutRecords request).
    void setChunkRecords(int records) { m_chunkRecords = std::max(1, records); }
    void setTickMs(int ms);

    void start();
    void pause();
    void resume();
    /// Ends the run now: nothing more is taken; finished() follows.
    void stop();

    State state() const { return m_state; }
    /// Records handed to the sink.
    qint64 produced() const { return m_produced; }
    /// Run time with the paused time left out.
    qint64 elapsedMs() const;
    qint64 behind() const { return m_source->behind(elapsedMs()); }

Q_SIGNALS:
    /// The source has no more records, or stop() was called, or an error came (failed() first).
    void finished();
    void failed(const kwb::Error &error);

private:
    void tick();
    void end();

    PacedSource *m_source;
    Sink m_sink;
    std::function<bool()> m_room;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    qint64 m_pausedTotalMs = 0;
    qint64 m_pausedAtMs = 0;
    qint64 m_produced = 0;
    int m_chunkRecords = 500;
    int m_tickMs = 10;
    State m_state = State::Idle;
};

} // namespace kwb::generate
