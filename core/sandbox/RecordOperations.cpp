#include "sandbox/RecordOperations.h"

#include "HashKey.h"
#include "Logging.h"
#include "ShardMap.h"
#include "sandbox/JsonBuilder.h"
#include "sandbox/RequestValidator.h"
#include "sandbox/SandboxBase64.h"
#include "sandbox/SandboxContext.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/SequenceNumber.h"
#include "sandbox/StreamLog.h"

#include <QDateTime>
#include <QLocale>

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kwb::sandbox {

namespace {

using namespace reply;
using namespace spec;

constexpr qint64 kMaxGetRecordsBytes = 10 * 1024 * 1024;

// The members of each operation, in the order the service checks them (its model's order, as
// kinesalite recorded it), plus StreamARN wherever a stream is named. Read by name (Fields).
constexpr Spec kPutRecord[] = {
    {.name = "SequenceNumberForOrdering", .pattern = Pattern::SequenceNumber},
    {.name = "PartitionKey", .notNull = true, .minLength = 1, .maxLength = limits::kMaxPartitionKeyChars},
    {.name = "ExplicitHashKey", .pattern = Pattern::HashKey},
    {.name = "Data", .type = Type::Blob, .notNull = true, .maxLength = int(kMaxBlobBytes)},
    kStreamNameSpec,
    kStreamArnSpec,
};
// One PutRecords entry.
constexpr Spec kEntryPartitionKey{.name = "PartitionKey", .notNull = true, .minLength = 1,
                                  .maxLength = limits::kMaxPartitionKeyChars};
constexpr Spec kEntryHashKey{.name = "ExplicitHashKey", .pattern = Pattern::HashKey};
constexpr Spec kEntryData{.name = "Data", .type = Type::Blob, .notNull = true, .maxLength = int(kMaxBlobBytes)};
constexpr const char *kIteratorTypes[] = {"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER",
                                          "TRIM_HORIZON"};
constexpr Spec kGetShardIterator[] = {
    {.name = "ShardId", .notNull = true, .pattern = Pattern::Name, .minLength = 1, .maxLength = kMaxStreamNameLength},
    {.name = "ShardIteratorType", .notNull = true, .enumValues = kIteratorTypes},
    {.name = "StartingSequenceNumber", .pattern = Pattern::SequenceNumber},
    kStreamNameSpec,
    kStreamArnSpec,
    {.name = "Timestamp", .type = Type::Timestamp},
};
constexpr Spec kGetRecords[] = {
    {.name = "Limit", .type = Type::Integer, .minValue = 1, .maxValue = 10000},
    {.name = "ShardIterator", .notNull = true, .minLength = 1, .maxLength = 512},
    kStreamArnSpec,
};

/// A number the way the service's JavaScript peers print it: integers in full below 1e21,
/// the shortest exponent form beyond (1e+303).
QString jsonNumberText(double value)
{
    if (std::abs(value) < 1e21)
        return QString::number(value, 'f', QLocale::FloatingPointShortest);
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
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

/// "Thu Jan 22 01:22:02 UTC 2015", as the service prints times in iterator messages.
QString amzUtcString(qint64 ms)
{
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), QStringLiteral("ddd MMM dd HH:mm:ss 'UTC' yyyy"));
}

QByteArray makeIterator(const SandboxStream &stream, int shardIndex, quint64 counter, qint64 now)
{
    return seal("it:" + QByteArray::number(now) + ':' + QByteArray::number(stream.createdMs()) + ':'
                + QByteArray::number(shardIndex) + ':' + QByteArray::number(counter) + ':' + stream.name().toUtf8());
}

/// The hash key that routes a record: its ExplicitHashKey, else the MD5 of its partition key.
Result<UInt128> routingKey(const FieldValue &explicitHashKey, std::string_view partitionKey)
{
    if (!explicitHashKey.present)
        return hashPartitionKey(bytes(partitionKey));
    auto parsed = parseHashKey(bytes(explicitHashKey.text));
    if (!parsed.ok())
        return Error::input(QStringLiteral("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                           "[0, 2^128-1]. Specified value was %1")
                                .arg(text(explicitHashKey.text)),
                            QStringLiteral("InvalidArgumentException"));
    return parsed.value();
}

} // namespace

RecordOperations::RecordOperations(SandboxContext &context)
    : m_context(context)
{
}

SandboxAnswer RecordOperations::putRecord(const simdjson::dom::object &body, qint64 now)
{
    auto request = m_context.streamRequest(body, kPutRecord);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    const Fields &f = request.value().fields;
    const std::string_view key = f["PartitionKey"].text;
    const auto hashKey = routingKey(f["ExplicitHashKey"], key);
    if (!hashKey.ok())
        return fromError(hashKey.error());
    SandboxShard &shard = stream.shard(stream.shardIndexFor(hashKey.value()));
    // The one record of a PutRecord failing is the whole request failing.
    if (m_context.faults.recordFails(m_context.options.recordFailureRate)) {
        m_context.counters.recordsFailed.fetch_add(1, std::memory_order_relaxed);
        return internalFailure();
    }
    const std::string_view data = f["Data"].text;
    m_decoded.resize(base64::decodedSize(data));
    base64::decode(data, m_decoded.data());
    if (!m_context.limiter.admit(shard.writeWindow(), now, qint64(key.size()) + m_decoded.size())) {
        m_context.counters.recordsThrottled.fetch_add(1, std::memory_order_relaxed);
        return clientError("ProvisionedThroughputExceededException", rateExceeded(shard.shardId(), stream.name()));
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
    m_context.trim(stream, shard, now);
    m_context.counters.recordsAccepted.fetch_add(1, std::memory_order_relaxed);
    JsonBuilder json;
    json.beginObject();
    json.key("SequenceNumber").string(stream.sequence(shard.index, counter).toBytes());
    json.key("ShardId").string(shard.shardId());
    json.endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer RecordOperations::putRecords(const simdjson::dom::object &body, qint64 now)
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
        const Spec &spec = i == 0 ? kStreamNameSpec : kStreamArnSpec;
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
    RequestValidator::checkConstraints(names[0], kStreamNameSpec, QStringLiteral("streamName"), errors);
    RequestValidator::checkConstraints(names[1], kStreamArnSpec, QStringLiteral("streamARN"), errors);
    if (!errors.isEmpty()) {
        while (errors.size() > RequestValidator::kMaxErrors)
            errors.removeLast();
        return fromError(RequestValidator::validationError(errors));
    }

    auto found = m_context.resolveStream(names[0], names[1]);
    if (!found.ok())
        return fromError(found.error());
    SandboxStream &stream = *found.value();

    qint64 requestBytes = 0;
    for (Entry &e : entries) {
        e.decodedSize = base64::decodedSize(e.data.text);
        requestBytes += qint64(e.key.text.size()) + e.decodedSize;
        const auto hashKey = routingKey(e.hashKey, e.key.text);
        if (!hashKey.ok())
            return fromError(hashKey.error());
        e.shardIndex = stream.shardIndexFor(hashKey.value());
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
        if (m_context.faults.recordFails(m_context.options.recordFailureRate)) {
            e.outcome = Entry::Failed;
            ++failed;
            continue;
        }
        if (!m_context.limiter.admit(shard.writeWindow(), now, qint64(e.key.text.size()) + e.decodedSize)) {
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
            out.append(stream.name().toUtf8()).append(" under account ").append(kSandboxAccountId).append(".\"}");
            break;
        case Entry::Failed:
            out.append("\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"Internal service failure.\"}");
            break;
        }
    }
    out.append("]}");
    for (int index : m_touchedShards) {
        m_shardAccepted[size_t(index)] = 0;
        m_context.trim(stream, stream.shard(index), now);
    }
    m_context.counters.recordsAccepted.fetch_add(accepted, std::memory_order_relaxed);
    m_context.counters.recordsThrottled.fetch_add(throttled, std::memory_order_relaxed);
    m_context.counters.recordsFailed.fetch_add(failed - throttled, std::memory_order_relaxed);
    return SandboxAnswer::ok(std::move(out));
}

SandboxAnswer RecordOperations::getShardIterator(const simdjson::dom::object &body, qint64 now)
{
    auto request = m_context.streamRequest(body, kGetShardIterator);
    if (!request.ok())
        return fromError(request.error());
    SandboxStream &stream = *request.value().stream;
    const Fields &f = request.value().fields;
    const FieldValue &shardId = f["ShardId"];
    const FieldValue &startingSequence = f["StartingSequenceNumber"];
    const FieldValue &timestamp = f["Timestamp"];
    SandboxShard *shard = stream.findShard(bytes(shardId.text));
    if (!shard)
        return clientError("ResourceNotFoundException", shardMissing(text(shardId.text), stream.name()));
    m_context.trim(stream, *shard, now);
    const std::string_view type = f["ShardIteratorType"].text;
    const bool bySequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
    const QString typeName = text(type);
    const QString usage = QStringLiteral("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                                         "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                                         "StartingSequenceNumber. Request specified %1 and %2.");
    if (startingSequence.present && !bySequence)
        return clientError("InvalidArgumentException", usage.arg(typeName, QStringLiteral("also a StartingSequenceNumber")));
    if (!startingSequence.present && bySequence)
        return clientError("InvalidArgumentException", usage.arg(typeName, QStringLiteral("no StartingSequenceNumber")));

    quint64 position = 0;
    if (bySequence) {
        const auto sequence = SequenceNumber::parse(bytes(startingSequence.text));
        const QString given = text(startingSequence.text);
        if (!sequence)
            return clientError("InvalidArgumentException",
                               QStringLiteral("StartingSequenceNumber %1 used in GetShardIterator on shard %2 in stream %3 "
                                              "under account %4 is invalid.")
                                   .arg(given, shard->shardId(), stream.name(), QLatin1String(kSandboxAccountId)));
        if (sequence->shardIndex != shard->index)
            return clientError("InvalidArgumentException",
                               QStringLiteral("Invalid StartingSequenceNumber. It encodes %1, while it was used in a call "
                                              "to a shard with %2")
                                   .arg(ShardMap::shardIdForIndex(sequence->shardIndex), shard->shardId()));
        if (sequence->streamEpoch != stream.createdMs())
            return clientError("InvalidArgumentException",
                               QStringLiteral("StartingSequenceNumber %1 used in GetShardIterator on shard %2 in stream %3 "
                                              "under account %4 is invalid because it did not come from this stream.")
                                   .arg(given, shard->shardId(), stream.name(), QLatin1String(kSandboxAccountId)));
        position = sequence->counter + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
    } else if (type == "TRIM_HORIZON") {
        position = shard->records.isEmpty() ? shard->nextCounter : shard->records.entry(0).counter;
    } else if (type == "LATEST") {
        position = shard->nextCounter;
    } else { // AT_TIMESTAMP
        if (!timestamp.present)
            return clientError("InvalidArgumentException",
                               QStringLiteral("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                              "Current request has no timestamp parameter."));
        // Compared before any conversion: 1e300 seconds does not fit a qint64 of milliseconds.
        const double requestedMs = timestamp.number * 1000.0;
        if (!(requestedMs <= double(now)))
            return clientError("InvalidArgumentException",
                               QStringLiteral("The timestampInMillis parameter cannot be greater than the "
                                              "currentTimestampInMillis. timestampInMillis: %1, currentTimestampInMillis: %2")
                                   .arg(jsonNumberText(requestedMs))
                                   .arg(now));
        const qint64 atMs = millisFromSeconds(timestamp.number);
        const qsizetype index = shard->records.lowerBoundTime(atMs);
        position = index < shard->records.size() ? shard->records.entry(index).counter : shard->nextCounter;
    }
    JsonBuilder json;
    json.beginObject().key("ShardIterator").string(makeIterator(stream, shard->index, position, now)).endObject();
    return SandboxAnswer::ok(json.take());
}

SandboxAnswer RecordOperations::getRecords(const simdjson::dom::object &body, qint64 now)
{
    auto fields = RequestValidator::validate(body, kGetRecords);
    if (!fields.ok())
        return fromError(fields.error());
    const auto parts = unseal(bytes(fields.value()["ShardIterator"].text), 6);
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
    const auto it = m_context.streams.find(parts->at(5).toStdString());
    const QString shardId = ShardMap::shardIdForIndex(shardIndex);
    if (it == m_context.streams.end() || it->second->createdMs() != epoch || shardIndex < 0
        || shardIndex >= it->second->shardCount() || it->second->shard(shardIndex).expired)
        return clientError("ResourceNotFoundException", shardMissing(shardId, streamName));
    SandboxStream &stream = *it->second;
    SandboxShard &shard = stream.shard(shardIndex);
    if (!m_context.limiter.admitRead(shard.readWindow(), now)) {
        m_context.counters.readsThrottled.fetch_add(1, std::memory_order_relaxed);
        return clientError("ProvisionedThroughputExceededException", rateExceeded(shardId, streamName));
    }
    m_context.trim(stream, shard, now);

    const FieldValue &limitField = fields.value()["Limit"];
    const int limit = limitField.present ? int(limitField.integer) : 10000;
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
    m_context.limiter.tookRead(shard.readWindow(), total);
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
