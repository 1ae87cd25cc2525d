#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "send/SendResults.h"

#include <QFile>
#include <QIODevice>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace kwb::exporting {

/// Which rows to write: all (empty) or the given ones, in the given order.
using RowSelection = std::vector<int>;

/// Writes one JSON object per row: index, partitionKey, explicitHashKey, predictedShardId,
/// shardId, sequenceNumber, status (succeeded|failed|pending|cancelled), errorCode,
/// errorMessage, attempts; for rows sent inside a KPL aggregated record (SendOptions::aggregate)
/// kinesisRecord (the index of that Kinesis record's first user record, whose partition key it
/// has) and subSequenceNumber; and for rows that did not succeed `data` (base64), so the file alone
/// is enough to send them again (`kwb retry`). `indexes` maps rows to the index written (the
/// row's position in the original input); empty = the row number itself.
Result<void> writeResultsJsonl(QIODevice &out, const RecordStore &store, const send::SendResults &results,
                               const RowSelection &rows = {}, const std::vector<qint64> &indexes = {});

/// The same columns as CSV (RFC 4180, header row, CRLF line ends), without the data; the last two,
/// kinesis_record and sub_sequence_number, are empty for rows not sent aggregated.
Result<void> writeResultsCsv(QIODevice &out, const RecordStore &store, const send::SendResults &results,
                             const RowSelection &rows = {}, const std::vector<qint64> &indexes = {});

/// Writes the records as AWS CLI `put-records` input files of at most 500 records each
/// (`{"StreamName": ..., "Records": [{"Data": base64, "PartitionKey": ..., "ExplicitHashKey": ...}]}`),
/// named `<base>-0001.json`, `<base>-0002.json`, ... for `aws kinesis put-records
/// --cli-input-json file://...`. Files are written atomically. Returns the paths written.
Result<QStringList> writeAwsCliPutRecords(const QString &basePath, const QString &stream, const RecordStore &store,
                                          const RowSelection &rows = {});

/// Writes a whole file atomically (QSaveFile), through `write`; the error names the file.
Result<void> saveFile(const QString &path, const std::function<Result<void>(QIODevice &)> &write);

/// Writes the results file of a run while it goes on (kwb put, kwb retry), so a run that is
/// killed leaves a file that says what became of every row it had read.
///
/// JSON Lines: the file is a journal while the run goes on. A row's line with status "queued"
/// and its data comes first (before it is sent), then `{"status":"inflight","indexes":[...]}`
/// before each request leaves (written through to the kernel), `{"status":"queued",...}` when an
/// answer puts rows back to wait for a retry, and the row's final line (succeeded, failed,
/// pending, cancelled) once it has one. The last line about a row wins (readResultsJsonl); a row
/// whose last line says "inflight" may or may not be in the stream. finish() then keeps only the
/// final lines, one per row, so a finished run's file reads like writeResultsJsonl's.
/// CSV: final lines only (it has no data to send again).
///
/// Used on the thread that runs the send (the CLI's main thread); owns the file.
class ResultsJournal
{
public:
    static Result<std::unique_ptr<ResultsJournal>> open(const QString &path);
    ~ResultsJournal();

    const QString &path() const { return m_path; }
    bool isCsv() const { return m_csv; }

    /// A row that entered the run, with its data.
    void queued(const RecordStore &store, const send::SendResults &results, int row, qint64 index);
    /// Rows going into a request: written through before the request is sent.
    Result<void> inFlight(const std::vector<qint64> &indexes);
    /// Rows answered with an error that will be retried (so not in the stream).
    void backToQueue(const std::vector<qint64> &indexes);
    /// A row that succeeded and waits for its verification (--verify); its final line follows.
    /// `kinesisRecord`: the index of the first user record of the row's aggregated Kinesis record.
    void sent(const RecordStore &store, const send::SendResults &results, int row, qint64 index, qint64 kinesisRecord = -1);
    /// A row's final line.
    void final(const RecordStore &store, const send::SendResults &results, int row, qint64 index, qint64 kinesisRecord = -1);
    qint64 finalRows() const { return m_finalRows; }
    /// Writes what is buffered.
    Result<void> flush();
    /// The run is over and every row it read has its final line: JSON Lines keep only those.
    Result<void> finish();

private:
    explicit ResultsJournal(const QString &path);
    void appendList(QLatin1String status, const std::vector<qint64> &indexes);

    QString m_path;
    bool m_csv;
    QFile m_file;
    QByteArray m_buffer;
    qint64 m_finalRows = 0;
};

/// A results file read back: the records that did not succeed (with their data) and the
/// outcome of every row, for `kwb retry`.
struct ResultsFile
{
    RecordStore store;            ///< every row of the file, succeeded ones without data
    send::SendResults results;    ///< their recorded outcome
    std::vector<qint64> indexes;  ///< the `index` field of each row
    /// Rows that may or may not be in the stream: cancelled (aborted in flight), or in flight
    /// when the run was killed (RowStatus::Cancelled, error code InFlightWhenKilled).
    qint64 unknownRows = 0;
    bool cutLastLine = false;     ///< the file ended in the middle of a line (a killed run)
};

/// Reads a results JSON Lines file written by writeResultsJsonl or a ResultsJournal, also the
/// journal of a run that was killed: the last line about a row wins, and a last line cut in the
/// middle is left out. Errors name file:line.
Result<ResultsFile> readResultsJsonl(QIODevice &in, const QString &name);

} // namespace kwb::exporting
