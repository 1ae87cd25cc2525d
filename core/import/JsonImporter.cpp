#include "JsonImporter.h"

#include "import/DataDecoder.h"
#include "import/JsonStreamer.h"
#include "import/JsonSyntaxChecker.h"
#include "import/LineReader.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kwb::import {

namespace dom = simdjson::dom;
namespace ondemand = simdjson::ondemand;

namespace {

/// What a JSON value is, for messages: "a number", "an array".
QString typeName(const dom::element &element)
{
    switch (element.type()) {
    case dom::element_type::ARRAY:
        return QStringLiteral("an array");
    case dom::element_type::OBJECT:
        return QStringLiteral("an object");
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
        return QStringLiteral("a number");
    case dom::element_type::STRING:
        return QStringLiteral("a string");
    case dom::element_type::BOOL:
        return QStringLiteral("a boolean");
    case dom::element_type::NULL_VALUE:
        return QStringLiteral("null");
    }
    return QStringLiteral("a value");
}

QString fromView(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/// "'x'", "a space", "the end" for a byte from JsonStreamer::peek().
QString describeByte(int c)
{
    if (c < 0)
        return QStringLiteral("the end");
    const char ch = char(c);
    return DataDecoder::describeCharacter(QByteArrayView(&ch, 1), 0);
}

/// Where a value sits: its context in messages ("line", "array element").
enum class Context { Line, Element, Document };

/// Copies a JSON text into `out` (padded for simdjson) with every integer of 19 digits or more in
/// double quotes. simdjson reads numbers up to 64 bits and refuses the text with a longer one;
/// keys and explicit hash keys may be 128-bit numbers, and as strings their text is the same.
/// Returns the copy's length, or -1 when there is no such integer.
qint64 quoteLongIntegers(const char *p, qint64 length, std::string &out)
{
    out.clear();
    bool found = false;
    qint64 copied = 0;
    for (qint64 i = 0; i < length;) {
        const char c = p[i];
        if (c == '"') {
            for (++i; i < length && p[i] != '"'; ++i)
                if (p[i] == '\\')
                    ++i;
            ++i;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            ++i;
            continue;
        }
        const qint64 start = i;
        if (c == '-')
            ++i;
        const qint64 digitsStart = i;
        while (i < length && p[i] >= '0' && p[i] <= '9')
            ++i;
        const bool integer = i >= length || (p[i] != '.' && p[i] != 'e' && p[i] != 'E');
        if (integer && i - digitsStart >= 19) {
            out.append(p + copied, size_t(start - copied));
            out += '"';
            out.append(p + start, size_t(i - start));
            out += '"';
            copied = i;
            found = true;
        }
        while (i < length && (p[i] == '.' || p[i] == 'e' || p[i] == 'E' || p[i] == '+' || p[i] == '-'
                              || (p[i] >= '0' && p[i] <= '9')))
            ++i;
    }
    if (!found)
        return -1;
    out.append(p + copied, size_t(length - copied));
    const auto quotedLength = qint64(out.size());
    out.append(simdjson::SIMDJSON_PADDING, '\0');
    return quotedLength;
}

} // namespace

class JsonImporter::Impl
{
public:
    Result<void> run(BlockReader &reader, Format format, RecordSink &sink);

private:
    Result<void> runLines(BlockReader &reader);
    Result<void> runDocument(BlockReader &reader);
    Result<void> streamArray(JsonStreamer &streamer);
    Result<void> streamAwsCliObject(JsonStreamer &streamer);
    /// Reads and imports the value at the front; false when the input ended inside it.
    Result<bool> readElement(JsonStreamer &streamer, Context context);
    /// Reads the JSON string at the front (at most 64 KiB, as written) into `text` and consumes
    /// it; false, consuming nothing, when the front is not one complete, valid JSON string.
    Result<bool> readString(JsonStreamer &streamer, QString &text);

    void processValue(const char *p, qint64 length, SourceLocation at, Context context);
    void processParsed(const dom::element &root, const char *p, qint64 length, SourceLocation at, Context context);
    /// One JSON Lines line: counts it empty, or imports it. False when reading must end (limit).
    bool processLine(const LineReader::Line &line);
    /// Imports the lines [from, to) parsed all at once; returns the index of the first line it did
    /// not take (it stops at a line that is not exactly one object, and at the limit).
    size_t processLinesAtOnce(const std::vector<LineReader::Line> &lines, size_t from, size_t to, bool &atLimit);
    void processRecord(const dom::element &root, const char *p, qint64 length, SourceLocation at);
    void rejectNoKey(SourceLocation at);
    void processObject(const dom::element &root, const char *p, qint64 length, SourceLocation at);
    void decideShape(const dom::object &object);

    /// A dotted field path (ImportOptions::partitionKeyField, dataField, explicitHashKeyField).
    struct FieldPath
    {
        std::vector<std::string> parts;
        std::vector<std::string_view> views; ///< into parts
        QString text;
        const char *what = "";   ///< "key field", for messages
        const char *ifMissing = ""; ///< what to do when an object does not have it

