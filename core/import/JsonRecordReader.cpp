#include "JsonRecordReader.h"

#include "import/DataDecoder.h"
#include "import/JsonStreamer.h"
#include "import/JsonSyntaxChecker.h"
#include "import/JsonText.h"

#include <optional>
#include <string_view>

namespace kwb::import {

namespace dom = simdjson::dom;
using JsonText::fromView;
using JsonText::typeName;

void JsonRecordReader::begin(Format format, RecordSink &sink)
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
    m_fields.begin(sink, m_encoding);
    if (m_shape != JsonShape::Auto)
        sink.report().jsonShape = m_shape;
}

bool JsonRecordReader::parseString(const char *p, qint64 length, QString &text)
{
    std::string_view view;
    if (m_dom.parse(p, size_t(length), false).get_string().get(view))
        return false;
    text = fromView(view);
    return true;
}

QString JsonRecordReader::tooLongMessage(qint64 length) const
{
    return QStringLiteral("this record takes %1 in the file, more than any record of at most %2 can; make it "
                          "smaller or raise the maximum record size")
        .arg(formatBytes(length), formatBytes(m_sink->options().maxRecordBytes));
}

void JsonRecordReader::rejectSyntax(const char *p, qint64 length, SourceLocation at, bool truncated)
{
    const QByteArrayView text(p, length);
    const JsonSyntaxChecker::Finding finding
        = truncated ? JsonSyntaxChecker::checkTruncated(text) : JsonSyntaxChecker::check(text);
    if (finding.ok) {
        // simdjson refused what the checker accepts (e.g. an integer beyond 64 bits).
        auto error = m_dom.parse(p, size_t(length), false).error();
        m_sink->reject(at,
                       QStringLiteral("not valid JSON (%1)").arg(QString::fromLatin1(simdjson::error_message(error))));
        return;
    }
    m_sink->reject(JsonStreamer::advance(at, p, p + finding.offset), finding.message);
}

void JsonRecordReader::importValue(const char *p, qint64 length, SourceLocation at, Context context)
{
    dom::element root;
    if (m_dom.parse(p, size_t(length), false).get(root)) {
        // Whole objects may hold 128-bit numbers (keys, explicit hash keys); records may not.
        if (m_shape != JsonShape::Records) {
            const qint64 quoted = JsonText::quoteLongIntegers(p, length, m_quoted);
            if (quoted >= 0 && !m_dom.parse(m_quoted.data(), size_t(quoted), false).get(root) && root.is_object()) {
                if (m_shape == JsonShape::Auto)
                    decideShape(root.get_object().value_unsafe());
                if (m_shape == JsonShape::Objects) {
                    m_fields.importObject(root, p, length, at, true);
                    return;
                }
            }
        }
        rejectSyntax(p, length, at, false);
        return;
    }
    importParsed(root, p, length, at, context);
}

void JsonRecordReader::importParsed(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                    Context context)
{
    if (!root.is_object()) {
        const QString where = context == Context::Line ? QStringLiteral("each line must hold a JSON object")
            : context == Context::Element ? QStringLiteral("each element of the array must be a JSON object")
                                          : QStringLiteral("the JSON value must be an object");
        m_sink->reject(at, QStringLiteral("%1, found %2").arg(where, typeName(root)));
        return;
    }
    const dom::object object = root.get_object().value_unsafe();
    if (m_shape == JsonShape::Auto)
        decideShape(object);
    if (m_shape == JsonShape::Records)
        importRecord(root, p, length, at);
    else
        m_fields.importObject(root, p, length, at, false);
}

void JsonRecordReader::decideShape(const dom::object &object)
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

void JsonRecordReader::importRecord(const dom::element &root, const char *p, qint64 length, SourceLocation at)
{
    const dom::object object = root.get_object().value_unsafe();
    std::string_view key;
    std::string_view data;
    bool hasKey = false;
    bool hasData = false;
    bool hasHashKey = false;
    std::optional<UInt128> hashKey;
    auto typeError = [&](const char *member, const dom::element &value, const QString &hint) {
        m_sink->reject(
            m_locator.locateAt(p, length, at, {std::string_view(member)}),
            QStringLiteral("\"%1\" must be a string, found %2; %3").arg(QLatin1String(member), typeName(value), hint));
    };
    auto duplicate = [&](const char *member) {
        m_sink->reject(m_locator.locateAt(p, length, at, {std::string_view(member)}, true, 1),
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
                                 m_format == Format::AwsCli
                                     ? QStringLiteral("the AWS CLI input needs the data as a base64 string")
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
                return typeError(
                    "ExplicitHashKey", member.value,
                    QStringLiteral("write the 128-bit number as a string of digits (\"ExplicitHashKey\": \"123\")"));
            const std::string_view text = member.value.get_string().value_unsafe();
            auto parsed = parseHashKey(QByteArrayView(text.data(), qsizetype(text.size())));
            if (!parsed) {
                m_sink->reject(m_locator.locateAt(p, length, at, {std::string_view("ExplicitHashKey")}),
                               QStringLiteral("\"ExplicitHashKey\" is not valid: %1").arg(parsed.error().message));
                return;
            }
            hashKey = parsed.value();
        } else {
            const QString name = fromView(member.key);
            m_sink->reject(
                m_locator.locateAt(p, length, at, {member.key}, true),
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
        if (!m_fields.readKey(root, p, length, at, keyView, keyAt))
            return;
        keyWhat = QStringLiteral("field \"%1\"").arg(m_fields.keyPath());
    } else {
        if (!hasKey) {
            m_sink->reject(
                at, QStringLiteral("\"PartitionKey\" is missing; add it to every record, or choose a key strategy"));
            return;
        }
        keyView = QByteArrayView(key.data(), qsizetype(key.size()));
        if (key.empty() || key.size() > size_t(limits::kMaxPartitionKeyChars))
            keyAt = m_locator.locateAt(p, length, at, {std::string_view("PartitionKey")});
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
        const QString hint = m_format == Format::AwsCli ? QStringLiteral("the AWS CLI input needs Data in base64")
            : m_encoding == DataEncoding::Base64
            ? QStringLiteral("Data must be base64 here (choose the utf8 data encoding for plain text)")
            : QStringLiteral("Data must be hex digits here (choose another data encoding)");
        m_sink->reject(m_locator.locateAt(p, length, at, {std::string_view("Data")}),
                       QStringLiteral("\"Data\" is not valid %1 (%2); %3")
                           .arg(dataEncodingName(m_encoding), failure.detail, hint));
        return;
    }
    m_sink->accept(keyView, bytes, hashKey, at, keyAt, keyWhat);
}

} // namespace kwb::import
