#include "workspace/WorkspaceFile.h"

#include "import/BlockReader.h"
#include "import/JsonSyntaxChecker.h"
#include "import/LineReader.h"
#include "net/JsonWriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

#include <simdjson.h>

#include <string_view>

namespace kwb::workspace {

namespace dom = simdjson::dom;
using send::AttemptOutcome;
using send::RowStatus;
using send::VerifyState;

namespace {

constexpr qint64 kFlushBytes = 1024 * 1024;
constexpr qint64 kProgressRows = 16384;
/// Longest row line read back: the largest record (10 MiB) in base64 plus its outcome and history.
constexpr qint64 kMaxLineBytes = 64 * 1024 * 1024;

QLatin1String outcomeName(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Succeeded: return QLatin1String("succeeded");
    case AttemptOutcome::Throttled: return QLatin1String("throttled");
    case AttemptOutcome::Failed: return QLatin1String("failed");
    case AttemptOutcome::RequestFailed: return QLatin1String("request-failed");
    }
    return QLatin1String("failed");
}

std::optional<AttemptOutcome> parseOutcome(std::string_view name)
{
    for (AttemptOutcome o : {AttemptOutcome::Succeeded, AttemptOutcome::Throttled, AttemptOutcome::Failed,
                             AttemptOutcome::RequestFailed}) {
        if (name == std::string_view(outcomeName(o).data(), size_t(outcomeName(o).size())))
            return o;
    }
    return std::nullopt;
}

std::optional<RowStatus> parseStatus(std::string_view name)
{
    for (RowStatus s : {RowStatus::Pending, RowStatus::Queued, RowStatus::InFlight, RowStatus::Succeeded, RowStatus::Failed,
                        RowStatus::Cancelled}) {
        const QLatin1String n = send::rowStatusName(s);
        if (name == std::string_view(n.data(), size_t(n.size())))
            return s;
    }
    return std::nullopt;
}

std::optional<VerifyState> parseVerify(std::string_view name)
{
    for (VerifyState v : {VerifyState::NotVerified, VerifyState::Verified, VerifyState::Mismatched, VerifyState::Unreadable}) {
        const QLatin1String n = send::verifyStateName(v);
        if (name == std::string_view(n.data(), size_t(n.size())))
            return v;
    }
    return std::nullopt;
}

void appendField(QByteArray &out, const char *name, const QString &value)
{
    if (value.isEmpty())
        return;
    out += ",\"";
    out += name;
    out += "\":";
    net::appendJsonString(out, value);
}

void appendNumber(QByteArray &out, const char *name, qint64 value)
{
    out += ",\"";
    out += name;
    out += "\":";
    out += QByteArray::number(value);
}

QJsonObject targetToJson(const SavedTarget &t)
{
    QJsonObject o{{QStringLiteral("id"), t.id}, {QStringLiteral("kind"), t.kind}};
    const auto put = [&o](const char *name, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(name), value);
    };
    put("name", t.name);
    put("profile", t.profile);
    put("endpoint", t.endpointUrl);
    put("region", t.region);
    if (t.production)
        o.insert(QStringLiteral("production"), true);
    return o;
}

