#pragma once

#include <QPointF>
#include <QWidget>

#include <array>

class QComboBox;
class QLabel;

namespace kwb::generate {
class RunStats;
}

namespace kwb::ui {

/// Live charts of a generator run: records/s sent and succeeded, throttles/s and the mean latency
/// of each second, over all shards or for the shard chosen, for the newest seconds only (the
/// run's RunStats keeps a sliding window, so the lines never grow). Painted with the palette, as
/// the shard map's chart is. Redrawn when told (each second of a run, and once at its end), so
/// it stops when the run does. GUI thread; the stats are not owned.
class GenerateCharts : public QWidget
{
    Q_OBJECT
public:
    enum class Series { Sent, Succeeded, Throttled, Latency };

    explicit GenerateCharts(QWidget *parent = nullptr);

    void setStats(const generate::RunStats *stats) { m_stats = stats; }
    /// Redraws the complete seconds before `second` (seconds into the run).
    void refresh(qint64 second);
    /// A new run: empties the chart and lists its shards.
    void restart();
    /// -1: all shards; else the open shard's index.
    int shard() const;
    void setShard(int shard);
    /// The points a line shows now (x: the middle of a second of the run; y: its value).
    const QList<QPointF> &points(Series series) const { return m_lines[size_t(series)]; }
    /// Seconds the chart spans.
    static int windowSeconds();

private:
    friend class GeneratePlot;
    void rebuild();

    const generate::RunStats *m_stats = nullptr;
    QComboBox *m_shard;
    QLabel *m_summary;
    QWidget *m_plot;
    std::array<QList<QPointF>, 4> m_lines;
    qint64 m_first = 0;  ///< the first second drawn
    qint64 m_second = 0; ///< the seconds before it are drawn
};

} // namespace kwb::ui
