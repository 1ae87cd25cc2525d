#include "views/ShardChartWidget.h"

#include "Record.h"
#include "views/StatusColors.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <cmath>
#include <numeric>

namespace kwb::ui {

QString ShardChartWidget::shortBytes(double bytes)
{
    if (bytes >= 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
    if (bytes >= 1024.0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 0);
    return QStringLiteral("%1 B").arg(qint64(bytes));
}

void ShardChartWidget::setLimits(const send::ShardLimits &limits)
{
    if (limits == m_limits)
        return;
    m_limits = limits;
    setToolTip(tr("Dashed lines: the target's write limits, %1").arg(limits.describe()));
    update();
    Q_EMIT limitsChanged();
}

QString ShardChartWidget::limitLabel(int which) const
{
    const QLocale locale;
    if (which == 0) {
        const double r = m_limits.recordsPerSecond;
        return tr("%1/s").arg(r == std::floor(r) ? locale.toString(qint64(r)) : locale.toString(r, 'g', 3));
    }
    return tr("%1/s").arg(shortBytes(m_limits.bytesPerSecond));
}

ShardChartWidget::ShardChartWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("shardChart"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QSize ShardChartWidget::sizeHint() const
{
    return {480, fontMetrics().height() * 14};
}

QSize ShardChartWidget::minimumSizeHint() const
{
    return {160, fontMetrics().height() * 8};
}

void ShardChartWidget::setData(std::vector<qint64> records, std::vector<qint64> bytes, std::vector<QString> shardIds)
{
    m_records = std::move(records);
    m_bytes = std::move(bytes);
    m_ids = std::move(shardIds);
    m_totalRecords = std::accumulate(m_records.begin(), m_records.end(), qint64(0));
    update();
}

void ShardChartWidget::setRate(double recordsPerSecond)
{
    m_rate = std::max(1.0, recordsPerSecond);
    update();
}

double ShardChartWidget::recordsPerSecond(int shard) const
{
    if (m_totalRecords <= 0 || size_t(shard) >= m_records.size())
        return 0;
    return m_rate * double(m_records[size_t(shard)]) / double(m_totalRecords);
}

double ShardChartWidget::bytesPerSecond(int shard) const
{
    if (m_totalRecords <= 0 || size_t(shard) >= m_bytes.size())
        return 0;
    // Sending at m_rate records/s overall takes total/m_rate seconds; each shard's bytes spread over it.
    return double(m_bytes[size_t(shard)]) * m_rate / double(m_totalRecords);
}

std::vector<bool> ShardChartWidget::hotShards() const
{
    std::vector<bool> hot(m_records.size(), false);
    for (size_t i = 0; i < m_records.size(); ++i)
        hot[i] = !m_limits.unlimited
            && (recordsPerSecond(int(i)) > m_limits.recordsPerSecond || bytesPerSecond(int(i)) > m_limits.bytesPerSecond);
    return hot;
}

ShardChartWidget::Panel ShardChartWidget::panel(int which) const
{
    const double line = fontMetrics().height();
    const double left = fontMetrics().horizontalAdvance(QStringLiteral("1,000 MiB/s")) + 8;
    const double top = 4 + line * 1.3;
    const double labels = labelHeight();
    const double gap = line * 1.6 + labels;
    const double h = (height() - top - gap - line * 0.5 - labels) / 2.0;
    const QRectF area(left, top + which * (h + gap), width() - left - 6, std::max(10.0, h));
    // Without limits the scale still starts at AWS's, so that the bars keep a familiar size.
    const send::ShardLimits shown = m_limits.unlimited ? send::ShardLimits::documented() : m_limits;
    const double limit = which == 0 ? shown.recordsPerSecond : shown.bytesPerSecond;
    double top_ = limit * 1.25;
    for (size_t i = 0; i < m_records.size(); ++i)
        top_ = std::max(top_, (which == 0 ? recordsPerSecond(int(i)) : bytesPerSecond(int(i))) * 1.1);
    return {area, limit, top_};
}

void ShardChartWidget::setPresenting(bool presenting)
{
    if (presenting == m_presenting)
        return;
    m_presenting = presenting;
    updateGeometry();
    update();
}

double ShardChartWidget::labelHeight() const
{
    if (!m_presenting || m_records.empty())
        return 0;
    // Numbers side by side when they fit under their bars, else standing upright.
    const double barW = (width() - fontMetrics().horizontalAdvance(QStringLiteral("1,000 MiB/s")) - 14) / double(m_records.size());
    const double widest = fontMetrics().horizontalAdvance(QString::number(m_records.size() - 1)) + 4;
    return (widest <= barW ? fontMetrics().height() : widest) + 2;
}

void ShardChartWidget::drawPresenterLabels(QPainter &p, const Panel &panelInfo, int which) const
{
    const QRectF &a = panelInfo.area;
    const int n = int(m_records.size());
    const double barW = a.width() / n;
    const double line = fontMetrics().height();
    const QLocale locale;
    p.setPen(palette().color(QPalette::WindowText));
    for (int i = 0; i < n; ++i) {
        const double x = a.left() + i * barW;
        // The shard's number (as in its id) under its bar.
        const QString number = QString::number(i);
        const double numberW = fontMetrics().horizontalAdvance(number) + 4;
        if (numberW <= barW) {
            p.drawText(QRectF(x, a.bottom() + 1, barW, line), Qt::AlignCenter, number);
        } else {
            p.save();
            p.translate(x + barW / 2 + line / 2 - 1, a.bottom() + 2);
            p.rotate(90);
            p.drawText(QRectF(0, 0, numberW, line), Qt::AlignLeft | Qt::AlignVCenter, number);
            p.restore();
        }
        // The value on (above) its bar.
        const double v = which == 0 ? recordsPerSecond(i) : bytesPerSecond(i);
        const QString value = which == 0 ? locale.toString(qint64(std::llround(v))) : shortBytes(v);
        const double h = a.height() * v / panelInfo.scale;
        const double valueW = fontMetrics().horizontalAdvance(value) + 4;
        if (valueW <= barW) {
            const double y = std::max(a.top(), a.bottom() - h - line);
            p.drawText(QRectF(x, y, barW, line), Qt::AlignCenter, value);
        } else {
            // Upright, reading upwards from just above the bar (inside the bar when it is tall).
            const double room = a.bottom() - h - a.top();
            const double base = room >= valueW ? a.bottom() - h - 2 : a.bottom() - 2;
            p.save();
            p.translate(x + barW / 2 + line / 2 - 1, base);
            p.rotate(-90);
            if (room < valueW)
                p.setPen(palette().color(QPalette::HighlightedText));
            p.drawText(QRectF(0, -line, valueW, line), Qt::AlignLeft | Qt::AlignVCenter, value);
            p.restore();
            p.setPen(palette().color(QPalette::WindowText));
        }
    }
}

int ShardChartWidget::shardAt(const QPointF &pos) const
{
    const Panel p = panel(0);
    if (m_records.empty() || pos.x() < p.area.left() || pos.x() > p.area.right())
        return -1;
    return std::clamp(int((pos.x() - p.area.left()) / p.area.width() * double(m_records.size())), 0, int(m_records.size()) - 1);
}

void ShardChartWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const QLocale locale;
    const double line = fontMetrics().height();
    if (m_records.empty() || m_totalRecords == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Add records to see how they spread over the shards."));
        return;
    }
    const int n = int(m_records.size());
    for (int which = 0; which < 2; ++which) {
        const Panel panelInfo = panel(which);
        const QRectF &a = panelInfo.area;
        p.setPen(pal.color(QPalette::WindowText));
        const QString title = which == 0 ? tr("Records/s per shard at %1 records/s").arg(locale.toString(qint64(m_rate)))
                                         : tr("Bytes/s per shard");
        p.drawText(QRectF(a.left(), a.top() - line * 1.25, a.width(), line), Qt::AlignLeft | Qt::AlignVCenter, title);
        p.fillRect(a, pal.color(QPalette::Base));
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.drawRect(a);
        const double barW = a.width() / n;
        for (int i = 0; i < n; ++i) {
            const double v = which == 0 ? recordsPerSecond(i) : bytesPerSecond(i);
            const double h = a.height() * v / panelInfo.scale;
            QRectF bar(a.left() + i * barW + (barW > 4 ? 1 : 0), a.bottom() - h, std::max(1.0, barW - (barW > 4 ? 2 : 0)), h);
            const bool over = !m_limits.unlimited && v > panelInfo.limit;
            QColor c = over ? StatusColors::warning() : pal.color(QPalette::Highlight);
            p.fillRect(bar, c);
            if (over)
                p.fillRect(bar, QBrush(pal.color(QPalette::Base), Qt::BDiagPattern));
        }
        if (m_presenting)
            drawPresenterLabels(p, panelInfo, which);
        // The target's shard limit (none for a sandbox with its limits off).
        const double ly = a.bottom() - a.height() * panelInfo.limit / panelInfo.scale;
        if (!m_limits.unlimited) {
            QPen limitPen(StatusColors::error(), 1.5, Qt::DashLine);
            p.setPen(limitPen);
            p.drawLine(QPointF(a.left(), ly), QPointF(a.right(), ly));
            p.setPen(pal.color(QPalette::WindowText));
            p.drawText(QRectF(0, ly - line / 2, a.left() - 4, line), Qt::AlignRight | Qt::AlignVCenter, limitLabel(which));
        }
        p.setPen(pal.color(QPalette::WindowText));
        if (ly - a.top() > line)
            p.drawText(QRectF(0, a.top() - line / 2, a.left() - 4, line), Qt::AlignRight | Qt::AlignVCenter,
                       which == 0 ? locale.toString(qint64(panelInfo.scale)) : shortBytes(panelInfo.scale));
        // The zero, unless a low limit line's label (the sandbox at 1/100) sits there already.
        if (m_limits.unlimited || a.bottom() - ly > line)
            p.drawText(QRectF(0, a.bottom() - line / 2, a.left() - 4, line), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("0"));
    }
}

bool ShardChartWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int shard = shardAt(help->pos());
        if (shard >= 0) {
            const QLocale locale;
            const QString id = size_t(shard) < m_ids.size() ? m_ids[size_t(shard)] : QString::number(shard);
            QToolTip::showText(help->globalPos(),
                               tr("<b>%1</b><br>%2 records (%3)<br>%4 records/s of 1,000<br>%5/s of 1 MiB/s")
                                   .arg(id, locale.toString(m_records[size_t(shard)]), shortBytes(double(m_bytes[size_t(shard)])),
                                        locale.toString(qint64(recordsPerSecond(shard))),
                                        shortBytes(bytesPerSecond(shard))),
                               this);
            return true;
        }
    }
    return QWidget::event(event);
}

} // namespace kwb::ui
