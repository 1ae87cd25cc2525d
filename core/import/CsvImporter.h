#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/ImportOptions.h"
#include "import/RecordSink.h"

namespace kwb::import {

/// Reads CSV and TSV with a header row into a RecordSink: finds the partition key, data and
/// explicit hash key columns (usual names or the column mapping), then turns each row into a
/// record, decoding the data column (utf8, base64, hex). Internal to the importer; one thread.
class CsvImporter
{
public:
    /// Reads one input of `format` (Csv or Tsv) to the end, a stop or the limit.
    Result<void> run(BlockReader &reader, Format format, RecordSink &sink);

    /// Index of the column for a role: the mapped name (exact, then ignoring case) or, when
    /// `mapped` is empty, the first of the usual `names` (exact, then ignoring case); -1 if none.
    static int findColumn(const QStringList &header, const QString &mapped, const QStringList &names);
};

} // namespace kwb::import
