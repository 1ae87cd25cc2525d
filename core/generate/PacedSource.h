#pragma once

#include "RecordStore.h"
#include "Result.h"

namespace kwb::generate {

/// Where a Pacer takes records from: a generator on a rate schedule, or a file replayed by its
/// timestamps. Used on the Pacer's thread only.
class PacedSource
{
public:
    /// Bytes (keys + data) after which take() stops: a chunk of large records stays this size.
    static constexpr qint64 kChunkBytes = 4 * 1024 * 1024;

    virtual ~PacedSource() = default;
    /// Appends to `store` at most `limit` of the records due by `elapsedMs` into the run (paused
    /// time left out), and stops once they hold kChunkBytes; returns how many. An error ends the run.
    virtual Result<qint64> take(qint64 elapsedMs, qint64 limit, RecordStore &store) = 0;
    /// True when no record will come any more (at `elapsedMs`).
    virtual bool atEnd(qint64 elapsedMs) const = 0;
    /// Records due by `elapsedMs` and not taken yet: how far behind the run is (0 when unknown).
    virtual qint64 behind(qint64 elapsedMs) const = 0;
};

} // namespace kwb::generate
