#include "net/PlainHttpClient.h"

#include "net/HttpAnswerReader.h"

#include <QTcpSocket>

#include <algorithm>

namespace kwb::net {

namespace {

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
        m_reader = HttpAnswerReader();
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
    void writeRequest()
    {
        m_socket->write(m_exchange->m_head);
        if (!m_exchange->m_requestBody.isEmpty())
            m_socket->write(m_exchange->m_requestBody);
    }

    void readAvailable()
    {
        const QByteArray bytes = m_socket->readAll();
        if (m_dead)
            return;
        if (!m_exchange) {
            // Bytes nobody asked for (or an answer to an exchange deleted meanwhile): the
            // connection cannot be trusted for the next request.
            die();
            return;
        }
        Q_EMIT m_exchange->progressed();
        if (m_exchange)
            settle(m_reader.feed(bytes));
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
        if (exchange && m_reader.endsWithTheConnection() && error == QAbstractSocket::RemoteHostClosedError) {
            settle(m_reader.closed());
            return;
        }
        const QString text = m_socket->errorString();
        m_exchange = nullptr;
        die();
        if (!exchange)
            return;
        exchange->m_connection = nullptr;
        if (!m_reader.started() && m_client && m_client->resend(exchange, m_served > 0))
            return;
        exchange->fail(networkErrorOf(error), text);
    }

    /// What the reader said of the bytes so far: wait, hand the answer over, or fail.
    void settle(HttpAnswerReader::State state)
    {
        if (state == HttpAnswerReader::State::NeedMore)
            return;
        PlainHttpExchange *exchange = m_exchange;
        m_exchange = nullptr;
        exchange->m_connection = nullptr;
        if (state == HttpAnswerReader::State::Failed) {
            die();
            exchange->fail(QNetworkReply::ProtocolFailure, m_reader.error());
            return;
        }
        exchange->m_status = m_reader.status();
        exchange->m_headers = std::move(m_reader.headers());
        exchange->m_body = std::move(m_reader.body());
        ++m_served;
        // Bytes after the answer were not asked for: the connection is not reused.
        if (!m_reader.keepAlive() || !m_reader.leftover().isEmpty())
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
    HttpAnswerReader m_reader; ///< the current exchange's answer
    bool m_dead = false;
    int m_served = 0;
};

bool PlainHttpExchange::hasRawHeader(QByteArrayView name) const
{
    return std::any_of(m_headers.begin(), m_headers.end(),
                       [name](const auto &h) { return name.compare(h.first, Qt::CaseInsensitive) == 0; });
}

QByteArray PlainHttpExchange::rawHeader(QByteArrayView name) const
{
    QByteArray value;
    for (const auto &[n, v] : m_headers)
        if (name.compare(n, Qt::CaseInsensitive) == 0)
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
