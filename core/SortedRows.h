#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace kwb {

/// Row lists for removing rows from columnar storage (RecordStore, SendResults, the workspace's
/// row ids): sort the rows once, then compact each column in one pass. Header-only, pure.

/// `rows` in ascending order, each once; with `size` >= 0, only those in [0, size).
inline std::vector<int> sortedUniqueRows(std::vector<int> rows, int size = -1)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (size >= 0)
        rows.erase(std::remove_if(rows.begin(), rows.end(), [size](int r) { return r < 0 || r >= size; }), rows.end());
    return rows;
}

/// Removes the entries at `sortedRows` (ascending, unique, as sortedUniqueRows() returns them)
/// from `column`, keeping the order of the rest. One pass from the first removed row on, so the
/// entries before it are not touched (a CowColumn keeps those chunks shared).
template<typename Column>
void eraseSortedRows(Column &column, const std::vector<int> &sortedRows)
{
    auto next = std::lower_bound(sortedRows.begin(), sortedRows.end(), 0); // rows < 0 are not there
    if (next == sortedRows.end() || std::size_t(*next) >= column.size())
        return;
    std::size_t out = std::size_t(*next);
    for (std::size_t in = out; in < column.size(); ++in) {
        if (next != sortedRows.end() && std::size_t(*next) == in) {
            ++next;
            continue;
        }
        column[out++] = std::move(column[in]);
    }
    column.resize(out);
}

} // namespace kwb
