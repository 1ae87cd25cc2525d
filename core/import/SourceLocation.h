#pragma once

#include <QtGlobal>

namespace kwb::import {

/// A place in an input: 1-based line and column (Unicode characters); 0 when not known.
struct SourceLocation
{
    qint64 line = 0;
    qint64 column = 0;
};

/// The location of `to`, given that `from` is at `at` (line breaks in between counted).
SourceLocation advanceLocation(SourceLocation at, const char *from, const char *to);

} // namespace kwb::import
