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
class HttpLane;

/// One client connection of the sandbox's HTTP/1.1 server: reads requests (Content-Length
/// bodies, keep-alive, pipelining, Expect: 100-continue), hands each to the handler as soon
/// as it is complete, and writes the answers in request order, each after its delay. An answer
/// that says "drop" closes the connection instead. Keeps the HttpLimits: a request must arrive
/// within its timeout, an idle connection is closed, a client that does not read its answers
/// is not read either, and large bodies draw on the shared HttpBudget. A small request from a
/// client that waits for each answer is served as soon as it arrives; pipelined requests and
/// large bodies wait for their turn in the shared HttpLane. Every answer says in its
/// x-kwb-server-ms header how long the sandbox took: from the request's arrival (its last
/// byte in the kernel) to the answer. Owns its socket; lives on the sandbox worker thread and
/// deletes itself when the connection ends.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SandboxAnswer(HttpRequest &)>;

    HttpConnection(QTcpSocket *socket, Handler handler, const HttpLimits &limits, HttpBudget *budget, HttpLane *lane,
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

    /// The header that tells a client how long the sandbox took to answer its request.
    static constexpr const char *kServerTimeHeader = "x-kwb-server-ms";

Q_SIGNALS:
    /// Unsent answers across all connections went beyond HttpLimits::maxUnsentTotal.
    void unsentOverBudget();

private:
    friend class HttpLane;

    struct Pending
    {
        bool ready = false;
        bool drop = false;
        bool close = false;
        qint64 heldBytes = 0; ///< counted in m_held until written to the socket
        qint64 arrivalMs = 0; ///< when the request's last byte reached the kernel
        QByteArray bytes; ///< the status line and headers, and the body too when it is small
        QByteArray body;  ///< a large body, written after `bytes` as it is (shared, not copied)
    };
    enum class Deadline { None, Silent, Request, Idle, Write, Linger, Resume };

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void onTimeout();
    /// Reads and dispatches requests while the limits allow; the heart of the connection.
    void pump();
    /// Serves the next request, queued in the lane (HttpLane's turn).
    void serveFromLane();
    /// Whether the complete request in m_head must wait for the lane rather than be served now.
    bool belongsInLane();
    /// When the bytes just read reached the kernel (steady milliseconds; TCP_INFO's age of the
    /// last data received), so that time spent waiting for this thread counts as well.
    qint64 kernelArrivalMs() const;
    /// Appends up to one chunk from the socket to m_buffer; false when nothing was there.
    bool readMore();
    bool canStartRequest() const;
    void startBody();
    void dispatch();
    void ackNow();
    void fail(int status, const QByteArray &type, const QString &message); ///< answer, then close
    quint64 enqueue(qint64 arrivalMs);
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
    HttpLane *m_lane;
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
    bool m_pipelines = false; ///< has sent a request before its previous answer: its requests go to the lane
    bool m_inLane = false;    ///< queued in the lane (HttpLane's)
    bool m_laneTurn = false;  ///< within serveFromLane(): one request may be served
    qint64 m_arrivalMs = 0;   ///< kernelArrivalMs() of the last read
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
