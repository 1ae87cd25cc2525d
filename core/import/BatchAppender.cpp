#include "BatchAppender.h"

#include "import/Md5Lanes.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace kwb::import {

BatchAppender::BatchAppender(RecordStore &store, bool useThread)
    : m_store(store)
    , m_useThread(useThread && std::thread::hardware_concurrency() > 1)
{
}

BatchAppender::~BatchAppender()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void BatchAppender::append(RecordBatch &batch, bool endsChunk)
{
    const char *bytes = batch.bytes.get();
    m_hashInput.clear();
    for (const RecordBatch::Entry &e : batch.entries)
        if (!e.explicitHashKey)
            m_hashInput.emplace_back(bytes + e.keyOffset, e.keyBytes);
    if (m_hashOutput.size() < m_hashInput.size())
        m_hashOutput.resize(m_hashInput.size());
    Md5Lanes::hashKeys(m_hashInput.data(), m_hashOutput.data(), qsizetype(m_hashInput.size()));
    size_t hashed = 0;
    for (const RecordBatch::Entry &e : batch.entries) {
        const UInt128 hash = e.explicitHashKey ? *e.explicitHashKey : m_hashOutput[hashed++];
        m_store.appendHashed(QByteArrayView(bytes + e.keyOffset, e.keyBytes),
                             QByteArrayView(bytes + e.dataOffset, e.dataBytes), e.explicitHashKey, hash);
    }
    batch.clear();
    if (endsChunk && !m_store.isEmpty()) {
        RecordStore chunk = std::move(m_store);
        m_store = RecordStore();
        // The next chunk is likely as long: its columns get their room at once, not by doubling.
        m_store.reserve(chunk.size());
        std::lock_guard<std::mutex> lock(m_mutex);
        m_chunks.push_back(std::move(chunk));
    }
}

void BatchAppender::submit(RecordBatch &batch, bool endsChunk)
{
    if (batch.entries.empty() && !endsChunk)
        return;
    if (!m_useThread) {
        append(batch, endsChunk);
        return;
    }
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
    std::unique_lock<std::mutex> lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_busy; });
    std::swap(m_work, batch); // the caller goes on filling the batch the thread has emptied
    batch.clear();
    m_workEndsChunk = endsChunk;
    m_busy = true;
    lock.unlock();
    m_wake.notify_one();
}

std::vector<RecordStore> BatchAppender::takeChunks()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::exchange(m_chunks, {});
}

void BatchAppender::finish()
{
    if (!m_thread.joinable())
        return;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_busy; });
}

void BatchAppender::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_busy || m_quit; });
        if (!m_busy)
            return;
        lock.unlock();
        append(m_work, m_workEndsChunk);
        lock.lock();
        m_busy = false;
        m_idle.notify_all();
    }
}

} // namespace kwb::import
