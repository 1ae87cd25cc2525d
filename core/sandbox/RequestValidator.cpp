#include "sandbox/RequestValidator.h"

#include "sandbox/SandboxBase64.h"

#include <QRegularExpression>
#include <QStringList>

#include <simdjson.h>

#include <algorithm>
#include <cmath>

namespace kwb::sandbox {

namespace {

using simdjson::dom::element_type;

const QLatin1String kNumberClass("class com.amazon.coral.value.json.numbers.TruncatingBigNumber");
const QLatin1String kBooleanClass("class java.lang.Boolean");
const QLatin1String kStringClass("class java.lang.String");

QString cannotConvert(QLatin1String from, QLatin1String to)
{
    return QStringLiteral("%1 can not be converted to %2").arg(from, to);
}

QString quoted(std::string_view text)
{
    // The service quotes the whole value; a megabyte of it helps nobody.
    constexpr size_t kMax = 1024;
    QString shown = QString::fromUtf8(text.data(), qsizetype(std::min(text.size(), kMax)));
    if (text.size() > kMax)
        shown += QStringLiteral("...");
    return shown;
}

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool isDecimal(std::string_view text, size_t maxDigitsAfterFirst)
{
    if (text == "0")
        return true;
    if (text.empty() || text.size() > maxDigitsAfterFirst + 1 || text[0] < '1' || text[0] > '9')
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

QString RequestValidator::lowerFirst(const char *name)
{
    QString text = QString::fromLatin1(name);
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}

qsizetype RequestValidator::javaLength(std::string_view utf8)
{
    qsizetype units = 0;
    for (char ch : utf8) {
        const auto c = quint8(ch);
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1; // a 4-byte sequence is a surrogate pair in Java
    }
    return units;
}

bool RequestValidator::matches(FieldSpec::Pattern pattern, std::string_view text)
{
    switch (pattern) {
    case FieldSpec::Pattern::None:
        return true;
    case FieldSpec::Pattern::Name:
        return !text.empty() && std::all_of(text.begin(), text.end(), isNameChar);
    case FieldSpec::Pattern::HashKey:
        return isDecimal(text, 38);
    case FieldSpec::Pattern::SequenceNumber:
        return isDecimal(text, 128);
    case FieldSpec::Pattern::StreamArn: {
        static const QRegularExpression arn(QStringLiteral("\\Aarn:aws.*:kinesis:.*:\\d{12}:stream/\\S+\\z"));
        return arn.match(QString::fromUtf8(text.data(), qsizetype(text.size()))).hasMatch();
    }
    }
    return false;
}

const char *RequestValidator::patternText(FieldSpec::Pattern pattern)
{
    switch (pattern) {
    case FieldSpec::Pattern::None: return "";
    case FieldSpec::Pattern::Name: return "[a-zA-Z0-9_.-]+";
    case FieldSpec::Pattern::StreamArn: return "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+";
    case FieldSpec::Pattern::HashKey: return "0|([1-9]\\d{0,38})";
    case FieldSpec::Pattern::SequenceNumber: return "0|([1-9]\\d{0,128})";
    }
    return "";
}

QString RequestValidator::failure(const QString &shownValue, const QString &path, const QString &constraint)
{
    return QStringLiteral("Value %1 at '%2' failed to satisfy constraint: %3").arg(shownValue, path, constraint);
}

Error RequestValidator::validationError(const QStringList &errors)
{
    return Error{Error::Kind::Validation, QStringLiteral("ValidationException"),
                 QStringLiteral("%1 validation error%2 detected: %3")
                     .arg(errors.size())
                     .arg(errors.size() > 1 ? QStringLiteral("s") : QString(), errors.join(QStringLiteral("; "))),
                 400};
}

Error RequestValidator::serializationError(const QString &message)
{
    return Error{Error::Kind::Validation, QStringLiteral("SerializationException"), message, 400};
}

QString RequestValidator::typeProblem(const simdjson::dom::element &element, const FieldSpec &spec, FieldValue &value)
{
    const element_type type = element.type();
    if (type == element_type::NULL_VALUE)
        return {};
    const bool isNumber = type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
    if (type == element_type::ARRAY)
        return QStringLiteral("Start of list found where not expected");
    if (type == element_type::OBJECT && spec.type != FieldSpec::Type::Structure)
        return QStringLiteral("Start of structure or map found where not expected.");
    switch (spec.type) {
    case FieldSpec::Type::String:
        if (type == element_type::BOOL)
            return cannotConvert(kBooleanClass, QLatin1String("an String"));
        if (isNumber)
            return cannotConvert(kNumberClass, QLatin1String("an String"));
        value.text = std::string_view(element.get_string().value_unsafe());
        break;
    case FieldSpec::Type::Integer: {
        if (type == element_type::BOOL)
            return cannotConvert(kBooleanClass, QLatin1String("an Integer"));
        if (type == element_type::STRING)
            return cannotConvert(kStringClass, QLatin1String("an Integer"));
        // Fractions are cut off and large values clamped, as the service's Integer does.
        double number = 0;
        if (type == element_type::INT64)
            number = double(element.get_int64().value_unsafe());
        else if (type == element_type::UINT64)
            number = double(element.get_uint64().value_unsafe());
        else
            number = element.get_double().value_unsafe();
        number = std::floor(number);
        value.integer = qint64(std::clamp(number, -2147483648.0, 2147483647.0));
        break;
    }
    case FieldSpec::Type::Boolean:
        if (isNumber)
            return cannotConvert(kNumberClass, QLatin1String("an Boolean"));
        if (type == element_type::STRING)
            return QStringLiteral("'%1' can not be converted to an Boolean")
                .arg(quoted(element.get_string().value_unsafe()).toUpper());
        value.boolean = element.get_bool().value_unsafe();
        break;
    case FieldSpec::Type::Timestamp:
        if (type == element_type::BOOL)
            return cannotConvert(kBooleanClass, QLatin1String("milliseconds since epoch"));
        if (type == element_type::STRING)
            return cannotConvert(kStringClass, QLatin1String("milliseconds since epoch"));
        if (type == element_type::INT64)
            value.number = double(element.get_int64().value_unsafe());
        else if (type == element_type::UINT64)
            value.number = double(element.get_uint64().value_unsafe());
        else
            value.number = element.get_double().value_unsafe();
        break;
    case FieldSpec::Type::Blob: {
        if (type == element_type::BOOL)
            return cannotConvert(kBooleanClass, QLatin1String("a Blob"));
        if (isNumber)
            return cannotConvert(kNumberClass, QLatin1String("a Blob"));
        const std::string_view text = element.get_string().value_unsafe();
        if (const QString problem = base64::problem(text); !problem.isEmpty())
            return QStringLiteral("'%1' can not be converted to a Blob: %2").arg(quoted(text), problem);
        value.text = text;
        break;
    }
    case FieldSpec::Type::Structure: {
        if (type != element_type::OBJECT)
            return QStringLiteral("Expected null");
        const simdjson::dom::object object = element.get_object().value_unsafe();
        value.children.resize(spec.children.size());
        for (size_t i = 0; i < spec.children.size(); ++i) {
            simdjson::dom::element child;
            if (object.at_key(spec.children[i].name).get(child) != simdjson::SUCCESS)
                continue;
            if (QString problem = typeProblem(child, spec.children[i], value.children[i]); !problem.isEmpty())
                return problem;
        }
        break;
    }
    }
    value.present = true;
    return {};
}

void RequestValidator::checkConstraints(const FieldValue &value, const FieldSpec &spec, const QString &path,
                                        QStringList &errors)
{
    // The value is shown only in failures: build it only then (this runs for every record).
    const auto shown = [&]() -> QString {
        switch (spec.type) {
        case FieldSpec::Type::String:
            return QLatin1Char('\'') + quoted(value.text) + QLatin1Char('\'');
        case FieldSpec::Type::Blob:
            return QStringLiteral("'java.nio.HeapByteBuffer[pos=0 lim=%1 cap=%1]'").arg(base64::decodedSize(value.text));
        case FieldSpec::Type::Integer:
            return QStringLiteral("'%1'").arg(value.integer);
        case FieldSpec::Type::Timestamp:
            return QStringLiteral("'%1'").arg(value.number);
        case FieldSpec::Type::Boolean:
            return value.boolean ? QStringLiteral("'true'") : QStringLiteral("'false'");
        case FieldSpec::Type::Structure:
            break;
        }
        return {};
    };
    const auto add = [&](const QString &constraint) {
        if (errors.size() < kMaxErrors)
            errors.append(failure(shown(), path, constraint));
    };
    if (!value.present) {
        if (spec.notNull && errors.size() < kMaxErrors)
            errors.append(failure(QStringLiteral("null"), path, QStringLiteral("Member must not be null")));
        return;
    }
    if (spec.type == FieldSpec::Type::Structure) {
        for (size_t i = 0; i < spec.children.size(); ++i)
            checkConstraints(value.children[i], spec.children[i],
                             path + QLatin1Char('.') + lowerFirst(spec.children[i].name), errors);
        return;
    }
    if (spec.type == FieldSpec::Type::Integer) {
        if (value.integer < spec.minValue)
            add(QStringLiteral("Member must have value greater than or equal to %1").arg(spec.minValue));
        if (value.integer > spec.maxValue)
            add(QStringLiteral("Member must have value less than or equal to %1").arg(spec.maxValue));
    }
    if (spec.pattern != FieldSpec::Pattern::None && !matches(spec.pattern, value.text))
        add(QStringLiteral("Member must satisfy regular expression pattern: %1").arg(QLatin1String(patternText(spec.pattern))));
    if (spec.minLength >= 0 || spec.maxLength >= 0) {
        const qsizetype length = spec.type == FieldSpec::Type::Blob ? base64::decodedSize(value.text) : javaLength(value.text);
        if (spec.minLength >= 0 && length < spec.minLength)
            add(QStringLiteral("Member must have length greater than or equal to %1").arg(spec.minLength));
        if (spec.maxLength >= 0 && length > spec.maxLength)
            add(QStringLiteral("Member must have length less than or equal to %1").arg(spec.maxLength));
    }
    if (!spec.enumValues.empty()) {
        bool known = false;
        for (const char *candidate : spec.enumValues)
            known = known || value.text == std::string_view(candidate);
        if (!known) {
            QStringList names;
            for (const char *candidate : spec.enumValues)
                names.append(QLatin1String(candidate));
            add(QStringLiteral("Member must satisfy enum value set: [%1]").arg(names.join(QStringLiteral(", "))));
        }
    }
}

Result<Fields> RequestValidator::validate(const simdjson::dom::object &body, std::span<const FieldSpec> specs)
{
    std::vector<FieldValue> values(specs.size());
    for (size_t i = 0; i < specs.size(); ++i) {
        simdjson::dom::element element;
        if (body.at_key(specs[i].name).get(element) != simdjson::SUCCESS)
            continue;
        if (QString problem = typeProblem(element, specs[i], values[i]); !problem.isEmpty())
            return serializationError(problem);
    }
    QStringList errors;
    for (size_t i = 0; i < specs.size(); ++i)
        checkConstraints(values[i], specs[i], lowerFirst(specs[i].name), errors);
    if (!errors.isEmpty())
        return validationError(errors);
    return Fields(specs, std::move(values));
}

Fields::Fields(std::span<const FieldSpec> specs, std::vector<FieldValue> values)
    : m_specs(specs)
    , m_values(std::move(values))
{
    m_values.resize(m_specs.size());
}

size_t Fields::index(std::string_view name) const
{
    for (size_t i = 0; i < m_specs.size(); ++i)
        if (name == m_specs[i].name)
            return i;
    qFatal("the request spec has no member %.*s", int(name.size()), name.data());
}

Fields Fields::structure(std::string_view name) const
{
    const size_t i = index(name);
    return Fields(m_specs[i].children, m_values[i].children);
}

} // namespace kwb::sandbox
