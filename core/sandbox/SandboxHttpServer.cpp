#include "sandbox/SandboxHttpServer.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace kwb::sandbox {

SandboxHttpServer::SandboxHttpServer(HttpConnection::Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
}

SandboxHttpServer::~SandboxHttpServer()
{
    close();
}

Result<void> SandboxHttpServer::serve(qintptr listeningSocket)
{
    m_server = new QTcpServer(this);
    m_server->setMaxPendingConnections(1024);
    if (!m_server->setSocketDescriptor(listeningSocket))
        return Error{Error::Kind::Config, QStringLiteral("SandboxListenError"),
                     QStringLiteral("cannot serve on the listening socket: %1").arg(m_server->errorString()), 0};
    connect(m_server, &QTcpServer::newConnection, this, &SandboxHttpServer::onNewConnection);
    return {};
}

void SandboxHttpServer::close()
{
    if (m_server)
        m_server->close();
    for (HttpConnection *connection : findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly)) {
        connection->abort();
        delete connection;
    }
}

void SandboxHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection())
        new HttpConnection(socket, m_handler, this);
}

} // namespace kwb::sandbox
