#include "models/RequestLogModel.h"

#include "Icons.h"

#include <QLocale>

namespace kwb::ui {

RequestLogModel::RequestLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RequestLogModel::flush);
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_entries.size())
        return {};
    const net::RequestLogEntry &e = m_entries[size_t(index.row())];
    const bool failed = !e.errorCode.isEmpty() || e.httpStatus == 0 || e.httpStatus >= 400;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return e.started.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case Operation: return e.operation;
        case HttpStatus: return e.httpStatus == 0 ? tr("no answer") : QString::number(e.httpStatus);
        case Records: return e.records == 0 ? QString() : QLocale().toString(e.records);
        case FailedRecords:
            return e.operation == QLatin1String("PutRecords") && e.httpStatus == 200 ? QLocale().toString(e.failedRecordCount)
                                                                                      : QString();
        case Latency: return tr("%1 ms").arg(QLocale().toString(e.latencyMs));
        case Bytes: return QLocale().toString(e.requestBytes);
        case ErrorCode: return e.errorCode;
        case Endpoint: return e.endpoint;
        default: return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == HttpStatus)
        return failed ? Icons::error() : (e.failedRecordCount > 0 ? Icons::warning() : Icons::status(DisplayStatus::Succeeded));
    if (role == Qt::ToolTipRole) {
        if (index.column() == FailedRecords)
            return tr("FailedRecordCount: records of this PutRecords request that were not written (each has its own "
                      "error code; throttled ones are retried).");
        if (index.column() == Time)
            return e.started.toLocalTime().toString(Qt::ISODateWithMs);
        if (failed && !e.errorCode.isEmpty())
            return e.errorCode;
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case HttpStatus:
        case Records:
        case FailedRecords:
        case Latency:
        case Bytes: return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    return {};
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Operation: return tr("Operation");
    case HttpStatus: return tr("HTTP");
    case Records: return tr("Records");
    case FailedRecords: return tr("Failed");
    case Latency: return tr("Latency");
    case Bytes: return tr("Bytes");
    case ErrorCode: return tr("Error");
    case Endpoint: return tr("Endpoint");
    default: return {};
    }
}

void RequestLogModel::setLimit(int limit)
{
    m_limit = std::max(1, limit);
    trim();
}

void RequestLogModel::append(const net::RequestLogEntry &entry)
{
    m_queued.push_back(entry);
    ++m_total;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RequestLogModel::flush()
{
    m_flushTimer.stop();
    if (m_queued.empty())
        return;
    // Only the newest `limit` of the queue can stay.
    size_t skip = m_queued.size() > size_t(m_limit) ? m_queued.size() - size_t(m_limit) : 0;
    const int adding = int(m_queued.size() - skip);
    const int overflow = int(m_entries.size()) + adding - m_limit;
    if (overflow > 0) {
        const int removing = std::min(overflow, int(m_entries.size()));
        beginRemoveRows(QModelIndex(), 0, removing - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + removing);
        endRemoveRows();
    }
    const int first = int(m_entries.size());
    beginInsertRows(QModelIndex(), first, first + adding - 1);
    m_entries.insert(m_entries.end(), m_queued.begin() + qsizetype(skip), m_queued.end());
    endInsertRows();
    m_queued.clear();
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_queued.clear();
    endResetModel();
}

void RequestLogModel::trim()
{
    const int overflow = int(m_entries.size()) - m_limit;
    if (overflow <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, overflow - 1);
    m_entries.erase(m_entries.begin(), m_entries.begin() + overflow);
    endRemoveRows();
}

} // namespace kwb::ui
