#pragma once

#include <QtGlobal>

#include <deque>

namespace kwb::stream {

/// The read limits a reader keeps to per shard, and how it waits: AWS allows 5 GetRecords
/// calls and 2 MiB per second per shard, shared by every reader of the shard.
struct ReadLimits
{
    int callsPerSecond = 5;
    qint64 bytesPerSecond = 2 * 1024 * 1024;
    int idleMs = 1000;        ///< between calls once caught up (MillisBehindLatest 0), as the KCL does
    int backoffBaseMs = 200;  ///< after a throttle or a transient failure: full jitter, doubling
    int backoffCapMs = 5000;
    /// Added to the one-second span of the call limit: a request's time on the way differs from
    /// call to call, and the service counts calls when they arrive.
    int marginMs = 50;
};

/// When one shard's next GetRecords call may go: never more than callsPerSecond calls in any
/// one-second span, the bytes of the last answer paid for at bytesPerSecond, at once while
/// behind (MillisBehindLatest > 0, or a full answer) and after idleMs when caught up; after a throttle, an
/// exponential backoff with full jitter. Pure: the time and the random draw are passed in.
/// Any thread; one per shard.
class ReadPacer
{
public:
    explicit ReadPacer(ReadLimits limits = {}) : m_limits(limits) {}

    const ReadLimits &limits() const { return m_limits; }
    void setLimits(const ReadLimits &limits) { m_limits = limits; }

    /// A GetRecords call goes at `nowMs`.
    void noteCall(qint64 nowMs);
    /// The wait before the next call after an answer at `nowMs` of `bytes` (keys and data) and
    /// `millisBehindLatest`; `full`: it held as many records as asked for, so more are waiting
    /// (emulators that always answer MillisBehindLatest 0 are read on at once). Resets the backoff.
    qint64 delayAfterAnswer(qint64 nowMs, qint64 bytes, bool full, qint64 millisBehindLatest);
    /// The wait after a throttle or transient failure: uniform01 * min(cap, base * 2^(n-1)) for
    /// the n-th in a row, and never sooner than the call limit allows.
    qint64 delayAfterFailure(qint64 nowMs, double uniform01);
    /// The wait the call limit asks for before a call at `nowMs` (0: it may go now).
    qint64 callLimitDelay(qint64 nowMs) const { return callLimitAt(nowMs) - nowMs; }
    /// Failures in a row since the last answer.
    int failuresInRow() const { return m_failures; }

private:
    /// The earliest time the call limit allows the next call.
    qint64 callLimitAt(qint64 nowMs) const;

    ReadLimits m_limits;
    std::deque<qint64> m_calls; ///< times of the last callsPerSecond calls
    int m_failures = 0;
};

} // namespace kwb::stream