QByteArray headerLine(const WorkspaceContent &content)
{
    const WorkspaceHeader &h = content.header;
    const RowCounts counts = WorkspaceFile::countRows(content.results);
    QJsonObject o{
        {QStringLiteral("app"), h.appVersion},
        {QStringLiteral("savedAt"), (h.savedAt.isValid() ? h.savedAt : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("rows"), qint64(content.store.size())},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("pending"), counts.pending},
                                               {QStringLiteral("succeeded"), counts.succeeded},
                                               {QStringLiteral("failed"), counts.failed},
                                               {QStringLiteral("cancelled"), counts.cancelled},
                                               {QStringLiteral("inFlight"), counts.inFlight}}},
        {QStringLiteral("target"), targetToJson(h.target)},
        {QStringLiteral("virtualShards"), h.virtualShards},
        {QStringLiteral("maxRecordBytes"), h.maxRecordBytes},
        {QStringLiteral("send"), QJsonObject{{QStringLiteral("concurrency"), h.send.concurrency},
                                             {QStringLiteral("maxAttempts"), h.send.maxAttempts},
                                             {QStringLiteral("ratePercent"), h.send.ratePercent},
                                             {QStringLiteral("deadlineMs"), h.send.deadlineMs},
                                             {QStringLiteral("flowControl"), h.send.flowControl},
                                             {QStringLiteral("ordered"), h.send.ordered},
                                             {QStringLiteral("verify"), h.send.verify},
                                             {QStringLiteral("aggregate"), h.send.aggregate},
                                             {QStringLiteral("aggregateMaxBytes"), h.send.aggregateMaxBytes}}},
        {QStringLiteral("nextRowId"), h.nextRowId},
    };
    if (!h.stream.isEmpty()) {
        o.insert(QStringLiteral("stream"), h.stream);
        QJsonArray shards;
        for (const Shard &s : h.streamMap.shards()) {
            QJsonObject j{{QStringLiteral("id"), s.shardId},
                          {QStringLiteral("start"), hashKeyToString(s.startingHashKey)},
                          {QStringLiteral("end"), hashKeyToString(s.endingHashKey)}};
            if (!s.parentShardId.isEmpty())
                j.insert(QStringLiteral("parent"), s.parentShardId);
            if (!s.adjacentParentShardId.isEmpty())
                j.insert(QStringLiteral("adjacentParent"), s.adjacentParentShardId);
            if (!s.startingSequenceNumber.isEmpty())
                j.insert(QStringLiteral("startingSequenceNumber"), s.startingSequenceNumber);
            if (!s.endingSequenceNumber.isEmpty())
                j.insert(QStringLiteral("endingSequenceNumber"), s.endingSequenceNumber);
            shards.append(j);
        }
        o.insert(QStringLiteral("shards"), shards);
    }
    if (h.generator)
        o.insert(QStringLiteral("generate"), h.generator->toJson());
    if (!h.documentPath.isEmpty()) {
        o.insert(QStringLiteral("documentPath"), h.documentPath);
        o.insert(QStringLiteral("modified"), h.modified);
    }
    // The format and version first, whatever order QJsonObject keeps: file managers recognise
    // a workspace by these bytes (the MIME type's magic), and people by the first words.
    const QByteArray rest = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return QByteArray("{\"format\":\"") + WorkspaceFile::kFormat + "\",\"version\":" + QByteArray::number(WorkspaceHeader::kVersion)
        + ',' + rest.mid(1) + '\n';
}

void appendRow(QByteArray &out, const WorkspaceContent &content, int row)
{
    const RecordStore &store = content.store;
    const send::SendResults &results = content.results;
    out += "{\"id\":";
    out += QByteArray::number(content.rowIds.empty() ? qint64(row) : content.rowIds[size_t(row)]);
    out += ",\"pk\":";
    net::appendJsonString(out, store.partitionKeyUtf8(row));
    out += ",\"data\":";
    net::appendJsonBase64(out, store.data(row));
    if (store.hasExplicitHashKey(row)) {
        char digits[40];
        const int n = hashKeyToChars(store.explicitHashKey(row), digits);
        out += ",\"ehk\":\"";
        out.append(digits, n);
        out += '"';
    }
    if (const auto bad = content.badExplicitHashKeys.find(row); bad != content.badExplicitHashKeys.end())
        appendField(out, "badEhk", bad->second);
    if (row < results.size()) {
        const RowStatus status = results.status(row);
        out += ",\"status\":\"";
        out += send::rowStatusName(status).data();
        out += '"';
        appendField(out, "predicted", results.predictedShardId(row));
        appendField(out, "shard", results.shardId(row));
        appendField(out, "seq", results.sequenceNumber(row));
        appendField(out, "code", results.errorCode(row));
        appendField(out, "message", results.errorMessage(row));
        if (results.retriable(row))
            out += ",\"retriable\":true";
        if (results.verifyState(row) != VerifyState::NotVerified) {
            out += ",\"verify\":\"";
            out += send::verifyStateName(results.verifyState(row)).data();
            out += '"';
        }
        if (results.subSequence(row) >= 0) {
            // Sent inside an aggregated Kinesis record: its place there, the record's user
            // records, and how many rows back the record's first user row is.
            appendNumber(out, "sub", results.subSequence(row));
            appendNumber(out, "aggregateSize", results.aggregateSize(row));
            appendNumber(out, "aggregateOffset", row - results.aggregateFirstRow(row));
        }
        if (results.attemptCount(row) > 0) {
            appendNumber(out, "attempts", results.attemptCount(row));
            const std::vector<send::Attempt> attempts = results.attempts(row);
            if (!attempts.empty()) {
                out += ",\"history\":[";
                bool first = true;
                for (const send::Attempt &a : attempts) {
                    out += first ? "{\"at\":" : ",{\"at\":";
                    first = false;
                    out += QByteArray::number(a.startedMs);
                    appendNumber(out, "delay", a.delayMs);
                    appendNumber(out, "latency", a.latencyMs);
                    if (a.request > 0) {
                        appendNumber(out, "request", a.request);
                        appendNumber(out, "position", int(a.position));
                        appendNumber(out, "requestRecords", int(a.requestRecords));
                        appendNumber(out, "requestBytes", a.requestBytes);
                    }
                    out += ",\"outcome\":\"";
                    out += outcomeName(a.outcome).data();
                    out += '"';
                    appendField(out, "code", results.text(a.code));
                    appendField(out, "message", results.text(a.message));
                    out += '}';
                }
                out += ']';
            }
        }
    }
    out += "}\n";
}

