#include "views/ConnectionBar.h"

#include "Icons.h"
#include "Record.h"
#include "views/ElidingComboBox.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStandardItemModel>
#include <QStyle>
#include <QToolButton>

#include <algorithm>

namespace kwb::ui {

namespace {

const QString kNewCustom = QStringLiteral("new-custom");

/// A one-line label that keeps its whole text (text(), the size hint) and, when given less
/// room, draws it elided with "…", after an optional icon. Its tooltip holds the whole text.
class ElidedLabel : public QLabel
{
public:
    explicit ElidedLabel(QWidget *parent)
        : QLabel(parent)
    {
        setTextFormat(Qt::PlainText);
    }

    void setIcon(const QIcon &icon)
    {
        m_icon = icon;
        updateGeometry();
        update();
    }

    QSize sizeHint() const override
    {
        const QSize text = QLabel::sizeHint();
        return {text.width() + iconRoom(), std::max(text.height(), iconExtent())};
    }

    QSize minimumSizeHint() const override
    {
        const QSize whole = sizeHint();
        return {std::min(whole.width(), iconRoom() + fontMetrics().horizontalAdvance(QStringLiteral("Xxxx…"))), whole.height()};
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect all = contentsRect();
        QRect room = all;
        if (!m_icon.isNull()) {
            const int extent = iconExtent();
            const QRect icon(all.left(), all.top() + (all.height() - extent) / 2, extent, extent);
            m_icon.paint(&painter, QStyle::visualRect(layoutDirection(), all, icon), Qt::AlignCenter,
                         isEnabled() ? QIcon::Normal : QIcon::Disabled);
            room = QStyle::visualRect(layoutDirection(), all, all.adjusted(iconRoom(), 0, 0, 0));
        }
        const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, room.width());
        style()->drawItemText(&painter, room, int(QStyle::visualAlignment(layoutDirection(), alignment())), palette(),
                              isEnabled(), shown, foregroundRole());
    }

private:
    int iconExtent() const { return m_icon.isNull() ? 0 : fontMetrics().height(); }
    int iconRoom() const { return m_icon.isNull() ? 0 : iconExtent() + fontMetrics().horizontalAdvance(QLatin1Char(' ')); }

    QIcon m_icon;
};

/// The production mark: the red shield when on, a greyed one when off.
QIcon productionToggleIcon(const QSize &size)
{
    const QIcon shield = Icons::production();
    QIcon icon;
    for (int scale : {1, 2}) {
        icon.addPixmap(shield.pixmap(size * scale, QIcon::Normal), QIcon::Normal, QIcon::On);
        icon.addPixmap(shield.pixmap(size * scale, QIcon::Disabled), QIcon::Normal, QIcon::Off);
    }
    return icon;
}

/// Shows `text` (elided when narrow) after the named status icon, or no icon.
void showText(QLabel *label, const char *icon, const QString &text)
{
    auto *elided = static_cast<ElidedLabel *>(label);
    elided->setIcon(icon ? Icons::named(icon) : QIcon());
    elided->setText(text);
}

} // namespace

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("connectionBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);

    // The pickers and the two texts give way when the window is narrow: elided, whole in the
    // tooltip and the list.
    m_target = new ElidingComboBox(Qt::ElideRight, this);
    m_target->setObjectName(QStringLiteral("targetBox"));
    m_target->setMinimumContentsLength(16);
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setToolTip(tr("Where to send: the built-in sandbox, an AWS profile from ~/.aws, or a custom endpoint "
                            "(kinesalite, kinesis-mock, LocalStack, a VPC endpoint)"));
    m_edit = new QToolButton(this);
    m_edit->setObjectName(QStringLiteral("editTarget"));
    m_edit->setText(tr("Edit…"));
    m_edit->setToolTip(tr("Change this custom endpoint"));
    m_production = new QToolButton(this);
    m_production->setObjectName(QStringLiteral("productionToggle"));
    m_production->setCheckable(true);
    m_production->setIcon(productionToggleIcon(m_production->iconSize()));
    m_production->setText(tr("Production"));
    m_production->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_production->setToolTip(tr("Mark this target as production: sending asks for confirmation first"));
    m_signIn = new QToolButton(this);
    m_signIn->setObjectName(QStringLiteral("signIn"));
    m_signIn->setText(tr("Sign in…"));
    m_signIn->setToolTip(tr("Sign in to IAM Identity Center for this profile (shared with the AWS CLI)"));
    m_signIn->setVisible(false);
    m_whoAmI = new QToolButton(this);
    m_whoAmI->setObjectName(QStringLiteral("whoAmI"));
    m_whoAmI->setText(tr("Who am I?"));
    m_whoAmI->setToolTip(tr("Show the account and ARN the connection's credentials stand for (STS GetCallerIdentity)"));
    m_whoAmI->setEnabled(false);
    m_state = new ElidedLabel(this);
    m_state->setObjectName(QStringLiteral("connectionState"));

    m_stream = new ElidingComboBox(Qt::ElideRight, this);
    m_stream->setObjectName(QStringLiteral("streamBox"));
    m_stream->setMinimumContentsLength(12);
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
    m_streamInfo = new ElidedLabel(this);
    m_streamInfo->setObjectName(QStringLiteral("streamInfo"));

    auto *targetLabel = new QLabel(tr("&Target"), this);
    targetLabel->setBuddy(m_target);
    auto *streamLabel = new QLabel(tr("&Stream"), this);
    streamLabel->setBuddy(m_stream);
    layout->addWidget(targetLabel);
    layout->addWidget(m_target);
    layout->addWidget(m_edit);
    layout->addWidget(m_production);
    layout->addWidget(m_signIn);
    layout->addWidget(m_whoAmI);
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
            m_signIn->setVisible(m_targets[index].isSsoProfile());
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
    connect(m_signIn, &QToolButton::clicked, this, [this] { Q_EMIT signInRequested(currentTarget()); });
    connect(m_whoAmI, &QToolButton::clicked, this, &ConnectionBar::whoAmIRequested);
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
    m_signIn->setVisible(t.isSsoProfile());
    m_updating = false;
}

