#include "models/WorkspaceStats.h"

#include "models/RowCells.h"

namespace kwb::ui {

WorkspaceStats WorkspaceStats::forMap(const ShardMap &map)
{
    WorkspaceStats out;
    out.shardRecords.assign(size_t(map.openShardCount()), 0);
    out.shardBytes.assign(size_t(map.openShardCount()), 0);
    return out;
}

void WorkspaceStats::count(const RowCells &cells, const RecordStore &store, const send::SendResults &results,
                           const ShardMap &map, int first, int last)
{
    const bool routed = !shardRecords.empty();
    for (int row = first; row < last; ++row) {
        const qint64 size = store.recordSize(row);
        ++records;
        bytes += size;
        if (routed) {
            const int shard = map.openIndexFor(store.hashKey(row));
            // The map must be the one forMap() sized the counts for; never write past them.
            Q_ASSERT(shard >= 0 && size_t(shard) < shardRecords.size());
            if (shard >= 0 && size_t(shard) < shardRecords.size()) {
                ++shardRecords[size_t(shard)];
                shardBytes[size_t(shard)] += size;
            }
        }
        const DisplayStatus status = cells.status(row);
        switch (status) {
        case DisplayStatus::Invalid:
            ++invalid;
            break;
        case DisplayStatus::Pending:
        case DisplayStatus::Queued:
        case DisplayStatus::InFlight:
            ++pending;
            break;
        case DisplayStatus::Succeeded:
        case DisplayStatus::Verified:
        case DisplayStatus::VerifyMismatch:
            ++succeeded;
            break;
        case DisplayStatus::Throttled:
            ++throttled;
            ++failed;
            break;
        case DisplayStatus::Failed:
        case DisplayStatus::Cancelled:
            ++failed;
            break;
        }
        if (results.shardMismatch(row))
            ++mismatched;
        // RowCells::errorCode(), without checking the row a second time: only invalid rows
        // show their issue's code.
        const QString code = status == DisplayStatus::Invalid ? cells.errorCode(row) : results.errorCode(row);
        if (!code.isEmpty())
            ++errorCodes[code];
    }
}

WorkspaceStats WorkspaceStats::compute(const RowSnapshot &s, const std::function<bool()> &cancelled)
{
    WorkspaceStats out = forMap(s.map);
    out.structureVersion = s.structureVersion;
    const RowCells cells(s.store, s.results, s.map, s.maxRecordBytes, s.badExplicitHashKeys, s.rowIds);
    const int n = s.store.size();
    constexpr int kBlock = 0x10000;
    for (int first = 0; first < n; first += kBlock) {
        if (cancelled && cancelled())
            return {};
        out.count(cells, s.store, s.results, s.map, first, std::min(n, first + kBlock));
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
