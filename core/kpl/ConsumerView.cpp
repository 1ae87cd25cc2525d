#include "kpl/ConsumerView.h"

#include "HashKey.h"
#include "JsonEscape.h"
#include "kpl/KplFormat.h"

#include <QStringList>

#include <cstring>

namespace kwb::kpl::consumer {

namespace {

void appendString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    appendJsonEscaped(out, utf8);
    out.append('"');
}

void appendField(QByteArray &out, const char *indent, const char *name, QByteArrayView utf8, bool last = false)
{
    out.append(indent).append('"').append(name).append("\": ");
    appendString(out, utf8);
    out.append(last ? "\n" : ",\n");
}

void appendRaw(QByteArray &out, const char *indent, const char *name, QByteArrayView raw, bool last = false)
{
    out.append(indent).append('"').append(name).append("\": ").append(raw).append(last ? "\n" : ",\n");
}

QByteArray sequenceOf(const KinesisRecordFacts &record)
{
    return record.sequenceNumber.isEmpty() ? QByteArray(kNotSentYet) : record.sequenceNumber.toUtf8();
}

/// One record of the KCL's list.
void appendKclRecord(QByteArray &out, const KinesisRecordFacts &record, int subSequence, QByteArrayView key,
                     QByteArrayView hashKey, bool hasHashKey, bool aggregated, QByteArrayView data, bool last)
{
    const char *in = "    ";
    out.append("  {\n");
    appendField(out, in, "sequenceNumber", sequenceOf(record));
    appendRaw(out, in, "subSequenceNumber", QByteArray::number(subSequence));
    appendField(out, in, "partitionKey", key);
    if (hasHashKey)
        appendField(out, in, "explicitHashKey", hashKey);
    appendRaw(out, in, "aggregated", aggregated ? "true" : "false");
    // null for a record not sent yet: it has no arrival time, and 0 would read as 1970.
    appendRaw(out, in, "approximateArrivalTimestamp", record.arrivalMs > 0 ? QByteArray::number(record.arrivalMs) : QByteArray("null"));
    appendField(out, in, "data", data.toByteArray().toBase64(), true);
    out.append(last ? "  }\n" : "  },\n");
}

KinesisRecordFacts plainRowFacts(const RecordStore &store, int row)
{
    KinesisRecordFacts facts;
    facts.data = store.data(row).toByteArray();
    facts.partitionKey = store.partitionKey(row);
    if (store.hasExplicitHashKey(row))
        facts.explicitHashKey = hashKeyToString(store.explicitHashKey(row));
    return facts;
}

} // namespace

KinesisRecordFacts packedRecordOf(const RecordStore &store, int row, const ShardMap &map, bool aggregate,
                                  const AggregatorOptions &options)
{
    if (!aggregate || map.isEmpty())
        return plainRowFacts(store, row);
    // Only the rows of the same predicted shard share Kinesis records with it.
    const int shard = map.openIndexFor(store.hashKey(row));
    std::vector<int> rows;
    for (int r = 0; r < store.size(); ++r) {
        if (map.openIndexFor(store.hashKey(r)) == shard)
            rows.push_back(r);
    }
    auto packed = Aggregator::pack(store, rows, map, options);
    if (!packed.ok())
        return plainRowFacts(store, row);
    const Aggregation &a = packed.value();
    for (int k = 0; k < a.kinesisRecordCount(); ++k) {
        for (int i = 0; i < a.memberCount(k); ++i) {
            if (a.member(k, i) != row)
                continue;
            KinesisRecordFacts facts = plainRowFacts(a.records, k);
            return facts;
        }
    }
    return plainRowFacts(store, row);
}

KinesisRecordFacts sentRecordOf(const RecordStore &store, const std::vector<int> &members, bool aggregated)
{
    if (!aggregated && members.size() == 1)
        return plainRowFacts(store, members.front());
    KinesisRecordFacts facts;
    facts.data = Aggregator::encode(store, members);
    const int first = members.front();
    facts.partitionKey = store.partitionKey(first);
    facts.explicitHashKey = hashKeyToString(store.hashKey(first));
    return facts;
}

