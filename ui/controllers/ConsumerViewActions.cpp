#include "controllers/ConsumerViewActions.h"

#include "controllers/ConnectionController.h"
#include "controllers/SendController.h"
#include "controllers/StreamController.h"
#include "dialogs/ConsumerViewDialog.h"
#include "models/LiveRecordsModel.h"
#include "models/Workspace.h"
#include "views/LiveStreamPanel.h"
#include "views/RecordsView.h"

#include <QAction>
#include <QApplication>
#include <QItemSelectionModel>
#include <QTableView>

#include <algorithm>

namespace kwb::ui {

ConsumerViewActions::ConsumerViewActions(QWidget *window, Workspace *workspace, RecordsView *view, LiveStreamPanel *live,
                                         StreamController *streams, ConnectionController *connection, SendController *sender)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_view(view)
    , m_live(live)
    , m_streams(streams)
    , m_connection(connection)
    , m_sender(sender)
{
    m_action = new QAction(tr("What will my &consumer see?"), this);
    m_action->setObjectName(QStringLiteral("consumerView"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_action->setShortcutContext(Qt::WindowShortcut);
    m_action->setToolTip(tr("The selected record as the KCL and a Lambda function get it: the raw Kinesis record, its "
                            "user records and the Lambda event (%1)")
                             .arg(m_action->shortcut().toString(QKeySequence::NativeText)));
    window->addAction(m_action);
    connect(m_action, &QAction::triggered, this, &ConsumerViewActions::trigger);
    // In both tables' context menus.
    m_view->addAction(m_action);
    QTableView *liveTable = m_live->table();
    liveTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    liveTable->addAction(m_action);
    // Which table the user last worked in: a context menu or the shortcut may come while a popup
    // has the keyboard, so the focus at that moment does not tell.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        if (!now)
            return;
        if (now == m_live->table() || m_live->table()->isAncestorOf(now))
            m_liveLast = true;
        else if (now == m_view || m_view->isAncestorOf(now))
            m_liveLast = false;
    });
}

void ConsumerViewActions::trigger()
{
    const QModelIndex live = m_live->table()->currentIndex();
    if ((m_liveLast || m_live->table()->hasFocus()) && live.isValid()) {
        showLiveRow(live.row());
        return;
    }
    const int row = m_view->currentStoreRow();
    if (row >= 0 && row < m_workspace->rowCount())
        showRow(row);
    else if (live.isValid())
        showLiveRow(live.row());
}

kpl::EventSourceFacts ConsumerViewActions::eventSource() const
{
    kpl::EventSourceFacts source;
    source.streamArn = m_streams->summary().arn;
    if (const net::KinesisClient *client = m_connection->client())
        source.region = client->options().region;
    return source;
}

kpl::KinesisRecordFacts ConsumerViewActions::rowRecord(int storeRow) const
{
    const RecordStore &store = m_workspace->store();
    const send::SendResults &results = m_workspace->results();
    if (results.status(storeRow) == send::RowStatus::Succeeded) {
        // The Kinesis record it went out in: itself, or with the rows that share its aggregated record.
        std::vector<int> members{storeRow};
        const bool aggregated = results.subSequence(storeRow) >= 0;
        if (aggregated) {
            const int first = results.aggregateFirstRow(storeRow);
            const QString sequence = results.sequenceNumber(storeRow);
            members.assign(size_t(results.aggregateSize(storeRow)), -1);
            for (int r = first; r < store.size(); ++r) {
                const int sub = results.subSequence(r);
                if (sub >= 0 && sub < int(members.size()) && results.aggregateFirstRow(r) == first
                    && results.sequenceNumber(r) == sequence)
                    members[size_t(sub)] = r;
            }
            members.erase(std::remove(members.begin(), members.end(), -1), members.end());
        }
        kpl::KinesisRecordFacts facts = kpl::consumer::sentRecordOf(store, members, aggregated);
        facts.shardId = results.shardId(storeRow);
        facts.sequenceNumber = results.sequenceNumber(storeRow);
        // The service stamps the record on its way in: by the time its answer came back at the
        // latest (this machine's clock), the moment the Live dock shows when it reads it back.
        if (const std::vector<send::Attempt> attempts = results.attempts(storeRow); !attempts.empty())
            facts.arrivalMs = attempts.back().startedMs + attempts.back().latencyMs;
        return facts;
    }
    const send::SendOptions &options = m_sender->options();
    kpl::AggregatorOptions packing;
    packing.maxAggregateBytes = options.aggregateMaxBytes;
    packing.maxRecordBytes = options.maxRecordBytes;
    return kpl::consumer::packedRecordOf(store, storeRow, m_workspace->shardMap(), options.aggregate, packing);
}

kpl::KinesisRecordFacts ConsumerViewActions::liveRecord(int row) const
{
    const stream::ReadRecord &r = m_live->model()->record(row);
    kpl::KinesisRecordFacts facts;
    facts.data = r.data;
    facts.partitionKey = r.partitionKey;
    facts.sequenceNumber = r.sequenceNumber;
    facts.shardId = r.shardId;
    facts.arrivalMs = r.arrivalMs;
    return facts;
}

QWidget *ConsumerViewActions::showRow(int storeRow)
{
    auto *dialog = new ConsumerViewDialog(rowRecord(storeRow), eventSource(), tr("(row %1)").arg(storeRow + 1), m_window);
    dialog->show();
    return dialog;
}

QWidget *ConsumerViewActions::showLiveRow(int row)
{
    const stream::ReadRecord &r = m_live->model()->record(row);
    auto *dialog = new ConsumerViewDialog(liveRecord(row), eventSource(), tr("(%1, %2)").arg(r.shardId, r.sequenceNumber), m_window);
    dialog->show();
    return dialog;
}

} // namespace kwb::ui
