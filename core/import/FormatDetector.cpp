#include "FormatDetector.h"

#include "import/CsvImporter.h"

#include <QFileInfo>

#include <simdjson.h>

#include <cstring>
#include <utility>

namespace kwb::import {

namespace {

bool isWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

QByteArrayView withoutBom(QByteArrayView head)
{
    return head.startsWith("\xEF\xBB\xBF") ? head.sliced(3) : head;
}

qsizetype skipWhitespace(QByteArrayView text, qsizetype i)
{
    while (i < text.size() && isWhitespace(text[i]))
        ++i;
    return i;
}

/// Scans the JSON value starting at `start`: returns the offset after it (-1 when it does not end
/// within `text`) and collects the names of its top-level members when it is an object.
qsizetype scanValue(QByteArrayView text, qsizetype start, QStringList *members = nullptr)
{
    int depth = 0;
    bool inString = false;
    qsizetype stringStart = 0;
    bool expectName = false;
    for (qsizetype i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
                if (members && depth == 1 && expectName)
                    *members << QString::fromUtf8(text.sliced(stringStart, i - stringStart));
                expectName = false;
                if (depth == 0)
                    return i + 1;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            stringStart = i + 1;
            break;
        case '{':
            ++depth;
            expectName = depth == 1;
            break;
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (--depth == 0)
                return i + 1;
            break;
        case ',':
            expectName = depth == 1 && text[start] == '{';
            break;
        default:
            if (depth == 0 && (isWhitespace(c) || c == ','))
                return i;
            break;
        }
    }
    return -1;
}

/// Where the first JSON object of a `format` input starts in `text` (the first line's object, an
/// array's first element, the first put-records record); -1 when there is none.
qsizetype firstObjectStart(Format format, QByteArrayView text)
{
    qsizetype i = skipWhitespace(text, 0);
    if (format == Format::AwsCli && i < text.size() && text[i] == '{') {
        const qsizetype records = text.indexOf("\"Records\"", i);
        if (records < 0)
            return -1;
        i = text.indexOf('[', records);
        if (i < 0)
            return -1;
    }
    if ((format == Format::JsonArray || format == Format::AwsCli) && i < text.size() && text[i] == '[')
        i = skipWhitespace(text, i + 1);
    if (i >= text.size() || text[i] != '{')
        return -1;
    return i;
}

/// Appends the dotted paths of `object`'s members (and of nested objects' members) under `prefix`.
void addFields(const simdjson::dom::object &object, const QString &prefix, int depth, int maxFields,
               QStringList &fields)
{
    constexpr int kMaxDepth = 8;
    for (const simdjson::dom::key_value_pair member : object) {
        if (fields.size() >= maxFields)
            return;
        const QString name = QString::fromUtf8(member.key.data(), qsizetype(member.key.size()));
        if (name.contains(QLatin1Char('.')))
            continue;
        const QString path = prefix.isEmpty() ? name : prefix + QLatin1Char('.') + name;
        if (fields.contains(path))
            continue; // a repeated name: the path finds the first
        fields << path;
        simdjson::dom::object inner;
        if (depth < kMaxDepth && !member.value.get_object().get(inner))
            addFields(inner, path, depth + 1, maxFields, fields);
    }
}

QList<QByteArrayView> splitHeader(QByteArrayView line, char delimiter)
{
    QList<QByteArrayView> fields;
    qsizetype begin = 0;
    for (qsizetype i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == delimiter) {
            QByteArrayView field = line.sliced(begin, i - begin).trimmed();
            if (field.size() >= 2 && field.startsWith('"') && field.endsWith('"'))
                field = field.sliced(1, field.size() - 2);
            fields << field;
            begin = i + 1;
        }
    }
    return fields;
}

