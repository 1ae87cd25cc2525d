// The sandbox's HTTP server under abuse: the request parser's edge cases (RFC 9112 is the
// reference for every expected status), and raw QTcpSockets against a running sandbox for
// each limit: request and idle timeouts, the connection cap, the shared body budget, clients
// that pipeline requests without reading the answers, and accept() running out of descriptors.
#include "SandboxTestSupport.h"
#include "sandbox/HttpRequestParser.h"
#include "sandbox/SandboxHttpServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

#include <unistd.h>

using namespace kwb;
using kwb::sandbox::HttpParse;
using kwb::sandbox::HttpRequestParser;
using kwb::test::SandboxFixture;

namespace {

QByteArray request(const QByteArray &operation, const QByteArray &body, const QByteArray &eol = "\r\n")
{
    return "POST / HTTP/1.1" + eol + "Host: 127.0.0.1" + eol + "X-Amz-Target: Kinesis_20131202." + operation + eol
           + "Content-Type: application/x-amz-json-1.1" + eol + "Content-Length: " + QByteArray::number(body.size())
           + eol + eol + body;
}

/// The answers in bytes received from the server: their statuses, in order (100 Continue left out).
QList<int> statuses(const QByteArray &bytes, QList<QByteArray> *bodies = nullptr)
{
    QList<int> out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype end = bytes.indexOf("\r\n\r\n", pos);
        if (end < 0)
            break;
        const QList<QByteArray> lines = bytes.mid(pos, end - pos).split('\n');
        const int status = lines.value(0).split(' ').value(1).toInt();
        qint64 length = 0;
        for (const QByteArray &line : lines)
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (end + 4 + length > bytes.size())
            break;
        if (status != 100) {
            out.append(status);
            if (bodies)
                bodies->append(bytes.mid(end + 4, length));
        }
        pos = end + 4 + length;
    }
    return out;
}

/// A client on a raw socket: sends what it is told, and reads (or not) what comes back.
class RawClient
{
public:
    explicit RawClient(quint16 port, bool reads = true) : m_socket(std::make_unique<QTcpSocket>()), m_reads(reads)
    {
        if (!reads)
            m_socket->setReadBufferSize(4096); // and never read: the kernel's buffers fill up
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(), [this] {
            if (m_reads)
                m_received += m_socket->readAll();
        });
        QObject::connect(m_socket.get(), &QTcpSocket::disconnected, m_socket.get(), [this] { m_closed = true; });
        m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    }
    bool connected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &bytes) { m_socket->write(bytes); }
    void startReading()
    {
        m_reads = true;
        m_socket->setReadBufferSize(0);
        m_received += m_socket->readAll();
    }
    QList<int> statuses(QList<QByteArray> *bodies = nullptr) const { return ::statuses(m_received, bodies); }
    const QByteArray &received() const { return m_received; }
    bool closed() const { return m_closed; }
    QTcpSocket *socket() const { return m_socket.get(); }

private:
    std::unique_ptr<QTcpSocket> m_socket;
    bool m_reads;
    QByteArray m_received;
    bool m_closed = false;
};

} // namespace

class TstSandboxHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();

    void parser_data();
    void parser();
    void parserByteByByte_data() { parser_data(); }
    void parserByteByByte();

    void bareLineFeedsAreAnswered();
    void unfinishedHeadTimesOut();
    void unfinishedBodyTimesOut();
    void idleConnectionIsClosed();
    void silentConnectionIsClosed();
    void connectionCapAnswers503();
    void connectionCapClosesIdleFirst();
    void bodyBudgetAnswers503();
    void pipelinedUnreadAnswersStopTheReading();
    void clientsThatDoNotReadAreClosedUnderPressure();
    void acceptRecoversFromRunningOutOfDescriptors();
    void pipelinedWorkWaitsBehindAWaitingClient();

