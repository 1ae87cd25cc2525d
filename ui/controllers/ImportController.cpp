#include "controllers/ImportController.h"

#include "models/Workspace.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <numeric>

namespace kwb::ui {

ImportController::ImportController(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
{
}

ImportController::~ImportController()
{
    if (m_watcher)
        m_watcher->cancel();
}

void ImportController::start(const QString &description, ImportJob job, Mode mode)
{
    if (m_watcher) {
        m_watcher->cancel();
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
    }
    const quint64 generation = ++m_generation;
    m_running = true;
    auto *watcher = new QFutureWatcher<ImportOutcome>(this);
    m_watcher = watcher;
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, generation](int value) {
        if (generation == m_generation)
            Q_EMIT progressChanged(value);
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, mode] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_running = false;
        if (watcher->isCanceled() || watcher->future().resultCount() == 0) {
            Q_EMIT cancelled();
            return;
        }
        ImportOutcome outcome = watcher->future().takeResult();
        if (!outcome.error.isEmpty()) {
            Q_EMIT failed(outcome.error);
            return;
        }
        m_last = ImportResult{RecordStore(), outcome.result.summary, outcome.result.issues, outcome.result.issueCount,
                              outcome.result.streamName, {}, {}};
        const qint64 rows = outcome.result.store.size();
        const bool applied = mode == Mode::Append
                                 ? m_workspace->appendRecords(outcome.result.store)
                                 : m_workspace->loadState(Workspace::State{std::move(outcome.result.store), std::move(outcome.result.results),
                                                                           {}, std::move(outcome.result.rowIds), rows});
        if (!applied) {
            Q_EMIT failed(tr("The records were read, but a send started meanwhile; they were not loaded. Open the file "
                             "again when the send is done."));
            return;
        }
        Q_EMIT finished(m_last.summary, m_last.issues, m_last.issueCount);
    });
    watcher->setFuture(QtConcurrent::run([job = std::move(job), mode](QPromise<ImportOutcome> &promise) {
        promise.setProgressRange(0, 1000);
        const ImportProgress progress = [&promise](qint64 done, qint64 total) {
            if (promise.isCanceled())
                return false;
            if (total > 0)
                promise.setProgressValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
            return true;
        };
        ImportOutcome outcome = job(progress);
        if (mode == Mode::Replace && outcome.error.isEmpty()) {
            // A million rows' outcome columns and ids take tens of milliseconds to build: here, not
            // on the GUI thread.
            const int rows = outcome.result.store.size();
            outcome.result.results.resize(rows);
            outcome.result.rowIds.resize(size_t(rows));
            std::iota(outcome.result.rowIds.begin(), outcome.result.rowIds.end(), qint64(0));
        }
        if (!promise.isCanceled())
            promise.addResult(std::move(outcome));
    }));
    Q_EMIT started(description);
}

void ImportController::cancel()
{
    if (m_watcher)
        m_watcher->cancel();
}

} // namespace kwb::ui
