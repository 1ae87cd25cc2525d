#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>

namespace kwb::sandbox {

/// What one shard has accepted in the last second: records and bytes per 10 ms slot, in a ring
/// of 100 slots, and their sums.
struct ThroughputWindow
{
    static constexpr int kSlots = 100;
    static constexpr qint64 kSlotMs = 10;

    qint64 headSlot = -1; ///< the newest slot (ms / kSlotMs); -1: never used
    qint64 records = 0;
    qint64 bytes = 0;
    std::array<qint32, kSlots> slotRecords{};
    std::array<qint64, kSlots> slotBytes{};
};

/// AWS's per-shard write limits: 1,000 records and 1 MiB (partition keys counted) per second,
/// counted per shard over a sliding one-second window (to 10 ms), so no one-second span ever
/// holds more than the limits, whatever the phase of the clock's seconds. (The first model
/// counted windows aligned to the clock's whole seconds: it let twice the limits through across
/// a second boundary, and throttled or not a steady sender depending on where the boundaries
/// fell.) A record larger than a whole second's bytes (possible when the limits are scaled
/// down) is taken into an empty window. Switchable off and scalable. A plain value holding the
/// limits; the window state lives in each shard.
class ThroughputLimiter
{
public:
    static constexpr qint64 kRecordsPerSecond = 1000;
    static constexpr qint64 kBytesPerSecond = 1024 * 1024;

    ThroughputLimiter() = default;
    ThroughputLimiter(bool enabled, double scale) : m_enabled(enabled), m_scale(scale > 0 ? scale : 1.0) {}

    bool isEnabled() const { return m_enabled; }
    double scale() const { return m_scale; }
    qint64 recordLimit() const;
    qint64 byteLimit() const;

    /// Counts a record of `bytes` against `window` at `nowMs` and says whether it fits; a
    /// record that does not fit is not counted. Always true while the limits are off.
    bool admit(ThroughputWindow &window, qint64 nowMs, qint64 bytes) const;

    /// The limits as the sandbox advertises them in its answers' x-kwb-shard-limits header:
    /// "records=1000; bytes=1048576" per shard and second, or "off".
    QByteArray headerValue() const;

private:
    bool m_enabled = true;
    double m_scale = 1.0;
};

} // namespace kwb::sandbox
