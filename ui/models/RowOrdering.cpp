#include "models/RowOrdering.h"

#include "models/RowCells.h"

#include <algorithm>
#include <string_view>

namespace kwb::ui {

namespace {

std::string_view view(QByteArrayView bytes)
{
    return std::string_view(bytes.data(), size_t(bytes.size()));
}

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

/// Matches the key search: an ASCII needle is searched byte-wise without allocating.
class KeyMatcher
{
public:
    explicit KeyMatcher(const QString &needle)
        : m_needle(needle)
        , m_utf8(needle.toUtf8())
    {
        m_ascii = std::all_of(m_utf8.begin(), m_utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        for (char &c : m_utf8)
            c = lowerAscii(c);
    }

    bool matches(QByteArrayView key) const
    {
        if (m_utf8.isEmpty())
            return true;
        if (m_ascii) {
            const auto it = std::search(key.begin(), key.end(), m_utf8.begin(), m_utf8.end(),
                                        [](char a, char b) { return lowerAscii(a) == b; });
            return it != key.end();
        }
        return QString::fromUtf8(key).contains(m_needle, Qt::CaseInsensitive);
    }

private:
    QString m_needle;
    QByteArray m_utf8;
    bool m_ascii = true;
};

int statusRank(DisplayStatus s)
{
    return int(s);
}

bool matchesWith(const RowSnapshot &s, const RowCells &cells, const RowFilter &filter, const KeyMatcher &keys,
                 int shardIndex, int row)
{
    const send::SendResults &r = s.results;
    switch (filter.status) {
    case RowFilter::Status::All:
        break;
    case RowFilter::Status::Failed:
        if (r.status(row) != send::RowStatus::Failed && r.status(row) != send::RowStatus::Cancelled)
            return false;
        break;
    case RowFilter::Status::Throttled:
        if (!cells.wasThrottled(row))
            return false;
        break;
    case RowFilter::Status::Succeeded:
        if (r.status(row) != send::RowStatus::Succeeded)
            return false;
        break;
    case RowFilter::Status::Pending: {
        const auto st = r.status(row);
        if (st != send::RowStatus::Pending && st != send::RowStatus::Queued && st != send::RowStatus::InFlight)
            return false;
        break;
    }
    case RowFilter::Status::Invalid:
        if (cells.issue(row) == RowIssue::None)
            return false;
        break;
    case RowFilter::Status::Mismatched:
        if (!r.shardMismatch(row))
            return false;
        break;
    }
    if (!filter.shardId.isEmpty()) {
        if (filter.shardSource == RowFilter::ShardSource::Predicted) {
            if (shardIndex < 0 || cells.predictedShard(row) != shardIndex)
                return false;
        } else if (r.shardId(row) != filter.shardId) {
            return false;
        }
    }
    if (!filter.errorCode.isEmpty() && cells.errorCode(row) != filter.errorCode)
        return false;
    return keys.matches(s.store.partitionKeyUtf8(row));
}

} // namespace

bool RowOrdering::matches(const RowSnapshot &snapshot, const RowFilter &filter, int row)
{
    const RowCells cells(snapshot.store, snapshot.results, snapshot.map, snapshot.maxRecordBytes, snapshot.badExplicitHashKeys,
                        snapshot.rowIds);
    const KeyMatcher keys(filter.keyText);
    const int shardIndex = filter.shardId.isEmpty() ? -1 : snapshot.map.openIndexOf(filter.shardId);
    return matchesWith(snapshot, cells, filter, keys, shardIndex, row);
}

RowOrder RowOrdering::compute(const RowSnapshot &s, const RowFilter &filter, int sortColumn, Qt::SortOrder order,
                              const std::function<bool()> &cancelled)
{
    RowOrder out;
    out.structureVersion = s.structureVersion;
    const int n = s.store.size();
    const RowCells cells(s.store, s.results, s.map, s.maxRecordBytes, s.badExplicitHashKeys, s.rowIds);
    const auto stop = [&](int i) { return cancelled && (i & 0xFFFF) == 0 && cancelled(); };

    std::vector<int> &rows = out.visible;
    if (filter.isEmpty()) {
        rows.resize(size_t(n));
        for (int i = 0; i < n; ++i)
            rows[size_t(i)] = i;
    } else {
        const KeyMatcher keys(filter.keyText);
        const int shardIndex = filter.shardId.isEmpty() ? -1 : s.map.openIndexOf(filter.shardId);
        rows.reserve(size_t(n));
        for (int row = 0; row < n; ++row) {
            if (stop(row))
                return {};
            if (matchesWith(s, cells, filter, keys, shardIndex, row))
                rows.push_back(row);
        }
    }

    const bool descending = order == Qt::DescendingOrder;
    // Sorts by a key per row; ties keep store order in either direction.
    const auto sortBy = [&](auto key) {
        using Key = decltype(key(0));
        std::vector<std::pair<Key, int>> keyed;
        keyed.reserve(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            if (stop(int(i)))
                return;
            keyed.emplace_back(key(rows[i]), rows[i]);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [descending](const auto &a, const auto &b) {
            return descending ? b.first < a.first : a.first < b.first;
        });
        for (size_t i = 0; i < rows.size(); ++i)
            rows[i] = keyed[i].second;
    };

    switch (sortColumn < 0 ? RecordColumn(-1) : RecordColumn(sortColumn)) {
    case RecordColumn::Row:
        sortBy([&](int row) { return row; });
        break;
    case RecordColumn::PartitionKey:
        sortBy([&](int row) { return view(s.store.partitionKeyUtf8(row)); });
        break;
    case RecordColumn::ExplicitHashKey:
        sortBy([&](int row) {
            // Bad text after real keys, rows without one first.
            const int kind = cells.hasBadExplicitHashKey(row) ? 2 : s.store.hasExplicitHashKey(row) ? 1 : 0;
            return std::make_pair(kind, kind == 1 ? s.store.explicitHashKey(row) : UInt128(0));
        });
        break;
    case RecordColumn::Data:
        sortBy([&](int row) { return view(s.store.data(row)); });
        break;
    case RecordColumn::Size:
        sortBy([&](int row) { return s.store.recordSize(row); });
        break;
    case RecordColumn::HashKey:
        sortBy([&](int row) { return s.store.hashKey(row); });
        break;
    case RecordColumn::PredictedShard:
        sortBy([&](int row) { return cells.predictedShard(row); });
        break;
    case RecordColumn::Status:
        sortBy([&](int row) { return statusRank(cells.status(row)); });
        break;
    case RecordColumn::ActualShard:
        sortBy([&](int row) { return s.results.shardId(row); });
        break;
    case RecordColumn::SequenceNumber:
        // Decimal strings: shorter is smaller.
        sortBy([&](int row) {
            const QString seq = s.results.sequenceNumber(row);
            return std::make_pair(seq.size(), seq);
        });
        break;
    case RecordColumn::ErrorCode:
        sortBy([&](int row) { return cells.errorCode(row); });
        break;
    case RecordColumn::ErrorMessage:
        sortBy([&](int row) { return cells.errorMessage(row); });
        break;
    case RecordColumn::Attempts:
        sortBy([&](int row) { return s.results.attemptCount(row); });
        break;
    case RecordColumn::Shard:
        // Shard ids sort by their number; the same width makes the text order it.
        sortBy([&](int row) { return cells.shownShardId(row); });
        break;
    case RecordColumn::Result:
        sortBy([&](int row) { return std::make_pair(statusRank(cells.status(row)), cells.resultText(row)); });
        break;
    case RecordColumn::KinesisRecord:
        // Rows sent plain first; then by Kinesis record, its user records in their order inside.
        sortBy([&](int row) {
            const int sub = s.results.subSequence(row);
            return std::make_pair(sub < 0 ? -1 : s.results.aggregateFirstRow(row), sub);
        });
        break;
    case RecordColumn::SubSequence:
        sortBy([&](int row) { return s.results.subSequence(row); });
        break;
    }
    if (cancelled && cancelled())
        return {};

    out.inverse.assign(size_t(n), -1);
    for (size_t i = 0; i < rows.size(); ++i)
        out.inverse[size_t(rows[i])] = int(i);
    return out;
}

} // namespace kwb::ui
