#include "controllers/SessionController.h"

#include "Logging.h"
#include "models/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLockFile>
#include <QPromise>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace kwb::ui {

using workspace::WorkspaceContent;
using workspace::WorkspaceFile;
using workspace::WorkspaceHeader;

namespace {

constexpr int kPermille = 1000;

/// What a worker hands back: a problem in words, or (reads) the content.
struct FileOutcome
{
    QString problem;
    std::shared_ptr<WorkspaceContent> content;
};

QString lockPathFor(const QString &autosavePath)
{
    QString path = autosavePath;
    path.chop(int(qstrlen(WorkspaceFile::kSuffix)));
    return path + QStringLiteral("lock");
}

workspace::WorkspaceProgress progressOf(QPromise<FileOutcome> &promise)
{
    return [&promise](qint64 done, qint64 total) {
        if (total > 0)
            promise.setProgressValue(int(std::min<qint64>(kPermille, done * kPermille / total)));
        return !promise.isCanceled();
    };
}

} // namespace

SessionController::SessionController(Workspace *workspace, HeaderSource headerSource, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_headerSource(std::move(headerSource))
{
    // Records and outcomes are the document; routing follows the connection and is not a change.
    connect(m_workspace, &Workspace::recordsEdited, this, &SessionController::touch);
    connect(m_workspace, &Workspace::rowsInserted, this, &SessionController::touch);
    connect(m_workspace, &Workspace::rowsRemoved, this, &SessionController::touch);
    connect(m_workspace, &Workspace::wasReset, this, &SessionController::touch);
    connect(m_workspace, &Workspace::outcomesChanged, this, &SessionController::touch);
    connect(m_workspace, &Workspace::allOutcomesChanged, this, &SessionController::touch);
    connect(&m_autosaveTimer, &QTimer::timeout, this, &SessionController::autosaveNow);
}

SessionController::~SessionController() = default;

void SessionController::touch()
{
    if (m_ignoreChanges)
        return;
    ++m_changes;
    setModified(true);
}

void SessionController::setModified(bool modified)
{
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void SessionController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void SessionController::setDocumentPath(const QString &path)
{
    if (path == m_documentPath)
        return;
    m_documentPath = path;
    Q_EMIT documentPathChanged(path);
}

void SessionController::newDocument()
{
    setDocumentPath(QString());
    setModified(false);
}

WorkspaceContent SessionController::contentForSave() const
{
    WorkspaceContent content;
    content.header = m_headerSource ? m_headerSource() : WorkspaceHeader();
    RowSnapshot rows = m_workspace->snapshot();
    content.store = std::move(rows.store);
    content.results = std::move(rows.results);
    content.rowIds = std::move(rows.rowIds);
    content.badExplicitHashKeys = std::move(rows.badExplicitHashKeys);
    content.header.savedAt = QDateTime::currentDateTimeUtc();
    content.header.nextRowId = m_workspace->nextRowId();
    content.header.maxRecordBytes = rows.maxRecordBytes;
    content.header.virtualShards = m_workspace->virtualShardCount();
    if (m_workspace->hasStreamMap()) {
        content.header.stream = m_workspace->streamName();
        content.header.streamMap = rows.map;
    }
    return content;
}

void SessionController::save(const QString &path)
{
    if (m_busy) {
        Q_EMIT saveFailed(path, tr("Another save or open is still running; try again when it has finished."));
        return;
    }
    startWrite(path, Purpose::Save);
}

bool SessionController::autosaveNow()
{
    if (m_autosavePath.isEmpty() || m_busy || m_changes == m_autosavedChanges)
        return false;
    startWrite(m_autosavePath, Purpose::Autosave);
    return true;
}

void SessionController::startWrite(const QString &path, Purpose purpose)
{
    WorkspaceContent content = contentForSave();
    if (purpose == Purpose::Autosave) {
        content.header.documentPath = m_documentPath;
        content.header.modified = m_modified;
    }
    const quint64 changes = m_changes;
    setBusy(true);
    auto *watcher = new QFutureWatcher<FileOutcome>(this);
    if (purpose == Purpose::Save)
        connect(watcher, &QFutureWatcherBase::progressValueChanged, this, &SessionController::progressChanged);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, purpose, changes] {
        watcher->deleteLater();
        const FileOutcome outcome = watcher->future().result();
        setBusy(false);
        if (purpose == Purpose::Autosave) {
            if (outcome.problem.isEmpty()) {
                m_autosavedChanges = changes;
                Q_EMIT autosaved(path);
            } else {
                qCWarning(lcSession) << "autosave failed:" << outcome.problem;
            }
            return;
        }
        if (!outcome.problem.isEmpty()) {
            Q_EMIT saveFailed(path, outcome.problem);
            return;
        }
        setDocumentPath(path);
        // Changes made while the file was written are not in it.
        setModified(m_changes != changes);
        Q_EMIT saved(path);
    });
    // An autosave must not outlive a clean exit: finish() sets the flag, then removes the file.
    const std::shared_ptr<std::atomic_bool> finished = purpose == Purpose::Autosave ? m_finished : nullptr;
    watcher->setFuture(QtConcurrent::run(
        [path, finished](QPromise<FileOutcome> &promise, const WorkspaceContent &content) {
            promise.setProgressRange(0, kPermille);
            const auto progress = progressOf(promise);
            auto written = WorkspaceFile::save(path, content, [&](qint64 done, qint64 total) {
                return progress(done, total) && !(finished && finished->load());
            });
            if (finished && finished->load())
                QFile::remove(path);
            promise.addResult(FileOutcome{written.ok() ? QString() : written.error().message, nullptr});
        },
        std::move(content)));
}

