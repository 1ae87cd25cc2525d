#pragma once

#include "ShardMap.h"
#include "generate/RateSchedule.h"
#include "generate/RunStats.h"
#include "generate/RecordGenerator.h"
#include "send/FlowController.h"
#include "send/SendEngine.h"
#include "send/StreamingPut.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>
#include <vector>

class QTimer;

namespace kwb::net {
class KinesisClient;
}
namespace kwb::generate {
class GeneratorSource;
class Pacer;
} // namespace kwb::generate

namespace kwb::ui {

/// Runs a generator into a stream: a Pacer makes the records due at the schedule's rate and hands
/// them in chunks to a StreamingPut, the same send engine and flow control as every other send.
/// Memory stays bounded for any length of run: at most kWindowChunks chunks are alive (the pacer
/// waits, and the run falls behind, rather than piling records up), and only running totals are
/// kept. Every second, sample() says what the last second sent. While it runs, stats() follows
/// every attempt and final outcome (per second over a sliding window, and running totals per
/// shard and per outcome), and chunkAdded()/rowsUpdated() let a GenerateRowWindow mirror the
/// newest rows into the records table. GUI thread.
class GenerateController : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };
    /// One second's counts and the run's totals.
    struct Sample
    {
        double seconds = 0;          ///< into the run
        double attemptedPerSecond = 0;
        double succeededPerSecond = 0;
        double throttledPerSecond = 0;
        send::SendCounters totals;
        qint64 produced = 0;         ///< records made so far
        qint64 behind = 0;           ///< due and not made yet
    };
    static constexpr int kWindowChunks = 8;
    static constexpr int kDefaultWindowRows = 10000;

    explicit GenerateController(QObject *parent = nullptr);
    ~GenerateController() override;

    void setClient(net::KinesisClient *client);
    net::KinesisClient *client() const { return m_client; }
    void setLimits(const send::ShardLimits &limits) { m_limits = limits; }
    /// Asked by start(): a reason not to start now (the rows are busy), or empty.
    void setStartGuard(std::function<QString()> guard) { m_guard = std::move(guard); }
    const send::ShardLimits &limits() const { return m_limits; }

    /// Starts a run into `stream`; an error when one is going or there is no connection or stream.
    Result<void> start(generate::RecordGenerator generator, const generate::RateSchedule &schedule, const QString &stream,
                       const ShardMap &map);
    void pause();
    void resume();
    /// Ends the run: nothing more is made; what was handed over is sent, then finished().
    void stop();

    /// How many of the newest rows the records table keeps while a run goes (for the next run).
    void setWindowRows(int rows) { m_windowRows = std::max(1, rows); }
    int windowRows() const { return m_windowRows; }
    /// The run's numbers (kept after it ends, until the next starts).
    const generate::RunStats &stats() const { return m_stats; }
    /// Seconds into the run (the pause left out), as stats() counts them.
    double seconds() const;
    /// True when a row in this state is final: nothing more happens to it.
    static bool isFinal(send::RowStatus status, bool chunkFinal)
    {
        return chunkFinal || status == send::RowStatus::Succeeded || status == send::RowStatus::Failed;
    }

    State state() const { return m_state; }
    const Sample &lastSample() const { return m_sample; }
    /// The run's counts now.
    send::SendCounters counters() const;

Q_SIGNALS:
    void stateChanged(kwb::ui::GenerateController::State state);
    void sampled(const kwb::ui::GenerateController::Sample &sample);
    void finished(const kwb::send::SendCounters &counters);
    void failed(const QString &message);
    /// A chunk of new records goes to the send engine (its rows are queued); only valid during the call.
    void chunkAdded(const kwb::send::RecordChunk &chunk);
    /// Rows of a chunk changed; with `chunkFinal` every row of it is final. Only valid during the call.
    void rowsUpdated(const kwb::send::RecordChunk &chunk, const QList<int> &rows, bool chunkFinal);

private:
    void takeSample();
    void setState(State state);
    void onRows(const send::RecordChunk &chunk, const QList<int> &rows, bool chunkFinal);

    QPointer<net::KinesisClient> m_client;
    send::ShardLimits m_limits = send::ShardLimits::documented();
    std::unique_ptr<generate::GeneratorSource> m_source;
    std::unique_ptr<send::StreamingPut> m_put;
    std::unique_ptr<generate::Pacer> m_pacer;
    QTimer *m_sampleTimer;
    State m_state = State::Idle;
    Sample m_sample;
    send::SendCounters m_previous;
    qint64 m_previousMs = 0;
    int m_windowRows = kDefaultWindowRows;
    std::function<QString()> m_guard;
    generate::RunStats m_stats;
    ShardMap m_map;
    /// Per chunk alive (by its first run index): attempts counted and finality of each row.
    struct Track
    {
        std::vector<quint16> attempts;
        std::vector<bool> final;
    };
    std::map<qint64, Track> m_tracks;
};

} // namespace kwb::ui
