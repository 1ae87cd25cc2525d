#include "ResultsExport.h"

#include "net/JsonWriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace kwb::exporting {

namespace {

using send::RowStatus;
using send::SendResults;

constexpr qint64 kFlushBytes = 1 << 20;

QLatin1String statusText(RowStatus status)
{
    switch (status) {
    case RowStatus::Succeeded: return QLatin1String("succeeded");
    case RowStatus::Failed: return QLatin1String("failed");
    case RowStatus::Cancelled: return QLatin1String("cancelled");
    case RowStatus::Pending:
    case RowStatus::Queued:
    case RowStatus::InFlight: return QLatin1String("pending");
    }
    return QLatin1String("pending");
}

Result<void> flush(QIODevice &out, QByteArray &buffer)
{
    if (buffer.isEmpty())
        return {};
    if (out.write(buffer) != buffer.size())
        return Error::input(QStringLiteral("cannot write: %1").arg(out.errorString()), QStringLiteral("WriteFailed"));
    buffer.clear();
    return {};
}

template<typename Fn>
Result<void> forEachRow(const RecordStore &store, const RowSelection &rows, Fn fn)
{
    if (rows.empty()) {
        for (int row = 0; row < store.size(); ++row)
            if (auto r = fn(row); !r.ok())
                return r;
        return {};
    }
    for (int row : rows)
        if (auto r = fn(row); !r.ok())
            return r;
    return {};
}

void appendField(QByteArray &line, const char *name, const QString &value)
{
    line.append(",\"");
    line.append(name);
    line.append("\":");
    if (value.isEmpty())
        line.append("null");
    else
        net::appendJsonString(line, value);
}

void appendCsvField(QByteArray &line, QByteArrayView value, bool last = false)
{
    const bool quote = value.contains(',') || value.contains('"') || value.contains('\n') || value.contains('\r');
    if (quote) {
        line.append('"');
        for (char c : value) {
            if (c == '"')
                line.append('"');
            line.append(c);
        }
        line.append('"');
    } else {
        line.append(value);
    }
    line.append(last ? "\r\n" : ",");
}

} // namespace

Result<void> writeResultsJsonl(QIODevice &out, const RecordStore &store, const SendResults &results,
                               const RowSelection &rows, const std::vector<qint64> &indexes)
{
    QByteArray buffer;
    buffer.reserve(kFlushBytes + 4096);
    const auto write = forEachRow(store, rows, [&](int row) -> Result<void> {
        const RowStatus status = results.status(row);
        buffer.append("{\"index\":");
        buffer.append(QByteArray::number(indexes.empty() ? qint64(row) : indexes[size_t(row)]));
        buffer.append(",\"partitionKey\":");
        net::appendJsonString(buffer, store.partitionKeyUtf8(row));
        appendField(buffer, "explicitHashKey",
                    store.hasExplicitHashKey(row) ? hashKeyToString(store.explicitHashKey(row)) : QString());
        appendField(buffer, "predictedShardId", results.predictedShardId(row));
        appendField(buffer, "shardId", results.shardId(row));
        appendField(buffer, "sequenceNumber", results.sequenceNumber(row));
        buffer.append(",\"status\":\"");
        buffer.append(statusText(status).data(), statusText(status).size());
        buffer.append('"');
        appendField(buffer, "errorCode", results.errorCode(row));
        appendField(buffer, "errorMessage", results.errorMessage(row));
        buffer.append(",\"attempts\":");
        buffer.append(QByteArray::number(results.attemptCount(row)));
        if (results.shardMismatch(row))
            buffer.append(",\"shardMismatch\":true");
        if (results.verifyState(row) != send::VerifyState::NotVerified) {
            buffer.append(",\"verify\":\"");
            buffer.append(send::verifyStateName(results.verifyState(row)).data());
            buffer.append('"');
        }
        if (status != RowStatus::Succeeded) {
            buffer.append(",\"data\":");
            net::appendJsonBase64(buffer, store.data(row));
        }
        buffer.append("}\n");
        if (buffer.size() >= kFlushBytes)
            return flush(out, buffer);
        return {};
    });
    if (!write.ok())
        return write;
    return flush(out, buffer);
}

Result<void> writeResultsCsv(QIODevice &out, const RecordStore &store, const SendResults &results,
                             const RowSelection &rows, const std::vector<qint64> &indexes)
{
    QByteArray buffer = "index,partition_key,explicit_hash_key,predicted_shard_id,shard_id,sequence_number,status,"
                        "error_code,error_message,attempts\r\n";
    const auto write = forEachRow(store, rows, [&](int row) -> Result<void> {
        appendCsvField(buffer, QByteArray::number(indexes.empty() ? qint64(row) : indexes[size_t(row)]));
        appendCsvField(buffer, store.partitionKeyUtf8(row));
        appendCsvField(buffer, store.hasExplicitHashKey(row) ? hashKeyToString(store.explicitHashKey(row)).toLatin1() : QByteArray());
        appendCsvField(buffer, results.predictedShardId(row).toUtf8());
        appendCsvField(buffer, results.shardId(row).toUtf8());
        appendCsvField(buffer, results.sequenceNumber(row).toLatin1());
        const QLatin1String status = statusText(results.status(row));
        appendCsvField(buffer, QByteArrayView(status.data(), status.size()));
        appendCsvField(buffer, results.errorCode(row).toUtf8());
        appendCsvField(buffer, results.errorMessage(row).toUtf8());
        appendCsvField(buffer, QByteArray::number(results.attemptCount(row)), true);
        if (buffer.size() >= kFlushBytes)
            return flush(out, buffer);
        return {};
    });
    if (!write.ok())
        return write;
    return flush(out, buffer);
}

