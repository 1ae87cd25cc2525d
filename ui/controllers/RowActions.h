#pragma once

#include <QObject>
#include <QString>

class QMainWindow;

namespace kwb::ui {

class RecordsModel;
class RecordsView;
class Workspace;

/// Edit's row actions on the records table: add a row after the current one (and edit its data),
/// duplicate, delete and copy the selected rows, paste rows from text. Large copies are formatted
/// and pastes parsed in the thread pool; nothing changes while a send locks the workspace.
/// GUI thread; owned by the window, owns none of the parts.
class RowActions : public QObject
{
    Q_OBJECT
public:
    RowActions(QMainWindow *window, Workspace *workspace, RecordsModel *model, RecordsView *view);

    void addRow();
    void duplicateRows();
    void deleteRows();
    void copyRows();
    void pasteRows();
    /// Rows from clipboard text (ClipboardRows), inserted after the current row.
    void pasteText(const QString &text);

private:
    QMainWindow *m_window;
    Workspace *m_workspace;
    RecordsModel *m_model;
    RecordsView *m_view;
};

} // namespace kwb::ui
