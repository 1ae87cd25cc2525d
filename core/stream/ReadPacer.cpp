#include "stream/ReadPacer.h"

#include <algorithm>
#include <cmath>

namespace kwb::stream {

void ReadPacer::noteCall(qint64 nowMs)
{
    m_calls.push_back(nowMs);
    while (qint64(m_calls.size()) > std::max(1, m_limits.callsPerSecond))
        m_calls.pop_front();
}

qint64 ReadPacer::callLimitAt(qint64 nowMs) const
{
    if (qint64(m_calls.size()) < std::max(1, m_limits.callsPerSecond))
        return nowMs;
    // The oldest of the last N calls leaves the one-second span 1000 ms later.
    return std::max(nowMs, m_calls.front() + 1000 + std::max(0, m_limits.marginMs));
}

qint64 ReadPacer::delayAfterAnswer(qint64 nowMs, qint64 bytes, bool full, qint64 millisBehindLatest)
{
    m_failures = 0;
    qint64 at = callLimitAt(nowMs);
    if (m_limits.bytesPerSecond > 0 && bytes > 0)
        at = std::max(at, nowMs + qint64(std::ceil(double(bytes) * 1000.0 / double(m_limits.bytesPerSecond))));
    if (millisBehindLatest <= 0 && !full)
        at = std::max(at, nowMs + m_limits.idleMs);
    return at - nowMs;
}

qint64 ReadPacer::delayAfterFailure(qint64 nowMs, double uniform01)
{
    ++m_failures;
    const double ceiling = std::min(double(m_limits.backoffCapMs),
                                    double(m_limits.backoffBaseMs) * std::ldexp(1.0, std::clamp(m_failures - 1, 0, 30)));
    const qint64 backoff = qint64(std::floor(std::clamp(uniform01, 0.0, 1.0) * ceiling));
    return std::max(nowMs + backoff, callLimitAt(nowMs)) - nowMs;
}

} // namespace kwb::stream
