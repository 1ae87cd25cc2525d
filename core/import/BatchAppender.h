#pragma once

#include "HashKey.h"
#include "RecordStore.h"
#include "import/RecordBatch.h"

#include <QByteArrayView>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace kwb::import {

/// Puts batches of records into a RecordStore: hashes their partition keys eight at a time
/// (Md5Lanes) and appends them in order. With `useThread` (and more than one core) this runs on
/// one helper thread while the importing thread parses the next batch, so the MD5 work and the
/// page faults of the store's fresh memory overlap with parsing; otherwise on the caller's thread.
/// The store must not be touched by anyone else until finish() returns. Owned by a RecordSink.
class BatchAppender
{
public:
    BatchAppender(RecordStore &store, bool useThread);
    ~BatchAppender();
    BatchAppender(const BatchAppender &) = delete;
    BatchAppender &operator=(const BatchAppender &) = delete;

    /// Takes the records of `batch` and hands back an empty batch to fill (its buffer reused).
    /// `endsChunk`: once they are in the store, the store's records are moved out as a chunk for
    /// takeChunks() and the store starts empty, so the caller reads on while the helper thread
    /// finishes the chunk (a streaming import does not wait for each chunk's hashing).
    void submit(RecordBatch &batch, bool endsChunk = false);
    /// Returns when everything submitted is in the store (or in a chunk).
    void finish();
    /// The chunks completed so far, oldest first (never empty ones).
    std::vector<RecordStore> takeChunks();

private:
    void append(RecordBatch &batch, bool endsChunk);
    void run();

    RecordStore &m_store;
    const bool m_useThread;
    std::vector<QByteArrayView> m_hashInput;
    std::vector<UInt128> m_hashOutput;

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    RecordBatch m_work; ///< the batch the thread appends; touched by the caller only while idle
    bool m_workEndsChunk = false;
    std::vector<RecordStore> m_chunks; ///< completed chunks (under m_mutex)
    bool m_busy = false;
    bool m_quit = false;
};

} // namespace kwb::import
