#pragma once

#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"

#include <QObject>

#include <deque>
#include <functional>

class QTcpSocket;

namespace kwb::sandbox {

/// One client connection of the sandbox's HTTP/1.1 server: reads requests (Content-Length
/// bodies, keep-alive, pipelining, Expect: 100-continue), hands each to the handler as soon
/// as it is complete, and writes the answers in request order, each after its delay. An answer
/// that says "drop" closes the connection instead. Owns its socket; lives on the sandbox
/// worker thread and deletes itself when the connection ends.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SandboxAnswer(HttpRequest &)>;

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
    static constexpr qint64 kMaxBodyBytes = 16 * 1024 * 1024;

    HttpConnection(QTcpSocket *socket, Handler handler, QObject *parent);

    /// Closes at once, answered or not (the server is stopping).
    void abort();

private:
    struct Pending
    {
        bool ready = false;
        bool drop = false;
        bool close = false;
        QByteArray bytes;
    };

    void onReadyRead();
    void ackNow();
    /// Parses and dispatches one request from the buffer; false when more bytes are needed.
    bool takeRequest();
    void fail(int status, const char *message); ///< a protocol error: answer, then close
    quint64 enqueue();
    void complete(quint64 slot, const SandboxAnswer &answer, bool close);
    void flush();

    QTcpSocket *m_socket;
    Handler m_handler;
    QByteArray m_buffer;
    qsizetype m_scanFrom = 0; ///< where to go on looking for the end of the headers
    bool m_haveHead = false;  ///< the current request's headers are parsed; waiting for the body
    qsizetype m_headBytes = 0;
    qint64 m_bodyBytes = 0;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    HttpRequest m_request;
    std::deque<Pending> m_pending;
    quint64 m_firstSlot = 0;
    bool m_closing = false; ///< no further request is read
};

} // namespace kwb::sandbox
