#include "sandbox/SandboxContext.h"

#include "Logging.h"
#include "aws/StreamArn.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cmath>

namespace kwb::sandbox {

SandboxContext::SandboxContext() = default;
SandboxContext::~SandboxContext() = default;

SandboxStats SandboxContext::stats() const
{
    SandboxStats s;
    s.requests = counters.requests.load(std::memory_order_relaxed);
    s.clientErrors = counters.clientErrors.load(std::memory_order_relaxed);
    s.injectedFailures = counters.injectedFailures.load(std::memory_order_relaxed);
    s.droppedConnections = counters.droppedConnections.load(std::memory_order_relaxed);
    s.recordsAccepted = counters.recordsAccepted.load(std::memory_order_relaxed);
    s.recordsThrottled = counters.recordsThrottled.load(std::memory_order_relaxed);
    s.recordsFailed = counters.recordsFailed.load(std::memory_order_relaxed);
    s.readsThrottled = counters.readsThrottled.load(std::memory_order_relaxed);
    return s;
}

Result<StreamRequest> SandboxContext::streamRequest(const simdjson::dom::object &body, std::span<const FieldSpec> specs)
{
    auto fields = RequestValidator::validate(body, specs);
    if (!fields.ok())
        return fields.error();
    auto stream = resolveStream(fields.value()["StreamName"], fields.value()["StreamARN"]);
    if (!stream.ok())
        return stream.error();
    return StreamRequest{std::move(fields).value(), stream.value()};
}

Result<SandboxStream *> SandboxContext::resolveStream(const FieldValue &name, const FieldValue &arn)
{
    using reply::text;
    QString streamName;
    if (arn.present) {
        const QString value = text(arn.text);
        auto parsed = aws::StreamArn::parse(value);
        if (!parsed.ok())
            return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"),
                         QStringLiteral("Invalid StreamARN: %1").arg(parsed.error().message), 400};
        const QString fromArn = parsed.value().streamName;
        const QString account = parsed.value().accountId;
        if (name.present && text(name.text) != fromArn)
            return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"),
                         QStringLiteral("StreamARN %1 and StreamName %2 do not name the same stream.")
                             .arg(value, text(name.text)),
                         400};
        if (account != QLatin1String(kSandboxAccountId))
            return Error{Error::Kind::NotFound, QStringLiteral("ResourceNotFoundException"),
                         QStringLiteral("Stream %1 under account %2 not found.").arg(fromArn, account), 400};
        streamName = fromArn;
    } else if (name.present) {
        streamName = text(name.text);
    } else {
        return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"),
                     QStringLiteral("Either StreamName or StreamARN must be provided."), 400};
    }
    const auto it = streams.find(streamName.toStdString());
    if (it == streams.end())
        return Error{Error::Kind::NotFound, QStringLiteral("ResourceNotFoundException"), reply::streamNotFound(streamName), 400};
    return it->second.get();
}

Result<void> SandboxContext::createStreamNamed(const QString &name, int shards, bool onDemand, qint64 now)
{
    const std::string key = name.toStdString();
    if (streams.count(key))
        return Error{Error::Kind::InUse, QStringLiteral("ResourceInUseException"),
                     QStringLiteral("Stream %1 under account %2 already exists.").arg(name, QLatin1String(kSandboxAccountId)), 400};
    const int current = openShardTotal();
    if (current + shards > options.shardLimit)
        return Error{Error::Kind::Throttling, QStringLiteral("LimitExceededException"),
                     QStringLiteral("This request would exceed the shard limit for the account %1 in %2. Current shard "
                                    "count for the account: %3. Limit: %4. Number of additional shards that would have "
                                    "resulted from this request: %5. Refer to the AWS Service Limits page "
                                    "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
                                    "limits and how to request higher limits.")
                         .arg(QLatin1String(kSandboxAccountId), options.region)
                         .arg(current)
                         .arg(options.shardLimit)
                         .arg(shards),
                     400};
    // Each incarnation of a name gets its own epoch, so old sequence numbers and iterators
    // of a deleted stream never pass for the new one's.
    const qint64 createdMs = std::max(now, lastCreatedMs + 1);
    auto stream = SandboxStream::create(name, createdMs, shards, onDemand);
    if (!stream.ok())
        return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"), stream.error().message, 400};
    if (persistence) {
        if (auto persisted = persistence->createStream(*stream.value()); !persisted.ok()) {
            qCWarning(lcSandbox).noquote() << persisted.error().message;
            return Error{Error::Kind::Server, QStringLiteral("InternalFailure"), persisted.error().message, 500};
        }
    }
    lastCreatedMs = createdMs;
    streams[key] = std::move(stream.value());
    return {};
}

