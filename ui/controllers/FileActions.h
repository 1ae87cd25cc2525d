#pragma once

#include "MainWindowServices.h"
#include "controllers/ExportController.h"
#include "dialogs/ImportDialog.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QMainWindow;
class QProgressBar;
class QToolButton;

namespace kwb::ui {

class Banner;
class DocumentActions;
class ImportController;
class RecordsView;
class SendController;
class Workspace;

/// Files in and out of the workspace: File ▸ Open (a workspace goes to DocumentActions, records
/// are read after the import dialog asked how), Add records from file, the sample records, files
/// dropped on the window, and the exports; shows an import's progress, its summary and its first
/// problem. Dialogs are the window's children, opened with open(). GUI thread; owned by the
/// window, owns none of the parts.
class FileActions : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        QMainWindow *window;
        Workspace *workspace;
        ImportController *importer;
        ExportController *exporter;
        SendController *sender;
        DocumentActions *document;
        Banner *banner;
        RecordsView *view;
        QProgressBar *progress;
        QToolButton *cancelImport;
    };
    FileActions(const Parts &parts, const MainWindowServices &services);

    /// Opens a workspace file (.kwb) or, for any other file, asks how to import it.
    void openPath(const QString &path);
    /// Imports a file with the given options, replacing the rows (asks to save changes first).
    void openFile(const QString &path, const import::ImportOptions &options = {});
    void addFromFile(const QString &path, const import::ImportOptions &options = {});
    /// Asks how to read `path` (with a preview), then imports it.
    void showImportDialog(const QString &path, bool append);
    ImportDialog *importDialog() const { return m_importDialog; }
    void showOpenDialog(bool append);
    void loadSample();
    void exportTo(ExportController::Format format, const QString &path);
    void showExportDialog(ExportController::Format format);
    /// Whether dropped `urls` would be taken.
    bool acceptsDrop(const QList<QUrl> &urls) const;
    /// Opens the first dropped file; records dropped onto rows are added to them.
    void drop(const QList<QUrl> &urls);

Q_SIGNALS:
    /// A file was imported from (for the recent files).
    void fileUsed(const QString &path);

private:
    ImportJob importJobFor(const QString &path, const import::ImportOptions &options) const;
    void showMessage(const QString &text, int timeoutMs = 0);

    QMainWindow *m_window;
    Workspace *m_workspace;
    ImportController *m_importer;
    ExportController *m_exporter;
    SendController *m_sender;
    DocumentActions *m_document;
    Banner *m_banner;
    RecordsView *m_view;
    QProgressBar *m_importProgress;
    QToolButton *m_importCancel;
    MainWindowServices m_services;
    QPointer<ImportDialog> m_importDialog;
};

} // namespace kwb::ui
