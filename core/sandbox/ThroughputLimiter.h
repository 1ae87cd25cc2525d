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

/// What one shard's readers have taken: GetRecords calls per 10 ms slot over the last second
/// (a ThroughputWindow counting calls), and the bytes they may still read as a bucket that
/// refills at the byte limit per second and may go below zero.
struct ReadWindow
{
    ThroughputWindow calls;
    qint64 lastRefillMs = -1;  ///< -1: never read, the bucket is full
    qint64 byteBudgetMilli = 0; ///< bytes left to read x 1000 (whole numbers: refills are exact)
};

/// AWS's per-shard limits. Writes: 1,000 records and 1 MiB (partition keys counted) per second,
/// counted per shard over a sliding one-second window (to 10 ms), so no one-second span ever
/// holds more than the limits, whatever the phase of the clock's seconds. (The first model
/// counted windows aligned to the clock's whole seconds: it let twice the limits through across
/// a second boundary, and throttled or not a steady sender depending on where the boundaries
/// fell.) A record larger than a whole second's bytes (possible when the limits are scaled
/// down) is taken into an empty window. Reads: 5 GetRecords calls per second over the same kind
/// of sliding window, and 2 MiB per second (keys counted) as a byte bucket that a large answer
/// may overdraw: as at AWS, one answer may hold up to 10 MiB, and the shard's readers are then
/// throttled until the bucket has refilled (a 10 MiB answer: about 4 s). Both switch off and
/// scale together. A plain value holding the limits; the window state lives in each shard.
class ThroughputLimiter
{
public:
    static constexpr qint64 kRecordsPerSecond = 1000;
    static constexpr qint64 kBytesPerSecond = 1024 * 1024;
    static constexpr qint64 kReadCallsPerSecond = 5;
    static constexpr qint64 kReadBytesPerSecond = 2 * 1024 * 1024;

    ThroughputLimiter() = default;
    ThroughputLimiter(bool enabled, double scale) : m_enabled(enabled), m_scale(scale > 0 ? scale : 1.0) {}

    bool isEnabled() const { return m_enabled; }
    double scale() const { return m_scale; }
    qint64 recordLimit() const;
    qint64 byteLimit() const;
    qint64 readCallLimit() const;
    qint64 readByteLimit() const;

    /// Counts a record of `bytes` against `window` at `nowMs` and says whether it fits; a
    /// record that does not fit is not counted. Always true while the limits are off.
    bool admit(ThroughputWindow &window, qint64 nowMs, qint64 bytes) const;

    /// Whether a GetRecords call at `nowMs` may read: a call left in the last second and bytes
    /// left in the bucket. An admitted call is counted; its answer's bytes are then taken with
    /// tookRead(). Always true while the limits are off.
    bool admitRead(ReadWindow &window, qint64 nowMs) const;
    /// Takes `bytes` an admitted call answered with out of the bucket.
    void tookRead(ReadWindow &window, qint64 bytes) const;

    /// The limits as the sandbox advertises them in its answers' x-kwb-shard-limits header:
    /// "records=1000; bytes=1048576; reads=5; read-bytes=2097152" per shard and second, or "off".
    QByteArray headerValue() const;

private:
    bool m_enabled = true;
    double m_scale = 1.0;
};

} // namespace kwb::sandbox