Error writeError(const QIODevice &device, const QString &what)
{
    return Error::input(QStringLiteral("%1: %2").arg(what, device.errorString()), QStringLiteral("WriteFailed"));
}

Error cancelled()
{
    return Error{Error::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("Cancelled."), 0};
}

// Reading ----------------------------------------------------------------------------------

/// One row line's reader: keeps the dom parser and says where a problem is.
class RowReader
{
public:
    RowReader(const QString &name, WorkspaceContent &content) : m_name(name), m_content(content) {}

    Result<bool> read(const import::LineReader::Line &line);

private:
    Error fail(const import::LineReader::Line &line, qsizetype offset, const QString &what) const
    {
        const qint64 column = offset < 0 ? 1 : qint64(QString::fromUtf8(line.data, qMin<qint64>(offset, line.length)).size()) + 1;
        return Error::input(QStringLiteral("%1:%2:%3: %4. The workspace file is damaged; open a copy saved earlier, "
                                           "or remove this line to open the rest.")
                                .arg(m_name)
                                .arg(line.number)
                                .arg(column)
                                .arg(what),
                            QStringLiteral("InvalidWorkspace"));
    }
    /// Where "name": starts in the line, for messages about a field.
    qsizetype fieldOffset(const import::LineReader::Line &line, const char *name) const
    {
        const QByteArray needle = QByteArray("\"") + name + "\"";
        return QByteArrayView(line.data, line.length).indexOf(needle);
    }

    QString m_name;
    WorkspaceContent &m_content;
    dom::parser m_dom;
};

