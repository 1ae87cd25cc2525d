// kwb deaggregate: the user records inside KPL aggregated Kinesis records, as JSON Lines.
#include "Cli.h"

#include "kpl/Deaggregator.h"
#include "kpl/KinesisRecordsFile.h"
#include "net/JsonWriter.h"

#include <QFile>

#include <cstdio>

namespace kwb::cli {

namespace {

/// Appends `data` as a JSON value in the chosen encoding.
void appendData(QByteArray &line, QByteArrayView data, const QString &encoding)
{
    if (encoding == QLatin1String("utf8"))
        net::appendJsonString(line, QString::fromUtf8(data));
    else if (encoding == QLatin1String("hex"))
        line.append('"').append(data.toByteArray().toHex()).append('"');
    else
        net::appendJsonBase64(line, data);
}

void appendOptional(QByteArray &line, const char *name, QByteArrayView value, bool present)
{
    line.append(",\"").append(name).append("\":");
    if (present)
        net::appendJsonString(line, value);
    else
        line.append("null");
}

} // namespace

void Cli::runDeaggregate(QCommandLineParser &p)
{
    const QStringList files = p.positionalArguments().mid(1);
    if (files.size() != 1)
        return usageError(QStringLiteral("'deaggregate' reads one FILE (- for standard input)"));
    const QString encoding = p.isSet(QStringLiteral("data-encoding")) ? p.value(QStringLiteral("data-encoding"))
                                                                       : QStringLiteral("base64");
    if (encoding != QLatin1String("base64") && encoding != QLatin1String("utf8") && encoding != QLatin1String("hex"))
        return usageError(QStringLiteral("--data-encoding must be base64, utf8 or hex, not '%1'").arg(encoding));
    const QString formatName = p.isSet(QStringLiteral("input-format")) ? p.value(QStringLiteral("input-format"))
                                                                        : QStringLiteral("auto");
    using Format = kpl::KinesisRecordsFile::Format;
    Format format = Format::Auto;
    if (formatName == QLatin1String("json"))
        format = Format::Json;
    else if (formatName == QLatin1String("base64"))
        format = Format::Base64;
    else if (formatName == QLatin1String("raw"))
        format = Format::Raw;
    else if (formatName != QLatin1String("auto"))
        return usageError(QStringLiteral("--input-format must be auto, json, base64 or raw, not '%1'").arg(formatName));

    const QString path = files.front();
    const QString name = path == QLatin1String("-") ? QStringLiteral("standard input") : path;
    QByteArray bytes;
    if (path == QLatin1String("-")) {
        // A pipe gives its bytes in pieces: read until the end, or until it is too large.
        char buffer[65536];
        size_t n = 0;
        while (bytes.size() <= kpl::KinesisRecordsFile::kMaxInputBytes && (n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
            bytes.append(buffer, qsizetype(n));
    } else {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::input(QStringLiteral("%1: cannot open: %2").arg(name, file.errorString())));
        bytes = file.read(kpl::KinesisRecordsFile::kMaxInputBytes + 1);
    }
    if (bytes.size() > kpl::KinesisRecordsFile::kMaxInputBytes)
        return fail(Error::input(QStringLiteral("%1: larger than %2; split it (one get-records answer is at most 10 MiB)")
                                     .arg(name, formatBytes(kpl::KinesisRecordsFile::kMaxInputBytes))));
    auto records = kpl::KinesisRecordsFile::read(bytes, format, name);
    if (!records.ok())
        return fail(records.error());

    qint64 bad = 0;
    qint64 users = 0;
    QByteArray out;
    const auto flush = [&out] {
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        out.clear();
    };
    for (size_t i = 0; i < records.value().size(); ++i) {
        const kpl::KinesisRecordIn &record = records.value()[i];
        const auto start = [&](QByteArrayView key, bool hasKey, QByteArrayView hashKey, bool hasHashKey) {
            out.append("{\"record\":").append(QByteArray::number(qint64(i)));
            appendOptional(out, "sequenceNumber", record.sequenceNumber.toLatin1(), !record.sequenceNumber.isEmpty());
            appendOptional(out, "partitionKey", key, hasKey);
            appendOptional(out, "explicitHashKey", hashKey, hasHashKey);
        };
        if (!record.error.isEmpty()) {
            ++bad;
            m_out.error(QStringLiteral("%1: %2").arg(record.where, record.error));
            continue;
        }
        if (!kpl::Deaggregator::isAggregated(record.data)) {
            // Not aggregated: a consumer gets it as one record, as it is.
            const QByteArray key = record.partitionKey.toUtf8();
            const QByteArray hashKey = record.explicitHashKey.toLatin1();
            start(key, !key.isEmpty(), hashKey, !hashKey.isEmpty());
            out.append(",\"subSequenceNumber\":null,\"aggregated\":false,\"data\":");
            appendData(out, record.data, encoding);
            out.append("}\n");
            ++users;
            continue;
        }
        auto unpacked = kpl::Deaggregator::unpack(record.data);
        if (!unpacked.ok()) {
            ++bad;
            m_out.error(QStringLiteral("%1: %2").arg(record.where, unpacked.error().message));
            continue;
        }
        for (const kpl::UserRecordView &user : unpacked.value()) {
            start(user.partitionKey, true, user.explicitHashKey, user.hasExplicitHashKey);
            out.append(",\"subSequenceNumber\":").append(QByteArray::number(user.subSequenceNumber));
            out.append(",\"aggregated\":true,\"data\":");
            appendData(out, user.data, encoding);
            out.append("}\n");
            ++users;
            if (out.size() > (1 << 20))
                flush();
        }
    }
    flush();
    std::fflush(stdout);
    if (bad > 0) {
        m_out.error(QStringLiteral("%1 of %2 records could not be read or de-aggregated (%3 user records printed)")
                        .arg(bad)
                        .arg(records.value().size())
                        .arg(users));
        return finish(ExitUsage);
    }
    finish(ExitOk);
}

} // namespace kwb::cli
