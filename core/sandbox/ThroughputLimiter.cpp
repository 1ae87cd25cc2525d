#include "sandbox/ThroughputLimiter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kwb::sandbox {

qint64 ThroughputLimiter::recordLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kRecordsPerSecond) * m_scale)));
}

qint64 ThroughputLimiter::byteLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kBytesPerSecond) * m_scale)));
}

qint64 ThroughputLimiter::readCallLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kReadCallsPerSecond) * m_scale)));
}

qint64 ThroughputLimiter::readByteLimit() const
{
    return std::max<qint64>(1, qint64(std::llround(double(kReadBytesPerSecond) * m_scale)));
}

QByteArray ThroughputLimiter::headerValue() const
{
    if (!m_enabled)
        return QByteArrayLiteral("off");
    return "records=" + QByteArray::number(recordLimit()) + "; bytes=" + QByteArray::number(byteLimit())
        + "; reads=" + QByteArray::number(readCallLimit()) + "; read-bytes=" + QByteArray::number(readByteLimit());
}

namespace {

/// Counts one entry of `bytes` into the sliding window if it fits `recordLimit` and `byteLimit`.
bool admitInto(ThroughputWindow &window, qint64 nowMs, qint64 bytes, qint64 recordLimit, qint64 byteLimit)
{
    constexpr int n = ThroughputWindow::kSlots;
    const qint64 slot = nowMs >= 0 ? nowMs / ThroughputWindow::kSlotMs : 0;
    if (window.headSlot < 0 || slot - window.headSlot >= n) {
        window.slotRecords.fill(0);
        window.slotBytes.fill(0);
        window.records = 0;
        window.bytes = 0;
        window.headSlot = slot;
    } else if (slot > window.headSlot) {
        // The slots that left the window since the last record.
        for (qint64 k = window.headSlot + 1; k <= slot; ++k) {
            const size_t i = size_t(k % n);
            window.records -= window.slotRecords[i];
            window.bytes -= window.slotBytes[i];
            window.slotRecords[i] = 0;
            window.slotBytes[i] = 0;
        }
        window.headSlot = slot;
    }
    // A clock that steps back counts into the newest slot.
    const bool bytesFit = window.bytes + bytes <= byteLimit || (window.bytes == 0 && bytes > byteLimit);
    if (window.records + 1 > recordLimit || !bytesFit)
        return false;
    const size_t i = size_t(window.headSlot % n);
    ++window.slotRecords[i];
    window.slotBytes[i] += bytes;
    ++window.records;
    window.bytes += bytes;
    return true;
}

} // namespace

bool ThroughputLimiter::admit(ThroughputWindow &window, qint64 nowMs, qint64 bytes) const
{
    if (!m_enabled)
        return true;
    return admitInto(window, nowMs, bytes, recordLimit(), byteLimit());
}

bool ThroughputLimiter::admitRead(ReadWindow &window, qint64 nowMs) const
{
    if (!m_enabled)
        return true;
    // In thousandths of a byte: a millisecond refills exactly readByteLimit() of them.
    const qint64 capacity = readByteLimit() * 1000;
    if (window.lastRefillMs < 0) {
        window.byteBudgetMilli = capacity;
    } else if (nowMs > window.lastRefillMs) {
        const qint64 elapsed = std::min<qint64>(nowMs - window.lastRefillMs, 3600 * 1000);
        window.byteBudgetMilli = std::min(capacity, window.byteBudgetMilli + elapsed * readByteLimit());
    }
    // A clock that steps back refills nothing.
    window.lastRefillMs = std::max(window.lastRefillMs, nowMs);
    if (window.byteBudgetMilli <= 0)
        return false;
    return admitInto(window.calls, nowMs, 0, readCallLimit(), std::numeric_limits<qint64>::max());
}

void ThroughputLimiter::tookRead(ReadWindow &window, qint64 bytes) const
{
    if (m_enabled)
        window.byteBudgetMilli -= bytes * 1000;
}

} // namespace kwb::sandbox
