#pragma once

#include "send/SendEngine.h"

#include <QWidget>

class QAction;
class QBoxLayout;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QSpinBox;
class QToolButton;

namespace kwb::ui {

class SendController;

/// The send controls under the table: Send all, Send selected, Retry failed, Cancel (the main
/// window's actions); the run options (requests in flight, attempts, pacing as a share of the
/// target's shard limits, each "auto" by default; ordered PutRecord, verify; KPL aggregation with
/// its size limit, which excludes ordered PutRecord and says so), beside the buttons
/// when there is room and under them when not; and, once a run has started, a progress bar and
/// live counts that tell rows (succeeded, failed, waiting) from the service's answers (throttled,
/// sent again), with the rows/s reaching the stream; cleared when the rows are replaced.
/// "Retry N failed rows" shows whenever failures exist. GUI thread.
class SendBar : public QWidget
{
    Q_OBJECT
public:
    explicit SendBar(QWidget *parent = nullptr);

    void setActions(QAction *sendAll, QAction *sendSelected, QAction *retryFailed, QAction *cancel);
    /// Shows and edits `sender`'s options (the controller owns them; the bar's start as the
    /// defaults), and follows its limits, running state, counters and failed rows.
    void bind(SendController *sender);
    send::SendOptions options() const;
    void setOptions(const send::SendOptions &options);
    /// The target's limits, named in the pacing tooltip.
    void setLimitsText(const send::ShardLimits &limits);
    /// The stream's largest record: the most the aggregated record size limit may be.
    void setMaxRecordBytes(qint64 bytes);

    void setRunning(bool running);
    void setCounters(const send::SendCounters &counters, double recordsPerSecond);
    void setFailedRows(int count);
    /// The counters as one line of plain text (empty before the first run).
    QString countersText() const;

    /// As narrow as the buttons, the options or the counters alone need: the options move under
    /// the buttons when the bar is narrower than both side by side.
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void optionsChanged(const kwb::send::SendOptions &options);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    /// Options beside the buttons when both fit the width, under them otherwise.
    void arrange();
    /// Ordered and Aggregate exclude each other: the one not chosen is disabled, saying why.
    void updateExclusions();

    QBoxLayout *m_controls = nullptr;
    QBoxLayout *m_actionsRow = nullptr;
    QBoxLayout *m_optionsRow = nullptr; ///< m_limitsRow and m_modesRow, beside or stacked
    QBoxLayout *m_limitsRow = nullptr;
    QBoxLayout *m_modesRow = nullptr;
    QBoxLayout *m_progressRow = nullptr;
    QToolButton *m_sendAll = nullptr;
    QToolButton *m_sendSelected = nullptr;
    QToolButton *m_retry = nullptr;
    QToolButton *m_cancel = nullptr;
    QToolButton *m_retryFailedRows = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_attempts = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QCheckBox *m_ordered = nullptr;
    QCheckBox *m_verify = nullptr;
    QCheckBox *m_aggregate = nullptr;
    QSpinBox *m_aggregateKiB = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_counters = nullptr;
    QString m_countersText;
    send::SendOptions m_options;
    /// Inside setOptions(): the controller's echo of the options being set is not applied again.
    bool m_applying = false;
    bool m_running = false;
    int m_failedRows = 0;
};

} // namespace kwb::ui
