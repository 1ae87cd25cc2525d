#pragma once

#include <QString>

#include <simdjson.h>

#include <string>
#include <string_view>

namespace kwb::import {

/// Small pieces of JSON text handling that the JSON readers share (names of value types for
/// messages, whitespace, long integers simdjson cannot read). Pure functions; any thread.
namespace JsonText {

/// What a JSON value is, for messages: "a number", "an array".
QString typeName(const simdjson::dom::element &element);

inline QString fromView(std::string_view view) { return QString::fromUtf8(view.data(), qsizetype(view.size())); }

inline bool isWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/// Moves `p` forward and `e` back past JSON whitespace.
inline void trim(const char *&p, const char *&e)
{
    while (p < e && isWhitespace(*p))
        ++p;
    while (e > p && isWhitespace(e[-1]))
        --e;
}

/// "'x'", "a space", "the end" for a byte from JsonStreamer::peek().
QString describeByte(int c);

/// Copies a JSON text into `out` (padded for simdjson) with every integer of 19 digits or more in
/// double quotes. simdjson reads numbers up to 64 bits and refuses the text with a longer one;
/// keys and explicit hash keys may be 128-bit numbers, and as strings their text is the same.
/// Returns the copy's length, or -1 when there is no such integer.
qint64 quoteLongIntegers(const char *p, qint64 length, std::string &out);

} // namespace JsonText

} // namespace kwb::import