        void set(const QString &path, const char *role, const char *hint);
        bool isEmpty() const { return views.empty(); }
    };
    /// The value at `path` in the object; false when it was rejected (missing, or under a value
    /// that is not an object).
    bool findField(const dom::element &root, const char *p, qint64 length, SourceLocation at, const FieldPath &path,
                   dom::element &value);
    /// The key at the field path; false when it was rejected.
    bool fieldKey(const dom::element &root, const char *p, qint64 length, SourceLocation at, QByteArrayView &key,
                  SourceLocation &keyAt);
    /// The explicit hash key at its field path (none for null); false when it was rejected.
    bool fieldHashKey(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                      std::optional<UInt128> &hashKey);
    /// Accepts the record with the value at the data field path as its data; false when rejected.
    bool acceptFieldData(const dom::element &root, const char *p, qint64 length, SourceLocation at, QByteArrayView key,
                         SourceLocation keyAt, const QString &keyWhat, std::optional<UInt128> hashKey);
    /// The value at `path` as written in the JSON text (a whole object or array, a number as
    /// written); empty when not found. Slow path.
    QByteArrayView rawValue(const char *p, qint64 length, const std::vector<std::string_view> &path);

    /// Byte offset of the member at `path` in the JSON text (its value, or its name when `name`),
    /// the `occurrence`-th one when a name repeats; -1 when not found. Slow path, for messages.
    qint64 locate(const char *p, qint64 length, const std::vector<std::string_view> &path, bool name = false,
                  int occurrence = 0);
    SourceLocation locateAt(const char *p, qint64 length, SourceLocation at, const std::vector<std::string_view> &path,
                            bool name = false, int occurrence = 0);
    void rejectSyntax(const char *p, qint64 length, SourceLocation at, bool truncated);
    QString tooLongMessage(qint64 length) const;

    RecordSink *m_sink = nullptr;
    Format m_format = Format::JsonLines;
    JsonShape m_shape = JsonShape::Auto;
    DataEncoding m_encoding = DataEncoding::Text;
    FieldPath m_keyPath;
    FieldPath m_dataPath;
    FieldPath m_hashPath;
    std::string m_quoted; ///< the current value with long integers quoted (quoteLongIntegers)
    bool m_longIntegersQuoted = false; ///< the current value was parsed from m_quoted
    dom::parser m_dom;
    dom::parser m_many; ///< for many JSON Lines at once
    ondemand::parser m_ondemand;
    std::string m_scratch;
    char m_numberKey[32] = {};
};

JsonImporter::JsonImporter() : d(std::make_unique<Impl>()) {}

JsonImporter::~JsonImporter() = default;

Result<void> JsonImporter::run(BlockReader &reader, Format format, RecordSink &sink)
{
    return d->run(reader, format, sink);
}

Result<void> JsonImporter::Impl::run(BlockReader &reader, Format format, RecordSink &sink)
{
    m_sink = &sink;
    m_format = format;
    const ImportOptions &options = sink.options();
    m_shape = format == Format::AwsCli ? JsonShape::Records : options.jsonShape;
    const bool fields = sink.strategy() == KeyStrategy::Field || !options.dataField.isEmpty()
        || !options.explicitHashKeyField.isEmpty();
    if (m_shape == JsonShape::Auto && fields)
        m_shape = JsonShape::Objects;
    m_encoding = options.dataEncoding;
    if (m_encoding == DataEncoding::Auto)
        m_encoding = format == Format::AwsCli ? DataEncoding::Base64 : DataEncoding::Text;
    m_keyPath.set(sink.strategy() == KeyStrategy::Field ? options.partitionKeyField : QString(), "key field",
                  "check the field path, or choose another key strategy");
    m_dataPath.set(options.dataField, "data field",
                   "check the field path, or clear the data field to make each whole object the data");
    m_hashPath.set(options.explicitHashKeyField, "explicit hash key field",
                   "add it (null for none), or clear the explicit hash key field");
    if (m_shape != JsonShape::Auto)
        sink.report().jsonShape = m_shape;
    if (format == Format::JsonLines)
        return runLines(reader);
    return runDocument(reader);
}

void JsonImporter::Impl::FieldPath::set(const QString &path, const char *role, const char *hint)
{
    parts.clear();
    views.clear();
    text = path;
    what = role;
    ifMissing = hint;
    if (path.isEmpty())
        return;
    for (const QByteArray &part : path.toUtf8().split('.'))
        parts.emplace_back(part.constData(), size_t(part.size()));
    for (const std::string &part : parts)
        views.emplace_back(part);
}

QString JsonImporter::Impl::tooLongMessage(qint64 length) const
{
    return QStringLiteral("this record takes %1 in the file, more than any record of at most %2 can; make it "
                          "smaller or raise the maximum record size")
        .arg(formatBytes(length), formatBytes(m_sink->options().maxRecordBytes));
}

Result<void> JsonImporter::Impl::runLines(BlockReader &reader)
{
    LineReader lineReader(reader, m_sink->maxInputRecordBytes());
    std::vector<LineReader::Line> lines;
    lines.reserve(8192);
    while (!m_sink->stopped()) {
        auto next = lineReader.nextBatch(lines);
        if (!next)
            return next.error();
        if (!next.value())
            break;
        // Lines go through simdjson's parse_many up to a thousand at a time (one structural scan
        // instead of one per line). A line that is not exactly one object (a syntax error, two
        // values on a line) and a few after it are taken one by one, which says what is wrong.
        constexpr size_t kWindow = 1024;
        constexpr size_t kOneByOneAfterFault = 32;
        size_t done = 0;
        size_t oneByOneUntil = 0;
        while (done < lines.size() && !m_sink->stopped()) {
            if (done >= oneByOneUntil && lines.size() - done >= 4) {
                const size_t to = std::min(lines.size(), done + kWindow);
                bool atLimit = false;
                done = processLinesAtOnce(lines, done, to, atLimit);
                if (atLimit)
                    return {};
                if (done == to || m_sink->stopped())
                    continue;
                oneByOneUntil = done + kOneByOneAfterFault;
            }
            if (!processLine(lines[done]))
                return {};
            ++done;
        }
    }
    return {};
}

bool JsonImporter::Impl::processLine(const LineReader::Line &line)
{
    if (line.tooLong) {
        if (m_sink->atLimit())
            return false;
        m_sink->beginRecord();
        m_sink->reject({line.number, 1}, tooLongMessage(line.length));
        return true;
    }
    const char *p = line.data;
    const char *e = line.data + line.length;
    while (p < e && isJsonWhitespace(*p))
        ++p;
    while (e > p && isJsonWhitespace(e[-1]))
        --e;
    if (p == e) {
        m_sink->countEmptyLine();
        return true;
    }
    if (m_sink->atLimit())
        return false;
    m_sink->beginRecord();
    processValue(p, e - p, {line.number, 1 + DataDecoder::countCharacters(line.data, p)}, Context::Line);
    return true;
}

size_t JsonImporter::Impl::processLinesAtOnce(const std::vector<LineReader::Line> &lines, size_t from, size_t to,
                                              bool &atLimit)
{
    const LineReader::Line &last = lines[to - 1];
    const char *begin = lines[from].data;
    const size_t length = size_t(last.data + last.length - begin);
    dom::document_stream stream;
    if (m_many.parse_many(reinterpret_cast<const uint8_t *>(begin), length, std::max<size_t>(length, 1024)).get(stream))
        return from;
    size_t i = from;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
        // Empty lines produce no document.
        const char *p = nullptr;
        const char *e = nullptr;
        for (; i < to; ++i) {
            p = lines[i].data;
            e = p + lines[i].length;
            while (p < e && isJsonWhitespace(*p))
                ++p;
            while (e > p && isJsonWhitespace(e[-1]))
                --e;
            if (p != e)
                break;
            m_sink->countEmptyLine();
        }
        if (i == to)
            return i;
        dom::element root;
        if ((*it).get(root))
            return i;
        const std::string_view source = it.source();
        if (source.data() != p || source.size() != size_t(e - p))
            return i; // not exactly this line: the line by line path says what is wrong
        if (m_sink->atLimit()) {
            atLimit = true;
            return i;
        }
        m_sink->beginRecord();
        processParsed(root, p, e - p, {lines[i].number, 1 + DataDecoder::countCharacters(lines[i].data, p)},
                      Context::Line);
        ++i;
        if (m_sink->stopped())
            return i;
    }
    // Trailing empty lines give no document.
    for (; i < to; ++i) {
        const char *p = lines[i].data;
        const char *e = p + lines[i].length;
        while (p < e && isJsonWhitespace(*p))
            ++p;
        if (p != e)
            break;
        m_sink->countEmptyLine();
    }
    return i;
}

