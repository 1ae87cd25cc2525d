#pragma once

#include "RecordStore.h"
#include "import/ImportOptions.h"
#include "import/ImportReport.h"

#include <QStringList>

namespace kwb::import {

/// What the import preview shows before the real import: the format found, the CSV columns or
/// JSON members, the first lines as text and the first records as the options would import
/// them (with their problems). A plain value made on a worker thread, handed to the GUI.
struct SniffResult
{
    Format format = Format::Auto; ///< detected, or the one the options force
    bool hasBom = false;
    qint64 totalBytes = -1;       ///< -1 when unknown
    QStringList firstLines;       ///< the first lines as text (invalid UTF-8 replaced), at most 1,000 characters each
    QStringList jsonMembers;      ///< JSON: the member names of the first object
    QStringList jsonFields;       ///< JSON: dotted paths to the first object's members, nested objects'
                                  ///< members included ("id", "user", "user.id"), in order; at most 200
    QStringList columns;          ///< CSV/TSV: the header
    int partitionKeyColumn = -1;  ///< CSV/TSV: columns the import would use (-1: none)
    int dataColumn = -1;
    int explicitHashKeyColumn = -1;
    RecordStore preview;          ///< the first records, imported with the options
    ImportReport previewReport;   ///< counts and problems of those records (limitReached when there are more)
};

} // namespace kwb::import
