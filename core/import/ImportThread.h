#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "import/ChunkConsumer.h"
#include "import/ImportOptions.h"
#include "import/ImportReport.h"

#include <QObject>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace kwb::import {

/// Runs a streaming import (Importer::streamFiles) on a thread of its own and hands its chunks
/// to the owner's thread as they are read, holding the reader back while `window` chunks are out
/// and not released: memory stays bounded however large the input, and a live pipe flows.
/// Owned and used on one thread (the CLI's main thread); the reading thread only touches the
/// locked queue. The destructor stops the reading and joins the thread.
class ImportThread : public QObject, private ChunkConsumer
{
    Q_OBJECT
public:
    struct Chunk
    {
        RecordStore store;
        qint64 firstRecord = 0;
    };

    ImportThread(QStringList paths, ImportOptions options, StreamOptions stream, int window, QObject *parent = nullptr);
    ~ImportThread() override;

    void start();
    /// The chunks read since the last call, in input order.
    std::vector<Chunk> takeChunks();
    /// One chunk taken is done with: the reader may read one more.
    void release();
    /// Stops reading (the chunks already read can still be taken).
    void stop();
    bool isFinished() const { return m_result.has_value(); }
    /// The import's report (or error) once finished() came.
    const Result<ImportReport> &result() const { return *m_result; }

Q_SIGNALS:
    void chunksReady();
    void badRecord(const kwb::import::ImportIssue &issue);
    void finished();

private:
    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override;
    void issueFound(const ImportIssue &issue) override;
    bool keepWaiting() override;

    QStringList m_paths;
    ImportOptions m_options;
    StreamOptions m_stream;
    int m_window;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_room;
    std::deque<Chunk> m_ready; ///< read, not taken yet
    int m_out = 0;             ///< chunks handed over and not released
    bool m_stop = false;
    std::optional<Result<ImportReport>> m_result;
};

} // namespace kwb::import
