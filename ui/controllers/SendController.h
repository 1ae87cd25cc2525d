#pragma once

#include "ShardMap.h"
#include "net/KinesisTypes.h"
#include "send/SendEngine.h"
#include "workspace/WorkspaceFile.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace kwb::sandbox {
class SandboxServer;
}

namespace kwb::ui {

class Workspace;

/// What a Send or Retry click does, decided by SendController::decideSend/decideRetry before
/// anything is sent: the rows, whether they go as a second copy, and the question to ask first
/// (empty: go without asking). The window only asks; SendController::carryOut does the rest.
struct SendDecision
{
    enum class Action { Send, SendAgain, RetryFailed };
    Action action = Action::Send;
    /// Store rows (Send, SendAgain); moved along, not copied: a million of them are 4 MB.
    std::vector<int> rows;
    /// Asked with Yes/Cancel before sending; empty when nothing needs asking.
    QString question;
    /// Said in the status bar once the send started; may be empty.
    QString note;
};

/// Runs sends of a Workspace's rows through a send::SendEngine: send all, send selected, retry
/// failed, cancel. Locks the workspace while a run goes on (the engine reads the store), keeps
/// rows whose explicit hash key does not parse out of the run (marked failed, with the reason),
/// forwards per-row outcome bursts to the workspace and request log entries to the log, and
/// reports live counters with a records/s rate at most every kCounterIntervalMs.
/// The engine is rebuilt for each client; one send::FlowController (owned) paces every run, so
/// a Retry right after a Send knows what the shards just took. The target's write limits feed
/// it: the built-in sandbox's current limits when the client talks to it, AWS's documented ones
/// for AWS, learned from throttles elsewhere. Lives on the GUI thread; does not own the
/// workspace, the client or the sandbox server.
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
    /// A paused run (pause()) goes on by itself once the target is back: a client, the paused
    /// run's stream and its shard map.
    void setShardMap(ShardMap map);
    /// The send options: owned here, shown and edited by the Send bar (SendBar::bind);
    /// optionsChanged() when they change.
    void setOptions(const send::SendOptions &options);
    const send::SendOptions &options() const { return m_options; }
    /// The options a workspace file keeps, and taking them back from one (the others stay).
    workspace::SavedSendSettings savedOptions() const;
    void applySavedOptions(const workspace::SavedSendSettings &saved);
    /// The stream's largest record (the workspace's): aggregated records stay within it.
    qint64 maxRecordBytes() const;
    /// The built-in sandbox (may be null): when the client talks to it, its current limits pace sends.
    void setSandboxServer(sandbox::SandboxServer *server);
    /// Reads the sandbox's limits again (after the Sandbox panel changed them).
    void refreshSandboxLimits();
    /// The current target's per-shard write limits, as the flow control uses them.
    const send::ShardLimits &targetLimits() const { return m_flow->limits(); }
    send::FlowController *flowController() const { return m_flow; }
    /// Test hook: the backoff jitter source.
    void setRandom(std::function<double()> uniform01);

    /// Empty when a send can start; else why not, in words.
    QString whyNotReady() const;
    bool isRunning() const { return m_engine && m_engine->isRunning(); }

    /// What sending `storeRows` means: asks first when every row succeeded already (sending is
    /// writing them again) or when `productionTarget` (the target's label, empty when the target is
    /// not marked production) would get them; rows that succeeded already are not sent again.
    /// When no send can start the decision is a plain Send, which carryOut() refuses with the reason.
    SendDecision decideSend(std::vector<int> storeRows, bool selected, const QString &productionTarget) const;
    /// Retry failed: asks first only for a production target.
    SendDecision decideRetry(const QString &productionTarget) const;
    /// Does what `decision` says (after its question was answered Yes).
    bool carryOut(SendDecision decision);

    /// Each returns false (and emits refused()) when a send cannot start.
    bool sendAll();
    bool sendRows(std::vector<int> storeRows);
    bool retryFailed();
    /// Sends the rows even though they succeeded: their outcomes go back to pending first, and
    /// the stream gets the records a second time, as new records.
    bool sendAgain(const std::vector<int> &storeRows);
    /// Stops starting requests; requests in flight finish.
    void cancel();
    /// Also aborts requests in flight (their rows become cancelled).
    void abort();
    /// Pauses a running send because its credentials are about to end (an SSO sign-in that
    /// ended): stops like cancel(), so no row fails for want of credentials, and remembers the rows
    /// the run had not finished. Once signed in again and back on the same stream (setShardMap),
    /// the run resumes with those rows. Any other send, or rows replaced, forgets the pause.
    void pause();
    bool isPaused() const { return m_paused.has_value(); }
    /// The paused run's rows that are still to send.
    int pausedRowCount() const;

    const send::SendCounters &counters() const { return m_counters; }
    double recordsPerSecond() const { return m_rate; }
    /// Rows failed or cancelled, counted when the last run ended (or after retryable changes).
    int failedRows() const { return m_failedRows; }
    /// Counts failed rows again (after edits or loads).
    void recountFailed();

Q_SIGNALS:
    void optionsChanged(const kwb::send::SendOptions &options);
    void runningChanged(bool running);
    void countersChanged(const kwb::send::SendCounters &counters, double recordsPerSecond);
    void finished(const kwb::send::SendCounters &counters);
    void requestLogged(const kwb::net::RequestLogEntry &entry);
    void failedRowsChanged(int count);
    void refused(const QString &why);
    /// The target's limits changed (another target, or the sandbox's limits were changed).
    void limitsChanged(const kwb::send::ShardLimits &limits);
    /// The stream's largest record changed (another stream, or a workspace opened).
    void maxRecordBytesChanged(qint64 bytes);
    /// A run was paused (pause()), or a paused run resumed or was forgotten.
    void pausedChanged(bool paused);
    /// A paused run went on by itself with `rows` rows, the target being back.
    void resumed(int rows);

private:
    enum class Mode { Send, Retry };
    bool start(Mode mode, std::vector<int> rows);
    void ensureEngine();
    void onCounters(const send::SendCounters &counters);
    void onFinished(const send::SendCounters &counters);
    void emitCounters();
    void applyTargetLimits();
    /// The rows were replaced or changed in number: the last run's counters no longer describe them.
    void forgetCounters();
    void forgetPause();
    void resumeIfBack();

    Workspace *m_workspace;
    QPointer<net::KinesisClient> m_client;
    send::SendEngine *m_engine = nullptr;
    send::FlowController *m_flow = nullptr;
    QPointer<sandbox::SandboxServer> m_sandbox;
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
    qint64 m_maxRecordBytes = 0; ///< as last announced (maxRecordBytesChanged)
    struct Paused
    {
        QString stream;
        std::vector<int> rows; ///< queued or waiting for a retry when the run paused
    };
    std::optional<Paused> m_paused;
};

} // namespace kwb::ui
