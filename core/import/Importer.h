#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "import/ChunkConsumer.h"
#include "import/ImportOptions.h"
#include "import/ImportReport.h"
#include "import/SniffResult.h"

#include <QByteArrayView>
#include <QIODevice>
#include <QString>
#include <QStringList>

#include <memory>

namespace kwb::import {

class JsonImporter;
class RecordSink;

/// Imports records from files, standard input or any QIODevice into a RecordStore: JSON Lines,
/// JSON arrays, the AWS CLI put-records input, CSV/TSV, text lines and raw files. Inputs are read
/// in blocks (ImportOptions::blockBytes), never whole, so inputs larger than memory work;
/// every record is validated (partition key, size, explicit hash key) and each bad one is listed
/// with file, line and column. Cancel through the progress callback.
///
/// Use one Importer per thread (it keeps parser buffers between imports); it is meant to run off
/// the GUI thread (QtConcurrent::run) on a RecordStore that nothing else touches meanwhile.
/// Good records are appended to `into` as they are read: after an error or a cancel, `into` holds
/// the records imported so far (import into a fresh store and swap it in when done).
///
/// Results: content problems (bad records, a broken structure) are listed in the ImportReport;
/// an Error is returned only for bad options, unreadable inputs and cancel (Error::Kind::Cancelled).
class Importer
{
public:
    Importer();
    ~Importer();
    Importer(const Importer &) = delete;
    Importer &operator=(const Importer &) = delete;

    /// Imports a file; "-" reads standard input (named "stdin" in messages).
    Result<ImportReport> importFile(const QString &path, RecordStore &into, const ImportOptions &options = {},
                                    const ProgressCallback &progress = {});
    /// Imports several files into one report (progress covers all of them; the format is detected
    /// per file; RowNumber keys go on counting). ImportReport::format is that of the last file.
    Result<ImportReport> importFiles(const QStringList &paths, RecordStore &into, const ImportOptions &options = {},
                                     const ProgressCallback &progress = {});
    /// Streams records from files ("-": standard input) to `consumer` in chunks, in bounded
    /// memory whatever the input size: the importer holds one chunk being filled. A pipe that goes
    /// quiet hands on its partial chunk after StreamOptions::lingerMs. Bad records are reported
    /// to the consumer as they are met, and listed in the report. Runs on the calling thread (a
    /// worker: reading a pipe waits for its writer).
    Result<ImportReport> streamFiles(const QStringList &paths, const ImportOptions &options, const StreamOptions &stream,
                                     ChunkConsumer &consumer);
    /// Imports from an open device. `name` is used in messages, for format detection by its
    /// extension and as the FileName key (its file name part).
    Result<ImportReport> importDevice(QIODevice &device, const QString &name, RecordStore &into,
                                      const ImportOptions &options = {}, const ProgressCallback &progress = {});

    /// The format of an input from its name and first bytes (see FormatDetector).
    static Format detect(const QString &fileName, QByteArrayView head, bool wholeInput = false,
                         const ColumnMapping &columns = {});
    /// Looks at the start of a file for the import preview: format, columns or JSON members, the
    /// first lines, and the first `previewRecords` records imported with `options`. Reads only
    /// the first blocks of the file.
    static Result<SniffResult> sniff(const QString &path, const ImportOptions &options = {}, int previewRecords = 20,
                                     int previewLines = 20);

    /// Checks options on their own (sizes, a key field or constant where needed).
    static Result<void> validateOptions(const ImportOptions &options);

private:
    Result<void> importInput(QIODevice &device, const QString &name, qint64 knownSize, RecordSink &sink,
                             const ProgressCallback &progress, qint64 progressBase, qint64 progressTotal);

    std::unique_ptr<JsonImporter> m_json;
};

} // namespace kwb::import