QString toQString(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

Result<bool> RowReader::read(const import::LineReader::Line &line)
{
    dom::object object;
    if (const auto error = m_dom.parse(line.data, size_t(line.length), false).get_object().get(object)) {
        const auto finding = import::JsonSyntaxChecker::check(QByteArrayView(line.data, line.length));
        if (!finding.ok)
            return fail(line, finding.offset, QStringLiteral("not valid JSON: %1").arg(finding.message));
        return fail(line, 0, QStringLiteral("a row must be a JSON object (%1)").arg(QString::fromLatin1(simdjson::error_message(error))));
    }
    const auto text = [&](const char *name, std::string_view &out, bool required) -> Result<bool> {
        const auto field = object[name];
        if (field.error() == simdjson::NO_SUCH_FIELD) {
            if (required)
                return fail(line, 0, QStringLiteral("the row has no \"%1\"").arg(QLatin1String(name)));
            out = {};
            return false;
        }
        if (field.get_string().get(out))
            return fail(line, fieldOffset(line, name), QStringLiteral("\"%1\" must be a string").arg(QLatin1String(name)));
        return true;
    };
    const auto number = [&](const char *name, qint64 &out) -> Result<bool> {
        const auto field = object[name];
        if (field.error() == simdjson::NO_SUCH_FIELD)
            return false;
        int64_t value = 0;
        if (field.get_int64().get(value) || value < 0)
            return fail(line, fieldOffset(line, name), QStringLiteral("\"%1\" must be a whole number >= 0").arg(QLatin1String(name)));
        out = value;
        return true;
    };

    qint64 id = 0;
    if (auto r = number("id", id); !r.ok())
        return r.error();
    else if (!r.value())
        return fail(line, 0, QStringLiteral("the row has no \"id\""));
    if (id > WorkspaceFile::kMaxRowId)
        return fail(line, fieldOffset(line, "id"),
                    QStringLiteral("\"id\" %1 is larger than the largest row id, %2").arg(id).arg(WorkspaceFile::kMaxRowId));

    std::string_view pk, data, ehk, badEhk;
    for (auto [name, out, required] : {std::tuple{"pk", &pk, true}, std::tuple{"data", &data, true},
                                       std::tuple{"ehk", &ehk, false}, std::tuple{"badEhk", &badEhk, false}}) {
        if (auto r = text(name, *out, required); !r.ok())
            return r.error();
    }
    const auto bytes = QByteArray::fromBase64Encoding(QByteArray::fromRawData(data.data(), qsizetype(data.size())),
                                                      QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes)
        return fail(line, fieldOffset(line, "data"), QStringLiteral("\"data\" is not valid base64"));
    std::optional<UInt128> explicitHashKey;
    if (!ehk.empty()) {
        auto parsed = parseHashKey(QByteArrayView(ehk.data(), qsizetype(ehk.size())));
        if (!parsed.ok())
            return fail(line, fieldOffset(line, "ehk"), QStringLiteral("\"ehk\": %1").arg(parsed.error().message));
        explicitHashKey = parsed.value();
    }

    const int row = m_content.store.append(QByteArrayView(pk.data(), qsizetype(pk.size())), *bytes, explicitHashKey);
    m_content.rowIds.push_back(id);
    if (!badEhk.empty())
        m_content.badExplicitHashKeys.emplace(row, toQString(badEhk));

    send::SendResults &results = m_content.results;
    results.resize(row + 1);
    std::string_view statusName, predicted, shard, seq, code, message, verify;
    for (auto [name, out] : {std::pair{"status", &statusName}, std::pair{"predicted", &predicted}, std::pair{"shard", &shard},
                             std::pair{"seq", &seq}, std::pair{"code", &code}, std::pair{"message", &message},
                             std::pair{"verify", &verify}}) {
        if (auto r = text(name, *out, false); !r.ok())
            return r.error();
    }
    std::optional<RowStatus> status = statusName.empty() ? RowStatus::Pending : parseStatus(statusName);
    if (!status)
        return fail(line, fieldOffset(line, "status"),
                    QStringLiteral("\"status\" must be pending, queued, in-flight, succeeded, failed or cancelled, not \"%1\"")
                        .arg(toQString(statusName)));
    bool retriable = false;
    if (const auto field = object["retriable"]; field.error() != simdjson::NO_SUCH_FIELD && field.get_bool().get(retriable))
        return fail(line, fieldOffset(line, "retriable"), QStringLiteral("\"retriable\" must be true or false"));

    // The history first: adding attempts counts them; the saved count wins afterwards.
    dom::array history;
    if (const auto field = object["history"]; field.error() != simdjson::NO_SUCH_FIELD) {
        if (field.get_array().get(history))
            return fail(line, fieldOffset(line, "history"), QStringLiteral("\"history\" must be an array"));
        for (dom::element e : history) {
            dom::object a;
            int64_t at = 0, delay = 0, latency = 0, request = 0, position = 0, requestRecords = 0, requestBytes = 0;
            std::string_view outcomeText, attemptCode, attemptMessage;
            if (e.get_object().get(a) || a["at"].get_int64().get(at) || a["outcome"].get_string().get(outcomeText))
                return fail(line, fieldOffset(line, "history"),
                            QStringLiteral("each \"history\" entry needs \"at\" (a number) and \"outcome\" (a string)"));
            // The other members are optional, but when present they must have their type.
            const auto optional = [](simdjson::error_code e) { return e == simdjson::SUCCESS || e == simdjson::NO_SUCH_FIELD; };
            if (!optional(a["delay"].get_int64().get(delay)) || !optional(a["latency"].get_int64().get(latency))
                || !optional(a["code"].get_string().get(attemptCode)) || !optional(a["message"].get_string().get(attemptMessage)))
                return fail(line, fieldOffset(line, "history"),
                            QStringLiteral("a \"history\" entry has \"delay\" or \"latency\" that is not a number, or \"code\" or "
                                           "\"message\" that is not a string"));
            if (!optional(a["request"].get_int64().get(request)) || !optional(a["position"].get_int64().get(position))
                || !optional(a["requestRecords"].get_int64().get(requestRecords))
                || !optional(a["requestBytes"].get_int64().get(requestBytes)) || request < 0 || request > INT32_MAX
                || position < 0 || position >= send::Attempt::kMaxRequestRecords || requestRecords < 0
                || requestRecords > send::Attempt::kMaxRequestRecords || requestBytes < 0 || requestBytes > INT32_MAX)
                return fail(line, fieldOffset(line, "history"),
                            QStringLiteral("a \"history\" entry has \"request\", \"position\", \"requestRecords\" or "
                                           "\"requestBytes\" that is not a number in range (request and bytes 0 to 2147483647, "
                                           "position and records 0 to %1)").arg(send::Attempt::kMaxRequestRecords));
            const auto outcome = parseOutcome(outcomeText);
            if (!outcome)
                return fail(line, fieldOffset(line, "history"),
                            QStringLiteral("unknown attempt outcome \"%1\"").arg(toQString(outcomeText)));
            send::Attempt attempt;
            attempt.startedMs = at;
            attempt.delayMs = qint32(delay);
            attempt.latencyMs = qint32(latency);
            attempt.request = qint32(request);
            attempt.position = quint32(position);
            attempt.requestRecords = quint32(requestRecords);
            attempt.requestBytes = qint32(requestBytes);
            attempt.outcome = *outcome;
            attempt.code = results.intern(toQString(attemptCode));
            attempt.message = results.intern(toQString(attemptMessage));
            results.addAttempt(row, attempt);
        }
    }
    qint64 attempts = results.attemptCount(row);
    if (auto r = number("attempts", attempts); !r.ok())
        return r.error();

    // A row that was on its way when the file was written may or may not have reached the
    // stream: it comes back as cancelled, saying so, never as pending or succeeded.
    if (*status == RowStatus::Queued || *status == RowStatus::InFlight) {
        results.restore(row, RowStatus::Cancelled, {}, {}, WorkspaceFile::interruptedCode(), WorkspaceFile::interruptedMessage(),
                        int(attempts));
    } else {
        results.restore(row, *status, toQString(shard), toQString(seq), toQString(code), toQString(message), int(attempts),
                        retriable);
    }
    results.setPredictedShardId(row, toQString(predicted));
    qint64 sub = -1, aggregateSize = 0, aggregateOffset = 0;
    for (auto [name, out] : {std::pair{"sub", &sub}, std::pair{"aggregateSize", &aggregateSize},
                             std::pair{"aggregateOffset", &aggregateOffset}})
        if (auto r = number(name, *out); !r.ok())
            return r.error();
    if (sub >= 0) {
        if (sub >= aggregateSize || aggregateSize > INT32_MAX || aggregateOffset < 0 || aggregateOffset > row)
            return fail(line, fieldOffset(line, "sub"),
                        QStringLiteral("\"sub\" must be below \"aggregateSize\", and \"aggregateOffset\" from 0 to the "
                                       "rows before this one (%1)")
                            .arg(row));
        // The rows that name the same first row share a Kinesis record: that row's number is
        // the record's identity here (counted from 1).
        results.setAggregateId(row, int(sub), int(aggregateSize), qint32(row - aggregateOffset) + 1);
    }
    if (!verify.empty()) {
        const auto state = parseVerify(verify);
        if (!state)
            return fail(line, fieldOffset(line, "verify"), QStringLiteral("unknown \"verify\" state \"%1\"").arg(toQString(verify)));
        // Only a succeeded record was read back; on any other row the state means nothing (a
        // pending row carries no outcome at all), so a hand-edited file cannot put one there.
        if (results.status(row) == RowStatus::Succeeded)
            results.setVerifyState(row, *state);
    }
    return true;
}

/// A whole number from 0 to `max` in a header member; `fallback` when it is absent. Checked as a
/// double first: a JSON number such as 1e300 does not fit a qint64.
Result<qint64> wholeNumber(const QJsonObject &object, const char *name, qint64 max, qint64 fallback)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isUndefined())
        return fallback;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > double(max) || number != std::floor(number))
        return Error::input(QStringLiteral("\"%1\" must be a whole number from 0 to %2, not %3. The workspace file is "
                                           "damaged; open a copy saved earlier.")
                                .arg(QLatin1String(name))
                                .arg(max)
                                .arg(QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1)),
                            QStringLiteral("InvalidWorkspace"));
    return qint64(number);
}

