#include "RecordBatch.h"

#include <algorithm>
#include <cstring>

namespace kwb::import {

void RecordBatch::reserve(qint64 more)
{
    if (used + more <= capacity)
        return;
    // The sink and the appender swap two batches, so each grows to its largest once; a small input
    // keeps a small one.
    const qint64 grown = std::max({capacity * 2, used + more, qint64(64 * 1024)});
    std::unique_ptr<char[]> bigger(new char[size_t(grown)]);
    if (used > 0)
        std::memcpy(bigger.get(), bytes.get(), size_t(used));
    bytes = std::move(bigger);
    capacity = grown;
}

} // namespace kwb::import
