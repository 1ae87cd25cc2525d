// PlainHttpClient: HTTP/1.1 over plain TCP for http:// endpoints. A loopback server in this test
// writes answers byte for byte as scripted (in pieces, chunked, until close, with 100 Continue,
// oversized), counts connections and requests, and closes connections on cue; every expected
// value comes from that script, not from the client.
#include "net/HttpAnswerReader.h"
#include "net/PlainHttpClient.h"

#include <QFile>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace kwb::net;

namespace {

/// What the server does with one request: write `pieces` one event-loop turn (and `gapMs`)
/// apart, then close the connection if `close`; with `drop` it closes at once without a byte.
struct Script
{
    QList<QByteArray> pieces;
    bool close = false;
    bool drop = false;
    int delayMs = 0; ///< before the first piece
    int gapMs = 5;
};

class RawServer : public QObject
{
public:
    explicit RawServer(std::function<Script(int request, const QByteArray &head, const QByteArray &body)> answer)
        : m_answer(std::move(answer))
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                ++open;
                maxOpen = std::max(maxOpen, open);
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                    --open;
                    socket->deleteLater();
                });
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] { onData(socket, *buffer); });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }

    int connections = 0;
    int open = 0;
    int maxOpen = 0;
    QList<QByteArray> heads;
    QList<QByteArray> bodies;

private:
    void onData(QTcpSocket *socket, QByteArray &buffer)
    {
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer.left(end + 4);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            const QByteArray body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            heads << head;
            bodies << body;
            play(socket, m_answer(int(heads.size()) - 1, head, body));
        }
    }

    void play(QTcpSocket *socket, Script script)
    {
        if (script.drop) {
            socket->disconnectFromHost();
            return;
        }
        QPointer<QTcpSocket> s(socket);
        int at = script.delayMs;
        for (const QByteArray &piece : std::as_const(script.pieces)) {
            QTimer::singleShot(at, this, [s, piece] {
                if (s)
                    s->write(piece);
            });
            at += script.gapMs;
        }
        if (script.close)
            QTimer::singleShot(at, this, [s] {
                if (s)
                    s->disconnectFromHost();
            });
    }

    QTcpServer m_server;
    std::function<Script(int, const QByteArray &, const QByteArray &)> m_answer;
};

QByteArray requestHead(const QByteArray &body, const QByteArray &extra = {})
{
    return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\n" + extra +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
}

QByteArray ok(const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n" + extra +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

/// Sends one request and waits for its end (10 s at most).
PlainHttpExchange *exchange(PlainHttpClient &client, const QByteArray &body = "{}")
{
    PlainHttpExchange *e = client.send(requestHead(body), body);
    QSignalSpy finished(e, &PlainHttpExchange::finished);
    if (!e->isFinished() && !finished.wait(10000))
        qWarning("the exchange did not finish in 10 s");
    return e;
}

/// read() system calls this process has made so far (/proc/self/io, "syscr").
qint64 readCalls()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n'))
        if (line.startsWith("syscr:"))
            return line.mid(6).trimmed().toLongLong();
    return -1;
}

} // namespace

class TstPlainHttpClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestGoesOutAsGiven();
    void answerInPieces();
    void chunkedAnswer();
    void answerUntilClose();
    void continueIsSkipped();
    void keepAliveReusesOneConnection();
    void connectionCloseIsHonoured();
    void keptAliveConnectionClosedIsSentOnceMore();
    void freshConnectionClosedIsAnError();
    void oversizedHeadIsRefused();
    void oversizedOrBadLengthIsRefused_data();
    void oversizedOrBadLengthIsRefused();
    void notHttpIsRefused();
    void requestsBeyondTheConnectionsWait();
    void abortWhileWaitingAndInFlight();
    void connectionRefused();
    void readsTheSocketInBlocks();
    void readerGivesTheSameWhereverTheBytesSplit_data();
    void readerGivesTheSameWhereverTheBytesSplit();
};

void TstPlainHttpClient::requestGoesOutAsGiven()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) { return Script{{ok("{}")}}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    const QByteArray body(70000, 'r'); // more than one socket write
    PlainHttpExchange *e = exchange(client, body);
    QCOMPARE(e->error(), QNetworkReply::NoError);
    QCOMPARE(server.heads.size(), 1);
    QCOMPARE(server.heads[0], requestHead(body));
    QCOMPARE(server.bodies[0], body);
}

