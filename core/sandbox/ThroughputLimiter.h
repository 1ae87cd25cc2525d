#pragma once

#include <QtGlobal>

namespace kwb::sandbox {

/// What one shard has accepted in the current one-second window.
struct ThroughputWindow
{
    qint64 windowStartMs = -1;
    qint64 records = 0;
    qint64 bytes = 0;
};

/// AWS's per-shard write limits: 1,000 records and 1 MiB (partition keys counted) per second,
/// enforced over one-second windows aligned to the clock's whole seconds. Switchable off and
/// scalable. A plain value holding the limits; the window state lives in each shard.
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

private:
    bool m_enabled = true;
    double m_scale = 1.0;
};

} // namespace kwb::sandbox
