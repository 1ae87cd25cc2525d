#pragma once

#include "controllers/SessionController.h"

#include <QObject>
#include <QString>

#include <functional>

class QMainWindow;

namespace kwb::ui {

class Banner;
class Workspace;

/// What File does to the workspace as a document, with the questions it asks: New, Open a
/// workspace, Save, Save as, rows replaced by an import or the sample, closing the window and
/// restoring autosaves. "Ask to save the changes, then go" exists here once: Save goes on after
/// the save succeeded, Discard at once, Cancel (or a cancelled Save as, or a failed save) not at
/// all. Knows the file the rows came from when the workspace was never saved (it names the
/// window). Dialogs are the window's children, opened with open(). GUI thread; owned by the
/// window, does not own the session, workspace or banner.
class DocumentActions : public QObject
{
    Q_OBJECT
public:
    DocumentActions(QMainWindow *window, Workspace *workspace, SessionController *session, Banner *banner);

    /// The name the window shows: the saved workspace, else the file the rows came from, else
    /// "Untitled" with rows; empty with neither.
    QString documentName() const;
    /// Unsaved changes worth asking about (there are rows).
    bool hasUnsavedChanges() const;

    /// Asks whether to save unsaved changes first (when there are any), then runs `proceed`.
    void saveChangesThen(std::function<void()> proceed);
    /// File ▸ New: asks first when rows would be lost.
    void newWorkspace();
    void open(const QString &path);
    void save();
    void saveTo(const QString &path);
    void showSaveAsDialog();
    /// Rows from `sourceFile` are about to replace the workspace's (an import; `sample`: the
    /// sample records, nothing to save while untouched): asks to save first, then runs `start`.
    void replaceRowsThen(const QString &sourceFile, bool sample, std::function<void()> start);
    /// The import that replaced rows ended (`finished` false: failed or cancelled).
    void replaceEnded(bool finished);
    /// For the window's closeEvent: true when it may close now; else it asks (a save first) and
    /// closes the window again once answered.
    bool mayClose();
    /// Offers to restore each orphaned autosave, newest first, until one is restored.
    void offerRestore(QList<SessionController::Orphan> orphans);

Q_SIGNALS:
    /// The name or the modified mark changed.
    void titleChanged();
    /// A file was opened or saved (for the recent files).
    void fileUsed(const QString &path);
    /// A workspace file (or an autosave) replaced the rows; its header says where they went.
    void opened(const kwb::workspace::WorkspaceHeader &header);

private:
    void confirmThen(const QString &what, std::function<void()> proceed);
    void showMessage(const QString &text, int timeoutMs = 0);

    QMainWindow *m_window;
    Workspace *m_workspace;
    SessionController *m_session;
    Banner *m_banner;
    QString m_currentFile;
    std::function<void()> m_afterSave;
    /// Set once the user has answered the "save changes?" question for this close.
    bool m_closeAnswered = false;
    bool m_loadingSample = false;
    /// An import is replacing the rows: once done, they are a new document.
    bool m_importReplaces = false;
};

} // namespace kwb::ui
