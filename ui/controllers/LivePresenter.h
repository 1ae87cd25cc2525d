#pragma once

#include "models/Journey.h"

#include <QObject>

#include <optional>

namespace kwb::send {
class SendResults;
}

namespace kwb::ui {

class ConnectionController;
class JourneyPanel;
class LiveRecordsModel;
class LiveStreamPanel;
class RecordsView;
class Workspace;

/// Binds the Live stream dock to the rest of the window: the panel reads the workspace's stream
/// (with its shard map) through the connection's client; a sent row in the table and the live
/// record it became select each other; the Journey's last step shows where the live view read
/// the current row back. GUI thread; owned by the window, owns none of the parts.
class LivePresenter : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        ConnectionController *connection;
        Workspace *workspace;
        RecordsView *view;
        LiveStreamPanel *panel;
        JourneyPanel *journey;
    };
    LivePresenter(const Parts &parts, QObject *parent);

    /// Where the live view read row `row` back: its record among `live`'s, found by the shard and
    /// sequence number the send got; nothing for a row not sent yet or a record not read (yet).
    static std::optional<JourneySighting> sighting(const send::SendResults &results, int row, const LiveRecordsModel &live);

private:
    void followStream();
    void showSighting();

    Workspace *m_workspace;
    LiveStreamPanel *m_panel;
    JourneyPanel *m_journey;
};

} // namespace kwb::ui
