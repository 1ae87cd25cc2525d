#pragma once

#include "HashKey.h"
#include "ShardMap.h"

#include <QWidget>

#include <optional>
#include <vector>

namespace kwb::ui {

/// The hash key space 0 … 2^128-1 as a bar divided into shards: open shards in the main lane
/// (each filled to its share of the records), closed ones greyed in a thin lane above, hot shards
/// marked with a hatch and an accent, and markers where the selected rows' hash keys sit (plus a
/// dashed one for the key being typed). Clicking a shard emits shardClicked(). Painted with the
/// palette; high-DPI clean. GUI thread.
class ShardBarWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ShardBarWidget(QWidget *parent = nullptr);

    void setMap(const ShardMap &map);
    void setRecords(std::vector<qint64> recordsPerShard);
    void setHotShards(std::vector<bool> hot);
    void setMarkers(std::vector<UInt128> hashKeys);
    void setPreviewMarker(std::optional<UInt128> hashKey);
    void setSelectedShard(const QString &shardId);
    const std::vector<UInt128> &markers() const { return m_markers; }
    /// The dashed marker of the key being typed in the record editor, if any.
    const std::optional<UInt128> &previewMarker() const { return m_preview; }

    /// The open shard under x (widget coordinates), -1 outside the bar.
    int openShardAt(int x) const;
    /// x of a hash key in widget coordinates.
    double xOf(UInt128 hashKey) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void shardClicked(const QString &shardId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF barRect() const;
    QRectF closedLaneRect() const;

    ShardMap m_map;
    std::vector<qint64> m_records;
    std::vector<bool> m_hot;
    std::vector<UInt128> m_markers;
    std::optional<UInt128> m_preview;
    QString m_selected;
};

} // namespace kwb::ui
