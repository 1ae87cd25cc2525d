#include "models/WorkspaceStats.h"

#include "models/RowCells.h"

namespace kwb::ui {

WorkspaceStats WorkspaceStats::compute(const RowSnapshot &s, const std::function<bool()> &cancelled)
{
    WorkspaceStats out;
    out.structureVersion = s.structureVersion;
    const int shards = s.map.openShardCount();
    out.shardRecords.assign(size_t(shards), 0);
    out.shardBytes.assign(size_t(shards), 0);
    const RowCells cells(s.store, s.results, s.map, s.maxRecordBytes, s.badExplicitHashKeys, s.rowIds);
    const int n = s.store.size();
    for (int row = 0; row < n; ++row) {
        if (cancelled && (row & 0xFFFF) == 0 && cancelled())
            return {};
        const qint64 size = s.store.recordSize(row);
        ++out.records;
        out.bytes += size;
        if (shards > 0) {
            const int shard = s.map.openIndexFor(s.store.hashKey(row));
            ++out.shardRecords[size_t(shard)];
            out.shardBytes[size_t(shard)] += size;
        }
        switch (cells.status(row)) {
        case DisplayStatus::Invalid:
            ++out.invalid;
            break;
        case DisplayStatus::Pending:
        case DisplayStatus::Queued:
        case DisplayStatus::InFlight:
            ++out.pending;
            break;
        case DisplayStatus::Succeeded:
        case DisplayStatus::Verified:
        case DisplayStatus::VerifyMismatch:
            ++out.succeeded;
            break;
        case DisplayStatus::Throttled:
            ++out.throttled;
            ++out.failed;
            break;
        case DisplayStatus::Failed:
        case DisplayStatus::Cancelled:
            ++out.failed;
            break;
        }
        if (s.results.shardMismatch(row))
            ++out.mismatched;
        const QString code = cells.errorCode(row);
        if (!code.isEmpty())
            ++out.errorCodes[code];
    }
    return out;
}

int WorkspaceStats::busiestShard() const
{
    int best = -1;
    for (size_t i = 0; i < shardRecords.size(); ++i)
        if (shardRecords[i] > 0 && (best < 0 || shardRecords[i] > shardRecords[size_t(best)]))
            best = int(i);
    return best;
}

} // namespace kwb::ui
