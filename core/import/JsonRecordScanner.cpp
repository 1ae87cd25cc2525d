#include "JsonRecordScanner.h"

#include "import/DataDecoder.h"
#include "import/JsonText.h"

#include <simdjson.h>

#include <cstring>
#include <string_view>

namespace kwb::import {

namespace {

const char *skipWhitespace(const char *s, const char *e)
{
    while (s < e && JsonText::isWhitespace(*s))
        ++s;
    return s;
}

/// True when `text` can stand in a JSON string as it is, meaning exactly these bytes: no escape,
/// no control character, valid UTF-8.
bool plainString(std::string_view text)
{
    unsigned char control = 0;
    unsigned char high = 0;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        control |= static_cast<unsigned char>(u < 0x20 || u == '\\');
        high |= u;
    }
    if (control)
        return false;
    return (high & 0x80) == 0 || simdjson::validate_utf8(text.data(), text.size());
}

} // namespace

bool JsonRecordScanner::usable() const
{
    const RecordSink &sink = m_records.sink();
    return m_records.shape() == JsonShape::Records && sink.strategy() != KeyStrategy::Field
        && sink.options().jsonFastPath;
}

JsonRecordScanner::Outcome JsonRecordScanner::importLine(const LineReader::Line &line)
{
    if (line.tooLong)
        return Outcome::Declined;
    const char *p = line.data;
    const char *e = line.data + line.length;
    JsonText::trim(p, e);
    if (p == e || *p != '{')
        return Outcome::Declined;
    std::string_view key;
    std::string_view data;
    bool hasKey = false;
    bool hasData = false;
    const char *s = p + 1;
    for (;;) {
        s = skipWhitespace(s, e);
        std::string_view *value = nullptr;
        if (e - s >= 14 && std::memcmp(s, "\"PartitionKey\"", 14) == 0 && !hasKey) {
            s += 14;
            value = &key;
            hasKey = true;
        } else if (e - s >= 6 && std::memcmp(s, "\"Data\"", 6) == 0 && !hasData) {
            s += 6;
            value = &data;
            hasData = true;
        } else {
            return Outcome::Declined;
        }
        s = skipWhitespace(s, e);
        if (s == e || *s != ':')
            return Outcome::Declined;
        s = skipWhitespace(s + 1, e);
        if (s == e || *s != '"')
            return Outcome::Declined;
        ++s;
        const auto *close = static_cast<const char *>(std::memchr(s, '"', size_t(e - s)));
        if (!close)
            return Outcome::Declined;
        // A backslash anywhere in the value declines it below (a key or text is checked, base64
        // and hex do not decode it), so a quote that was escaped cannot end a value taken here.
        *value = std::string_view(s, size_t(close - s));
        s = skipWhitespace(close + 1, e);
        if (s == e)
            return Outcome::Declined;
        if (*s == ',') {
            ++s;
            continue;
        }
        if (*s != '}' || s + 1 != e)
            return Outcome::Declined;
        break;
    }
    RecordSink &sink = m_records.sink();
    const bool generated = sink.generatesKeys();
    if (!hasData || (!generated && !hasKey))
        return Outcome::Declined;
    // A key that is empty or may be too long goes the general way, which points at it.
    if (hasKey && (key.empty() || key.size() > size_t(limits::kMaxPartitionKeyChars) || !plainString(key)))
        return Outcome::Declined;
    const DataEncoding encoding = m_records.encoding();
    if (encoding == DataEncoding::Text && !plainString(data))
        return Outcome::Declined;
    if (sink.atLimit())
        return Outcome::AtLimit;
    const QByteArrayView dataView(data.data(), qsizetype(data.size()));
    char *out = sink.dataBuffer(DataDecoder::maxDecodedSize(encoding, dataView.size()));
    const qsizetype bytes = DataDecoder::decode(encoding, dataView, out, nullptr);
    if (bytes < 0)
        return Outcome::Declined;
    sink.beginRecord();
    const SourceLocation at{line.number, 1 + DataDecoder::countCharacters(line.data, p)};
    if (generated)
        sink.accept(sink.generatedKey(), bytes, std::nullopt, at, at, m_generatedKeyWhat);
    else
        sink.accept(QByteArrayView(key.data(), qsizetype(key.size())), bytes, std::nullopt, at, at, m_partitionKeyWhat);
    return Outcome::Taken;
}

} // namespace kwb::import
