#include "controllers/DocumentActions.h"

#include "dialogs/Confirmation.h"
#include "models/Workspace.h"
#include "views/Banner.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

namespace kwb::ui {

DocumentActions::DocumentActions(QMainWindow *window, Workspace *workspace, SessionController *session, Banner *banner)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_session(session)
    , m_banner(banner)
{
    connect(m_session, &SessionController::modifiedChanged, this, &DocumentActions::titleChanged);
    connect(m_session, &SessionController::documentPathChanged, this, &DocumentActions::titleChanged);
    connect(m_session, &SessionController::saved, this, [this](const QString &path) {
        showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 8000);
        Q_EMIT fileUsed(path);
        if (auto next = std::exchange(m_afterSave, {}))
            next();
    });
    connect(m_session, &SessionController::saveFailed, this, [this](const QString &path, const QString &problem) {
        m_afterSave = {};
        m_closeAnswered = false;
        m_window->statusBar()->clearMessage();
        m_banner->showMessage(Banner::Kind::Error, tr("The workspace was not saved to %1. %2").arg(QFileInfo(path).fileName(), problem),
                              tr("Save as…"), [this] { showSaveAsDialog(); });
    });
    connect(m_session, &SessionController::opened, this, [this](const QString &path, const workspace::WorkspaceHeader &header) {
        m_currentFile.clear();
        m_banner->clear();
        const bool restored = m_session->documentPath() != path;
        if (!restored)
            Q_EMIT fileUsed(path);
        const QString rows = QLocale().toString(m_workspace->rowCount());
        showMessage(restored ? tr("Restored %1 rows with their results.").arg(rows)
                             : tr("Opened %1: %2 rows.").arg(QFileInfo(path).fileName(), rows),
                    10000);
        Q_EMIT opened(header);
    });
    connect(m_session, &SessionController::openFailed, this, [this](const QString &, const QString &problem) {
        m_window->statusBar()->clearMessage();
        m_banner->showMessage(Banner::Kind::Error, problem);
    });
}

QString DocumentActions::documentName() const
{
    // A saved workspace names the window; before that, the file the rows came from.
    const QString document = m_session->documentPath().isEmpty() ? m_currentFile : m_session->documentPath();
    if (!document.isEmpty())
        return QFileInfo(document).fileName();
    return m_workspace->rowCount() > 0 ? tr("Untitled") : QString();
}

bool DocumentActions::hasUnsavedChanges() const
{
    return m_session->isModified() && m_workspace->rowCount() > 0;
}

void DocumentActions::showMessage(const QString &text, int timeoutMs)
{
    m_window->statusBar()->showMessage(text, timeoutMs);
}

void DocumentActions::saveChangesThen(std::function<void()> proceed)
{
    if (!hasUnsavedChanges())
        return proceed();
    const QString name = m_session->documentPath().isEmpty() ? tr("the workspace") : QFileInfo(m_session->documentPath()).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, m_window->windowTitle(),
                                tr("Save the changes to %1? %2 rows with their results.").arg(name, QLocale().toString(m_workspace->rowCount())),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("saveChanges"));
    box->setInformativeText(tr("Without saving, the rows and their send results are gone once you go on."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Save);
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)] {
        const QAbstractButton *clicked = box->clickedButton();
        if (clicked == box->button(QMessageBox::Discard)) {
            proceed();
        } else if (clicked == box->button(QMessageBox::Save)) {
            m_afterSave = proceed;
            save();
        }
    });
    box->open();
}

void DocumentActions::newWorkspace()
{
    const auto startAfresh = [this] {
        m_workspace->clear();
        m_currentFile.clear();
        m_session->newDocument();
        Q_EMIT titleChanged();
    };
    if (hasUnsavedChanges())
        return saveChangesThen(startAfresh);
    if (m_workspace->rowCount() == 0 || !m_session->documentPath().isEmpty())
        return startAfresh();
    Confirmation::ask(m_window, tr("Remove all %1 rows? This cannot be undone.").arg(QLocale().toString(m_workspace->rowCount())),
                      startAfresh);
}

void DocumentActions::open(const QString &path)
{
    if (m_workspace->isLocked() || m_session->isBusy())
        return;
    saveChangesThen([this, path] {
        showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
        m_session->open(path);
    });
}

void DocumentActions::save()
{
    if (m_session->documentPath().isEmpty())
        return showSaveAsDialog();
    saveTo(m_session->documentPath());
}