private:
    quint16 start(sandbox::HttpLimits limits, QList<sandbox::InitialStream> streams = {});
    /// Fills shard 0 of stream "big" with about `megabytes` MiB; the iterator at its start.
    QString fillBigStream(int megabytes);
    SandboxFixture m_sandbox;
};

void TstSandboxHttp::cleanup()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
}

quint16 TstSandboxHttp::start(sandbox::HttpLimits limits, QList<sandbox::InitialStream> streams)
{
    sandbox::SandboxOptions options;
    options.limitsEnabled = false;
    options.http = limits;
    options.initialStreams = std::move(streams);
    auto started = m_sandbox.start(options);
    if (!started.ok())
        return 0;
    return quint16(started.value().port());
}

QString TstSandboxHttp::fillBigStream(int megabytes)
{
    for (int i = 0; i < megabytes * 2; ++i) {
        auto put = m_sandbox.putRecords(QStringLiteral("big"), test::makeRecords(50, QStringLiteral("k"), 10 * 1024));
        if (!put.ok() || put.value().failedRecordCount != 0)
            return {};
    }
    auto it = m_sandbox.iterator(QStringLiteral("big"), QStringLiteral("shardId-000000000000"), net::ShardIteratorType::TrimHorizon);
    return it.ok() ? it.value() : QString();
}

// Expected outcomes from RFC 9112 (message syntax) and RFC 9110 (status codes).
void TstSandboxHttp::parser_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind"); // HttpParse::Kind
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    const int complete = int(HttpParse::Kind::Complete);
    const int needMore = int(HttpParse::Kind::NeedMore);
    const int error = int(HttpParse::Kind::Error);
    QTest::newRow("CRLF") << request("ListStreams", "{}") << complete << 0 << QByteArray("/") << QByteArray("{}") << true;
    QTest::newRow("bare LF (RFC 9112 2.2)") << request("ListStreams", "{}", "\n") << complete << 0 << QByteArray("/")
                                           << QByteArray("{}") << true;
    QTest::newRow("LF then CRLF blank line") << QByteArray("GET /x HTTP/1.1\nHost: a\n\r\n") << complete << 0
                                             << QByteArray("/x") << QByteArray() << true;
    QTest::newRow("blank lines before the request line") << ("\r\n\r\n" + request("ListStreams", "{}")) << complete << 0
                                                         << QByteArray("/") << QByteArray("{}") << true;
    QTest::newRow("HTTP/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << complete << 0 << QByteArray("/")
                                     << QByteArray() << false;
    QTest::newRow("Connection: close") << QByteArray("GET /?a=b HTTP/1.1\r\nConnection: close\r\n\r\n") << complete << 0
                                       << QByteArray("/?a=b") << QByteArray() << false;
    QTest::newRow("equal Content-Lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n{}")
                                           << complete << 0 << QByteArray("/") << QByteArray("{}") << true;
    QTest::newRow("head unfinished") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\n") << needMore << 0 << QByteArray()
                                     << QByteArray() << true;
    QTest::newRow("head unfinished after LF CR") << QByteArray("POST / HTTP/1.1\nHost: a\n\r") << needMore << 0
                                                 << QByteArray() << QByteArray() << true;
    QTest::newRow("body unfinished") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}") << needMore << 0
                                     << QByteArray("/") << QByteArray() << true;
    QTest::newRow("request line of two words") << QByteArray("GET HTTP/1.1\r\n\r\n") << error << 400 << QByteArray()
                                               << QByteArray() << true;
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 13) << error << 400
                             << QByteArray() << QByteArray() << true;
    QTest::newRow("HTTP/2.0 (505)") << QByteArray("GET / HTTP/2.0\r\n\r\n") << error << 505 << QByteArray()
                                    << QByteArray() << true;
    QTest::newRow("version not HTTP") << QByteArray("GET / FOO/1.1\r\n\r\n") << error << 400 << QByteArray()
                                      << QByteArray() << true;
    QTest::newRow("chunked (411)") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << error << 411
                                   << QByteArray() << QByteArray() << true;
    QTest::newRow("body over 16 MiB (413)") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n") << error
                                            << 413 << QByteArray() << QByteArray() << true;
    QTest::newRow("Content-Length +5") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n") << error << 400
                                       << QByteArray() << QByteArray() << true;
    QTest::newRow("Content-Length -1") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << error << 400
                                       << QByteArray() << QByteArray() << true;
    QTest::newRow("two different Content-Lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")
                                                   << error << 400 << QByteArray() << QByteArray() << true;
    QTest::newRow("space before the colon (RFC 9112 5.1)") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << error
                                                           << 400 << QByteArray() << QByteArray() << true;
    QTest::newRow("folded line (RFC 9112 5.2)")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\n 7\r\n\r\n{}") << error << 400 << QByteArray() << QByteArray() << true;
    QTest::newRow("line without a colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << error << 400 << QByteArray()
                                          << QByteArray() << true;
    QTest::newRow("control character in a value") << QByteArray("GET / HTTP/1.1\r\nX-A: a\x01z\r\n\r\n") << error << 400
                                                  << QByteArray() << QByteArray() << true;
    QTest::newRow("head over 64 KiB (431)") << ("GET / HTTP/1.1\r\nX-A: " + QByteArray(70000, 'a')) << error << 431
                                            << QByteArray() << QByteArray() << true;
}

