#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "send/SendResults.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <vector>

namespace kwb::exporting {

/// Which rows to write: all (empty) or the given ones, in the given order.
using RowSelection = std::vector<int>;

/// Writes one JSON object per row: index, partitionKey, explicitHashKey, predictedShardId,
/// shardId, sequenceNumber, status (succeeded|failed|pending|cancelled), errorCode,
/// errorMessage, attempts, and for rows that did not succeed `data` (base64), so the file alone
/// is enough to send them again (`kwb retry`). `indexes` maps rows to the index written (the
/// row's position in the original input); empty = the row number itself.
Result<void> writeResultsJsonl(QIODevice &out, const RecordStore &store, const send::SendResults &results,
                               const RowSelection &rows = {}, const std::vector<qint64> &indexes = {});

/// The same columns as CSV (RFC 4180, header row, CRLF line ends), without the data.
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

/// A results file read back: the records that did not succeed (with their data) and the
/// outcome of every row, for `kwb retry`.
struct ResultsFile
{
    RecordStore store;            ///< every row of the file, succeeded ones without data
    send::SendResults results;    ///< their recorded outcome
    std::vector<qint64> indexes;  ///< the `index` field of each row
};

/// Reads a results JSON Lines file written by writeResultsJsonl. Errors name file:line.
Result<ResultsFile> readResultsJsonl(QIODevice &in, const QString &name);

} // namespace kwb::exporting
