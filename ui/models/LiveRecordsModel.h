#pragma once

#include "stream/ReadRecord.h"

#include <QAbstractTableModel>

#include <deque>

namespace kwb::ui {

class SentRecordIndex;

/// The live view's table: the records a stream reader got, newest last, at most capacity() of them (the
/// oldest leave first). Records come in batches (append(), one insertion and at most one removal per batch);
/// a filter keeps the records whose partition key or data text contains a text. With a SentRecordIndex,
/// records this workspace sent name their row and show their end-to-end latency. Lives on the GUI thread.
class LiveRecordsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Shard, SequenceNumber, PartitionKey, Arrival, Size, Latency, Data, ColumnCount };
    static constexpr qint64 kDefaultCapacity = 100000;
    /// How far the service's clock may be behind this machine's before a latency is not shown.
    static constexpr qint64 kClockSkewMs = 2000;
    /// Role of the workspace row that sent a record (int, -1 for none).
    static constexpr int SentRowRole = Qt::UserRole + 1;

    explicit LiveRecordsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setCapacity(qint64 capacity);
    qint64 capacity() const { return m_capacity; }
    void setSentIndex(const SentRecordIndex *index);

    /// Adds records at the end, dropping the oldest beyond the capacity.
    void append(const QList<stream::ReadRecord> &records);
    void clear();
    /// Keeps the records whose partition key or data (as UTF-8 text) contains `text`, ignoring case; empty:
    /// all.
    void setFilter(const QString &text);
    QString filter() const { return m_filter; }

    /// The record shown in `row`.
    const stream::ReadRecord &record(int row) const;
    /// The row showing this record, -1 when it is not kept or filtered out.
    int rowOf(const QString &shardId, const QString &sequenceNumber) const;
    /// The workspace row that sent the record in `row`, -1 for none.
    int sentRow(int row) const;
    /// Arrival minus the moment its request went out, for records this workspace sent; -1 otherwise.
    qint64 latencyMs(int row) const;

    /// Records kept (filtered or not).
    qint64 kept() const { return qint64(m_records.size()); }
    /// Records appended since the start or clear(), kept or not.
    qint64 received() const { return m_received; }
    /// Records that left to make room.
    qint64 dropped() const { return m_received - kept(); }

private:
    bool matches(const stream::ReadRecord &record) const;
    void rebuildVisible();
    void trimTo(qint64 capacity);

    std::deque<stream::ReadRecord> m_records;
    /// Absolute numbers (m_first + index into m_records) of the records shown, ascending.
    std::deque<qint64> m_visible;
    qint64 m_first = 0; ///< absolute number of m_records.front()
    qint64 m_capacity = kDefaultCapacity;
    qint64 m_received = 0;
    QString m_filter;
    const SentRecordIndex *m_sent = nullptr;
};

} // namespace kwb::ui
