#pragma once

#include <QByteArrayView>

namespace kwb {

/// Appends UTF-8 text as the inside of a JSON string (no quotes): `"` and `\` escaped, control
/// characters as \n \r \t \b \f or \u00XX; other bytes, UTF-8 sequences included, as they are.
/// `Out` is anything with append(QByteArrayView) and append(const char *, qsizetype): QByteArray,
/// the generator's TextBuffer. Pure; any thread.
template <typename Out>
void appendJsonEscaped(Out &out, QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
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
}

} // namespace kwb