Result<WorkspaceHeader> parseHeader(QByteArrayView line, const QString &name)
{
    const auto fail = [&](const QString &what) {
        return Error::input(QStringLiteral("%1:1: %2").arg(name, what), QStringLiteral("InvalidWorkspace"));
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()
        || document.object().value(QLatin1String("format")).toString() != QLatin1String(WorkspaceFile::kFormat))
        return fail(QStringLiteral("not a Kinesis Workbench workspace (the first line must be its header). To read records "
                                   "from this file, use File ▸ Add records from file… (or kwb put)."));
    const QJsonObject o = document.object();
    WorkspaceHeader h;
    h.version = o.value(QLatin1String("version")).toInt();
    if (h.version < 1 || h.version > WorkspaceHeader::kVersion)
        return fail(QStringLiteral("workspace format version %1; this version of Kinesis Workbench reads version %2. "
                                   "Open it with a newer Kinesis Workbench.")
                        .arg(h.version)
                        .arg(WorkspaceHeader::kVersion));
    h.appVersion = o.value(QLatin1String("app")).toString();
    h.savedAt = QDateTime::fromString(o.value(QLatin1String("savedAt")).toString(), Qt::ISODateWithMs);
    // Row counts are at most the number of row ids a file may hold.
    if (auto rows = wholeNumber(o, "rows", WorkspaceFile::kMaxRowId, 0); !rows.ok())
        return fail(rows.error().message);
    else
        h.rows = rows.value();
    const QJsonObject counts = o.value(QLatin1String("counts")).toObject();
    for (auto [name, target] : {std::pair{"pending", &h.counts.pending}, std::pair{"succeeded", &h.counts.succeeded},
                                std::pair{"failed", &h.counts.failed}, std::pair{"cancelled", &h.counts.cancelled},
                                std::pair{"inFlight", &h.counts.inFlight}}) {
        auto count = wholeNumber(counts, name, WorkspaceFile::kMaxRowId, 0);
        if (!count.ok())
            return fail(QStringLiteral("in \"counts\": ") + count.error().message);
        *target = count.value();
    }
    const QJsonObject t = o.value(QLatin1String("target")).toObject();
    h.target.id = t.value(QLatin1String("id")).toString();
    h.target.kind = t.value(QLatin1String("kind")).toString();
    h.target.name = t.value(QLatin1String("name")).toString();
    h.target.profile = t.value(QLatin1String("profile")).toString();
    h.target.endpointUrl = t.value(QLatin1String("endpoint")).toString();
    h.target.region = t.value(QLatin1String("region")).toString();
    h.target.production = t.value(QLatin1String("production")).toBool();
    h.virtualShards = o.value(QLatin1String("virtualShards")).toInt(4);
    // A stream's records are at most 10 MiB (MaxRecordSizeInKiB 10240).
    if (auto bytes = wholeNumber(o, "maxRecordBytes", limits::kMaxRequestBytes, limits::kDefaultMaxRecordBytes); !bytes.ok())
        return fail(bytes.error().message);
    else
        h.maxRecordBytes = bytes.value();
    const QJsonObject s = o.value(QLatin1String("send")).toObject();
    const SavedSendSettings defaults;
    h.send.concurrency = s.value(QLatin1String("concurrency")).toInt(defaults.concurrency);
    h.send.maxAttempts = s.value(QLatin1String("maxAttempts")).toInt(defaults.maxAttempts);
    h.send.ratePercent = s.value(QLatin1String("ratePercent")).toDouble(defaults.ratePercent);
    h.send.deadlineMs = s.value(QLatin1String("deadlineMs")).toInteger(defaults.deadlineMs);
    h.send.flowControl = s.value(QLatin1String("flowControl")).toBool(defaults.flowControl);
    if (!s.contains(QLatin1String("flowControl"))) {
        // Written before flow control: its defaults (4 in flight, 3 attempts, no pacing) were
        // not choices, so they become today's automatic ones; other values were chosen and stay.
        if (h.send.concurrency == 4)
            h.send.concurrency = defaults.concurrency;
        if (h.send.maxAttempts == 3)
            h.send.maxAttempts = defaults.maxAttempts;
    }
    h.send.ordered = s.value(QLatin1String("ordered")).toBool();
    h.send.verify = s.value(QLatin1String("verify")).toBool();
    // Files written before aggregation have neither key: not aggregated, the KPL's default size.
    // Ordered and aggregated exclude each other; a file claiming both (edited by hand) keeps the
    // order, which the send bar then shows with Aggregate cleared.
    h.send.aggregate = s.value(QLatin1String("aggregate")).toBool() && !h.send.ordered;
    if (auto bytes = wholeNumber(s, "aggregateMaxBytes", limits::kMaxRequestBytes, defaults.aggregateMaxBytes);
        !bytes.ok() || bytes.value() < 1024)
        return fail(bytes.ok() ? QStringLiteral("\"aggregateMaxBytes\" must be at least 1024 bytes, not %1. The "
                                                "workspace file is damaged; open a copy saved earlier.")
                                     .arg(bytes.value())
                               : bytes.error().message);
    else
        h.send.aggregateMaxBytes = bytes.value();
    if (auto next = wholeNumber(o, "nextRowId", WorkspaceFile::kMaxRowId + 1, 0); !next.ok())
        return fail(next.error().message);
    else
        h.nextRowId = next.value();
    h.documentPath = o.value(QLatin1String("documentPath")).toString();
    h.modified = o.value(QLatin1String("modified")).toBool();
    if (const QJsonValue generate = o.value(QLatin1String("generate")); !generate.isUndefined()) {
        auto saved = generate.isObject() ? SavedGenerator::fromJson(generate.toObject())
                                         : Result<SavedGenerator>(Error::input(QStringLiteral("\"generate\" must be an object")));
        if (!saved.ok())
            return fail(saved.error().message);
        h.generator = std::move(saved.value());
    }
    h.stream = o.value(QLatin1String("stream")).toString();
    if (!h.stream.isEmpty()) {
        std::vector<Shard> shards;
        for (const QJsonValue &v : o.value(QLatin1String("shards")).toArray()) {
            const QJsonObject j = v.toObject();
            Shard shard;
            shard.shardId = j.value(QLatin1String("id")).toString();
            shard.parentShardId = j.value(QLatin1String("parent")).toString();
            shard.adjacentParentShardId = j.value(QLatin1String("adjacentParent")).toString();
            shard.startingSequenceNumber = j.value(QLatin1String("startingSequenceNumber")).toString();
            shard.endingSequenceNumber = j.value(QLatin1String("endingSequenceNumber")).toString();
            auto start = parseHashKey(j.value(QLatin1String("start")).toString());
            auto end = parseHashKey(j.value(QLatin1String("end")).toString());
            if (!start.ok() || !end.ok())
                return fail(QStringLiteral("shard %1 has a bad hash key range").arg(shard.shardId));
            shard.startingHashKey = start.value();
            shard.endingHashKey = end.value();
            shards.push_back(std::move(shard));
        }
        auto map = ShardMap::fromShards(std::move(shards));
        if (!map.ok())
            return fail(QStringLiteral("the saved shards of stream %1 do not fit together: %2").arg(h.stream, map.error().message));
        h.streamMap = std::move(map.value());
    }
    return h;
}

} // namespace

