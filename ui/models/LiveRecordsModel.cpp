#include "models/LiveRecordsModel.h"

#include "models/RecordText.h"
#include "models/SentRecordIndex.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace kwb::ui {

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

const stream::ReadRecord &LiveRecordsModel::record(int row) const
{
    return m_records[size_t(m_visible[size_t(row)] - m_first)];
}

QVariant LiveRecordsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const stream::ReadRecord &r = record(index.row());
    if (role == SentRowRole)
        return sentRow(index.row());
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == Size || index.column() == Latency)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Latency) {
        const int row = sentRow(index.row());
        return row < 0 ? tr("Not sent by this workspace")
                       : tr("Sent by row %1: arrival time minus the moment its request went out").arg(row + 1);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Shard: return r.shardId;
    case SequenceNumber: return r.sequenceNumber;
    case PartitionKey: return r.partitionKey;
    case Arrival: return QDateTime::fromMSecsSinceEpoch(r.arrivalMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Size: return QLocale().toString(qint64(r.data.size()));
    case Latency: {
        const qint64 ms = latencyMs(index.row());
        return ms < 0 ? QVariant() : QVariant(tr("%1 ms").arg(QLocale().toString(ms)));
    }
    case Data: return RecordText::preview(r.data, 120);
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
    case PartitionKey: return tr("Partition key");
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

bool LiveRecordsModel::matches(const stream::ReadRecord &record) const
{
    if (m_filter.isEmpty())
        return true;
    if (record.partitionKey.contains(m_filter, Qt::CaseInsensitive))
        return true;
    return QString::fromUtf8(record.data).contains(m_filter, Qt::CaseInsensitive);
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
    // Only the newest `capacity` of a large batch can stay.
    const qsizetype skip = std::max<qsizetype>(0, records.size() - qsizetype(m_capacity));
    const qint64 incoming = records.size() - skip;
    trimTo(m_capacity - incoming);
    // Records are numbered in arrival order; those of a batch larger than the capacity that passed without
    // being kept still count.
    if (m_records.empty())
        m_first = m_received - incoming;
    std::vector<qint64> shown;
    const qint64 base = m_first + qint64(m_records.size());
    for (qsizetype i = skip; i < records.size(); ++i) {
        if (matches(records[i]))
            shown.push_back(base + (i - skip));
    }
    if (!shown.empty())
        beginInsertRows({}, rowCount(), rowCount() + int(shown.size()) - 1);
    for (qsizetype i = skip; i < records.size(); ++i)
        m_records.push_back(records[i]);
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
