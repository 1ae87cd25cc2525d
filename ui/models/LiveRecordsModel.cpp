#include "models/LiveRecordsModel.h"

#include "models/RecordText.h"
#include "models/SentRecordIndex.h"
#include "views/StatusColors.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace kwb::ui {

using Kind = kpl::RecordInspection::Kind;

const kpl::UserRecordSpan &LiveRow::span() const
{
    static const kpl::UserRecordSpan none;
    return isUserRecord() ? unpacking->spans[size_t(index)] : none;
}

QString LiveRow::partitionKey() const
{
    return isUserRecord() ? QString::fromUtf8(span().partitionKey(record.data)) : record.partitionKey;
}

QByteArrayView LiveRow::data() const
{
    return isUserRecord() ? span().data(record.data) : QByteArrayView(record.data);
}

QByteArrayView LiveRow::explicitHashKey() const
{
    return isUserRecord() ? span().explicitHashKey(record.data) : QByteArrayView();
}

LiveRecordsModel::LiveRecordsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int LiveRecordsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int LiveRecordsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const LiveRow &LiveRecordsModel::entry(int row) const
{
    return m_records[size_t(m_visible[size_t(row)] - m_first)];
}

QVariant LiveRecordsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LiveRow &e = entry(index.row());
    const stream::ReadRecord &r = e.record;
    if (role == SentRowRole)
        return sentRow(index.row());
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == Size || index.column() == Latency || index.column() == SubSequence)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ForegroundRole && e.isBroken() && (index.column() == Data || index.column() == SubSequence))
        return StatusColors::error();
    if (role == Qt::ToolTipRole) {
        if (index.column() == Latency) {
            const int row = sentRow(index.row());
            return row < 0 ? tr("Not sent by this workspace")
                           : tr("Sent by row %1: arrival time minus the moment its request went out").arg(row + 1);
        }
        if (e.isBroken())
            return tr("Starts with the KPL magic but cannot be unpacked: %1").arg(e.problemDetail());
        if (e.isUserRecord())
            return tr("User record %1 of %2 in an aggregated Kinesis record (its partition key %3, %4 bytes)")
                .arg(e.span().subSequenceNumber)
                .arg(e.userRecordCount())
                .arg(r.partitionKey, QLocale().toString(qint64(r.data.size())));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Shard: return r.shardId;
    case SequenceNumber: return r.sequenceNumber;
    case SubSequence:
        if (e.isUserRecord())
            return QString::number(e.span().subSequenceNumber);
        return e.isBroken() ? tr("⚠ broken") : QString();
    case PartitionKey: return e.partitionKey();
    case ExplicitHashKey: return QString::fromUtf8(e.explicitHashKey());
    case Arrival: return QDateTime::fromMSecsSinceEpoch(r.arrivalMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Size: return QLocale().toString(qint64(e.data().size()));
    case Latency: {
        const qint64 ms = latencyMs(index.row());
        return ms < 0 ? QVariant() : QVariant(tr("%1 ms").arg(QLocale().toString(ms)));
    }
    case Data:
        if (e.isBroken())
            return tr("⚠ %1: %2").arg(e.problem(), RecordText::preview(r.data, 60));
        return RecordText::preview(e.data(), 120);
    case ColumnCount: break;
    }
    return {};
}

QVariant LiveRecordsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Shard: return tr("Shard");
    case SequenceNumber: return tr("Sequence number");
    case SubSequence: return tr("Sub-seq.");
    case PartitionKey: return tr("Partition key");
    case ExplicitHashKey: return tr("Explicit hash key");
    case Arrival: return tr("Arrival (UTC)");
    case Size: return tr("Size");
    case Latency: return tr("Latency");
    case Data: return tr("Data");
    case ColumnCount: break;
    }
    return {};
}

void LiveRecordsModel::setCapacity(qint64 capacity)
{
    m_capacity = std::max<qint64>(1, capacity);
    trimTo(m_capacity);
}

void LiveRecordsModel::setSentIndex(const SentRecordIndex *index)
{
    if (m_sent)
        disconnect(m_sent, nullptr, this, nullptr);
    m_sent = index;
    if (m_sent) {
        connect(m_sent, &SentRecordIndex::changed, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(this->index(0, Latency), this->index(rowCount() - 1, Latency));
        });
    }
}

bool LiveRecordsModel::matches(const LiveRow &row) const
{
    if (m_filter.isEmpty())
        return true;
    if (row.partitionKey().contains(m_filter, Qt::CaseInsensitive))
        return true;
    // A broken record shows its reason where the data goes: that is what the filter reads, never
    // its bytes, which hold no user records it could vouch for.
    if (row.isBroken())
        return row.problem().contains(m_filter, Qt::CaseInsensitive);
    return QString::fromUtf8(row.data()).contains(m_filter, Qt::CaseInsensitive);
}

