#pragma once

#include "workspace/WorkspaceFile.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

class QLockFile;

namespace kwb::ui {

class Workspace;

/// The workspace as a document: saves it to and opens it from workspace files (`.kwb`), knows
/// whether it has unsaved changes, keeps an autosave while the app runs, and finds the autosaves
/// of earlier runs that did not close properly, so the app can offer to restore them.
///
/// Reading and writing run in the thread pool on a snapshot; an opened file replaces the
/// workspace's rows on the GUI thread in one step. Each running app holds a lock next to its
/// autosave (QLockFile); an autosave whose lock is free belongs to a run that crashed or was
/// killed. A clean exit (finish()) removes the autosave. GUI thread.
class SessionController : public QObject
{
    Q_OBJECT
public:
    /// What the rows alone do not say: the target, stream and send settings at save time.
    using HeaderSource = std::function<workspace::WorkspaceHeader()>;

    /// An autosave left by a run that did not close properly.
    struct Orphan
    {
        QString path;
        workspace::WorkspaceHeader header;
    };

    SessionController(Workspace *workspace, HeaderSource headerSource, QObject *parent = nullptr);
    ~SessionController() override;

    QString documentPath() const { return m_documentPath; }
    bool isModified() const { return m_modified; }
    void setModified(bool modified);
    /// True while a file is being written or read (one at a time).
    bool isBusy() const { return m_busy; }

    /// Writes the workspace to `path`; saved() or saveFailed() follows.
    void save(const QString &path);
    /// Reads `path` and replaces the workspace with it; opened() or openFailed() follows.
    /// Refused (openFailed) while the workspace is locked by a send.
    void open(const QString &path);
    /// Forgets the document path (File ▸ New); the rows are the caller's business.
    void newDocument();

    /// Saves the workspace to `directory` every `intervalMs` while it has changes not autosaved.
    void startAutosave(const QString &directory, int intervalMs);
    QString autosavePath() const { return m_autosavePath; }
    /// Writes the autosave now if there is something new to save; false if not (or busy).
    bool autosaveNow();
    /// A clean exit: removes this run's autosave and lock.
    void finish();

    /// Autosaves in `directory` whose runs have ended without finish(), newest first.
    static QList<Orphan> findOrphans(const QString &directory);
    /// Opens an orphaned autosave as the workspace: with every row's state, the document path it
    /// had and marked modified. The orphan's files are removed once it is read.
    void restore(const Orphan &orphan);
    /// Removes an orphaned autosave without opening it.
    static void discard(const Orphan &orphan);

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void documentPathChanged(const QString &path);
    void busyChanged(bool busy);
    /// Progress of the running save or open, 0..1000.
    void progressChanged(int permille);
    void saved(const QString &path);
    void saveFailed(const QString &path, const QString &problem);
    void opened(const QString &path, const kwb::workspace::WorkspaceHeader &header);
    void openFailed(const QString &path, const QString &problem);
    void autosaved(const QString &path);

private:
    enum class Purpose { Save, Autosave, Open, Restore };
    workspace::WorkspaceContent contentForSave() const;
    void startWrite(const QString &path, Purpose purpose);
    void startRead(const QString &path, Purpose purpose, const QString &orphanPath = {});
    void setBusy(bool busy);
    void setDocumentPath(const QString &path);
    void touch();

    Workspace *m_workspace;
    HeaderSource m_headerSource;
    QString m_documentPath;
    bool m_modified = false;
    bool m_busy = false;
    /// Bumps on every change; the autosave and the saved state remember which one they hold.
    quint64 m_changes = 0;
    quint64 m_autosavedChanges = 0;
    bool m_ignoreChanges = false;

    QString m_autosavePath;
    std::unique_ptr<QLockFile> m_lock;
    /// Set by finish(): an autosave still being written is cancelled, or removed once written.
    std::shared_ptr<std::atomic_bool> m_finished = std::make_shared<std::atomic_bool>(false);
    QTimer m_autosaveTimer;
};

} // namespace kwb::ui