void TstPlainHttpClient::answerInPieces()
{
    const QByteArray body = R"({"FailedRecordCount":0,"Records":[{"ShardId":"shardId-000000000001"}]})";
    const QByteArray raw = ok(body, "x-kwb-shard-limits: records=1000; bytes=1048576\r\nX-Twice: a\r\nx-twice: b\r\n");
    // Split inside the status line, inside the blank line and inside the body.
    const QList<QByteArray> pieces{raw.left(7), raw.mid(7, raw.indexOf("\r\n\r\n") + 2 - 7),
                                   raw.mid(raw.indexOf("\r\n\r\n") + 2, 10), raw.mid(raw.indexOf("\r\n\r\n") + 12)};
    RawServer server([&](int, const QByteArray &, const QByteArray &) { return Script{pieces}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::NoError);
    QCOMPARE(e->status(), 200);
    QCOMPARE(e->body(), body);
    QCOMPARE(e->rawHeader("X-KWB-Shard-Limits"), QByteArray("records=1000; bytes=1048576"));
    QCOMPARE(e->rawHeader("x-twice"), QByteArray("a, b"));
    QVERIFY(!e->hasRawHeader("x-absent"));
}

void TstPlainHttpClient::chunkedAnswer()
{
    // Chunks of 0x1a and 0x5 bytes, one with an extension, then a trailer; sent a byte at a time.
    const QByteArray raw = "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "1a;name=value\r\n{\"__type\":\"ValidationExcep\r\n"
                           "5\r\ntion\"\r\n"
                           "1\r\n}\r\n"
                           "0\r\nX-Trailer: t\r\n\r\n";
    QList<QByteArray> pieces;
    for (char c : raw)
        pieces << QByteArray(1, c);
    RawServer server([&](int request, const QByteArray &, const QByteArray &) {
        return request == 0 ? Script{pieces, false, false, 0, 0} : Script{{ok("{}")}};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::NoError);
    QCOMPARE(e->status(), 400);
    QCOMPARE(e->body(), QByteArray(R"({"__type":"ValidationException"})"));
    // The connection stays usable after a chunked answer.
    QCOMPARE(exchange(client)->body(), QByteArray("{}"));
    QCOMPARE(server.connections, 1);
}

void TstPlainHttpClient::answerUntilClose()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) {
        return Script{{"HTTP/1.0 200 OK\r\n\r\n", "part one, ", "part two"}, true};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::NoError);
    QCOMPARE(e->body(), QByteArray("part one, part two"));
    QTRY_COMPARE(client.connectionCount(), 0);
}

void TstPlainHttpClient::continueIsSkipped()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) {
        return Script{{"HTTP/1.1 100 Continue\r\n\r\n", ok("{\"a\":1}")}};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->status(), 200);
    QCOMPARE(e->body(), QByteArray("{\"a\":1}"));
}

void TstPlainHttpClient::keepAliveReusesOneConnection()
{
    RawServer server([](int request, const QByteArray &, const QByteArray &) {
        return Script{{ok(QByteArray::number(request))}};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(exchange(client)->body(), QByteArray::number(i));
    QCOMPARE(server.connections, 1);
    QCOMPARE(client.connectionCount(), 1);
}

void TstPlainHttpClient::connectionCloseIsHonoured()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) { return Script{{ok("{}", "Connection: close\r\n")}}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    QCOMPARE(exchange(client)->error(), QNetworkReply::NoError);
    QCOMPARE(exchange(client)->error(), QNetworkReply::NoError);
    QCOMPARE(server.connections, 2);
}

void TstPlainHttpClient::keptAliveConnectionClosedIsSentOnceMore()
{
    // Request 1 is answered; the server then closes that connection when request 2 arrives on it
    // (as an idle timeout racing the request would). Request 2 goes out once more on a new
    // connection and is answered. Request 3's two tries are both dropped: an error, no third try.
    RawServer server([](int request, const QByteArray &, const QByteArray &) {
        if (request == 0 || request == 2)
            return Script{{ok(QByteArray::number(request))}};
        return Script{{}, false, true};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    QCOMPARE(exchange(client)->body(), QByteArray("0"));
    PlainHttpExchange *second = exchange(client);
    QCOMPARE(second->error(), QNetworkReply::NoError);
    QCOMPARE(second->body(), QByteArray("2"));
    QCOMPARE(server.heads.size(), 3);
    QCOMPARE(server.connections, 2);

    PlainHttpExchange *third = exchange(client);
    QCOMPARE(third->error(), QNetworkReply::RemoteHostClosedError);
    QCOMPARE(server.heads.size(), 5);
}

void TstPlainHttpClient::freshConnectionClosedIsAnError()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) { return Script{{}, false, true}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::RemoteHostClosedError);
    QCOMPARE(server.heads.size(), 1); // never sent twice: the server may have acted on it
}

void TstPlainHttpClient::oversizedHeadIsRefused()
{
    const QByteArray filler = "X-Filler: " + QByteArray(1000, 'f') + "\r\n";
    QList<QByteArray> pieces{"HTTP/1.1 200 OK\r\n"};
    for (int i = 0; i < 100; ++i) // 100 KB of headers that never end
        pieces << filler;
    RawServer server([&](int, const QByteArray &, const QByteArray &) { return Script{pieces, false, false, 0, 1}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::ProtocolFailure);
    QVERIFY2(e->errorString().contains(QLatin1String("64 KiB")), qPrintable(e->errorString()));
    QTRY_COMPARE(client.connectionCount(), 0);
}

void TstPlainHttpClient::oversizedOrBadLengthIsRefused_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("says");
    QTest::newRow("over 256 MiB") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 268435457\r\n\r\n{")
                                  << QStringLiteral("over 268435456 bytes");
    QTest::newRow("not a number") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n{}")
                                  << QStringLiteral("Content-Length that is not a number");
    QTest::newRow("negative") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}")
                              << QStringLiteral("Content-Length that is not a number");
    QTest::newRow("chunk over 256 MiB") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000001\r\n")
                                        << QStringLiteral("over 268435456 bytes");
    QTest::newRow("chunk size not hex") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << QStringLiteral("not a hexadecimal number");
}

void TstPlainHttpClient::oversizedOrBadLengthIsRefused()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, says);
    RawServer server([&](int, const QByteArray &, const QByteArray &) { return Script{{raw}}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::ProtocolFailure);
    QVERIFY2(e->errorString().contains(says), qPrintable(e->errorString()));
}

