#include "views/SendBar.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace kwb::ui {

SendBar::SendBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sendBar"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
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
    row->addWidget(m_sendAll);
    row->addWidget(m_sendSelected);
    row->addWidget(m_retry);
    row->addWidget(m_cancel);
    row->addSpacing(12);

    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(1, 64);
    m_concurrency->setToolTip(tr("Requests in flight at once"));
    m_attempts = new QSpinBox(this);
    m_attempts->setObjectName(QStringLiteral("maxAttempts"));
    m_attempts->setRange(1, 20);
    m_attempts->setToolTip(tr("Attempts per row and run, the first included: throttled and failed rows are retried "
                              "with exponential backoff and jitter"));
    m_rate = new QSpinBox(this);
    m_rate->setObjectName(QStringLiteral("pacing"));
    m_rate->setRange(0, 100);
    m_rate->setSuffix(QStringLiteral(" %"));
    m_rate->setSpecialValueText(tr("off"));
    m_rate->setToolTip(tr("Pacing: send to each shard at most this share of its limit (1,000 records/s and 1 MiB/s), "
                          "to avoid throttling. Off sends as fast as the requests in flight allow."));
    m_ordered = new QCheckBox(tr("Ordered"), this);
    m_ordered->setObjectName(QStringLiteral("ordered"));
    m_ordered->setToolTip(tr("One PutRecord at a time, chaining SequenceNumberForOrdering per partition key: strict "
                             "order, much slower"));
    m_verify = new QCheckBox(tr("Verify"), this);
    m_verify->setObjectName(QStringLiteral("verify"));
    m_verify->setToolTip(tr("Read each written record back (GetRecords) and compare it"));
    const auto labelled = [this, row](const QString &text, QWidget *w) {
        auto *label = new QLabel(text, this);
        label->setBuddy(w);
        row->addWidget(label);
        row->addWidget(w);
    };
    labelled(tr("In &flight"), m_concurrency);
    labelled(tr("&Attempts"), m_attempts);
    labelled(tr("Pa&cing"), m_rate);
    row->addWidget(m_ordered);
    row->addWidget(m_verify);
    row->addStretch(1);
    row->addWidget(m_retryFailedRows);
    layout->addLayout(row);

    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m"));
    m_counters = new QLabel(this);
    m_counters->setObjectName(QStringLiteral("sendCounters"));
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_counters, 2);
    layout->addLayout(progressRow);

    setOptions(send::SendOptions{});
    for (QSpinBox *box : {m_concurrency, m_attempts, m_rate})
        connect(box, &QSpinBox::valueChanged, this, [this] { Q_EMIT optionsChanged(options()); });
    for (QCheckBox *box : {m_ordered, m_verify})
        connect(box, &QCheckBox::toggled, this, [this] { Q_EMIT optionsChanged(options()); });
    setRunning(false);
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
    send::SendOptions o;
    o.concurrency = m_concurrency->value();
    o.maxAttempts = m_attempts->value();
    o.ratePercent = m_rate->value();
    o.ordered = m_ordered->isChecked();
    o.verify = m_verify->isChecked();
    return o;
}

void SendBar::setOptions(const send::SendOptions &o)
{
    m_concurrency->setValue(o.concurrency);
    m_attempts->setValue(o.maxAttempts);
    m_rate->setValue(int(o.ratePercent));
    m_ordered->setChecked(o.ordered);
    m_verify->setChecked(o.verify);
}

void SendBar::saveOptions(QSettings &settings) const
{
    const send::SendOptions o = options();
    settings.setValue(QStringLiteral("send/concurrency"), o.concurrency);
    settings.setValue(QStringLiteral("send/maxAttempts"), o.maxAttempts);
    settings.setValue(QStringLiteral("send/ratePercent"), o.ratePercent);
    settings.setValue(QStringLiteral("send/ordered"), o.ordered);
    settings.setValue(QStringLiteral("send/verify"), o.verify);
}

void SendBar::restoreOptions(QSettings &settings)
{
    send::SendOptions o;
    o.concurrency = settings.value(QStringLiteral("send/concurrency"), o.concurrency).toInt();
    o.maxAttempts = settings.value(QStringLiteral("send/maxAttempts"), o.maxAttempts).toInt();
    o.ratePercent = settings.value(QStringLiteral("send/ratePercent"), o.ratePercent).toDouble();
    o.ordered = settings.value(QStringLiteral("send/ordered"), o.ordered).toBool();
    o.verify = settings.value(QStringLiteral("send/verify"), o.verify).toBool();
    setOptions(o);
}

void SendBar::setRunning(bool running)
{
    m_running = running;
    for (QWidget *w : std::initializer_list<QWidget *>{m_concurrency, m_attempts, m_rate, m_ordered, m_verify})
        w->setEnabled(!running);
    setFailedRows(m_failedRows);
}

void SendBar::setCounters(const send::SendCounters &c, double recordsPerSecond)
{
    const QLocale locale;
    const qint64 done = c.succeeded + c.failed;
    m_progress->setRange(0, int(std::max<qint64>(1, std::min<qint64>(c.total, INT_MAX))));
    m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
    QString text = tr("%1 succeeded · %2 failed · %3 throttled · %4 pending")
                       .arg(locale.toString(c.succeeded), locale.toString(c.failed), locale.toString(c.throttled),
                            locale.toString(c.pending + c.inFlight));
    if (c.retried > 0)
        text += tr(" · %1 retries").arg(locale.toString(c.retried));
    if (c.verified + c.mismatched > 0)
        text += tr(" · %1 verified, %2 mismatched").arg(locale.toString(c.verified), locale.toString(c.mismatched));
    text += tr(" · %1 records/s").arg(locale.toString(qint64(recordsPerSecond)));
    m_counters->setText(text);
}

QString SendBar::countersText() const
{
    return m_counters->text();
}

void SendBar::setFailedRows(int count)
{
    m_failedRows = count;
    m_retryFailedRows->setVisible(count > 0 && !m_running);
    m_retryFailedRows->setText(count == 1 ? tr("Retry 1 failed row") : tr("Retry %1 failed rows").arg(QLocale().toString(count)));
}

} // namespace kwb::ui
