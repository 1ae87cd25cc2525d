#pragma once

#include "sandbox/StreamLog.h"

#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace kwb::sandbox {

/// One intact frame of a stream log, as StreamLogReader hands it to its visitor. A value that
/// points into the scanned bytes.
struct LogFrame
{
    StreamLog::FrameType type = StreamLog::FrameType::StreamCreated;
    QByteArrayView payload; ///< starts with the type byte
    qint64 offset = 0;      ///< of the frame's first byte in the log
    quint32 records = 0;    ///< records the frame holds
    const StreamLog::Identity *identity = nullptr; ///< from its header (format 2), else nullptr
    int damageBefore = -1;  ///< index in LogScan::damage of the last damage before it, -1: none
};

/// A stretch of a log that holds no usable frame. A plain value.
struct LogDamage
{
    qint64 offset = 0;
    qint64 bytes = 0;
    QString what;             ///< what is wrong there, for the user
    qint64 recordsLost = 0;   ///< at least this many records are unreadable because of it
    qint64 recordsAtMost = 0; ///< and at most this many (what its bytes could hold)
};

/// What StreamLogReader::scan found in a log. A plain value.
struct LogScan
{
    int format = 0; ///< 2 (now), 1 (frames without magic or header checksum), 0 (no frame found)
    std::optional<StreamLog::Identity> identity; ///< the stream's, from format-2 headers
    qint64 size = 0;
    qint64 frames = 0;  ///< intact frames the visitor took
    qint64 records = 0; ///< records in them
    std::vector<LogDamage> damage; ///< in file order
    qint64 tornOffset = -1; ///< where a torn tail (the last write, unfinished) starts; -1: none
    bool resyncGaveUp = false; ///< the search for frames after damage hit its work bound

    qint64 keptBytes() const { return tornOffset < 0 ? size : tornOffset; }
    bool damaged() const { return !damage.empty(); }
};

/// Reads a stream log (StreamLog's format 2, or format 1 of earlier versions) from bytes in
/// memory, such as a mapped file. Every intact frame goes to the visitor in order; after damage
/// the reader finds the next intact frame again (format 2 by its magic and header checksum,
/// format 1 by trying each offset) and goes on. Only a tail that has the shape of an unfinished
/// last write, with no intact frame after it, is a torn tail; anything else is damage. Allocates
/// nothing in proportion to the lengths it reads, and its work is bounded by a small multiple
/// of the log's size. Pure and reentrant: any thread.
class StreamLogReader
{
public:
    /// Returns false for a frame whose content it cannot use: the frame then counts as damage.
    using Visitor = std::function<bool(const LogFrame &)>;

    static LogScan scan(QByteArrayView log, const Visitor &visit = {});

    /// The fewest bytes one record takes in a Records payload (a key has at least one byte).
    static constexpr qint64 kMinRecordBytes = 4 + 8 + 8 + 2 + 4 + 1;
};

} // namespace kwb::sandbox
