#pragma once

#include "models/RowContent.h"
#include "models/RowOutcome.h"

#include <QUndoCommand>

namespace kwb::ui {

class Workspace;

/// Undoable change of one row's content. Redo puts the new content in and the row's outcome
/// back to pending; undo restores the old content and outcome. Owned by the workspace's undo
/// stack (GUI thread).
class EditRowCommand : public QUndoCommand
{
public:
    EditRowCommand(Workspace *workspace, int row, RowContent before, RowContent after, RowOutcome outcomeBefore,
                   const QString &text);

    void undo() override;
    void redo() override;

private:
    Workspace *m_workspace;
    int m_row;
    RowContent m_before;
    RowContent m_after;
    RowOutcome m_outcomeBefore;
};

} // namespace kwb::ui
