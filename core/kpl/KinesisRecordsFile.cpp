#include "kpl/KinesisRecordsFile.h"

#include "kpl/KplFormat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace kwb::kpl {

namespace {

bool isBase64Text(QByteArrayView bytes)
{
    for (const char c : bytes) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
            || c == '=' || c == '-' || c == '_' || c == '\n' || c == '\r' || c == ' ' || c == '\t';
        if (!ok)
            return false;
    }
    return true;
}

/// Strict base64 (standard or URL alphabet, padding optional): an error for anything else.
bool decodeBase64(QByteArrayView text, QByteArray &out)
{
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        decoded = QByteArray::fromBase64Encoding(text.toByteArray(),
                                                 QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return false;
    }
    out = std::move(*decoded);
    return true;
}

QString field(const QJsonObject &o, const char *upper, const char *lower)
{
    const QJsonValue v = o.contains(QLatin1String(upper)) ? o.value(QLatin1String(upper)) : o.value(QLatin1String(lower));
    return v.isString() ? v.toString() : QString();
}

} // namespace

KinesisRecordsFile::Format KinesisRecordsFile::detect(QByteArrayView bytes)
{
    if (hasKplMagic(bytes))
        return Format::Raw;
    const QByteArrayView trimmed = bytes.trimmed();
    if (trimmed.startsWith('{'))
        return Format::Json;
    if (!trimmed.isEmpty() && isBase64Text(trimmed))
        return Format::Base64;
    return Format::Raw;
}

Result<std::vector<KinesisRecordIn>> KinesisRecordsFile::read(QByteArrayView bytes, Format format, const QString &name)
{
    if (format == Format::Auto)
        format = detect(bytes);
    std::vector<KinesisRecordIn> records;
    switch (format) {
    case Format::Auto:
    case Format::Raw:
        if (bytes.isEmpty())
            return records; // an empty file holds no record
        records.push_back({bytes.toByteArray(), {}, {}, {}, QStringLiteral("%1 (one raw record)").arg(name), {}});
        return records;
    case Format::Base64: {
        int line = 0;
        qsizetype start = 0;
        while (start < bytes.size()) {
            qsizetype end = bytes.indexOf('\n', start);
            if (end < 0)
                end = bytes.size();
            ++line;
            const QByteArrayView text = bytes.sliced(start, end - start).trimmed();
            start = end + 1;
            if (text.isEmpty())
                continue;
            KinesisRecordIn record;
            record.where = QStringLiteral("%1:%2").arg(name).arg(line);
            if (!decodeBase64(text, record.data))
                record.error = QStringLiteral("not base64 (one record per line, standard or URL alphabet)");
            records.push_back(std::move(record));
        }
        return records;
    }
    case Format::Json:
        break;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::input(QStringLiteral("%1: not JSON at byte %2: %3 (expected the output of aws kinesis get-records)")
                                .arg(name)
                                .arg(parseError.offset)
                                .arg(parseError.errorString()),
                            QStringLiteral("InvalidJson"));
    const QJsonValue list = document.object().value(QStringLiteral("Records"));
    const QJsonValue lambda = document.object().value(QStringLiteral("records"));
    if (!list.isArray() && !lambda.isArray())
        return Error::input(QStringLiteral("%1: no \"Records\" array (expected the output of aws kinesis get-records, or a "
                                           "Lambda Kinesis event)")
                                .arg(name),
                            QStringLiteral("InvalidInput"));
    const QJsonArray array = list.isArray() ? list.toArray() : lambda.toArray();
    const QString arrayName = list.isArray() ? QStringLiteral("Records") : QStringLiteral("records");
    for (qsizetype i = 0; i < array.size(); ++i) {
        QJsonObject o = array.at(i).toObject();
        // A Lambda event's record holds the Kinesis record in "kinesis".
        if (o.value(QStringLiteral("kinesis")).isObject())
            o = o.value(QStringLiteral("kinesis")).toObject();
        KinesisRecordIn record;
        record.where = QStringLiteral("%1: %2[%3]").arg(name, arrayName).arg(i);
        record.partitionKey = field(o, "PartitionKey", "partitionKey");
        record.explicitHashKey = field(o, "ExplicitHashKey", "explicitHashKey");
        record.sequenceNumber = field(o, "SequenceNumber", "sequenceNumber");
        const QJsonValue data = o.contains(QStringLiteral("Data")) ? o.value(QStringLiteral("Data")) : o.value(QStringLiteral("data"));
        if (!data.isString())
            record.error = QStringLiteral("has no \"Data\" string");
        else if (!decodeBase64(data.toString().toLatin1(), record.data))
            record.error = QStringLiteral("its \"Data\" is not base64");
        records.push_back(std::move(record));
    }
    return records;
}

} // namespace kwb::kpl
