#pragma once

#include "kpl/ConsumerView.h"

#include <QObject>

class QAction;
class QWidget;

namespace kwb::ui {

class ConnectionController;
class LiveStreamPanel;
class RecordsView;
class SendController;
class StreamController;
class Workspace;

/// The "What will my consumer see?" action (Ctrl+I, in the records table's and the live view's
/// context menus): opens a ConsumerViewDialog for the live view's selected record when the live
/// table had the focus last, else for the records table's current row — the Kinesis record that row
/// was sent as, or would be sent as (packed with the rows of its shard when Aggregate is on).
/// GUI thread; owned by the window, owns none of the parts.
class ConsumerViewActions : public QObject
{
    Q_OBJECT
public:
    ConsumerViewActions(QWidget *window, Workspace *workspace, RecordsView *view, LiveStreamPanel *live,
                        StreamController *streams, ConnectionController *connection, SendController *sender);

    QAction *action() const { return m_action; }

    /// The Kinesis record a workspace row goes (or went) out as.
    kpl::KinesisRecordFacts rowRecord(int storeRow) const;
    /// The Kinesis record of the live view's `row`.
    kpl::KinesisRecordFacts liveRecord(int row) const;
    kpl::EventSourceFacts eventSource() const;

    /// Opens the view for the workspace row or the live view's row; the dialog (deletes itself on close).
    QWidget *showRow(int storeRow);
    QWidget *showLiveRow(int row);

private:
    void trigger();

    QWidget *m_window;
    Workspace *m_workspace;
    RecordsView *m_view;
    LiveStreamPanel *m_live;
    StreamController *m_streams;
    ConnectionController *m_connection;
    SendController *m_sender;
    QAction *m_action;
    bool m_liveLast = false; ///< the live table had the focus last (not the records table)
};

} // namespace kwb::ui
