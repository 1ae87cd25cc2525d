#include "views/SendBar.h"

#include "controllers/SendController.h"

#include <QAction>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace kwb::ui {

SendBar::SendBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sendBar"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_actionsRow = new QHBoxLayout;
    const auto button = [this](const char *name) {
        auto *b = new QToolButton(this);
        b->setObjectName(QLatin1String(name));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return b;
    };
    m_sendAll = button("sendAllButton");
    m_sendSelected = button("sendSelectedButton");
    m_retry = button("retryButton");
    m_cancel = button("cancelButton");
    m_retryFailedRows = button("retryFailedRowsButton");
    m_retryFailedRows->setVisible(false);
    m_actionsRow->addWidget(m_sendAll);
    m_actionsRow->addWidget(m_sendSelected);
    m_actionsRow->addWidget(m_retry);
    m_actionsRow->addWidget(m_cancel);
    m_actionsRow->addSpacing(12);
    m_actionsRow->addStretch(1);

    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(0, 64);
    m_concurrency->setSpecialValueText(tr("auto"));
    m_concurrency->setToolTip(tr("Requests in flight at once. Auto follows the measured latency, so a slow link still "
                                 "keeps every shard busy."));
    m_attempts = new QSpinBox(this);
    m_attempts->setObjectName(QStringLiteral("maxAttempts"));
    m_attempts->setRange(0, 100);
    m_attempts->setSpecialValueText(tr("auto"));
    m_attempts->setToolTip(tr("Attempts per row and run, the first included. Auto: rows the service throttles are "
                              "tried again until every one succeeds (for up to 5 minutes each); rows that fail for "
                              "a passing reason (an internal error, a network error) 3 times; rows that retrying "
                              "cannot fix, never."));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setObjectName(QStringLiteral("pacing"));
    m_rate->setRange(0, 100);
    m_rate->setDecimals(1);
    m_rate->setSingleStep(5);
    m_rate->setSuffix(QStringLiteral(" %"));
    m_rate->setSpecialValueText(tr("auto"));
    setLimitsText(send::ShardLimits::documented());
    m_ordered = new QCheckBox(tr("Ordered"), this);
    m_ordered->setObjectName(QStringLiteral("ordered"));
    m_verify = new QCheckBox(tr("Verify"), this);
    m_verify->setObjectName(QStringLiteral("verify"));
    m_verify->setToolTip(tr("Read each written record back (GetRecords) and compare it"));
    m_aggregate = new QCheckBox(tr("A&ggregate (KPL format)"), this);
    m_aggregate->setObjectName(QStringLiteral("aggregate"));
    m_aggregateKiB = new QSpinBox(this);
    m_aggregateKiB->setObjectName(QStringLiteral("aggregateMaxKiB"));
    m_aggregateKiB->setRange(1, int(limits::kDefaultMaxRecordBytes / 1024));
    m_aggregateKiB->setSuffix(tr(" KiB"));
    m_aggregateKiB->setGroupSeparatorShown(true);
    // Two groups: the numbers, and the ways of sending; side by side, or one under the other
    // where the bar is narrow (presenter mode's large text), so neither widens the window.
    m_limitsRow = new QHBoxLayout;
    m_modesRow = new QHBoxLayout;
    const auto labelled = [this](QBoxLayout *row, const QString &text, QWidget *w) {
        auto *label = new QLabel(text, this);
        label->setBuddy(w);
        label->setToolTip(w->toolTip());
        w->setProperty("kwbLabel", QVariant::fromValue<QObject *>(label));
        row->addWidget(label);
        row->addWidget(w);
    };
    labelled(m_limitsRow, tr("In &flight"), m_concurrency);
    labelled(m_limitsRow, tr("&Attempts"), m_attempts);
    labelled(m_limitsRow, tr("Pa&cing"), m_rate);
    m_modesRow->addWidget(m_ordered);
    m_modesRow->addWidget(m_verify);
    m_modesRow->addWidget(m_aggregate);
    labelled(m_modesRow, tr("&up to"), m_aggregateKiB);
    setMaxRecordBytes(limits::kDefaultMaxRecordBytes);
    m_modesRow->addStretch(1);
    m_optionsRow = new QBoxLayout(QBoxLayout::LeftToRight);
    m_optionsRow->addLayout(m_limitsRow, 0);
    m_optionsRow->addLayout(m_modesRow, 1);

    // The buttons keep their size; the options take what is left (or a row of their own).
    m_controls = new QBoxLayout(QBoxLayout::LeftToRight);
    m_controls->addLayout(m_actionsRow, 0);
    m_controls->addLayout(m_optionsRow, 1);
    layout->addLayout(m_controls);

    m_progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m"));
    m_progress->setVisible(false); // until a run starts: "0 of 1" would mean nothing
    m_counters = new QLabel(this);
    m_counters->setObjectName(QStringLiteral("sendCounters"));
    m_counters->setWordWrap(true);
    m_counters->setTextFormat(Qt::PlainText);
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progressRow->addWidget(m_progress, 1);
    m_progressRow->addWidget(m_counters, 2);
    m_progressRow->addWidget(m_retryFailedRows);
    layout->addLayout(m_progressRow);

    setOptions(send::SendOptions{});
    for (QSpinBox *box : {m_concurrency, m_attempts})
        connect(box, &QSpinBox::valueChanged, this, [this] { Q_EMIT optionsChanged(options()); });
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, [this] { Q_EMIT optionsChanged(options()); });
    for (QCheckBox *box : {m_ordered, m_verify, m_aggregate})
        connect(box, &QCheckBox::toggled, this, [this] {
            updateExclusions();
            Q_EMIT optionsChanged(options());
        });
    // Kept in bytes: a limit set elsewhere (kwb's --aggregate-max-bytes) is not rounded to KiB
    // unless it is changed here.
    connect(m_aggregateKiB, &QSpinBox::valueChanged, this, [this](int kib) {
        if (m_applying)
            return;
        m_options.aggregateMaxBytes = qint64(kib) * 1024;
        Q_EMIT optionsChanged(options());
    });
    setRunning(false);
}

