#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace kwb::ui {

class Workspace;

/// Finds the workspace row that sent a record, by shard id and sequence number (from the rows' send results),
/// and the moment that row's successful request went out (its last attempt's start). Grows as outcomes
/// arrive; rebuilt on the next look-up after rows were inserted, removed or replaced. Lives on the GUI thread
/// with its Workspace.
class SentRecordIndex : public QObject
{
    Q_OBJECT
public:
    explicit SentRecordIndex(Workspace *workspace, QObject *parent = nullptr);

    /// The row that sent this record, -1 when none did.
    int rowOf(const QString &shardId, const QString &sequenceNumber) const;
    /// Wall clock (ms since epoch) when the request that delivered the row went out; 0 if unknown.
    qint64 sentMs(int row) const;
    /// Shard id and sequence number of a row that succeeded; empty strings otherwise.
    std::pair<QString, QString> recordOf(int row) const;

Q_SIGNALS:
    /// Rows were linked or unlinked: look-ups may answer differently.
    void changed();

private:
    void invalidate();
    void add(int row) const;
    void rebuild() const;
    static QString key(const QString &shardId, const QString &sequenceNumber)
    {
        return shardId + QLatin1Char('/') + sequenceNumber;
    }

    Workspace *m_workspace;
    mutable QHash<QString, int> m_rows;
    mutable bool m_valid = false;
};

} // namespace kwb::ui
