#include "sandbox/HttpConnection.h"

#include "Logging.h"
#include "sandbox/HttpBudget.h"
#include "sandbox/HttpLane.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <simdjson.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>

namespace kwb::sandbox {

namespace {

const char *reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

/// "Tue, 25 Nov 2026 20:10:23 GMT", built at most once a second.
QByteArray httpDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const QDate d = now.date();
        const QTime t = now.time();
        char text[40];
        const int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.dayOfWeek() - 1],
                                    d.day(), months[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
        cached = QByteArray(text, n);
        cachedSecond = second;
    }
    return cached;
}

/// Bodies larger than this are not copied behind their headers but written after them as they
/// are: a GetRecords answer can be megabytes, and copying it costs as much again in fresh memory.
constexpr qsizetype kCopiedBodyBytes = 64 * 1024;

/// The status line and headers, followed by the body when it is at most kCopiedBodyBytes (one
/// write, one segment); a larger body is left out, for the caller to write after them.
QByteArray responseBytes(int status, const QByteArray &body, bool close, const QByteArray &shardLimits, const QByteArray &contentType,
                         qint64 serverMs)
{
    const bool withBody = body.size() <= kCopiedBodyBytes;
    QByteArray out;
    out.reserve((withBody ? body.size() : 0) + 256);
    out.append("HTTP/1.1 ").append(QByteArray::number(status)).append(' ').append(reason(status)).append("\r\n");
    out.append("x-amzn-RequestId: ").append(QUuid::createUuid().toByteArray(QUuid::WithoutBraces)).append("\r\n");
    if (!shardLimits.isEmpty()) // so a client can pace to the sandbox's current limits
        out.append("x-kwb-shard-limits: ").append(shardLimits).append("\r\n");
    out.append("Content-Type: ").append(contentType.isEmpty() ? QByteArrayView("application/x-amz-json-1.1") : QByteArrayView(contentType)).append("\r\n");
    out.append("Content-Length: ").append(QByteArray::number(body.size())).append("\r\n");
    out.append("Date: ").append(httpDate()).append("\r\n");
    out.append(HttpConnection::kServerTimeHeader).append(": ").append(QByteArray::number(serverMs)).append("\r\n");
    if (close)
        out.append("Connection: close\r\n");
    out.append("\r\n");
    if (withBody)
        out.append(body);
    return out;
}

} // namespace


namespace {

/// How much is read from the socket at a time, and what the socket buffers unread: with it,
/// a connection that is not read holds at most this in our memory (the rest waits in the
/// kernel, and the client is held back by TCP's flow control).
constexpr qint64 kReadChunk = 64 * 1024;

/// Room for a status line and headers, counted with each answer's body.
constexpr qint64 kAnswerOverhead = 256;

/// How often a connection held back by the shared bound on unsent answers looks again.
constexpr int kResumeCheckMs = 50;

} // namespace

qint64 HttpConnection::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

HttpConnection::HttpConnection(QTcpSocket *socket, Handler handler, const HttpLimits &limits, HttpBudget *budget,
                               HttpLane *lane, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_budget(budget)
    , m_lane(lane)
    , m_parser(HttpParseLimits{limits.maxHeaderBytes, limits.maxBodyBytes})
    , m_lastActivityMs(nowMs())
    , m_lastWriteProgressMs(m_lastActivityMs)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kReadChunk);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::onReadyRead);
    rearm();
}

HttpConnection::~HttpConnection()
{
    releaseBody();
    m_budget->addUnsent(-m_accountedUnsent);
}

void HttpConnection::refuse(int status, const QByteArray &type, const QString &message)
{
    fail(status, type, message);
}

void HttpConnection::abort()
{
    m_closing = true;
    m_pending.clear();
    m_held = 0;
    m_inSocket = 0;
    releaseBody();
    m_timer.stop();
    m_socket->abort(); // emits disconnected: deleted later
    updateUnsent();
}

void HttpConnection::closeIdle()
{
    m_closing = true;
    m_timer.stop();
    m_socket->disconnectFromHost();
}

bool HttpConnection::isIdle() const
{
    // A connection that has not sent its first request yet is not idle: the request may be
    // on its way.
    return m_answered > 0 && !m_closing && !m_haveHead && m_buffer.isEmpty() && m_pending.empty()
           && m_accountedUnsent == 0 && m_socket->bytesAvailable() == 0;
}

void HttpConnection::onDisconnected()
{
    // Requests still buffered have no one to answer to.
    m_closing = true;
    m_timer.stop();
    deleteLater();
}

void HttpConnection::onReadyRead()
{
    m_lastActivityMs = nowMs();
    pump();
}

