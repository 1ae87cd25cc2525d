#include "JsonFieldReader.h"

#include "import/DataDecoder.h"
#include "import/JsonText.h"

#include <charconv>

namespace kwb::import {

namespace dom = simdjson::dom;
using JsonText::fromView;
using JsonText::typeName;

void JsonFieldReader::begin(RecordSink &sink, DataEncoding encoding)
{
    m_sink = &sink;
    m_encoding = encoding;
    const ImportOptions &options = sink.options();
    m_keyPath.set(sink.strategy() == KeyStrategy::Field ? options.partitionKeyField : QString(), "key field",
                  "check the field path, or choose another key strategy");
    m_dataPath.set(options.dataField, "data field",
                   "check the field path, or clear the data field to make each whole object the data");
    m_hashPath.set(options.explicitHashKeyField, "explicit hash key field",
                   "add it (null for none), or clear the explicit hash key field");
}

void JsonFieldReader::FieldPath::set(const QString &path, const char *role, const char *hint)
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

void JsonFieldReader::rejectNoKey(SourceLocation at)
{
    m_sink->reject(at,
                   QStringLiteral("these objects are not Kinesis records ({\"PartitionKey\", \"Data\", "
                                  "\"ExplicitHashKey\"}), so each whole object becomes a record's data and its "
                                  "partition key must come from a key field (such as user.id) or a key strategy"),
                   true);
}

bool JsonFieldReader::findField(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                const FieldPath &path, dom::element &value)
{
    value = root;
    for (size_t i = 0; i < path.views.size(); ++i) {
        dom::object object;
        if (value.get_object().get(object)) {
            JsonLocator::Path parent(path.views.begin(), path.views.begin() + qsizetype(i));
            m_sink->reject(parent.empty() ? at : m_locator.locateAt(p, length, at, parent),
                           QStringLiteral("field \"%1\" is %2, not an object, so the %3 \"%4\" cannot be found in it")
                               .arg(fromView(path.views[i - 1]), typeName(value), QLatin1String(path.what), path.text));
            return false;
        }
        if (object.at_key(path.views[i]).get(value)) {
            m_sink->reject(at,
                           QStringLiteral("the %1 \"%2\" is missing in this object; %3")
                               .arg(QLatin1String(path.what), path.text, QLatin1String(path.ifMissing)));
            return false;
        }
    }
    return true;
}

bool JsonFieldReader::readKey(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                              QByteArrayView &key, SourceLocation &keyAt)
{
    dom::element value;
    if (!findField(root, p, length, at, m_keyPath, value))
        return false;
    keyAt = m_locator.locateAt(p, length, at, m_keyPath.views);
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
        const qint64 offset = m_locator.locate(p, length, m_keyPath.views);
        if (offset >= 0) {
            const char *s = p + offset;
            const char *e = s;
            while (e < p + length && !JsonText::isWhitespace(*e) && *e != ',' && *e != '}' && *e != ']')
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
    m_sink->reject(keyAt,
                   QStringLiteral("the key field \"%1\" is %2; a partition key must be a string, number or boolean")
                       .arg(m_keyPath.text, typeName(value)));
    return false;
}

void JsonFieldReader::importObject(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                   bool quotedLongIntegers)
{
    QByteArrayView key;
    SourceLocation keyAt = at;
    QString keyWhat;
    if (m_sink->strategy() == KeyStrategy::Auto)
        return rejectNoKey(at);
    if (m_sink->strategy() == KeyStrategy::Field) {
        if (!readKey(root, p, length, at, key, keyAt))
            return;
        keyWhat = QStringLiteral("field \"%1\"").arg(m_keyPath.text);
    } else {
        key = m_sink->generatedKey();
        keyWhat = QStringLiteral("the generated key");
    }
    std::optional<UInt128> hashKey;
    if (!m_hashPath.isEmpty() && !readHashKey(root, p, length, at, hashKey))
        return;
    if (!m_dataPath.isEmpty()) {
        acceptFieldData(root, p, length, at, key, keyAt, keyWhat, hashKey, quotedLongIntegers);
        return;
    }
    m_sink->acceptCopy(key, QByteArrayView(p, length), hashKey, at, keyAt, keyWhat);
}

bool JsonFieldReader::readHashKey(const dom::element &root, const char *p, qint64 length, SourceLocation at,
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
        text = m_locator.rawValue(p, length, m_hashPath.views); // "1.5", "2e3": the parser says what is wrong
        break;
    case dom::element_type::BOOL:
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
        m_sink->reject(m_locator.locateAt(p, length, at, m_hashPath.views),
                       QStringLiteral("the explicit hash key field \"%1\" is %2; write a decimal number from 0 to "
                                      "2^128-1, as a string or a number")
                           .arg(m_hashPath.text, typeName(value)));
        return false;
    }
    auto parsed = parseHashKey(text);
    if (!parsed) {
        m_sink->reject(m_locator.locateAt(p, length, at, m_hashPath.views),
                       QStringLiteral("the explicit hash key field \"%1\" is not valid: %2")
                           .arg(m_hashPath.text, parsed.error().message));
        return false;
    }
    hashKey = parsed.value();
    return true;
}

bool JsonFieldReader::acceptFieldData(const dom::element &root, const char *p, qint64 length, SourceLocation at,
                                      QByteArrayView key, SourceLocation keyAt, const QString &keyWhat,
                                      std::optional<UInt128> hashKey, bool quotedLongIntegers)
{
    dom::element value;
    if (!findField(root, p, length, at, m_dataPath, value))
        return false;
    bool isString = value.is_string();
    QByteArrayView raw;
    if (!isString || quotedLongIntegers) {
        raw = m_locator.rawValue(p, length, m_dataPath.views);
        if (isString && !raw.startsWith('"'))
            isString = false; // a long number, quoted only for the parser
    }
    if (!isString) {
        // Not a string: its JSON text as written is the data.
        if (raw.isEmpty()) {
            m_sink->reject(m_locator.locateAt(p, length, at, m_dataPath.views),
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
        m_sink->reject(m_locator.locateAt(p, length, at, m_dataPath.views),
                       QStringLiteral("the data field \"%1\" is not valid %2 (%3); %4")
                           .arg(m_dataPath.text, dataEncodingName(m_encoding), failure.detail,
                                m_encoding == DataEncoding::Base64
                                    ? QStringLiteral("fix the value, or choose the utf8 data encoding for plain text")
                                    : QStringLiteral("fix the value, or choose another data encoding")));
        return false;
    }
    return m_sink->accept(key, bytes, hashKey, at, keyAt, keyWhat);
}

} // namespace kwb::import
