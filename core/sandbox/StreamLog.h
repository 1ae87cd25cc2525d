#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

namespace kwb::sandbox {

/// The append-only log of one stream in the sandbox's data directory. Each change is one frame:
/// a 32-byte header and a payload (format 2, described in docs/sandbox-data-dir.md):
///   magic "\xC5KWL" | payload length u32 | records in the frame u32 | stream creation time u64 |
///   initial shard count u32 (bit 31: on-demand) | CRC-32 of the payload u32 | CRC-32 of the
///   28 header bytes before it u32 (all little-endian).
/// The magic lets a reader find the next frame after damage; the stream's identity in every
/// header lets a stream be rebuilt when its first frame is lost. The records a PutRecords
/// accepted are one frame, written and fdatasync'd before the request is answered, so a crash
/// loses no acknowledged record. StreamLogReader reads logs (this format and format 1).
/// Not thread-safe: owned by the stream, used on the sandbox worker thread.
class StreamLog
{
public:
    enum class FrameType : quint8 {
        StreamCreated = 1, ///< name, creation time, shard count, mode: always the first frame
        Records = 2,       ///< records with their shard, counter and arrival time
        Reshard = 3,       ///< UpdateShardCount: time and target shard count
        ShardCursor = 4,   ///< a shard's next counter (written when a log is compacted)
    };

    /// What every frame header of a stream's log repeats about the stream.
    struct Identity
    {
        qint64 createdMs = 0;
        int initialShards = 0; ///< the shard count the stream was created with
        bool onDemand = false;
        bool operator==(const Identity &) const = default;
    };

    static constexpr qsizetype kHeaderBytes = 32;
    static constexpr char kMagic[4] = {char(0xC5), 'K', 'W', 'L'};
    /// No frame the sandbox writes comes near this (a PutRecords is at most 10 MiB).
    static constexpr quint32 kMaxPayloadBytes = 64u * 1024 * 1024;

    /// Creates (or truncates) the log at `path` and writes its first frame, synced, along with
    /// the directory entry.
    static Result<std::unique_ptr<StreamLog>> create(const QString &path, const Identity &identity,
                                                     QByteArrayView firstFrame);
    /// Opens an existing, checked log (format 2) for appending.
    static Result<std::unique_ptr<StreamLog>> openForAppend(const QString &path, const Identity &identity);
    ~StreamLog();

    const QString &path() const { return m_path; }
    qint64 size() const { return m_size; }

    /// Appends one frame and waits until it is on disk (fdatasync). On failure the log is cut
    /// back to its previous size, so a failed append leaves no half frame behind; if even that
    /// fails, every later append fails too.
    Result<void> append(QByteArrayView payload);

    /// The 32-byte header of a frame holding `payload`.
    static QByteArray encodeHeader(const Identity &identity, QByteArrayView payload);

    /// Removes the log file of a deleted stream, with its directory entry synced.
    static Result<void> remove(const QString &path);
    /// Atomically renames `from` to `to` (a compacted log over the old one, or a damaged log
    /// kept aside), with the directory entry synced.
    static Result<void> replace(const QString &from, const QString &to);
    /// Gives the log at `path` a second name `aside` (a hard link), synced: the file stays where
    /// it is until a fresh log replaces it, and under `aside` after that.
    static Result<void> keepAside(const QString &path, const QString &aside);
    /// Cuts the log at `path` to `size` bytes (a torn tail off), synced.
    static Result<void> cut(const QString &path, qint64 size);

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
    StreamLog(QString path, int fd, qint64 size, const Identity &identity);

    QString m_path;
    Identity m_identity;
    int m_fd = -1;
    qint64 m_size = 0;
    bool m_broken = false;
    QByteArray m_frame;
};

} // namespace kwb::sandbox