Result<void> JsonImporter::Impl::runDocument(BlockReader &reader)
{
    JsonStreamer streamer(reader);
    auto first = streamer.peek();
    if (!first)
        return first.error();
    const int c = first.value();
    if (c < 0)
        return {}; // empty input: nothing to import
    const SourceLocation start = streamer.location();
    const QString found = DataDecoder::describeCharacter(QByteArrayView(reader.begin(), 1), 0);
    Result<void> result;
    QString what;
    if (c == '[' && m_format != Format::JsonObject) {
        what = QStringLiteral("array");
        result = streamArray(streamer);
    } else if (c == '{' && m_format == Format::AwsCli) {
        what = QStringLiteral("object");
        result = streamAwsCliObject(streamer);
    } else if (c == '{' && m_format == Format::JsonObject) {
        what = QStringLiteral("object");
        auto element = readElement(streamer, Context::Document);
        if (!element)
            return element.error();
        if (!element.value())
            return {};
    } else {
        QString message;
        if (m_format == Format::JsonArray)
            message = QStringLiteral("the input starts with %1, not '[': it is not a JSON array (for one object per "
                                     "line choose the jsonl format, for a single object json-object)")
                          .arg(found);
        else if (m_format == Format::JsonObject)
            message = QStringLiteral("the input starts with %1, not '{': it is not a JSON object").arg(found);
        else
            message = QStringLiteral("the input starts with %1; put-records input is an object "
                                     "{\"StreamName\": ..., \"Records\": [...]} or an array of records")
                          .arg(found);
        m_sink->problem(start, message, true);
        return {};
    }
    if (!result)
        return result;
    if (m_sink->stopped() || m_sink->report().limitReached)
        return {};
    auto next = streamer.peek();
    if (!next)
        return next.error();
    if (next.value() >= 0)
        m_sink->problem(streamer.location(),
                        QStringLiteral("unexpected %1 after the end of the JSON %2; remove it (one JSON value per "
                                       "file, or choose the jsonl format for one object per line)")
                            .arg(DataDecoder::describeCharacter(QByteArrayView(reader.begin(), 1), 0), what),
                        true);
    return {};
}

