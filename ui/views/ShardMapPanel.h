#pragma once

#include "HashKey.h"
#include "ShardMap.h"
#include "kpl/LoadComparison.h"
#include "models/WorkspaceStats.h"

#include <QWidget>

#include <optional>

class QLabel;
class QSpinBox;

namespace kwb::ui {

class ShardBarWidget;
class ShardChartWidget;

/// The shard map dock: the key space bar with the selected rows' markers, the per-shard chart
/// at a chosen send rate with the shard limits, and a warning in words when a shard would be
/// hot; under it, the load of the rows sent plain and aggregated (KPL) at that rate, which shard
/// limit binds and how many shards each way needs (kpl::LoadComparison). The map is the stream's (ListShards) or, before one is chosen, a virtual stream whose
/// shard count is set here. Counts come from StatsController (counted in short slices).
/// Clicking a shard emits shardClicked() (the window filters the table). GUI thread.
class ShardMapPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ShardMapPanel(QWidget *parent = nullptr);

    /// `stream` empty: a virtual stream (the shard count can be changed).
    void setMap(const ShardMap &map, const QString &stream, int closedShards = 0);
    void setStats(const WorkspaceStats &stats);
    void setMarkers(std::vector<UInt128> hashKeys);
    void setPreviewMarker(std::optional<UInt128> hashKey);
    void setSelectedShard(const QString &shardId);
    void setVirtualShardCount(int count);
    int virtualShardCount() const;
    void setRate(int recordsPerSecond);
    int rate() const;

    /// The rows measured per open shard as plain and aggregated records (kpl::Aggregator::measure)
    /// with aggregated records of at most `aggregateMaxBytes`; empty: not measured.
    void setPacking(std::vector<kpl::ShardPacking> shards, qint64 aggregateMaxBytes);
    /// The comparison shown (no load before the rows are measured for this map).
    const kpl::LoadComparison &loadComparison() const { return m_comparison; }
    /// The comparison in words, empty when nothing is shown.
    QString aggregationText() const { return m_aggregationText; }

    /// The warning shown, empty when no shard is hot or skewed.
    QString warningText() const;
    ShardBarWidget *bar() const { return m_bar; }
    ShardChartWidget *chart() const { return m_chart; }

Q_SIGNALS:
    void shardClicked(const QString &shardId);
    void virtualShardCountChanged(int count);
    void rateChanged(int recordsPerSecond);

private:
    void refresh();
    void refreshAggregation();

    ShardMap m_map;
    QString m_stream;
    WorkspaceStats m_stats;
    QLabel *m_source = nullptr;
    QSpinBox *m_virtualShards = nullptr;
    QSpinBox *m_rate = nullptr;
    ShardBarWidget *m_bar = nullptr;
    ShardChartWidget *m_chart = nullptr;
    QLabel *m_warning = nullptr;
    QString m_warningText;
    std::vector<kpl::ShardPacking> m_packing;
    qint64 m_aggregateMaxBytes = 0;
    kpl::LoadComparison m_comparison;
    QLabel *m_aggregation = nullptr;
    QString m_aggregationText;
};

} // namespace kwb::ui