QSize SendBar::minimumSizeHint() const
{
    const QSize current = QWidget::minimumSizeHint();
    const QMargins margins = layout()->contentsMargins();
    const int stacked = std::max({m_actionsRow->minimumSize().width(), m_limitsRow->minimumSize().width(),
                                  m_modesRow->minimumSize().width(), m_progressRow->minimumSize().width()})
        + margins.left() + margins.right();
    return {std::min(current.width(), stacked), current.height()};
}

void SendBar::resizeEvent(QResizeEvent *event)
{
    arrange();
    QWidget::resizeEvent(event);
}

void SendBar::arrange()
{
    const QMargins margins = layout()->contentsMargins();
    const int options = m_limitsRow->sizeHint().width() + std::max(0, m_optionsRow->spacing()) + m_modesRow->sizeHint().width();
    const int beside = m_actionsRow->sizeHint().width() + std::max(0, m_controls->spacing()) + options + margins.left()
        + margins.right();
    const auto direction = width() >= beside ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    const auto optionsDirection = width() >= options + margins.left() + margins.right() ? QBoxLayout::LeftToRight
                                                                                          : QBoxLayout::TopToBottom;
    if (m_controls->direction() != direction)
        m_controls->setDirection(direction);
    if (m_optionsRow->direction() != optionsDirection)
        m_optionsRow->setDirection(optionsDirection);
}

void SendBar::setActions(QAction *sendAll, QAction *sendSelected, QAction *retryFailed, QAction *cancel)
{
    m_sendAll->setDefaultAction(sendAll);
    m_sendSelected->setDefaultAction(sendSelected);
    m_retry->setDefaultAction(retryFailed);
    m_cancel->setDefaultAction(cancel);
    connect(m_retryFailedRows, &QToolButton::clicked, retryFailed, &QAction::trigger);
    m_retryFailedRows->setIcon(retryFailed->icon());
}

