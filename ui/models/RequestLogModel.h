#pragma once

#include "net/KinesisTypes.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>
#include <vector>

namespace kwb::ui {

/// The log dock's table: one row per HTTP request (time, operation, HTTP status, records,
/// FailedRecordCount, latency, bytes, error code), keeping only the newest `limit` entries.
/// Entries arrive in bursts while sending; they are queued and added every kFlushIntervalMs in
/// one insertion (and one removal of the oldest). Lives on the GUI thread.
class RequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Operation, HttpStatus, Records, FailedRecords, Latency, Bytes, ErrorCode, Endpoint, ColumnCount };
    static constexpr int kDefaultLimit = 5000;
    static constexpr int kFlushIntervalMs = 100;

    explicit RequestLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setLimit(int limit);
    int limit() const { return m_limit; }
    /// Queues an entry; it shows after the next flush.
    void append(const net::RequestLogEntry &entry);
    /// Adds the queued entries now.
    void flush();
    void clear();
    const net::RequestLogEntry &entry(int row) const { return m_entries[size_t(row)]; }
    /// Every request ever appended (not only those kept).
    qint64 totalAppended() const { return m_total; }

private:
    void trim();

    std::deque<net::RequestLogEntry> m_entries;
    std::vector<net::RequestLogEntry> m_queued;
    int m_limit = kDefaultLimit;
    qint64 m_total = 0;
    QTimer m_flushTimer;
};

} // namespace kwb::ui
