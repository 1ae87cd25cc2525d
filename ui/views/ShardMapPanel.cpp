#include "views/ShardMapPanel.h"

#include "Record.h"
#include "views/ShardBarWidget.h"
#include "views/ShardChartWidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kwb::ui {

ShardMapPanel::ShardMapPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("shardMapPanel"));
    auto *layout = new QVBoxLayout(this);
    auto *controls = new QHBoxLayout;
    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("shardSource"));
    m_source->setWordWrap(true); // gives way to the spin boxes in a narrow dock (presenter mode)
    m_virtualShards = new QSpinBox(this);
    m_virtualShards->setObjectName(QStringLiteral("virtualShards"));
    m_virtualShards->setRange(1, 1000);
    m_virtualShards->setValue(4);
    m_virtualShards->setSuffix(tr(" shards"));
    m_virtualShards->setToolTip(tr("Before a stream is chosen, routing is predicted for a virtual stream with this many "
                                   "evenly split shards (as CreateStream makes them)."));
    m_rate = new QSpinBox(this);
    m_rate->setObjectName(QStringLiteral("chartRate"));
    m_rate->setRange(1, 10000000);
    m_rate->setSingleStep(500);
    m_rate->setValue(1000);
    m_rate->setGroupSeparatorShown(true);
    m_rate->setSuffix(tr(" records/s"));
    m_rate->setToolTip(tr("The overall send rate the chart assumes. Each shard takes at most 1,000 records/s and 1 MiB/s; "
                          "beyond that its writes are throttled (ProvisionedThroughputExceededException)."));
    controls->addWidget(m_source, 1);
    controls->addWidget(m_virtualShards);
    controls->addWidget(new QLabel(tr("at"), this));
    controls->addWidget(m_rate);
    layout->addLayout(controls);

    m_bar = new ShardBarWidget(this);
    layout->addWidget(m_bar);
    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("shardWarning"));
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    m_warning->setTextFormat(Qt::RichText);
    layout->addWidget(m_warning);
    m_chart = new ShardChartWidget(this);
    layout->addWidget(m_chart, 1);
    m_aggregation = new QLabel(this);
    m_aggregation->setObjectName(QStringLiteral("aggregationLoad"));
    m_aggregation->setWordWrap(true);
    m_aggregation->setTextFormat(Qt::RichText);
    m_aggregation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_aggregation->setToolTip(tr("The rows at the chart's rate sent as plain records and packed into KPL aggregated "
                                 "records (the Send bar's size limit), against a shard's write limits: which limit "
                                 "the load reaches first, and how many shards it needs spread evenly over them."));
    m_aggregation->setVisible(false);
    // Wraps to the dock's width: a rich-text label would otherwise ask for its longest phrase
    // and make the dock scroll sideways when the text is large (presenter mode, 150 %).
    m_aggregation->setMinimumWidth(1);
    layout->addWidget(m_aggregation);

    connect(m_bar, &ShardBarWidget::shardClicked, this, &ShardMapPanel::shardClicked);
    connect(m_chart, &ShardChartWidget::limitsChanged, this, &ShardMapPanel::refreshAggregation);
    connect(m_virtualShards, &QSpinBox::valueChanged, this, &ShardMapPanel::virtualShardCountChanged);
    connect(m_rate, &QSpinBox::valueChanged, this, [this](int value) {
        m_chart->setRate(value);
        refresh();
        refreshAggregation();
        Q_EMIT rateChanged(value);
    });
    refresh();
}