Result<void> saveFile(const QString &path, const std::function<Result<void>(QIODevice &)> &write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::input(QStringLiteral("%1: cannot open for writing: %2").arg(path, file.errorString()),
                            QStringLiteral("WriteFailed"));
    if (auto written = write(file); !written.ok()) {
        file.cancelWriting();
        return Error::input(QStringLiteral("%1: %2").arg(path, written.error().message), written.error().code);
    }
    if (!file.commit())
        return Error::input(QStringLiteral("%1: cannot save: %2").arg(path, file.errorString()), QStringLiteral("WriteFailed"));
    return {};
}

Result<QStringList> writeAwsCliPutRecords(const QString &basePath, const QString &stream, const RecordStore &store,
                                          const RowSelection &rows)
{
    std::vector<int> all = rows;
    if (all.empty())
        for (int row = 0; row < store.size(); ++row)
            all.push_back(row);
    QStringList written;
    for (size_t first = 0, part = 1; first < all.size(); first += limits::kMaxRecordsPerRequest, ++part) {
        const size_t last = std::min(all.size(), first + size_t(limits::kMaxRecordsPerRequest));
        const QString path = QStringLiteral("%1-%2.json").arg(basePath).arg(part, 4, 10, QLatin1Char('0'));
        auto saved = saveFile(path, [&](QIODevice &out) -> Result<void> {
            QByteArray body;
            net::beginPutRecordsBody(body, stream);
            for (size_t i = first; i < last; ++i) {
                const int row = all[i];
                body.append(i == first ? "\n  " : ",\n  ");
                net::appendPutRecordsEntry(body, true, store.partitionKeyUtf8(row), store.data(row),
                                           store.optionalExplicitHashKey(row));
            }
            body.append("\n");
            net::endPutRecordsBody(body);
            body.append('\n');
            if (out.write(body) != body.size())
                return Error::input(out.errorString(), QStringLiteral("WriteFailed"));
            return {};
        });
        if (!saved.ok())
            return saved.error();
        written.append(path);
    }
    return written;
}

Result<ResultsFile> readResultsJsonl(QIODevice &in, const QString &name)
{
    ResultsFile file;
    qint64 lineNumber = 0;
    while (!in.atEnd()) {
        const QByteArray line = in.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const auto fail = [&](const QString &what) {
            return Error::input(QStringLiteral("%1:%2: %3; is this a results file written by kwb put?")
                                    .arg(name)
                                    .arg(lineNumber)
                                    .arg(what),
                                QStringLiteral("InvalidResultsFile"));
        };
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(line, &parseError).object();
        if (parseError.error != QJsonParseError::NoError)
            return fail(QStringLiteral("column %1: %2").arg(parseError.offset + 1).arg(parseError.errorString()));
        const QString key = o.value(QLatin1String("partitionKey")).toString();
        const QString statusText = o.value(QLatin1String("status")).toString();
        static const QHash<QString, RowStatus> statuses{{QStringLiteral("succeeded"), RowStatus::Succeeded},
                                                        {QStringLiteral("failed"), RowStatus::Failed},
                                                        {QStringLiteral("pending"), RowStatus::Pending},
                                                        {QStringLiteral("cancelled"), RowStatus::Cancelled}};
        if (!o.contains(QLatin1String("index")) || !o.value(QLatin1String("index")).isDouble())
            return fail(QStringLiteral("\"index\" is missing or not a number"));
        if (!statuses.contains(statusText))
            return fail(QStringLiteral("\"status\" must be succeeded, failed, pending or cancelled, not \"%1\"").arg(statusText));
        const RowStatus status = statuses.value(statusText);
        std::optional<UInt128> explicitHashKey;
        if (const QJsonValue ehk = o.value(QLatin1String("explicitHashKey")); ehk.isString()) {
            auto parsed = parseHashKey(ehk.toString());
            if (!parsed.ok())
                return fail(QStringLiteral("\"explicitHashKey\": %1").arg(parsed.error().message));
            explicitHashKey = parsed.value();
        }
        QByteArray data;
        if (status != RowStatus::Succeeded) {
            const QJsonValue d = o.value(QLatin1String("data"));
            if (!d.isString())
                return fail(QStringLiteral("a row that did not succeed needs its \"data\" (base64)"));
            auto decoded = QByteArray::fromBase64Encoding(d.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(QStringLiteral("\"data\" is not valid base64"));
            data = *decoded;
        }
        const int row = file.store.append(key.toUtf8(), data, explicitHashKey);
        file.results.resize(file.store.size());
        file.results.restore(row, status, o.value(QLatin1String("shardId")).toString(),
                             o.value(QLatin1String("sequenceNumber")).toString(), o.value(QLatin1String("errorCode")).toString(),
                             o.value(QLatin1String("errorMessage")).toString(), o.value(QLatin1String("attempts")).toInt());
        file.results.setPredictedShardId(row, o.value(QLatin1String("predictedShardId")).toString());
        file.indexes.push_back(qint64(o.value(QLatin1String("index")).toDouble()));
    }
    return file;
}

} // namespace kwb::exporting
