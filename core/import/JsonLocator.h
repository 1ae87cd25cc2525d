#pragma once

#include "import/SourceLocation.h"

#include <QByteArrayView>

#include <simdjson.h>

#include <string_view>
#include <vector>

namespace kwb::import {

/// Finds a member of a JSON object in the object's text: where it sits (for messages that point
/// at the member) and its value as written (numbers, whole objects). The slow path, used for bad
/// records and the few values a parsed tree does not keep as written. One thread; keeps its parser.
class JsonLocator
{
public:
    using Path = std::vector<std::string_view>;

    /// Byte offset of the member at `path` in the JSON text (its value, or its name when `name`),
    /// the `occurrence`-th one when a name repeats; -1 when not found.
    qint64 locate(const char *p, qint64 length, const Path &path, bool name = false, int occurrence = 0);
    /// The same as a location, counted from `at` (the text's own); `at` when not found.
    SourceLocation locateAt(const char *p, qint64 length, SourceLocation at, const Path &path, bool name = false,
                            int occurrence = 0);
    /// The value at `path` as written in the JSON text (a whole object or array, a number as
    /// written); empty when not found.
    QByteArrayView rawValue(const char *p, qint64 length, const Path &path);

private:
    simdjson::ondemand::parser m_parser;
};

} // namespace kwb::import
