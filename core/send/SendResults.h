#pragma once

#include "CowColumn.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace kwb::send {

/// Where a row stands. Every row ends succeeded, failed with a reason, or still pending
/// (never sent, or cancelled before it was); Cancelled marks rows whose request was aborted
/// in flight, so the service may or may not have written them.
enum class RowStatus : quint8 { Pending, Queued, InFlight, Succeeded, Failed, Cancelled };

/// Result of reading a succeeded record back (GetRecords) and comparing it.
enum class VerifyState : quint8 { NotVerified, Verified, Mismatched, Unreadable };

/// What one attempt of one row did.
enum class AttemptOutcome : quint8 { Succeeded, Throttled, Failed, RequestFailed };

QLatin1String rowStatusName(RowStatus status);
QLatin1String verifyStateName(VerifyState state);

/// One attempt of one row. Kept in one flat vector, linked per row (newest first); 40 bytes, so
/// the request it went in is packed (a request holds at most 500 records).
struct Attempt
{
    /// Largest position and record count an attempt can keep (12 bits each).
    static constexpr int kMaxRequestRecords = 4095;

    qint64 startedMs = 0;   ///< wall clock, ms since epoch
    qint32 delayMs = 0;     ///< backoff or pacing wait before this attempt
    qint32 latencyMs = 0;   ///< request round trip
    qint32 code = -1;       ///< error code (string table index), -1 on success
    qint32 message = -1;    ///< error message (string table index)
    qint32 previous = -1;   ///< this row's previous attempt, -1 for its first
    qint32 request = 0;     ///< the request's number, counted by its engine from 1 over all runs; 0 = not known
    qint32 requestBytes = 0; ///< partition keys + data in the request (what its 5 MiB limit counts)
    quint32 position : 12 = 0;       ///< the row's place in the request, 0 = first
    quint32 requestRecords : 12 = 0; ///< records in the request
    AttemptOutcome outcome : 8 = AttemptOutcome::Succeeded;
};
static_assert(sizeof(Attempt) == 40, "Attempt is kept per attempt of every row: keep it small");

/// Per-row outcome columns for a RecordStore of the same size: status, predicted and actual
/// shard, sequence number, error, attempts, verification. Strings that repeat (shard ids, error
/// codes and messages) are interned; sequence numbers sit in one arena. Owned by the thread that
/// owns the RecordStore (the GUI thread, or the CLI's main thread); not thread-safe.
class SendResults
{
public:
    int size() const { return int(m_status.size()); }
    /// Grows or shrinks to `rows`; new rows are Pending with no outcome.
    void resize(int rows);
    /// Forgets every outcome (all rows Pending).
    void reset();
    /// Drops rows (kept in step with RecordStore::removeRows).
    void removeRows(std::vector<int> rows);
    /// Moves the last `count` rows to before `row` (kept in step with RecordStore::moveTailTo).
    void moveTailTo(int row, int count);

    RowStatus status(int row) const { return RowStatus(m_status[size_t(row)]); }
    void setStatus(int row, RowStatus status) { m_status[size_t(row)] = quint8(status); }

    QString predictedShardId(int row) const { return text(m_predicted[size_t(row)]); }
    void setPredictedShardId(int row, const QString &shardId) { m_predicted[size_t(row)] = intern(shardId); }
    /// The same with the id already interned (intern()): no string hashing per row.
    void setPredictedShardIdInterned(int row, qint32 id) { m_predicted[size_t(row)] = id; }
    QString shardId(int row) const { return text(m_shard[size_t(row)]); }
    /// True when the record landed on another shard than predicted (resharding, or an endpoint
    /// that ignores ExplicitHashKey).
    bool shardMismatch(int row) const
    {
        return m_shard[size_t(row)] >= 0 && m_predicted[size_t(row)] >= 0 && m_shard[size_t(row)] != m_predicted[size_t(row)];
    }
    QString sequenceNumber(int row) const;
    QString errorCode(int row) const { return text(m_errorCode[size_t(row)]); }
    QString errorMessage(int row) const { return text(m_errorMessage[size_t(row)]); }
    /// For failed rows: whether a later retry may succeed (throttling, internal failure, network).
    bool retriable(int row) const { return m_retriable[size_t(row)] != 0; }
    int attemptCount(int row) const { return m_attemptCount[size_t(row)]; }
    VerifyState verifyState(int row) const { return VerifyState(m_verify[size_t(row)]); }
    void setVerifyState(int row, VerifyState state) { m_verify[size_t(row)] = quint8(state); }

