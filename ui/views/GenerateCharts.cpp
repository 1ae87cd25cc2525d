#include "views/GenerateCharts.h"

#include "generate/RunStats.h"
#include "views/StatusColors.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace kwb::ui {

namespace {

/// A round top for an axis: 1, 2 or 5 times a power of ten, above `value` and at least 10.
double niceTop(double value)
{
    value = std::max(10.0, value * 1.1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0})
        if (step * magnitude >= value)
            return step * magnitude;
    return 10 * magnitude;
}

QColor colorOf(GenerateCharts::Series s)
{
    switch (s) {
    case GenerateCharts::Series::Sent:
        return StatusColors::info();
    case GenerateCharts::Series::Succeeded:
        return StatusColors::success();
    case GenerateCharts::Series::Throttled:
        return StatusColors::error();
    case GenerateCharts::Series::Latency:
        return StatusColors::warning();
    }
    return StatusColors::info();
}

QPen penOf(GenerateCharts::Series s)
{
    // Told apart by the dash too, not by colour alone.
    return QPen(colorOf(s), 2, s == GenerateCharts::Series::Latency ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
}

constexpr GenerateCharts::Series kAll[] = {GenerateCharts::Series::Sent, GenerateCharts::Series::Succeeded,
                                           GenerateCharts::Series::Throttled, GenerateCharts::Series::Latency};

} // namespace

/// The plot itself: records/s on the left axis, latency in ms on the right, seconds at the bottom.
class GeneratePlot : public QWidget
{
public:
    explicit GeneratePlot(GenerateCharts *charts)
        : QWidget(charts)
        , m_charts(charts)
    {
        setObjectName(QStringLiteral("generateChartPlot"));
        setMinimumHeight(fontMetrics().height() * 11);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    QSize sizeHint() const override { return {fontMetrics().horizontalAdvance(QLatin1Char('0')) * 70, fontMetrics().height() * 14}; }

protected:
    QRectF area() const
    {
        const double line = fontMetrics().height();
        const double left = fontMetrics().horizontalAdvance(QStringLiteral("100,000")) + 10;
        const double right = fontMetrics().horizontalAdvance(QStringLiteral("10,000 ms")) + 10;
        return QRectF(left, line * 2.0, std::max(10.0, width() - left - right), std::max(10.0, height() - line * 3.4));
    }
    double x(const QRectF &a, double second) const
    {
        const double span = double(GenerateCharts::windowSeconds());
        return a.left() + a.width() * (second - double(m_charts->m_first)) / span;
    }

    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QPalette &pal = palette();
        const QLocale locale;
        const double line = fontMetrics().height();
        const QRectF a = area();
        // Legend: a short stroke of each line's pen and its name.
        const QString names[] = {GenerateCharts::tr("sent/s"), GenerateCharts::tr("succeeded/s"), GenerateCharts::tr("throttled/s"), GenerateCharts::tr("latency (ms, right)")};
        double lx = a.left();
        for (GenerateCharts::Series s : kAll) {
            p.setPen(penOf(s));
            p.drawLine(QPointF(lx, line * 0.7), QPointF(lx + 18, line * 0.7));
            p.setPen(pal.color(QPalette::WindowText));
            const QString &name = names[size_t(s)];
            p.drawText(QRectF(lx + 22, 0, fontMetrics().horizontalAdvance(name) + 2, line * 1.4), Qt::AlignVCenter, name);
            lx += 22 + fontMetrics().horizontalAdvance(name) + 16;
        }
        p.fillRect(a, pal.color(QPalette::Base));
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.drawRect(a);
        // Axes: a round top each, and a grid line at half of it.
        double rateTop = 0, msTop = 0;
        for (GenerateCharts::Series s : {GenerateCharts::Series::Sent, GenerateCharts::Series::Succeeded, GenerateCharts::Series::Throttled})
            for (const QPointF &pt : m_charts->points(s))
                rateTop = std::max(rateTop, pt.y());
        for (const QPointF &pt : m_charts->points(GenerateCharts::Series::Latency))
            msTop = std::max(msTop, pt.y());
        rateTop = niceTop(rateTop);
        msTop = niceTop(msTop);
        p.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DotLine));
        p.drawLine(QPointF(a.left(), a.center().y()), QPointF(a.right(), a.center().y()));
        p.setPen(pal.color(QPalette::WindowText));
        for (auto [fraction, y] : {std::pair{1.0, a.top()}, std::pair{0.5, a.center().y()}, std::pair{0.0, a.bottom()}}) {
            p.drawText(QRectF(0, y - line / 2, a.left() - 5, line), Qt::AlignRight | Qt::AlignVCenter,
                       locale.toString(qRound64(rateTop * fraction)));
            p.drawText(QRectF(a.right() + 5, y - line / 2, width() - a.right() - 5, line), Qt::AlignLeft | Qt::AlignVCenter,
                       GenerateCharts::tr("%1 ms").arg(locale.toString(qRound64(msTop * fraction))));
        }
        const qint64 first = m_charts->m_first;
        const qint64 last = first + GenerateCharts::windowSeconds();
        p.drawText(QRectF(a.left(), a.bottom() + 2, a.width() / 2, line), Qt::AlignLeft | Qt::AlignTop,
                   GenerateCharts::tr("%1 s").arg(locale.toString(first)));
        p.drawText(QRectF(a.left(), a.bottom() + 2, a.width(), line), Qt::AlignHCenter | Qt::AlignTop,
                   GenerateCharts::tr("seconds into the run"));
        p.drawText(QRectF(a.center().x(), a.bottom() + 2, a.width() / 2, line), Qt::AlignRight | Qt::AlignTop,
                   GenerateCharts::tr("%1 s").arg(locale.toString(last)));
        if (m_charts->points(GenerateCharts::Series::Sent).isEmpty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(a, Qt::AlignCenter | Qt::TextWordWrap,
                       GenerateCharts::tr("While a run goes, each second's records sent and succeeded, throttles and latency show here."));
            return;
        }
        p.setClipRect(a.adjusted(0, -2, 0, 0));
        for (GenerateCharts::Series s : kAll) {
            const double top = s == GenerateCharts::Series::Latency ? msTop : rateTop;
            QPainterPath path;
            const QList<QPointF> &points = m_charts->points(s);
            for (qsizetype i = 0; i < points.size(); ++i) {
                const QPointF at(x(a, points[i].x()), a.bottom() - a.height() * points[i].y() / top);
                if (i == 0)
                    path.moveTo(at);
                else
                    path.lineTo(at);
            }
            p.setPen(penOf(s));
            p.drawPath(path);
        }
    }

    bool event(QEvent *event) override
    {
        if (event->type() != QEvent::ToolTip)
            return QWidget::event(event);
        auto *help = static_cast<QHelpEvent *>(event);
        const QRectF a = area();
        const QList<QPointF> &sent = m_charts->points(GenerateCharts::Series::Sent);
        const double second = double(m_charts->m_first) + (help->pos().x() - a.left()) * GenerateCharts::windowSeconds() / a.width();
        qsizetype nearest = -1;
        for (qsizetype i = 0; i < sent.size(); ++i)
            if (std::abs(sent[i].x() - second) < 0.5)
                nearest = i;
        if (nearest < 0 || !a.contains(help->pos())) {
            QToolTip::hideText();
            return true;
        }
        const QLocale locale;
        const auto y = [&](GenerateCharts::Series s) { return locale.toString(qRound64(m_charts->points(s)[nearest].y())); };
        QToolTip::showText(help->globalPos(),
                           GenerateCharts::tr("<b>Second %1</b><br>%2 sent, %3 succeeded, %4 throttled<br>mean latency %5 ms")
                               .arg(locale.toString(qint64(sent[nearest].x())), y(GenerateCharts::Series::Sent),
                                    y(GenerateCharts::Series::Succeeded), y(GenerateCharts::Series::Throttled),
                                    y(GenerateCharts::Series::Latency)),
                           this);
        return true;
    }