QString framing(QByteArrayView data)
{
    const RecordInspection inspection = RecordInspection::inspect(data);
    if (inspection.kind == RecordInspection::Kind::Plain)
        return QStringLiteral("Plain record: %1 bytes, no KPL magic (F3 89 9A C2) at its start, so consumers take it as it is.")
            .arg(data.size());
    QStringList lines;
    lines << QStringLiteral("KPL aggregated record, %1 bytes:").arg(data.size());
    lines << QStringLiteral("  bytes 0..3     magic F3 89 9A C2");
    if (data.size() < format::kOverheadBytes) {
        lines << QStringLiteral("  (too short to hold the 16-byte MD5)");
    } else {
        const qsizetype protoEnd = data.size() - format::kDigestBytes;
        lines << QStringLiteral("  bytes 4..%1  protobuf AggregatedRecord (%2 bytes)").arg(protoEnd - 1).arg(protoEnd - 4);
        Md5Digest stored;
        std::memcpy(stored.data(), data.data() + protoEnd, format::kDigestBytes);
        const Md5Digest computed = md5(data.sliced(4, protoEnd - 4));
        lines << QStringLiteral("  bytes %1..%2  MD5 %3 (computed %4: %5)")
                     .arg(protoEnd)
                     .arg(data.size() - 1)
                     .arg(QLatin1String(digestToHex(stored)), QLatin1String(digestToHex(computed)),
                          stored == computed ? QStringLiteral("matches") : QStringLiteral("DOES NOT MATCH"));
    }
    if (inspection.kind == RecordInspection::Kind::Broken) {
        lines << QStringLiteral("Cannot be unpacked: %1").arg(inspection.error.message);
        return lines.join(QLatin1Char('\n'));
    }
    QStringList keys, hashKeys;
    for (const UserRecordSpan &u : inspection.userRecords) {
        const QString key = QString::fromUtf8(u.partitionKey(data));
        if (!keys.contains(key))
            keys << key;
        if (u.hasExplicitHashKey()) {
            const QString hashKey = QString::fromUtf8(u.explicitHashKey(data));
            if (!hashKeys.contains(hashKey))
                hashKeys << hashKey;
        }
    }
    lines << QStringLiteral("  %1 user records; partition keys used: %2; explicit hash keys used: %3")
                 .arg(inspection.userRecords.size())
                 .arg(keys.size())
                 .arg(hashKeys.size());
    return lines.join(QLatin1Char('\n'));
}

QByteArray kclRecordsJson(const KinesisRecordFacts &record)
{
    const RecordInspection inspection = RecordInspection::inspect(record.data);
    QByteArray out("[\n");
    if (inspection.kind == RecordInspection::Kind::Aggregated && !inspection.userRecords.empty()) {
        const QByteArrayView data(record.data);
        const size_t n = inspection.userRecords.size();
        for (size_t i = 0; i < n; ++i) {
            const UserRecordSpan &u = inspection.userRecords[i];
            appendKclRecord(out, record, u.subSequenceNumber, u.partitionKey(data), u.explicitHashKey(data),
                            u.hasExplicitHashKey(), true, u.data(data), i + 1 == n);
        }
    } else if (inspection.kind != RecordInspection::Kind::Aggregated) {
        const QByteArray key = record.partitionKey.toUtf8();
        const QByteArray hashKey = record.explicitHashKey.toUtf8();
        appendKclRecord(out, record, 0, key, hashKey, !hashKey.isEmpty(), false, record.data, true);
    }
    out.append("]\n");
    return out;
}

QString kclSummary(const KinesisRecordFacts &record)
{
    const RecordInspection inspection = RecordInspection::inspect(record.data);
    switch (inspection.kind) {
    case RecordInspection::Kind::Plain:
        return QStringLiteral("A plain record: the KCL hands it to your record processor as it is.");
    case RecordInspection::Kind::Aggregated:
        return QStringLiteral("An aggregated record: the KCL de-aggregates it and hands your record processor its %1 user "
                              "records, all with this sequence number and their own sub-sequence numbers.")
            .arg(inspection.userRecords.size());
    case RecordInspection::Kind::Broken:
        break;
    }
    if (inspection.error.code == QLatin1String("KplBadIndex"))
        return QStringLiteral("%1. The KCL logs \"Unexpected exception during deaggregation\" and hands on only the user "
                              "records before the bad one.")
            .arg(inspection.shortReason());
    return QStringLiteral("%1. The KCL does not unpack it: your record processor gets the whole record, magic and "
                          "protobuf bytes included, as one plain record. That is the \"garbage\" a consumer sees.")
        .arg(inspection.shortReason());
}

QByteArray lambdaEventJson(const KinesisRecordFacts &record, const EventSourceFacts &source)
{
    const QByteArray sequence = sequenceOf(record);
    const qint64 ms = record.arrivalMs;
    const QByteArray arrival = ms <= 0 ? QByteArray("null") // not sent yet
                                       : QByteArray::number(ms / 1000) + '.' + QByteArray::number(ms % 1000).rightJustified(3, '0');
    QByteArray out("{\n  \"Records\": [\n    {\n      \"kinesis\": {\n");
    const char *in = "        ";
    appendField(out, in, "kinesisSchemaVersion", "1.0");
    appendField(out, in, "partitionKey", record.partitionKey.toUtf8());
    appendField(out, in, "sequenceNumber", sequence);
    appendField(out, in, "data", record.data.toBase64());
    appendRaw(out, in, "approximateArrivalTimestamp", arrival, true);
    out.append("      },\n");
    const char *top = "      ";
    appendField(out, top, "eventSource", "aws:kinesis");
    appendField(out, top, "eventVersion", "1.0");
    appendField(out, top, "eventID", record.shardId.toUtf8() + ':' + sequence);
    appendField(out, top, "eventName", "aws:kinesis:record");
    appendField(out, top, "awsRegion", source.region.toUtf8());
    appendField(out, top, "eventSourceARN", source.streamArn.toUtf8(), true);
    out.append("    }\n  ]\n}\n");
    return out;
}

} // namespace kwb::kpl::consumer
