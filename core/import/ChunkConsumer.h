#pragma once

#include "RecordStore.h"
#include "import/ImportIssue.h"

namespace kwb::import {

/// How a streaming import (Importer::streamFiles) cuts its input into chunks.
struct StreamOptions
{
    qint64 chunkRecords = 8000;          ///< a chunk is handed on when it holds this many records (16 full requests)
    qint64 chunkBytes = 5 * 1024 * 1024; ///< ... or this many bytes of keys and data
    /// A partial chunk is handed on when its first record has waited this long for more input
    /// (a pipe that has gone quiet). Files never wait.
    int lingerMs = 100;
};

/// Where a streaming import puts its records: chunks of whole records in input order, handed
/// over as they fill, or when the input goes quiet, and at the end. Everything here is called on
/// the importing thread; an implementation that hands chunks to another thread synchronises
/// itself (it may block in takeChunk() to bound memory).
class ChunkConsumer
{
public:
    virtual ~ChunkConsumer() = default;
    /// Takes a chunk (never empty); `firstRecord` is the number of good records before it (so
    /// row r of the chunk is record `firstRecord + r` of the run). False cancels the import; the
    /// records read before the cancel still come, in one last call.
    virtual bool takeChunk(RecordStore &&chunk, qint64 firstRecord) = 0;
    /// A bad record or a fault in the input's structure, as soon as it is met.
    virtual void issueFound(const ImportIssue &issue) { Q_UNUSED(issue) }
    /// Asked while waiting for a quiet input; false cancels the import.
    virtual bool keepWaiting() { return true; }
};

} // namespace kwb::import
