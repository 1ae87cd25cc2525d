#include "sandbox/SandboxService.h"

#include "Logging.h"
#include "sandbox/RecordOperations.h"
#include "sandbox/SandboxContext.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxSso.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/SandboxSts.h"
#include "sandbox/StreamOperations.h"

#include <QDateTime>

#include <simdjson.h>

#include <algorithm>

namespace kwb::sandbox {

enum class SandboxService::Operation {
    Unknown,
    CreateStream,
    DeleteStream,
    ListStreams,
    DescribeStream,
    DescribeStreamSummary,
    ListShards,
    UpdateShardCount,
    PutRecord,
    PutRecords,
    GetShardIterator,
    GetRecords,
};

SandboxService::SandboxService(SandboxClock clock)
    : m_clock(clock ? std::move(clock) : SandboxClock([] { return QDateTime::currentMSecsSinceEpoch(); }))
    , m_context(std::make_unique<SandboxContext>())
    , m_streamOperations(std::make_unique<StreamOperations>(*m_context))
    , m_recordOperations(std::make_unique<RecordOperations>(*m_context))
    , m_parser(std::make_unique<simdjson::dom::parser>())
{
    setOptions(m_context->options, true);
}

SandboxService::~SandboxService() = default;

qint64 SandboxService::now() const
{
    return m_clock();
}

const SandboxOptions &SandboxService::options() const
{
    return m_context->options;
}

void SandboxService::setOptions(const SandboxOptions &options, bool reseed)
{
    SandboxOptions &current = m_context->options;
    const QString dataDir = current.dataDir;
    const auto initial = current.initialStreams;
    current = options;
    if (m_context->persistence) { // fixed once open
        current.dataDir = dataDir;
        current.initialStreams = initial;
    }
    current.retentionHours = std::max(1, current.retentionHours);
    m_context->limiter = ThroughputLimiter(current.limitsEnabled, current.limitScale);
    if (current.verifiesSignatures())
        m_verifier.emplace(current.accessKeyId, current.secretAccessKey);
    else
        m_verifier.reset();
    if (reseed)
        m_context->faults.reseed(current.seed);
}

Result<void> SandboxService::open(const SandboxOptions &options)
{
    setOptions(options, true);
    const qint64 now = m_clock();
    SandboxContext &c = *m_context;
    if (!c.options.dataDir.isEmpty()) {
        auto persistence = SandboxPersistence::open(c.options.dataDir);
        if (!persistence.ok())
            return persistence.error();
        c.persistence = std::move(persistence.value());
        auto streams = c.persistence->loadStreams(now, c.retentionMs(), c.options.maxBytesPerShard, c.options.recoverDamaged);
        if (!streams.ok())
            return streams.error();
        for (auto &stream : streams.value()) {
            c.lastCreatedMs = std::max(c.lastCreatedMs, stream->createdMs());
            c.streams[stream->name().toStdString()] = std::move(stream);
        }
        m_notes = c.persistence->notes();
    }
    for (const InitialStream &initial : c.options.initialStreams) {
        if (c.streams.count(initial.name.toStdString()))
            continue;
        if (auto created = c.createStreamNamed(initial.name, initial.shardCount, false, now); !created.ok())
            return created.error();
    }
    return {};
}

SandboxStats SandboxService::stats() const
{
    return m_context->stats();
}

QStringList SandboxService::notes() const
{
    return m_notes;
}

QStringList SandboxService::streamNames() const
{
    QStringList names;
    for (const auto &[name, stream] : m_context->streams)
        names.append(stream->name());
    return names;
}

SandboxAnswer SandboxService::handle(const HttpRequest &request)
{
    SandboxContext &c = *m_context;
    c.counters.requests.fetch_add(1, std::memory_order_relaxed);
    SandboxAnswer answer = answerFor(request, m_clock());
    if (answer.status >= 400 && answer.status < 500)
        c.counters.clientErrors.fetch_add(1, std::memory_order_relaxed);
    answer.delayMs = std::max(0, c.options.latencyMs);
    answer.shardLimits = c.limiter.headerValue();
    if (lcSandbox().isDebugEnabled()) // never the body or the Authorization header: no secrets
        qCDebug(lcSandbox).noquote() << request.header("x-amz-target") << "->" << (answer.drop ? 0 : answer.status)
                                     << answer.errorType << request.body.size() << "bytes";
    return answer;
}

SandboxAnswer SandboxService::answerFor(const HttpRequest &request, qint64 now)
{
    // Sign-in services (STS, SSO portal, SSO OIDC) share the endpoint.
    if (SandboxSts::accepts(request))
        return SandboxSts(m_identity).handle(request, m_context->options, now);
    if (SandboxSso::accepts(request)) {
        SandboxAnswer sso = SandboxSso(m_identity).handle(request, now);
        sso.contentType = "application/json"; // REST JSON, as the SSO portal and SSO OIDC answer
        return sso;
    }
    const QByteArray target = request.header("x-amz-target");
    if (request.method != "POST")
        return SandboxAnswer::error(403, "AccessDeniedException",
                                    QStringLiteral("Unable to determine service/operation name to be authorized"));
    QByteArray contentType = request.header("content-type");
    if (const qsizetype semicolon = contentType.indexOf(';'); semicolon >= 0)
        contentType.truncate(semicolon);
    contentType = contentType.trimmed().toLower();
    if (contentType != "application/x-amz-json-1.1" && contentType != "application/x-amz-json-1.0") {
        if (target.isEmpty())
            return SandboxAnswer::error(403, "AccessDeniedException",
                                        QStringLiteral("Unable to determine service/operation name to be authorized"));
        return SandboxAnswer::error(404, "UnknownOperationException",
                                    QStringLiteral("The sandbox speaks AWS JSON 1.1: send Content-Type: "
                                                   "application/x-amz-json-1.1"));
    }
    const Operation operation = operationOf(target);
    if (request.body.isEmpty()) {
        if (operation == Operation::Unknown)
            return SandboxAnswer::error(400, "UnknownOperationException", {});
        return SandboxAnswer::error(400, "SerializationException", QStringLiteral("The request has no body."));
    }
    const bool padded = request.body.capacity() - request.body.size() >= qsizetype(simdjson::SIMDJSON_PADDING);
    simdjson::dom::element root;
    if (const auto error = m_parser->parse(request.body.constData(), size_t(request.body.size()), !padded).get(root);
        error != simdjson::SUCCESS)
        return SandboxAnswer::error(400, "SerializationException",
                                    QStringLiteral("The request body is not valid JSON: %1")
                                        .arg(QLatin1String(simdjson::error_message(error))));
    simdjson::dom::object body;
    if (root.get(body) != simdjson::SUCCESS)
        return SandboxAnswer::error(400, "SerializationException",
                                    QStringLiteral("Start of structure or map expected: the body is not a JSON object."));
    if (operation == Operation::Unknown)
        return SandboxAnswer::error(400, "UnknownOperationException",
                                    QStringLiteral("The sandbox does not know the operation '%1'.").arg(QString::fromUtf8(target)));
    if (auto refused = authenticate(request, now))
        return *refused;
    if (operation == Operation::PutRecord || operation == Operation::PutRecords) {
        if (auto fault = injectedFault())
            return *fault;
    }
    m_context->trimIfDue(now);
    return dispatch(operation, body, now);
}

SandboxService::Operation SandboxService::operationOf(const QByteArray &target)
{
    static const std::pair<const char *, Operation> operations[] = {
        {"CreateStream", Operation::CreateStream},
        {"DeleteStream", Operation::DeleteStream},
        {"ListStreams", Operation::ListStreams},
        {"DescribeStream", Operation::DescribeStream},
        {"DescribeStreamSummary", Operation::DescribeStreamSummary},
        {"ListShards", Operation::ListShards},
        {"UpdateShardCount", Operation::UpdateShardCount},
        {"PutRecord", Operation::PutRecord},
        {"PutRecords", Operation::PutRecords},
        {"GetShardIterator", Operation::GetShardIterator},
        {"GetRecords", Operation::GetRecords},
    };
    if (!target.startsWith("Kinesis_20131202."))
        return Operation::Unknown;
    const QByteArrayView name = QByteArrayView(target).sliced(17);
    for (const auto &[candidate, op] : operations)
        if (name == candidate)
            return op;
    return Operation::Unknown;
}

std::optional<SandboxAnswer> SandboxService::authenticate(const HttpRequest &request, qint64 now) const
{
    // Credentials the sandbox's STS or SSO issued are checked against what it issued; others
    // against the configured key, when signatures are checked at all.
    if (auto issued = SandboxSts::checkIssued(*m_identity, request, QStringLiteral("kinesis"), now, nullptr, false)) {
        if (issued->status != 200)
            return *issued;
    } else if (m_verifier) {
        if (auto verified = m_verifier->verify(request, now); !verified.ok())
            return reply::fromError(verified.error());
    }
    return std::nullopt;
}

std::optional<SandboxAnswer> SandboxService::injectedFault()
{
    SandboxContext &c = *m_context;
    switch (c.faults.requestFault(c.options)) {
    case FaultInjector::RequestFault::None:
        break;
    case FaultInjector::RequestFault::Drop:
        c.counters.droppedConnections.fetch_add(1, std::memory_order_relaxed);
        return SandboxAnswer::dropped();
    case FaultInjector::RequestFault::InternalError:
        c.counters.injectedFailures.fetch_add(1, std::memory_order_relaxed);
        return reply::internalFailure();
    case FaultInjector::RequestFault::Unavailable:
        c.counters.injectedFailures.fetch_add(1, std::memory_order_relaxed);
        return SandboxAnswer::error(503, "ServiceUnavailable", QStringLiteral("Service Unavailable"));
    }
    return std::nullopt;
}

SandboxAnswer SandboxService::dispatch(Operation operation, const simdjson::dom::object &body, qint64 now)
{
    StreamOperations &streams = *m_streamOperations;
    RecordOperations &records = *m_recordOperations;
    switch (operation) {
    case Operation::CreateStream: return streams.createStream(body, now);
    case Operation::DeleteStream: return streams.deleteStream(body);
    case Operation::ListStreams: return streams.listStreams(body);
    case Operation::DescribeStream: return streams.describeStream(body, now);
    case Operation::DescribeStreamSummary: return streams.describeStreamSummary(body, now);
    case Operation::ListShards: return streams.listShards(body, now);
    case Operation::UpdateShardCount: return streams.updateShardCount(body, now);
    case Operation::PutRecord: return records.putRecord(body, now);
    case Operation::PutRecords: return records.putRecords(body, now);
    case Operation::GetShardIterator: return records.getShardIterator(body, now);
    case Operation::GetRecords: return records.getRecords(body, now);
    case Operation::Unknown: break;
    }
    return SandboxAnswer::error(400, "UnknownOperationException", {});
}

} // namespace kwb::sandbox