RowCounts WorkspaceFile::countRows(const send::SendResults &results)
{
    RowCounts c;
    for (int row = 0; row < results.size(); ++row) {
        switch (results.status(row)) {
        case RowStatus::Pending: ++c.pending; break;
        case RowStatus::Queued:
        case RowStatus::InFlight: ++c.inFlight; break;
        case RowStatus::Succeeded: ++c.succeeded; break;
        case RowStatus::Failed: ++c.failed; break;
        case RowStatus::Cancelled: ++c.cancelled; break;
        }
    }
    return c;
}

QString WorkspaceFile::interruptedCode()
{
    return QStringLiteral("Interrupted");
}

QString WorkspaceFile::interruptedMessage()
{
    return QStringLiteral("The workbench stopped while this row was being sent: it may or may not have been written. "
                          "Retry failed sends it again (the stream may then have it twice).");
}

Result<bool> WorkspaceFile::write(QIODevice &device, const WorkspaceContent &content, const WorkspaceProgress &progress)
{
    QByteArray buffer = headerLine(content);
    buffer.reserve(kFlushBytes * 2);
    const int rows = content.store.size();
    for (int row = 0; row < rows; ++row) {
        appendRow(buffer, content, row);
        if (buffer.size() >= kFlushBytes) {
            if (device.write(buffer) != buffer.size())
                return writeError(device, QStringLiteral("Could not write the workspace"));
            buffer.resize(0);
        }
        if (progress && row % kProgressRows == kProgressRows - 1 && !progress(row + 1, rows))
            return cancelled();
    }
    if (!buffer.isEmpty() && device.write(buffer) != buffer.size())
        return writeError(device, QStringLiteral("Could not write the workspace"));
    // A cancel that comes at the very end still keeps a file from being committed.
    if (progress && !progress(rows, rows))
        return cancelled();
    return true;
}

