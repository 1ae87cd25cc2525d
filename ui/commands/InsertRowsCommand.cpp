#include "commands/InsertRowsCommand.h"

#include "models/Workspace.h"

#include <numeric>

namespace kwb::ui {

InsertRowsCommand::InsertRowsCommand(Workspace *workspace, int row, std::vector<RowContent> rows, const QString &text)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_row(row)
    , m_rows(std::move(rows))
{
}

void InsertRowsCommand::undo()
{
    std::vector<int> rows(m_rows.size());
    std::iota(rows.begin(), rows.end(), m_row);
    m_workspace->removeNow(rows);
}

void InsertRowsCommand::redo()
{
    m_ids = m_workspace->insertNow(m_row, m_rows, nullptr, m_ids.empty() ? nullptr : &m_ids);
}

} // namespace kwb::ui