void ShardMapPanel::setMap(const ShardMap &map, const QString &stream, int closedShards)
{
    m_map = map;
    m_stream = stream;
    m_bar->setMap(map);
    m_virtualShards->setEnabled(stream.isEmpty());
    const QLocale locale;
    if (stream.isEmpty())
        m_source->setText(tr("Virtual stream (no stream chosen):"));
    else if (closedShards > 0)
        m_source->setText(tr("Stream %1: %2 open shards, %3 closed (greyed)")
                              .arg(stream, locale.toString(map.openShardCount()), locale.toString(closedShards)));
    else
        m_source->setText(tr("Stream %1: %2 open shards").arg(stream, locale.toString(map.openShardCount())));
    if (stream.isEmpty()) {
        const QSignalBlocker blocker(m_virtualShards);
        m_virtualShards->setValue(map.openShardCount());
    }
    refresh();
    refreshAggregation();
}

void ShardMapPanel::setStats(const WorkspaceStats &stats)
{
    m_stats = stats;
    refresh();
}

void ShardMapPanel::setPacking(std::vector<kpl::ShardPacking> shards, qint64 aggregateMaxBytes)
{
    m_packing = std::move(shards);
    m_aggregateMaxBytes = aggregateMaxBytes;
    refreshAggregation();
}

void ShardMapPanel::refreshAggregation()
{
    // Packing measured for another map (a measure is in flight) is not shown.
    const bool fits = m_packing.size() == size_t(m_map.openShardCount());
    m_comparison = kpl::LoadComparison::compute(fits ? m_packing : std::vector<kpl::ShardPacking>(), m_rate->value(),
                                                m_chart->limits());
    QString text;
    if (m_comparison.userRecords > 0) {
        const QLocale locale;
        const send::ShardLimits &limits = m_chart->limits();
        const auto shards = [&](int n) { return n == 1 ? tr("1 shard") : tr("%1 shards").arg(locale.toString(n)); };
        const auto line = [&](const QString &title, const kpl::LoadComparison::Way &w) -> QString {
            QString s = tr("<b>%1</b>: %2 records/s, %3/s")
                            .arg(title, locale.toString(w.recordsPerSecond, 'f', w.recordsPerSecond < 10 ? 1 : 0),
                                 ShardChartWidget::shortBytes(w.bytesPerSecond));
            if (!m_comparison.limitsKnown)
                return s + QLatin1Char('.');
            const int percentRecords = qRound(100 * w.recordsPerSecond / limits.recordsPerSecond);
            const int percentBytes = qRound(100 * w.bytesPerSecond / limits.bytesPerSecond);
            s += tr(" (%1% and %2% of one shard's limits). %3 binds: %4 needed.")
                     .arg(locale.toString(percentRecords), locale.toString(percentBytes),
                          w.binding == kpl::LoadComparison::Binding::Records ? tr("Records/s") : tr("Bytes/s"),
                          shards(w.shardsNeeded));
            return s;
        };
        text = line(tr("Plain"), m_comparison.plain) + QStringLiteral("<br>")
            + line(tr("Aggregated (KPL, up to %1)").arg(ShardChartWidget::shortBytes(double(m_aggregateMaxBytes))),
                   m_comparison.aggregated);
        if (m_comparison.limitsKnown) {
            const int saved = m_comparison.plain.shardsNeeded - m_comparison.aggregated.shardsNeeded;
            const QString packed = tr("%1 user records go in %2 Kinesis records.")
                                       .arg(locale.toString(m_comparison.userRecords), locale.toString(m_comparison.kinesisRecords));
            text += QStringLiteral("<br>")
                + (saved > 0   ? tr("Aggregation saves %1 at this rate: ").arg(shards(saved))
                   : saved < 0 ? tr("Aggregation needs %1 more at this rate: ").arg(shards(-saved))
                               : tr("Aggregation needs as many shards at this rate: "))
                + packed;
        }
    }
    m_aggregationText = text;
    m_aggregation->setText(text);
    m_aggregation->setVisible(!text.isEmpty());
}

void ShardMapPanel::setMarkers(std::vector<UInt128> hashKeys)
{
    m_bar->setMarkers(std::move(hashKeys));
}

void ShardMapPanel::setPreviewMarker(std::optional<UInt128> hashKey)
{
    m_bar->setPreviewMarker(hashKey);
}

