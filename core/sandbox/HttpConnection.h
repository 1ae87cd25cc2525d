#pragma once

#include "sandbox/HttpLimits.h"
#include "sandbox/HttpRequest.h"
#include "sandbox/HttpRequestParser.h"
#include "sandbox/SandboxAnswer.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

class QTcpSocket;

namespace kwb::sandbox {

class HttpBudget;

/// One client connection of the sandbox's HTTP/1.1 server: reads requests (Content-Length
/// bodies, keep-alive, pipelining, Expect: 100-continue), hands each to the handler as soon
/// as it is complete, and writes the answers in request order, each after its delay. An answer
/// that says "drop" closes the connection instead. Keeps the HttpLimits: a request must arrive
/// within its timeout, an idle connection is closed, a client that does not read its answers
/// is not read either, and large bodies draw on the shared HttpBudget. Owns its socket; lives
/// on the sandbox worker thread and deletes itself when the connection ends.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SandboxAnswer(HttpRequest &)>;

    HttpConnection(QTcpSocket *socket, Handler handler, const HttpLimits &limits, HttpBudget *budget,
                   QObject *parent);
    ~HttpConnection() override;

    /// Answers `status` at once and closes without reading a request (the server is full).
    void refuse(int status, const QByteArray &type, const QString &message);
    /// Closes at once, answered or not (the server is stopping, or the client does not read).
    void abort();
    /// Closes a connection that is idle (see isIdle()) without a word, as keep-alive allows.
    void closeIdle();

    /// Served a request, and now none in progress and no answer owed: closing it loses nothing.
    bool isIdle() const;
    /// Since when (steady milliseconds) nothing happened on an idle connection.
    qint64 lastActivityMs() const { return m_lastActivityMs; }
    /// Bytes of answers made but not yet taken by the client (held here or in the socket).
    qint64 unsentBytes() const { return m_accountedUnsent; }
    /// Hands what the socket holds to the kernel, as much as it takes now.
    void pushOut();
    /// Has bytes to write that the client has taken none of for `stallMs`.
    bool isStalled(qint64 now, int stallMs) const;
    /// Refused, or closing after a last answer: no longer counts as serving a client.
    bool isEnding() const { return m_closing; }

    /// Steady milliseconds, the clock of every time above.
    static qint64 nowMs();

Q_SIGNALS:
    /// Unsent answers across all connections went beyond HttpLimits::maxUnsentTotal.
    void unsentOverBudget();

private:
    struct Pending
    {
        bool ready = false;
        bool drop = false;
        bool close = false;
        qint64 heldBytes = 0; ///< counted in m_held until written to the socket
        QByteArray bytes;
    };
    enum class Deadline { None, Silent, Request, Idle, Write, Linger, Resume };

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void onTimeout();
    /// Reads and dispatches requests while the limits allow; the heart of the connection.
    void pump();
    /// Appends up to one chunk from the socket to m_buffer; false when nothing was there.
    bool readMore();
    bool canStartRequest() const;
    void startBody();
    void dispatch();
    void ackNow();
    void fail(int status, const QByteArray &type, const QString &message); ///< answer, then close
    quint64 enqueue();
    void complete(quint64 slot, const SandboxAnswer &answer, bool close);
    void flush();
    void finishWriting(); ///< after the last answer: half-close once written, then linger
    void updateUnsent();
    void releaseBody();
    void rearm();
    Deadline dueDeadline(qint64 &at) const;

    QTcpSocket *m_socket;
    Handler m_handler;
    const HttpLimits &m_limits;
    HttpBudget *m_budget;
    HttpRequestParser m_parser;
    QTimer m_timer;

    QByteArray m_buffer;   ///< received bytes not yet part of a request: the next head, pipelined ones
    bool m_haveHead = false; ///< m_head is parsed; its body is arriving into m_head.request.body
    HttpParse m_head;
    qint64 m_bodyReserved = 0; ///< drawn from the budget for m_head's body
    bool m_sentContinue = false;

    std::deque<Pending> m_pending;
    quint64 m_firstSlot = 0;
    quint64 m_answered = 0;        ///< requests handed to the handler
    qint64 m_held = 0;             ///< answer bytes made and not yet handed to the socket
    qint64 m_inSocket = 0;         ///< answer bytes handed to the socket since it was last empty
    qint64 m_accountedUnsent = 0;  ///< m_held + the socket's buffer, as told to the budget

    bool m_paused = false;    ///< not reading: the client has not taken its answers
    bool m_pumping = false;   ///< within pump()
    bool m_closing = false;   ///< no further request is read
    bool m_lingering = false; ///< our side is shut down; draining what the client still sends
    qint64 m_requestStartMs = -1;
    qint64 m_lastActivityMs = 0;
    qint64 m_lastWriteProgressMs = 0;
    qint64 m_lingerStartMs = 0;
    Deadline m_armed = Deadline::None;
    qint64 m_armedAt = 0;
};

} // namespace kwb::sandbox