void TstSandboxHttp::parser()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    const HttpParse parsed = HttpRequestParser::parse(bytes);
    QCOMPARE(int(parsed.kind), kind);
    if (kind == int(HttpParse::Kind::Error)) {
        QCOMPARE(parsed.status, status);
        QVERIFY(!parsed.message.isEmpty());
        return;
    }
    if (!target.isEmpty())
        QCOMPARE(parsed.request.target, target);
    if (kind == int(HttpParse::Kind::Complete)) {
        QCOMPARE(parsed.request.body, body);
        QCOMPARE(parsed.keepAlive, keepAlive);
        QCOMPARE(parsed.headBytes + parsed.bodyBytes, qint64(bytes.size()));
    }
}

// The connection feeds the parser whatever arrived so far: one byte at a time must end the
// same way as everything at once, and must not report the end of a head before it.
void TstSandboxHttp::parserByteByByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(int, status);
    const HttpParse whole = HttpRequestParser::parse(bytes);
    HttpRequestParser parser;
    HttpParse step;
    qsizetype fed = 0;
    while (fed < bytes.size()) {
        ++fed;
        step = parser.parseHead(QByteArrayView(bytes).first(fed));
        if (step.kind != HttpParse::Kind::NeedMore)
            break;
    }
    if (kind == int(HttpParse::Kind::Error)) {
        QCOMPARE(int(step.kind), kind);
        QCOMPARE(step.status, status);
    } else if (whole.headBytes > 0) {
        QCOMPARE(int(step.kind), int(HttpParse::Kind::Complete));
        QCOMPARE(step.headBytes, whole.headBytes);
        QCOMPARE(fed, whole.headBytes);
    }
}

void TstSandboxHttp::bareLineFeedsAreAnswered()
{
    const quint16 port = start({});
    QVERIFY(port);
    RawClient client(port);
    QTRY_VERIFY(client.connected());
    client.send(request("ListStreams", "{}", "\n"));
    QTRY_COMPARE_WITH_TIMEOUT(client.statuses(), QList<int>{200}, 3000);
    // The connection goes on serving.
    client.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(client.statuses(), (QList<int>{200, 200}), 3000);
}

void TstSandboxHttp::unfinishedHeadTimesOut()
{
    sandbox::HttpLimits limits;
    limits.requestTimeoutMs = 300;
    const quint16 port = start(limits);
    QVERIFY(port);
    RawClient slow(port);
    QTRY_VERIFY(slow.connected());
    slow.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar");
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_VERIFY_WITH_TIMEOUT(slow.closed(), 5000);
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(slow.statuses(), QList<int>{408});
    // A client that sends whole requests is answered.
    RawClient good(port);
    QTRY_VERIFY(good.connected());
    good.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(good.statuses(), QList<int>{200}, 3000);
}

