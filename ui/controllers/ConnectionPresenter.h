#pragma once

#include "aws/Credentials.h"
#include "controllers/ConnectionTarget.h"
#include "dialogs/CreateStreamDialog.h"
#include "dialogs/CustomEndpointDialog.h"
#include "workspace/WorkspaceFile.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QMainWindow;

namespace kwb::ui {

class Banner;
class ConnectionBar;
class ConnectionController;
class RequestLogModel;
class SendController;
class StreamController;
class Workspace;

/// Binds the connection bar to the connection: the target picker (the TargetList), connecting
/// and what it says in the bar, the banner and the status bar, the stream list and the stream
/// choice (StreamController::chooseListed), the new client handed to the stream and send
/// controllers and the request log, the stream's shard map and record size limit handed to the
/// workspace, the Custom endpoint and Create stream dialogs, and the target and stream an opened
/// workspace names (with a word when its results predate its stream). Remembers the last target
/// and stream when asked to. GUI thread; owned by the window, owns none of the parts.
class ConnectionPresenter : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        QMainWindow *window;
        ConnectionBar *connectionBar;
        Banner *banner;
        ConnectionController *connection;
        StreamController *streams;
        SendController *sender;
        Workspace *workspace;
        RequestLogModel *log;
    };
    /// `rememberChoices`: the last target and stream are saved, and the last stream is chosen again.
    ConnectionPresenter(const Parts &parts, bool rememberChoices);

    void rebuildTargets();
    void connectToTarget(const ConnectionTarget &target);
    /// Saves a custom target (and its keys in the SecretStore) and connects to it.
    void saveCustomTarget(const ConnectionTarget &target, const aws::Credentials &typedKeys);
    void chooseStream(const QString &stream);
    /// Lists the streams and the chosen stream's shards again.
    void refresh();
    /// Goes to the target and stream an opened workspace names, or says it is not set up here.
    void goToSaved(const workspace::WorkspaceHeader &header);
    void showCustomEndpointDialog(const ConnectionTarget &existing = {});
    void showCreateStreamDialog();
    CustomEndpointDialog *customEndpointDialog() const { return m_endpointDialog; }
    CreateStreamDialog *createStreamDialog() const { return m_createDialog; }

Q_SIGNALS:
    /// The connection's state, the stream list or the chosen stream changed: what can be sent may too.
    void readinessChanged();

private:
    /// Says so when the open workspace's results predate its stream (the sandbox restarted, or
    /// the stream was deleted and created again since the results were saved).
    void checkResultsAgainstStream(const QString &stream, qint64 createdMs);

    QMainWindow *m_window;
    ConnectionBar *m_connectionBar;
    Banner *m_banner;
    ConnectionController *m_connection;
    StreamController *m_streams;
    SendController *m_sender;
    Workspace *m_workspace;
    RequestLogModel *m_log;
    bool m_rememberChoices;
    QPointer<CustomEndpointDialog> m_endpointDialog;
    QPointer<CreateStreamDialog> m_createDialog;
    /// The opened workspace: when it was saved and to which stream, until its stream answers.
    QDateTime m_openedSavedAt;
    QString m_openedStream;
};

} // namespace kwb::ui
