#pragma once

#include "RecordStore.h"
#include "send/SendResults.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace kwb::ui {

class Workspace;

/// Reports progress from an import job; returns false when the user cancelled (stop then).
/// Called on the worker thread.
using ImportProgress = std::function<bool(qint64 done, qint64 total)>;

/// What an import job hands back: the records, a one-line summary and the problems found.
struct ImportResult
{
    RecordStore store;
    QString summary;     ///< "imported 998 of 1,000 records (2 skipped)"
    QStringList issues;  ///< "orders.jsonl:17: ..." (the first ones)
    qint64 issueCount = 0;
    std::optional<QString> streamName; ///< a stream named by the input (AWS CLI files)
    /// Replacing the rows: their (pending) outcomes and row ids, sized on the worker thread so the
    /// GUI thread only moves them in. Filled by the controller, not by jobs.
    send::SendResults results;
    std::vector<qint64> rowIds;
};

/// The outcome of a job: a result, or an error message. Default-constructible for QFuture.
struct ImportOutcome
{
    ImportResult result;
    QString error; ///< non-empty: the job failed
};

/// A function that reads records into an ImportResult on a worker thread: the core importer
/// (see ImportJobs), or anything else that fills a RecordStore.
using ImportJob = std::function<ImportOutcome(const ImportProgress &progress)>;

/// Runs one import job at a time in the thread pool (QtConcurrent::run with a QPromise for
/// progress and cancel), then swaps the records into the Workspace on the GUI thread: replacing
/// every row, or appending. A newer start() cancels the older job (generation token).
/// Lives on the GUI thread; does not own the workspace.
class ImportController : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Replace, Append };

    explicit ImportController(Workspace *workspace, QObject *parent = nullptr);
    ~ImportController() override;

    void start(const QString &description, ImportJob job, Mode mode = Mode::Replace);
    void cancel();
    bool isRunning() const { return m_running; }
    const ImportResult &lastResult() const { return m_last; }

Q_SIGNALS:
    void started(const QString &description);
    /// Progress in thousandths (0 .. 1000).
    void progressChanged(int permille);
    /// The rows are in the workspace.
    void finished(const QString &summary, const QStringList &issues, qint64 issueCount);
    void failed(const QString &problem);
    void cancelled();

private:
    Workspace *m_workspace;
    QPointer<QFutureWatcher<ImportOutcome>> m_watcher;
    quint64 m_generation = 0;
    bool m_running = false;
    ImportResult m_last;
};

} // namespace kwb::ui