void SessionController::open(const QString &path)
{
    if (m_busy) {
        Q_EMIT openFailed(path, tr("Another save or open is still running; try again when it has finished."));
        return;
    }
    startRead(path, Purpose::Open);
}

void SessionController::restore(const Orphan &orphan)
{
    if (m_busy) {
        Q_EMIT openFailed(orphan.path, tr("Another save or open is still running; try again when it has finished."));
        return;
    }
    startRead(orphan.path, Purpose::Restore, orphan.path);
}

void SessionController::startRead(const QString &path, Purpose purpose, const QString &orphanPath)
{
    setBusy(true);
    auto *watcher = new QFutureWatcher<FileOutcome>(this);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, &SessionController::progressChanged);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path, purpose, orphanPath] {
        watcher->deleteLater();
        FileOutcome outcome = watcher->future().result();
        setBusy(false);
        if (!outcome.problem.isEmpty()) {
            Q_EMIT openFailed(path, outcome.problem);
            return;
        }
        if (m_workspace->isLocked()) {
            Q_EMIT openFailed(path, tr("A send is running; open the workspace when it has finished."));
            return;
        }
        WorkspaceContent &content = *outcome.content;
        const WorkspaceHeader header = content.header;
        Workspace::State state;
        state.store = std::move(content.store);
        state.results = std::move(content.results);
        state.bad = std::move(content.badExplicitHashKeys);
        state.ids = std::move(content.rowIds);
        // WorkspaceFile::read() refused ids above WorkspaceFile::kMaxRowId and put nextRowId above
        // every id it read, so the next ids cannot overflow.
        state.nextId = header.nextRowId;
        if (state.ids.size() != size_t(state.store.size())) {
            state.ids.resize(size_t(state.store.size()));
            for (size_t i = 0; i < state.ids.size(); ++i)
                state.ids[i] = qint64(i);
            state.nextId = std::max(state.nextId, qint64(state.ids.size()));
        }

        m_ignoreChanges = true;
        m_workspace->loadState(std::move(state));
        m_workspace->setVirtualShardCount(header.virtualShards);
        m_workspace->setStreamShardMap(header.stream, header.streamMap);
        m_workspace->setMaxRecordBytes(header.maxRecordBytes);
        m_ignoreChanges = false;
        ++m_changes;

        if (purpose == Purpose::Restore) {
            setDocumentPath(header.documentPath);
            setModified(true);
            discard(Orphan{orphanPath, header});
        } else {
            setDocumentPath(path);
            setModified(false);
            m_autosavedChanges = m_changes - 1; // the next autosave writes the opened rows
        }
        Q_EMIT opened(path, header);
    });
    watcher->setFuture(QtConcurrent::run([path](QPromise<FileOutcome> &promise) {
        promise.setProgressRange(0, kPermille);
        auto loaded = WorkspaceFile::load(path, progressOf(promise));
        if (!loaded.ok()) {
            promise.addResult(FileOutcome{loaded.error().message, nullptr});
            return;
        }
        promise.addResult(FileOutcome{QString(), std::make_shared<WorkspaceContent>(std::move(loaded.value()))});
    }));
}

void SessionController::startAutosave(const QString &directory, int intervalMs)
{
    if (directory.isEmpty() || !m_autosavePath.isEmpty())
        return;
    if (!QDir().mkpath(directory)) {
        qCWarning(lcSession) << "cannot create the autosave folder" << directory;
        return;
    }
    const QString path = QDir(directory).filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + QLatin1Char('.')
                                                  + QLatin1String(WorkspaceFile::kSuffix));
    auto lock = std::make_unique<QLockFile>(lockPathFor(path));
    lock->setStaleLockTime(0); // held for the whole run: only a dead owner makes it stale
    if (!lock->tryLock(0)) {
        qCWarning(lcSession) << "cannot lock the autosave" << path;
        return;
    }
    m_lock = std::move(lock);
    m_autosavePath = path;
    m_autosaveTimer.start(intervalMs);
}

void SessionController::finish()
{
    m_autosaveTimer.stop();
    m_finished->store(true);
    if (!m_autosavePath.isEmpty())
        QFile::remove(m_autosavePath);
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
    m_autosavePath.clear();
}

QList<SessionController::Orphan> SessionController::findOrphans(const QString &directory)
{
    QList<Orphan> orphans;
    if (directory.isEmpty())
        return orphans;
    const QDir dir(directory);
    const QFileInfoList files = dir.entryInfoList({QStringLiteral("*.") + QLatin1String(WorkspaceFile::kSuffix)}, QDir::Files, QDir::Time);
    for (const QFileInfo &file : files) {
        QLockFile lock(lockPathFor(file.absoluteFilePath()));
        lock.setStaleLockTime(0);
        // A lock we can take is free: its run ended without removing its autosave.
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        auto header = WorkspaceFile::readHeader(file.absoluteFilePath());
        if (!header.ok()) {
            qCWarning(lcSession) << "unreadable autosave" << file.absoluteFilePath() << header.error().message;
            continue;
        }
        if (header.value().rows == 0) {
            QFile::remove(file.absoluteFilePath());
            continue;
        }
        orphans.append(Orphan{file.absoluteFilePath(), header.value()});
    }
    return orphans;
}

void SessionController::discard(const Orphan &orphan)
{
    QFile::remove(orphan.path);
    QFile::remove(lockPathFor(orphan.path));
}

} // namespace kwb::ui
