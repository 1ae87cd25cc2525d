#include "net/PlainHttpClient.h"

#include <QTcpSocket>

#include <algorithm>

namespace kwb::net {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

/// Whether a comma-separated header value names `token` (case-insensitive).
bool namesToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(','))
        if (sameName(part.trimmed(), token))
            return true;
    return false;
}

QNetworkReply::NetworkError networkErrorOf(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

} // namespace

/// One kept-alive TCP connection of a PlainHttpClient: sends one exchange at a time and reads
/// its answer incrementally from what the socket has.
class PlainHttpConnection : public QObject
{
public:
    PlainHttpConnection(PlainHttpClient *client, const QString &host, quint16 port)
        : QObject(client)
        , m_client(client)
        , m_socket(new QTcpSocket(this))
    {
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (m_exchange)
                writeRequest();
        });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64) {
            if (m_exchange)
                Q_EMIT m_exchange->progressed();
        });
        connect(m_socket, &QTcpSocket::readyRead, this, &PlainHttpConnection::readAvailable);
        connect(m_socket, &QTcpSocket::errorOccurred, this, &PlainHttpConnection::closed);
        connect(m_socket, &QTcpSocket::disconnected, this,
                [this] { closed(QAbstractSocket::RemoteHostClosedError); });
        m_socket->connectToHost(host, port);
    }

    bool isIdle() const { return !m_dead && !m_exchange && m_socket->state() == QAbstractSocket::ConnectedState; }
    bool isDead() const { return m_dead; }

    void start(PlainHttpExchange *exchange)
    {
        m_exchange = exchange;
        exchange->m_connection = this;
        m_phase = Phase::Head;
        m_answerBytes = false;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            writeRequest();
    }

    /// The exchange was aborted: this connection is in an unknown state, so it goes.
    void drop()
    {
        m_exchange = nullptr;
        die();
    }

