#pragma once

#include "Record.h"
#include "Result.h"
#include "sandbox/FaultInjector.h"
#include "sandbox/RequestValidator.h"
#include "sandbox/SandboxAnswer.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/SandboxStats.h"
#include "sandbox/ThroughputLimiter.h"

#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace simdjson::dom {
class object;
} // namespace simdjson::dom

namespace kwb::sandbox {

class SandboxPersistence;
class SandboxStream;
struct SandboxShard;

inline constexpr const char *kSandboxAccountId = "000000000000";
inline constexpr int kMaxStreamNameLength = 128;
/// How long a shard iterator may be used after GetShardIterator gave it.
inline constexpr qint64 kIteratorLifetimeMs = 5 * 60 * 1000;
/// The largest record the sandbox takes (data), as a stream's MaxRecordSizeInKiB says.
inline constexpr qint64 kMaxBlobBytes = limits::kDefaultMaxRecordBytes;

/// The members that name a stream, in every operation that takes one.
inline constexpr FieldSpec kStreamNameSpec{.name = "StreamName", .pattern = FieldSpec::Pattern::Name, .minLength = 1,
                                           .maxLength = kMaxStreamNameLength};
inline constexpr FieldSpec kStreamArnSpec{.name = "StreamARN", .pattern = FieldSpec::Pattern::StreamArn, .minLength = 1,
                                          .maxLength = 2048};

/// A request's checked members and the stream they name (by StreamName or StreamARN).
struct StreamRequest
{
    Fields fields;
    SandboxStream *stream = nullptr;
};

/// What the sandbox's operations work on: its options, its streams, their data directory, the
/// throughput limiter, the fault injector and the counters behind stats(). Owned by
/// SandboxService and used by one thread at a time, like it; the counters may be read from any.
class SandboxContext
{
public:
    SandboxContext();
    ~SandboxContext();

    SandboxOptions options;
    ThroughputLimiter limiter;
    FaultInjector faults;
    std::unique_ptr<SandboxPersistence> persistence; ///< null without a data directory
    std::map<std::string, std::unique_ptr<SandboxStream>, std::less<>> streams;
    qint64 lastCreatedMs = 0;

    struct Counters
    {
        std::atomic<qint64> requests{0};
        std::atomic<qint64> clientErrors{0};
        std::atomic<qint64> injectedFailures{0};
        std::atomic<qint64> droppedConnections{0};
        std::atomic<qint64> recordsAccepted{0};
        std::atomic<qint64> recordsThrottled{0};
        std::atomic<qint64> recordsFailed{0};
        std::atomic<qint64> readsThrottled{0};
    };
    Counters counters;
    SandboxStats stats() const;

    /// Checks the body against `specs` and finds the stream it names: the preamble of every
    /// operation on one stream. Errors are the service's (validation, not found).
    Result<StreamRequest> streamRequest(const simdjson::dom::object &body, std::span<const FieldSpec> specs);
    /// The stream named by StreamName or StreamARN (both must agree when both are given).
    Result<SandboxStream *> resolveStream(const FieldValue &name, const FieldValue &arn);
    /// A new stream, kept in the data directory if there is one.
    Result<void> createStreamNamed(const QString &name, int shards, bool onDemand, qint64 now);

    int openShardTotal() const;
    qint64 retentionMs() const { return qint64(options.retentionHours) * 3600 * 1000; }
    /// Applies retention to every stream, at most once a second.
    void trimIfDue(qint64 now);
    /// Retention and the size cap on a stream's shards, now.
    void trim(SandboxStream &stream, qint64 now);
    /// The same on one shard of it.
    void trim(SandboxStream &stream, SandboxShard &shard, qint64 now);
    QString streamArn(const QString &name) const;

private:
    qint64 m_lastTrimMs = 0;
};

/// The sandbox's answers and texts shared by its operations.
namespace reply {

SandboxAnswer clientError(const char *type, const QString &message);
SandboxAnswer internalFailure(const QString &message = QStringLiteral("Internal service failure."));
/// The answer for an Error (its code as the type, its HTTP status or 400).
SandboxAnswer fromError(const Error &error);
/// "Stream x under account 000000000000 not found."
QString streamNotFound(const QString &stream);
QString shardMissing(const QString &shardId, const QString &stream);
/// The message of a ProvisionedThroughputExceededException for a shard.
QString rateExceeded(const QString &shardId, const QString &stream);

inline QString text(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}
inline QByteArrayView bytes(std::string_view view)
{
    return QByteArrayView(view.data(), qsizetype(view.size()));
}

/// Epoch seconds from a request (any JSON number) as milliseconds, clamped rather than overflowing.
qint64 millisFromSeconds(double seconds);

/// Iterators and tokens: the state in clear text with a short MAC, base64. Not a secret, only a
/// guard against hand-edited or truncated values.
QByteArray seal(const QByteArray &state);
/// The `fields` ':'-separated parts of a sealed token, or nothing when it is not one of ours.
std::optional<QList<QByteArray>> unseal(QByteArrayView token, int fields);

} // namespace reply

} // namespace kwb::sandbox
