#include "ImportThread.h"

#include "import/Importer.h"

namespace kwb::import {

ImportThread::ImportThread(QStringList paths, ImportOptions options, StreamOptions stream, int window, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_options(std::move(options))
    , m_stream(stream)
    , m_window(std::max(1, window))
{
}

ImportThread::~ImportThread()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

void ImportThread::start()
{
    m_thread = std::thread([this] {
        Importer importer;
        Result<ImportReport> result = importer.streamFiles(m_paths, m_options, m_stream, *this);
        QMetaObject::invokeMethod(this, [this, result = std::move(result)]() mutable {
            m_result = std::move(result);
            Q_EMIT finished();
        }, Qt::QueuedConnection);
    });
}

bool ImportThread::takeChunk(RecordStore &&chunk, qint64 firstRecord)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_room.wait(lock, [this] { return m_stop || m_out < m_window; });
    // Stopped: the records read so far still go out (as pending ones, to be accounted for), but
    // no more are read.
    ++m_out;
    m_ready.push_back({std::move(chunk), firstRecord});
    const bool more = !m_stop;
    lock.unlock();
    QMetaObject::invokeMethod(this, &ImportThread::chunksReady, Qt::QueuedConnection);
    return more;
}

void ImportThread::issueFound(const ImportIssue &issue)
{
    QMetaObject::invokeMethod(this, [this, issue] { Q_EMIT badRecord(issue); }, Qt::QueuedConnection);
}

bool ImportThread::keepWaiting()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return !m_stop;
}

std::vector<ImportThread::Chunk> ImportThread::takeChunks()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Chunk> chunks;
    while (!m_ready.empty()) {
        chunks.push_back(std::move(m_ready.front()));
        m_ready.pop_front();
    }
    return chunks;
}

void ImportThread::release()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        --m_out;
    }
    m_room.notify_all();
}

void ImportThread::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_room.notify_all();
}

} // namespace kwb::import