void ShardMapPanel::setSelectedShard(const QString &shardId)
{
    m_bar->setSelectedShard(shardId);
}

void ShardMapPanel::setVirtualShardCount(int count)
{
    m_virtualShards->setValue(count);
}

int ShardMapPanel::virtualShardCount() const
{
    return m_virtualShards->value();
}

void ShardMapPanel::setRate(int recordsPerSecond)
{
    m_rate->setValue(recordsPerSecond);
}

int ShardMapPanel::rate() const
{
    return m_rate->value();
}

QString ShardMapPanel::warningText() const
{
    return m_warningText;
}

void ShardMapPanel::refresh()
{
    // Stats computed for another map (a count is in flight) are not shown.
    const bool fits = m_stats.shardRecords.size() == size_t(m_map.openShardCount());
    std::vector<QString> ids;
    for (int i = 0; i < m_map.openShardCount(); ++i)
        ids.push_back(m_map.openShard(i).shardId);
    m_chart->setData(fits ? m_stats.shardRecords : std::vector<qint64>(), fits ? m_stats.shardBytes : std::vector<qint64>(), ids);
    m_chart->setRate(m_rate->value());
    m_bar->setRecords(fits ? m_stats.shardRecords : std::vector<qint64>());
    const std::vector<bool> hot = fits ? m_chart->hotShards() : std::vector<bool>();
    m_bar->setHotShards(hot);

    const QLocale locale;
    QString warning;
    int hottest = -1;
    int hotCount = 0;
    for (size_t i = 0; i < hot.size(); ++i) {
        if (!hot[i])
            continue;
        ++hotCount;
        if (hottest < 0 || m_chart->recordsPerSecond(int(i)) > m_chart->recordsPerSecond(hottest))
            hottest = int(i);
    }
    if (hottest >= 0) {
        const double rps = m_chart->recordsPerSecond(hottest);
        const double bps = m_chart->bytesPerSecond(hottest);
        const QString load = rps > limits::kShardRecordsPerSecond
            ? tr("%1 records/s (limit 1,000)").arg(locale.toString(qint64(rps)))
            : tr("%1 KiB/s (limit 1,024)").arg(locale.toString(qint64(bps / 1024)));
        warning = hotCount == 1
            ? tr("Hot shard: %1 would get %2 at %3 records/s overall. Expect throttling "
                 "(ProvisionedThroughputExceededException): lower the rate, spread the partition keys, or add shards.")
                  .arg(m_map.openShard(hottest).shardId, load, locale.toString(m_rate->value()))
            : tr("%1 hot shards; the hottest, %2, would get %3 at %4 records/s overall. Expect throttling "
                 "(ProvisionedThroughputExceededException): lower the rate, spread the partition keys, or add shards.")
                  .arg(locale.toString(hotCount))
                  .arg(m_map.openShard(hottest).shardId, load, locale.toString(m_rate->value()));
    } else if (fits && m_stats.records >= 100 && m_map.openShardCount() > 1) {
        const int busiest = m_stats.busiestShard();
        const double share = double(m_stats.shardRecords[size_t(busiest)]) / double(m_stats.records);
        const double fair = 1.0 / m_map.openShardCount();
        if (share > 2 * fair)
            warning = tr("Skewed keys: %1 holds %2% of the records (an even spread gives each shard %3%). It will be "
                         "throttled first.")
                          .arg(m_map.openShard(busiest).shardId)
                          .arg(qRound(share * 100))
                          .arg(qRound(fair * 100));
    }
    m_warningText = warning;
    m_warning->setVisible(!warning.isEmpty());
    if (!warning.isEmpty()) {
        const int size = fontMetrics().height();
        m_warning->setText(QStringLiteral("<img src=\":/icons/warning.svg\" width=\"%1\" height=\"%1\"> %2").arg(size).arg(warning.toHtmlEscaped()));
    }
}

} // namespace kwb::ui
