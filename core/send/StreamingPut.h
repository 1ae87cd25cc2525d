#pragma once

#include "RecordStore.h"
#include "ShardMap.h"
#include "send/FlowController.h"
#include "send/SendEngine.h"
#include "send/SendResults.h"

#include <QObject>

#include <deque>
#include <memory>
#include <vector>

namespace kwb::exporting {
class ResultsJournal;
}

namespace kwb::send {

/// Records that go through a StreamingPut together: a block of the input (kwb put), or rows of a
/// results file to send again (kwb retry). A plain value, moved along.
struct RecordChunk
{
    RecordStore store;
    SendResults results;         ///< sized like the store (resize() or restored outcomes)
    qint64 firstIndex = 0;       ///< the run-wide index of row 0, when `indexes` is empty
    std::vector<qint64> indexes; ///< else the run-wide index of each row

    qint64 indexOf(int row) const { return indexes.empty() ? firstIndex + row : indexes[size_t(row)]; }

    /// A chunk of new rows, none sent yet, the first of them the run's row `first`.
    static RecordChunk fresh(RecordStore &&rows, qint64 first)
    {
        RecordChunk chunk;
        chunk.store = std::move(rows);
        chunk.results.resize(chunk.store.size());
        chunk.firstIndex = first;
        return chunk;
    }
};

/// Sends a stream of record chunks as a pipeline over SendEngine: one engine per chunk, so the
/// engine never sees a store that grows, and one FlowController shared by all of them, so pacing
/// per shard and the cap on requests in flight hold for the whole run. A chunk's engine starts once the chunk before it has
/// put all its rows into requests (so new rows keep the requests in flight full while earlier
/// rows wait for retries), or once it has finished in ordered mode. A chunk is freed, and
/// chunkDone() says so, when every row of it is final; the caller bounds memory by the number
/// of chunks it hands over and has not seen done (a window).
///
/// With a ResultsJournal, every row's journey is written as it goes: queued (with its data) when
/// its chunk arrives, in flight before its request leaves, final when it is.
///
/// Lives on the thread of its KinesisClient (the CLI's main thread); never blocks.
class StreamingPut : public QObject
{
    Q_OBJECT
public:
    explicit StreamingPut(net::KinesisClient *client, QObject *parent = nullptr);
    ~StreamingPut() override;

    void setStream(const QString &stream) { m_stream = stream; }
    void setShardMap(const ShardMap &map) { m_map = map; }
    void setOptions(const SendOptions &options) { m_options = options; }
    const SendOptions &options() const { return m_options; }
    /// The flow control every chunk's engine shares (per-shard pacing, requests in flight over
    /// all of them), set up with the limits the client's endpoint implies; owned.
    FlowController *flowController() const { return m_flow; }
    /// Where rows' outcomes are written; not owned; may be null.
    void setJournal(exporting::ResultsJournal *journal) { m_journal = journal; }

    /// Sends the chunk's rows that have not succeeded (after the chunks before it).
    void addChunk(RecordChunk chunk);
    /// No more chunks: finished() comes once every chunk is done.
    void endOfInput();
    /// Stops starting requests: rows not sent stay pending, requests in flight finish.
    void cancel();
    /// Like cancel(), and aborts requests in flight (their rows become cancelled).
    void abort();

    /// The run's counts so far, over every chunk.
    SendCounters counters() const;
    /// Chunks added and not done yet.
    int chunksAlive() const { return int(m_chunks.size()); }

    /// Counts of final rows of the chunks done so far.
    struct Totals
    {
        qint64 rows = 0;
        qint64 succeeded = 0;
        qint64 pending = 0;    ///< never sent (a cancelled run)
        qint64 cancelled = 0;  ///< aborted in flight
        qint64 shardMismatches = 0;
    };
    const Totals &totals() const { return m_totals; }
    /// The first error writing the results file (the run was cancelled at it); empty if none.
    const QString &journalError() const { return m_journalError; }

Q_SIGNALS:
    /// Outcomes or attempts of these rows of `chunk` changed (the GUI's generator mirrors them);
    /// `chunk` is only valid during the call.
    void rowsChanged(const kwb::send::RecordChunk &chunk, const QList<int> &rows);
    /// Every row of `chunk` is final (also those never sent); only valid during the call, freed after.
    void chunkFinal(const kwb::send::RecordChunk &chunk);
    /// A chunk is done: all its rows are final (and written), its memory is freed.
    void chunkDone();
    /// Every chunk is done after endOfInput().
    void finished(const kwb::send::SendCounters &counters);

private:
    /// What the journal has been told about a row.
    enum class Said : quint8 { Queued, InFlight, Waiting, Sent, Final };
    struct Live
    {
        RecordChunk chunk;
        std::unique_ptr<SendEngine> engine;
        std::vector<Said> said;
        qint64 untaken = 0; ///< rows never put into a request (nor refused) yet
        bool started = false;
        bool done = false;
    };

    void startReadyChunks();
    /// The run-wide index of the first user record of the row's aggregated Kinesis record, or -1.
    static qint64 kinesisRecordIndex(const Live &live, int row);
    void start(Live &live);
    void onRowsChanged(Live &live, const QList<int> &rows);
    void chunkFinished(Live &live, const SendCounters &counters);
    void finishUnstarted(Live &live);
    void journalResult(const Result<void> &result);
    void maybeFinish();

    net::KinesisClient *m_client;
    QString m_stream;
    ShardMap m_map;
    SendOptions m_options;
    exporting::ResultsJournal *m_journal = nullptr;
    FlowController *m_flow;
    std::deque<std::unique_ptr<Live>> m_chunks;
    SendCounters m_done; ///< counters of the chunks done
    Totals m_totals;
    QString m_journalError;
    QElapsedTimer m_clock;
    QTimer *m_flushTimer; ///< final lines reach the file within a moment, also on a quiet pipe
    bool m_endOfInput = false;
    bool m_cancelling = false;
    bool m_finished = false;
};

} // namespace kwb::send