void DocumentActions::saveTo(const QString &path)
{
    showMessage(tr("Saving %1…").arg(QFileInfo(path).fileName()));
    m_session->save(path);
}

void DocumentActions::showSaveAsDialog()
{
    auto *dialog = new QFileDialog(m_window, tr("Save workspace"));
    dialog->setObjectName(QStringLiteral("saveAsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilter(tr("Workspaces (*.kwb)"));
    dialog->setDefaultSuffix(QLatin1String(workspace::WorkspaceFile::kSuffix));
    if (!m_session->documentPath().isEmpty())
        dialog->selectFile(m_session->documentPath());
    else if (!m_currentFile.isEmpty() && !m_currentFile.startsWith(QLatin1String(":/")))
        dialog->selectFile(QFileInfo(m_currentFile).completeBaseName() + QStringLiteral(".kwb"));
    connect(dialog, &QFileDialog::fileSelected, this, &DocumentActions::saveTo);
    // Cancelling the dialog cancels whatever waited for the save (closing, opening another file).
    connect(dialog, &QDialog::rejected, this, [this] {
        m_afterSave = {};
        m_closeAnswered = false;
    });
    dialog->open();
}

void DocumentActions::replaceRowsThen(const QString &sourceFile, bool sample, std::function<void()> start)
{
    // The new rows replace the workspace's: unsaved results would be gone.
    saveChangesThen([this, sourceFile, sample, start = std::move(start)] {
        m_currentFile = sourceFile;
        m_loadingSample = sample;
        m_importReplaces = true;
        start();
        Q_EMIT titleChanged();
    });
}

void DocumentActions::replaceEnded(bool finished)
{
    const bool sample = std::exchange(m_loadingSample, false);
    const bool replaced = std::exchange(m_importReplaces, false);
    if (!finished)
        return;
    // Imported rows that replaced the workspace's are a new, unsaved document; the untouched
    // sample is nothing to save.
    if (replaced) {
        m_session->newDocument();
        m_session->setModified(!sample);
    }
    Q_EMIT titleChanged();
}

bool DocumentActions::mayClose()
{
    if (hasUnsavedChanges() && !m_closeAnswered) {
        saveChangesThen([this] {
            m_closeAnswered = true;
            m_window->close();
        });
        return false;
    }
    m_closeAnswered = false;
    return true;
}

void DocumentActions::offerRestore(QList<SessionController::Orphan> orphans)
{
    if (orphans.isEmpty())
        return;
    const SessionController::Orphan orphan = orphans.takeFirst();
    const workspace::WorkspaceHeader &h = orphan.header;
    const QLocale locale;
    QStringList states;
    if (h.counts.succeeded)
        states << tr("%1 succeeded").arg(locale.toString(h.counts.succeeded));
    if (h.counts.failed)
        states << tr("%1 failed").arg(locale.toString(h.counts.failed));
    if (h.counts.inFlight)
        states << tr("%1 were being sent (they come back as cancelled: they may or may not have been written)")
                      .arg(locale.toString(h.counts.inFlight));
    if (h.counts.cancelled)
        states << tr("%1 cancelled").arg(locale.toString(h.counts.cancelled));
    if (h.counts.pending)
        states << tr("%1 not sent yet").arg(locale.toString(h.counts.pending));
    const QString name = h.documentPath.isEmpty() ? tr("an untitled workspace") : QFileInfo(h.documentPath).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Restore workspace"),
                                tr("Kinesis Workbench did not close properly. Restore %1 as it was at %2?")
                                    .arg(name, locale.toString(h.savedAt.toLocalTime(), QLocale::ShortFormat)),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("restoreOffer"));
    box->setInformativeText(tr("%1 rows: %2.").arg(locale.toString(h.rows), states.join(QStringLiteral(", "))));
    QPushButton *restore = box->addButton(tr("&Restore"), QMessageBox::AcceptRole);
    box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box->setDefaultButton(restore);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, restore, orphan, orphans] {
        if (box->clickedButton() == restore) {
            showMessage(tr("Restoring the workspace…"));
            m_session->restore(orphan);
            return; // older autosaves stay for the next start rather than replace this one
        }
        SessionController::discard(orphan);
        if (!orphans.isEmpty())
            QTimer::singleShot(0, this, [this, orphans] { offerRestore(orphans); });
    });
    box->open();
}

} // namespace kwb::ui
