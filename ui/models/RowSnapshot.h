#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "send/SendResults.h"

#include <QString>

#include <map>
#include <vector>

namespace kwb::ui {

/// A copy of a workspace's rows for a worker thread: records, outcomes, routing and the typed
/// explicit hash keys that did not parse. Taken on the GUI thread (the record bytes are shared,
/// not copied) and then owned by the worker.
struct RowSnapshot
{
    RecordStore store;
    send::SendResults results;
    ShardMap map;
    qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes;
    std::map<int, QString> badExplicitHashKeys;
    std::vector<qint64> rowIds;
    quint64 structureVersion = 0;
};

} // namespace kwb::ui
