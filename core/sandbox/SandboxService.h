#pragma once

#include "Result.h"
#include "sandbox/FaultInjector.h"
#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"
#include "sandbox/SandboxIdentityStore.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/SandboxStats.h"
#include "sandbox/SignatureVerifier.h"
#include "sandbox/ThroughputLimiter.h"

#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace simdjson::dom {
class object;
class parser;
} // namespace simdjson::dom

namespace kwb::sandbox {

class SandboxPersistence;
class SandboxStream;
struct FieldValue;

/// The Kinesis Data Streams API of the sandbox, behind HTTP: takes a received request and gives
/// the answer, the way the service would (AWS JSON 1.1, X-Amz-Target Kinesis_20131202.<Op>,
/// validation and error shapes as AWS), with the training behaviour on top: per-shard write
/// and read limits, seeded fault injection, added latency, optional SigV4 checking, retention, and
/// persistence in a data directory. Synchronous and not thread-safe: it is owned by
/// SandboxServer and used by one thread at a time (the worker while serving), except stats(),
/// which any thread may call.
class SandboxService
{
public:
    static constexpr const char *kAccountId = "000000000000";
    static constexpr qint64 kIteratorLifetimeMs = 5 * 60 * 1000;

    explicit SandboxService(SandboxClock clock = {});
    ~SandboxService();

    /// Opens and replays the data directory (if any), then creates the initial streams.
    /// Call once, before the first request.
    Result<void> open(const SandboxOptions &options);
    /// Applies changed options (limits, faults, latency, signature key); the data directory
    /// and initial streams are fixed by open(). Reseeds the fault generator if `reseed`.
    void setOptions(const SandboxOptions &options, bool reseed);
    const SandboxOptions &options() const { return m_options; }

    SandboxAnswer handle(const HttpRequest &request);

    /// The sign-in state STS and SSO requests share (see SandboxSts, SandboxSso).
    void setIdentityStore(std::shared_ptr<SandboxIdentityStore> store) { m_identity = std::move(store); }

    SandboxStats stats() const;
    /// Notes from opening the data directory (torn tails cut off, ...), for the user.
    QStringList notes() const;
    QStringList streamNames() const;
    qint64 now() const;

private:
    enum class Operation;
    SandboxAnswer dispatch(Operation operation, const simdjson::dom::object &body, qint64 now);

    SandboxAnswer createStream(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer deleteStream(const simdjson::dom::object &body);
    SandboxAnswer listStreams(const simdjson::dom::object &body);
    SandboxAnswer describeStream(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer describeStreamSummary(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer listShards(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer updateShardCount(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer putRecord(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer putRecords(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer getShardIterator(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer getRecords(const simdjson::dom::object &body, qint64 now);

    Result<void> createStreamNamed(const QString &name, int shards, bool onDemand, qint64 now);
    Result<SandboxStream *> resolveStream(const FieldValue &name, const FieldValue &arn);
    int openShardTotal() const;
    qint64 retentionMs() const { return qint64(m_options.retentionHours) * 3600 * 1000; }
    void trimIfDue(qint64 now);
    QString streamArn(const QString &name) const;
    QByteArray makeIterator(const SandboxStream &stream, int shardIndex, quint64 counter, qint64 now) const;
    QByteArray makeShardsToken(const SandboxStream &stream, int afterIndex, const QByteArray &filter,
                               qint64 filterMs) const;
    SandboxAnswer fromError(const Error &error) const;

    SandboxClock m_clock;
    std::shared_ptr<SandboxIdentityStore> m_identity = std::make_shared<SandboxIdentityStore>();
    SandboxOptions m_options;
    ThroughputLimiter m_limiter;
    FaultInjector m_faults;
    std::optional<SignatureVerifier> m_verifier;
    std::unique_ptr<SandboxPersistence> m_persistence;
    std::unique_ptr<simdjson::dom::parser> m_parser;
    std::map<std::string, std::unique_ptr<SandboxStream>, std::less<>> m_streams;
    qint64 m_lastCreatedMs = 0;
    qint64 m_lastTrimMs = 0;
    QStringList m_notes;

    // Scratch space reused by PutRecords, so that a request allocates (almost) nothing.
    QByteArray m_decoded;
    QByteArray m_logPayload;
    std::vector<int> m_shardAccepted; ///< by shard index: records accepted by this request
    std::vector<int> m_touchedShards;

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
    Counters m_counters;
};

} // namespace kwb::sandbox