Result<bool> JsonImporter::Impl::readElement(JsonStreamer &streamer, Context context)
{
    const SourceLocation at = streamer.location();
    auto scanned = streamer.scanValue(m_sink->maxInputRecordBytes());
    if (!scanned)
        return scanned.error();
    const JsonStreamer::Value &value = scanned.value();
    m_sink->beginRecord();
    if (value.tooLong) {
        m_sink->reject(at, value.complete ? tooLongMessage(value.length)
                                          : QStringLiteral("the input ends inside this value (an unterminated string "
                                                           "or a missing '}' or ']'?)"));
        return value.complete;
    }
    if (!value.complete) {
        rejectSyntax(value.data, value.length, at, true);
        streamer.consume(value.length);
        return false;
    }
    processValue(value.data, value.length, at, context);
    streamer.consume(value.length);
    return true;
}

Result<void> JsonImporter::Impl::streamArray(JsonStreamer &streamer)
{
    streamer.consume(1); // '['
    bool afterComma = false;
    bool first = true;
    for (;;) {
        auto peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        int c = peeked.value();
        if (c < 0) {
            m_sink->problem(streamer.location(), QStringLiteral("the input ends inside the array; a ']' is missing"), false);
            return {};
        }
        if (c == ']' && (first || afterComma)) {
            if (afterComma)
                m_sink->problem(streamer.location(),
                                QStringLiteral("a comma before ']' with no element after it; remove the comma"), false);
            streamer.consume(1);
            return {};
        }
        if (m_sink->stopped() || m_sink->atLimit())
            return {};
        auto element = readElement(streamer, Context::Element);
        if (!element)
            return element.error();
        if (!element.value())
            return {}; // the input ended inside the element, which said so
        first = false;
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        c = peeked.value();
        if (c == ',') {
            streamer.consume(1);
            afterComma = true;
            continue;
        }
        if (c == ']') {
            streamer.consume(1);
            return {};
        }
        if (c < 0) {
            if (!m_sink->stopped())
                m_sink->problem(streamer.location(), QStringLiteral("the input ends inside the array; a ']' is missing"),
                                false);
            return {};
        }
        if (m_sink->stopped())
            return {};
        m_sink->problem(streamer.location(),
                        QStringLiteral("expected ',' or ']' after an array element, found %1").arg(describeByte(c)),
                        true);
        return {};
    }
}

Result<void> JsonImporter::Impl::streamAwsCliObject(JsonStreamer &streamer)
{
    const SourceLocation open = streamer.location();
    streamer.consume(1); // '{'
    bool sawRecords = false;
    bool first = true;
    const auto describe = describeByte;
    for (;;) {
        auto peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        int c = peeked.value();
        if (c < 0) {
            m_sink->problem(streamer.location(), QStringLiteral("the input ends inside the put-records object; a '}' is missing"),
                            false);
            return {};
        }
        if (c == '}' && first) {
            streamer.consume(1);
            break;
        }
        const SourceLocation nameAt = streamer.location();
        if (c != '"') {
            m_sink->problem(nameAt, QStringLiteral("expected a member name in double quotes, found %1").arg(describe(c)), true);
            return {};
        }
        QString memberName;
        auto name = readString(streamer, memberName);
        if (!name)
            return name.error();
        if (!name.value()) {
            m_sink->problem(nameAt, QStringLiteral("a member name of the put-records object is not a valid JSON string"), true);
            return {};
        }
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        if (peeked.value() != ':') {
            m_sink->problem(streamer.location(), QStringLiteral("expected ':' after the member name, found %1")
                                                     .arg(describe(peeked.value())),
                            true);
            return {};
        }
        streamer.consume(1);
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        c = peeked.value();
        const SourceLocation valueAt = streamer.location();
        if (memberName == QLatin1String("Records")) {
            if (c != '[') {
                m_sink->problem(valueAt, QStringLiteral("\"Records\" must be an array of records, found %1")
                                             .arg(describe(c)),
                                true);
                return {};
            }
            sawRecords = true;
            if (auto records = streamArray(streamer); !records)
                return records;
            if (m_sink->stopped() || m_sink->report().limitReached)
                return {};
        } else if (memberName == QLatin1String("StreamName") || memberName == QLatin1String("StreamARN")) {
            if (c < 0) {
                m_sink->problem(valueAt, QStringLiteral("the input ends where the value of \"%1\" should be").arg(memberName), false);
                return {};
            }
            auto value = readString(streamer, m_sink->report().streamName);
            if (!value)
                return value.error();
            if (!value.value()) {
                m_sink->problem(valueAt, QStringLiteral("\"%1\" must be a string").arg(memberName), true);
                return {};
            }
        } else {
            m_sink->problem(nameAt, QStringLiteral("unknown member \"%1\"; put-records input has only StreamName, "
                                                   "StreamARN and Records")
                                        .arg(memberName),
                            true);
            return {};
        }
        first = false;
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        c = peeked.value();
        if (c == ',') {
            streamer.consume(1);
            continue;
        }
        if (c == '}') {
            streamer.consume(1);
            break;
        }
        if (c < 0) {
            m_sink->problem(streamer.location(), QStringLiteral("the input ends inside the put-records object; a '}' is missing"),
                            false);
            return {};
        }
        m_sink->problem(streamer.location(),
                        QStringLiteral("expected ',' or '}' after a member of the put-records object, found %1").arg(describe(c)),
                        true);
        return {};
    }
    if (!sawRecords)
        m_sink->problem(open, QStringLiteral("the put-records object has no \"Records\" array; it looks like "
                                             "{\"StreamName\": \"...\", \"Records\": [{\"Data\": \"...\", \"PartitionKey\": \"...\"}]}"),
                        true);
    return {};
}

