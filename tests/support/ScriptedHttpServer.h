#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace kwb::test {

/// A loopback HTTP/1.1 server whose answers a test scripts, to provoke what real endpoints do
/// only rarely: bodies that are not JSON, truncated bodies, silence, dropped connections.
/// Each received request is recorded (headers and body) for assertions.
class ScriptedHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray header(const QByteArray &name) const
        {
            for (const auto &h : headers)
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return h.second;
            return {};
        }
    };

    enum class Action {
        Respond,       ///< send `raw` (a complete HTTP response, or part of one) and keep the socket
        RespondClose,  ///< send `raw`, then close the connection
        Silence,       ///< read the request and never answer
        Reset,         ///< abort the connection at once (RST)
    };

    struct Answer
    {
        Action action = Action::Respond;
        QByteArray raw;
    };

    /// A complete HTTP response with the given status and body and a correct Content-Length.
    static QByteArray response(int status, const QByteArray &body,
                               const QByteArray &contentType = "application/x-amz-json-1.1");

    explicit ScriptedHttpServer(QObject *parent = nullptr);

    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }

    /// Answers requests in order; once the script is used up, `fallback` answers (or a 500).
    void script(QList<Answer> answers) { m_script = std::move(answers); }
    void setFallback(std::function<Answer(const Request &)> fallback) { m_fallback = std::move(fallback); }

    const QList<Request> &requests() const { return m_requests; }

private:
    void onData(QTcpSocket *socket);

    QTcpServer m_server;
    QList<Answer> m_script;
    std::function<Answer(const Request &)> m_fallback;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace kwb::test
