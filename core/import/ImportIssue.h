#pragma once

#include <QString>

namespace kwb::import {

/// One problem found while importing: a bad record, or a fault in the file's structure (text after
/// a JSON array, a missing ']'). Lines and columns are 1-based; columns count Unicode characters
/// from the start of the line, a UTF-8 BOM not counted; 0 means "not known". A plain value.
struct ImportIssue
{
    QString file;       ///< the input's name as given (a path, or "stdin")
    qint64 line = 0;
    qint64 column = 0;
    qint64 record = 0;  ///< 1-based position of the bad record among all records read; 0 for structure faults
    QString message;    ///< what is wrong and what to do, without the location

    /// "orders.jsonl:17:23: message" (the column left out when not known).
    QString toString() const;
};

} // namespace kwb::import
