#pragma once

#include <QObject>
#include <QTimer>

#include <cstdint>

namespace kwb::ui {

class FilterBar;
class RecordEditorPanel;
class RecordsModel;
class RecordsView;
class SendController;
class ShardMapPanel;
class StatsController;
class Workspace;

/// Keeps the shard map dock, the filter bar and the record editor in step with the workspace and
/// the table: the map the rows route to (with its closed shards), the selected rows as markers
/// (at most kMaxMarkers) and the editor's preview, per-shard counts, a clicked shard filtering
/// the table and the filtered shard highlighted, the current row in the editor. GUI thread; owned
/// by the window, owns none of the parts.
class ShardMapPresenter : public QObject
{
    Q_OBJECT
public:
    /// Selected rows shown as markers on the shard map.
    static constexpr int kMaxMarkers = 1000;

    struct Parts
    {
        Workspace *workspace;
        RecordsModel *model;
        RecordsView *view;
        FilterBar *filterBar;
        ShardMapPanel *shardPanel;
        RecordEditorPanel *editor;
        StatsController *stats;
        SendController *sender;
    };
    ShardMapPresenter(const Parts &parts, QObject *parent);

    /// Stops following the parts (the window is going; they are deleted in no useful order).
    void detach();

    /// Wait before measuring the packing after a change (edits come in bursts).
    static constexpr int kMeasureDelayMs = 150;

private:
    void updateSelectionMarkers();
    void measurePacking();

    Workspace *m_workspace;
    RecordsModel *m_model;
    RecordsView *m_view;
    FilterBar *m_filterBar;
    ShardMapPanel *m_shardPanel;
    RecordEditorPanel *m_editor;
    StatsController *m_stats;
    SendController *m_sender;
    QTimer m_measureTimer;
    quint64 m_measureGeneration = 0;
    qint64 m_aggregateMaxBytes = -1; ///< the size limit of the last measure
    bool m_aggregate = false;
};

} // namespace kwb::ui