private:
    GenerateCharts *m_charts;
};

GenerateCharts::GenerateCharts(QWidget *parent)
    : QWidget(parent)
    , m_shard(new QComboBox(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("generateCharts"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    auto *label = new QLabel(tr("C&hart:"), this);
    label->setBuddy(m_shard);
    m_shard->setObjectName(QStringLiteral("generateChartShard"));
    m_shard->setToolTip(tr("The run over all shards, or one shard's part of it"));
    m_shard->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_summary->setObjectName(QStringLiteral("generateChartSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(label);
    top->addWidget(m_shard);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);
    m_plot = new GeneratePlot(this);
    layout->addWidget(m_plot, 1);
    connect(m_shard, &QComboBox::currentIndexChanged, this, &GenerateCharts::rebuild);
    restart();
}

int GenerateCharts::windowSeconds()
{
    return generate::RunStats::kWindowSeconds;
}

void GenerateCharts::restart()
{
    m_second = 0;
    const QSignalBlocker blocker(m_shard);
    m_shard->clear();
    m_shard->addItem(tr("All shards"), -1);
    if (m_stats)
        for (int i = 0; i < m_stats->shardIds().size(); ++i)
            m_shard->addItem(m_stats->shardIds()[i], i);
    rebuild();
}

int GenerateCharts::shard() const
{
    return m_shard->currentData().toInt();
}

void GenerateCharts::setShard(int shard)
{
    m_shard->setCurrentIndex(std::max(0, m_shard->findData(shard)));
}

void GenerateCharts::refresh(qint64 second)
{
    m_second = std::max<qint64>(0, second);
    rebuild();
}

void GenerateCharts::rebuild()
{
    const int shard = this->shard();
    m_first = std::max<qint64>(0, m_second - windowSeconds());
    for (QList<QPointF> &line : m_lines)
        line.clear();
    for (qint64 s = m_first; m_stats && s < m_second; ++s) {
        const generate::RunStats::Second at = m_stats->at(shard, s);
        const double x = double(s) + 0.5; // the middle of its second
        m_lines[size_t(Series::Sent)].append({x, double(at.sent)});
        m_lines[size_t(Series::Succeeded)].append({x, double(at.succeeded)});
        m_lines[size_t(Series::Throttled)].append({x, double(at.throttled)});
        m_lines[size_t(Series::Latency)].append({x, at.meanLatencyMs()});
    }
    m_plot->update();
    if (!m_stats || m_stats->lastSecond() < 0 || m_second == 0) {
        m_summary->setText(QString());
        return;
    }
    const generate::RunStats::Totals &t = shard < 0 ? m_stats->totals() : m_stats->shardTotals(shard);
    const QLocale locale;
    m_summary->setText(tr("%1: %2 records done, %3 succeeded, %4 failed, %5 throttles")
                           .arg(shard < 0 ? tr("Whole run") : m_stats->shardIds().value(shard), locale.toString(t.records),
                                locale.toString(t.succeeded), locale.toString(t.failed), locale.toString(t.throttles)));
}

} // namespace kwb::ui
