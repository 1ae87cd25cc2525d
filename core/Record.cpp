#include "Record.h"

#include <QLocale>

namespace kwb {

int partitionKeyLength(const QString &key)
{
    // Kinesis counts UTF-16 code units (kinesalite and the AWS API agree): a character outside
    // the Basic Multilingual Plane, such as an emoji, counts twice.
    return int(key.size());
}

Result<void> validatePartitionKey(const QString &key, const QString &what)
{
    if (key.isEmpty())
        return Error::input(QStringLiteral("%1: the partition key is empty; it needs 1 to %2 characters")
                                .arg(what)
                                .arg(limits::kMaxPartitionKeyChars),
                            QStringLiteral("InvalidPartitionKey"));
    const int length = partitionKeyLength(key);
    if (length > limits::kMaxPartitionKeyChars)
        return Error::input(QStringLiteral("%1: the partition key has %2 characters (UTF-16 code units, as Kinesis "
                                           "counts them); the limit is %3")
                                .arg(what)
                                .arg(length)
                                .arg(limits::kMaxPartitionKeyChars),
                            QStringLiteral("InvalidPartitionKey"));
    return {};
}

Result<void> validateRecord(const Record &record, qint64 maxRecordBytes, const QString &what)
{
    if (auto keyCheck = validatePartitionKey(record.partitionKey, what); !keyCheck)
        return keyCheck;
    const qint64 size = record.size();
    if (size > maxRecordBytes)
        return Error::input(QStringLiteral("%1 is %2 (partition key + data), over the stream's maximum "
                                           "record size of %3")
                                .arg(what, formatBytes(size), formatBytes(maxRecordBytes)),
                            QStringLiteral("RecordTooLarge"));
    return {};
}

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 bytes").arg(QLocale::c().toString(bytes));
}

} // namespace kwb
