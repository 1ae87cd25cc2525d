#include "views/EmptyTableHint.h"

#include <QAction>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace kwb::ui {

EmptyTableHint::EmptyTableHint(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyTableHint"));
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    auto *title = new QLabel(tr("<b>No records yet</b>"), this);
    title->setObjectName(QStringLiteral("emptyTitle"));
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    auto *text = new QLabel(tr("Add a record, open a file of records (JSON Lines, JSON, CSV, text), drop a file here, "
                               "or load the sample records to try sending."),
                            this);
    text->setObjectName(QStringLiteral("emptyText"));
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_buttons = new QVBoxLayout;
    m_buttons->setAlignment(Qt::AlignHCenter);
    layout->addLayout(m_buttons);
    layout->addStretch(1);
}

void EmptyTableHint::setActions(const QList<QAction *> &actions)
{
    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (QAction *action : actions) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setObjectName(QStringLiteral("empty-") + action->objectName());
        button->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('0')) * 28);
        m_buttons->addWidget(button, 0, Qt::AlignHCenter);
    }
}

} // namespace kwb::ui
