#include "views/LiveShardStrip.h"

#include "views/StatusColors.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace kwb::ui {

LiveShardStrip::LiveShardStrip(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LiveShardStrip::setShards(const QStringList &known, const QStringList &reading, const QStringList &finished)
{
    m_ids = known;
    for (const QStringList *list : {&finished, &reading}) {
        for (const QString &id : *list) {
            if (!m_ids.contains(id))
                m_ids.append(id);
        }
    }
    m_states.clear();
    for (const QString &id : std::as_const(m_ids))
        m_states.append(reading.contains(id) ? State::Reading : (finished.contains(id) ? State::Finished : State::NotRead));
    updateGeometry();
    update();
}

LiveShardStrip::State LiveShardStrip::state(const QString &shardId) const
{
    const int i = int(m_ids.indexOf(shardId));
    return i < 0 ? State::NotRead : m_states[i];
}

QString LiveShardStrip::shortName(const QString &shardId)
{
    int start = int(shardId.size());
    while (start > 0 && shardId[start - 1].isDigit())
        --start;
    if (start == shardId.size())
        return shardId;
    const QString digits = shardId.mid(start);
    bool ok = false;
    const qulonglong n = digits.toULongLong(&ok);
    return ok ? QString::number(n) : digits;
}

int LiveShardStrip::chipWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("0000")) + 8;
}

QRect LiveShardStrip::chipRect(int index) const
{
    const int w = chipWidth();
    const int perLine = std::max(1, (width() - 2) / (w + 4));
    const int h = fontMetrics().height() + 6;
    return QRect(1 + (index % perLine) * (w + 4), 1 + (index / perLine) * (h + 4), w, h);
}

QSize LiveShardStrip::sizeHint() const
{
    const int w = chipWidth();
    const int h = fontMetrics().height() + 6;
    const int perLine = std::max(1, (std::max(width(), 200) - 2) / (w + 4));
    const int lines = std::max<int>(1, (int(m_ids.size()) + perLine - 1) / perLine);
    return {std::max<int>(1, int(m_ids.size())) * (w + 4) + 2, lines * (h + 4) + 2};
}

QSize LiveShardStrip::minimumSizeHint() const
{
    return {chipWidth() + 2, sizeHint().height()};
}

void LiveShardStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor reading = StatusColors::success();
    for (int i = 0; i < m_ids.size(); ++i) {
        const QRectF r = QRectF(chipRect(i)).adjusted(0.5, 0.5, -0.5, -0.5);
        QColor text = palette().color(QPalette::WindowText);
        switch (m_states[i]) {
        case State::Reading:
            p.setPen(reading.darker(120));
            p.setBrush(reading);
            text = Qt::white;
            break;
        case State::Finished:
            p.setPen(palette().color(QPalette::Mid));
            p.setBrush(QBrush(palette().color(QPalette::Mid), Qt::BDiagPattern));
            break;
        case State::NotRead:
            p.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            break;
        }
        p.drawRoundedRect(r, 3, 3);
        p.setPen(text);
        p.drawText(r, Qt::AlignCenter, shortName(m_ids[i]));
    }
}

bool LiveShardStrip::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (int i = 0; i < m_ids.size(); ++i) {
            if (chipRect(i).contains(help->pos())) {
                const QString state = m_states[i] == State::Reading
                                          ? tr("being read")
                                          : (m_states[i] == State::Finished ? tr("closed, read to its end") : tr("not read"));
                QToolTip::showText(help->globalPos(), tr("%1: %2").arg(m_ids[i], state), this);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace kwb::ui
