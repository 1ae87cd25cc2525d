#include "sandbox/HttpConnection.h"


#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <simdjson.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

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

QByteArray responseBytes(int status, const QByteArray &body, bool close, const QByteArray &shardLimits)
{
    QByteArray out;
    out.reserve(body.size() + 256);
    out.append("HTTP/1.1 ").append(QByteArray::number(status)).append(' ').append(reason(status)).append("\r\n");
    out.append("x-amzn-RequestId: ").append(QUuid::createUuid().toByteArray(QUuid::WithoutBraces)).append("\r\n");
    if (!shardLimits.isEmpty()) // so a client can pace to the sandbox's current limits
        out.append("x-kwb-shard-limits: ").append(shardLimits).append("\r\n");
    out.append("Content-Type: application/x-amz-json-1.1\r\n");
    out.append("Content-Length: ").append(QByteArray::number(body.size())).append("\r\n");
    out.append("Date: ").append(httpDate()).append("\r\n");
    if (close)
        out.append("Connection: close\r\n");
    out.append("\r\n");
    out.append(body);
    return out;
}

bool hasToken(QByteArrayView list, QByteArrayView token)
{
    for (QByteArrayView part : QByteArray(list.toByteArray()).split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, Handler handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(std::move(handler))
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::onReadyRead);
}

void HttpConnection::abort()
{
    m_closing = true;
    m_socket->abort();
}

void HttpConnection::onReadyRead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (m_closing) {
        m_socket->skip(available);
        return;
    }
    if (available > 0) {
        const qsizetype old = m_buffer.size();
        m_buffer.resize(old + qsizetype(available));
        const qint64 n = m_socket->read(m_buffer.data() + old, available);
        m_buffer.resize(old + qsizetype(std::max<qint64>(n, 0)));
    }
    while (!m_closing && takeRequest()) {
    }
    if (!m_buffer.isEmpty())
        ackNow();
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

quint64 HttpConnection::enqueue()
{
    m_pending.emplace_back();
    return m_firstSlot + m_pending.size() - 1;
}

void HttpConnection::fail(int status, const char *message)
{
    m_closing = true;
    const quint64 slot = enqueue();
    complete(slot, SandboxAnswer::error(status, "BadRequest", QString::fromLatin1(message)), true);
}

bool HttpConnection::takeRequest()
{
    if (!m_haveHead) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n", std::max<qsizetype>(0, m_scanFrom - 3));
        if (end < 0) {
            m_scanFrom = m_buffer.size();
            if (m_buffer.size() > kMaxHeaderBytes)
                fail(431, "the request headers are larger than 64 KiB");
            return false;
        }
        m_scanFrom = 0;
        m_headBytes = end + 4;
        m_request = HttpRequest();
        const QList<QByteArray> lines = QByteArrayView(m_buffer).first(end).toByteArray().split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            fail(requestLine.size() == 3 ? 505 : 400, "malformed request line");
            return false;
        }
        m_request.method = requestLine[0];
        m_request.target = requestLine[1];
        const bool http10 = requestLine[2] == "HTTP/1.0";
        m_keepAlive = !http10;
        m_bodyBytes = 0;
        bool haveLength = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QByteArray line = lines[i];
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty())
                continue;
            if (line.startsWith(' ') || line.startsWith('\t')) {
                // An obsolete folded line continues the previous header's value.
                if (m_request.headers.isEmpty()) {
                    fail(400, "malformed header line");
                    return false;
                }
                m_request.headers.last().second.append('\n').append(line);
                continue;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                fail(400, "malformed header line");
                return false;
            }
            QByteArray name = line.left(colon);
            QByteArray value = line.mid(colon + 1).trimmed();
            if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
                bool ok = false;
                const qint64 length = value.toLongLong(&ok);
                if (!ok || length < 0 || (haveLength && length != m_bodyBytes)) {
                    fail(400, "invalid Content-Length");
                    return false;
                }
                haveLength = true;
                m_bodyBytes = length;
            } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
                fail(411, "chunked request bodies are not supported; send a Content-Length");
                return false;
            } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
                if (hasToken(value, "close"))
                    m_keepAlive = false;
                else if (hasToken(value, "keep-alive"))
                    m_keepAlive = true;
            }
            m_request.headers.append({std::move(name), std::move(value)});
        }
        if (m_bodyBytes > kMaxBodyBytes) {
            fail(413, "the request body is larger than 16 MiB");
            return false;
        }
        m_haveHead = true;
        m_sentContinue = false;
    }
    if (m_buffer.size() - m_headBytes < m_bodyBytes) {
        if (!m_sentContinue && hasToken(m_request.header("expect"), "100-continue")) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            m_sentContinue = true;
        }
        return false;
    }
    // The body gets room for the JSON parser's padding, so it can parse it in place.
    m_request.body.reserve(qsizetype(m_bodyBytes) + simdjson::SIMDJSON_PADDING);
    m_request.body.append(m_buffer.constData() + m_headBytes, qsizetype(m_bodyBytes));
    m_buffer.remove(0, m_headBytes + qsizetype(m_bodyBytes));
    m_haveHead = false;

    const bool keepAlive = m_keepAlive;
    const quint64 slot = enqueue();
    SandboxAnswer answer = m_handler(m_request);
    if (answer.drop || !keepAlive)
        m_closing = true;
    if (answer.delayMs > 0) {
        QTimer::singleShot(answer.delayMs, this, [this, slot, answer, keepAlive] { complete(slot, answer, !keepAlive); });
    } else {
        complete(slot, answer, !keepAlive);
    }
    return true;
}

void HttpConnection::complete(quint64 slot, const SandboxAnswer &answer, bool close)
{
    if (slot < m_firstSlot || slot - m_firstSlot >= m_pending.size())
        return;
    Pending &p = m_pending[size_t(slot - m_firstSlot)];
    p.ready = true;
    p.drop = answer.drop;
    p.close = close;
    if (!answer.drop)
        p.bytes = responseBytes(answer.status, answer.body, close, answer.shardLimits);
    flush();
}

void HttpConnection::flush()
{
    while (!m_pending.empty() && m_pending.front().ready) {
        Pending p = std::move(m_pending.front());
        m_pending.pop_front();
        ++m_firstSlot;
        if (p.drop) {
            // Closed without a word, as a crashed front end would.
            m_closing = true;
            m_pending.clear();
            m_socket->disconnectFromHost();
            return;
        }
        m_socket->write(p.bytes);
        if (p.close) {
            m_closing = true;
            m_pending.clear();
            m_socket->disconnectFromHost();
            return;
        }
    }
}

} // namespace kwb::sandbox
