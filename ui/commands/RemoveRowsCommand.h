#pragma once

#include "models/RowContent.h"
#include "models/RowOutcome.h"
#include "models/Workspace.h"

#include <QUndoCommand>

#include <optional>
#include <vector>

namespace kwb::ui {

/// Undoable removal of rows. Up to Workspace::kRowwiseUndoLimit rows (fewer in a large
/// workspace, see Workspace::canInsertInPlace) are kept one by one (content and outcome) and put
/// back at their places; a larger removal keeps a copy of the whole workspace state (record
/// bytes are shared, so that costs the per-row vectors).
/// Owned by the workspace's undo stack (GUI thread).
class RemoveRowsCommand : public QUndoCommand
{
public:
    /// `rows` sorted and unique.
    RemoveRowsCommand(Workspace *workspace, std::vector<int> rows, const QString &text);

    void undo() override;
    void redo() override;

private:
    Workspace *m_workspace;
    std::vector<int> m_rows;
    std::vector<RowContent> m_contents;
    std::vector<RowOutcome> m_outcomes;
    std::vector<qint64> m_ids;
    std::optional<Workspace::State> m_state;
};

} // namespace kwb::ui