void HttpConnection::onBytesWritten()
{
    m_lastWriteProgressMs = nowMs();
    updateUnsent();
    if (m_pumping)
        return; // written from within pump(), which goes on by itself
    if (m_closing) {
        finishWriting();
        return;
    }
    if (m_paused && canStartRequest()) {
        // Not from here: bytesWritten may come from within a write further up the stack. Only
        // a client with answers it had not taken is paused: its next request is bulk work.
        m_paused = false;
        m_lane->enqueue(this);
        return;
    }
    rearm();
}

bool HttpConnection::canStartRequest() const
{
    // A client that has taken all its answers gets the next one; one that has not is not read
    // beyond its own bound, nor beyond the shared one. While answers pile up across
    // connections, a new connection waits too until they fit again: it has not shown yet
    // that it reads.
    const bool over = m_budget->overUnsent();
    if (m_accountedUnsent == 0)
        return m_answered > 0 || !over;
    return m_accountedUnsent < m_limits.maxUnsentPerConnection && !over;
}

void HttpConnection::pushOut()
{
    if (m_socket->bytesToWrite() > 0 && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->flush(); // emits bytesWritten for what the kernel took
    updateUnsent();
}

bool HttpConnection::isStalled(qint64 now, int stallMs) const
{
    return m_socket->bytesToWrite() > 0 && now - m_lastWriteProgressMs >= stallMs;
}

bool HttpConnection::readMore()
{
    const qint64 available = std::min(m_socket->bytesAvailable(), kReadChunk);
    if (available <= 0)
        return false;
    if (m_buffer.isEmpty())
        m_requestStartMs = nowMs(); // the first byte of a request
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + qsizetype(available));
    const qint64 n = m_socket->read(m_buffer.data() + old, available);
    m_buffer.resize(old + qsizetype(std::max<qint64>(n, 0)));
    m_arrivalMs = kernelArrivalMs();
    // Keep-alive clients may send blank lines between requests; they start no request.
    if (m_buffer.count('\n') + m_buffer.count('\r') == m_buffer.size()) {
        m_buffer.clear();
        m_requestStartMs = -1;
    }
    return n > 0;
}

