#pragma once

#include "models/RowContent.h"

#include <QUndoCommand>

#include <vector>

namespace kwb::ui {

class Workspace;

/// Undoable insertion of a block of rows (add, duplicate, paste). Owned by the workspace's undo
/// stack (GUI thread).
class InsertRowsCommand : public QUndoCommand
{
public:
    InsertRowsCommand(Workspace *workspace, int row, std::vector<RowContent> rows, const QString &text);

    void undo() override;
    void redo() override;

private:
    Workspace *m_workspace;
    int m_row;
    std::vector<RowContent> m_rows;
    std::vector<qint64> m_ids; ///< given on the first redo, reused after an undo
};

} // namespace kwb::ui
