#include "SandboxPanel.h"

#include "sandbox/SandboxServer.h"
#include "send/FlowController.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {

QDoubleSpinBox *percentBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(1);
    box->setSingleStep(1);
    box->setSuffix(QStringLiteral(" %"));
    return box;
}

} // namespace

SandboxPanel::SandboxPanel(sandbox::SandboxServer *server, QWidget *parent)
    : ScrollingPanel(QStringLiteral("sandboxScroll"), parent) // the dock is shared with the shard map
    , m_server(server)
{
    setObjectName(QStringLiteral("sandboxPanel"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    auto *intro = new QLabel(tr("The built-in sandbox behaves like Kinesis: each shard takes 1,000 records/s and "
                                "1 MiB/s of writes. Lower the limits or inject faults to see throttling, partial "
                                "failures and retries safely."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_limits = new QCheckBox(tr("Enforce per-shard write and read limits"), this);
    m_limits->setObjectName(QStringLiteral("sandboxLimits"));
    m_limits->setToolTip(tr("Records over a shard's limit in a one-second window come back with "
                            "ProvisionedThroughputExceededException (throttling); the rest of the request succeeds. "
                            "Reads: more than 5 GetRecords calls or 2 MiB per second on a shard are refused the same way."));
    form->addRow(m_limits);
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("sandboxScale"));
    m_scale->setRange(0.01, 100);
    m_scale->setDecimals(2);
    m_scale->setSingleStep(0.1);
    m_scale->setPrefix(QStringLiteral("× "));
    m_scale->setToolTip(tr("Multiplies the limits: 0.10 means 100 records/s and about 100 KiB/s per shard."));
    form->addRow(tr("Limit scale"), m_scale);
    m_recordFailures = percentBox(this);
    m_recordFailures->setObjectName(QStringLiteral("sandboxRecordFailures"));
    m_recordFailures->setToolTip(tr("Share of records answered with InternalFailure inside a successful PutRecords request."));
    form->addRow(tr("Failing records"), m_recordFailures);
    m_requestFailures = percentBox(this);
    m_requestFailures->setObjectName(QStringLiteral("sandboxRequestFailures"));
    m_requestFailures->setToolTip(tr("Share of write requests answered HTTP 500 or 503 (half each)."));
    form->addRow(tr("Failing requests"), m_requestFailures);
    m_drops = percentBox(this);
    m_drops->setObjectName(QStringLiteral("sandboxDrops"));
    m_drops->setToolTip(tr("Share of write requests whose connection is closed without an answer."));
    form->addRow(tr("Dropped connections"), m_drops);
    m_latency = new QSpinBox(this);
    m_latency->setObjectName(QStringLiteral("sandboxLatency"));
    m_latency->setRange(0, 60000);
    m_latency->setSingleStep(50);
    m_latency->setSuffix(tr(" ms"));
    m_latency->setToolTip(tr("Added before every answer."));
    form->addRow(tr("Added latency"), m_latency);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("sandboxSeed"));
    m_seed->setRange(1, 1000000);
    m_seed->setToolTip(tr("Faults are random with this seed: setting it again replays the same sequence, so a demo repeats."));
    form->addRow(tr("Seed"), m_seed);
    layout->addLayout(form);

    auto *presets = new QHBoxLayout;
    auto *throttle = new QPushButton(tr("Provoke throttling"), this);
    throttle->setObjectName(QStringLiteral("sandboxProvokeThrottling"));
    throttle->setToolTip(tr("Limits at a hundredth of AWS's, 10 records/s and about 10 KiB/s per shard: a burst of "
                            "records gets throttled, and the app's flow control paces sends to the new limits."));
    auto *flaky = new QPushButton(tr("Flaky service"), this);
    flaky->setObjectName(QStringLiteral("sandboxFlaky"));
    auto *reset = new QPushButton(tr("Reset"), this);
    reset->setObjectName(QStringLiteral("sandboxReset"));
    presets->addWidget(throttle);
    presets->addWidget(flaky);
    presets->addWidget(reset);
    presets->addStretch(1);
    layout->addLayout(presets);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("sandboxMessage"));
    m_message->setWordWrap(true);
    m_message->setVisible(false);
    layout->addWidget(m_message);

    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("sandboxStats"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_stats);
    layout->addStretch(1);
    setContent(content);

    loadFromServer();
    connect(m_limits, &QCheckBox::toggled, this, &SandboxPanel::apply);
    for (QDoubleSpinBox *box : {m_scale, m_recordFailures, m_requestFailures, m_drops})
        connect(box, &QDoubleSpinBox::valueChanged, this, &SandboxPanel::apply);
    connect(m_latency, &QSpinBox::valueChanged, this, &SandboxPanel::apply);
    connect(m_seed, &QSpinBox::valueChanged, this, &SandboxPanel::apply);
    connect(throttle, &QPushButton::clicked, this, &SandboxPanel::provokeThrottling);
    connect(flaky, &QPushButton::clicked, this, &SandboxPanel::flakyService);
    connect(reset, &QPushButton::clicked, this, &SandboxPanel::resetToDefaults);

    m_refresh = new QTimer(this);
    connect(m_refresh, &QTimer::timeout, this, &SandboxPanel::refreshStats);
    m_refresh->start(1000);
    refreshStats();
}

void SandboxPanel::loadFromServer()
{
    const sandbox::SandboxOptions o = m_server->options();
    m_loading = true;
    m_limits->setChecked(o.limitsEnabled);
    m_scale->setValue(o.limitScale);
    m_recordFailures->setValue(o.recordFailureRate * 100);
    m_requestFailures->setValue((o.internalErrorRate + o.unavailableRate) * 100);
    m_drops->setValue(o.dropConnectionRate * 100);
    m_latency->setValue(o.latencyMs);
    m_seed->setValue(int(std::clamp<quint64>(o.seed, 1, 1000000)));
    m_loading = false;
    m_scale->setEnabled(o.limitsEnabled);
}

QString SandboxPanel::limitsText() const
{
    const sandbox::SandboxOptions o = m_server->options();
    if (!o.limitsEnabled)
        return tr("Limits off: shards take whatever comes.");
    const send::ShardLimits limits = send::ShardLimits::sandbox(true, o.limitScale);
    return tr("Limits now %1 (× %2 of AWS's).").arg(limits.describe(), QLocale().toString(o.limitScale, 'g', 3));
}

void SandboxPanel::apply()
{
    if (m_loading)
        return;
    const sandbox::SandboxOptions before = m_server->options();
    m_scale->setEnabled(m_limits->isChecked());
    m_server->setLimitsEnabled(m_limits->isChecked());
    m_server->setLimitScale(m_scale->value());
    m_server->setRecordFailureRate(m_recordFailures->value() / 100.0);
    const double requests = m_requestFailures->value() / 100.0;
    m_server->setRequestFailureRates(requests / 2, requests / 2);
    m_server->setDropConnectionRate(m_drops->value() / 100.0);
    m_server->setLatencyMs(m_latency->value());
    if (quint64(m_seed->value()) != m_server->options().seed)
        m_server->setSeed(quint64(m_seed->value()));
    const sandbox::SandboxOptions after = m_server->options();
    if (after.limitsEnabled != before.limitsEnabled || after.limitScale != before.limitScale) {
        m_message->setText(limitsText() + QLatin1Char(' ') + tr("Sends are paced to them; the shard map's dashed lines show them."));
        m_message->setVisible(true);
        Q_EMIT limitsChanged(limitsText());
    }
}

void SandboxPanel::provokeThrottling()
{
    m_loading = true;
    m_limits->setChecked(true);
    // 10 records/s per shard: a burst of the 50 sample records over 4 shards is throttled.
    m_scale->setValue(0.01);
    m_loading = false;
    apply();
}

void SandboxPanel::flakyService()
{
    m_loading = true;
    m_recordFailures->setValue(5);
    m_requestFailures->setValue(5);
    m_loading = false;
    apply();
}

void SandboxPanel::resetToDefaults()
{
    m_loading = true;
    m_limits->setChecked(true);
    m_scale->setValue(1.0);
    m_recordFailures->setValue(0);
    m_requestFailures->setValue(0);
    m_drops->setValue(0);
    m_latency->setValue(0);
    m_loading = false;
    apply();
}

void SandboxPanel::refreshStats()
{
    const auto s = m_server->stats();
    const QLocale locale;
    m_stats->setText(tr("%1 requests · %2 records accepted · %3 throttled · %4 failed (injected) · "
                        "%5 requests failed (injected) · %6 connections dropped")
                         .arg(locale.toString(s.requests), locale.toString(s.recordsAccepted), locale.toString(s.recordsThrottled),
                              locale.toString(s.recordsFailed), locale.toString(s.injectedFailures),
                              locale.toString(s.droppedConnections)));
}

} // namespace kwb::ui
