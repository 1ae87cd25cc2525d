#pragma once

#include "generate/PacedSource.h"
#include "generate/RateSchedule.h"
#include "generate/RecordGenerator.h"

#include <functional>

namespace kwb::generate {

/// A RecordGenerator paced by a RateSchedule. Each record is stamped with the wall clock when it
/// is made, or, with a simulated start time, with the moment the schedule has it due (so a
/// seeded run written to a file is the same byte for byte every time).
class GeneratorSource : public PacedSource
{
public:
    GeneratorSource(RecordGenerator generator, RateSchedule schedule);

    /// Records get start + their due time instead of the wall clock.
    void setSimulatedStart(qint64 epochMs) { m_simulatedStart = epochMs; }
    /// Test hook: the wall clock, ms since 1970.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    const RecordGenerator &generator() const { return m_generator; }
    const RateSchedule &schedule() const { return m_schedule; }

    Result<qint64> take(qint64 elapsedMs, qint64 limit, RecordStore &store) override;
    bool atEnd(qint64 elapsedMs) const override;
    qint64 behind(qint64 elapsedMs) const override;
    /// Makes the next record without pacing (for writing a file); false at the end.
    Result<bool> next(GeneratedRecord &record);

private:
    qint64 recordTime(qint64 index);

    RecordGenerator m_generator;
    RateSchedule m_schedule;
    std::function<qint64()> m_clock;
    qint64 m_simulatedStart = -1;
};

} // namespace kwb::generate
