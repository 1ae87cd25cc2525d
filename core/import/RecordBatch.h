#pragma once

#include "HashKey.h"

#include <memory>
#include <optional>
#include <vector>

namespace kwb::import {

/// Records waiting to go into the store: their keys and data in one buffer, offsets beside.
/// A plain value owned by whoever fills or empties it.
struct RecordBatch
{
    struct Entry
    {
        qint64 dataOffset;
        qint64 dataBytes;
        qint64 keyOffset;
        qint64 keyBytes;
        std::optional<UInt128> explicitHashKey;
    };

    std::unique_ptr<char[]> bytes;
    qint64 capacity = 0;
    qint64 used = 0;
    std::vector<Entry> entries;

    /// Makes room for `more` bytes after `used` (keeping what is there).
    void reserve(qint64 more);
    void clear()
    {
        used = 0;
        entries.clear();
    }
};

} // namespace kwb::import
