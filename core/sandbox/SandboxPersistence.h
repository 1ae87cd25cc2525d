#pragma once

#include "Result.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QLockFile;

namespace kwb::sandbox {

class SandboxStream;

/// The sandbox's data directory: one StreamLog per stream (`<name>.stream`; stream names are
/// [a-zA-Z0-9_.-]+, safe as file names) and a lock file so that two sandboxes never share it.
/// On start every log is replayed (a torn tail is cut off); a log mostly made of expired
/// records is compacted. Not thread-safe: owned by SandboxService.
class SandboxPersistence
{
public:
    static Result<std::unique_ptr<SandboxPersistence>> open(const QString &directory);
    ~SandboxPersistence();

    const QString &directory() const { return m_directory; }

    /// Replays every stream log: streams come back with their shards, counters and the records
    /// still within `retentionMs` (and `maxBytesPerShard`). Each stream gets its log attached.
    Result<std::vector<std::unique_ptr<SandboxStream>>> loadStreams(qint64 nowMs, qint64 retentionMs,
                                                                   qint64 maxBytesPerShard);
    /// Creates the log of a new stream (synced) and attaches it.
    Result<void> createStream(SandboxStream &stream);
    /// Removes the log of a deleted stream.
    Result<void> deleteStream(SandboxStream &stream);

    /// What loading noticed (torn tails cut off, unreadable logs skipped), for the user.
    const QStringList &notes() const { return m_notes; }

private:
    SandboxPersistence() = default;
    QString pathFor(const QString &streamName) const;
    Result<std::unique_ptr<SandboxStream>> loadStream(const QString &path, qint64 nowMs, qint64 retentionMs,
                                                      qint64 maxBytesPerShard);
    Result<void> compact(SandboxStream &stream, const QString &path);

    QString m_directory;
    std::unique_ptr<QLockFile> m_lock;
    QStringList m_notes;
};

} // namespace kwb::sandbox
