#pragma once

#include "HashKey.h"
#include "Result.h"

#include <QByteArrayView>
#include <QString>

#include <optional>
#include <vector>

namespace kwb::kpl {

/// Where one user record of an aggregated Kinesis record sits in that record's bytes: offsets and
/// lengths, so a view can keep them next to the record (a few integers) instead of copies.
struct UserRecordSpan
{
    qint32 keyOffset = 0;
    qint32 keyLength = 0;
    qint32 hashKeyOffset = -1; ///< -1: the user record has no explicit hash key
    qint32 hashKeyLength = 0;
    qint32 dataOffset = 0;
    qint32 dataLength = 0;
    qint32 subSequenceNumber = 0;

    bool hasExplicitHashKey() const { return hashKeyOffset >= 0; }
    QByteArrayView partitionKey(QByteArrayView record) const { return record.sliced(keyOffset, keyLength); }
    QByteArrayView explicitHashKey(QByteArrayView record) const
    {
        return hasExplicitHashKey() ? record.sliced(hashKeyOffset, hashKeyLength) : QByteArrayView();
    }
    QByteArrayView data(QByteArrayView record) const { return record.sliced(dataOffset, dataLength); }
};

/// What a consumer finds in one Kinesis record: a plain record, a well-formed KPL aggregated record
/// (magic, protobuf and MD5 checked) with its user records, or a record that starts with the KPL
/// magic but cannot be unpacked, with the reason. A plain value; inspect() is pure and thread-safe.
struct RecordInspection
{
    enum class Kind { Plain, Aggregated, Broken };

    Kind kind = Kind::Plain;
    std::vector<UserRecordSpan> userRecords; ///< for Aggregated, in sub-sequence order
    Error error;                             ///< for Broken: Deaggregator's error (code and full message)

    static RecordInspection inspect(QByteArrayView data);

    /// For Broken, a short reason for a table cell: "aggregated record, MD5 mismatch", "aggregated
    /// record, malformed protobuf", …; empty otherwise.
    QString shortReason() const;

    /// Whether `kinesisData` is a well-formed aggregated record whose user record `subSequence`
    /// has exactly this partition key, data and explicit hash key (none: it has none). What Verify
    /// compares for a row sent aggregated.
    static bool holdsUserRecord(QByteArrayView kinesisData, int subSequence, QByteArrayView partitionKey,
                                QByteArrayView data, std::optional<UInt128> explicitHashKey);
};

} // namespace kwb::kpl
