#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <utility>
#include <vector>

class QTcpSocket;

namespace kwb::net {

class PlainHttpConnection;

/// One HTTP/1.1 request and its answer on a PlainHttpClient. Owned by the client until
/// finished(), then by whoever took it (it is deleted with the client, or by deleteLater()).
/// Its accessors mirror the parts of QNetworkReply that KinesisClient reads.
class PlainHttpExchange : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    int status() const { return m_status; }
    bool hasRawHeader(QByteArrayView name) const;
    QByteArray rawHeader(QByteArrayView name) const;
    const QByteArray &body() const { return m_body; }
    QNetworkReply::NetworkError error() const { return m_error; }
    QString errorString() const { return m_errorText; }
    bool isFinished() const { return m_finished; }
    /// Ends the exchange with OperationCanceledError (finished() is emitted); its connection is
    /// closed, never reused. Nothing when it has finished.
    void abort();

Q_SIGNALS:
    /// Bytes of the request went out, or bytes of the answer came in.
    void progressed();
    /// The answer is complete, or the exchange failed (error() says how). Emitted once.
    void finished();

private:
    friend class PlainHttpClient;
    friend class PlainHttpConnection;
    void fail(QNetworkReply::NetworkError error, const QString &text);
    void complete();

    QByteArray m_head; ///< request line and headers, with the blank line
    QByteArray m_requestBody;
    QPointer<PlainHttpConnection> m_connection;
    bool m_resent = false; ///< already sent again once, after a kept-alive connection closed
    bool m_finished = false;
    int m_status = 0;
    std::vector<std::pair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QNetworkReply::NetworkError m_error = QNetworkReply::NoError;
    QString m_errorText;
};

/// HTTP/1.1 over plain TCP to one host, for http:// endpoints (the built-in sandbox,
/// kinesalite, kinesis-mock, LocalStack). Qt 6.4's QNetworkAccessManager reads a plain-TCP
/// answer's status line and headers with one read() system call per byte (it opens those
/// sockets unbuffered); this client reads what the socket has in one call, so an answer costs a
/// few system calls instead of about 220. Keeps connections alive, opens up to
/// `maxConnections` and queues requests beyond them. Answers are read by HttpAnswerReader
/// (Content-Length, chunked or until the connection ends; head and body bounded, so a peer
/// cannot make it hold unbounded memory); what it refuses is a ProtocolFailure.
/// A request that finds its kept-alive connection closed by the peer before any byte of the
/// answer is sent once more on a new connection, as QNetworkAccessManager does. Lives on the
/// thread that created it.
class PlainHttpClient : public QObject
{
    Q_OBJECT
public:
    PlainHttpClient(QString host, quint16 port, int maxConnections, QObject *parent = nullptr);
    ~PlainHttpClient() override;

    /// Sends `head` (request line and headers ending in an empty line, Content-Length
    /// included) and `body`. The exchange is a child of this client.
    PlainHttpExchange *send(QByteArray head, QByteArray body);

    /// Connections open now (busy and idle); for tests.
    int connectionCount() const { return int(m_connections.size()); }

private:
    friend class PlainHttpConnection;
    void dispatch();
    void connectionIdle(PlainHttpConnection *connection);
    void connectionGone(PlainHttpConnection *connection);
    /// The exchange's connection closed before any byte of its answer: send it again if the
    /// connection had served an earlier request and it was not sent again already.
    bool resend(PlainHttpExchange *exchange, bool connectionWasReused);

    QString m_host;
    quint16 m_port;
    int m_maxConnections;
    std::vector<PlainHttpConnection *> m_connections;
    std::deque<QPointer<PlainHttpExchange>> m_queue;
};

} // namespace kwb::net