private:
    enum class Phase { Head, Length, ChunkSize, ChunkData, Trailer, UntilClose };

    void writeRequest()
    {
        m_socket->write(m_exchange->m_head);
        if (!m_exchange->m_requestBody.isEmpty())
            m_socket->write(m_exchange->m_requestBody);
    }

    void readAvailable()
    {
        m_in.append(m_socket->readAll());
        if (m_dead)
            return;
        if (!m_exchange) {
            // Bytes nobody asked for (or an answer to an exchange deleted meanwhile): the
            // connection cannot be trusted for the next request.
            die();
            return;
        }
        m_answerBytes = true;
        Q_EMIT m_exchange->progressed();
        parse();
    }

    void closed(QAbstractSocket::SocketError error)
    {
        if (m_dead)
            return;
        if (m_socket->bytesAvailable() > 0)
            readAvailable();
        if (m_dead)
            return;
        PlainHttpExchange *exchange = m_exchange;
        if (exchange && m_phase == Phase::UntilClose && error == QAbstractSocket::RemoteHostClosedError) {
            m_keepAlive = false;
            answered();
            return;
        }
        const QString text = m_socket->errorString();
        m_exchange = nullptr;
        die();
        if (!exchange)
            return;
        exchange->m_connection = nullptr;
        if (!m_answerBytes && m_client && m_client->resend(exchange, m_served > 0))
            return;
        exchange->fail(networkErrorOf(error), text);
    }

    void protocolError(const QString &what)
    {
        PlainHttpExchange *exchange = m_exchange;
        m_exchange = nullptr;
        die();
        exchange->m_connection = nullptr;
        exchange->fail(QNetworkReply::ProtocolFailure, what);
    }

    /// Takes what it can from m_in for the current phase; returns when it needs more bytes.
    void parse()
    {
        while (m_exchange && !m_dead) {
            switch (m_phase) {
            case Phase::Head:
                if (!parseHead())
                    return;
                break;
            case Phase::Length: {
                if (m_in.size() - m_pos < m_remaining)
                    return;
                m_exchange->m_body = m_in.mid(m_pos, m_remaining);
                m_pos += m_remaining;
                answered();
                return;
            }
            case Phase::ChunkSize: {
                const qsizetype end = m_in.indexOf('\n', m_pos);
                if (end < 0) {
                    if (m_in.size() - m_pos > 1024)
                        return protocolError(QStringLiteral("a chunk size line over 1 KiB"));
                    return;
                }
                QByteArray line = m_in.mid(m_pos, end - m_pos).trimmed();
                m_pos = end + 1;
                const qsizetype extension = line.indexOf(';');
                if (extension >= 0)
                    line.truncate(extension);
                bool ok = false;
                const qint64 size = line.trimmed().toLongLong(&ok, 16);
                if (!ok || size < 0)
                    return protocolError(QStringLiteral("a chunk size that is not a hexadecimal number"));
                if (size > PlainHttpClient::kMaxBodyBytes - m_exchange->m_body.size())
                    return protocolError(QStringLiteral("an answer body over %1 bytes").arg(PlainHttpClient::kMaxBodyBytes));
                m_remaining = size;
                m_phase = size == 0 ? Phase::Trailer : Phase::ChunkData;
                break;
            }
            case Phase::ChunkData: {
                if (m_in.size() - m_pos < m_remaining + 2)
                    return;
                m_exchange->m_body.append(m_in.constData() + m_pos, m_remaining);
                if (m_in.at(m_pos + m_remaining) == '\r' && m_in.at(m_pos + m_remaining + 1) == '\n')
                    m_pos += m_remaining + 2;
                else
                    return protocolError(QStringLiteral("a chunk not followed by CRLF"));
                m_phase = Phase::ChunkSize;
                break;
            }
            case Phase::Trailer: {
                const qsizetype end = m_in.indexOf('\n', m_pos);
                if (end < 0) {
                    if (m_in.size() - m_pos > PlainHttpClient::kMaxHeadBytes)
                        return protocolError(QStringLiteral("trailers over 64 KiB"));
                    return;
                }
                const bool empty = m_in.mid(m_pos, end - m_pos).trimmed().isEmpty();
                m_pos = end + 1;
                if (empty) {
                    answered();
                    return;
                }
                break;
            }
            case Phase::UntilClose:
                m_exchange->m_body.append(m_in.constData() + m_pos, m_in.size() - m_pos);
                m_pos = m_in.size();
                compact();
                if (m_exchange->m_body.size() > PlainHttpClient::kMaxBodyBytes)
                    return protocolError(QStringLiteral("an answer body over %1 bytes").arg(PlainHttpClient::kMaxBodyBytes));
                return;
            }
        }
    }

    /// The status line and headers; false when they are not all here yet.
    bool parseHead()
    {
        qsizetype end = m_in.indexOf("\r\n\r\n", m_pos);
        qsizetype bodyStart = end + 4;
        const qsizetype bare = m_in.indexOf("\n\n", m_pos);
        if (bare >= 0 && (end < 0 || bare < end)) {
            end = bare;
            bodyStart = bare + 2;
        }
        if (end < 0) {
            if (m_in.size() - m_pos > PlainHttpClient::kMaxHeadBytes)
                protocolError(QStringLiteral("an answer head over 64 KiB"));
            return false;
        }
        const QList<QByteArray> lines = m_in.mid(m_pos, end - m_pos).split('\n');
        m_pos = bodyStart;
        const QList<QByteArray> status = lines.first().trimmed().split(' ');
        bool ok = false;
        const int code = status.size() >= 2 ? status[1].toInt(&ok) : 0;
        if (!status.first().startsWith("HTTP/1.") || !ok || code < 100 || code > 999) {
            protocolError(QStringLiteral("an answer that does not start with an HTTP/1.x status line"));
            return false;
        }
        if (code < 200) { // 100 Continue and the like: the real answer follows
            compact();
            return true;
        }
        PlainHttpExchange *exchange = m_exchange;
        exchange->m_status = code;
        exchange->m_headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines[i];
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            exchange->m_headers.emplace_back(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
        }
        const QByteArray connection = exchange->rawHeader("Connection");
        m_keepAlive = status.first() == "HTTP/1.1" ? !namesToken(connection, "close") : namesToken(connection, "keep-alive");
        if (code == 204 || code == 304) {
            m_remaining = 0;
            m_phase = Phase::Length;
        } else if (exchange->hasRawHeader("Transfer-Encoding")) {
            if (namesToken(exchange->rawHeader("Transfer-Encoding"), "chunked")) {
                m_phase = Phase::ChunkSize;
            } else {
                m_phase = Phase::UntilClose;
                m_keepAlive = false;
            }
        } else if (exchange->hasRawHeader("Content-Length")) {
            const QByteArray length = exchange->rawHeader("Content-Length");
            bool valid = !length.isEmpty() && std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
            const qint64 size = valid ? length.toLongLong(&valid) : -1;
            if (!valid)
                return protocolError(QStringLiteral("a Content-Length that is not a number")), false;
            if (size > PlainHttpClient::kMaxBodyBytes)
                return protocolError(QStringLiteral("an answer body over %1 bytes").arg(PlainHttpClient::kMaxBodyBytes)), false;
            m_remaining = size;
            m_phase = Phase::Length;
        } else {
            m_phase = Phase::UntilClose;
            m_keepAlive = false;
        }
        return true;
    }

    /// Drops the bytes already parsed.
    void compact()
    {
        m_in.remove(0, m_pos);
        m_pos = 0;
    }

    /// The current answer is complete: hand it over, then serve the next request or close.
    void answered()
    {
        compact();
        PlainHttpExchange *exchange = m_exchange;
        m_exchange = nullptr;
        exchange->m_connection = nullptr;
        ++m_served;
        // Bytes after the answer were not asked for: the connection is not reused.
        if (!m_keepAlive || !m_in.isEmpty())
            die();
        const QPointer<PlainHttpClient> client = m_client;
        const QPointer<PlainHttpConnection> self = this;
        exchange->complete();
        if (client && self && !m_dead)
            client->connectionIdle(this);
    }

    /// Closes the socket for good and leaves the client's list (deleted later).
    void die()
    {
        if (m_dead)
            return;
        m_dead = true;
        m_socket->disconnect(this);
        m_socket->abort();
        if (m_client)
            m_client->connectionGone(this);
    }

    QPointer<PlainHttpClient> m_client;
    QTcpSocket *m_socket;
    QPointer<PlainHttpExchange> m_exchange;
    QByteArray m_in;
    qsizetype m_pos = 0;
    Phase m_phase = Phase::Head;
    qint64 m_remaining = 0;
    bool m_keepAlive = true;
    bool m_answerBytes = false; ///< a byte of the current exchange's answer came
    bool m_dead = false;
    int m_served = 0;
};

