#pragma once

#include "Result.h"
#include "sandbox/HttpConnection.h"

#include <QObject>

class QTcpServer;

namespace kwb::sandbox {

/// The sandbox's HTTP/1.1 server, on QTcpServer rather than Qt HttpServer: Qt HttpServer 6.4
/// gives a handler neither the raw request target (SigV4 signs the path exactly as sent; its
/// QUrl is normalised) nor a way to close a connection without answering (fault injection),
/// and holding an answer back for added latency needs ordered, delayed answers per connection.
/// All three are a few lines here (HttpConnection). Lives on the sandbox worker thread.
class SandboxHttpServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxHttpServer(HttpConnection::Handler handler, QObject *parent = nullptr);
    ~SandboxHttpServer() override;

    /// Serves on a socket that is already bound and listening (bound by the thread that
    /// started the sandbox, so that it learns the port and any error at once). Takes it over.
    Result<void> serve(qintptr listeningSocket);
    /// Stops accepting and closes every connection.
    void close();

private:
    void onNewConnection();

    HttpConnection::Handler m_handler;
    QTcpServer *m_server = nullptr;
};

} // namespace kwb::sandbox
