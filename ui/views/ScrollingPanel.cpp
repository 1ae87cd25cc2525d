#include "views/ScrollingPanel.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

namespace kwb::ui {

ScrollingPanel::ScrollingPanel(const QString &scrollName, QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(scrollName);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setFocusPolicy(Qt::NoFocus);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(m_scroll);
}

void ScrollingPanel::setContent(QWidget *content)
{
    m_scroll->setWidget(content);
}

QWidget *ScrollingPanel::content() const
{
    return m_scroll->widget();
}

void ScrollingPanel::ensureVisible(QWidget *child)
{
    m_scroll->ensureWidgetVisible(child, 0, 0);
}

QSize ScrollingPanel::minimumSizeHint() const
{
    if (!m_scroll->widget())
        return QWidget::minimumSizeHint();
    const int width = m_scroll->widget()->minimumSizeHint().width() + m_scroll->verticalScrollBar()->sizeHint().width()
        + 2 * m_scroll->frameWidth();
    return {width, fontMetrics().lineSpacing() * 8};
}

} // namespace kwb::ui
