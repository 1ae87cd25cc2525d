#include "JsonText.h"

#include "import/DataDecoder.h"

namespace kwb::import::JsonText {

namespace dom = simdjson::dom;

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

QString describeByte(int c)
{
    if (c < 0)
        return QStringLiteral("the end");
    const char ch = char(c);
    return DataDecoder::describeCharacter(QByteArrayView(&ch, 1), 0);
}

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
        while (i < length
               && (p[i] == '.' || p[i] == 'e' || p[i] == 'E' || p[i] == '+' || p[i] == '-'
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

} // namespace kwb::import::JsonText
