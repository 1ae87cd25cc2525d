#include "views/ShardBarWidget.h"

#include "views/StatusColors.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <cmath>

namespace kwb::ui {

namespace {

const double kKeySpace = std::ldexp(1.0, 128);

double fraction(UInt128 key)
{
    return double(key) / kKeySpace;
}

QString shortId(const QString &shardId)
{
    // "shardId-000000000012" -> "12"
    qsizetype i = shardId.lastIndexOf(QLatin1Char('-'));
    QString digits = i >= 0 ? shardId.mid(i + 1) : shardId;
    while (digits.size() > 1 && digits.startsWith(QLatin1Char('0')))
        digits.remove(0, 1);
    return digits;
}

} // namespace

ShardBarWidget::ShardBarWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("shardBar"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("The hash key space 0 … 2^128-1, divided into shards. Each record's hash key (MD5 of the partition "
                  "key, or the explicit hash key) falls into exactly one shard. Click a shard to show its rows."));
}

QSize ShardBarWidget::sizeHint() const
{
    const int line = fontMetrics().height();
    return {480, line * 4 + 12};
}

QSize ShardBarWidget::minimumSizeHint() const
{
    return {160, fontMetrics().height() * 4 + 12};
}

void ShardBarWidget::setMap(const ShardMap &map)
{
    m_map = map;
    if (m_records.size() != size_t(map.openShardCount()))
        m_records.clear();
    m_hot.clear();
    update();
}

void ShardBarWidget::setRecords(std::vector<qint64> recordsPerShard)
{
    m_records = std::move(recordsPerShard);
    update();
}

void ShardBarWidget::setHotShards(std::vector<bool> hot)
{
    m_hot = std::move(hot);
    update();
}

void ShardBarWidget::setMarkers(std::vector<UInt128> hashKeys)
{
    m_markers = std::move(hashKeys);
    update();
}

void ShardBarWidget::setPreviewMarker(std::optional<UInt128> hashKey)
{
    m_preview = hashKey;
    update();
}

void ShardBarWidget::setSelectedShard(const QString &shardId)
{
    m_selected = shardId;
    update();
}

QRectF ShardBarWidget::closedLaneRect() const
{
    const double line = fontMetrics().height();
    return QRectF(4, 4, width() - 8, line * 0.5);
}

QRectF ShardBarWidget::barRect() const
{
    const double line = fontMetrics().height();
    return QRectF(4, 4 + line * 0.5 + line * 0.6, width() - 8, line * 1.6);
}

double ShardBarWidget::xOf(UInt128 hashKey) const
{
    const QRectF bar = barRect();
    return bar.left() + fraction(hashKey) * bar.width();
}

int ShardBarWidget::openShardAt(int x) const
{
    const QRectF bar = barRect();
    if (m_map.isEmpty() || x < bar.left() || x > bar.right())
        return -1;
    const double f = std::clamp((x - bar.left()) / bar.width(), 0.0, 1.0);
    const UInt128 key = f >= 1.0 ? kMaxHashKey : UInt128(std::ldexp(f, 128));
    return m_map.openIndexFor(key);
}

void ShardBarWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QRectF bar = barRect();
    const double line = fontMetrics().height();

    // Closed shards: greyed, in their own lane (their key ranges overlap open ones).
    const QRectF lane = closedLaneRect();
    for (const Shard &s : m_map.shards()) {
        if (s.isOpen())
            continue;
        const double x0 = lane.left() + fraction(s.startingHashKey) * lane.width();
        const double x1 = lane.left() + fraction(s.endingHashKey) * lane.width();
        QRectF r(x0, lane.top(), std::max(1.0, x1 - x0), lane.height());
        p.fillRect(r, pal.color(QPalette::Disabled, QPalette::Button));
        p.setPen(QPen(pal.color(QPalette::Disabled, QPalette::WindowText), 0.5));
        p.drawRect(r);
    }

    p.fillRect(bar, pal.color(QPalette::Base));
    qint64 maxRecords = 0;
    for (qint64 n : m_records)
        maxRecords = std::max(maxRecords, n);
    const int shards = m_map.openShardCount();
    const QColor fillColor = pal.color(QPalette::Highlight);
    for (int i = 0; i < shards; ++i) {
        const Shard &s = m_map.openShard(i);
        const double x0 = xOf(s.startingHashKey);
        const double x1 = i + 1 < shards ? xOf(m_map.openShard(i + 1).startingHashKey) : bar.right();
        QRectF r(x0, bar.top(), std::max(1.0, x1 - x0), bar.height());
        p.fillRect(r, i % 2 ? pal.color(QPalette::AlternateBase) : pal.color(QPalette::Base));
        const bool hot = size_t(i) < m_hot.size() && m_hot[size_t(i)];
        if (size_t(i) < m_records.size() && maxRecords > 0 && m_records[size_t(i)] > 0) {
            const double h = r.height() * double(m_records[size_t(i)]) / double(maxRecords);
            QRectF level(r.left(), r.bottom() - h, r.width(), h);
            QColor c = hot ? StatusColors::warning() : fillColor;
            c.setAlpha(hot ? 170 : 110);
            p.fillRect(level, c);
            if (hot)
                p.fillRect(level, QBrush(StatusColors::warning().darker(140), Qt::BDiagPattern));
        }
        if (s.shardId == m_selected) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
            p.drawRect(r.adjusted(1, 1, -1, -1));
        }
        if (shards <= 256) {
            p.setPen(QPen(pal.color(QPalette::Mid), 1));
            p.drawLine(QPointF(x0, bar.top()), QPointF(x0, bar.bottom()));
        }
        const QString label = shortId(s.shardId);
        if (r.width() > fontMetrics().horizontalAdvance(label) + 6) {
            p.setPen(pal.color(QPalette::Text));
            p.drawText(r, Qt::AlignCenter, label);
        }
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar);

    // Markers of the selected rows: a tick through the bar and a small triangle above it.
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::WindowText));
    const double tri = line * 0.35;
    for (UInt128 key : m_markers) {
        const double x = xOf(key);
        QPainterPath path;
        path.moveTo(x - tri, bar.top() - tri * 1.4);
        path.lineTo(x + tri, bar.top() - tri * 1.4);
        path.lineTo(x, bar.top());
        path.closeSubpath();
        p.drawPath(path);
        p.fillRect(QRectF(x - 0.75, bar.top(), 1.5, bar.height()), pal.color(QPalette::WindowText));
    }
    if (m_preview) {
        const double x = xOf(*m_preview);
        p.setPen(QPen(pal.color(QPalette::Highlight), 2, Qt::DashLine));
        p.drawLine(QPointF(x, bar.top() - tri * 1.4), QPointF(x, bar.bottom()));
    }

    // Axis: where the key space starts, halves and ends.
    p.setPen(pal.color(QPalette::WindowText));
    const QRectF axis(bar.left(), bar.bottom() + 2, bar.width(), line);
    p.drawText(axis, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("0"));
    p.drawText(axis, Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("2^127"));
    p.drawText(axis, Qt::AlignRight | Qt::AlignTop, QStringLiteral("2^128-1"));
}

void ShardBarWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int shard = openShardAt(int(event->position().x()));
    if (shard >= 0)
        Q_EMIT shardClicked(m_map.openShard(shard).shardId);
}

bool ShardBarWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int shard = openShardAt(help->pos().x());
        if (shard >= 0) {
            const Shard &s = m_map.openShard(shard);
            QString text = tr("<b>%1</b><br>hash keys %2 … %3").arg(s.shardId, hashKeyToString(s.startingHashKey),
                                                                     hashKeyToString(s.endingHashKey));
            if (size_t(shard) < m_records.size())
                text += m_records[size_t(shard)] == 1 ? tr("<br>1 record predicted here")
                                                       : tr("<br>%1 records predicted here").arg(QLocale().toString(m_records[size_t(shard)]));
            if (size_t(shard) < m_hot.size() && m_hot[size_t(shard)])
                text += tr("<br>Over the shard's write limit at the chosen rate");
            text += tr("<br>Click to show its rows");
            QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
    }
    return QWidget::event(event);
}

} // namespace kwb::ui
