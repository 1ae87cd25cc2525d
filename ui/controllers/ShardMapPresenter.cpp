#include "controllers/ShardMapPresenter.h"

#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "kpl/Aggregator.h"
#include "models/RecordColumn.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/FilterBar.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/ShardMapPanel.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace kwb::ui {

ShardMapPresenter::ShardMapPresenter(const Parts &parts, QObject *parent)
    : QObject(parent)
    , m_workspace(parts.workspace)
    , m_model(parts.model)
    , m_view(parts.view)
    , m_filterBar(parts.filterBar)
    , m_shardPanel(parts.shardPanel)
    , m_editor(parts.editor)
    , m_stats(parts.stats)
    , m_sender(parts.sender)
{
    // Routing: the shard map panel and the filter's shard list follow the workspace's map.
    connect(m_workspace, &Workspace::routingChanged, this, [this] {
        int closed = 0;
        for (const Shard &s : m_workspace->shardMap().shards())
            closed += !s.isOpen();
        m_shardPanel->setMap(m_workspace->shardMap(), m_workspace->streamName(), closed);
        m_filterBar->setShardMap(m_workspace->shardMap());
        updateSelectionMarkers();
    });
    connect(m_shardPanel, &ShardMapPanel::virtualShardCountChanged, m_workspace, &Workspace::setVirtualShardCount);
    connect(m_shardPanel, &ShardMapPanel::shardClicked, this,
            [this](const QString &shardId) { m_filterBar->showShard(shardId, RowFilter::ShardSource::Predicted); });
    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const RowFilter &filter) {
        m_model->setFilter(filter);
        m_shardPanel->setSelectedShard(filter.shardSource == RowFilter::ShardSource::Predicted ? filter.shardId : QString());
    });
    connect(m_stats, &StatsController::statsChanged, this, [this](const WorkspaceStats &stats) {
        m_filterBar->setStats(stats);
        m_shardPanel->setStats(stats);
        m_editor->setShardRecords(stats.shardRecords);
    });
    connect(m_view, &RecordsView::currentStoreRowChanged, m_editor, &RecordEditorPanel::setRow);
    connect(m_view, &RecordsView::selectionChangedRows, this, &ShardMapPresenter::updateSelectionMarkers);
    // A key edited (here, in the editor, by undo) moves its row's marker.
    connect(m_workspace, &Workspace::recordsEdited, this, &ShardMapPresenter::updateSelectionMarkers);
    // The editor's dashed preview belongs to the row it shows: gone with it.
    connect(m_view, &RecordsView::currentStoreRowChanged, this, [this](int row) {
        if (row < 0)
            m_shardPanel->setPreviewMarker(std::nullopt);
    });
    // Replaced rows: the selection went without a word (a model reset), and so do the markers.
    connect(m_workspace, &Workspace::wasReset, this, [this] {
        m_shardPanel->setPreviewMarker(std::nullopt);
        updateSelectionMarkers();
    });
    connect(m_editor, &RecordEditorPanel::previewHashKey, this, [this](UInt128 key) { m_shardPanel->setPreviewMarker(key); });

    // The load with and without aggregation: measured again when the records, the routing or
    // the size limit change.
    m_measureTimer.setSingleShot(true);
    m_measureTimer.setInterval(kMeasureDelayMs);
    connect(&m_measureTimer, &QTimer::timeout, this, &ShardMapPresenter::measurePacking);
    connect(m_workspace, &Workspace::contentChanged, &m_measureTimer, qOverload<>(&QTimer::start));
    connect(m_workspace, &Workspace::routingChanged, &m_measureTimer, qOverload<>(&QTimer::start));
    connect(m_workspace, &Workspace::wasReset, &m_measureTimer, qOverload<>(&QTimer::start));
    m_aggregate = m_sender->options().aggregate;
    connect(m_sender, &SendController::optionsChanged, this, [this](const send::SendOptions &options) {
        if (options.aggregateMaxBytes != m_aggregateMaxBytes)
            m_measureTimer.start();
        // Turning aggregation on shows where each row goes; turning it off hides nothing.
        if (options.aggregate && !std::exchange(m_aggregate, true)) {
            m_view->setColumnHidden(int(RecordColumn::KinesisRecord), false);
            m_view->setColumnHidden(int(RecordColumn::SubSequence), false);
        }
        m_aggregate = options.aggregate;
    });
    m_measureTimer.start();
}

void ShardMapPresenter::measurePacking()
{
    const quint64 generation = ++m_measureGeneration;
    kpl::AggregatorOptions options;
    options.maxAggregateBytes = m_aggregateMaxBytes = m_sender->options().aggregateMaxBytes;
    options.maxRecordBytes = m_workspace->maxRecordBytes();
    auto *watcher = new QFutureWatcher<std::vector<kpl::ShardPacking>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, options] {
        watcher->deleteLater();
        if (generation == m_measureGeneration)
            m_shardPanel->setPacking(watcher->future().takeResult(), std::min(options.maxAggregateBytes, options.maxRecordBytes));
    });
    // The store's bytes are shared with the copy, not copied.
    watcher->setFuture(QtConcurrent::run([store = m_workspace->store(), map = m_workspace->shardMap(), options] {
        auto measured = kpl::Aggregator::measure(store, map, options);
        return measured.ok() ? std::move(measured).value() : std::vector<kpl::ShardPacking>();
    }));
}

void ShardMapPresenter::detach()
{
    for (QObject *part : std::initializer_list<QObject *>{m_workspace, m_model, m_view, m_filterBar, m_shardPanel, m_editor, m_stats, m_sender})
        part->disconnect(this);
    m_workspace->disconnect(&m_measureTimer);
    m_measureTimer.stop();
    ++m_measureGeneration; // a measure in flight finds no one
}

void ShardMapPresenter::updateSelectionMarkers()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        m_shardPanel->setPreviewMarker(std::nullopt);
    if (rows.size() > size_t(kMaxMarkers))
        rows.resize(size_t(kMaxMarkers));
    std::vector<UInt128> keys;
    keys.reserve(rows.size());
    for (int row : rows)
        keys.push_back(m_workspace->store().hashKey(row));
    m_shardPanel->setMarkers(std::move(keys));
}

} // namespace kwb::ui
