#pragma once

#include "models/RowSnapshot.h"

#include <QMap>
#include <QString>

#include <functional>
#include <vector>

namespace kwb::ui {

/// Counts over all rows of a workspace: records and bytes per predicted shard (for the shard
/// chart and hot-shard warnings), rows per state and per error code (for the filter bar).
/// Computed on a worker thread from a snapshot; a plain value handed back to the GUI thread.
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

    /// Index of the open shard with the most records, -1 when empty.
    int busiestShard() const;
};

} // namespace kwb::ui
