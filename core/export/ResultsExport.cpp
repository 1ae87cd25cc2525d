#include "ResultsExport.h"

#include "net/JsonWriter.h"

#include <QJsonArray>
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

Result<void> writeOut(QIODevice &out, QByteArray &buffer)
{
    if (buffer.isEmpty())
        return {};
    if (out.write(buffer) != buffer.size())
        return Error::input(QStringLiteral("cannot write: %1").arg(out.errorString()), QStringLiteral("WriteFailed"));
    buffer.clear();
    return {};
}

/// Appends one line per row (all rows when `rows` is empty) with `appendLine` after what
/// `buffer` holds already, writing out every kFlushBytes and at the end.
template<typename AppendLine>
Result<void> writeLines(QIODevice &out, QByteArray buffer, const RecordStore &store, const RowSelection &rows,
                        AppendLine appendLine)
{
    buffer.reserve(kFlushBytes + 4096);
    const auto line = [&](int row) -> Result<void> {
        appendLine(buffer, row);
        if (buffer.size() >= kFlushBytes)
            return writeOut(out, buffer);
        return {};
    };
    if (rows.empty()) {
        for (int row = 0; row < store.size(); ++row)
            if (auto r = line(row); !r.ok())
                return r;
    } else {
        for (int row : rows)
            if (auto r = line(row); !r.ok())
                return r;
    }
    return writeOut(out, buffer);
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

void appendResultLine(QByteArray &buffer, const RecordStore &store, const SendResults &results, int row, qint64 index,
                      QLatin1String status)
{
    buffer.append("{\"index\":");
    buffer.append(QByteArray::number(index));
    buffer.append(",\"partitionKey\":");
    net::appendJsonString(buffer, store.partitionKeyUtf8(row));
    appendField(buffer, "explicitHashKey", store.hasExplicitHashKey(row) ? hashKeyToString(store.explicitHashKey(row)) : QString());
    appendField(buffer, "predictedShardId", results.predictedShardId(row));
    appendField(buffer, "shardId", results.shardId(row));
    appendField(buffer, "sequenceNumber", results.sequenceNumber(row));
    buffer.append(",\"status\":\"");
    buffer.append(status.data(), status.size());
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
    if (results.status(row) != RowStatus::Succeeded) {
        buffer.append(",\"data\":");
        net::appendJsonBase64(buffer, store.data(row));
    }
    buffer.append("}\n");
}

void appendResultCsvLine(QByteArray &buffer, const RecordStore &store, const SendResults &results, int row, qint64 index)
{
    appendCsvField(buffer, QByteArray::number(index));
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
}

const QByteArray kCsvHeader = "index,partition_key,explicit_hash_key,predicted_shard_id,shard_id,sequence_number,status,"
                              "error_code,error_message,attempts\r\n";

} // namespace

Result<void> writeResultsJsonl(QIODevice &out, const RecordStore &store, const SendResults &results,
                               const RowSelection &rows, const std::vector<qint64> &indexes)
{
    return writeLines(out, QByteArray(), store, rows, [&](QByteArray &buffer, int row) {
        appendResultLine(buffer, store, results, row, indexes.empty() ? qint64(row) : indexes[size_t(row)],
                         statusText(results.status(row)));
    });
}