bool headerHasDataColumn(QByteArrayView line, char delimiter, const ColumnMapping &columns)
{
    QStringList header;
    for (QByteArrayView field : splitHeader(line, delimiter))
        header << QString::fromUtf8(field);
    if (header.size() < 2)
        return false;
    return CsvImporter::findColumn(header, columns.data, {QStringLiteral("data"), QStringLiteral("Data")}) >= 0;
}

} // namespace

Format FormatDetector::detect(const QString &fileName, QByteArrayView head, bool wholeInput, const ColumnMapping &columns)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson") || suffix == QLatin1String("jsonlines"))
        return Format::JsonLines;
    if (suffix == QLatin1String("csv"))
        return Format::Csv;
    if (suffix == QLatin1String("tsv") || suffix == QLatin1String("tab"))
        return Format::Tsv;
    if (suffix == QLatin1String("txt") || suffix == QLatin1String("text") || suffix == QLatin1String("log"))
        return Format::Text;
    const bool jsonName = suffix == QLatin1String("json");

    const QByteArrayView text = withoutBom(head);
    if (!text.isEmpty() && std::memchr(text.data(), 0, size_t(text.size())))
        return Format::RawFile;
    const qsizetype first = skipWhitespace(text, 0);
    if (first >= text.size())
        return jsonName ? Format::JsonArray : Format::Text;
    const char c = text[first];
    if (c == '[') {
        // "[INFO] started" is a log line, not JSON: outside .json files an array must hold objects.
        const qsizetype next = skipWhitespace(text, first + 1);
        if (jsonName || next >= text.size() || text[next] == '{' || text[next] == ']')
            return Format::JsonArray;
    }
    if (c == '{') {
        QStringList members;
        const qsizetype end = scanValue(text, first, &members);
        const bool awsCli = members.contains(QLatin1String("Records")) || members.contains(QLatin1String("StreamName"))
            || members.contains(QLatin1String("StreamARN"));
        if (end < 0)
            return awsCli ? Format::AwsCli : Format::JsonObject;
        const qsizetype after = skipWhitespace(text, end);
        if (after < text.size())
            return text[after] == '{' ? Format::JsonLines : Format::JsonObject;
        if (!wholeInput && !awsCli)
            return Format::JsonLines; // one object filled the sample exactly: more lines likely follow
        return awsCli ? Format::AwsCli : Format::JsonObject;
    }
    if (jsonName)
        return Format::JsonArray;
    const qsizetype lineEnd = text.indexOf('\n');
    const QByteArrayView firstLine = (lineEnd < 0 ? text : text.first(lineEnd)).trimmed();
    if (firstLine.contains('\t') && headerHasDataColumn(firstLine, '\t', columns))
        return Format::Tsv;
    if (firstLine.contains(',') && headerHasDataColumn(firstLine, ',', columns))
        return Format::Csv;
    return Format::Text;
}

QStringList FormatDetector::firstObjectMembers(Format format, QByteArrayView head)
{
    const QByteArrayView text = withoutBom(head);
    const qsizetype i = firstObjectStart(format, text);
    if (i < 0)
        return {};
    QStringList members;
    scanValue(text, i, &members);
    return members;
}

QStringList FormatDetector::firstObjectFields(Format format, QByteArrayView head, int maxFields)
{
    const QByteArrayView text = withoutBom(head);
    const qsizetype start = firstObjectStart(format, text);
    if (start < 0)
        return {};
    QStringList members;
    const qsizetype end = scanValue(text, start, &members);
    auto topLevel = [&] {
        QStringList fields;
        for (const QString &name : std::as_const(members))
            if (!name.contains(QLatin1Char('.')) && fields.size() < maxFields)
                fields << name;
        return fields;
    };
    if (end < 0)
        return topLevel();
    const simdjson::padded_string json(text.data() + start, size_t(end - start));
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(json).get_object().get(object))
        return topLevel();
    QStringList fields;
    addFields(object, QString(), 0, maxFields, fields);
    return fields;
}

} // namespace kwb::import