Result<bool> WorkspaceFile::save(const QString &path, const WorkspaceContent &content, const WorkspaceProgress &progress)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(file, QStringLiteral("Could not create %1").arg(path));
    auto written = write(file, content, progress);
    if (!written.ok()) {
        file.cancelWriting();
        return written;
    }
    if (!file.commit())
        return writeError(file, QStringLiteral("Could not save %1").arg(path));
    return true;
}

Result<WorkspaceHeader> WorkspaceFile::readHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("Could not open %1: %2").arg(path, file.errorString()), QStringLiteral("OpenFailed"));
    QByteArray line = file.readLine(16 * 1024 * 1024);
    if (line.endsWith('\n'))
        line.chop(1);
    return parseHeader(line, path);
}

Result<WorkspaceContent> WorkspaceFile::read(QIODevice &device, const QString &name, const WorkspaceProgress &progress)
{
    import::BlockReader blocks(device, 1024 * 1024, device.isSequential() ? -1 : device.size(), nullptr);
    if (auto bom = blocks.skipBom(); !bom.ok())
        return bom.error();
    import::LineReader lines(blocks, kMaxLineBytes);
    import::LineReader::Line line;

    auto first = lines.next(line);
    if (!first.ok())
        return first.error();
    if (!first.value() || line.tooLong)
        return Error::input(QStringLiteral("%1: empty, or not a Kinesis Workbench workspace").arg(name), QStringLiteral("InvalidWorkspace"));
    auto header = parseHeader(QByteArrayView(line.data, line.length), name);
    if (!header.ok())
        return header.error();

    WorkspaceContent content;
    content.header = std::move(header.value());
    const qint64 expected = content.header.rows;
    // The header's count is a promise the rows may not keep: room for no more rows than the
    // bytes could hold (a row line is longer than 16 bytes), so a damaged count cannot ask for
    // gigabytes of memory.
    const qint64 room = std::min(expected, (device.isSequential() ? qint64(1) << 20 : device.size()) / 16);
    if (room > 0 && room < std::numeric_limits<int>::max()) {
        content.store.reserve(int(room));
        content.rowIds.reserve(size_t(room));
    }
    RowReader rows(name, content);
    while (true) {
        auto more = lines.next(line);
        if (!more.ok())
            return more.error();
        if (!more.value())
            break;
        if (line.tooLong)
            return Error::input(QStringLiteral("%1:%2: the line is longer than %3 MiB; the workspace file is damaged.")
                                    .arg(name)
                                    .arg(line.number)
                                    .arg(kMaxLineBytes / 1024 / 1024),
                                QStringLiteral("InvalidWorkspace"));
        if (QByteArrayView(line.data, line.length).trimmed().isEmpty())
            continue;
        if (auto r = rows.read(line); !r.ok())
            return r.error();
        if (progress && content.store.size() % kProgressRows == 0 && !progress(content.store.size(), expected))
            return cancelled();
    }
    // A file cut short (a full disk, a copy stopped half-way) must not pass for the whole workspace.
    if (content.store.size() != expected)
        return Error::input(QStringLiteral("%1: the header promises %2 rows but the file has %3; it was cut short. "
                                           "Open a copy saved earlier, or the autosave.")
                                .arg(name)
                                .arg(expected)
                                .arg(content.store.size()),
                            QStringLiteral("InvalidWorkspace"));
    content.header.counts = countRows(content.results);
    // New rows get ids above every loaded one, whatever the header says (ids are <= kMaxRowId).
    for (const qint64 id : content.rowIds)
        content.header.nextRowId = std::max(content.header.nextRowId, id + 1);
    if (progress)
        progress(content.store.size(), expected);
    return content;
}

Result<WorkspaceContent> WorkspaceFile::load(const QString &path, const WorkspaceProgress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("Could not open %1: %2").arg(path, file.errorString()), QStringLiteral("OpenFailed"));
    return read(file, path, progress);
}

} // namespace kwb::workspace
