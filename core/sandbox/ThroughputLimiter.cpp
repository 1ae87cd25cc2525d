#include "sandbox/ThroughputLimiter.h"

#include <algorithm>
#include <cmath>

namespace kwb::sandbox {

qint64 ThroughputLimiter::recordLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kRecordsPerSecond) * m_scale)));
}

qint64 ThroughputLimiter::byteLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kBytesPerSecond) * m_scale)));
}

bool ThroughputLimiter::admit(ThroughputWindow &window, qint64 nowMs, qint64 bytes) const
{
    if (!m_enabled)
        return true;
    const qint64 start = nowMs - ((nowMs % 1000) + 1000) % 1000;
    if (window.windowStartMs != start) {
        window.windowStartMs = start;
        window.records = 0;
        window.bytes = 0;
    }
    if (window.records + 1 > recordLimit() || window.bytes + bytes > byteLimit())
        return false;
    ++window.records;
    window.bytes += bytes;
    return true;
}

} // namespace kwb::sandbox
