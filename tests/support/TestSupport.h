#pragma once

// Helpers shared by the tests: where the peers are, and waiting for asynchronous results.

#include "Result.h"
#include "net/KinesisClient.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <optional>

namespace kwb::test {

/// Name of the peer this run targets (KWB_TEST_PEER), e.g. "kinesalite".
inline QString peerName()
{
    return qEnvironmentVariable("KWB_TEST_PEER");
}

/// A file the peer fixture wrote: <state dir>/<peer><suffix>; empty when missing.
inline QString peerStateFile(const QString &suffix)
{
    QFile file(QDir(qEnvironmentVariable("KWB_PEER_STATE_DIR")).filePath(peerName() + suffix));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

/// The peer's endpoint URL; fails the test (by returning empty) when the fixture did not run.
inline QUrl peerEndpoint()
{
    return QUrl(peerStateFile(QStringLiteral(".endpoint")));
}

inline net::ClientOptions peerClientOptions()
{
    net::ClientOptions options;
    options.endpoint = peerEndpoint();
    options.region = QStringLiteral("us-east-1");
    options.credentials = {QStringLiteral("AKIDKWBTEST"), QStringLiteral("kwb-test-secret"), {}, {}, QStringLiteral("test")};
    options.connectTimeoutMs = 5000;
    options.transferTimeoutMs = 20000;
    return options;
}

/// A stream name no other test uses.
inline QString uniqueStreamName(const QString &prefix)
{
    return prefix + QLatin1Char('-') + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

/// Runs `start(context, callback)` and waits (processing events) for the callback's result.
template<typename T, typename Start>
Result<T> await(Start start, int timeoutMs = 60000)
{
    std::optional<Result<T>> out;
    QEventLoop loop;
    QObject context;
    start(&context, [&](Result<T> r) {
        out.emplace(std::move(r));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        return Error{Error::Kind::Timeout, QStringLiteral("TestTimeout"),
                     QStringLiteral("no answer within %1 ms").arg(timeoutMs), 0};
    return std::move(*out);
}

} // namespace kwb::test

/// QVERIFY for a Result, printing the error when it failed. Evaluates `expr` once.
#define KWB_VERIFY_OK(expr)                                                                          \
    do {                                                                                             \
        const auto &kwbResult_ = (expr);                                                             \
        QVERIFY2(kwbResult_.ok(), kwbResult_.ok() ? "" : qPrintable(kwbResult_.error().toString())); \
    } while (false)