void TstSandboxHttp::unfinishedBodyTimesOut()
{
    sandbox::HttpLimits limits;
    limits.requestTimeoutMs = 300;
    const quint16 port = start(limits);
    QVERIFY(port);
    RawClient slow(port);
    QTRY_VERIFY(slow.connected());
    slow.send(request("ListStreams", QByteArray(200000, ' ')).chopped(1000)); // all but 1000 bytes of the body
    QTRY_VERIFY_WITH_TIMEOUT(slow.closed(), 5000);
    QCOMPARE(slow.statuses(), QList<int>{408});
}

void TstSandboxHttp::idleConnectionIsClosed()
{
    sandbox::HttpLimits limits;
    limits.idleTimeoutMs = 300;
    const quint16 port = start(limits);
    QVERIFY(port);
    RawClient client(port);
    QTRY_VERIFY(client.connected());
    client.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(client.statuses(), QList<int>{200}, 3000);
    QElapsedTimer elapsed;
    elapsed.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.closed(), 5000);
    QVERIFY2(elapsed.elapsed() >= 200, qPrintable(QString::number(elapsed.elapsed())));
}

void TstSandboxHttp::silentConnectionIsClosed()
{
    // Connected and silent from the start: closed after the request timeout, without a word
    // (it may be a client's spare connection, which must not read an answer to nothing).
    sandbox::HttpLimits limits;
    limits.requestTimeoutMs = 300;
    const quint16 port = start(limits);
    QVERIFY(port);
    RawClient silent(port);
    QTRY_VERIFY(silent.connected());
    QTRY_VERIFY_WITH_TIMEOUT(silent.closed(), 5000);
    QVERIFY(silent.received().isEmpty());
}

void TstSandboxHttp::connectionCapAnswers503()
{
    sandbox::HttpLimits limits;
    limits.maxConnections = 4;
    const quint16 port = start(limits);
    QVERIFY(port);
    // Four connections in the middle of a request: none is idle.
    std::vector<std::unique_ptr<RawClient>> busy;
    for (int i = 0; i < 4; ++i) {
        busy.push_back(std::make_unique<RawClient>(port));
        QTRY_VERIFY(busy.back()->connected());
        busy.back()->send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    QTest::qWait(100); // lets the sandbox's thread take the four in (the cap counts what it accepted)
    RawClient fifth(port);
    QTRY_VERIFY_WITH_TIMEOUT(fifth.closed(), 5000);
    QList<QByteArray> bodies;
    QCOMPARE(fifth.statuses(&bodies), QList<int>{503});
    QVERIFY2(bodies.value(0).contains("ServiceUnavailable") && bodies.value(0).contains("4 connections"),
             bodies.value(0).constData());
    QVERIFY(fifth.received().contains("Connection: close"));
    // One busy client finishes its request: the next connection is served.
    busy[0]->send("X-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Type: application/x-amz-json-1.1\r\n"
                   "Content-Length: 2\r\n\r\n{}");
    QTRY_COMPARE_WITH_TIMEOUT(busy[0]->statuses(), QList<int>{200}, 3000);
    busy[0]->socket()->disconnectFromHost();
    QTest::qWait(100);
    RawClient sixth(port);
    QTRY_VERIFY(sixth.connected());
    sixth.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(sixth.statuses(), QList<int>{200}, 3000);
}

void TstSandboxHttp::connectionCapClosesIdleFirst()
{
    sandbox::HttpLimits limits;
    limits.maxConnections = 3;
    limits.evictIdleAfterMs = 300;
    const quint16 port = start(limits);
    QVERIFY(port);
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<RawClient>(port));
        QTRY_VERIFY(idle.back()->connected());
        idle.back()->send(request("ListStreams", "{}"));
        QTRY_COMPARE_WITH_TIMEOUT(idle.back()->statuses(), QList<int>{200}, 3000);
    }
    // Idle for less than evictIdleAfterMs, a connection is not closed to make room.
    RawClient early(port);
    QTRY_VERIFY_WITH_TIMEOUT(early.closed(), 3000);
    QCOMPARE(early.statuses(), QList<int>{503});
    QVERIFY(!idle[0]->closed());
    QTest::qWait(400);
    RawClient fourth(port);
    QTRY_VERIFY(fourth.connected());
    fourth.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(fourth.statuses(), QList<int>{200}, 3000);
    // The longest-idle one made room, answered and untouched otherwise.
    QTRY_VERIFY_WITH_TIMEOUT(idle[0]->closed(), 3000);
    QVERIFY(!idle[1]->closed() && !idle[2]->closed());
}

