#include "JsonWriter.h"

#include "net/KinesisTypes.h"

namespace kwb::net {

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.sliced(runStart, i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            const char escaped[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, 6);
        }
        }
    }
    out.append(utf8.sliced(runStart));
    out.append('"');
}

void appendJsonBase64(QByteArray &out, QByteArrayView bytes)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const qsizetype start = out.size();
    out.resize(start + base64Size(bytes.size()) + 2);
    char *o = out.data() + start;
    *o++ = '"';
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
    out.append(first ? "{\"Data\":" : ",{\"Data\":");
    appendJsonBase64(out, data);
    out.append(",\"PartitionKey\":");
    appendJsonString(out, partitionKeyUtf8);
    if (explicitHashKey) {
        char digits[40];
        const int n = hashKeyToChars(*explicitHashKey, digits);
        out.append(",\"ExplicitHashKey\":\"");
        out.append(digits, n);
        out.append('"');
    }
    out.append('}');
}

void endPutRecordsBody(QByteArray &out)
{
    out.append("]}");
}

} // namespace kwb::net
