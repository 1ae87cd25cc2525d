#pragma once

#include "Result.h"
#include "sandbox/SandboxIdentityStore.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/SandboxStats.h"

#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

class QThread;

namespace kwb::sandbox {

class SandboxService;
class SandboxSettings;
class SandboxWorker;

/// The built-in sandbox: a Kinesis Data Streams endpoint on 127.0.0.1 (only), speaking AWS JSON
/// 1.1, so the workbench talks to it with the same client as to AWS. Serves on a thread of its
/// own; this object lives on the thread that created it (the GUI's, or the CLI's main thread),
/// and its setters change the behaviour of a running sandbox (they apply from the next request).
/// start() and stop() return promptly: stop() waits only for the worker to close its sockets.
/// The streams are kept across stop() and start() (in memory, or in the data directory).
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(SandboxOptions options = {}, QObject *parent = nullptr);
    ~SandboxServer() override;

    /// The sign-in state of the sandbox's STS and SSO endpoints, with its training knobs and
    /// test hooks (MFA code, denied roles, credential lifetime cap, device approval). Thread-safe.
    SandboxIdentityStore &identity() { return *m_identity; }

    /// Test hook: the clock the sandbox follows. Set it before the first start().
    void setClock(SandboxClock clock);

    /// Opens the data directory (replaying it) the first time, creates the initial streams,
    /// and listens on 127.0.0.1:`port` (0: a free port). The endpoint URL, http://127.0.0.1:PORT.
    Result<QUrl> start(quint16 port = 0);
    /// Stops serving: open connections are closed. Streams are kept for the next start().
    void stop();
    bool isRunning() const { return m_thread != nullptr; }
    QUrl url() const { return m_url; }

    SandboxOptions options() const;
    /// Replaces the options of a running sandbox; dataDir and initialStreams apply only to the
    /// first start(). Does not restart the fault generator (setSeed() does).
    void setOptions(const SandboxOptions &options);
    void setLimitsEnabled(bool enabled);
    /// Multiplies the per-shard limits (1,000 records/s, 1 MiB/s); must be > 0.
    void setLimitScale(double factor);
    void setRecordFailureRate(double rate);
    void setRequestFailureRates(double internalErrorRate, double unavailableRate);
    void setDropConnectionRate(double rate);
    void setLatencyMs(int milliseconds);
    /// Sets the seed and restarts the fault generator from it: the same failures again.
    void setSeed(quint64 seed);
    /// Requires SigV4 signatures made with this key; an empty access key id switches it off.
    void setSignatureKey(const QString &accessKeyId, const QString &secretAccessKey);

    /// Counters since the first start. Thread-safe.
    SandboxStats stats() const;
    /// What opening the data directory noticed (torn tails cut off, ...).
    QStringList notes() const;
    /// The streams' names; only while stopped (the worker owns them while running).
    QStringList streamNames() const;

Q_SIGNALS:
    void started(const QUrl &url);
    void stopped();

private:
    std::shared_ptr<SandboxSettings> m_settings;
    SandboxClock m_clock;
    std::shared_ptr<SandboxIdentityStore> m_identity = std::make_shared<SandboxIdentityStore>();
    std::unique_ptr<SandboxService> m_service;
    QThread *m_thread = nullptr;
    SandboxWorker *m_worker = nullptr;
    QUrl m_url;
};

} // namespace kwb::sandbox