void HttpConnection::pump()
{
    if (m_closing) {
        // Nothing more is read as a request: what the client still sends is discarded.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (m_pumping)
        return;
    m_pumping = true;
    for (;;) {
        if (!m_haveHead) {
            if (!canStartRequest()) {
                m_paused = true;
                break;
            }
            m_paused = false;
            const HttpParse head = m_parser.parseHead(m_buffer);
            if (head.kind == HttpParse::Kind::NeedMore) {
                if (!readMore())
                    break;
                continue;
            }
            if (head.kind == HttpParse::Kind::Error) {
                fail(head.status, "BadRequest", head.message);
                break;
            }
            m_head = head;
            m_haveHead = true;
            startBody();
            if (m_closing)
                break;
        }
        HttpRequest &request = m_head.request;
        const qint64 missing = m_head.bodyBytes - request.body.size();
        if (missing > 0) {
            const qint64 available = std::min(m_socket->bytesAvailable(), missing);
            if (available > 0) {
                const qsizetype old = request.body.size();
                request.body.resize(old + qsizetype(available));
                const qint64 n = m_socket->read(request.body.data() + old, available);
                request.body.resize(old + qsizetype(std::max<qint64>(n, 0)));
                m_arrivalMs = kernelArrivalMs();
            }
            if (request.body.size() < m_head.bodyBytes) {
                if (m_head.expectContinue && !m_sentContinue && m_pending.empty() && m_buffer.isEmpty()) {
                    m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                    m_sentContinue = true;
                }
                break;
            }
        }
        if (!m_laneTurn && belongsInLane()) {
            m_lane->enqueue(this);
            break;
        }
        dispatch();
        if (m_closing)
            break;
        if (!m_buffer.isEmpty() || m_socket->bytesAvailable() > 0) {
            // Pipelined requests: one per connection in each of the lane's turns, so that
            // other connections' requests are served in between and no client waits for
            // another's whole batch. The socket holds only what arrived before the answer
            // was written: a client that waits for each answer never has anything there.
            m_pipelines = true;
            m_lane->enqueue(this);
            break;
        }
    }
    m_pumping = false;
    if (m_closing) {
        finishWriting();
        return;
    }
    if (!m_buffer.isEmpty() || m_haveHead)
        ackNow();
    rearm();
}

void HttpConnection::serveFromLane()
{
    m_laneTurn = true;
    pump();
    m_laneTurn = false;
}

bool HttpConnection::belongsInLane()
{
    // Bytes after a complete request were sent before its answer: the client pipelines, from
    // now on. A client that waits for each answer never has anything there.
    if (!m_buffer.isEmpty() || m_socket->bytesAvailable() > 0)
        m_pipelines = true;
    return m_pipelines || m_head.bodyBytes > HttpBudget::kSmallBody;
}

qint64 HttpConnection::kernelArrivalMs() const
{
    const qint64 now = nowMs();
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(int(m_socket->socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &length) != 0
        || length < socklen_t(offsetof(tcp_info, tcpi_last_data_recv) + sizeof info.tcpi_last_data_recv))
        return now;
    return now - qint64(info.tcpi_last_data_recv);
}

void HttpConnection::startBody()
{
    m_parser.reset();
    m_sentContinue = false;
    if (!m_budget->reserveBody(m_head.bodyBytes)) {
        m_haveHead = false;
        qCInfo(lcSandbox).noquote() << QStringLiteral("refused a request body of %1 bytes: %2 MiB of bodies are arriving already")
                                           .arg(m_head.bodyBytes)
                                           .arg(m_budget->bodyBytes() / (1024 * 1024));
        fail(503, "ServiceUnavailable",
             QStringLiteral("the sandbox is receiving too many large request bodies at once (%1 MiB); retry shortly")
                 .arg(m_limits.maxBufferedBodyBytes / (1024 * 1024)));
        return;
    }
    m_bodyReserved = m_head.bodyBytes;
    // The body gets room for the JSON parser's padding, so it can parse it in place. It is
    // read straight into the request, not through m_buffer; only what came with the head
    // is copied.
    HttpRequest &request = m_head.request;
    request.body.reserve(qsizetype(m_head.bodyBytes) + simdjson::SIMDJSON_PADDING);
    const qsizetype withHead = std::min<qsizetype>(m_buffer.size() - m_head.headBytes, qsizetype(m_head.bodyBytes));
    request.body.append(m_buffer.constData() + m_head.headBytes, withHead);
    m_buffer.remove(0, m_head.headBytes + withHead);
    if (m_buffer.isEmpty())
        m_buffer = QByteArray(); // gives back its capacity
}

void HttpConnection::dispatch()
{
    m_haveHead = false;
    releaseBody();
    HttpParse head = std::move(m_head);
    m_head = HttpParse();
    // A pipelined request that already arrived starts now; else the next starts with its first byte.
    m_requestStartMs = m_buffer.isEmpty() ? -1 : nowMs();
    m_lastActivityMs = nowMs();

    const bool keepAlive = head.keepAlive;
    const quint64 slot = enqueue(m_arrivalMs);
    ++m_answered;
    SandboxAnswer answer = m_handler(head.request);
    head = HttpParse(); // the body is no longer needed
    m_pending.back().heldBytes = answer.body.size() + kAnswerOverhead;
    m_held += m_pending.back().heldBytes;
    if (answer.drop || !keepAlive)
        m_closing = true;
    if (answer.delayMs > 0) {
        updateUnsent();
        QTimer::singleShot(answer.delayMs, this, [this, slot, answer, keepAlive] { complete(slot, answer, !keepAlive); });
    } else {
        complete(slot, answer, !keepAlive);
    }
}

void HttpConnection::releaseBody()
{
    m_budget->releaseBody(m_bodyReserved);
    m_bodyReserved = 0;
}

void HttpConnection::ackNow()
{
#ifdef TCP_QUICKACK
    // Part of a request is here and the rest is on its way. Clients that leave Nagle's
    // algorithm on (QNetworkAccessManager does) hold the last, partial segment back until
    // everything sent before it is acknowledged, while Linux delays that acknowledgement
    // (up to 40 ms) hoping to piggyback it on an answer that cannot come before the rest of
    // the request: every such request would stall. Acknowledge at once instead; the option
    // is not sticky, so it is set again after each read.
    const int one = 1;
    ::setsockopt(int(m_socket->socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#endif
}

quint64 HttpConnection::enqueue(qint64 arrivalMs)
{
    m_pending.emplace_back();
    m_pending.back().arrivalMs = arrivalMs;
    return m_firstSlot + m_pending.size() - 1;
}

void HttpConnection::fail(int status, const QByteArray &type, const QString &message)
{
    m_closing = true;
    m_haveHead = false;
    releaseBody();
    m_buffer = QByteArray();
    const quint64 slot = enqueue(nowMs());
    complete(slot, SandboxAnswer::error(status, type, message), true);
    m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::complete(quint64 slot, const SandboxAnswer &answer, bool close)
{
    if (slot < m_firstSlot || slot - m_firstSlot >= m_pending.size())
        return;
    Pending &p = m_pending[size_t(slot - m_firstSlot)];
    p.ready = true;
    p.drop = answer.drop;
    p.close = close;
    if (!answer.drop) {
        p.bytes = responseBytes(answer.status, answer.body, close, answer.shardLimits, answer.contentType,
                                std::max<qint64>(0, nowMs() - p.arrivalMs));
        if (answer.body.size() > kCopiedBodyBytes)
            p.body = answer.body;
    }
    flush();
}

void HttpConnection::flush()
{
    while (!m_pending.empty() && m_pending.front().ready) {
        Pending p = std::move(m_pending.front());
        m_pending.pop_front();
        ++m_firstSlot;
        m_held -= p.heldBytes;
        if (p.drop) {
            // Closed without a word, as a crashed front end would.
            m_closing = true;
            m_pending.clear();
            m_held = 0;
            updateUnsent();
            m_timer.stop();
            m_socket->disconnectFromHost();
            return;
        }
        if (m_socket->bytesToWrite() == 0)
            m_lastWriteProgressMs = nowMs(); // a stall is counted from here
        m_socket->write(p.bytes);
        m_inSocket += p.bytes.size();
        if (!p.body.isEmpty()) {
            m_socket->write(p.body);
            m_inSocket += p.body.size();
        }
        if (p.close) {
            m_closing = true;
            m_pending.clear();
            m_held = 0;
            updateUnsent();
            finishWriting();
            return;
        }
    }
    pushOut(); // small answers leave at once, not at the event loop's next turn
    rearm();
}

void HttpConnection::finishWriting()
{
    if (m_lingering || !m_pending.empty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_socket->bytesToWrite() > 0) {
        rearm(); // the write timeout
        return;
    }
    // Everything is written: end our side, and read (discarding) until the client closes its
    // side or the linger time ends. Closing while the client still sends would reset the
    // connection, and a reset can destroy the answer before the client has read it.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_lingering = true;
    m_lingerStartMs = nowMs();
    m_socket->skip(m_socket->bytesAvailable());
    rearm();
}

void HttpConnection::updateUnsent()
{
    // The socket keeps each answer it was given whole until its last byte is sent (it shares
    // the array), so an answer counts whole while any of it waits there.
    if (m_socket->bytesToWrite() == 0)
        m_inSocket = 0;
    const qint64 unsent = m_held + std::max(m_inSocket, m_socket->bytesToWrite());
    const qint64 delta = unsent - m_accountedUnsent;
    if (delta == 0)
        return;
    m_accountedUnsent = unsent;
    m_budget->addUnsent(delta);
    if (delta > 0 && m_budget->overUnsent())
        Q_EMIT unsentOverBudget();
}

HttpConnection::Deadline HttpConnection::dueDeadline(qint64 &at) const
{
    if (m_lingering) {
        at = m_lingerStartMs + m_limits.lingerMs;
        return Deadline::Linger;
    }
    if (m_socket->bytesToWrite() > 0) {
        at = m_lastWriteProgressMs + m_limits.writeTimeoutMs;
        return Deadline::Write;
    }
    if (m_paused && m_accountedUnsent == 0) {
        // A new connection waiting for answers across connections to fit again: look again soon.
        at = nowMs() + kResumeCheckMs;
        return Deadline::Resume;
    }
    if (m_closing || !m_pending.empty() || m_paused)
        return Deadline::None; // answers are on their way, or the client must read first
    if (m_haveHead || !m_buffer.isEmpty()) {
        at = m_requestStartMs + m_limits.requestTimeoutMs;
        return Deadline::Request;
    }
    if (m_answered == 0) {
        // Connected, and not a byte yet: the first request's time runs from the connection.
        at = m_lastActivityMs + m_limits.requestTimeoutMs;
        return Deadline::Silent;
    }
    at = m_lastActivityMs + m_limits.idleTimeoutMs;
    return Deadline::Idle;
}

void HttpConnection::rearm()
{
    qint64 at = 0;
    const Deadline deadline = dueDeadline(at);
    if (deadline == m_armed && at == m_armedAt && (deadline == Deadline::None || m_timer.isActive()))
        return;
    m_armed = deadline;
    m_armedAt = at;
    if (deadline == Deadline::None) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::clamp<qint64>(at - nowMs(), 0, std::numeric_limits<int>::max())));
}

void HttpConnection::onTimeout()
{
    qint64 at = 0;
    const Deadline deadline = dueDeadline(at);
    if (deadline == Deadline::None || (deadline != Deadline::Resume && at > nowMs())) {
        m_armed = Deadline::None;
        rearm();
        return;
    }
    switch (deadline) {
    case Deadline::Request:
        qCDebug(lcSandbox) << "closing a connection whose request did not arrive in time";
        fail(408, "RequestTimeout",
             QStringLiteral("the request did not arrive within %1 ms; send each request whole").arg(m_limits.requestTimeoutMs));
        break;
    case Deadline::Idle:
    case Deadline::Silent:
        closeIdle();
        break;
    case Deadline::Write:
        qCDebug(lcSandbox) << "closing a connection whose client does not read its answers";
        abort();
        break;
    case Deadline::Linger:
        m_timer.stop();
        m_socket->abort();
        break;
    case Deadline::Resume:
        m_armed = Deadline::None;
        pump();
        break;
    case Deadline::None:
        break;
    }
}

} // namespace kwb::sandbox
