#include "sandbox/SandboxService.h"
#include "sandbox/SandboxSso.h"
#include "sandbox/SandboxSts.h"

#include "HashKey.h"
#include "Logging.h"
#include "Record.h"
#include "aws/StreamArn.h"
#include "sandbox/JsonBuilder.h"
#include "sandbox/RequestValidator.h"
#include "sandbox/SandboxBase64.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/SequenceNumber.h"
#include "sandbox/StreamLog.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QLocale>

#include <simdjson.h>

#include <algorithm>
#include <cmath>

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

namespace {

using Spec = FieldSpec;
using Type = FieldSpec::Type;
using Pattern = FieldSpec::Pattern;

constexpr int kMaxNameLength = 128;
constexpr qint64 kMaxGetRecordsBytes = 10 * 1024 * 1024;
constexpr qint64 kMaxBlobBytes = limits::kDefaultMaxRecordBytes;
constexpr int kOnDemandShards = 4;

// The members of each operation, in the order the service checks them (its model's order, as
// kinesalite recorded it), plus StreamARN wherever a stream is named.
constexpr Spec kStreamName{.name = "StreamName", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength};
constexpr Spec kStreamArn{.name = "StreamARN", .pattern = Pattern::StreamArn, .minLength = 1, .maxLength = 2048};

constexpr const char *kStreamModes[] = {"PROVISIONED", "ON_DEMAND"};
constexpr Spec kStreamModeDetails[] = {{.name = "StreamMode", .notNull = true, .enumValues = kStreamModes}};
constexpr Spec kCreateStream[] = {
    {.name = "ShardCount", .type = Type::Integer, .minValue = 1, .maxValue = 100000},
    {.name = "StreamModeDetails", .type = Type::Structure, .children = kStreamModeDetails},
    {.name = "StreamName", .notNull = true, .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
};
constexpr Spec kDeleteStream[] = {kStreamName, kStreamArn, {.name = "EnforceConsumerDeletion", .type = Type::Boolean}};
constexpr Spec kListStreams[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ExclusiveStartStreamName", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
    {.name = "NextToken", .minLength = 1, .maxLength = 1048576},
};
constexpr Spec kDescribeStream[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ExclusiveStartShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
    kStreamName,
    kStreamArn,
};
constexpr Spec kDescribeStreamSummary[] = {kStreamName, kStreamArn};
constexpr const char *kShardFilterTypes[] = {"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON",
                                              "AT_LATEST",      "AT_TIMESTAMP",    "FROM_TIMESTAMP"};
constexpr Spec kShardFilter[] = {
    {.name = "Type", .notNull = true, .enumValues = kShardFilterTypes},
    {.name = "ShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
    {.name = "Timestamp", .type = Type::Timestamp},
};
constexpr Spec kListShards[] = {
    {.name = "ExclusiveStartShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
    {.name = "MaxResults", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "NextToken", .minLength = 1, .maxLength = 1048576},
    {.name = "ShardFilter", .type = Type::Structure, .children = kShardFilter},
    {.name = "StreamCreationTimestamp", .type = Type::Timestamp},
    kStreamName,
    kStreamArn,
};
constexpr const char *kScalingTypes[] = {"UNIFORM_SCALING"};
constexpr Spec kUpdateShardCount[] = {
    {.name = "ScalingType", .notNull = true, .enumValues = kScalingTypes},
    kStreamName,
    kStreamArn,
    {.name = "TargetShardCount", .type = Type::Integer, .notNull = true, .minValue = 1, .maxValue = 100000},
};
constexpr Spec kPutRecord[] = {
    {.name = "SequenceNumberForOrdering", .pattern = Pattern::SequenceNumber},
    {.name = "PartitionKey", .notNull = true, .minLength = 1, .maxLength = limits::kMaxPartitionKeyChars},
    {.name = "ExplicitHashKey", .pattern = Pattern::HashKey},
    {.name = "Data", .type = Type::Blob, .notNull = true, .maxLength = int(kMaxBlobBytes)},
    kStreamName,
    kStreamArn,
};
// One PutRecords entry.
constexpr Spec kEntryPartitionKey{.name = "PartitionKey", .notNull = true, .minLength = 1,
                                  .maxLength = limits::kMaxPartitionKeyChars};
constexpr Spec kEntryHashKey{.name = "ExplicitHashKey", .pattern = Pattern::HashKey};
constexpr Spec kEntryData{.name = "Data", .type = Type::Blob, .notNull = true, .maxLength = int(kMaxBlobBytes)};
constexpr const char *kIteratorTypes[] = {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER",
                                          "TRIM_HORIZON"};
constexpr Spec kGetShardIterator[] = {
    {.name = "ShardId", .notNull = true, .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxNameLength},
    {.name = "ShardIteratorType", .notNull = true, .enumValues = kIteratorTypes},
    {.name = "StartingSequenceNumber", .pattern = Pattern::SequenceNumber},
    kStreamName,
    kStreamArn,
    {.name = "Timestamp", .type = Type::Timestamp},
};
constexpr Spec kGetRecords[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ShardIterator", .notNull = true, .minLength = 1, .maxLength = 512},
    kStreamArn,
};

/// Epoch seconds from a request (any JSON number, 1e300 included) as milliseconds. Values beyond
/// what a qint64 of milliseconds holds are clamped to about ±292 million years, which every
/// caller treats as "after now" or "before everything", instead of overflowing.
qint64 millisFromSeconds(double seconds)
{
    constexpr double kLimit = 9.0e18; // < 2^63
    const double ms = seconds * 1000.0;
    if (!(ms < kLimit))
        return qint64(kLimit);
    if (!(ms > -kLimit))
        return -qint64(kLimit);
    return qint64(std::llround(ms));
}

/// A number the way the service's JavaScript peers print it: integers in full below 1e21,
/// the shortest exponent form beyond (1e+303).
QString jsonNumberText(double value)
{
    if (std::abs(value) < 1e21)
        return QString::number(value, 'f', QLocale::FloatingPointShortest);
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString text(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

QByteArrayView bytes(std::string_view view)
{
    return QByteArrayView(view.data(), qsizetype(view.size()));
}

SandboxAnswer clientError(const char *type, const QString &message)
{
    return SandboxAnswer::error(400, QByteArray(type), message);
}

SandboxAnswer internalFailure(const QString &message = QStringLiteral("Internal service failure."))
{
    return SandboxAnswer::error(500, "InternalFailure", message);
}

QString notFound(const QString &stream)
{
    return QStringLiteral("Stream %1 under account %2 not found.").arg(stream, QLatin1String(SandboxService::kAccountId));
}

QString shardMissing(const QString &shardId, const QString &stream)
{
    return QStringLiteral("Shard %1 in stream %2 under account %3 does not exist")
        .arg(shardId, stream, QLatin1String(SandboxService::kAccountId));
}

/// "shardId-000000000001" into a buffer of 20 chars.
void writeShardId(char *out, int index)
{
    std::memcpy(out, "shardId-", 8);
    for (int i = 19; i >= 8; --i) {
        out[i] = char('0' + index % 10);
        index /= 10;
    }
}

// Iterators and tokens: the state in clear text with a short MAC, base64. Not a secret, only
// a guard against hand-edited or truncated values.
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
    if (parts.size() < fields)
        return std::nullopt;
    // The stream name is last and may not contain ':', but be strict anyway.
    if (parts.size() > fields)
        return std::nullopt;
    return parts;
}

/// "Thu Jan 22 01:22:02 UTC 2015", as the service prints times in iterator messages.
QString amzUtcString(qint64 ms)
{
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), QStringLiteral("ddd MMM dd HH:mm:ss 'UTC' yyyy"));
}

void writeStreamModeDetails(JsonBuilder &json, const SandboxStream &stream)
{
    json.key("StreamModeDetails").beginObject().key("StreamMode").string(stream.isOnDemand() ? "ON_DEMAND" : "PROVISIONED").endObject();
}

void writeShard(JsonBuilder &json, const SandboxStream &stream, const SandboxShard &s)
{
    json.beginObject();
    if (s.adjacentParentIndex >= 0)
        json.key("AdjacentParentShardId").string(ShardMap::shardIdForIndex(s.adjacentParentIndex));
    json.key("HashKeyRange").beginObject();
    json.key("EndingHashKey").string(hashKeyToString(s.endingHashKey));
    json.key("StartingHashKey").string(hashKeyToString(s.startingHashKey));
    json.endObject();
    if (s.parentIndex >= 0)
        json.key("ParentShardId").string(ShardMap::shardIdForIndex(s.parentIndex));
    json.key("SequenceNumberRange").beginObject();
    if (!s.isOpen())
        json.key("EndingSequenceNumber").string(stream.endingSequence(s).toBytes());
    json.key("StartingSequenceNumber").string(stream.sequence(s.index, 0).toBytes());
    json.endObject();
    json.key("ShardId").string(s.shardId());
    json.endObject();
}

} // namespace

SandboxService::SandboxService(SandboxClock clock)
    : m_clock(clock ? std::move(clock) : SandboxClock([] { return QDateTime::currentMSecsSinceEpoch(); }))
    , m_parser(std::make_unique<simdjson::dom::parser>())
{
    setOptions(m_options, true);
}

SandboxService::~SandboxService() = default;

qint64 SandboxService::now() const
{
    return m_clock();
}

void SandboxService::setOptions(const SandboxOptions &options, bool reseed)
{
    const QString dataDir = m_options.dataDir;
    const auto initial = m_options.initialStreams;
    m_options = options;
    if (m_persistence) { // fixed once open
        m_options.dataDir = dataDir;
        m_options.initialStreams = initial;
    }
    m_options.retentionHours = std::max(1, m_options.retentionHours);
    m_limiter = ThroughputLimiter(m_options.limitsEnabled, m_options.limitScale);
    if (m_options.verifiesSignatures())
        m_verifier.emplace(m_options.accessKeyId, m_options.secretAccessKey);
    else
        m_verifier.reset();
    if (reseed)
        m_faults.reseed(m_options.seed);
}

Result<void> SandboxService::open(const SandboxOptions &options)
{
    setOptions(options, true);
    const qint64 now = m_clock();
    if (!m_options.dataDir.isEmpty()) {
        auto persistence = SandboxPersistence::open(m_options.dataDir);
        if (!persistence.ok())
            return persistence.error();
        m_persistence = std::move(persistence.value());
        auto streams = m_persistence->loadStreams(now, retentionMs(), m_options.maxBytesPerShard,
                                                  m_options.recoverDamaged);
        if (!streams.ok())
            return streams.error();
        for (auto &stream : streams.value()) {
            m_lastCreatedMs = std::max(m_lastCreatedMs, stream->createdMs());
            m_streams[stream->name().toStdString()] = std::move(stream);
        }
        m_notes = m_persistence->notes();
    }
    for (const InitialStream &initial : m_options.initialStreams) {
        if (m_streams.count(initial.name.toStdString()))
            continue;
        if (auto created = createStreamNamed(initial.name, initial.shardCount, false, now); !created.ok())
            return created.error();
    }
    return {};
}

SandboxStats SandboxService::stats() const
{
    SandboxStats s;
    s.requests = m_counters.requests.load(std::memory_order_relaxed);
    s.clientErrors = m_counters.clientErrors.load(std::memory_order_relaxed);
    s.injectedFailures = m_counters.injectedFailures.load(std::memory_order_relaxed);
    s.droppedConnections = m_counters.droppedConnections.load(std::memory_order_relaxed);
    s.recordsAccepted = m_counters.recordsAccepted.load(std::memory_order_relaxed);
    s.recordsThrottled = m_counters.recordsThrottled.load(std::memory_order_relaxed);
    s.recordsFailed = m_counters.recordsFailed.load(std::memory_order_relaxed);
    s.readsThrottled = m_counters.readsThrottled.load(std::memory_order_relaxed);
    return s;
}

QStringList SandboxService::notes() const
{
    return m_notes;
}

QStringList SandboxService::streamNames() const
{
    QStringList names;
    for (const auto &[name, stream] : m_streams)
        names.append(stream->name());
    return names;
}

QString SandboxService::streamArn(const QString &name) const
{
    return aws::StreamArn{QStringLiteral("aws"), m_options.region, QLatin1String(kAccountId), name}.toString();
}

int SandboxService::openShardTotal() const
{
    int total = 0;
    for (const auto &[name, stream] : m_streams)
        total += stream->openShardCount();
    return total;
}

SandboxAnswer SandboxService::fromError(const Error &error) const
{
    return SandboxAnswer::error(error.httpStatus > 0 ? error.httpStatus : 400, error.code.toLatin1(), error.message);
}

void SandboxService::trimIfDue(qint64 now)
{
    // Retention is also applied to each shard as it is read or written; this sweep expires
    // closed shards and trims streams nobody touches.
    if (now - m_lastTrimMs < 1000 && now >= m_lastTrimMs)
        return;
    m_lastTrimMs = now;
    for (auto &[name, stream] : m_streams)
        stream->trimAll(now, retentionMs(), m_options.maxBytesPerShard);
}

SandboxAnswer SandboxService::handle(const HttpRequest &request)
{
    m_counters.requests.fetch_add(1, std::memory_order_relaxed);
    const qint64 now = m_clock();
    SandboxAnswer answer = [&]() -> SandboxAnswer {
        // Sign-in services (STS, SSO portal, SSO OIDC) share the endpoint.
        if (SandboxSts::accepts(request))
            return SandboxSts(m_identity).handle(request, m_options, now);
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
        Operation operation = Operation::Unknown;
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
        if (target.startsWith("Kinesis_20131202.")) {
            const QByteArrayView name = QByteArrayView(target).sliced(17);
            for (const auto &[candidate, op] : operations)
                if (name == candidate)
                    operation = op;
        }
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
                                        QStringLiteral("The sandbox does not know the operation '%1'.")
                                            .arg(QString::fromUtf8(target)));
        if (auto issued = SandboxSts::checkIssued(*m_identity, request, QStringLiteral("kinesis"), now, nullptr, false)) {
            if (issued->status != 200)
                return *issued;
        } else if (m_verifier) {
            if (auto verified = m_verifier->verify(request, now); !verified.ok())
                return fromError(verified.error());
        }
        if (operation == Operation::PutRecord || operation == Operation::PutRecords) {
            switch (m_faults.requestFault(m_options)) {
            case FaultInjector::RequestFault::None:
                break;
            case FaultInjector::RequestFault::Drop:
                m_counters.droppedConnections.fetch_add(1, std::memory_order_relaxed);
                return SandboxAnswer::dropped();
            case FaultInjector::RequestFault::InternalError:
                m_counters.injectedFailures.fetch_add(1, std::memory_order_relaxed);
                return internalFailure();
            case FaultInjector::RequestFault::Unavailable:
                m_counters.injectedFailures.fetch_add(1, std::memory_order_relaxed);
                return SandboxAnswer::error(503, "ServiceUnavailable", QStringLiteral("Service Unavailable"));
            }
        }
        trimIfDue(now);
        return dispatch(operation, body, now);
    }();
    if (answer.status >= 400 && answer.status < 500)
        m_counters.clientErrors.fetch_add(1, std::memory_order_relaxed);
    answer.delayMs = std::max(0, m_options.latencyMs);
    answer.shardLimits = m_limiter.headerValue();
    if (lcSandbox().isDebugEnabled()) // never the body or the Authorization header: no secrets
        qCDebug(lcSandbox).noquote() << request.header("x-amz-target") << "->" << (answer.drop ? 0 : answer.status)
                                     << answer.errorType << request.body.size() << "bytes";
    return answer;
}

SandboxAnswer SandboxService::dispatch(Operation operation, const simdjson::dom::object &body, qint64 now)
{
    switch (operation) {
    case Operation::CreateStream: return createStream(body, now);
    case Operation::DeleteStream: return deleteStream(body);
    case Operation::ListStreams: return listStreams(body);
    case Operation::DescribeStream: return describeStream(body, now);
    case Operation::DescribeStreamSummary: return describeStreamSummary(body, now);
    case Operation::ListShards: return listShards(body, now);
    case Operation::UpdateShardCount: return updateShardCount(body, now);
    case Operation::PutRecord: return putRecord(body, now);
    case Operation::PutRecords: return putRecords(body, now);
    case Operation::GetShardIterator: return getShardIterator(body, now);
    case Operation::GetRecords: return getRecords(body, now);
    case Operation::Unknown: break;
    }
    return SandboxAnswer::error(400, "UnknownOperationException", {});
}

Result<SandboxStream *> SandboxService::resolveStream(const FieldValue &name, const FieldValue &arn)
{
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
        if (account != QLatin1String(kAccountId))
            return Error{Error::Kind::NotFound, QStringLiteral("ResourceNotFoundException"),
                         QStringLiteral("Stream %1 under account %2 not found.").arg(fromArn, account), 400};
        streamName = fromArn;
    } else if (name.present) {
        streamName = text(name.text);
    } else {
        return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"),
                     QStringLiteral("Either StreamName or StreamARN must be provided."), 400};
    }
    const auto it = m_streams.find(streamName.toStdString());
    if (it == m_streams.end())
        return Error{Error::Kind::NotFound, QStringLiteral("ResourceNotFoundException"), notFound(streamName), 400};
    return it->second.get();
}

