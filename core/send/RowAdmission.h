#pragma once

#include "Result.h"

#include <QByteArrayView>

namespace kwb::send {

/// Why the send engine refuses a row before sending it, when no request could ever succeed: a
/// partition key outside 1..256 characters (UTF-16 code units, as Kinesis counts them), or a
/// record (partition key + data) over the stream's maximum record size. Pure.
class RowAdmission
{
public:
    /// Nothing when the row may be sent; else an Error whose code ("InvalidPartitionKey",
    /// "RecordTooLarge") and message go on the row.
    static Result<void> check(QByteArrayView partitionKeyUtf8, qint64 recordSize, qint64 maxRecordBytes);

    /// Length of UTF-8 text in UTF-16 code units: every lead byte counts one, a four-byte
    /// sequence's lead byte two.
    static int utf16Length(QByteArrayView utf8);
};

} // namespace kwb::send