void TstSandboxHttp::bodyBudgetAnswers503()
{
    sandbox::HttpLimits limits;
    limits.maxBufferedBodyBytes = 1024 * 1024;
    const quint16 port = start(limits);
    QVERIFY(port);
    const QByteArray big = request("ListStreams", "{" + QByteArray(700 * 1024, ' ') + "}");
    RawClient first(port);
    QTRY_VERIFY(first.connected());
    first.send(big.left(big.size() - 100)); // holds 700 KiB of the budget
    QTest::qWait(100);
    RawClient second(port);
    QTRY_VERIFY(second.connected());
    second.send(big);
    QTRY_VERIFY_WITH_TIMEOUT(second.closed(), 5000);
    QList<QByteArray> bodies;
    QCOMPARE(second.statuses(&bodies), QList<int>{503});
    QVERIFY2(bodies.value(0).contains("ServiceUnavailable"), bodies.value(0).constData());
    // Small bodies need no share of it.
    RawClient small(port);
    QTRY_VERIFY(small.connected());
    small.send(request("ListStreams", "{}"));
    QTRY_COMPARE_WITH_TIMEOUT(small.statuses(), QList<int>{200}, 3000);
    // Once the first body is whole, its share returns, and the same request fits.
    first.send(big.right(100));
    QTRY_COMPARE_WITH_TIMEOUT(first.statuses(), QList<int>{200}, 3000);
    RawClient third(port);
    QTRY_VERIFY(third.connected());
    third.send(big);
    QTRY_COMPARE_WITH_TIMEOUT(third.statuses(), QList<int>{200}, 3000);
}

void TstSandboxHttp::pipelinedUnreadAnswersStopTheReading()
{
    const quint16 port = start({}, {{QStringLiteral("big"), 1}});
    QVERIFY(port);
    const QString iterator = fillBigStream(4);
    QVERIFY(!iterator.isEmpty());
    const qint64 before = m_sandbox.server->stats().requests;
    const QByteArray getRecords = request("GetRecords", "{\"ShardIterator\":\"" + iterator.toLatin1() + "\"}");
    RawClient client(port, false);
    QTRY_VERIFY(client.connected());
    constexpr int kRequests = 60;
    client.send(getRecords.repeated(kRequests));
    QTest::qWait(1000);
    // Each answer holds 4 MiB: the sandbox stops after the few that fill the socket buffers
    // and its own bound, instead of making all 60 (240 MiB).
    const qint64 handled = m_sandbox.server->stats().requests - before;
    QVERIFY2(handled <= 6, qPrintable(QStringLiteral("%1 requests were handled").arg(handled)));
    // Once the client reads, every answer comes, in order.
    client.startReading();
    QTRY_COMPARE_WITH_TIMEOUT(client.statuses().size(), kRequests, 30000);
    QCOMPARE(client.statuses(), QList<int>(kRequests, 200));
    QVERIFY(!client.closed());
}