int SandboxContext::openShardTotal() const
{
    int total = 0;
    for (const auto &[name, stream] : streams)
        total += stream->openShardCount();
    return total;
}

void SandboxContext::trimIfDue(qint64 now)
{
    // Retention is also applied to each shard as it is read or written; this sweep expires
    // closed shards and trims streams nobody touches.
    if (now - m_lastTrimMs < 1000 && now >= m_lastTrimMs)
        return;
    m_lastTrimMs = now;
    for (auto &[name, stream] : streams)
        trim(*stream, now);
}

void SandboxContext::trim(SandboxStream &stream, qint64 now)
{
    stream.trimAll(now, retentionMs(), options.maxBytesPerShard);
}

void SandboxContext::trim(SandboxStream &stream, SandboxShard &shard, qint64 now)
{
    stream.trimShard(shard, now, retentionMs(), options.maxBytesPerShard);
}

QString SandboxContext::streamArn(const QString &name) const
{
    return aws::StreamArn{QStringLiteral("aws"), options.region, QLatin1String(kSandboxAccountId), name}.toString();
}

namespace reply {

SandboxAnswer clientError(const char *type, const QString &message)
{
    return SandboxAnswer::error(400, QByteArray(type), message);
}

SandboxAnswer internalFailure(const QString &message)
{
    return SandboxAnswer::error(500, "InternalFailure", message);
}

SandboxAnswer fromError(const Error &error)
{
    return SandboxAnswer::error(error.httpStatus > 0 ? error.httpStatus : 400, error.code.toLatin1(), error.message);
}

QString streamNotFound(const QString &stream)
{
    return QStringLiteral("Stream %1 under account %2 not found.").arg(stream, QLatin1String(kSandboxAccountId));
}

QString shardMissing(const QString &shardId, const QString &stream)
{
    return QStringLiteral("Shard %1 in stream %2 under account %3 does not exist")
        .arg(shardId, stream, QLatin1String(kSandboxAccountId));
}

QString rateExceeded(const QString &shardId, const QString &stream)
{
    return QStringLiteral("Rate exceeded for shard %1 in stream %2 under account %3.")
        .arg(shardId, stream, QLatin1String(kSandboxAccountId));
}

qint64 millisFromSeconds(double seconds)
{
    // Values beyond what a qint64 of milliseconds holds are clamped to about ±292 million
    // years, which every caller treats as "after now" or "before everything".
    constexpr double kLimit = 9.0e18; // < 2^63
    const double ms = seconds * 1000.0;
    if (!(ms < kLimit))
        return qint64(kLimit);
    if (!(ms > -kLimit))
        return -qint64(kLimit);
    return qint64(std::llround(ms));
}

QByteArray seal(const QByteArray &state)
{
    const QByteArray mac = QCryptographicHash::hash("kwb-sandbox:" + state, QCryptographicHash::Sha256).toHex().left(16);
    return (state + '|' + mac).toBase64();
}

std::optional<QList<QByteArray>> unseal(QByteArrayView token, int fields)
{
    const auto decoded = QByteArray::fromBase64Encoding(token.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const qsizetype bar = decoded.decoded.lastIndexOf('|');
    if (bar < 0 || seal(decoded.decoded.left(bar)) != token)
        return std::nullopt;
    QList<QByteArray> parts = decoded.decoded.left(bar).split(':');
    // The stream name is last and may not contain ':', but be strict anyway.
    if (parts.size() != fields)
        return std::nullopt;
    return parts;
}

} // namespace reply

} // namespace kwb::sandbox
