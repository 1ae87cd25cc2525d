#include "controllers/FileActions.h"

#include "WorkbenchSettings.h"
#include "controllers/DocumentActions.h"
#include "controllers/ImportController.h"
#include "controllers/SendController.h"
#include "io/ImportJobs.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/RecordsView.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

namespace kwb::ui {

FileActions::FileActions(const Parts &parts, const MainWindowServices &services)
    : QObject(parts.window)
    , m_window(parts.window)
    , m_workspace(parts.workspace)
    , m_importer(parts.importer)
    , m_exporter(parts.exporter)
    , m_sender(parts.sender)
    , m_document(parts.document)
    , m_banner(parts.banner)
    , m_view(parts.view)
    , m_importProgress(parts.progress)
    , m_importCancel(parts.cancelImport)
    , m_services(services)
{
    connect(m_importer, &ImportController::started, this, [this](const QString &description) {
        m_importProgress->setValue(0);
        m_importProgress->setVisible(true);
        m_importCancel->setVisible(true);
        showMessage(description);
    });
    connect(m_importer, &ImportController::progressChanged, m_importProgress, &QProgressBar::setValue);
    connect(m_importCancel, &QToolButton::clicked, m_importer, &ImportController::cancel);
    const auto importDone = [this] {
        m_importProgress->setVisible(false);
        m_importCancel->setVisible(false);
    };
    connect(m_importer, &ImportController::finished, this,
            [this, importDone](const QString &summary, const QStringList &issues, qint64 issueCount) {
                importDone();
                m_document->replaceEnded(true);
                showMessage(summary, 10000);
                if (issueCount > 0)
                    m_banner->showMessage(Banner::Kind::Warning,
                                          tr("%1 First problem: %2").arg(summary, issues.value(0)));
                else
                    m_banner->clear();
                m_view->setFocus();
            });
    connect(m_importer, &ImportController::failed, this, [this, importDone](const QString &problem) {
        importDone();
        m_document->replaceEnded(false);
        m_banner->showMessage(Banner::Kind::Error, problem);
    });
    connect(m_importer, &ImportController::cancelled, this, [this, importDone] {
        importDone();
        m_document->replaceEnded(false);
        showMessage(tr("Import cancelled."), 5000);
    });
    connect(m_exporter, &ExportController::finished, this, [this](ExportController::Format, const QStringList &paths) {
        showMessage(paths.size() == 1 ? tr("Wrote %1").arg(paths.first())
                                                   : tr("Wrote %1 files: %2 …").arg(QLocale().toString(paths.size()), paths.value(0)),
                                 10000);
    });
    connect(m_exporter, &ExportController::failed, this, [this](ExportController::Format, const QString &problem) {
        m_banner->showMessage(Banner::Kind::Error, tr("Export failed: %1").arg(problem));
    });
}

void FileActions::showMessage(const QString &text, int timeoutMs)
{
    m_window->statusBar()->showMessage(text, timeoutMs);
}

bool FileActions::acceptsDrop(const QList<QUrl> &urls) const
{
    return !m_workspace->isLocked() && !urls.isEmpty() && urls.first().isLocalFile();
}

void FileActions::drop(const QList<QUrl> &urls)
{
    const QString path = urls.first().toLocalFile();
    // Records dropped onto rows are most likely meant to go with them.
    if (!path.endsWith(QLatin1String(".kwb")) && m_workspace->rowCount() > 0)
        showImportDialog(path, true);
    else
        openPath(path);
    if (urls.size() > 1)
        showMessage(tr("Dropped %1 files; opening the first. Drop the others one at a time.").arg(QLocale().toString(urls.size())),
                    10000);
}

ImportJob FileActions::importJobFor(const QString &path, const import::ImportOptions &options) const
{
    if (m_services.importJob)
        return m_services.importJob(path, options);
    return ImportJobs::file(path, options);
}

void FileActions::openFile(const QString &path, const import::ImportOptions &options)
{
    if (m_workspace->isLocked())
        return;
    m_document->replaceRowsThen(path, false, [this, path, options] {
        m_importer->start(tr("Reading %1…").arg(QFileInfo(path).fileName()), importJobFor(path, options),
                          ImportController::Mode::Replace);
        if (!path.startsWith(QLatin1String(":/")))
            Q_EMIT fileUsed(path);
    });
}

void FileActions::addFromFile(const QString &path, const import::ImportOptions &options)
{
    if (m_workspace->isLocked())
        return;
    m_importer->start(tr("Adding records from %1…").arg(QFileInfo(path).fileName()), importJobFor(path, options),
                      ImportController::Mode::Append);
    Q_EMIT fileUsed(path);
}

void FileActions::showImportDialog(const QString &path, bool append)
{
    if (m_importDialog)
        m_importDialog->deleteLater();
    m_importDialog = new ImportDialog(path, append, m_window);
    m_importDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_importDialog->setShardMap(m_workspace->shardMap());
    // The key settings of the last import are the likeliest for the next.
    if (const auto last = WorkbenchSettings().importKeys())
        m_importDialog->setOptions(*last);
    connect(m_importDialog, &QDialog::accepted, this, [this] {
        if (!m_importDialog)
            return;
        const import::ImportOptions options = m_importDialog->options();
        WorkbenchSettings().setImportKeys(options);
        if (m_importDialog->append())
            addFromFile(m_importDialog->path(), options);
        else
            openFile(m_importDialog->path(), options);
    });
    m_importDialog->open();
}

void FileActions::loadSample()
{
    if (m_workspace->isLocked())
        return;
    m_document->replaceRowsThen(QStringLiteral("orders-and-clicks.jsonl"), true, [this] {
        m_importer->start(tr("Reading the sample records…"), ImportJobs::sample(), ImportController::Mode::Replace);
    });
}

void FileActions::exportTo(ExportController::Format format, const QString &path)
{
    m_exporter->start(format, path, {}, m_sender->stream().isEmpty() ? QStringLiteral("my-stream") : m_sender->stream());
}

void FileActions::showOpenDialog(bool append)
{
    auto *dialog = new QFileDialog(m_window, append ? tr("Add records from file") : tr("Open a workspace or records"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    const QString records = tr("Records (*.jsonl *.ndjson *.json *.csv *.tsv *.txt)");
    dialog->setNameFilters(append ? QStringList{records, tr("All files (*)")}
                                  : QStringList{tr("Workspaces and records (*.kwb *.jsonl *.ndjson *.json *.csv *.tsv *.txt)"),
                                                tr("Workspaces (*.kwb)"), records, tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, [this, append](const QString &path) {
        if (append)
            showImportDialog(path, true);
        else
            openPath(path);
    });
    dialog->open();
}

void FileActions::openPath(const QString &path)
{
    if (path.endsWith(QLatin1Char('.') + QLatin1String(workspace::WorkspaceFile::kSuffix), Qt::CaseInsensitive))
        m_document->open(path);
    else
        showImportDialog(path, false);
}

void FileActions::showExportDialog(ExportController::Format format)
{
    const bool csv = format == ExportController::Format::ResultsCsv;
    const bool cli = format == ExportController::Format::AwsCliRecords;
    auto *dialog = new QFileDialog(m_window, cli ? tr("Export records for the AWS CLI") : tr("Export results"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilter(csv ? tr("CSV (*.csv)") : cli ? tr("AWS CLI input (*.json)") : tr("JSON Lines (*.jsonl)"));
    dialog->setDefaultSuffix(csv ? QStringLiteral("csv") : cli ? QStringLiteral("json") : QStringLiteral("jsonl"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, format, cli](QString path) {
        // The CLI export names its files <base>-0001.json, ...
        if (cli && path.endsWith(QLatin1String(".json")))
            path.chop(5);
        exportTo(format, path);
    });
    dialog->open();
}

} // namespace kwb::ui
