#include "JsonLocator.h"

#include "import/JsonStreamer.h"
#include "import/JsonText.h"

namespace kwb::import {

namespace ondemand = simdjson::ondemand;

qint64 JsonLocator::locate(const char *p, qint64 length, const Path &path, bool name, int occurrence)
{
    ondemand::document doc;
    if (m_parser.iterate(p, size_t(length), size_t(length) + simdjson::SIMDJSON_PADDING).get(doc))
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

SourceLocation JsonLocator::locateAt(const char *p, qint64 length, SourceLocation at, const Path &path, bool name,
                                     int occurrence)
{
    const qint64 offset = locate(p, length, path, name, occurrence);
    if (offset < 0 || offset > length)
        return at;
    return JsonStreamer::advance(at, p, p + offset);
}

QByteArrayView JsonLocator::rawValue(const char *p, qint64 length, const Path &path)
{
    ondemand::document doc;
    if (m_parser.iterate(p, size_t(length), size_t(length) + simdjson::SIMDJSON_PADDING).get(doc))
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
    while (!text.empty() && JsonText::isWhitespace(text.back()))
        text.remove_suffix(1);
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

} // namespace kwb::import
