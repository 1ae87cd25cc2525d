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

QByteArray ThroughputLimiter::headerValue() const
{
    if (!m_enabled)
        return QByteArrayLiteral("off");
    return "records=" + QByteArray::number(recordLimit()) + "; bytes=" + QByteArray::number(byteLimit());
}

bool ThroughputLimiter::admit(ThroughputWindow &window, qint64 nowMs, qint64 bytes) const
{
    if (!m_enabled)
        return true;
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
    const bool bytesFit = window.bytes + bytes <= byteLimit() || (window.bytes == 0 && bytes > byteLimit());
    if (window.records + 1 > recordLimit() || !bytesFit)
        return false;
    const size_t i = size_t(window.headSlot % n);
    ++window.slotRecords[i];
    window.slotBytes[i] += bytes;
    ++window.records;
    window.bytes += bytes;
    return true;
}

} // namespace kwb::sandbox
