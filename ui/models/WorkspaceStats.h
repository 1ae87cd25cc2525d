#pragma once

#include "models/RowSnapshot.h"

#include <QMap>
#include <QString>

#include <functional>
#include <vector>

namespace kwb::ui {

class RowCells;

/// Counts over all rows of a workspace: records and bytes per predicted shard (for the shard
/// chart and hot-shard warnings), rows per state and per error code (for the filter bar).
/// A plain value. StatsController counts the live workspace a slice of rows at a time
/// (forMap(), then count() per slice); compute() counts a whole snapshot at once.
struct WorkspaceStats
{
    std::vector<qint64> shardRecords; ///< per open shard of the map, by open index
    std::vector<qint64> shardBytes;
    qint64 records = 0;
    qint64 bytes = 0;
    qint64 invalid = 0;
    qint64 pending = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;    ///< failed or cancelled, throttled included
    qint64 throttled = 0; ///< failed because of throttling
    qint64 mismatched = 0;
    QMap<QString, qint64> errorCodes;
    quint64 structureVersion = 0;

    /// Counts everything; returns an empty value when `cancelled` says so.
    static WorkspaceStats compute(const RowSnapshot &snapshot, const std::function<bool()> &cancelled = {});

    /// Nothing counted yet, with a zero per open shard of `map`.
    static WorkspaceStats forMap(const ShardMap &map);
    /// Adds rows [first, last) to the counts. `cells` shows the same store, results and map;
    /// `map` must be the one given to forMap().
    void count(const RowCells &cells, const RecordStore &store, const send::SendResults &results, const ShardMap &map,
               int first, int last);

    /// Index of the open shard with the most records, -1 when empty.
    int busiestShard() const;
};

} // namespace kwb::ui
