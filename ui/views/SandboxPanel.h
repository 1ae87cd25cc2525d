#pragma once

#include "views/ScrollingPanel.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTimer;

namespace kwb::sandbox {
class SandboxServer;
}

namespace kwb::ui {

/// Training controls for the built-in sandbox: per-shard write limits (on/off, scale), injected
/// faults (record failures, 500/503 answers, dropped connections), added latency and the seed
/// that makes a demo repeat, plus live counters of what the sandbox did. Changes apply at once
/// through SandboxServer's live setters; scrolls when the dock is short. GUI thread; the server is
/// owned by main() and outlives it.
class SandboxPanel : public ScrollingPanel
{
    Q_OBJECT
public:
    explicit SandboxPanel(sandbox::SandboxServer *server, QWidget *parent = nullptr);

    /// Limits on at a tenth of AWS's (100 records/s and ~100 KiB/s per shard): a plain send of
    /// the sample data gets throttled, and retries or pacing make it through.
    void provokeThrottling();
    /// 5 % of records fail with InternalFailure and 5 % of requests with 500/503.
    void flakyService();
    /// AWS's limits, no faults, no latency.
    void resetToDefaults();
    /// Reads the server's counters into the label (also every second).
    void refreshStats();
    /// The limits in words: "Limits now 10 records/s and 10.2 KiB/s per shard (× 0.01 of AWS's)."
    QString limitsText() const;

Q_SIGNALS:
    /// The write limits were changed here (shown in the panel too); `text` says what they are.
    void limitsChanged(const QString &text);

private:
    void loadFromServer();
    void apply();

    sandbox::SandboxServer *m_server;
    QCheckBox *m_limits = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
    QDoubleSpinBox *m_recordFailures = nullptr;
    QDoubleSpinBox *m_requestFailures = nullptr;
    QDoubleSpinBox *m_drops = nullptr;
    QSpinBox *m_latency = nullptr;
    QSpinBox *m_seed = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_message = nullptr;
    QTimer *m_refresh = nullptr;
    bool m_loading = false;
};

} // namespace kwb::ui
