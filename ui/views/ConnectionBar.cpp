#include "views/ConnectionBar.h"

#include "Icons.h"
#include "Record.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QToolButton>

namespace kwb::ui {

namespace {

const QString kNewCustom = QStringLiteral("new-custom");

QString iconText(const char *icon, int size, const QString &text)
{
    return QStringLiteral("<img src=\":/icons/%1.svg\" width=\"%2\" height=\"%2\"> %3")
        .arg(QLatin1String(icon))
        .arg(size)
        .arg(text.toHtmlEscaped());
}

} // namespace

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("connectionBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);

    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("targetBox"));
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_target->setToolTip(tr("Where to send: the built-in sandbox, an AWS profile from ~/.aws, or a custom endpoint "
                            "(kinesalite, kinesis-mock, LocalStack, a VPC endpoint)"));
    m_edit = new QToolButton(this);
    m_edit->setObjectName(QStringLiteral("editTarget"));
    m_edit->setText(tr("Edit…"));
    m_edit->setToolTip(tr("Change this custom endpoint"));
    m_production = new QToolButton(this);
    m_production->setObjectName(QStringLiteral("productionToggle"));
    m_production->setCheckable(true);
    m_production->setIcon(Icons::production());
    m_production->setText(tr("Production"));
    m_production->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_production->setToolTip(tr("Mark this target as production: sending asks for confirmation first"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("connectionState"));
    m_state->setTextFormat(Qt::RichText);

    m_stream = new QComboBox(this);
    m_stream->setObjectName(QStringLiteral("streamBox"));
    m_stream->setMinimumContentsLength(16);
    m_stream->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_stream->setToolTip(tr("The stream to send to; its shards decide where each record lands"));
    m_refresh = new QToolButton(this);
    m_refresh->setObjectName(QStringLiteral("refreshStreams"));
    m_refresh->setIcon(Icons::named("refresh"));
    m_refresh->setToolTip(tr("List the streams again (F5)"));
    m_create = new QToolButton(this);
    m_create->setObjectName(QStringLiteral("createStream"));
    m_create->setIcon(Icons::named("create-stream"));
    m_create->setText(tr("Create…"));
    m_create->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_create->setToolTip(tr("Create a stream"));
    m_streamInfo = new QLabel(this);
    m_streamInfo->setObjectName(QStringLiteral("streamInfo"));
    m_streamInfo->setTextFormat(Qt::RichText);

    auto *targetLabel = new QLabel(tr("&Target"), this);
    targetLabel->setBuddy(m_target);
    auto *streamLabel = new QLabel(tr("&Stream"), this);
    streamLabel->setBuddy(m_stream);
    layout->addWidget(targetLabel);
    layout->addWidget(m_target);
    layout->addWidget(m_edit);
    layout->addWidget(m_production);
    layout->addWidget(m_state, 1);
    layout->addSpacing(8);
    layout->addWidget(streamLabel);
    layout->addWidget(m_stream);
    layout->addWidget(m_refresh);
    layout->addWidget(m_create);
    layout->addWidget(m_streamInfo, 1);

    connect(m_target, &QComboBox::activated, this, [this](int index) {
        if (m_updating)
            return;
        if (m_target->itemData(index).toString() == kNewCustom) {
            Q_EMIT customEndpointRequested();
            return;
        }
        if (index >= 0 && index < m_targets.size()) {
            m_edit->setVisible(m_targets[index].kind == ConnectionTarget::Kind::Custom);
            Q_EMIT targetChosen(m_targets[index]);
        }
    });
    connect(m_edit, &QToolButton::clicked, this, [this] { Q_EMIT editTargetRequested(currentTarget()); });
    connect(m_production, &QToolButton::toggled, this, [this](bool on) {
        if (!m_updating)
            Q_EMIT productionToggled(on);
    });
    connect(m_stream, &QComboBox::activated, this, [this](int index) {
        if (!m_updating)
            Q_EMIT streamChosen(m_stream->itemData(index).toString());
    });
    connect(m_refresh, &QToolButton::clicked, this, &ConnectionBar::refreshRequested);
    connect(m_create, &QToolButton::clicked, this, &ConnectionBar::createStreamRequested);
    setStreams({}, {});
}

void ConnectionBar::setTargets(const QList<ConnectionTarget> &targets, const QString &sandboxStatus)
{
    const QString current = currentTarget().id;
    m_updating = true;
    m_targets = targets;
    m_target->clear();
    for (int i = 0; i < targets.size(); ++i) {
        const ConnectionTarget &t = targets[i];
        QString label = t.label();
        if (t.kind == ConnectionTarget::Kind::Sandbox && !sandboxStatus.isEmpty())
            label += QStringLiteral(" (%1)").arg(sandboxStatus);
        m_target->addItem(t.production ? Icons::production() : QIcon(), label, t.id);
        if (t.kind == ConnectionTarget::Kind::Sandbox && !sandboxStatus.isEmpty()) {
            if (auto *model = qobject_cast<QStandardItemModel *>(m_target->model()))
                model->item(i)->setEnabled(false);
        }
    }
    m_target->insertSeparator(m_target->count());
    m_target->addItem(Icons::named("connect"), tr("Custom endpoint…"), kNewCustom);
    m_updating = false;
    setCurrentTarget(current);
}

void ConnectionBar::setCurrentTarget(const QString &id)
{
    m_updating = true;
    const int index = id.isEmpty() ? -1 : m_target->findData(id);
    m_target->setCurrentIndex(index);
    const ConnectionTarget t = currentTarget();
    m_edit->setVisible(t.kind == ConnectionTarget::Kind::Custom && t.isValid());
    m_production->setChecked(t.production);
    m_production->setEnabled(t.isValid());
    m_updating = false;
}

ConnectionTarget ConnectionBar::currentTarget() const
{
    const int index = m_target->currentIndex();
    return index >= 0 && index < m_targets.size() ? m_targets[index] : ConnectionTarget();
}

void ConnectionBar::setProduction(bool production)
{
    m_updating = true;
    m_production->setChecked(production);
    const int index = m_target->currentIndex();
    if (index >= 0 && index < m_targets.size()) {
        m_targets[index].production = production;
        m_target->setItemIcon(index, production ? Icons::production() : QIcon());
    }
    m_updating = false;
}

void ConnectionBar::setConnectionState(ConnectionController::State state, const QString &text)
{
    const int size = fontMetrics().height();
    switch (state) {
    case ConnectionController::State::Disconnected:
        m_state->setText(iconText("status-pending", size, text.isEmpty() ? tr("Not connected") : text));
        break;
    case ConnectionController::State::Connecting:
        m_state->setText(iconText("status-queued", size, text.isEmpty() ? tr("Connecting…") : text));
        break;
    case ConnectionController::State::Connected:
        m_state->setText(iconText("status-succeeded", size, text));
        break;
    case ConnectionController::State::Failed:
        m_state->setText(iconText("status-failed", size, tr("Not connected")));
        break;
    }
    m_state->setToolTip(text);
    const bool connected = state == ConnectionController::State::Connected;
    m_stream->setEnabled(connected);
    m_refresh->setEnabled(connected);
    m_create->setEnabled(connected);
}

void ConnectionBar::setStreams(const QStringList &streams, const QString &current)
{
    m_updating = true;
    m_stream->clear();
    m_stream->addItem(streams.isEmpty() ? tr("(no streams)") : tr("(choose a stream)"), QString());
    for (const QString &s : streams)
        m_stream->addItem(s, s);
    const int index = current.isEmpty() ? 0 : m_stream->findData(current);
    m_stream->setCurrentIndex(std::max(0, index));
    m_updating = false;
    if (current.isEmpty() || index < 0)
        m_streamInfo->clear();
}

QString ConnectionBar::currentStream() const
{
    return m_stream->currentData().toString();
}

void ConnectionBar::setStreamSummary(const net::StreamSummary &s)
{
    const QLocale locale;
    QString text = s.streamMode == QLatin1String("ON_DEMAND")
        ? (s.openShardCount == 1 ? tr("on-demand, 1 open shard") : tr("on-demand, %1 open shards").arg(s.openShardCount))
        : (s.openShardCount == 1 ? tr("1 open shard") : tr("%1 open shards").arg(s.openShardCount));
    text += tr(" · max record %1 · %2").arg(formatBytes(s.maxRecordBytes()), s.status);
    const int size = fontMetrics().height();
    m_streamInfo->setText(s.status == QLatin1String("ACTIVE") ? text.toHtmlEscaped() : iconText("warning", size, text));
    m_streamInfo->setToolTip(tr("%1\nretention %2 h%3").arg(s.arn).arg(s.retentionHours).arg(
        s.encryptionType.isEmpty() || s.encryptionType == QLatin1String("NONE") ? QString() : tr(", encrypted (%1)").arg(s.encryptionType)));
}

void ConnectionBar::setStreamProblem(const QString &problem)
{
    m_streamInfo->setText(iconText("status-failed", fontMetrics().height(), problem));
    m_streamInfo->setToolTip(problem);
}

void ConnectionBar::setBusy(bool sending)
{
    m_target->setEnabled(!sending);
    m_edit->setEnabled(!sending);
    m_stream->setEnabled(!sending && m_refresh->isEnabled());
}

} // namespace kwb::ui