Result<void> SandboxService::createStreamNamed(const QString &name, int shards, bool onDemand, qint64 now)
{
    const std::string key = name.toStdString();
    if (m_streams.count(key))
        return Error{Error::Kind::InUse, QStringLiteral("ResourceInUseException"),
                     QStringLiteral("Stream %1 under account %2 already exists.").arg(name, QLatin1String(kAccountId)), 400};
    const int current = openShardTotal();
    if (current + shards > m_options.shardLimit)
        return Error{Error::Kind::Throttling, QStringLiteral("LimitExceededException"),
                     QStringLiteral("This request would exceed the shard limit for the account %1 in %2. Current shard "
                                    "count for the account: %3. Limit: %4. Number of additional shards that would have "
                                    "resulted from this request: %5. Refer to the AWS Service Limits page "
                                    "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
                                    "limits and how to request higher limits.")
                         .arg(QLatin1String(kAccountId), m_options.region)
                         .arg(current)
                         .arg(m_options.shardLimit)
                         .arg(shards),
                     400};
    // Each incarnation of a name gets its own epoch, so old sequence numbers and iterators
    // of a deleted stream never pass for the new one's.
    const qint64 createdMs = std::max(now, m_lastCreatedMs + 1);
    auto stream = SandboxStream::create(name, createdMs, shards, onDemand);
    if (!stream.ok())
        return Error{Error::Kind::Validation, QStringLiteral("InvalidArgumentException"), stream.error().message, 400};
    if (m_persistence) {
        if (auto persisted = m_persistence->createStream(*stream.value()); !persisted.ok()) {
            qCWarning(lcSandbox).noquote() << persisted.error().message;
            return Error{Error::Kind::Server, QStringLiteral("InternalFailure"), persisted.error().message, 500};
        }
    }
    m_lastCreatedMs = createdMs;
    m_streams[key] = std::move(stream.value());
    return {};
}