Result<bool> JsonImporter::Impl::readString(JsonStreamer &streamer, QString &text)
{
    auto scanned = streamer.scanValue(64 * 1024);
    if (!scanned)
        return scanned.error();
    std::string_view view;
    if (scanned.value().tooLong || !scanned.value().complete
        || m_dom.parse(scanned.value().data, size_t(scanned.value().length), false).get_string().get(view))
        return false;
    text = fromView(view);
    streamer.consume(scanned.value().length);
    return true;
}

void JsonImporter::Impl::rejectSyntax(const char *p, qint64 length, SourceLocation at, bool truncated)
{
    const QByteArrayView text(p, length);
    const JsonSyntaxChecker::Finding finding =
        truncated ? JsonSyntaxChecker::checkTruncated(text) : JsonSyntaxChecker::check(text);
    if (finding.ok) {
        // simdjson refused what the checker accepts (e.g. an integer beyond 64 bits).
        auto error = m_dom.parse(p, size_t(length), false).error();
        m_sink->reject(at, QStringLiteral("not valid JSON (%1)").arg(QString::fromLatin1(simdjson::error_message(error))));
        return;
    }
    m_sink->reject(JsonStreamer::advance(at, p, p + finding.offset), finding.message);
}

qint64 JsonImporter::Impl::locate(const char *p, qint64 length, const std::vector<std::string_view> &path, bool name,
                                  int occurrence)
{
    ondemand::document doc;
    if (m_ondemand.iterate(p, size_t(length), size_t(length) + simdjson::SIMDJSON_PADDING).get(doc))
        return -1;
    ondemand::object object;
    if (doc.get_object().get(object))
        return -1;
    for (size_t i = 0; i < path.size(); ++i) {
        if (i + 1 < path.size()) {
            ondemand::value value;
            if (object.find_field_unordered(path[i]).get(value) || value.get_object().get(object))
                return -1;
            continue;
        }
        int seen = 0;
        for (auto entry : object) {
            ondemand::field field;
            if (std::move(entry).get(field))
                return -1;
            const char *rawName = reinterpret_cast<const char *>(field.key().raw());
            std::string_view key;
            if (field.unescaped_key().get(key))
                return -1;
            if (key != path[i])
                continue;
            if (seen++ < occurrence)
                continue;
            if (name)
                return rawName - 1 - p;
            ondemand::value value = field.value();
            return value.raw_json_token().data() - p;
        }
        return -1;
    }
    return -1;
}

SourceLocation JsonImporter::Impl::locateAt(const char *p, qint64 length, SourceLocation at,
                                            const std::vector<std::string_view> &path, bool name, int occurrence)
{
    const qint64 offset = locate(p, length, path, name, occurrence);
    if (offset < 0 || offset > length)
        return at;
    return JsonStreamer::advance(at, p, p + offset);
}

void JsonImporter::Impl::processValue(const char *p, qint64 length, SourceLocation at, Context context)
{
    dom::element root;
    if (m_dom.parse(p, size_t(length), false).get(root)) {
        // Whole objects may hold 128-bit numbers (keys, explicit hash keys); records may not.
        if (m_shape != JsonShape::Records) {
            const qint64 quoted = quoteLongIntegers(p, length, m_quoted);
            if (quoted >= 0 && !m_dom.parse(m_quoted.data(), size_t(quoted), false).get(root) && root.is_object()) {
                if (m_shape == JsonShape::Auto)
                    decideShape(root.get_object().value_unsafe());
                if (m_shape == JsonShape::Objects) {
                    m_longIntegersQuoted = true;
                    processObject(root, p, length, at);
                    m_longIntegersQuoted = false;
                    return;
                }
            }
        }
        rejectSyntax(p, length, at, false);
        return;
    }
    processParsed(root, p, length, at, context);
}

void JsonImporter::Impl::processParsed(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                       Context context)
{
    if (!root.is_object()) {
        const QString where = context == Context::Line ? QStringLiteral("each line must hold a JSON object")
            : context == Context::Element              ? QStringLiteral("each element of the array must be a JSON object")
                                                       : QStringLiteral("the JSON value must be an object");
        m_sink->reject(at, QStringLiteral("%1, found %2").arg(where, typeName(root)));
        return;
    }
    const dom::object object = root.get_object().value_unsafe();
    if (m_shape == JsonShape::Auto)
        decideShape(object);
    if (m_shape == JsonShape::Records)
        processRecord(root, p, length, at);
    else
        processObject(root, p, length, at);
}

