#pragma once

// Helpers for the sandbox tests: a fake clock, a started sandbox with a client, raw requests.

#include "TestSupport.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <atomic>
#include <memory>

namespace kwb::test {

/// A clock the test moves by hand; read by the sandbox's worker thread.
class FakeClock
{
public:
    explicit FakeClock(qint64 startMs = 1764100000000) : m_ms(std::make_shared<std::atomic<qint64>>(startMs)) {}
    sandbox::SandboxClock clock() const
    {
        auto ms = m_ms;
        return [ms] { return ms->load(); };
    }
    qint64 now() const { return m_ms->load(); }
    void advance(qint64 ms) { m_ms->fetch_add(ms); }
    void set(qint64 ms) { m_ms->store(ms); }

private:
    std::shared_ptr<std::atomic<qint64>> m_ms;
};

inline net::ClientOptions sandboxClientOptions(const QUrl &endpoint,
                                               const QString &accessKeyId = QStringLiteral("AKIDSANDBOXTEST"),
                                               const QString &secret = QStringLiteral("sandbox-test-secret"))
{
    net::ClientOptions options;
    options.endpoint = endpoint;
    options.region = QStringLiteral("us-east-1");
    options.credentials = {accessKeyId, secret, {}, {}, QStringLiteral("test")};
    options.connectTimeoutMs = 5000;
    options.transferTimeoutMs = 10000;
    return options;
}

/// A sandbox on a free port and a client for it.
struct SandboxFixture
{
    std::unique_ptr<sandbox::SandboxServer> server;
    std::unique_ptr<net::KinesisClient> client;
    QUrl url;

    Result<QUrl> start(sandbox::SandboxOptions options = {}, sandbox::SandboxClock clock = {})
    {
        client.reset();
        server = std::make_unique<sandbox::SandboxServer>(std::move(options));
        if (clock)
            server->setClock(std::move(clock));
        auto started = server->start(0);
        if (started.ok()) {
            url = started.value();
            client = std::make_unique<net::KinesisClient>(sandboxClientOptions(url));
        }
        return started;
    }

    Result<QJsonObject> call(const QString &operation, const QJsonObject &body)
    {
        return await<QJsonObject>([&](QObject *ctx, auto done) { client->call(operation, body, ctx, done); });
    }
    Result<void> createStream(const QString &name, int shards)
    {
        return await<void>([&](QObject *ctx, auto done) { client->createStream(name, shards, ctx, done); });
    }
    Result<net::PutRecordsResult> putRecords(const QString &stream, const std::vector<Record> &records)
    {
        return await<net::PutRecordsResult>([&](QObject *ctx, auto done) { client->putRecords(stream, records, ctx, done); });
    }
    Result<QString> iterator(const QString &stream, const QString &shardId, net::ShardIteratorType type,
                             const QString &sequence = {}, const QDateTime &timestamp = {})
    {
        return await<QString>([&](QObject *ctx, auto done) {
            client->getShardIterator(stream, shardId, type, sequence, timestamp, ctx, done);
        });
    }
    Result<net::GetRecordsResult> getRecords(const QString &iterator, int limit = 0)
    {
        return await<net::GetRecordsResult>([&](QObject *ctx, auto done) { client->getRecords(iterator, limit, ctx, done); });
    }
    Result<std::vector<Shard>> listShards(const QString &stream)
    {
        return await<std::vector<Shard>>([&](QObject *ctx, auto done) { client->listShards(stream, ctx, done); });
    }
};

/// An answer to a request sent without the client (unsigned, any body).
struct RawAnswer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString type() const { return json().value(QLatin1String("__type")).toString(); }
};

inline RawAnswer rawPost(const QUrl &url, const QByteArray &target, const QByteArray &body,
                         const QByteArray &contentType = "application/x-amz-json-1.1")
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    if (!target.isEmpty())
        request.setRawHeader("X-Amz-Target", target);
    request.setRawHeader("Content-Type", contentType);
    QNetworkReply *reply = network.post(request, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    RawAnswer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
                     reply->rawHeader("Content-Type")};
    delete reply;
    return answer;
}

/// `count` records with keys "k<i>" and 100-byte data.
inline std::vector<Record> makeRecords(int count, const QString &keyPrefix = QStringLiteral("k"), int dataBytes = 100)
{
    std::vector<Record> records;
    records.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        records.push_back({keyPrefix + QString::number(i), QByteArray(dataBytes, char('a' + i % 26)), std::nullopt});
    return records;
}

/// This process's resident memory (VmRSS), in bytes; 0 when /proc is not there.
inline qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    return 0;
}

} // namespace kwb::test

/// Compares a failed Result's error code and HTTP status.
#define KWB_VERIFY_ERROR(expr, expectedCode, expectedStatus)                                             \
    do {                                                                                                 \
        const auto &kwbFailed_ = (expr);                                                                 \
        QVERIFY2(!kwbFailed_.ok(), "expected an error, got success");                                    \
        QCOMPARE(kwbFailed_.error().code, QStringLiteral(expectedCode));                                 \
        QCOMPARE(kwbFailed_.error().httpStatus, (expectedStatus));                                       \
    } while (false)
