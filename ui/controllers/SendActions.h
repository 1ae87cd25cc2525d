#pragma once

#include "controllers/SendController.h"

#include <QObject>

class QMainWindow;

namespace kwb::ui {

class Banner;
class ConnectionController;
class RecordsModel;
class RecordsView;
class Workspace;

/// Send ▸ Send all, Send selected and Retry failed as the user meets them: SendController decides
/// (SendController::decideSend/decideRetry), this asks the decision's question first, if any, and
/// says what happened: a refusal in the banner (gone with the send it was about), the note and
/// the run's summary in the status bar. GUI thread; owned by the window, owns none of the parts.
class SendActions : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        QMainWindow *window;
        SendController *sender;
        ConnectionController *connection;
        Workspace *workspace;
        RecordsModel *model;
        RecordsView *view;
        Banner *banner;
    };
    explicit SendActions(const Parts &parts);

    void sendAll();
    void sendSelected();
    void retryFailed();

private:
    void sendAsked(std::vector<int> rows, bool selected);
    /// The label of the target when it is marked production, else empty.
    QString productionTarget() const;
    /// Asks the decision's question if it has one, then has SendController carry it out.
    void carryOut(SendDecision decision);

    QMainWindow *m_window;
    SendController *m_sender;
    ConnectionController *m_connection;
    Workspace *m_workspace;
    RecordsModel *m_model;
    RecordsView *m_view;
    Banner *m_banner;
    /// The last refusal shown in the banner (cleared when the send it was about ends).
    QString m_refusal;
};

} // namespace kwb::ui
