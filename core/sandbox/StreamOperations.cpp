#include "sandbox/StreamOperations.h"

#include "HashKey.h"
#include "Logging.h"
#include "ShardMap.h"
#include "sandbox/JsonBuilder.h"
#include "sandbox/RequestValidator.h"
#include "sandbox/SandboxContext.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/StreamLog.h"

#include <simdjson.h>

#include <algorithm>

namespace kwb::sandbox {

namespace {

using namespace reply;
using namespace spec;

constexpr int kOnDemandShards = 4;

// The members of each operation, in the order the service checks them (its model's order, as
// kinesalite recorded it), plus StreamARN wherever a stream is named. Read by name (Fields).
constexpr const char *kStreamModes[] = {"PROVISIONED", "ON_DEMAND"};
constexpr Spec kStreamModeDetails[] = {{.name = "StreamMode", .notNull = true, .enumValues = kStreamModes}};
constexpr Spec kCreateStream[] = {
    {.name = "ShardCount", .type = Type::Integer, .minValue = 1, .maxValue = 100000},
    {.name = "StreamModeDetails", .type = Type::Structure, .children = kStreamModeDetails},
    {.name = "StreamName", .notNull = true, .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
};
constexpr Spec kDeleteStream[] = {kStreamNameSpec, kStreamArnSpec, {.name = "EnforceConsumerDeletion", .type = Type::Boolean}};
constexpr Spec kListStreams[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ExclusiveStartStreamName", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
    {.name = "NextToken", .minLength = 1, .maxLength = 1048576},
};
constexpr Spec kDescribeStream[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ExclusiveStartShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
    kStreamNameSpec,
    kStreamArnSpec,
};
constexpr Spec kDescribeStreamSummary[] = {kStreamNameSpec, kStreamArnSpec};
constexpr const char *kShardFilterTypes[] = {"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON",
                                              "AT_LATEST",      "AT_TIMESTAMP",    "FROM_TIMESTAMP"};
constexpr Spec kShardFilter[] = {
    {.name = "Type", .notNull = true, .enumValues = kShardFilterTypes},
    {.name = "ShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
    {.name = "Timestamp", .type = Type::Timestamp},
};
constexpr Spec kListShards[] = {
    {.name = "ExclusiveStartShardId", .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
    {.name = "MaxResults", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "NextToken", .minLength = 1, .maxLength = 1048576},
    {.name = "ShardFilter", .type = Type::Structure, .children = kShardFilter},
    {.name = "StreamCreationTimestamp", .type = Type::Timestamp},
    kStreamNameSpec,
    kStreamArnSpec,
};
constexpr const char *kScalingTypes[] = {"UNIFORM_SCALING"};
constexpr Spec kUpdateShardCount[] = {
    {.name = "ScalingType", .notNull = true, .enumValues = kScalingTypes},
    kStreamNameSpec,
    kStreamArnSpec,
    {.name = "TargetShardCount", .type = Type::Integer, .notNull = true, .minValue = 1, .maxValue = 100000},
};

void writeStreamModeDetails(JsonBuilder &json, const SandboxStream &stream)
{
    json.key("StreamModeDetails").beginObject().key("StreamMode").string(stream.isOnDemand() ? "ON_DEMAND" : "PROVISIONED").endObject();
}

/// The members DescribeStream and DescribeStreamSummary share after their own (keys sorted, as AWS).
void writeStreamFacts(JsonBuilder &json, const SandboxStream &stream, const SandboxContext &context)
{
    json.key("RetentionPeriodHours").number(context.options.retentionHours);
    json.key("StreamARN").string(context.streamArn(stream.name()));
    json.key("StreamCreationTimestamp").timestamp(stream.createdMs());
    writeStreamModeDetails(json, stream);
    json.key("StreamName").string(stream.name());
    json.key("StreamStatus").string("ACTIVE");
}

void writeNoEncryptionNoMonitoring(JsonBuilder &json)
{
    json.key("EncryptionType").string("NONE");
    json.key("EnhancedMonitoring").beginArray().beginObject().key("ShardLevelMetrics").beginArray().endArray().endObject().endArray();
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

/// The last shard whose id sorts at or before `id` (ids sort like their numbers), -1 for none.
int lastShardAtOrBefore(const SandboxStream &stream, const QString &id)
{
    for (int i = stream.shardCount() - 1; i >= 0; --i)
        if (stream.shard(i).shardId() <= id)
            return i;
    return -1;
}

QByteArray makeShardsToken(const SandboxStream &stream, int afterIndex, const QByteArray &filter, qint64 filterMs)
{
    return seal("lsh:" + QByteArray::number(stream.createdMs()) + ':' + QByteArray::number(afterIndex) + ':' + filter
                + ':' + QByteArray::number(filterMs) + ':' + stream.name().toUtf8());
}

} // namespace

SandboxAnswer StreamOperations::createStream(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kCreateStream);
    if (!fields.ok())
        return fromError(fields.error());
    const Fields &f = fields.value();
    const FieldValue &shardCount = f["ShardCount"];
    const Fields modeDetails = f.structure("StreamModeDetails");
    const FieldValue &mode = modeDetails["StreamMode"];
    const bool onDemand = mode.present && mode.text == "ON_DEMAND";
    if (!onDemand && !shardCount.present)
        return fromError(RequestValidator::validationError(
            {RequestValidator::failure(QStringLiteral("null"), QStringLiteral("shardCount"),
                                       QStringLiteral("Member must not be null"))}));
    const int shards = onDemand ? kOnDemandShards : int(shardCount.integer);
    if (auto created = m_context.createStreamNamed(text(f["StreamName"].text), shards, onDemand, now); !created.ok())
        return fromError(created.error());
    return SandboxAnswer::ok({});
}

SandboxAnswer StreamOperations::deleteStream(const simdjson::dom::object &body)
{
    auto request = m_context.streamRequest(body, kDeleteStream);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    if (m_context.persistence) {
        if (auto removed = m_context.persistence->deleteStream(stream); !removed.ok()) {
            qCWarning(lcSandbox).noquote() << removed.error().message;
            return internalFailure(removed.error().message);
        }
    }
    m_context.streams.erase(stream.name().toStdString());
    return SandboxAnswer::ok({});
}

SandboxAnswer StreamOperations::listStreams(const simdjson::dom::object &body)
{
    auto fields = RequestValidator::validate(body, kListStreams);
    if (!fields.ok())
        return fromError(fields.error());
    const FieldValue &limitField = fields.value()["Limit"];
    const FieldValue &exclusiveStart = fields.value()["ExclusiveStartStreamName"];
    const FieldValue &nextToken = fields.value()["NextToken"];
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
    const auto &streams = m_context.streams;
    auto it = (nextToken.present || exclusiveStart.present) ? streams.upper_bound(after) : streams.begin();
    std::vector<const SandboxStream *> page;
    for (; it != streams.end() && int(page.size()) < limit; ++it)
        page.push_back(it->second.get());
    const bool more = it != streams.end();
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
        json.key("StreamARN").string(m_context.streamArn(s->name()));
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

SandboxAnswer StreamOperations::describeStream(const simdjson::dom::object &body, qint64 now)
{
    auto request = m_context.streamRequest(body, kDescribeStream);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    const Fields &f = request.value().fields;
    m_context.trim(stream, now);
    const int limit = f["Limit"].present ? int(f["Limit"].integer) : 100;
    const QByteArray exclusiveStart = f["ExclusiveStartShardId"].present ? bytes(f["ExclusiveStartShardId"].text).toByteArray() : QByteArray();
    JsonBuilder json(1024);
    json.beginObject().key("StreamDescription").beginObject();
    writeNoEncryptionNoMonitoring(json);
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
    writeStreamFacts(json, stream, m_context);
    json.endObject().endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer StreamOperations::describeStreamSummary(const simdjson::dom::object &body, qint64 now)
{
    auto request = m_context.streamRequest(body, kDescribeStreamSummary);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    m_context.trim(stream, now);
    JsonBuilder json(512);
    json.beginObject().key("StreamDescriptionSummary").beginObject();
    json.key("ConsumerCount").number(0);
    writeNoEncryptionNoMonitoring(json);
    json.key("MaxRecordSizeInKiB").number(kMaxBlobBytes / 1024);
    json.key("OpenShardCount").number(stream.openShardCount());
    writeStreamFacts(json, stream, m_context);
    json.endObject().endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer StreamOperations::listShards(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kListShards);
    if (!fields.ok())
        return fromError(fields.error());
    const Fields &f = fields.value();
    const FieldValue &exclusiveStart = f["ExclusiveStartShardId"];
    const FieldValue &maxResults = f["MaxResults"];
    const FieldValue &nextToken = f["NextToken"];
    const FieldValue &shardFilter = f["ShardFilter"];
    const FieldValue &streamName = f["StreamName"];
    const FieldValue &streamArnField = f["StreamARN"];
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
        const auto it = m_context.streams.find(parts->at(5).toStdString());
        if (it == m_context.streams.end() || it->second->createdMs() != parts->at(1).toLongLong())
            return clientError("ResourceNotFoundException", streamNotFound(QString::fromUtf8(parts->at(5))));
        stream = it->second.get();
        afterIndex = parts->at(2).toInt();
        filter = parts->at(3);
        filterMs = parts->at(4).toLongLong();
    } else {
        auto found = m_context.resolveStream(streamName, streamArnField);
        if (!found.ok())
            return fromError(found.error());
        stream = found.value();
        // An id that is not one of ours starts after nothing.
        if (exclusiveStart.present)
            afterIndex = lastShardAtOrBefore(*stream, text(exclusiveStart.text));
        if (shardFilter.present) {
            const Fields filterFields = f.structure("ShardFilter");
            filter = bytes(filterFields["Type"].text).toByteArray();
            const FieldValue &filterShard = filterFields["ShardId"];
            const FieldValue &filterTime = filterFields["Timestamp"];
            if (filter == "AFTER_SHARD_ID") {
                if (!filterShard.present)
                    return clientError("InvalidArgumentException",
                                       QStringLiteral("ShardId must be specified for ShardFilter type AFTER_SHARD_ID."));
                afterIndex = std::max(afterIndex, lastShardAtOrBefore(*stream, text(filterShard.text)));
            } else if (filter == "AT_TIMESTAMP" || filter == "FROM_TIMESTAMP") {
                if (!filterTime.present)
                    return clientError("InvalidArgumentException",
                                       QStringLiteral("Timestamp must be specified for ShardFilter type %1.")
                                           .arg(QString::fromLatin1(filter)));
                filterMs = millisFromSeconds(filterTime.number);
            } else if (filter == "AT_TRIM_HORIZON" || filter == "FROM_TRIM_HORIZON") {
                filterMs = now - m_context.retentionMs();
            }
        }
    }
    m_context.trim(*stream, now);
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

SandboxAnswer StreamOperations::updateShardCount(const simdjson::dom::object &body, qint64 now)
{
    auto request = m_context.streamRequest(body, kUpdateShardCount);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    const int current = stream.openShardCount();
    const int target = int(request.value().fields["TargetShardCount"].integer);
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
    const SandboxOptions &options = m_context.options;
    if (m_context.openShardTotal() - current + target > options.shardLimit)
        return clientError("LimitExceededException",
                           QStringLiteral("This request would exceed the shard limit for the account %1 in %2. "
                                          "Current shard count for the account: %3. Limit: %4.")
                               .arg(QLatin1String(kSandboxAccountId), options.region)
                               .arg(m_context.openShardTotal())
                               .arg(options.shardLimit));
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
    json.key("StreamARN").string(m_context.streamArn(stream.name()));
    json.key("StreamName").string(stream.name());
    json.key("TargetShardCount").number(target);
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

} // namespace kwb::sandbox