SandboxAnswer SandboxService::createStream(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kCreateStream);
    if (!fields.ok())
        return fromError(fields.error());
    const FieldValue &shardCount = fields.value()[0];
    const FieldValue &mode = fields.value()[1];
    const bool onDemand = mode.present && mode.children[0].present && mode.children[0].text == "ON_DEMAND";
    if (!onDemand && !shardCount.present)
        return fromError(RequestValidator::validationError(
            {RequestValidator::failure(QStringLiteral("null"), QStringLiteral("shardCount"),
                                       QStringLiteral("Member must not be null"))}));
    const int shards = onDemand ? kOnDemandShards : int(shardCount.integer);
    if (auto created = createStreamNamed(text(fields.value()[2].text), shards, onDemand, now); !created.ok())
        return fromError(created.error());
    return SandboxAnswer::ok({});
}

SandboxAnswer SandboxService::deleteStream(const simdjson::dom::object &body)
{
    auto fields = RequestValidator::validate(body, kDeleteStream);
    if (!fields.ok())
        return fromError(fields.error());
    auto stream = resolveStream(fields.value()[0], fields.value()[1]);
    if (!stream.ok())
        return fromError(stream.error());
    if (m_persistence) {
        if (auto removed = m_persistence->deleteStream(*stream.value()); !removed.ok()) {
            qCWarning(lcSandbox).noquote() << removed.error().message;
            return internalFailure(removed.error().message);
        }
    }
    m_streams.erase(stream.value()->name().toStdString());
    return SandboxAnswer::ok({});
}

