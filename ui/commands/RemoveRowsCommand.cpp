#include "commands/RemoveRowsCommand.h"

namespace kwb::ui {

RemoveRowsCommand::RemoveRowsCommand(Workspace *workspace, std::vector<int> rows, const QString &text)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_rows(std::move(rows))
{
    if (int(m_rows.size()) > Workspace::kRowwiseUndoLimit || !workspace->canInsertInPlace(qint64(m_rows.size()))) {
        m_state = workspace->captureState();
        return;
    }
    m_contents.reserve(m_rows.size());
    m_outcomes.reserve(m_rows.size());
    for (int row : m_rows) {
        m_contents.push_back(workspace->rowContent(row));
        m_outcomes.push_back(RowOutcome::capture(workspace->results(), row));
        m_ids.push_back(workspace->rowId(row));
    }
}

void RemoveRowsCommand::undo()
{
    if (m_state) {
        m_workspace->restoreState(*m_state);
        return;
    }
    // Ascending, so each row goes back to its original index; contiguous runs in one insert.
    size_t i = 0;
    while (i < m_rows.size()) {
        size_t j = i + 1;
        while (j < m_rows.size() && m_rows[j] == m_rows[j - 1] + 1)
            ++j;
        const std::vector<RowContent> contents(m_contents.begin() + qsizetype(i), m_contents.begin() + qsizetype(j));
        const std::vector<RowOutcome> outcomes(m_outcomes.begin() + qsizetype(i), m_outcomes.begin() + qsizetype(j));
        const std::vector<qint64> ids(m_ids.begin() + qsizetype(i), m_ids.begin() + qsizetype(j));
        m_workspace->insertNow(m_rows[i], contents, &outcomes, &ids);
        i = j;
    }
}

void RemoveRowsCommand::redo()
{
    m_workspace->removeNow(m_rows);
}

} // namespace kwb::ui
