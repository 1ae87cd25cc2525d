#include "ScriptedHttpServer.h"

#include <QHostAddress>

namespace kwb::test {

QByteArray ScriptedHttpServer::response(int status, const QByteArray &body, const QByteArray &contentType)
{
    QByteArray raw = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
    raw += "Content-Type: " + contentType + "\r\n";
    raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    raw += "x-amzn-RequestId: scripted\r\n\r\n";
    raw += body;
    return raw;
}

ScriptedHttpServer::ScriptedHttpServer(QObject *parent)
    : QObject(parent)
{
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qFatal("ScriptedHttpServer: cannot listen on loopback");
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QObject::destroyed, this, [this, socket] { m_buffers.remove(socket); });
        }
    });
}

void ScriptedHttpServer::onData(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        qsizetype contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed();
            const QByteArray value = lines[i].mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                contentLength = value.toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + contentLength)
            return;
        request.body = buffer.mid(headerEnd + 4, contentLength);
        buffer.remove(0, headerEnd + 4 + contentLength);
        m_requests.append(request);

        Answer answer;
        if (!m_script.isEmpty())
            answer = m_script.takeFirst();
        else if (m_fallback)
            answer = m_fallback(request);
        else
            answer = {Action::Respond, response(500, R"({"__type":"InternalFailure","message":"script exhausted"})")};
        switch (answer.action) {
        case Action::Respond:
            socket->write(answer.raw);
            break;
        case Action::RespondClose:
            socket->write(answer.raw);
            socket->flush();
            socket->disconnectFromHost();
            return;
        case Action::Silence:
            break;
        case Action::Reset:
            socket->abort();
            return;
        }
    }
}

} // namespace kwb::test