Result<void> writeResultsCsv(QIODevice &out, const RecordStore &store, const SendResults &results,
                             const RowSelection &rows, const std::vector<qint64> &indexes)
{
    return writeLines(out, kCsvHeader, store, rows, [&](QByteArray &buffer, int row) {
        appendResultCsvLine(buffer, store, results, row, indexes.empty() ? qint64(row) : indexes[size_t(row)]);
    });
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

namespace {

constexpr QLatin1String kJournalQueued("queued");
constexpr QLatin1String kJournalInFlight("inflight");
constexpr QLatin1String kJournalSent("verifying");

/// The status a results line carries, read without parsing the line: every string before it is
/// JSON-escaped, so the first `"status":"` is the field itself.
QByteArrayView lineStatus(QByteArrayView line)
{
    static constexpr QByteArrayView kTag("\"status\":\"");
    const qsizetype at = line.indexOf(kTag);
    if (at < 0)
        return {};
    const qsizetype from = at + kTag.size();
    const qsizetype end = line.indexOf('"', from);
    return end < 0 ? QByteArrayView() : line.sliced(from, end - from);
}

bool isFinalStatus(QByteArrayView status)
{
    return status == "succeeded" || status == "failed" || status == "pending" || status == "cancelled";
}

} // namespace

ResultsJournal::ResultsJournal(const QString &path)
    : m_path(path)
    , m_csv(path.endsWith(QLatin1String(".csv")))
    , m_file(path)
{
}

ResultsJournal::~ResultsJournal() = default;

Result<std::unique_ptr<ResultsJournal>> ResultsJournal::open(const QString &path)
{
    std::unique_ptr<ResultsJournal> journal(new ResultsJournal(path));
    if (!journal->m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return Error::input(QStringLiteral("%1: cannot open for writing: %2").arg(path, journal->m_file.errorString()),
                            QStringLiteral("WriteFailed"));
    if (journal->m_csv)
        journal->m_buffer = kCsvHeader;
    return journal;
}

void ResultsJournal::queued(const RecordStore &store, const SendResults &results, int row, qint64 index)
{
    if (!m_csv)
        appendResultLine(m_buffer, store, results, row, index, kJournalQueued);
}

void ResultsJournal::appendList(QLatin1String status, const std::vector<qint64> &indexes)
{
    if (m_csv || indexes.empty())
        return;
    m_buffer.append("{\"status\":\"");
    m_buffer.append(status.data(), status.size());
    m_buffer.append("\",\"indexes\":[");
    for (size_t i = 0; i < indexes.size(); ++i) {
        if (i > 0)
            m_buffer.append(',');
        m_buffer.append(QByteArray::number(indexes[i]));
    }
    m_buffer.append("]}\n");
}

Result<void> ResultsJournal::inFlight(const std::vector<qint64> &indexes)
{
    appendList(kJournalInFlight, indexes);
    // On disk (in the kernel: a killed process loses nothing written) before the request leaves.
    return flush();
}

void ResultsJournal::backToQueue(const std::vector<qint64> &indexes)
{
    appendList(kJournalQueued, indexes);
}

void ResultsJournal::sent(const RecordStore &store, const SendResults &results, int row, qint64 index)
{
    if (!m_csv)
        appendResultLine(m_buffer, store, results, row, index, kJournalSent);
}

void ResultsJournal::final(const RecordStore &store, const SendResults &results, int row, qint64 index)
{
    if (m_csv)
        appendResultCsvLine(m_buffer, store, results, row, index);
    else
        appendResultLine(m_buffer, store, results, row, index, statusText(results.status(row)));
    ++m_finalRows;
}

Result<void> ResultsJournal::flush()
{
    if (m_buffer.isEmpty())
        return {};
    if (m_file.write(m_buffer) != m_buffer.size())
        return Error::input(QStringLiteral("%1: cannot write: %2").arg(m_path, m_file.errorString()), QStringLiteral("WriteFailed"));
    m_buffer.clear();
    return {};
}

Result<void> ResultsJournal::finish()
{
    if (auto flushed = flush(); !flushed.ok())
        return flushed;
    m_file.close();
    if (m_csv)
        return {};
    // Every row has its final line now: keep only those, one line per row, in a file that
    // replaces the journal at once (until then the journal stays complete).
    QFile in(m_path);
    if (!in.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("%1: cannot read back: %2").arg(m_path, in.errorString()), QStringLiteral("WriteFailed"));
    return saveFile(m_path, [&](QIODevice &out) -> Result<void> {
        QByteArray buffer;
        buffer.reserve(kFlushBytes + 4096);
        while (!in.atEnd()) {
            const QByteArray line = in.readLine();
            if (!isFinalStatus(lineStatus(line)))
                continue;
            buffer.append(line);
            if (buffer.size() >= kFlushBytes)
                if (auto r = writeOut(out, buffer); !r.ok())
                    return r;
        }
        return writeOut(out, buffer);
    });
}

Result<ResultsFile> readResultsJsonl(QIODevice &in, const QString &name)
{
    ResultsFile file;
    qint64 lineNumber = 0;
    QHash<qint64, int> rowOfIndex;
    std::vector<quint8> inFlight; // per row: its last journal line said "in flight"
    static const QHash<QString, RowStatus> statuses{{QStringLiteral("succeeded"), RowStatus::Succeeded},
                                                    {QStringLiteral("failed"), RowStatus::Failed},
                                                    {QStringLiteral("pending"), RowStatus::Pending},
                                                    {QStringLiteral("cancelled"), RowStatus::Cancelled},
                                                    {kJournalQueued, RowStatus::Pending},
                                                    {kJournalSent, RowStatus::Succeeded}};
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
        if (parseError.error != QJsonParseError::NoError) {
            if (!line.endsWith('\n') && in.atEnd()) {
                // The last line was cut (the writer was killed while writing it): what it said is
                // said again, or the row stays in its earlier state.
                file.cutLastLine = true;
                break;
            }
            return fail(QStringLiteral("column %1: %2").arg(parseError.offset + 1).arg(parseError.errorString()));
        }
        const QString statusText = o.value(QLatin1String("status")).toString();
        if (const QJsonValue list = o.value(QLatin1String("indexes")); list.isArray()) {
            // A journal line about rows already listed: sent, or back in the queue for a retry.
            if (statusText != kJournalInFlight && statusText != kJournalQueued)
                return fail(QStringLiteral("a list of indexes with status \"%1\"").arg(statusText));
            for (const QJsonValue v : list.toArray()) {
                const int row = rowOfIndex.value(qint64(v.toDouble()), -1);
                if (row < 0)
                    return fail(QStringLiteral("index %1 is listed before its row").arg(qint64(v.toDouble())));
                inFlight[size_t(row)] = statusText == kJournalInFlight;
                if (statusText == kJournalQueued)
                    file.results.setStatus(row, RowStatus::Pending);
            }
            continue;
        }
        if (!o.contains(QLatin1String("index")) || !o.value(QLatin1String("index")).isDouble())
            return fail(QStringLiteral("\"index\" is missing or not a number"));
        if (!statuses.contains(statusText))
            return fail(QStringLiteral("\"status\" must be succeeded, failed, pending or cancelled, not \"%1\"").arg(statusText));
        const RowStatus status = statuses.value(statusText);
        const qint64 index = qint64(o.value(QLatin1String("index")).toDouble());
        std::optional<UInt128> explicitHashKey;
        if (const QJsonValue ehk = o.value(QLatin1String("explicitHashKey")); ehk.isString()) {
            auto parsed = parseHashKey(ehk.toString());
            if (!parsed.ok())
                return fail(QStringLiteral("\"explicitHashKey\": %1").arg(parsed.error().message));
            explicitHashKey = parsed.value();
        }
        int row = rowOfIndex.value(index, -1);
        QByteArray data;
        const QJsonValue d = o.value(QLatin1String("data"));
        if (d.isString()) {
            auto decoded = QByteArray::fromBase64Encoding(d.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(QStringLiteral("\"data\" is not valid base64"));
            data = *decoded;
        } else if (status != RowStatus::Succeeded && row < 0) {
            return fail(QStringLiteral("a row that did not succeed needs its \"data\" (base64)"));
        }
        const QString key = o.value(QLatin1String("partitionKey")).toString();
        if (row < 0) {
            row = file.store.append(key.toUtf8(), data, explicitHashKey);
            rowOfIndex.insert(index, row);
            file.results.resize(file.store.size());
            file.indexes.push_back(index);
            inFlight.push_back(0);
        } else if (d.isString()) {
            file.store.setData(row, data);
        }
        inFlight[size_t(row)] = 0;
        file.results.restore(row, status, o.value(QLatin1String("shardId")).toString(),
                             o.value(QLatin1String("sequenceNumber")).toString(), o.value(QLatin1String("errorCode")).toString(),
                             o.value(QLatin1String("errorMessage")).toString(), o.value(QLatin1String("attempts")).toInt());
        file.results.setPredictedShardId(row, o.value(QLatin1String("predictedShardId")).toString());
    }
    for (int row = 0; row < file.results.size(); ++row) {
        if (!inFlight[size_t(row)])
            continue;
        // Killed with the row's request in flight: it may or may not be in the stream.
        file.results.restore(row, RowStatus::Cancelled, {}, {}, QStringLiteral("InFlightWhenKilled"),
                             QStringLiteral("kwb put was stopped while this record's request was in flight; it may or may "
                                            "not be in the stream"),
                             file.results.attemptCount(row));
        ++file.unknownRows;
    }
    for (int row = 0; row < file.results.size(); ++row)
        if (file.results.status(row) == RowStatus::Cancelled && file.results.errorCode(row) != QLatin1String("InFlightWhenKilled"))
            ++file.unknownRows;
    return file;
}

} // namespace kwb::exporting
