#include "generate/GeneratorSource.h"

#include <QDateTime>

#include <cmath>

namespace kwb::generate {

GeneratorSource::GeneratorSource(RecordGenerator generator, RateSchedule schedule)
    : m_generator(std::move(generator))
    , m_schedule(std::move(schedule))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

qint64 GeneratorSource::recordTime(qint64 index)
{
    if (m_simulatedStart < 0)
        return m_clock();
    if (!m_schedule.paced())
        return m_simulatedStart;
    // The first moment the schedule has more than `index` records due.
    double low = 0, high = 1;
    while (m_schedule.dueBy(high) <= index && high < 1e9)
        high *= 2;
    for (int i = 0; i < 64 && high - low > 1e-4; ++i) {
        const double mid = (low + high) / 2;
        (m_schedule.dueBy(mid) > index ? high : low) = mid;
    }
    return m_simulatedStart + qint64(std::llround(high * 1000.0));
}

Result<qint64> GeneratorSource::take(qint64 elapsedMs, qint64 limit, RecordStore &store)
{
    const qint64 due = m_schedule.dueBy(double(elapsedMs) / 1000.0);
    const qint64 n = std::min(limit, due - m_generator.generated());
    if (m_generator.generated() == 0)
        m_generator.setStartTime(m_simulatedStart >= 0 ? m_simulatedStart : m_clock() - elapsedMs);
    qint64 taken = 0;
    qint64 bytes = 0;
    while (taken < n && bytes < kChunkBytes) {
        if (auto made = m_generator.appendTo(store, recordTime(m_generator.generated())); !made.ok())
            return made.error();
        bytes += store.recordSize(store.size() - 1);
        ++taken;
    }
    return taken;
}

bool GeneratorSource::atEnd(qint64 elapsedMs) const
{
    return m_schedule.finished(double(elapsedMs) / 1000.0, m_generator.generated());
}

qint64 GeneratorSource::behind(qint64 elapsedMs) const
{
    if (!m_schedule.paced())
        return 0;
    return std::max<qint64>(0, m_schedule.dueBy(double(elapsedMs) / 1000.0) - m_generator.generated());
}

Result<bool> GeneratorSource::next(GeneratedRecord &record)
{
    if (const auto total = m_schedule.total(); total && m_generator.generated() >= *total)
        return false;
    if (m_simulatedStart >= 0 && m_generator.generated() == 0)
        m_generator.setStartTime(m_simulatedStart);
    if (auto made = m_generator.next(recordTime(m_generator.generated()), record); !made.ok())
        return made.error();
    return true;
}

} // namespace kwb::generate