    /// A row sent inside a KPL aggregated Kinesis record (SendOptions::aggregate): its place in
    /// it (the sub-sequence number consumers see), -1 for a row sent as a plain record.
    int subSequence(int row) const { return m_subSequence[size_t(row)]; }
    /// User records in the row's aggregated Kinesis record (0 when not aggregated).
    int aggregateSize(int row) const { return m_aggregateSize[size_t(row)]; }
    /// The first row (the lowest row number) that holds a user record of the row's aggregated
    /// Kinesis record; the row itself when not aggregated. Found from the record's identity, which
    /// the rows share: it stays right when rows are removed, inserted or moved, and after undo.
    int aggregateFirstRow(int row) const;
    /// The identity of the row's aggregated Kinesis record (0 when not aggregated): the rows of one
    /// Kinesis record share it, and no other record of these results has it.
    qint32 aggregateId(int row) const { return m_aggregateId[size_t(row)]; }
    /// Puts the row in the aggregated Kinesis record whose user records begin at `firstRow`: a row
    /// that is its own first row starts a new record; any other row joins firstRow's record
    /// (which is started first when firstRow has none).
    void setAggregate(int row, int subSequence, int size, int firstRow);
    /// The same with the record's identity given (undo, a copy of the results, a workspace file):
    /// rows given the same identity share a record. It is kept unique for records started later.
    void setAggregateId(int row, int subSequence, int size, qint32 id);

    /// The row's attempts, oldest first.
    std::vector<Attempt> attempts(int row) const;
    /// Code and message strings of an attempt.
    QString text(qint32 id) const { return id < 0 ? QString() : m_strings[id]; }

    void markSucceeded(int row, const QString &shardId, const QString &sequenceNumber);
    /// The same with the shard id already interned (intern()): no string hashing per row.
    void markSucceededInterned(int row, qint32 shardId, QStringView sequenceNumber);
    void markFailed(int row, const QString &code, const QString &message, bool retriable);
    /// Clears the outcome but keeps the attempts (a row going back to the queue).
    void clearOutcome(int row);
    /// clearOutcome() for each of `rows` and marks them Queued, one column at a time: the start
    /// of a run of many rows.
    void beginRun(const std::vector<int> &rows);
    void addAttempt(int row, Attempt attempt);
    /// Replaces the row's attempts with `attempts` (oldest first; their `previous` is ignored):
    /// undoing the removal of a row brings its history back.
    void setAttempts(int row, const std::vector<Attempt> &attempts);

    /// Restores a row from a results file (kwb retry), a workspace file or undo. Failed and
    /// cancelled rows keep their error code, message and whether a retry may succeed.
    void restore(int row, RowStatus status, const QString &shardId, const QString &sequenceNumber,
                 const QString &code, const QString &message, int attempts, bool retriable = true);

    qint32 intern(const QString &text);

    /// Whether a copy (a snapshot) still shares a chunk of the status column: the next write to
    /// it copies that chunk.
    bool isShared() const { return m_status.isShared(); }

private:
    // Columns copied on write: a snapshot for a worker shares them (see CowColumn).
    CowColumn<quint8> m_status;
    CowColumn<qint32> m_predicted;
    CowColumn<qint32> m_shard;
    CowColumn<qint64> m_sequenceOffset; ///< -1: none; else offset into m_sequenceArena
    CowColumn<quint8> m_sequenceLength;
    CowColumn<qint32> m_errorCode;
    CowColumn<qint32> m_errorMessage;
    CowColumn<quint8> m_retriable;
    CowColumn<qint32> m_lastAttempt;
    CowColumn<quint16> m_attemptCount;
    CowColumn<quint8> m_verify;
    CowColumn<qint32> m_subSequence;
    CowColumn<qint32> m_aggregateSize;
    CowColumn<qint32> m_aggregateId; ///< the row's aggregated Kinesis record, 0 = none
    CowColumn<Attempt> m_attempts;
    CowColumn<char> m_sequenceArena;
    QStringList m_strings;
    QHash<QString, qint32> m_stringIds;
    qint32 m_nextAggregateId = 1;
    /// aggregateId -> its lowest row; rebuilt from m_aggregateId when rows moved or left a record.
    mutable QHash<qint32, int> m_firstRowOfAggregate;
    mutable bool m_firstRowsValid = true;

    void setAggregateIdOf(int row, qint32 id);
    /// A new record's identity; when they run out (2^31 records), those in use are numbered anew
    /// (a row brought back by undo from before then may join another record).
    qint32 newAggregateId();
    void forgetAggregate(int row);
};

} // namespace kwb::send