void TstPlainHttpClient::notHttpIsRefused()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) { return Script{{"SSH-2.0-OpenSSH_9.2\r\n\r\n"}}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    PlainHttpExchange *e = exchange(client);
    QCOMPARE(e->error(), QNetworkReply::ProtocolFailure);
    QVERIFY2(e->errorString().contains(QLatin1String("HTTP/1.x status line")), qPrintable(e->errorString()));
}

void TstPlainHttpClient::requestsBeyondTheConnectionsWait()
{
    RawServer server([](int request, const QByteArray &, const QByteArray &) {
        return Script{{ok(QByteArray::number(request))}, false, false, 50};
    });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 2);
    QList<PlainHttpExchange *> exchanges;
    for (int i = 0; i < 6; ++i)
        exchanges << client.send(requestHead("{}"), "{}");
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(exchanges.begin(), exchanges.end(), [](auto *e) { return e->isFinished(); }), 10000);
    QSet<QByteArray> bodies;
    for (PlainHttpExchange *e : exchanges) {
        QCOMPARE(e->error(), QNetworkReply::NoError);
        bodies << e->body();
    }
    QCOMPARE(bodies, (QSet<QByteArray>{"0", "1", "2", "3", "4", "5"}));
    QCOMPARE(server.connections, 2);
    QCOMPARE(server.maxOpen, 2);
}

void TstPlainHttpClient::abortWhileWaitingAndInFlight()
{
    RawServer server([](int, const QByteArray &, const QByteArray &) { return Script{{ok("{}")}, false, false, 300}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 1);
    PlainHttpExchange *inFlight = client.send(requestHead("{}"), "{}");
    PlainHttpExchange *waiting = client.send(requestHead("{}"), "{}");
    PlainHttpExchange *after = client.send(requestHead("{}"), "{}");
    QSignalSpy finishedWaiting(waiting, &PlainHttpExchange::finished);
    waiting->abort();
    QCOMPARE(finishedWaiting.size(), 1);
    QCOMPARE(waiting->error(), QNetworkReply::OperationCanceledError);
    QTRY_COMPARE(server.heads.size(), 1);
    inFlight->abort();
    QCOMPARE(inFlight->error(), QNetworkReply::OperationCanceledError);
    // The aborted request's connection is gone; the next request gets a new one and its answer.
    QTRY_VERIFY_WITH_TIMEOUT(after->isFinished(), 10000);
    QCOMPARE(after->error(), QNetworkReply::NoError);
    QCOMPARE(server.connections, 2);
    QCOMPARE(server.heads.size(), 2);
}

void TstPlainHttpClient::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        port = closed.serverPort();
    }
    PlainHttpClient client(QStringLiteral("127.0.0.1"), port, 4);
    QCOMPARE(exchange(client)->error(), QNetworkReply::ConnectionRefusedError);
}

