#include "JsonWriter.h"

#include "JsonEscape.h"

#include "net/KinesisTypes.h"

#include <cstring>

namespace kwb::net {

namespace {

/// Makes room for `n` more bytes at the end of `out` and returns where they start.
char *grow(QByteArray &out, qsizetype n)
{
    const qsizetype at = out.size();
    out.resize(at + n);
    return out.data() + at;
}

char *put(char *o, const char *bytes, size_t n)
{
    std::memcpy(o, bytes, n);
    return o + n;
}

bool needsEscape(QByteArrayView utf8)
{
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == '"' || u == '\\')
            return true;
    }
    return false;
}

/// Writes the base64 form of `bytes` at `o` (base64Size() bytes); returns the end.
char *writeBase64(char *o, QByteArrayView bytes)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto *in = reinterpret_cast<const unsigned char *>(bytes.data());
    qsizetype n = bytes.size();
    while (n >= 3) {
        const quint32 v = (quint32(in[0]) << 16) | (quint32(in[1]) << 8) | in[2];
        o[0] = alphabet[v >> 18];
        o[1] = alphabet[(v >> 12) & 63];
        o[2] = alphabet[(v >> 6) & 63];
        o[3] = alphabet[v & 63];
        o += 4;
        in += 3;
        n -= 3;
    }
    if (n > 0) {
        const quint32 v = (quint32(in[0]) << 16) | (n > 1 ? quint32(in[1]) << 8 : 0);
        o[0] = alphabet[v >> 18];
        o[1] = alphabet[(v >> 12) & 63];
        o[2] = n > 1 ? alphabet[(v >> 6) & 63] : '=';
        o[3] = '=';
        o += 4;
    }
    return o;
}

} // namespace

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    appendJsonEscaped(out, utf8);
    out.append('"');
}

void appendJsonBase64(QByteArray &out, QByteArrayView bytes)
{
    char *o = grow(out, base64Size(bytes.size()) + 2);
    *o++ = '"';
    o = writeBase64(o, bytes);
    *o = '"';
}

void beginPutRecordsBody(QByteArray &out, const QString &stream)
{
    const QLatin1String field = streamField(stream);
    out.append("{\"");
    out.append(field.data(), field.size());
    out.append("\":");
    appendJsonString(out, stream);
    out.append(",\"Records\":[");
}

void appendPutRecordsEntry(QByteArray &out, bool first, QByteArrayView partitionKeyUtf8, QByteArrayView data,
                           std::optional<UInt128> explicitHashKey)
{
    static constexpr char kData[] = ",{\"Data\":\"";
    static constexpr char kKey[] = "\",\"PartitionKey\":";
    static constexpr char kHashKey[] = ",\"ExplicitHashKey\":\"";
    char digits[40];
    const int digitCount = explicitHashKey ? hashKeyToChars(*explicitHashKey, digits) : 0;
    const qsizetype dataStart = first ? 1 : 0; // no comma before the first entry
    if (needsEscape(partitionKeyUtf8)) {
        char *o = grow(out, qsizetype(sizeof kData - 1) - dataStart + base64Size(data.size()) + qsizetype(sizeof kKey - 1));
        o = put(o, kData + dataStart, sizeof kData - 1 - size_t(dataStart));
        o = writeBase64(o, data);
        put(o, kKey, sizeof kKey - 1);
        appendJsonString(out, partitionKeyUtf8);
        if (explicitHashKey) {
            o = grow(out, qsizetype(sizeof kHashKey - 1) + digitCount + 1);
            o = put(o, kHashKey, sizeof kHashKey - 1);
            o = put(o, digits, size_t(digitCount));
            *o = '"';
        }
        *grow(out, 1) = '}';
        return;
    }
    // The common case in one piece: a key with nothing to escape, the entry's size known up front.
    const qsizetype size = qsizetype(sizeof kData - 1) - dataStart + base64Size(data.size()) + qsizetype(sizeof kKey - 1)
        + partitionKeyUtf8.size() + 2 + (explicitHashKey ? qsizetype(sizeof kHashKey - 1) + digitCount + 1 : 0) + 1;
    char *o = grow(out, size);
    o = put(o, kData + dataStart, sizeof kData - 1 - size_t(dataStart));
    o = writeBase64(o, data);
    o = put(o, kKey, sizeof kKey - 1);
    *o++ = '"';
    o = put(o, partitionKeyUtf8.data(), size_t(partitionKeyUtf8.size()));
    *o++ = '"';
    if (explicitHashKey) {
        o = put(o, kHashKey, sizeof kHashKey - 1);
        o = put(o, digits, size_t(digitCount));
        *o++ = '"';
    }
    *o = '}';
}

void endPutRecordsBody(QByteArray &out)
{
    out.append("]}");
}

} // namespace kwb::net
