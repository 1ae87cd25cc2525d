#pragma once

#include "HashKey.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kwb {

/// Kinesis limits that apply to single records and to PutRecords requests.
namespace limits {
inline constexpr int kMinPartitionKeyChars = 1;
inline constexpr int kMaxPartitionKeyChars = 256;
inline constexpr qint64 kDefaultMaxRecordBytes = 1024 * 1024;          ///< 1 MiB
inline constexpr qint64 kLargestMaxRecordBytes = 10 * 1024 * 1024;     ///< 10 MiB, the raised limit
inline constexpr int kMaxRecordsPerRequest = 500;
inline constexpr qint64 kMaxRequestBytes = 10 * 1024 * 1024;           ///< 10 MiB, keys included
inline constexpr int kShardRecordsPerSecond = 1000;
inline constexpr qint64 kShardBytesPerSecond = 1024 * 1024;
} // namespace limits

/// One record to publish: partition key, data bytes and an optional explicit hash key.
/// A plain value; the send engine keeps many of them in a columnar store instead.
struct Record
{
    QString partitionKey;
    QByteArray data;
    std::optional<UInt128> explicitHashKey;

    /// Bytes this record counts against the record and request limits.
    qint64 size() const { return qint64(partitionKey.toUtf8().size()) + data.size(); }
    /// The hash key that routes this record (explicit one, else MD5 of the partition key).
    UInt128 hashKey() const
    {
        return explicitHashKey ? *explicitHashKey : hashPartitionKey(partitionKey);
    }
};

/// Length of `key` as Kinesis counts it for the 256 limit: UTF-16 code units, so a character
/// outside the Basic Multilingual Plane (an emoji) counts as two.
int partitionKeyLength(const QString &key);

/// Checks the 1..256 character rule. The message names the record (`what`, e.g. "record 12").
Result<void> validatePartitionKey(const QString &key, const QString &what = QStringLiteral("record"));

/// Checks a record against the partition key rule and the stream's maximum record size
/// (`maxRecordBytes`, from MaxRecordSizeInKiB; 1 MiB when the stream does not say).
Result<void> validateRecord(const Record &record, qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes,
                            const QString &what = QStringLiteral("record"));

/// "1 MiB", "512 KiB", "1,234 bytes": sizes for messages.
QString formatBytes(qint64 bytes);

} // namespace kwb