SandboxAnswer SandboxService::listStreams(const simdjson::dom::object &body)
{
    auto fields = RequestValidator::validate(body, kListStreams);
    if (!fields.ok())
        return fromError(fields.error());
    const FieldValue &limitField = fields.value()[0];
    const FieldValue &exclusiveStart = fields.value()[1];
    const FieldValue &nextToken = fields.value()[2];
    // The service returns at most 100 names per call whatever the Limit.
    const int limit = int(std::min<qint64>(limitField.present ? limitField.integer : 100, 100));
    std::string after;
    if (nextToken.present) {
        const auto parts = unseal(bytes(nextToken.text), 2);
        if (!parts || parts->at(0) != "ls")
            return clientError("InvalidArgumentException", QStringLiteral("Invalid NextToken."));
        after = QByteArray::fromBase64(parts->at(1)).toStdString();
    } else if (exclusiveStart.present) {
        after = std::string(exclusiveStart.text);
    }
    auto it = (nextToken.present || exclusiveStart.present) ? m_streams.upper_bound(after) : m_streams.begin();
    std::vector<const SandboxStream *> page;
    for (; it != m_streams.end() && int(page.size()) < limit; ++it)
        page.push_back(it->second.get());
    const bool more = it != m_streams.end();
    JsonBuilder json;
    json.beginObject();
    json.key("HasMoreStreams").boolean(more);
    if (more && !page.empty())
        json.key("NextToken").string(seal("ls:" + page.back()->name().toUtf8().toBase64()));
    json.key("StreamNames").beginArray();
    for (const SandboxStream *s : page)
        json.string(s->name());
    json.endArray();
    json.key("StreamSummaries").beginArray();
    for (const SandboxStream *s : page) {
        json.beginObject();
        json.key("StreamARN").string(streamArn(s->name()));
        json.key("StreamCreationTimestamp").timestamp(s->createdMs());
        writeStreamModeDetails(json, *s);
        json.key("StreamName").string(s->name());
        json.key("StreamStatus").string("ACTIVE");
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::describeStream(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kDescribeStream);
    if (!fields.ok())
        return fromError(fields.error());
    auto found = resolveStream(fields.value()[2], fields.value()[3]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();
    stream.trimAll(now, retentionMs(), m_options.maxBytesPerShard);
    const int limit = fields.value()[0].present ? int(fields.value()[0].integer) : 100;
    const QByteArray exclusiveStart = fields.value()[1].present ? bytes(fields.value()[1].text).toByteArray() : QByteArray();
    JsonBuilder json(1024);
    json.beginObject().key("StreamDescription").beginObject();
    json.key("EncryptionType").string("NONE");
    json.key("EnhancedMonitoring").beginArray().beginObject().key("ShardLevelMetrics").beginArray().endArray().endObject().endArray();
    bool more = false;
    json.key("Shards").beginArray();
    int listed = 0;
    for (int i = 0; i < stream.shardCount(); ++i) {
        const SandboxShard &s = stream.shard(i);
        if (s.expired || (!exclusiveStart.isEmpty() && s.shardId().toLatin1() <= exclusiveStart))
            continue;
        if (listed == limit) {
            more = true;
            break;
        }
        writeShard(json, stream, s);
        ++listed;
    }
    json.endArray();
    json.key("HasMoreShards").boolean(more);
    json.key("RetentionPeriodHours").number(m_options.retentionHours);
    json.key("StreamARN").string(streamArn(stream.name()));
    json.key("StreamCreationTimestamp").timestamp(stream.createdMs());
    writeStreamModeDetails(json, stream);
    json.key("StreamName").string(stream.name());
    json.key("StreamStatus").string("ACTIVE");
    json.endObject().endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::describeStreamSummary(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kDescribeStreamSummary);
    if (!fields.ok())
        return fromError(fields.error());
    auto found = resolveStream(fields.value()[0], fields.value()[1]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();
    stream.trimAll(now, retentionMs(), m_options.maxBytesPerShard);
    JsonBuilder json(512);
    json.beginObject().key("StreamDescriptionSummary").beginObject();
    json.key("ConsumerCount").number(0);
    json.key("EncryptionType").string("NONE");
    json.key("EnhancedMonitoring").beginArray().beginObject().key("ShardLevelMetrics").beginArray().endArray().endObject().endArray();
    json.key("MaxRecordSizeInKiB").number(kMaxBlobBytes / 1024);
    json.key("OpenShardCount").number(stream.openShardCount());
    json.key("RetentionPeriodHours").number(m_options.retentionHours);
    json.key("StreamARN").string(streamArn(stream.name()));
    json.key("StreamCreationTimestamp").timestamp(stream.createdMs());
    writeStreamModeDetails(json, stream);
    json.key("StreamName").string(stream.name());
    json.key("StreamStatus").string("ACTIVE");
    json.endObject().endObject();
    return SandboxAnswer::ok(json.take());
}

QByteArray SandboxService::makeShardsToken(const SandboxStream &stream, int afterIndex, const QByteArray &filter,
                                           qint64 filterMs) const
{
    return seal("lsh:" + QByteArray::number(stream.createdMs()) + ':' + QByteArray::number(afterIndex) + ':' + filter
                + ':' + QByteArray::number(filterMs) + ':' + stream.name().toUtf8());
}

SandboxAnswer SandboxService::listShards(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kListShards);
    if (!fields.ok())
        return fromError(fields.error());
    const auto &f = fields.value();
    const FieldValue &exclusiveStart = f[0];
    const FieldValue &maxResults = f[1];
    const FieldValue &nextToken = f[2];
    const FieldValue &shardFilter = f[3];
    const FieldValue &streamName = f[5];
    const FieldValue &streamArnField = f[6];
    if (nextToken.present && (streamName.present || streamArnField.present))
        return clientError("InvalidArgumentException", QStringLiteral("NextToken and StreamName cannot be provided together."));
    if (!nextToken.present && !streamName.present && !streamArnField.present)
        return clientError("InvalidArgumentException", QStringLiteral("Either NextToken or StreamName should be provided."));
    if (nextToken.present && (shardFilter.present || exclusiveStart.present))
        return clientError("InvalidArgumentException",
                           QStringLiteral("NextToken cannot be combined with ShardFilter or ExclusiveStartShardId."));

    SandboxStream *stream = nullptr;
    int afterIndex = -1;
    QByteArray filter;
    qint64 filterMs = 0;
    if (nextToken.present) {
        const auto parts = unseal(bytes(nextToken.text), 6);
        if (!parts || parts->at(0) != "lsh")
            return clientError("InvalidArgumentException", QStringLiteral("Invalid NextToken."));
        const auto it = m_streams.find(parts->at(5).toStdString());
        if (it == m_streams.end() || it->second->createdMs() != parts->at(1).toLongLong())
            return fromError(Error{Error::Kind::NotFound, QStringLiteral("ResourceNotFoundException"),
                                   notFound(QString::fromUtf8(parts->at(5))), 400});
        stream = it->second.get();
        afterIndex = parts->at(2).toInt();
        filter = parts->at(3);
        filterMs = parts->at(4).toLongLong();
    } else {
        auto found = resolveStream(streamName, streamArnField);
        if (!found.ok())
            return fromError(found.error());
        stream = found.value();
        if (exclusiveStart.present) {
            // Ids sort like their numbers; an id that is not one of ours starts after nothing.
            const QString id = text(exclusiveStart.text);
            for (int i = stream->shardCount() - 1; i >= 0; --i)
                if (stream->shard(i).shardId() <= id) {
                    afterIndex = i;
                    break;
                }
        }
        if (shardFilter.present) {
            filter = bytes(shardFilter.children[0].text).toByteArray();
            const FieldValue &filterShard = shardFilter.children[1];
            const FieldValue &filterTime = shardFilter.children[2];
            if (filter == "AFTER_SHARD_ID") {
                if (!filterShard.present)
                    return clientError("InvalidArgumentException",
                                       QStringLiteral("ShardId must be specified for ShardFilter type AFTER_SHARD_ID."));
                const QString id = text(filterShard.text);
                for (int i = stream->shardCount() - 1; i >= 0; --i)
                    if (stream->shard(i).shardId() <= id) {
                        afterIndex = std::max(afterIndex, i);
                        break;
                    }
            } else if (filter == "AT_TIMESTAMP" || filter == "FROM_TIMESTAMP") {
                if (!filterTime.present)
                    return clientError("InvalidArgumentException",
                                       QStringLiteral("Timestamp must be specified for ShardFilter type %1.")
                                           .arg(QString::fromLatin1(filter)));
                filterMs = millisFromSeconds(filterTime.number);
            } else if (filter == "AT_TRIM_HORIZON" || filter == "FROM_TRIM_HORIZON") {
                filterMs = now - retentionMs();
            }
        }
    }
    stream->trimAll(now, retentionMs(), m_options.maxBytesPerShard);
    // A time before the stream existed means its creation.
    const qint64 at = std::max(filterMs, stream->createdMs());
    const auto selected = [&](const SandboxShard &s) {
        if (s.expired)
            return false;
        if (filter == "AT_LATEST")
            return s.isOpen();
        if (filter == "AT_TRIM_HORIZON" || filter == "AT_TIMESTAMP")
            return s.createdMs <= at && (s.isOpen() || s.closedMs > at);
        if (filter == "FROM_TRIM_HORIZON" || filter == "FROM_TIMESTAMP")
            return s.isOpen() || s.closedMs > at;
        return true;
    };
    const int limit = int(std::min<qint64>(maxResults.present ? maxResults.integer : 1000, 1000));
    JsonBuilder json(1024);
    json.beginObject();
    json.key("Shards").beginArray();
    int listed = 0;
    int last = afterIndex;
    bool more = false;
    for (int i = afterIndex + 1; i < stream->shardCount(); ++i) {
        const SandboxShard &s = stream->shard(i);
        if (!selected(s))
            continue;
        if (listed == limit) {
            more = true;
            break;
        }
        writeShard(json, *stream, s);
        ++listed;
        last = i;
    }
    json.endArray();
    if (more)
        json.key("NextToken").string(makeShardsToken(*stream, last, filter, filterMs));
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::updateShardCount(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kUpdateShardCount);
    if (!fields.ok())
        return fromError(fields.error());
    auto found = resolveStream(fields.value()[1], fields.value()[2]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();
    const int current = stream.openShardCount();
    const int target = int(fields.value()[3].integer);
    if (target > 2 * current)
        return clientError("LimitExceededException",
                           QStringLiteral("UpdateShardCount cannot scale up over double your current open shard count. "
                                          "Current open shard count: %1 Target shard count: %2")
                               .arg(current)
                               .arg(target));
    if (target < (current + 1) / 2)
        return clientError("LimitExceededException",
                           QStringLiteral("UpdateShardCount cannot scale down below half your current open shard "
                                          "count. Current open shard count: %1 Target shard count: %2")
                               .arg(current)
                               .arg(target));
    if (openShardTotal() - current + target > m_options.shardLimit)
        return clientError("LimitExceededException",
                           QStringLiteral("This request would exceed the shard limit for the account %1 in %2. "
                                          "Current shard count for the account: %3. Limit: %4.")
                               .arg(QLatin1String(kAccountId), m_options.region)
                               .arg(openShardTotal())
                               .arg(m_options.shardLimit));
    if (target != current) {
        if (StreamLog *log = stream.log()) {
            if (auto written = log->append(StreamLog::encodeReshard(now, target)); !written.ok()) {
                qCWarning(lcSandbox).noquote() << written.error().message;
                return internalFailure();
            }
        }
        if (auto resharded = stream.reshard(now, target); !resharded.ok())
            return internalFailure(resharded.error().message);
    }
    JsonBuilder json;
    json.beginObject();
    json.key("CurrentShardCount").number(current);
    json.key("StreamARN").string(streamArn(stream.name()));
    json.key("StreamName").string(stream.name());
    json.key("TargetShardCount").number(target);
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::putRecord(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kPutRecord);
    if (!fields.ok())
        return fromError(fields.error());
    const auto &f = fields.value();
    auto found = resolveStream(f[4], f[5]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();
    const std::string_view key = f[1].text;
    UInt128 hashKey = 0;
    if (f[2].present) {
        auto parsed = parseHashKey(bytes(f[2].text));
        if (!parsed.ok())
            return clientError("InvalidArgumentException",
                               QStringLiteral("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                              "[0, 2^128-1]. Specified value was %1")
                                   .arg(text(f[2].text)));
        hashKey = parsed.value();
    } else {
        hashKey = hashPartitionKey(bytes(key));
    }
    SandboxShard &shard = stream.shard(stream.shardIndexFor(hashKey));
    // The one record of a PutRecord failing is the whole request failing.
    if (m_faults.recordFails(m_options.recordFailureRate)) {
        m_counters.recordsFailed.fetch_add(1, std::memory_order_relaxed);
        return internalFailure();
    }
    m_decoded.resize(base64::decodedSize(f[3].text));
    base64::decode(f[3].text, m_decoded.data());
    if (!m_limiter.admit(shard.window, now, qint64(key.size()) + m_decoded.size())) {
        m_counters.recordsThrottled.fetch_add(1, std::memory_order_relaxed);
        return clientError("ProvisionedThroughputExceededException",
                           QStringLiteral("Rate exceeded for shard %1 in stream %2 under account %3.")
                               .arg(shard.shardId(), stream.name(), QLatin1String(kAccountId)));
    }
    const quint64 counter = shard.nextCounter;
    const qint64 arrival = std::max(now, shard.lastArrivalMs);
    if (StreamLog *log = stream.log()) {
        StreamLog::beginRecords(m_logPayload);
        StreamLog::addRecord(m_logPayload, shard.index, counter, arrival, bytes(key), m_decoded);
        StreamLog::finishRecords(m_logPayload, 1);
        if (auto written = log->append(m_logPayload); !written.ok()) {
            qCWarning(lcSandbox).noquote() << written.error().message;
            return internalFailure();
        }
    }
    shard.records.append(counter, arrival, bytes(key), m_decoded);
    shard.nextCounter = counter + 1;
    shard.lastArrivalMs = arrival;
    stream.trimShard(shard, now, retentionMs(), m_options.maxBytesPerShard);
    m_counters.recordsAccepted.fetch_add(1, std::memory_order_relaxed);
    JsonBuilder json;
    json.beginObject();
    json.key("SequenceNumber").string(stream.sequence(shard.index, counter).toBytes());
    json.key("ShardId").string(shard.shardId());
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::putRecords(const simdjson::dom::object &body, qint64 now)
{
    // Validated by hand rather than through RequestValidator::validate, to walk the records
    // once and allocate nothing per record; the checks and messages are the same.
    struct Entry
    {
        FieldValue key;
        FieldValue hashKey;
        FieldValue data;
        bool isNull = false;
        int shardIndex = 0;
        enum { Accepted, Throttled, Failed } outcome = Accepted;
        quint64 counter = 0;
        qint64 arrivalMs = 0;
        qsizetype decodedOffset = 0;
        qsizetype decodedSize = 0;
    };
    simdjson::dom::element recordsElement;
    const bool haveRecords = body.at_key("Records").get(recordsElement) == simdjson::SUCCESS
        && recordsElement.type() != simdjson::dom::element_type::NULL_VALUE;
    simdjson::dom::array records;
    if (haveRecords) {
        const auto type = recordsElement.type();
        if (type == simdjson::dom::element_type::OBJECT)
            return fromError(RequestValidator::serializationError(QStringLiteral("Start of structure or map found where not expected.")));
        if (type != simdjson::dom::element_type::ARRAY)
            return fromError(RequestValidator::serializationError(QStringLiteral("Expected list or null")));
        records = recordsElement.get_array().value_unsafe();
    }
    std::vector<Entry> entries;
    entries.reserve(haveRecords ? records.size() : 0);
    if (haveRecords) {
        for (simdjson::dom::element member : records) {
            Entry &e = entries.emplace_back();
            const auto type = member.type();
            if (type == simdjson::dom::element_type::NULL_VALUE) {
                e.isNull = true;
                continue;
            }
            if (type == simdjson::dom::element_type::ARRAY)
                return fromError(RequestValidator::serializationError(QStringLiteral("Start of list found where not expected")));
            if (type != simdjson::dom::element_type::OBJECT)
                return fromError(RequestValidator::serializationError(QStringLiteral("Expected null")));
            const simdjson::dom::object record = member.get_object().value_unsafe();
            for (const auto &[spec, value] : {std::pair{&kEntryPartitionKey, &e.key}, std::pair{&kEntryHashKey, &e.hashKey},
                                              std::pair{&kEntryData, &e.data}}) {
                simdjson::dom::element field;
                if (record.at_key(spec->name).get(field) != simdjson::SUCCESS)
                    continue;
                if (QString problem = RequestValidator::typeProblem(field, *spec, *value); !problem.isEmpty())
                    return fromError(RequestValidator::serializationError(problem));
            }
        }
    }
    FieldValue names[2];
    for (int i = 0; i < 2; ++i) {
        const Spec &spec = i == 0 ? kStreamName : kStreamArn;
        simdjson::dom::element field;
        if (body.at_key(spec.name).get(field) != simdjson::SUCCESS)
            continue;
        if (QString problem = RequestValidator::typeProblem(field, spec, names[i]); !problem.isEmpty())
            return fromError(RequestValidator::serializationError(problem));
    }

    QStringList errors;
    if (!haveRecords) {
        errors.append(RequestValidator::failure(QStringLiteral("null"), QStringLiteral("records"),
                                                QStringLiteral("Member must not be null")));
    } else {
        const auto listShown = [&] {
            QStringList members;
            for (size_t i = 0; i < entries.size(); ++i)
                members.append(QStringLiteral("com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310"));
            return QStringLiteral("'[%1]'").arg(members.join(QStringLiteral(", ")));
        };
        if (entries.empty())
            errors.append(RequestValidator::failure(listShown(), QStringLiteral("records"),
                                                    QStringLiteral("Member must have length greater than or equal to 1")));
        if (entries.size() > size_t(limits::kMaxRecordsPerRequest))
            errors.append(RequestValidator::failure(listShown(), QStringLiteral("records"),
                                                    QStringLiteral("Member must have length less than or equal to %1")
                                                        .arg(limits::kMaxRecordsPerRequest)));
        for (size_t i = 0; i < entries.size() && errors.size() < RequestValidator::kMaxErrors; ++i) {
            const Entry &e = entries[i];
            const QString path = QStringLiteral("records.%1.member").arg(i + 1);
            if (e.isNull) {
                errors.append(RequestValidator::failure(QStringLiteral("null"), path, QStringLiteral("Member must not be null")));
                continue;
            }
            // Cheap checks first: most records pass, and the path string is built only then.
            const qsizetype keyLength = e.key.present ? RequestValidator::javaLength(e.key.text) : 0;
            const bool keyOk = e.key.present && keyLength >= 1 && keyLength <= limits::kMaxPartitionKeyChars;
            const bool hashOk = !e.hashKey.present || RequestValidator::matches(Pattern::HashKey, e.hashKey.text);
            const bool dataOk = e.data.present && base64::decodedSize(e.data.text) <= kMaxBlobBytes;
            if (keyOk && hashOk && dataOk)
                continue;
            RequestValidator::checkConstraints(e.key, kEntryPartitionKey, path + QStringLiteral(".partitionKey"), errors);
            RequestValidator::checkConstraints(e.hashKey, kEntryHashKey, path + QStringLiteral(".explicitHashKey"), errors);
            RequestValidator::checkConstraints(e.data, kEntryData, path + QStringLiteral(".data"), errors);
        }
    }
    RequestValidator::checkConstraints(names[0], kStreamName, QStringLiteral("streamName"), errors);
    RequestValidator::checkConstraints(names[1], kStreamArn, QStringLiteral("streamARN"), errors);
    if (!errors.isEmpty()) {
        while (errors.size() > RequestValidator::kMaxErrors)
            errors.removeLast();
        return fromError(RequestValidator::validationError(errors));
    }

    auto found = resolveStream(names[0], names[1]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();

    qint64 requestBytes = 0;
    for (Entry &e : entries) {
        e.decodedSize = base64::decodedSize(e.data.text);
        requestBytes += qint64(e.key.text.size()) + e.decodedSize;
        UInt128 hashKey = 0;
        if (e.hashKey.present) {
            auto parsed = parseHashKey(bytes(e.hashKey.text));
            if (!parsed.ok())
                return clientError("InvalidArgumentException",
                                   QStringLiteral("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                                  "[0, 2^128-1]. Specified value was %1")
                                       .arg(text(e.hashKey.text)));
            hashKey = parsed.value();
        } else {
            hashKey = hashPartitionKey(bytes(e.key.text));
        }
        e.shardIndex = stream.shardIndexFor(hashKey);
    }
    if (requestBytes > limits::kMaxRequestBytes)
        return clientError("InvalidArgumentException",
                           QStringLiteral("Records size exceeds %1 MB limit").arg(limits::kMaxRequestBytes / (1024 * 1024)));

    // Decide each record in request order: injected failure, then the shard's write limit.
    // Per-shard counts of this request: sized once per shard count, and only the shards the
    // request touched are reset afterwards, so a request costs O(records), not O(shards).
    if (m_shardAccepted.size() < size_t(stream.shardCount()))
        m_shardAccepted.resize(size_t(stream.shardCount()), 0);
    m_touchedShards.clear();
    m_decoded.resize(0);
    m_decoded.reserve(requestBytes);
    int failed = 0;
    int accepted = 0;
    for (Entry &e : entries) {
        SandboxShard &shard = stream.shard(e.shardIndex);
        if (m_faults.recordFails(m_options.recordFailureRate)) {
            e.outcome = Entry::Failed;
            ++failed;
            continue;
        }
        if (!m_limiter.admit(shard.window, now, qint64(e.key.text.size()) + e.decodedSize)) {
            e.outcome = Entry::Throttled;
            ++failed;
            continue;
        }
        if (m_shardAccepted[size_t(e.shardIndex)] == 0)
            m_touchedShards.push_back(e.shardIndex);
        e.counter = shard.nextCounter + quint64(m_shardAccepted[size_t(e.shardIndex)]++);
        e.arrivalMs = std::max(now, shard.lastArrivalMs);
        e.decodedOffset = m_decoded.size();
        m_decoded.resize(m_decoded.size() + e.decodedSize);
        base64::decode(e.data.text, m_decoded.data() + e.decodedOffset);
        ++accepted;
    }
    const auto dataOf = [&](const Entry &e) { return QByteArrayView(m_decoded.constData() + e.decodedOffset, e.decodedSize); };

    // On disk before the answer: a crash after it loses nothing that was acknowledged.
    if (StreamLog *log = stream.log(); log && accepted > 0) {
        StreamLog::beginRecords(m_logPayload);
        for (const Entry &e : entries)
            if (e.outcome == Entry::Accepted)
                StreamLog::addRecord(m_logPayload, e.shardIndex, e.counter, e.arrivalMs, bytes(e.key.text), dataOf(e));
        StreamLog::finishRecords(m_logPayload, quint32(accepted));
        if (auto written = log->append(m_logPayload); !written.ok()) {
            qCWarning(lcSandbox).noquote() << written.error().message;
            for (int index : m_touchedShards)
                m_shardAccepted[size_t(index)] = 0;
            return internalFailure();
        }
    }

    QByteArray out;
    out.reserve(64 + qsizetype(entries.size()) * 110);
    out.append("{\"FailedRecordCount\":").append(QByteArray::number(failed)).append(",\"Records\":[");
    char sequence[SequenceNumber::kLength];
    char shardId[20];
    bool first = true;
    int throttled = 0;
    for (const Entry &e : entries) {
        SandboxShard &shard = stream.shard(e.shardIndex);
        writeShardId(shardId, e.shardIndex);
        out.append(first ? "{" : ",{");
        first = false;
        switch (e.outcome) {
        case Entry::Accepted:
            shard.records.append(e.counter, e.arrivalMs, bytes(e.key.text), dataOf(e));
            shard.nextCounter = e.counter + 1;
            shard.lastArrivalMs = e.arrivalMs;
            stream.sequence(e.shardIndex, e.counter).write(sequence);
            out.append("\"SequenceNumber\":\"").append(sequence, SequenceNumber::kLength);
            out.append("\",\"ShardId\":\"").append(shardId, 20).append("\"}");
            break;
        case Entry::Throttled:
            ++throttled;
            out.append("\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"Rate exceeded for shard ");
            out.append(shardId, 20).append(" in stream ");
            out.append(stream.name().toUtf8()).append(" under account ").append(kAccountId).append(".\"}");
            break;
        case Entry::Failed:
            out.append("\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"Internal service failure.\"}");
            break;
        }
    }
    out.append("]}");
    for (int index : m_touchedShards) {
        m_shardAccepted[size_t(index)] = 0;
        stream.trimShard(stream.shard(index), now, retentionMs(), m_options.maxBytesPerShard);
    }
    m_counters.recordsAccepted.fetch_add(accepted, std::memory_order_relaxed);
    m_counters.recordsThrottled.fetch_add(throttled, std::memory_order_relaxed);
    m_counters.recordsFailed.fetch_add(failed - throttled, std::memory_order_relaxed);
    return SandboxAnswer::ok(std::move(out));
}

QByteArray SandboxService::makeIterator(const SandboxStream &stream, int shardIndex, quint64 counter, qint64 now) const
{
    return seal("it:" + QByteArray::number(now) + ':' + QByteArray::number(stream.createdMs()) + ':'
                + QByteArray::number(shardIndex) + ':' + QByteArray::number(counter) + ':' + stream.name().toUtf8());
}

SandboxAnswer SandboxService::getShardIterator(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kGetShardIterator);
    if (!fields.ok())
        return fromError(fields.error());
    const auto &f = fields.value();
    auto found = resolveStream(f[3], f[4]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();
    const QString requestedId = text(f[0].text);
    SandboxShard *shard = stream.findShard(bytes(f[0].text));
    if (!shard)
        return clientError("ResourceNotFoundException", shardMissing(requestedId, stream.name()));
    stream.trimShard(*shard, now, retentionMs(), m_options.maxBytesPerShard);
    const std::string_view type = f[1].text;
    const bool bySequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
    const QString typeName = text(type);
    const QString usage = QStringLiteral("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                                         "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                                         "StartingSequenceNumber. Request specified %1 and %2.");
    if (f[2].present && !bySequence)
        return clientError("InvalidArgumentException", usage.arg(typeName, QStringLiteral("also a StartingSequenceNumber")));
    if (!f[2].present && bySequence)
        return clientError("InvalidArgumentException", usage.arg(typeName, QStringLiteral("no StartingSequenceNumber")));

    quint64 position = 0;
    if (bySequence) {
        const auto sequence = SequenceNumber::parse(bytes(f[2].text));
        const QString given = text(f[2].text);
        if (!sequence)
            return clientError("InvalidArgumentException",
                               QStringLiteral("StartingSequenceNumber %1 used in GetShardIterator on shard %2 in stream %3 "
                                              "under account %4 is invalid.")
                                   .arg(given, shard->shardId(), stream.name(), QLatin1String(kAccountId)));
        if (sequence->shardIndex != shard->index)
            return clientError("InvalidArgumentException",
                               QStringLiteral("Invalid StartingSequenceNumber. It encodes %1, while it was used in a call "
                                              "to a shard with %2")
                                   .arg(ShardMap::shardIdForIndex(sequence->shardIndex), shard->shardId()));
        if (sequence->streamEpoch != stream.createdMs())
            return clientError("InvalidArgumentException",
                               QStringLiteral("StartingSequenceNumber %1 used in GetShardIterator on shard %2 in stream %3 "
                                              "under account %4 is invalid because it did not come from this stream.")
                                   .arg(given, shard->shardId(), stream.name(), QLatin1String(kAccountId)));
        position = sequence->counter + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
    } else if (type == "TRIM_HORIZON") {
        position = shard->records.isEmpty() ? shard->nextCounter : shard->records.entry(0).counter;
    } else if (type == "LATEST") {
        position = shard->nextCounter;
    } else { // AT_TIMESTAMP
        if (!f[5].present)
            return clientError("InvalidArgumentException",
                               QStringLiteral("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                              "Current request has no timestamp parameter."));
        // Compared before any conversion: 1e300 seconds does not fit a qint64 of milliseconds.
        const double requestedMs = f[5].number * 1000.0;
        if (!(requestedMs <= double(now)))
            return clientError("InvalidArgumentException",
                               QStringLiteral("The timestampInMillis parameter cannot be greater than the "
                                              "currentTimestampInMillis. timestampInMillis: %1, currentTimestampInMillis: %2")
                                   .arg(jsonNumberText(requestedMs))
                                   .arg(now));
        const qint64 atMs = millisFromSeconds(f[5].number);
        const qsizetype index = shard->records.lowerBoundTime(atMs);
        position = index < shard->records.size() ? shard->records.entry(index).counter : shard->nextCounter;
    }
    JsonBuilder json;
    json.beginObject().key("ShardIterator").string(makeIterator(stream, shard->index, position, now)).endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer SandboxService::getRecords(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kGetRecords);
    if (!fields.ok())
        return fromError(fields.error());
    const auto parts = unseal(bytes(fields.value()[1].text), 6);
    if (!parts || parts->at(0) != "it")
        return clientError("InvalidArgumentException", QStringLiteral("Invalid ShardIterator."));
    const qint64 issuedMs = parts->at(1).toLongLong();
    const qint64 epoch = parts->at(2).toLongLong();
    const int shardIndex = parts->at(3).toInt();
    const quint64 position = parts->at(4).toULongLong();
    const QString streamName = QString::fromUtf8(parts->at(5));
    if (now - issuedMs > kIteratorLifetimeMs)
        return clientError("ExpiredIteratorException",
                           QStringLiteral("Iterator expired. The iterator was created at time %1 while right now it is %2 "
                                          "which is further in the future than the tolerated delay of %3 milliseconds.")
                               .arg(amzUtcString(issuedMs), amzUtcString(now))
                               .arg(kIteratorLifetimeMs));
    const auto it = m_streams.find(parts->at(5).toStdString());
    const QString shardId = ShardMap::shardIdForIndex(shardIndex);
    if (it == m_streams.end() || it->second->createdMs() != epoch || shardIndex < 0
        || shardIndex >= it->second->shardCount() || it->second->shard(shardIndex).expired)
        return clientError("ResourceNotFoundException", shardMissing(shardId, streamName));
    SandboxStream &stream = *it->second;
    SandboxShard &shard = stream.shard(shardIndex);
    if (!m_limiter.admitRead(shard.readWindow, now)) {
        m_counters.readsThrottled.fetch_add(1, std::memory_order_relaxed);
        return clientError("ProvisionedThroughputExceededException",
                           QStringLiteral("Rate exceeded for shard %1 in stream %2 under account %3.")
                               .arg(shardId, streamName, QLatin1String(kAccountId)));
    }
    stream.trimShard(shard, now, retentionMs(), m_options.maxBytesPerShard);

    const int limit = fields.value()[0].present ? int(fields.value()[0].integer) : 10000;
    const ShardStore &records = shard.records;
    qsizetype index = records.lowerBoundCounter(position);
    const qsizetype first = index;
    qint64 total = 0;
    JsonBuilder json(4096);
    json.beginObject();
    json.key("Records").beginArray();
    char sequence[SequenceNumber::kLength];
    for (; index < records.size() && index - first < limit; ++index) {
        const ShardStore::Entry &e = records.entry(index);
        if (index > first && total + e.dataLength + e.keyLength > kMaxGetRecordsBytes)
            break;
        total += e.dataLength + e.keyLength;
        stream.sequence(shardIndex, e.counter).write(sequence);
        json.beginObject();
        json.key("ApproximateArrivalTimestamp").timestamp(e.arrivalMs);
        json.key("Data").base64(records.data(index));
        json.key("PartitionKey").string(records.key(index));
        json.key("SequenceNumber").string(QByteArrayView(sequence, SequenceNumber::kLength));
        json.endObject();
    }
    json.endArray();
    m_limiter.tookRead(shard.readWindow, total);
    const quint64 next = index > first ? records.entry(index - 1).counter + 1 : std::max(position, records.isEmpty() ? position : records.entry(0).counter);
    const bool behind = index < records.size();
    json.key("MillisBehindLatest").number(behind ? std::max<qint64>(0, now - records.entry(index).arrivalMs) : 0);
    if (!shard.isOpen() && next >= shard.nextCounter) {
        // The end of a closed shard: no next iterator, but the children to read on with.
        json.key("ChildShards").beginArray();
        for (int i = 0; i < stream.shardCount(); ++i) {
            const SandboxShard &child = stream.shard(i);
            if (child.expired || (child.parentIndex != shardIndex && child.adjacentParentIndex != shardIndex))
                continue;
            json.beginObject();
            json.key("HashKeyRange").beginObject();
            json.key("EndingHashKey").string(hashKeyToString(child.endingHashKey));
            json.key("StartingHashKey").string(hashKeyToString(child.startingHashKey));
            json.endObject();
            json.key("ParentShards").beginArray();
            json.string(ShardMap::shardIdForIndex(child.parentIndex));
            if (child.adjacentParentIndex >= 0)
                json.string(ShardMap::shardIdForIndex(child.adjacentParentIndex));
            json.endArray();
            json.key("ShardId").string(child.shardId());
            json.endObject();
        }
        json.endArray();
    } else {
        json.key("NextShardIterator").string(makeIterator(stream, shardIndex, next, now));
    }
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

} // namespace kwb::sandbox
