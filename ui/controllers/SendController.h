#pragma once

#include "ShardMap.h"
#include "net/KinesisTypes.h"
#include "send/SendEngine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <vector>

namespace kwb::ui {

class Workspace;

/// Runs sends of a Workspace's rows through a send::SendEngine: send all, send selected, retry
/// failed, cancel. Locks the workspace while a run goes on (the engine reads the store), keeps
/// rows whose explicit hash key does not parse out of the run (marked failed, with the reason),
/// forwards per-row outcome bursts to the workspace and request log entries to the log, and
/// reports live counters with a records/s rate at most every kCounterIntervalMs.
/// The engine is rebuilt for each client. Lives on the GUI thread; does not own the workspace
/// or the client.
class SendController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCounterIntervalMs = 100;

    explicit SendController(Workspace *workspace, QObject *parent = nullptr);
    ~SendController() override;

    /// The client to send with; aborts a running send first.
    void setClient(net::KinesisClient *client);
    void setStream(const QString &stream) { m_stream = stream; }
    QString stream() const { return m_stream; }
    /// The stream's shard map (predictions and pacing); empty when no stream map is known.
    void setShardMap(ShardMap map) { m_map = std::move(map); }
    void setOptions(const send::SendOptions &options) { m_options = options; }
    const send::SendOptions &options() const { return m_options; }
    /// Test hook: the backoff jitter source.
    void setRandom(std::function<double()> uniform01);

    /// Empty when a send can start; else why not, in words.
    QString whyNotReady() const;
    bool isRunning() const { return m_engine && m_engine->isRunning(); }

    /// Each returns false (and emits refused()) when a send cannot start.
    bool sendAll();
    bool sendRows(std::vector<int> storeRows);
    bool retryFailed();
    bool retryRows(const std::vector<int> &storeRows);
    /// Sends the rows even though they succeeded: their outcomes go back to pending first, and
    /// the stream gets the records a second time, as new records.
    bool sendAgain(const std::vector<int> &storeRows);
    /// Stops starting requests; requests in flight finish.
    void cancel();
    /// Also aborts requests in flight (their rows become cancelled).
    void abort();

    const send::SendCounters &counters() const { return m_counters; }
    double recordsPerSecond() const { return m_rate; }
    /// Rows failed or cancelled, counted when the last run ended (or after retryable changes).
    int failedRows() const { return m_failedRows; }
    /// Counts failed rows again (after edits or loads).
    void recountFailed();

Q_SIGNALS:
    void runningChanged(bool running);
    void countersChanged(const kwb::send::SendCounters &counters, double recordsPerSecond);
    void finished(const kwb::send::SendCounters &counters);
    void requestLogged(const kwb::net::RequestLogEntry &entry);
    void failedRowsChanged(int count);
    void refused(const QString &why);

private:
    enum class Mode { Send, Retry };
    bool start(Mode mode, std::vector<int> rows);
    void ensureEngine();
    void onCounters(const send::SendCounters &counters);
    void onFinished(const send::SendCounters &counters);
    void emitCounters();

    Workspace *m_workspace;
    QPointer<net::KinesisClient> m_client;
    send::SendEngine *m_engine = nullptr;
    QString m_stream;
    ShardMap m_map;
    send::SendOptions m_options;
    std::function<double()> m_random;
    send::SendCounters m_counters;
    double m_rate = 0;
    std::deque<std::pair<qint64, qint64>> m_samples; ///< (ms, rows done)
    QElapsedTimer m_clock;
    QTimer m_counterTimer;
    int m_failedRows = 0;
    bool m_wasRunning = false;
};

} // namespace kwb::ui
