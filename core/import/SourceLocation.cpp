#include "SourceLocation.h"

#include "import/DataDecoder.h"

#include <cstring>

namespace kwb::import {

SourceLocation advanceLocation(SourceLocation at, const char *from, const char *to)
{
    const char *last = nullptr;
    qint64 lines = 0;
    for (const char *p = from; p < to;) {
        const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(to - p)));
        if (!nl)
            break;
        ++lines;
        last = nl;
        p = nl + 1;
    }
    if (!last)
        return {at.line, at.column + DataDecoder::countCharacters(from, to)};
    return {at.line + lines, 1 + DataDecoder::countCharacters(last + 1, to)};
}

} // namespace kwb::import
