#pragma once

#include "import/ImportOptions.h"

#include <QByteArrayView>
#include <QString>

namespace kwb::import {

/// Turns a data value from the input (base64, hex or plain text) into record bytes, fast, and
/// says exactly where a bad value goes wrong. Pure functions, no allocation on success.
class DataDecoder
{
public:
    /// Why a value could not be decoded: `position` is the 1-based character position of the
    /// offending character in the value (0 when the fault is the length), `detail` reads like
    /// "character '%' at position 12" or "it has 5 characters; base64 comes in groups of 4".
    struct Failure
    {
        qsizetype position = 0;
        QString detail;
    };

    /// Bytes `out` must have room for when decoding `inputBytes` of input (a little more than the
    /// result, the decoder writes whole words).
    static qsizetype maxDecodedSize(DataEncoding encoding, qsizetype inputBytes);
    /// Decodes `in` into `out`; returns the number of bytes or -1 (and fills `failure`).
    /// Text copies the bytes; Auto is not allowed here.
    static qsizetype decode(DataEncoding encoding, QByteArrayView in, char *out, Failure *failure);
    static qsizetype decodeBase64(QByteArrayView in, char *out, Failure *failure);
    static qsizetype decodeHex(QByteArrayView in, char *out, Failure *failure);

    /// "'%'", "a space", "a line break", "'é'", "byte 0xFF": the character at `byteOffset` for messages.
    static QString describeCharacter(QByteArrayView text, qsizetype byteOffset);
    /// 1-based character (code point) position of `byteOffset` in UTF-8 `text`.
    static qsizetype characterPosition(QByteArrayView text, qsizetype byteOffset);
    /// Number of code points in UTF-8 text (continuation bytes not counted).
    static qint64 countCharacters(const char *begin, const char *end);
};

} // namespace kwb::import
