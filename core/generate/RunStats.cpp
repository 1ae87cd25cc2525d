#include "generate/RunStats.h"

#include <algorithm>

namespace kwb::generate {

void RunStats::reset(const QStringList &shardIds)
{
    m_shardIds = shardIds;
    m_totals = {};
    m_shardTotals.assign(size_t(shardIds.size()), Totals{});
    m_codes.clear();
    m_ring.assign(size_t(shardIds.size() + 1) * kWindowSeconds, Second{});
    m_last = -1;
}

RunStats::Second &RunStats::slot(int shard, qint64 second)
{
    Second &s = m_ring[size_t(shard + 1) * kWindowSeconds + size_t(second % kWindowSeconds)];
    if (s.second != second)
        s = Second{second};
    return s;
}

void RunStats::addAttempt(qint64 second, int shard, send::AttemptOutcome outcome, int latencyMs)
{
    second = std::max<qint64>(0, second);
    // An answer that arrives late is counted in the newest second, not in one the ring dropped.
    second = std::max(second, m_last - kWindowSeconds + 1);
    m_last = std::max(m_last, second);
    const bool known = shard >= 0 && shard < m_shardIds.size();
    for (int which : {-1, known ? shard : -2}) {
        if (which == -2)
            continue;
        Second &s = slot(which, second);
        ++s.sent;
        s.succeeded += outcome == send::AttemptOutcome::Succeeded;
        s.throttled += outcome == send::AttemptOutcome::Throttled;
        s.failed += outcome == send::AttemptOutcome::Failed || outcome == send::AttemptOutcome::RequestFailed;
        if (latencyMs >= 0) {
            s.latencySumMs += latencyMs;
            ++s.latencyCount;
        }
    }
    if (outcome == send::AttemptOutcome::Throttled) {
        ++m_totals.throttles;
        if (known)
            ++m_shardTotals[size_t(shard)].throttles;
    }
}

void RunStats::addFinal(int shard, send::RowStatus status, const QString &errorCode, qint64 bytes)
{
    const bool known = shard >= 0 && shard < m_shardIds.size();
    for (Totals *t : {&m_totals, known ? &m_shardTotals[size_t(shard)] : nullptr}) {
        if (!t)
            continue;
        ++t->records;
        switch (status) {
        case send::RowStatus::Succeeded:
            ++t->succeeded;
            t->bytesSucceeded += bytes;
            break;
        case send::RowStatus::Failed:
            ++t->failed;
            break;
        case send::RowStatus::Cancelled:
            ++t->cancelled;
            break;
        case send::RowStatus::Pending:
        case send::RowStatus::Queued:
        case send::RowStatus::InFlight:
            ++t->pending;
            break;
        }
    }
    if (status != send::RowStatus::Succeeded)
        ++m_codes[errorCode];
}

RunStats::Second RunStats::at(int shard, qint64 second) const
{
    if (second < 0 || second > m_last || second <= m_last - kWindowSeconds || shard < -1 || shard >= m_shardIds.size())
        return Second{second};
    const Second &s = m_ring[size_t(shard + 1) * kWindowSeconds + size_t(second % kWindowSeconds)];
    return s.second == second ? s : Second{second};
}

} // namespace kwb::generate