void ConnectionBar::setSignInOffered(bool offered)
{
    m_signIn->setVisible(offered || currentTarget().isSsoProfile());
}

void ConnectionBar::setWhoAmIEnabled(bool enabled)
{
    m_whoAmI->setEnabled(enabled);
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
    switch (state) {
    case ConnectionController::State::Disconnected:
        showText(m_state, "status-pending", text.isEmpty() ? tr("Not connected") : text);
        break;
    case ConnectionController::State::Connecting:
        showText(m_state, "status-queued", text.isEmpty() ? tr("Connecting…") : text);
        break;
    case ConnectionController::State::Connected:
        showText(m_state, "status-succeeded", text);
        break;
    case ConnectionController::State::Failed:
        showText(m_state, "status-failed", tr("Not connected"));
        break;
    }
    m_state->setToolTip(text.isEmpty() ? m_state->text() : text);
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
    if (current.isEmpty() || index < 0) {
        showText(m_streamInfo, nullptr, {});
        m_streamInfo->setToolTip({});
    }
}

QString ConnectionBar::currentStream() const
{
    return m_stream->currentData().toString();
}

void ConnectionBar::setStreamSummary(const net::StreamSummary &s)
{
    QString text = s.streamMode == QLatin1String("ON_DEMAND")
        ? (s.openShardCount == 1 ? tr("on-demand, 1 open shard") : tr("on-demand, %1 open shards").arg(QLocale().toString(s.openShardCount)))
        : (s.openShardCount == 1 ? tr("1 open shard") : tr("%1 open shards").arg(QLocale().toString(s.openShardCount)));
    text += tr(" · max record %1 · %2").arg(formatBytes(s.maxRecordBytes()), s.status);
    showText(m_streamInfo, s.status == QLatin1String("ACTIVE") ? nullptr : "warning", text);
    m_streamInfo->setToolTip(tr("%1\n%2\nretention %3 h%4").arg(text, s.arn).arg(s.retentionHours).arg(
        s.encryptionType.isEmpty() || s.encryptionType == QLatin1String("NONE") ? QString() : tr(", encrypted (%1)").arg(s.encryptionType)));
}

void ConnectionBar::setStreamProblem(const QString &problem)
{
    showText(m_streamInfo, "status-failed", problem);
    m_streamInfo->setToolTip(problem);
}

void ConnectionBar::setBusy(bool sending)
{
    m_target->setEnabled(!sending);
    m_edit->setEnabled(!sending);
    m_stream->setEnabled(!sending && m_refresh->isEnabled());
}

} // namespace kwb::ui
