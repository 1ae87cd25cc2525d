#include "models/SentRecordIndex.h"

#include "models/Workspace.h"

namespace kwb::ui {

SentRecordIndex::SentRecordIndex(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
    connect(workspace, &Workspace::wasReset, this, &SentRecordIndex::invalidate);
    connect(workspace, &Workspace::rowsInserted, this, &SentRecordIndex::invalidate);
    connect(workspace, &Workspace::rowsRemoved, this, &SentRecordIndex::invalidate);
    connect(workspace, &Workspace::allOutcomesChanged, this, &SentRecordIndex::invalidate);
    connect(workspace, &Workspace::outcomesChanged, this, [this](const QList<int> &rows) {
        if (m_valid) {
            // A row sent again has a new sequence number; its old one stays mapped to it, which still names
            // the right row.
            for (int row : rows)
                add(row);
        }
        Q_EMIT changed();
    });
}

void SentRecordIndex::invalidate()
{
    m_valid = false;
    m_rows.clear();
    Q_EMIT changed();
}

void SentRecordIndex::add(int row) const
{
    const send::SendResults &results = m_workspace->results();
    if (row < 0 || row >= results.size() || results.status(row) != send::RowStatus::Succeeded)
        return;
    m_rows.insert(key(results.shardId(row), results.sequenceNumber(row)), row);
}

void SentRecordIndex::rebuild() const
{
    m_rows.clear();
    const int rows = m_workspace->results().size();
    for (int row = 0; row < rows; ++row)
        add(row);
    m_valid = true;
}

int SentRecordIndex::rowOf(const QString &shardId, const QString &sequenceNumber) const
{
    if (!m_valid)
        rebuild();
    const int row = m_rows.value(key(shardId, sequenceNumber), -1);
    // An entry left from before the row was sent again: only its current outcome counts.
    const send::SendResults &results = m_workspace->results();
    if (row < 0 || row >= results.size() || results.sequenceNumber(row) != sequenceNumber || results.shardId(row) != shardId)
        return -1;
    return row;
}

qint64 SentRecordIndex::sentMs(int row) const
{
    const send::SendResults &results = m_workspace->results();
    if (row < 0 || row >= results.size())
        return 0;
    const std::vector<send::Attempt> attempts = results.attempts(row);
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it) {
        if (it->outcome == send::AttemptOutcome::Succeeded)
            return it->startedMs;
    }
    return 0;
}

std::pair<QString, QString> SentRecordIndex::recordOf(int row) const
{
    const send::SendResults &results = m_workspace->results();
    if (row < 0 || row >= results.size() || results.status(row) != send::RowStatus::Succeeded)
        return {};
    return {results.shardId(row), results.sequenceNumber(row)};
}

} // namespace kwb::ui
