#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

namespace kwb::sandbox {

/// The append-only log of one stream in the sandbox's data directory. Each change is one frame
/// [payload length: u32 LE][CRC-32 of the payload: u32 LE][payload]; the records a PutRecords
/// accepted are one frame, written and fdatasync'd before the request is answered, so a crash
/// loses no acknowledged record. A torn or corrupt tail (a crash mid-write) is cut off when the
/// log is replayed. Not thread-safe: owned by the stream, used on the sandbox worker thread.
class StreamLog
{
public:
    enum class FrameType : quint8 {
        StreamCreated = 1, ///< name, creation time, shard count, mode: always the first frame
        Records = 2,       ///< records with their shard, counter and arrival time
        Reshard = 3,       ///< UpdateShardCount: time and target shard count
        ShardCursor = 4,   ///< a shard's next counter (written when a log is compacted)
    };

    /// What replay() found.
    struct ReplayResult
    {
        qint64 validBytes = 0;   ///< the log's size after cutting off a torn tail
        qint64 cutBytes = 0;     ///< bytes cut off (0 when the log was intact)
        qint64 frames = 0;
    };

    /// Creates (or truncates) the log at `path` and writes its first frame, synced, along with
    /// the directory entry.
    static Result<std::unique_ptr<StreamLog>> create(const QString &path, QByteArrayView firstFrame);
    /// Opens an existing, replayed log for appending.
    static Result<std::unique_ptr<StreamLog>> openForAppend(const QString &path);
    ~StreamLog();

    const QString &path() const { return m_path; }
    qint64 size() const { return m_size; }

    /// Appends one frame and waits until it is on disk (fdatasync). On failure the log is cut
    /// back to its previous size, so a failed append leaves no half frame behind; if even that
    /// fails, every later append fails too.
    Result<void> append(QByteArrayView payload);

    /// Reads the frames of the log at `path` in order, handing each payload to `visit` (which
    /// returns false for a frame it cannot use: that frame and everything after it is treated
    /// as a torn tail). A torn tail is cut off the file.
    static Result<ReplayResult> replay(const QString &path,
                                       const std::function<bool(FrameType, QByteArrayView)> &visit);

    /// Removes the log file of a deleted stream, with its directory entry synced.
    static Result<void> remove(const QString &path);
    /// Atomically replaces `path` with `replacement` (a compacted log), synced.
    static Result<void> replace(const QString &replacement, const QString &path);

    // Payload encoders. Integers are little-endian; strings are a u16 length and UTF-8 bytes.
    static QByteArray encodeStreamCreated(const QString &name, qint64 createdMs, int shardCount, bool onDemand);
    static QByteArray encodeReshard(qint64 timeMs, int targetShardCount);
    static QByteArray encodeShardCursor(int shardIndex, quint64 nextCounter);
    /// A Records payload is built with beginRecords, addRecord per record, finishRecords.
    static void beginRecords(QByteArray &payload);
    static void addRecord(QByteArray &payload, int shardIndex, quint64 counter, qint64 arrivalMs, QByteArrayView key,
                          QByteArrayView data);
    static void finishRecords(QByteArray &payload, quint32 count);

    static quint32 crc32(QByteArrayView bytes);

private:
    StreamLog(QString path, int fd, qint64 size);

    QString m_path;
    int m_fd = -1;
    qint64 m_size = 0;
    bool m_broken = false;
    QByteArray m_frame;
};

} // namespace kwb::sandbox
