#pragma once

#include <QObject>
#include <QStringList>

namespace kwb::ui {

class Workspace;

/// Writes exports in the thread pool from a snapshot of the workspace, so a million rows never
/// stall the window: results as JSON Lines or CSV (exporting::writeResultsJsonl/Csv, written
/// atomically with exporting::saveFile), records as AWS CLI put-records files. Each export
/// reports on its own; several may run at once. Lives on the GUI thread.
class ExportController : public QObject
{
    Q_OBJECT
public:
    enum class Format { ResultsJsonl, ResultsCsv, AwsCliRecords };

    explicit ExportController(Workspace *workspace, QObject *parent = nullptr);

    /// `rows`: store rows to write, in order; empty = all. `stream` names the stream in AWS CLI files.
    void start(Format format, const QString &path, const std::vector<int> &rows = {}, const QString &stream = {});
    int running() const { return m_running; }

Q_SIGNALS:
    void finished(kwb::ui::ExportController::Format format, const QStringList &paths);
    void failed(kwb::ui::ExportController::Format format, const QString &problem);

private:
    Workspace *m_workspace;
    int m_running = 0;
};

} // namespace kwb::ui