void TstSandboxHttp::clientsThatDoNotReadAreClosedUnderPressure()
{
    sandbox::HttpLimits limits;
    limits.maxUnsentTotal = 8 * 1024 * 1024;
    limits.writeStallMs = 100;
    const quint16 port = start(limits, {{QStringLiteral("big"), 1}});
    QVERIFY(port);
    const QString iterator = fillBigStream(4);
    QVERIFY(!iterator.isEmpty());
    const QByteArray getRecords = request("GetRecords", "{\"ShardIterator\":\"" + iterator.toLatin1() + "\"}");
    const qint64 rssBefore = test::residentBytes();
    // 30 clients ask for 5.5 MB each and read nothing: about 3 MB of each answer would stay in
    // this process (the kernel holds the rest), 90 MB in all, were it not for the shared bound.
    std::vector<std::unique_ptr<RawClient>> stuck;
    for (int i = 0; i < 30; ++i) {
        stuck.push_back(std::make_unique<RawClient>(port, false));
        QTRY_VERIFY(stuck.back()->connected());
        stuck.back()->send(getRecords);
    }
    qint64 peak = 0;
    for (int i = 0; i < 30; ++i) {
        QTest::qWait(100);
        peak = std::max(peak, test::residentBytes() - rssBefore);
    }
    QVERIFY2(peak < 40 * 1024 * 1024, qPrintable(QStringLiteral("grew by %1 MiB").arg(peak / (1024 * 1024))));
    // Stalled clients were closed to make room; the others get their answers whole once they read.
    for (auto &client : stuck)
        client->startReading();
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(stuck.begin(), stuck.end(),
                                         [](const auto &c) { return c->closed() || c->statuses().size() == 1; }),
                             20000);
    const auto closed = std::count_if(stuck.begin(), stuck.end(), [](const auto &c) { return c->closed(); });
    QVERIFY2(closed > 0 && closed < 30, qPrintable(QString::number(closed)));
    for (auto &client : stuck)
        if (!client->closed())
            QCOMPARE(client->statuses(), QList<int>{200});
    // A client that reads is answered, whole.
    RawClient good(port);
    QTRY_VERIFY(good.connected());
    good.send(getRecords);
    QList<QByteArray> bodies;
    QTRY_COMPARE_WITH_TIMEOUT(good.statuses(&bodies), QList<int>{200}, 5000);
    QVERIFY(bodies.value(0).size() > 4 * 1024 * 1024);
}

// The sandbox as a process with 64 descriptors: 100 connections at once exhaust them; once
// they close, it must accept again (before, QTcpServer stopped accepting for good).
void TstSandboxHttp::acceptRecoversFromRunningOutOfDescriptors()
{
    const QString prlimit = QStandardPaths::findExecutable(QStringLiteral("prlimit"));
    if (prlimit.isEmpty())
        QSKIP("prlimit (util-linux) is not installed");
    const QString program = qEnvironmentVariable("KWB_SANDBOX_PROGRAM");
    QVERIFY2(!program.isEmpty(), "KWB_SANDBOX_PROGRAM is not set");
    QProcess host;
    host.setProcessChannelMode(QProcess::SeparateChannels);
    host.start(prlimit, {QStringLiteral("--nofile=64"), QStringLiteral("--"), program, QStringLiteral("--port"),
                         QStringLiteral("0"), QStringLiteral("--no-limits")});
    QVERIFY(host.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(host.canReadLine(), 10000);
    const QUrl url(QString::fromUtf8(host.readLine()).trimmed());
    const auto port = quint16(url.port());
    QVERIFY2(port > 0, qPrintable(url.toString()));
    for (int round = 0; round < 5; ++round) {
        std::vector<std::unique_ptr<RawClient>> flood;
        for (int i = 0; i < 100; ++i)
            flood.push_back(std::make_unique<RawClient>(port));
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(flood.begin(), flood.end(), [](const auto &c) { return c->connected(); }),
                                 5000);
        QTest::qWait(300); // the sandbox accepts until it runs out of descriptors
        flood.clear();     // all close
        RawClient client(port);
        QTRY_VERIFY(client.connected());
        client.send(request("ListStreams", "{}"));
        QTRY_COMPARE_WITH_TIMEOUT(client.statuses(), QList<int>{200}, 5000);
    }
    host.terminate();
    QVERIFY(host.waitForFinished(10000));
    const QByteArray log = host.readAllStandardError();
    // Said once, not once per failed accept.
    QVERIFY2(log.count("cannot accept connections") == 1, log.constData());
}

