#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace kwb::kpl {

/// One Kinesis record as read from a file, before de-aggregation. `where` names it for messages
/// ("Records[3]", "line 12"); `error` is set when the record itself could not be read (then
/// `data` is empty).
struct KinesisRecordIn
{
    QByteArray data;
    QString partitionKey;    ///< empty when the file does not say
    QString explicitHashKey; ///< empty when the file does not say
    QString sequenceNumber;  ///< empty when the file does not say
    QString where;
    QString error;
};

/// Reads Kinesis records from what `aws kinesis get-records` prints (also a Lambda Kinesis
/// event), from base64 text with one record per line, or from a raw file that is one record.
/// Pure functions; thread-safe.
class KinesisRecordsFile
{
public:
    enum class Format { Auto, Json, Base64, Raw };

    /// The largest input read (a get-records answer is at most 10 MiB; its JSON and base64 are
    /// larger): the whole input is held in memory, so it is bounded.
    static constexpr qint64 kMaxInputBytes = 64 * 1024 * 1024;

    /// Auto: JSON when the text starts with '{', raw when it starts with the KPL magic or is not
    /// base64 text, else base64 lines.
    static Format detect(QByteArrayView bytes);

    /// The records of `bytes` (named `name` in errors). A file that cannot be read at all (not
    /// JSON, no Records array) is an error; a record that cannot be read is a record with `error`.
    static Result<std::vector<KinesisRecordIn>> read(QByteArrayView bytes, Format format, const QString &name);
};

} // namespace kwb::kpl
