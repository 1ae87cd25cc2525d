#pragma once

#include "generate/RateSchedule.h"
#include "workspace/SavedGenerator.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace kwb::ui {

/// The Generate dock's run settings: records per second (or per shard per second), an optional
/// ramp to another rate over some seconds, bursts of extra records at moments of the run, the
/// end (a count, seconds, or until stopped), and how many rows the records table keeps while
/// the run goes. Turns them into the RateSchedule the run follows, and to and from their saved
/// form in the workspace. GUI thread.
class RateControls : public QWidget
{
    Q_OBJECT
public:
    explicit RateControls(QWidget *parent = nullptr);

    /// The schedule for a stream of `shards` open shards, or what is wrong with the bursts
    /// typed ("bursts: ..."); without `withBursts`, the bursts are left out.
    Result<generate::RateSchedule> schedule(int shards, bool withBursts = true) const;
    /// The bursts typed, parsed (empty when they do not parse).
    std::vector<generate::RateSchedule::Burst> bursts() const;
    int windowRows() const;

    /// Writes the run settings into `saved` (the templates are the panel's).
    void save(workspace::SavedGenerator &saved) const;
    void restore(const workspace::SavedGenerator &saved);
    /// While a run goes, the settings are shown, not changed.
    void setRunning(bool running);

Q_SIGNALS:
    /// A setting changed (the forecast follows).
    void changed();

private:
    void updateEnabled();

    QSpinBox *m_rate;
    QCheckBox *m_perShard;
    QComboBox *m_end;
    QSpinBox *m_endValue;
    QCheckBox *m_ramp;
    QSpinBox *m_rampTo;
    QSpinBox *m_rampSeconds;
    QLineEdit *m_bursts;
    QLabel *m_burstError;
    QSpinBox *m_window;
    bool m_running = false;
};

} // namespace kwb::ui