// A client that waits for each answer is served as soon as its request arrives, even while
// other connections pipeline slow requests: those take turns in the lane, a few milliseconds
// of each turn of the event loop, instead of one of each connection's being served before the
// sockets are looked at again (before, the client waited for about one slow request per
// pipelining connection). The HTTP server alone on a thread, with a handler of our own.
void TstSandboxHttp::pipelinedWorkWaitsBehindAWaitingClient()
{
    std::atomic<int> slowServed{0};
    std::atomic<int> slowServedBeforeWaiting{-1};
    const auto handler = [&](sandbox::HttpRequest &request) {
        if (request.target == "/slow") {
            QThread::msleep(20); // the server's work for a slow request (a large GetRecords, say)
            ++slowServed;
        } else if (request.target == "/waiting") {
            slowServedBeforeWaiting = slowServed.load();
        }
        return sandbox::SandboxAnswer::ok("{}");
    };
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    const quint16 port = listener.serverPort();
    const int fd = ::dup(int(listener.socketDescriptor())); // still listening once `listener` closes its own
    listener.close();
    QThread thread;
    auto *context = new QObject;
    context->moveToThread(&thread);
    thread.start();
    sandbox::SandboxHttpServer *server = nullptr;
    // Stopped however the test ends (a failed check returns at once).
    const auto stop = qScopeGuard([&] {
        QMetaObject::invokeMethod(context, [&] { delete server; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
        delete context;
    });
    bool serving = false;
    QMetaObject::invokeMethod(
        context,
        [&] {
            server = new sandbox::SandboxHttpServer(handler);
            serving = server->serve(fd).ok();
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(serving);

    const auto slowRequest = QByteArray("POST /slow HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    const auto quickRequest = [](const QByteArray &target) {
        return "POST " + target + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
    };
    RawClient waiting(port);
    QTRY_VERIFY(waiting.connected());
    waiting.send(quickRequest("/first"));
    QTRY_COMPARE(waiting.statuses(), QList<int>{200}); // accepted and served: the server knows it

    constexpr int kPipelining = 8;
    constexpr int kEach = 6;
    std::vector<std::unique_ptr<RawClient>> pipelining;
    for (int i = 0; i < kPipelining; ++i)
        pipelining.push_back(std::make_unique<RawClient>(port));
    QTRY_VERIFY(std::all_of(pipelining.begin(), pipelining.end(), [](const auto &c) { return c->connected(); }));
    for (auto &client : pipelining)
        client->send(slowRequest.repeated(kEach));
    QTRY_VERIFY(slowServed.load() >= 2); // busy with them
    const int before = slowServed.load();
    waiting.send(quickRequest("/waiting"));
    QTRY_COMPARE(waiting.statuses(), (QList<int>{200, 200}));
    // The slow request being served when it arrived, and perhaps the next turn's.
    QVERIFY2(slowServedBeforeWaiting.load() - before <= 2,
             qPrintable(QStringLiteral("%1 slow requests were served while the waiting client's request waited")
                            .arg(slowServedBeforeWaiting.load() - before)));
    // Its answer says how long the server took; the pipelining clients get all their answers.
    QVERIFY2(waiting.received().contains("\r\nx-kwb-server-ms: "), waiting.received().constData());
    for (auto &client : pipelining)
        QTRY_COMPARE_WITH_TIMEOUT(client->statuses(), QList<int>(kEach, 200), 10000);
}

QTEST_MAIN(TstSandboxHttp)
#include "tst_sandbox_http.moc"
