#pragma once

#include <QByteArrayView>
#include <QString>

namespace kwb::import {

/// Finds the first syntax error in a JSON text and describes it for people ("unterminated
/// string; a closing '\"' is missing"), with its byte offset. Slow and simple on purpose: it runs
/// only after simdjson has rejected a record, to say where and why. Pure functions.
class JsonSyntaxChecker
{
public:
    struct Finding
    {
        bool ok = true;
        qsizetype offset = 0; ///< byte offset of the fault in the text
        QString message;
    };

    /// Checks that `text` is exactly one JSON value, surrounded by whitespace at most.
    static Finding check(QByteArrayView text);
    /// Checks a prefix of a value that was cut off by the end of the input: reports the first
    /// error in it, or what is left open at the end (an unterminated string, a missing '}').
    static Finding checkTruncated(QByteArrayView text);
};

} // namespace kwb::import
