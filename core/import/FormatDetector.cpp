#include "FormatDetector.h"

#include "import/CsvImporter.h"
#include "kpl/KplFormat.h"

#include <QFileInfo>

#include <simdjson.h>

#include <algorithm>
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
    // A Kinesis record in the KPL aggregated format, saved as it is.
    if (kpl::hasKplMagic(head))
        return Format::KplRecords;
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

FormatDetector::WideTextFinding FormatDetector::wideText(QByteArrayView head)
{
    const auto starts = [&](const char *bom, qsizetype size) { return head.size() >= size && std::memcmp(head.data(), bom, size_t(size)) == 0; };
    // UTF-32LE's mark begins with UTF-16LE's: test the longer one first.
    if (starts("\xFF\xFE\x00\x00", 4))
        return {WideText::Utf32LE, true};
    if (starts("\x00\x00\xFE\xFF", 4))
        return {WideText::Utf32BE, true};
    if (starts("\xFF\xFE", 2))
        return {WideText::Utf16LE, true};
    if (starts("\xFE\xFF", 2))
        return {WideText::Utf16BE, true};

    // Without a mark: look at up to 4 KiB. UTF-32 code units are at most 0x10FFFF, so one of
    // their bytes is always 0 and the next at most 0x10; a binary file (a PNG, a zip) soon
    // breaks that. UTF-16 text that is mostly ASCII has a NUL beside nearly every other byte
    // and never two NULs side by side in a code unit.
    const qsizetype n = std::min<qsizetype>(head.size(), 4096);
    const auto *b = reinterpret_cast<const uchar *>(head.data());
    if (n < 4 || !std::memchr(b, 0, size_t(n)))
        return {};
    const qsizetype quads = n / 4;
    bool le32 = true;
    bool be32 = true;
    for (qsizetype i = 0; i < quads && (le32 || be32); ++i) {
        const uchar *q = b + 4 * i;
        le32 = le32 && q[3] == 0 && q[2] <= 0x10 && (q[0] | q[1] | q[2]) != 0;
        be32 = be32 && q[0] == 0 && q[1] <= 0x10 && (q[1] | q[2] | q[3]) != 0;
    }
    if (le32)
        return {WideText::Utf32LE, false};
    if (be32)
        return {WideText::Utf32BE, false};
    const qsizetype pairs = n / 2;
    qsizetype asciiLE = 0;
    qsizetype asciiBE = 0;
    for (qsizetype i = 0; i < pairs; ++i) {
        const uchar lo = b[2 * i];
        const uchar hi = b[2 * i + 1];
        if (lo == 0 && hi == 0)
            return {}; // a NUL code unit: not text
        asciiLE += hi == 0 ? 1 : 0;
        asciiBE += lo == 0 ? 1 : 0;
    }
    // Most characters of a JSON, CSV or log file are ASCII: ask for at least half on one side
    // and next to none on the other (U+0100 in UTF-16BE is 01 00).
    if (asciiLE * 2 >= pairs && asciiBE * 16 <= pairs)
        return {WideText::Utf16LE, false};
    if (asciiBE * 2 >= pairs && asciiLE * 16 <= pairs)
        return {WideText::Utf16BE, false};
    return {};
}

QString FormatDetector::wideTextName(WideText encoding)
{
    switch (encoding) {
    case WideText::Utf16LE: return QStringLiteral("UTF-16LE");
    case WideText::Utf16BE: return QStringLiteral("UTF-16BE");
    case WideText::Utf32LE: return QStringLiteral("UTF-32LE");
    case WideText::Utf32BE: return QStringLiteral("UTF-32BE");
    case WideText::None: break;
    }
    return QStringLiteral("UTF-8");
}

QString FormatDetector::wideTextProblem(const QString &name, QByteArrayView head)
{
    const WideTextFinding found = wideText(head);
    if (found.encoding == WideText::None)
        return {};
    const QString encoding = wideTextName(found.encoding);
    // With a mark, iconv's "UTF-16"/"UTF-32" read it and drop it; without one the byte order
    // must be named.
    const QString from = found.byteOrderMark ? encoding.left(6) : encoding;
    return QStringLiteral("%1 is %2 text (%3), but records are read from UTF-8 files. Convert it first, e.g. "
                          "iconv -f %4 -t UTF-8 %1 > converted.%5, and import the converted file; or, to send its "
                          "bytes unchanged as one record, choose the format files.")
        .arg(name, encoding,
             found.byteOrderMark ? QStringLiteral("it starts with a %1 byte-order mark").arg(encoding)
                                 : QStringLiteral("NUL bytes between its characters"),
             from, QFileInfo(name).suffix().isEmpty() ? QStringLiteral("txt") : QFileInfo(name).suffix());
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
