#include "kpl/RecordInspection.h"

#include "kpl/Deaggregator.h"

namespace kwb::kpl {

RecordInspection RecordInspection::inspect(QByteArrayView data)
{
    RecordInspection out;
    if (!Deaggregator::isAggregated(data))
        return out;
    auto unpacked = Deaggregator::unpack(data);
    if (!unpacked.ok()) {
        out.kind = Kind::Broken;
        out.error = unpacked.error();
        return out;
    }
    out.kind = Kind::Aggregated;
    const char *base = data.data();
    const auto offset = [base](QByteArrayView v) { return qint32(v.data() - base); };
    out.userRecords.reserve(unpacked.value().size());
    for (const UserRecordView &u : unpacked.value()) {
        UserRecordSpan span;
        span.keyOffset = offset(u.partitionKey);
        span.keyLength = qint32(u.partitionKey.size());
        if (u.hasExplicitHashKey) {
            span.hashKeyOffset = offset(u.explicitHashKey);
            span.hashKeyLength = qint32(u.explicitHashKey.size());
        }
        span.dataOffset = offset(u.data);
        span.dataLength = qint32(u.data.size());
        span.subSequenceNumber = u.subSequenceNumber;
        out.userRecords.push_back(span);
    }
    return out;
}

bool RecordInspection::holdsUserRecord(QByteArrayView kinesisData, int subSequence, QByteArrayView partitionKey,
                                       QByteArrayView data, std::optional<UInt128> explicitHashKey)
{
    const RecordInspection inspection = inspect(kinesisData);
    if (inspection.kind != Kind::Aggregated || subSequence < 0 || size_t(subSequence) >= inspection.userRecords.size())
        return false;
    const UserRecordSpan &u = inspection.userRecords[size_t(subSequence)];
    if (u.partitionKey(kinesisData) != partitionKey || u.data(kinesisData) != data)
        return false;
    if (u.hasExplicitHashKey() != explicitHashKey.has_value())
        return false;
    if (!explicitHashKey)
        return true;
    auto parsed = parseHashKey(u.explicitHashKey(kinesisData));
    return parsed.ok() && parsed.value() == *explicitHashKey;
}

QString RecordInspection::shortReason() const
{
    if (kind != Kind::Broken)
        return {};
    const QString &code = error.code;
    if (code == QLatin1String("KplBadDigest"))
        return QStringLiteral("aggregated record, MD5 mismatch");
    if (code == QLatin1String("KplTooShort"))
        return QStringLiteral("aggregated record, too short for its MD5");
    if (code == QLatin1String("KplMissingField"))
        return QStringLiteral("aggregated record, a required field is missing");
    if (code == QLatin1String("KplBadIndex"))
        return QStringLiteral("aggregated record, a key index points outside its table");
    return QStringLiteral("aggregated record, malformed protobuf");
}

} // namespace kwb::kpl