void LiveRecordsModel::unpackInto(const stream::ReadRecord &record, std::vector<LiveRow> &rows)
{
    kpl::RecordInspection inspection = kpl::RecordInspection::inspect(record.data);
    LiveRow row;
    row.record = record;
    row.kind = inspection.kind;
    switch (inspection.kind) {
    case Kind::Plain: rows.push_back(std::move(row)); return;
    case Kind::Broken:
        ++m_broken;
        row.unpacking = std::make_shared<const LiveUnpacking>(LiveUnpacking{{}, inspection.shortReason(), inspection.error.message});
        rows.push_back(std::move(row));
        return;
    case Kind::Aggregated: {
        ++m_aggregated;
        const qint32 count = qint32(inspection.userRecords.size());
        m_userRecords += count;
        row.unpacking = std::make_shared<const LiveUnpacking>(LiveUnpacking{std::move(inspection.userRecords), {}, {}});
        for (qint32 i = 0; i < count; ++i) {
            row.index = i;
            rows.push_back(row);
        }
        return;
    }
    }
}

void LiveRecordsModel::trimTo(qint64 capacity)
{
    const qint64 excess = qint64(m_records.size()) - capacity;
    if (excess <= 0)
        return;
    const qint64 newFirst = m_first + excess;
    const auto firstKept = std::lower_bound(m_visible.begin(), m_visible.end(), newFirst);
    const int leaving = int(firstKept - m_visible.begin());
    if (leaving > 0)
        beginRemoveRows({}, 0, leaving - 1);
    m_visible.erase(m_visible.begin(), firstKept);
    m_records.erase(m_records.begin(), m_records.begin() + excess);
    m_first = newFirst;
    if (leaving > 0)
        endRemoveRows();
}

void LiveRecordsModel::append(const QList<stream::ReadRecord> &records)
{
    if (records.isEmpty())
        return;
    m_received += records.size();
    // Only the newest `capacity` rows of a large batch can stay; records are unpacked newest first until
    // they fill it, so an old part of a huge batch costs nothing.
    std::vector<LiveRow> rows;
    std::vector<LiveRow> one;
    qint64 total = 0;
    std::vector<std::vector<LiveRow>> newestFirst;
    for (qsizetype i = records.size() - 1; i >= 0; --i) {
        one.clear();
        unpackInto(records[i], one);
        total += qint64(one.size());
        newestFirst.push_back(std::move(one));
        one = {};
        if (total >= m_capacity) {
            // The records older than this one are counted but never kept.
            for (qsizetype j = i - 1; j >= 0; --j) {
                one.clear();
                unpackInto(records[j], one);
                m_rowsAppended += qint64(one.size());
            }
            break;
        }
    }
    m_rowsAppended += total;
    const qint64 skip = std::max<qint64>(0, total - m_capacity);
    for (auto it = newestFirst.rbegin(); it != newestFirst.rend(); ++it)
        for (LiveRow &row : *it)
            rows.push_back(std::move(row));
    const qint64 incoming = total - skip;
    trimTo(m_capacity - incoming);
    // Rows are numbered in arrival order; those of a batch larger than the capacity that passed without
    // being kept still count.
    if (m_records.empty())
        m_first = m_rowsAppended - incoming;
    std::vector<qint64> shown;
    const qint64 base = m_first + qint64(m_records.size());
    for (qint64 i = skip; i < qint64(rows.size()); ++i) {
        if (matches(rows[size_t(i)]))
            shown.push_back(base + (i - skip));
    }
    if (!shown.empty())
        beginInsertRows({}, rowCount(), rowCount() + int(shown.size()) - 1);
    for (qint64 i = skip; i < qint64(rows.size()); ++i)
        m_records.push_back(std::move(rows[size_t(i)]));
    m_visible.insert(m_visible.end(), shown.begin(), shown.end());
    if (!shown.empty())
        endInsertRows();
}

void LiveRecordsModel::clear()
{
    beginResetModel();
    m_records.clear();
    m_visible.clear();
    m_first = 0;
    m_received = 0;
    m_rowsAppended = 0;
    m_aggregated = 0;
    m_userRecords = 0;
    m_broken = 0;
    endResetModel();
}

void LiveRecordsModel::setFilter(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    beginResetModel();
    rebuildVisible();
    endResetModel();
}

void LiveRecordsModel::rebuildVisible()
{
    m_visible.clear();
    for (size_t i = 0; i < m_records.size(); ++i) {
        if (matches(m_records[i]))
            m_visible.push_back(m_first + qint64(i));
    }
}

int LiveRecordsModel::rowOf(const QString &shardId, const QString &sequenceNumber) const
{
    // Newest first: a record just linked is usually near the end.
    for (int row = rowCount() - 1; row >= 0; --row) {
        const stream::ReadRecord &r = record(row);
        if (r.sequenceNumber == sequenceNumber && r.shardId == shardId)
            return row;
    }
    return -1;
}

int LiveRecordsModel::sentRow(int row) const
{
    if (!m_sent)
        return -1;
    const stream::ReadRecord &r = record(row);
    return m_sent->rowOf(r.shardId, r.sequenceNumber);
}

qint64 LiveRecordsModel::latencyMs(int row) const
{
    const int sent = sentRow(row);
    if (sent < 0)
        return -1;
    const qint64 sentAt = m_sent->sentMs(sent);
    if (sentAt <= 0)
        return -1;
    const qint64 latency = record(row).arrivalMs - sentAt;
    // The arrival time is the service's clock, the sending time this machine's: a little skew is shown as 0;
    // a clock far off (an emulator with a clock of its own) gives no figure at all.
    if (latency < -kClockSkewMs)
        return -1;
    return std::max<qint64>(0, latency);
}

} // namespace kwb::ui