void JsonImporter::Impl::decideShape(const dom::object &object)
{
    bool hasData = false;
    bool onlyRecordMembers = true;
    for (const dom::key_value_pair member : object) {
        if (member.key == "Data")
            hasData = true;
        else if (member.key != "PartitionKey" && member.key != "ExplicitHashKey")
            onlyRecordMembers = false;
    }
    m_shape = hasData && onlyRecordMembers ? JsonShape::Records : JsonShape::Objects;
    m_sink->report().jsonShape = m_shape;
}

void JsonImporter::Impl::rejectNoKey(SourceLocation at)
{
    m_sink->reject(at,
                   QStringLiteral("these objects are not Kinesis records ({\"PartitionKey\", \"Data\", "
                                  "\"ExplicitHashKey\"}), so each whole object becomes a record's data and its "
                                  "partition key must come from a key field (such as user.id) or a key strategy"),
                   true);
}

void JsonImporter::Impl::processRecord(const dom::element &root, const char *p, qint64 length, SourceLocation at)
{
    const dom::object object = root.get_object().value_unsafe();
    std::string_view key;
    std::string_view data;
    bool hasKey = false;
    bool hasData = false;
    bool hasHashKey = false;
    std::optional<UInt128> hashKey;
    auto typeError = [&](const char *member, const dom::element &value, const QString &hint) {
        m_sink->reject(locateAt(p, length, at, {std::string_view(member)}),
                       QStringLiteral("\"%1\" must be a string, found %2; %3")
                           .arg(QLatin1String(member), typeName(value), hint));
    };
    auto duplicate = [&](const char *member) {
        m_sink->reject(locateAt(p, length, at, {std::string_view(member)}, true, 1),
                       QStringLiteral("\"%1\" appears twice in this record; keep one").arg(QLatin1String(member)));
    };
    for (const dom::key_value_pair member : object) {
        if (member.key == "PartitionKey") {
            if (hasKey)
                return duplicate("PartitionKey");
            if (!member.value.is_string())
                return typeError("PartitionKey", member.value, QStringLiteral("put the key in double quotes"));
            key = member.value.get_string().value_unsafe();
            hasKey = true;
        } else if (member.key == "Data") {
            if (hasData)
                return duplicate("Data");
            if (!member.value.is_string())
                return typeError("Data", member.value,
                                 m_format == Format::AwsCli ? QStringLiteral("the AWS CLI input needs the data as a base64 string")
                                     : member.value.is_object() || member.value.is_array()
                                     ? QStringLiteral("to import whole objects as data, choose the objects shape")
                                     : QStringLiteral("put the data in double quotes"));
            data = member.value.get_string().value_unsafe();
            hasData = true;
        } else if (member.key == "ExplicitHashKey") {
            if (hasHashKey)
                return duplicate("ExplicitHashKey");
            hasHashKey = true;
            if (member.value.is_null())
                continue;
            if (!member.value.is_string())
                return typeError("ExplicitHashKey", member.value,
                                 QStringLiteral("write the 128-bit number as a string of digits (\"ExplicitHashKey\": \"123\")"));
            const std::string_view text = member.value.get_string().value_unsafe();
            auto parsed = parseHashKey(QByteArrayView(text.data(), qsizetype(text.size())));
            if (!parsed) {
                m_sink->reject(locateAt(p, length, at, {std::string_view("ExplicitHashKey")}),
                               QStringLiteral("\"ExplicitHashKey\" is not valid: %1").arg(parsed.error().message));
                return;
            }
            hashKey = parsed.value();
        } else {
            const QString name = fromView(member.key);
            m_sink->reject(locateAt(p, length, at, {member.key}, true),
                           m_format == Format::AwsCli
                               ? QStringLiteral("unknown member \"%1\" in a record; the AWS CLI accepts only Data, "
                                                "PartitionKey and ExplicitHashKey")
                                     .arg(name)
                               : QStringLiteral("unknown member \"%1\" in a record; a record has only PartitionKey, Data "
                                                "and ExplicitHashKey (to import whole objects, choose the objects shape)")
                                     .arg(name));
            return;
        }
    }
    if (!hasData) {
        m_sink->reject(at, QStringLiteral("\"Data\" is missing; every record needs \"Data\""));
        return;
    }
    QByteArrayView keyView;
    SourceLocation keyAt = at;
    QString keyWhat = QStringLiteral("\"PartitionKey\"");
    if (m_sink->generatesKeys()) {
        keyView = m_sink->generatedKey();
        keyWhat = QStringLiteral("the generated key");
    } else if (m_sink->strategy() == KeyStrategy::Field) {
        if (!fieldKey(root, p, length, at, keyView, keyAt))
            return;
        keyWhat = QStringLiteral("field \"%1\"").arg(m_keyPath.text);
    } else {
        if (!hasKey) {
            m_sink->reject(at, QStringLiteral("\"PartitionKey\" is missing; add it to every record, or choose a key strategy"));
            return;
        }
        keyView = QByteArrayView(key.data(), qsizetype(key.size()));
        if (key.empty() || key.size() > size_t(limits::kMaxPartitionKeyChars))
            keyAt = locateAt(p, length, at, {std::string_view("PartitionKey")});
    }
    const QByteArrayView dataView(data.data(), qsizetype(data.size()));
    if (m_encoding == DataEncoding::Text) {
        m_sink->acceptCopy(keyView, dataView, hashKey, at, keyAt, keyWhat);
        return;
    }
    char *out = m_sink->dataBuffer(DataDecoder::maxDecodedSize(m_encoding, dataView.size()));
    DataDecoder::Failure failure;
    const qsizetype bytes = DataDecoder::decode(m_encoding, dataView, out, &failure);
    if (bytes < 0) {
        const QString hint = m_format == Format::AwsCli
            ? QStringLiteral("the AWS CLI input needs Data in base64")
            : m_encoding == DataEncoding::Base64
            ? QStringLiteral("Data must be base64 here (choose the utf8 data encoding for plain text)")
            : QStringLiteral("Data must be hex digits here (choose another data encoding)");
        m_sink->reject(locateAt(p, length, at, {std::string_view("Data")}),
                       QStringLiteral("\"Data\" is not valid %1 (%2); %3")
                           .arg(dataEncodingName(m_encoding), failure.detail, hint));
        return;
    }
    m_sink->accept(keyView, bytes, hashKey, at, keyAt, keyWhat);
}

