#pragma once

#include "Result.h"
#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"
#include "sandbox/SandboxIdentityStore.h"
#include "sandbox/SandboxOptions.h"
#include "sandbox/SandboxStats.h"
#include "sandbox/SignatureVerifier.h"

#include <QStringList>

#include <memory>
#include <optional>

namespace simdjson::dom {
class object;
class parser;
} // namespace simdjson::dom

namespace kwb::sandbox {

class RecordOperations;
class SandboxContext;
class StreamOperations;

/// The Kinesis Data Streams API of the sandbox, behind HTTP: takes a received request and gives
/// the answer, the way the service would (AWS JSON 1.1, X-Amz-Target Kinesis_20131202.<Op>,
/// validation and error shapes as AWS), with the training behaviour on top: per-shard write
/// and read limits, seeded fault injection, added latency, optional SigV4 checking, retention, and
/// persistence in a data directory. This class is the protocol front (method, content type,
/// target, JSON, signature, injected request faults); StreamOperations and RecordOperations
/// answer the operations, on a SandboxContext that holds the streams. Synchronous and not
/// thread-safe: it is owned by SandboxServer and used by one thread at a time (the worker while
/// serving), except stats(), which any thread may call.
class SandboxService
{
public:
    explicit SandboxService(SandboxClock clock = {});
    ~SandboxService();

    /// Opens and replays the data directory (if any), then creates the initial streams.
    /// Call once, before the first request.
    Result<void> open(const SandboxOptions &options);
    /// Applies changed options (limits, faults, latency, signature key); the data directory
    /// and initial streams are fixed by open(). Reseeds the fault generator if `reseed`.
    void setOptions(const SandboxOptions &options, bool reseed);
    const SandboxOptions &options() const;

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
    /// The answer before the added latency and the limits header.
    SandboxAnswer answerFor(const HttpRequest &request, qint64 now);
    static Operation operationOf(const QByteArray &target);
    /// The error answer when the request's signature or credentials do not pass.
    std::optional<SandboxAnswer> authenticate(const HttpRequest &request, qint64 now) const;
    /// The answer of an injected request fault (dropped, 500, 503), if one comes up.
    std::optional<SandboxAnswer> injectedFault();
    SandboxAnswer dispatch(Operation operation, const simdjson::dom::object &body, qint64 now);

    SandboxClock m_clock;
    std::shared_ptr<SandboxIdentityStore> m_identity = std::make_shared<SandboxIdentityStore>();
    std::unique_ptr<SandboxContext> m_context;
    std::unique_ptr<StreamOperations> m_streamOperations;
    std::unique_ptr<RecordOperations> m_recordOperations;
    std::optional<SignatureVerifier> m_verifier;
    std::unique_ptr<simdjson::dom::parser> m_parser;
    QStringList m_notes;
};

} // namespace kwb::sandbox