bool PlainHttpExchange::hasRawHeader(QByteArrayView name) const
{
    return std::any_of(m_headers.begin(), m_headers.end(), [name](const auto &h) { return sameName(h.first, name); });
}

QByteArray PlainHttpExchange::rawHeader(QByteArrayView name) const
{
    QByteArray value;
    for (const auto &[n, v] : m_headers)
        if (sameName(n, name))
            value = value.isEmpty() ? v : value + ", " + v;
    return value;
}

void PlainHttpExchange::abort()
{
    if (m_finished)
        return;
    if (m_connection)
        m_connection->drop();
    m_connection = nullptr;
    fail(QNetworkReply::OperationCanceledError, QStringLiteral("Operation canceled"));
}

void PlainHttpExchange::fail(QNetworkReply::NetworkError error, const QString &text)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_errorText = text;
    Q_EMIT finished();
}

void PlainHttpExchange::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}

PlainHttpClient::PlainHttpClient(QString host, quint16 port, int maxConnections, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_maxConnections(std::max(1, maxConnections))
{
}

PlainHttpClient::~PlainHttpClient() = default;

PlainHttpExchange *PlainHttpClient::send(QByteArray head, QByteArray body)
{
    auto *exchange = new PlainHttpExchange(this);
    exchange->m_head = std::move(head);
    exchange->m_requestBody = std::move(body);
    m_queue.emplace_back(exchange);
    dispatch();
    return exchange;
}

void PlainHttpClient::dispatch()
{
    while (!m_queue.empty()) {
        PlainHttpExchange *exchange = m_queue.front();
        if (!exchange || exchange->isFinished()) {
            m_queue.pop_front();
            continue;
        }
        auto idle = std::find_if(m_connections.begin(), m_connections.end(),
                                 [](PlainHttpConnection *c) { return c->isIdle(); });
        PlainHttpConnection *connection = nullptr;
        if (idle != m_connections.end())
            connection = *idle;
        else if (int(m_connections.size()) < m_maxConnections)
            connection = m_connections.emplace_back(new PlainHttpConnection(this, m_host, m_port));
        else
            return; // every connection is busy: the next one to finish dispatches again
        m_queue.pop_front();
        connection->start(exchange);
    }
}

void PlainHttpClient::connectionIdle(PlainHttpConnection *)
{
    dispatch();
}

void PlainHttpClient::connectionGone(PlainHttpConnection *connection)
{
    std::erase(m_connections, connection);
    connection->deleteLater();
    // Its place can take a queued request (on a new connection).
    QMetaObject::invokeMethod(this, &PlainHttpClient::dispatch, Qt::QueuedConnection);
}

bool PlainHttpClient::resend(PlainHttpExchange *exchange, bool connectionWasReused)
{
    if (!connectionWasReused || exchange->m_resent)
        return false;
    exchange->m_resent = true;
    m_queue.emplace_front(exchange);
    QMetaObject::invokeMethod(this, &PlainHttpClient::dispatch, Qt::QueuedConnection);
    return true;
}

} // namespace kwb::net