bool JsonImporter::Impl::findField(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                   const FieldPath &path, dom::element &value)
{
    value = root;
    for (size_t i = 0; i < path.views.size(); ++i) {
        dom::object object;
        if (value.get_object().get(object)) {
            std::vector<std::string_view> parent(path.views.begin(), path.views.begin() + qsizetype(i));
            m_sink->reject(parent.empty() ? at : locateAt(p, length, at, parent),
                           QStringLiteral("field \"%1\" is %2, not an object, so the %3 \"%4\" cannot be found in it")
                               .arg(fromView(path.views[i - 1]), typeName(value), QLatin1String(path.what), path.text));
            return false;
        }
        if (object.at_key(path.views[i]).get(value)) {
            m_sink->reject(at, QStringLiteral("the %1 \"%2\" is missing in this object; %3")
                                   .arg(QLatin1String(path.what), path.text, QLatin1String(path.ifMissing)));
            return false;
        }
    }
    return true;
}

bool JsonImporter::Impl::fieldKey(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                  QByteArrayView &key, SourceLocation &keyAt)
{
    dom::element value;
    if (!findField(root, p, length, at, m_keyPath, value))
        return false;
    keyAt = locateAt(p, length, at, m_keyPath.views);
    switch (value.type()) {
    case dom::element_type::STRING: {
        const std::string_view text = value.get_string().value_unsafe();
        key = QByteArrayView(text.data(), qsizetype(text.size()));
        return true;
    }
    case dom::element_type::BOOL:
        key = value.get_bool().value_unsafe() ? QByteArrayView("true") : QByteArrayView("false");
        return true;
    case dom::element_type::INT64: {
        const auto r = std::to_chars(m_numberKey, m_numberKey + sizeof m_numberKey, value.get_int64().value_unsafe());
        key = QByteArrayView(m_numberKey, r.ptr - m_numberKey);
        return true;
    }
    case dom::element_type::UINT64: {
        const auto r = std::to_chars(m_numberKey, m_numberKey + sizeof m_numberKey, value.get_uint64().value_unsafe());
        key = QByteArrayView(m_numberKey, r.ptr - m_numberKey);
        return true;
    }
    case dom::element_type::DOUBLE: {
        // The number's own text ("1.50", "2e3"), not a reformatted double.
        const qint64 offset = locate(p, length, m_keyPath.views);
        if (offset >= 0) {
            const char *s = p + offset;
            const char *e = s;
            while (e < p + length && !isJsonWhitespace(*e) && *e != ',' && *e != '}' && *e != ']')
                ++e;
            m_scratch.assign(s, size_t(e - s));
        } else {
            m_scratch = std::to_string(value.get_double().value_unsafe());
        }
        key = QByteArrayView(m_scratch.data(), qsizetype(m_scratch.size()));
        return true;
    }
    case dom::element_type::NULL_VALUE:
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
        break;
    }
    m_sink->reject(keyAt, QStringLiteral("the key field \"%1\" is %2; a partition key must be a string, number or boolean")
                              .arg(m_keyPath.text, typeName(value)));
    return false;
}

void JsonImporter::Impl::processObject(const dom::element &root, const char *p, qint64 length, SourceLocation at)
{
    QByteArrayView key;
    SourceLocation keyAt = at;
    QString keyWhat;
    if (m_sink->strategy() == KeyStrategy::Auto)
        return rejectNoKey(at);
    if (m_sink->strategy() == KeyStrategy::Field) {
        if (!fieldKey(root, p, length, at, key, keyAt))
            return;
        keyWhat = QStringLiteral("field \"%1\"").arg(m_keyPath.text);
    } else {
        key = m_sink->generatedKey();
        keyWhat = QStringLiteral("the generated key");
    }
    std::optional<UInt128> hashKey;
    if (!m_hashPath.isEmpty() && !fieldHashKey(root, p, length, at, hashKey))
        return;
    if (!m_dataPath.isEmpty()) {
        acceptFieldData(root, p, length, at, key, keyAt, keyWhat, hashKey);
        return;
    }
    m_sink->acceptCopy(key, QByteArrayView(p, length), hashKey, at, keyAt, keyWhat);
}