send::SendOptions SendBar::options() const
{
    send::SendOptions o = m_options; // what the bar does not show (a deadline) stays
    o.concurrency = m_concurrency->value();
    o.maxAttempts = m_attempts->value();
    o.ratePercent = m_rate->value();
    o.ordered = m_ordered->isChecked();
    o.verify = m_verify->isChecked();
    o.aggregate = m_aggregate->isChecked();
    return o;
}

void SendBar::setOptions(const send::SendOptions &o)
{
    // First: the boxes' change signals report options() as they change, and the options the
    // bar does not show (deadline, flow control on/off) must already be the new ones.
    m_options = o;
    const bool applying = std::exchange(m_applying, true);
    m_concurrency->setValue(o.concurrency);
    m_attempts->setValue(o.maxAttempts);
    m_rate->setValue(o.ratePercent);
    m_ordered->setChecked(o.ordered);
    m_verify->setChecked(o.verify);
    m_aggregate->setChecked(o.aggregate);
    m_aggregateKiB->setValue(int(std::clamp<qint64>((o.aggregateMaxBytes + 1023) / 1024, 1, m_aggregateKiB->maximum())));
    m_applying = applying;
    updateExclusions();
    Q_EMIT optionsChanged(options()); // also when only those changed
}

void SendBar::bind(SendController *sender)
{
    connect(this, &SendBar::optionsChanged, sender, &SendController::setOptions);
    connect(sender, &SendController::optionsChanged, this, [this](const send::SendOptions &options) {
        if (!m_applying)
            setOptions(options);
    });
    connect(sender, &SendController::limitsChanged, this, &SendBar::setLimitsText);
    connect(sender, &SendController::maxRecordBytesChanged, this, &SendBar::setMaxRecordBytes);
    setMaxRecordBytes(sender->maxRecordBytes());
    connect(sender, &SendController::runningChanged, this, &SendBar::setRunning);
    connect(sender, &SendController::countersChanged, this, &SendBar::setCounters);
    connect(sender, &SendController::failedRowsChanged, this, &SendBar::setFailedRows);
    sender->setOptions(options());
}

void SendBar::setLimitsText(const send::ShardLimits &limits)
{
    m_rate->setToolTip(tr("Pacing: each shard gets at most this share of the target's write limits (now %1). Auto "
                          "sends at the limits and slows a shard down when the service throttles it; a share such "
                          "as 50 % or 0.5 % holds every shard to that pace.")
                           .arg(limits.describe()));
    if (auto *label = qobject_cast<QLabel *>(m_rate->property("kwbLabel").value<QObject *>()))
        label->setToolTip(m_rate->toolTip());
}

void SendBar::setMaxRecordBytes(qint64 bytes)
{
    const int most = int(std::max<qint64>(1, bytes / 1024));
    m_aggregateKiB->setMaximum(most); // a larger limit comes down to it, and says so (valueChanged)
    m_aggregateKiB->setToolTip(tr("The largest aggregated Kinesis record, its partition key included: user records "
                                  "are packed until the next one would not fit. The KPL's default is 50 KiB "
                                  "(51,200 bytes); at most the stream's largest record, %1 KiB.")
                                   .arg(QLocale().toString(most)));
    if (auto *label = qobject_cast<QLabel *>(m_aggregateKiB->property("kwbLabel").value<QObject *>()))
        label->setToolTip(m_aggregateKiB->toolTip());
}

