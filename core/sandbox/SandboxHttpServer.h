#pragma once

#include "Result.h"
#include "sandbox/HttpBudget.h"
#include "sandbox/HttpConnection.h"
#include "sandbox/HttpLane.h"
#include "sandbox/HttpLimits.h"

#include <QObject>
#include <QTimer>

#include <vector>

class QSocketNotifier;
class QTcpSocket;

namespace kwb::sandbox {

/// The sandbox's HTTP/1.1 server, on QTcpSocket rather than Qt HttpServer: Qt HttpServer 6.4
/// gives a handler neither the raw request target (SigV4 signs the path exactly as sent; its
/// QUrl is normalised) nor a way to close a connection without answering (fault injection),
/// and holding an answer back for added latency needs ordered, delayed answers per connection.
/// All three are a few lines here (HttpConnection). Keeps the HttpLimits that span connections:
/// their number, accept() failing for want of descriptors, and the memory of unread answers.
/// Lives on the sandbox worker thread.
class SandboxHttpServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxHttpServer(HttpConnection::Handler handler, HttpLimits limits = {}, QObject *parent = nullptr);
    ~SandboxHttpServer() override;

    /// Serves on a socket that is already bound and listening (bound by the thread that
    /// started the sandbox, so that it learns the port and any error at once). Takes it over.
    Result<void> serve(qintptr listeningSocket);
    /// Stops accepting and closes every connection.
    void close();

    /// Connections serving a client (not those refused or closing).
    int connectionCount() const;

private:
    void acceptPending();
    void adopt(QTcpSocket *socket);
    void onAcceptError(int error);
    void resumeAccepting();
    /// Closes the longest-idle keep-alive connection; false when none has been idle long enough.
    bool closeOldestIdle();
    /// Closes connections whose clients do not take their answers while the answers not yet
    /// taken exceed the shared bound.
    void relieveUnsent();

    HttpConnection::Handler m_handler;
    HttpLimits m_limits;
    HttpBudget m_budget;
    HttpLane m_lane;
    int m_listenFd = -1;
    QSocketNotifier *m_acceptNotifier = nullptr;
    std::vector<HttpConnection *> m_connections;
    QTimer m_acceptRetry;
    int m_acceptDelayMs = 0; ///< > 0 while accept() fails
    qint64 m_acceptWarnedMs = -1;
    bool m_refusingLogged = false;
    QTimer m_relieveTimer;
};

} // namespace kwb::sandbox
