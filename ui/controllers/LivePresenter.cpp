#include "controllers/LivePresenter.h"

#include "controllers/ConnectionController.h"
#include "models/LiveRecordsModel.h"
#include "models/SentRecordIndex.h"
#include "models/Workspace.h"
#include "views/JourneyPanel.h"
#include "views/LiveStreamPanel.h"
#include "views/RecordsView.h"

namespace kwb::ui {

LivePresenter::LivePresenter(const Parts &parts, QObject *parent)
    : QObject(parent)
    , m_workspace(parts.workspace)
    , m_panel(parts.panel)
    , m_journey(parts.journey)
{
    m_panel->setSentIndex(new SentRecordIndex(m_workspace, m_panel));
    connect(parts.connection, &ConnectionController::clientChanged, m_panel, &LiveStreamPanel::setClient);
    connect(m_workspace, &Workspace::routingChanged, this, &LivePresenter::followStream);
    // A sent row and the live record it became select each other.
    connect(parts.view, &RecordsView::currentStoreRowChanged, m_panel, &LiveStreamPanel::showSentRow);
    connect(m_panel, &LiveStreamPanel::sentRowSelected, parts.view, &RecordsView::selectStoreRow);
    // The journey's last step follows the current row and the records read.
    connect(parts.view, &RecordsView::currentStoreRowChanged, this, &LivePresenter::showSighting);
    connect(m_panel->model(), &QAbstractItemModel::rowsInserted, this, &LivePresenter::showSighting);
    connect(m_panel->model(), &QAbstractItemModel::modelReset, this, &LivePresenter::showSighting);
}

std::optional<JourneySighting> LivePresenter::sighting(const send::SendResults &results, int row, const LiveRecordsModel &live)
{
    if (results.status(row) != send::RowStatus::Succeeded)
        return std::nullopt;
    const int at = live.rowOf(results.shardId(row), results.sequenceNumber(row));
    if (at < 0)
        return std::nullopt;
    const stream::ReadRecord &r = live.record(at);
    return JourneySighting{r.shardId, r.sequenceNumber, QDateTime::fromMSecsSinceEpoch(r.arrivalMs, Qt::UTC)};
}

void LivePresenter::followStream()
{
    const QString stream = m_workspace->streamName();
    m_panel->setStream(stream);
    m_panel->setShardMap(stream.isEmpty() ? ShardMap() : m_workspace->shardMap());
}

void LivePresenter::showSighting()
{
    const int row = m_journey->row();
    if (row < 0 || row >= m_workspace->rowCount())
        return;
    m_journey->setSighting(row, sighting(m_workspace->results(), row, *m_panel->model()));
}

} // namespace kwb::ui