void SendBar::updateExclusions()
{
    const bool ordered = m_ordered->isChecked();
    const bool aggregate = m_aggregate->isChecked();
    m_ordered->setEnabled(!m_running && !aggregate);
    m_ordered->setToolTip(aggregate ? tr("Not with Aggregate (KPL format): an aggregated record carries many user "
                                         "records at once, so there is no per-record order to chain. Clear Aggregate "
                                         "to send in strict order.")
                                    : tr("One PutRecord at a time, chaining SequenceNumberForOrdering per partition "
                                         "key: strict order, much slower"));
    m_aggregate->setEnabled(!m_running && !ordered);
    m_aggregate->setToolTip(ordered ? tr("Not with Ordered: ordered sends go one PutRecord at a time, chaining "
                                         "sequence numbers per partition key, and cannot pack records together. "
                                         "Clear Ordered to aggregate.")
                                    : tr("Pack the rows into KPL aggregated Kinesis records per predicted shard, as "
                                         "the Kinesis Producer Library does: far fewer records against the shard's "
                                         "1,000 records/s. Consumers must de-aggregate them (KCL, the Lambda helpers, "
                                         "Firehose). Every row still gets its own result: shard, sequence number, "
                                         "Kinesis record and sub-sequence number."));
    m_aggregateKiB->setEnabled(!m_running && aggregate && !ordered);
    if (auto *label = qobject_cast<QLabel *>(m_aggregateKiB->property("kwbLabel").value<QObject *>()))
        label->setEnabled(m_aggregateKiB->isEnabled());
}

void SendBar::setRunning(bool running)
{
    m_running = running;
    for (QWidget *w : std::initializer_list<QWidget *>{m_concurrency, m_attempts, m_rate, m_verify})
        w->setEnabled(!running);
    updateExclusions();
    if (running)
        m_progress->setVisible(true);
    setFailedRows(m_failedRows);
}

void SendBar::setCounters(const send::SendCounters &c, double recordsPerSecond)
{
    const QLocale locale;
    if (c.total == 0 && !m_running) {
        // No run, or its rows were replaced: nothing to count.
        m_progress->setVisible(false);
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_countersText.clear();
        m_counters->clear();
        return;
    }
    const qint64 done = c.succeeded + c.failed;
    m_progress->setRange(0, int(std::max<qint64>(1, std::min<qint64>(c.total, INT_MAX))));
    m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
    m_progress->setVisible(true);
    m_progress->setToolTip(tr("Rows done (succeeded or failed) of the rows in this run"));
    // Rows (each record of the table, counted once) first; then the service's answers to them,
    // which can be many more than the rows when it throttles and rows are sent again.
    QStringList parts{tr("Rows: %1 succeeded").arg(locale.toString(c.succeeded)), tr("%1 failed").arg(locale.toString(c.failed)),
                      tr("%1 waiting").arg(locale.toString(c.pending + c.inFlight))};
    if (c.throttled > 0 || c.retried > 0)
        parts << tr("Answers: %1 “slow down” (throttled), %2 rows sent again")
                     .arg(locale.toString(c.throttled), locale.toString(c.retried));
    if (c.verified + c.mismatched > 0)
        parts << tr("%1 verified, %2 mismatched").arg(locale.toString(c.verified), locale.toString(c.mismatched));
    parts << tr("%1 rows/s into the stream").arg(locale.toString(recordsPerSecond, 'f', recordsPerSecond < 10 ? 1 : 0));
    m_countersText = parts.join(QStringLiteral(" · "));
    // Shown wrapped between the counts only, never inside one, and never before a "·".
    for (QString &part : parts)
        part.replace(QLatin1Char(' '), QChar::Nbsp);
    m_counters->setText(parts.join(QString(QChar::Nbsp) + QStringLiteral("· ")));
}

QString SendBar::countersText() const
{
    return m_countersText;
}

void SendBar::setFailedRows(int count)
{
    m_failedRows = count;
    m_retryFailedRows->setVisible(count > 0 && !m_running);
    m_retryFailedRows->setText(count == 1 ? tr("Retry 1 failed row") : tr("Retry %1 failed rows").arg(QLocale().toString(count)));
}

} // namespace kwb::ui
