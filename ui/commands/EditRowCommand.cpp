#include "commands/EditRowCommand.h"

#include "models/Workspace.h"

namespace kwb::ui {

EditRowCommand::EditRowCommand(Workspace *workspace, int row, RowContent before, RowContent after,
                               RowOutcome outcomeBefore, const QString &text)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_row(row)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_outcomeBefore(std::move(outcomeBefore))
{
}

void EditRowCommand::undo()
{
    m_workspace->applyContent(m_row, m_before, m_outcomeBefore);
}

void EditRowCommand::redo()
{
    m_workspace->applyContent(m_row, m_after, std::nullopt);
}

} // namespace kwb::ui
