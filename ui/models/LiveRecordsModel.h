#pragma once

#include "kpl/RecordInspection.h"
#include "stream/ReadRecord.h"

#include <QAbstractTableModel>

#include <deque>
#include <memory>
#include <vector>

namespace kwb::ui {

class SentRecordIndex;

/// What unpacking one Kinesis record found, shared by the rows it gives: the user records' places
/// in its bytes (aggregated), or why it could not be unpacked (broken). Plain records have none.
struct LiveUnpacking
{
    std::vector<kpl::UserRecordSpan> spans; ///< Aggregated: one per user record, in order
    QString reason;                         ///< Broken: the short reason
    QString detail;                         ///< Broken: the full message
};

/// One row of the live view: a plain Kinesis record, one user record of a KPL aggregated Kinesis
/// record (its span says where it sits in the record's bytes, which the row shares with its
/// siblings), or an aggregated record that cannot be unpacked (with the reason). A plain value.
struct LiveRow
{
    stream::ReadRecord record; ///< the Kinesis record (implicitly shared between the rows of one record)
    std::shared_ptr<const LiveUnpacking> unpacking; ///< null for a plain record
    kpl::RecordInspection::Kind kind = kpl::RecordInspection::Kind::Plain;
    qint32 index = 0; ///< Aggregated: which of unpacking->spans this row is

    bool isUserRecord() const { return kind == kpl::RecordInspection::Kind::Aggregated; }
    bool isBroken() const { return kind == kpl::RecordInspection::Kind::Broken; }
    /// Aggregated: where the user record sits in the record's bytes (its sub-sequence number too).
    const kpl::UserRecordSpan &span() const;
    /// Aggregated: user records in the Kinesis record.
    qint32 userRecordCount() const { return isUserRecord() ? qint32(unpacking->spans.size()) : 0; }
    QString problem() const { return isBroken() ? unpacking->reason : QString(); }
    QString problemDetail() const { return isBroken() ? unpacking->detail : QString(); }
    /// The partition key and data the row shows: the user record's, or the Kinesis record's.
    QString partitionKey() const;
    QByteArrayView data() const;
    QByteArrayView explicitHashKey() const;
};

// The model keeps up to 100,000 rows in a std::deque, whose blocks are 512 bytes (libstdc++): 128
// bytes a row put four in a block; at 129 to 170 it is three, and 700 bytes a kept row were missed.
static_assert(sizeof(LiveRow) <= 128, "keep LiveRow small: four to a deque block");

/// The live view's table: the records a stream reader got, newest last, at most capacity() rows (the oldest
/// leave first). A KPL aggregated record (magic and MD5 checked) shows as one row per user record, with its
/// partition key, explicit hash key and sub-sequence number; one that starts with the magic but cannot be
/// unpacked shows as one row with the reason, never as user records. Records come in batches (append(), one
/// insertion and at most one removal per batch); a filter keeps the rows whose partition key or data text
/// contains a text. With a SentRecordIndex, records this workspace sent name their row and show their
/// end-to-end latency. Lives on the GUI thread.
class LiveRecordsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Shard,
        SequenceNumber,
        SubSequence,
        PartitionKey,
        ExplicitHashKey,
        Arrival,
        Size,
        Latency,
        Data,
        ColumnCount
    };
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

    /// Adds records at the end (aggregated ones unpacked into their user records), dropping the oldest rows
    /// beyond the capacity.
    void append(const QList<stream::ReadRecord> &records);
    void clear();
    /// Keeps the rows whose partition key or data (as UTF-8 text) contains `text`, ignoring case; empty: all.
    void setFilter(const QString &text);
    QString filter() const { return m_filter; }

    /// The Kinesis record shown in `row` (for a user record, the aggregated record it is in).
    const stream::ReadRecord &record(int row) const { return entry(row).record; }
    /// Everything about `row`.
    const LiveRow &entry(int row) const;
    /// The row showing this record, -1 when it is not kept or filtered out.
    int rowOf(const QString &shardId, const QString &sequenceNumber) const;
    /// The workspace row that sent the record in `row`, -1 for none.
    int sentRow(int row) const;
    /// Arrival minus the moment its request went out, for records this workspace sent; -1 otherwise.
    qint64 latencyMs(int row) const;

    /// Rows kept (filtered or not).
    qint64 kept() const { return qint64(m_records.size()); }
    /// Kinesis records appended since the start or clear(), kept or not.
    qint64 received() const { return m_received; }
    /// Of them, aggregated records unpacked, the user records they held, and records that could not be.
    qint64 aggregatedReceived() const { return m_aggregated; }
    qint64 userRecordsReceived() const { return m_userRecords; }
    qint64 brokenReceived() const { return m_broken; }
    /// Rows that left to make room.
    qint64 dropped() const { return m_rowsAppended - kept(); }

private:
    bool matches(const LiveRow &row) const;
    void unpackInto(const stream::ReadRecord &record, std::vector<LiveRow> &rows);
    void rebuildVisible();
    void trimTo(qint64 capacity);

    std::deque<LiveRow> m_records;
    /// Absolute numbers (m_first + index into m_records) of the records shown, ascending.
    std::deque<qint64> m_visible;
    qint64 m_first = 0; ///< absolute number of m_records.front()
    qint64 m_capacity = kDefaultCapacity;
    qint64 m_received = 0;
    qint64 m_rowsAppended = 0;
    qint64 m_aggregated = 0;
    qint64 m_userRecords = 0;
    qint64 m_broken = 0;
    QString m_filter;
    const SentRecordIndex *m_sent = nullptr;
};

} // namespace kwb::ui
