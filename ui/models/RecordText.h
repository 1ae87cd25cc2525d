#pragma once

#include "HashKey.h"
#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace kwb::ui {

/// Formatting and parsing of record bytes for the table and the editor: previews, hex and
/// base64 views, UTF-8 checks. Pure functions, safe on any thread.
class RecordText
{
public:
    /// True when `bytes` is valid UTF-8. With `allowCutEnd`, a sequence cut short by the end of
    /// `bytes` is accepted (for checking a prefix of a longer value).
    static bool isValidUtf8(QByteArrayView bytes, bool allowCutEnd = false);

    /// True when the bytes read well as text: valid UTF-8 without control characters other than
    /// tab, line feed and carriage return.
    static bool isText(QByteArrayView bytes, bool allowCutEnd = false);

    /// At most `maxChars` characters showing the start of `data`: text with \n, \r and \t
    /// escaped, or for binary data printable ASCII with other bytes as \xHH. Ends with "…" when
    /// cut. Looks at no more than 4 * maxChars bytes.
    static QString preview(QByteArrayView data, int maxChars = 64);

    /// Hex pairs separated by spaces, 16 bytes per line.
    static QString toHex(QByteArrayView data);
    /// Reads hex pairs, ignoring whitespace (and an optional "0x" before each group). The error
    /// names the character position.
    static Result<QByteArray> parseHex(QStringView text);

    /// Standard base64, wrapped at 76 characters per line.
    static QString toBase64(QByteArrayView data);
    /// Reads standard or URL-safe base64, ignoring whitespace; padding optional.
    static Result<QByteArray> parseBase64(QStringView text);

    /// Pretty-printed (indent 2) or compact JSON of `data`; an error with line and column when
    /// it is not JSON.
    static Result<QByteArray> formatJson(QByteArrayView data, bool pretty);

    /// "line 3, column 7" for a byte offset into UTF-8 text.
    static QString lineAndColumn(QByteArrayView utf8, qsizetype offset);

    /// The hash key in decimal.
    static QString hashKey(UInt128 key) { return hashKeyToString(key); }
    /// A shortened decimal for narrow spaces: "2104…(39 digits)" style is avoided; keeps the
    /// first and last digits: "21045678…87654321".
    static QString shortHashKey(UInt128 key);
};

} // namespace kwb::ui
