#include "views/Banner.h"

#include "Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace kwb::ui {

Banner::Banner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action = new QPushButton(this);
    m_action->setObjectName(QStringLiteral("bannerAction"));
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &Banner::clear);
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_callback)
            m_callback();
    });
    setVisible(false);
}

void Banner::showMessage(Kind kind, const QString &text, const QString &actionText, std::function<void()> action)
{
    m_kind = kind;
    const int size = fontMetrics().height() + 4;
    const QIcon icon = kind == Kind::Error ? Icons::error() : kind == Kind::Warning ? Icons::warning() : Icons::info();
    m_icon->setPixmap(icon.pixmap(QSize(size, size), devicePixelRatioF()));
    const QString prefix = kind == Kind::Error ? tr("Error: ") : kind == Kind::Warning ? tr("Warning: ") : QString();
    m_text->setText(prefix + text);
    m_callback = std::move(action);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty() && m_callback);
    setVisible(true);
}

void Banner::clear()
{
    m_text->clear();
    m_callback = {};
    setVisible(false);
}

QString Banner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace kwb::ui