bool JsonImporter::Impl::fieldHashKey(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                      std::optional<UInt128> &hashKey)
{
    dom::element value;
    if (!findField(root, p, length, at, m_hashPath, value))
        return false;
    char digits[32];
    QByteArrayView text;
    switch (value.type()) {
    case dom::element_type::NULL_VALUE:
        hashKey.reset();
        return true;
    case dom::element_type::STRING: {
        const std::string_view string = value.get_string().value_unsafe();
        text = QByteArrayView(string.data(), qsizetype(string.size()));
        break;
    }
    case dom::element_type::INT64: {
        const auto r = std::to_chars(digits, digits + sizeof digits, value.get_int64().value_unsafe());
        text = QByteArrayView(digits, r.ptr - digits);
        break;
    }
    case dom::element_type::UINT64: {
        const auto r = std::to_chars(digits, digits + sizeof digits, value.get_uint64().value_unsafe());
        text = QByteArrayView(digits, r.ptr - digits);
        break;
    }
    case dom::element_type::DOUBLE:
        text = rawValue(p, length, m_hashPath.views); // "1.5", "2e3": the parser says what is wrong
        break;
    case dom::element_type::BOOL:
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
        m_sink->reject(locateAt(p, length, at, m_hashPath.views),
                       QStringLiteral("the explicit hash key field \"%1\" is %2; write a decimal number from 0 to "
                                      "2^128-1, as a string or a number")
                           .arg(m_hashPath.text, typeName(value)));
        return false;
    }
    auto parsed = parseHashKey(text);
    if (!parsed) {
        m_sink->reject(locateAt(p, length, at, m_hashPath.views),
                       QStringLiteral("the explicit hash key field \"%1\" is not valid: %2")
                           .arg(m_hashPath.text, parsed.error().message));
        return false;
    }
    hashKey = parsed.value();
    return true;
}

bool JsonImporter::Impl::acceptFieldData(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                         QByteArrayView key, SourceLocation keyAt, const QString &keyWhat,
                                         std::optional<UInt128> hashKey)
{
    dom::element value;
    if (!findField(root, p, length, at, m_dataPath, value))
        return false;
    bool isString = value.is_string();
    QByteArrayView raw;
    if (!isString || m_longIntegersQuoted) {
        raw = rawValue(p, length, m_dataPath.views);
        if (isString && !raw.startsWith('"'))
            isString = false; // a long number, quoted only for the parser
    }
    if (!isString) {
        // Not a string: its JSON text as written is the data.
        if (raw.isEmpty()) {
            m_sink->reject(locateAt(p, length, at, m_dataPath.views),
                           QStringLiteral("the data field \"%1\" cannot be read").arg(m_dataPath.text));
            return false;
        }
        return m_sink->acceptCopy(key, raw, hashKey, at, keyAt, keyWhat);
    }
    const std::string_view string = value.get_string().value_unsafe();
    const QByteArrayView text(string.data(), qsizetype(string.size()));
    if (m_encoding == DataEncoding::Text)
        return m_sink->acceptCopy(key, text, hashKey, at, keyAt, keyWhat);
    char *out = m_sink->dataBuffer(DataDecoder::maxDecodedSize(m_encoding, text.size()));
    DataDecoder::Failure failure;
    const qsizetype bytes = DataDecoder::decode(m_encoding, text, out, &failure);
    if (bytes < 0) {
        m_sink->reject(locateAt(p, length, at, m_dataPath.views),
                       QStringLiteral("the data field \"%1\" is not valid %2 (%3); %4")
                           .arg(m_dataPath.text, dataEncodingName(m_encoding), failure.detail,
                                m_encoding == DataEncoding::Base64
                                    ? QStringLiteral("fix the value, or choose the utf8 data encoding for plain text")
                                    : QStringLiteral("fix the value, or choose another data encoding")));
        return false;
    }
    return m_sink->accept(key, bytes, hashKey, at, keyAt, keyWhat);
}

QByteArrayView JsonImporter::Impl::rawValue(const char *p, qint64 length, const std::vector<std::string_view> &path)
{
    ondemand::document doc;
    if (m_ondemand.iterate(p, size_t(length), size_t(length) + simdjson::SIMDJSON_PADDING).get(doc))
        return {};
    ondemand::object object;
    if (doc.get_object().get(object))
        return {};
    ondemand::value value;
    for (size_t i = 0; i < path.size(); ++i) {
        if (object.find_field_unordered(path[i]).get(value))
            return {};
        if (i + 1 < path.size() && value.get_object().get(object))
            return {};
    }
    std::string_view text;
    ondemand::json_type type;
    if (value.type().get(type))
        return {};
    if (type == ondemand::json_type::object) {
        ondemand::object inner;
        if (value.get_object().get(inner) || inner.raw_json().get(text))
            return {};
    } else if (type == ondemand::json_type::array) {
        ondemand::array inner;
        if (value.get_array().get(inner) || inner.raw_json().get(text))
            return {};
    } else {
        text = value.raw_json_token();
    }
    // simdjson's raw text runs up to the next token: the whitespace after the value is not its own.
    while (!text.empty() && isJsonWhitespace(text.back()))
        text.remove_suffix(1);
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

} // namespace kwb::import
