#pragma once

#include "models/RowFilter.h"
#include "models/RowSnapshot.h"

#include <Qt>

#include <functional>
#include <vector>

namespace kwb::ui {

/// The rows a table shows and in what order, for a filter and a sort column.
struct RowOrder
{
    std::vector<int> visible; ///< store rows, in display order
    std::vector<int> inverse; ///< per store row: its display row, or -1 when filtered out
    quint64 structureVersion = 0; ///< of the snapshot it was computed from
};

/// Filters and sorts the rows of a snapshot. Runs on a worker thread (pure function of its
/// inputs). `sortColumn` < 0 keeps store order. Sorting is stable, so equal cells keep store
/// order. `cancelled` is polled now and then; when it returns true the result is empty.
class RowOrdering
{
public:
    static RowOrder compute(const RowSnapshot &snapshot, const RowFilter &filter, int sortColumn, Qt::SortOrder order,
                            const std::function<bool()> &cancelled = {});

    /// Whether one row passes the filter (exposed for tests).
    static bool matches(const RowSnapshot &snapshot, const RowFilter &filter, int row);
};

} // namespace kwb::ui
