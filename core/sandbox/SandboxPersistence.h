#pragma once

#include "Result.h"
#include "sandbox/StreamLogReader.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QLockFile;

namespace kwb::sandbox {

class SandboxStream;

/// The sandbox's data directory: one StreamLog per stream (`<name>.stream`; stream names are
/// [a-zA-Z0-9_.-]+, safe as file names) and a lock file so that two sandboxes never share it.
/// On start every log is read with StreamLogReader before anything is changed: a torn tail (an
/// append that never finished, so never acknowledged) is cut off; a log of format 1 is migrated
/// (the old file kept beside it); a log mostly made of expired records is compacted. A damaged
/// log stops the start with a report, unless the caller asks to recover: then the damaged file
/// is renamed aside (never deleted) and what could be read goes into a fresh log.
/// Not thread-safe: owned by SandboxService.
class SandboxPersistence
{
public:
    static Result<std::unique_ptr<SandboxPersistence>> open(const QString &directory);
    ~SandboxPersistence();

    const QString &directory() const { return m_directory; }

    /// Replays every stream log: streams come back with their shards, counters and the records
    /// still within `retentionMs` (and `maxBytesPerShard`). Each stream gets its log attached.
    /// Fails with SandboxDataDamaged, changing nothing, when a log is damaged and
    /// `recoverDamaged` is false.
    Result<std::vector<std::unique_ptr<SandboxStream>>> loadStreams(qint64 nowMs, qint64 retentionMs,
                                                                   qint64 maxBytesPerShard, bool recoverDamaged);
    /// Creates the log of a new stream (synced) and attaches it.
    Result<void> createStream(SandboxStream &stream);
    /// Removes the log of a deleted stream.
    Result<void> deleteStream(SandboxStream &stream);

    /// A stream log as read, before anything on disk is changed. A value; any thread.
    struct LoadedLog
    {
        QString path;
        LogScan scan;
        std::unique_ptr<SandboxStream> stream; ///< nullptr when no intact frame says how it was made
        bool rebuiltWithoutHeader = false;     ///< its first frame was lost; made from later headers
        qint64 expiredBytes = 0;
        std::vector<qint64> lastRecordAt;      ///< per shard: offset of the last frame with its records

        LoadedLog();
        LoadedLog(LoadedLog &&) noexcept;
        LoadedLog &operator=(LoadedLog &&) noexcept;
        ~LoadedLog();
        /// The damage, one line per stretch, for the refusal and the notes.
        QStringList damageLines() const;
        QString readableText() const;
    };

    /// Reads the log of stream `streamName` from bytes and rebuilds the stream from it, records
    /// past `retentionMs` or `maxBytesPerShard` left out. Pure: touches no file; any thread
    /// (the entry point for fuzzing the log reader together with its payloads).
    static LoadedLog parse(QByteArrayView bytes, const QString &streamName, qint64 nowMs, qint64 retentionMs,
                           qint64 maxBytesPerShard);

    /// What loading noticed and did (torn tails cut off, logs migrated or recovered), for the user.
    const QStringList &notes() const { return m_notes; }

private:
    SandboxPersistence() = default;
    QString pathFor(const QString &streamName) const;
    Result<LoadedLog> readLog(const QString &path, qint64 nowMs, qint64 retentionMs, qint64 maxBytesPerShard);
    /// Cuts, migrates, recovers or compacts the log as its reading asked, and attaches it.
    Result<std::unique_ptr<SandboxStream>> settle(LoadedLog &log, qint64 nowMs);
    /// Writes the stream as it is in memory into a fresh log that replaces the one at `path`.
    Result<void> compact(SandboxStream &stream, const QString &path);

    QString m_directory;
    std::unique_ptr<QLockFile> m_lock;
    QStringList m_notes;
};

} // namespace kwb::sandbox
