#pragma once

#include "generate/PacedSource.h"
#include "generate/Rng.h"

#include <QFile>
#include <QString>

#include <memory>
#include <optional>

namespace kwb::generate {

/// How a file is replayed.
struct ReplayOptions
{
    QString timestampField;    ///< dot path of each record's time (epoch s or ms, or ISO 8601)
    double speed = 1;          ///< x N: an hour of records in 60 s at 60
    double perSecond = 0;      ///< > 0: a fixed rate instead of the timestamps
    bool loop = false;         ///< start again at the end, the timeline going on
    bool restamp = false;      ///< replace each timestamp with the moment the record is sent
    QString partitionKeyField; ///< dot path of the key; empty: a random UUID per record
    quint64 seed = 0;          ///< for the random keys
};

/// Replays a JSON Lines file "as if live": each line is a record's data, sent when its timestamp
/// (relative to the first record's, divided by the speed) comes due, or at a fixed rate. Reads
/// one line at a time, so memory stays one record whatever the file's size. Lines that are not
/// JSON objects, or lack a usable timestamp, stop the run with FILE:LINE and what was expected.
/// Used on one thread (the Pacer's).
class ReplayFeed : public PacedSource
{
public:
    /// Opens the file and reads its first record (so a bad file fails before anything is sent).
    static Result<std::unique_ptr<ReplayFeed>> open(const QString &path, const ReplayOptions &options);
    /// Test hook: the wall clock for --restamp, ms since 1970.
    void setClock(qint64 (*clock)()) { m_clock = clock; }

    Result<qint64> take(qint64 elapsedMs, qint64 limit, RecordStore &store) override;
    bool atEnd(qint64 elapsedMs) const override;
    qint64 behind(qint64) const override { return 0; }

    /// Records taken so far, over all passes.
    qint64 taken() const { return m_taken; }
    /// Milliseconds from the first record to the last one of the first pass (known at its end).
    std::optional<qint64> spanMs() const { return m_spanMs; }

private:
    enum class TimeForm { Seconds, Millis, Iso };
    struct Pending
    {
        QByteArray line;
        qint64 timeMs = 0;
        TimeForm form = TimeForm::Millis;
        qsizetype valueStart = -1; ///< the timestamp's text in the line (for --restamp)
        qsizetype valueLength = 0;
        QByteArray key;
    };

    explicit ReplayFeed(const ReplayOptions &options);
    /// Reads the next record into m_pending; false at the end of the file (or of the loop).
    Result<bool> readNext();
    Result<void> parse(const QByteArray &line, Pending &out) const;
    qint64 dueMs(const Pending &p) const;
    QByteArray restamped(const Pending &p) const;

    ReplayOptions m_options;
    QString m_path;
    std::unique_ptr<QFile> m_file;
    qint64 m_lineNumber = 0;
    std::optional<Pending> m_pending;
    bool m_end = false;
    qint64 m_firstMs = 0;
    bool m_haveFirst = false;
    qint64 m_lastMs = 0;
    qint64 m_passRecords = 0;
    qint64 m_loopOffsetMs = 0; ///< timeline added by the passes before this one
    qint64 m_taken = 0;
    std::optional<qint64> m_spanMs;
    Rng m_rng;
    qint64 (*m_clock)() = nullptr;
};

} // namespace kwb::generate
