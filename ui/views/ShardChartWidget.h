#pragma once

#include "send/FlowController.h"

#include <QWidget>

#include <vector>

namespace kwb::ui {

/// Per-shard load if the workspace's records were sent at a chosen overall rate: records/s and
/// bytes/s per shard as bars, each against the target's shard limit (AWS: 1,000 records/s and
/// 1 MiB/s; the sandbox: its current limits) drawn as a dashed line. Bars over a limit are hatched in the warning accent. Painted with the palette.
/// GUI thread.
class ShardChartWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ShardChartWidget(QWidget *parent = nullptr);

    /// Per open shard: records and bytes; shard ids for tooltips.
    void setData(std::vector<qint64> records, std::vector<qint64> bytes, std::vector<QString> shardIds);
    /// Records per second over all shards.
    void setRate(double recordsPerSecond);
    /// The target's per-shard limits: the dashed lines and what counts as over.
    void setLimits(const send::ShardLimits &limits);
    const send::ShardLimits &limits() const { return m_limits; }
    /// The text beside a limit line: "1,000/s", "10.2 KiB/s".
    QString limitLabel(int which) const;
    /// Bytes in short: "850 B", "391 KiB", "1.5 MiB".
    static QString shortBytes(double bytes);

    /// Records/s and bytes/s shard `i` gets at the rate.
    double recordsPerSecond(int shard) const;
    double bytesPerSecond(int shard) const;
    /// Shards over either limit.
    std::vector<bool> hotShards() const;
    /// Presenter mode: every shard labelled with its number and every bar with its value.
    void setPresenting(bool presenting);
    bool isPresenting() const { return m_presenting; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// setLimits() changed them.
    void limitsChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Panel
    {
        QRectF area;
        double limit;
        double scale;
    };
    Panel panel(int which) const;
    int shardAt(const QPointF &pos) const;
    /// Height kept under each panel for the shard numbers (presenter mode), 0 otherwise.
    double labelHeight() const;
    void drawPresenterLabels(QPainter &p, const Panel &panelInfo, int which) const;

    std::vector<qint64> m_records;
    std::vector<qint64> m_bytes;
    std::vector<QString> m_ids;
    qint64 m_totalRecords = 0;
    double m_rate = 1000;
    send::ShardLimits m_limits;
    bool m_presenting = false;
};

} // namespace kwb::ui
