#include "send/RowAdmission.h"

#include "Record.h"

namespace kwb::send {

Result<void> RowAdmission::check(QByteArrayView partitionKeyUtf8, qint64 recordSize, qint64 maxRecordBytes)
{
    // At most 256 bytes means at most 256 UTF-16 units; only longer keys need counting.
    const QByteArrayView key = partitionKeyUtf8;
    const int keyChars = key.size() <= limits::kMaxPartitionKeyChars ? int(key.size()) : utf16Length(key);
    if (keyChars < limits::kMinPartitionKeyChars || keyChars > limits::kMaxPartitionKeyChars)
        return Error::input(keyChars == 0 ? QStringLiteral("the partition key is empty; it needs 1 to 256 characters")
                                          : QStringLiteral("the partition key has %1 characters (UTF-16 code units, as Kinesis "
                                                           "counts them); the limit is 256")
                                                .arg(keyChars),
                            QStringLiteral("InvalidPartitionKey"));
    if (recordSize > maxRecordBytes)
        return Error::input(QStringLiteral("the record is %1 (partition key + data), over the stream's maximum record size of %2")
                                .arg(formatBytes(recordSize), formatBytes(maxRecordBytes)),
                            QStringLiteral("RecordTooLarge"));
    return {};
}

int RowAdmission::utf16Length(QByteArrayView utf8)
{
    int n = 0;
    for (char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) != 0x80)
            n += b >= 0xF0 ? 2 : 1;
    }
    return n;
}

} // namespace kwb::send
