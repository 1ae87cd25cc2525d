#include "views/RequestLogPanel.h"

#include "models/RequestLogModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace kwb::ui {

RequestLogPanel::RequestLogPanel(RequestLogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("requestLogPanel"));
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_log);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    const int ch = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[] = {14, 22, 10, 9, 8, 10, 11, 36, 30};
    static_assert(std::size(widths) == RequestLogModel::ColumnCount);
    for (int c = 0; c < RequestLogModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c] * ch);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    clear->setObjectName(QStringLiteral("clearLog"));
    connect(clear, &QToolButton::clicked, m_log, &RequestLogModel::clear);
    auto *title = new QLabel(tr("Each HTTP request: the last %1 are kept.").arg(QLocale().toString(m_log->limit())), this);
    auto *top = new QHBoxLayout;
    top->addWidget(title, 1);
    top->addWidget(clear);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    // Follow new entries while scrolled to the bottom.
    connect(m_log, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->verticalScrollBar()->value() >= m_view->verticalScrollBar()->maximum() - 2)
            m_view->scrollToBottom();
    });
}

} // namespace kwb::ui
