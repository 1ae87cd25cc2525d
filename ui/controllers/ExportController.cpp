#include "controllers/ExportController.h"

#include "export/ResultsExport.h"
#include "models/Workspace.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace kwb::ui {

namespace {

struct ExportOutcome
{
    QStringList paths;
    QString error;
};

} // namespace

ExportController::ExportController(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
}

void ExportController::start(Format format, const QString &path, const std::vector<int> &rows, const QString &stream)
{
    auto snapshot = std::make_shared<const RowSnapshot>(m_workspace->snapshot());
    ++m_running;
    auto *watcher = new QFutureWatcher<ExportOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, format] {
        watcher->deleteLater();
        --m_running;
        const ExportOutcome outcome = watcher->result();
        if (!outcome.error.isEmpty())
            Q_EMIT failed(format, outcome.error);
        else
            Q_EMIT finished(format, outcome.paths);
    });
    watcher->setFuture(QtConcurrent::run([snapshot, format, path, rows, stream]() -> ExportOutcome {
        const RowSnapshot &s = *snapshot;
        if (format == Format::AwsCliRecords) {
            auto written = exporting::writeAwsCliPutRecords(path, stream, s.store, rows);
            if (!written.ok())
                return {{}, written.error().message};
            return {written.value(), {}};
        }
        auto saved = exporting::saveFile(path, [&](QIODevice &out) {
            return format == Format::ResultsCsv ? exporting::writeResultsCsv(out, s.store, s.results, rows, s.rowIds)
                                                : exporting::writeResultsJsonl(out, s.store, s.results, rows, s.rowIds);
        });
        if (!saved.ok())
            return {{}, saved.error().message};
        return {{path}, {}};
    }));
}

} // namespace kwb::ui