void TstPlainHttpClient::readsTheSocketInBlocks()
{
    // An answer whose head is over 600 bytes, as AWS's and the sandbox's are with their request
    // ids: one byte per read() (as Qt 6.4's own HTTP client reads plain TCP) would be over 600
    // calls an answer, 12,000 for the 20 below. In blocks, a few calls an answer on either end.
    const QByteArray headers = "x-amzn-RequestId: " + QByteArray(36, 'a') + "\r\nx-amz-id-2: " + QByteArray(500, 'b') + "\r\n";
    RawServer server([&](int, const QByteArray &, const QByteArray &) { return Script{{ok(QByteArray(3000, 'x'), headers)}}; });
    PlainHttpClient client(QStringLiteral("127.0.0.1"), server.port(), 4);
    QCOMPARE(exchange(client)->error(), QNetworkReply::NoError);
    const qint64 before = readCalls();
    QVERIFY(before >= 0);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(exchange(client)->body().size(), 3000);
    const qint64 calls = readCalls() - before;
    QVERIFY2(calls < 20 * 20, qPrintable(QStringLiteral("%1 read() calls for 20 answers").arg(calls)));
}

void TstPlainHttpClient::readerGivesTheSameWhereverTheBytesSplit_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("close"); // the peer closes after the bytes
    QTest::addColumn<int>("state");  // HttpAnswerReader::State
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<QByteArray>("leftover");
    using S = HttpAnswerReader::State;
    QTest::newRow("length, then a second answer") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1")
                                                   << false << int(S::Done) << 200 << QByteArray("{}") << true
                                                   << QByteArray("HTTP/1.1");
    QTest::newRow("chunked with trailer") << QByteArray("HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                        "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n")
                                          << false << int(S::Done) << 400 << QByteArray("abcde") << true << QByteArray();
    QTest::newRow("HTTP/1.0 until close") << QByteArray("HTTP/1.0 200 OK\r\n\r\nall of it") << true << int(S::Done) << 200
                                          << QByteArray("all of it") << false << QByteArray();
    QTest::newRow("until close, not closed yet") << QByteArray("HTTP/1.1 200 OK\r\n\r\nsome") << false << int(S::NeedMore)
                                                 << 0 << QByteArray() << false << QByteArray();
    QTest::newRow("HTTP/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
                                         << false << int(S::Done) << 200 << QByteArray() << true << QByteArray();
    QTest::newRow("connection: close") << QByteArray("HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx")
                                       << false << int(S::Done) << 503 << QByteArray("x") << false << QByteArray();
    QTest::newRow("100 Continue, bare LF") << QByteArray("HTTP/1.1 100 Continue\n\nHTTP/1.1 204 No Content\n\n") << false
                                           << int(S::Done) << 204 << QByteArray() << true << QByteArray();
    QTest::newRow("closed mid-body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"a\"") << true
                                     << int(S::Failed) << 0 << QByteArray() << false << QByteArray();
    QTest::newRow("chunk without CRLF") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY")
                                        << false << int(S::Failed) << 0 << QByteArray() << false << QByteArray();
    QTest::newRow("status not three digits") << QByteArray("HTTP/1.1 20 OK\r\n\r\n") << false << int(S::Failed) << 0
                                             << QByteArray() << false << QByteArray();
}

void TstPlainHttpClient::readerGivesTheSameWhereverTheBytesSplit()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, close);
    QFETCH(int, state);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(QByteArray, leftover);
    // Whole, then split in two at every place, then a byte at a time.
    for (qsizetype piece = 0; piece <= raw.size() + 1; ++piece) {
        HttpAnswerReader reader;
        HttpAnswerReader::State got = HttpAnswerReader::State::NeedMore;
        if (piece == raw.size() + 1) {
            for (qsizetype at = 0; at < raw.size(); ++at) // after the end, bytes go to leftover()
                got = reader.feed(QByteArrayView(raw).sliced(at, 1));
        } else {
            got = reader.feed(QByteArrayView(raw).first(piece));
            got = reader.feed(QByteArrayView(raw).sliced(piece));
        }
        if (close)
            got = reader.closed();
        const QString where = QStringLiteral("split at %1").arg(piece);
        QVERIFY2(int(got) == state, qPrintable(where + QStringLiteral(": ") + reader.error()));
        if (got == HttpAnswerReader::State::Failed) {
            QVERIFY2(!reader.error().isEmpty(), qPrintable(where));
            continue;
        }
        if (got != HttpAnswerReader::State::Done)
            continue;
        QCOMPARE(reader.status(), status);
        QCOMPARE(reader.body(), body);
        QCOMPARE(reader.keepAlive(), keepAlive);
        QCOMPARE(reader.leftover().toByteArray(), leftover);
    }
}

QTEST_GUILESS_MAIN(TstPlainHttpClient)
#include "tst_plainhttpclient.moc"
