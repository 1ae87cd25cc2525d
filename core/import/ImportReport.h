#pragma once

#include <QLocale>

#include "import/ImportIssue.h"
#include "import/ImportOptions.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace kwb::import {

/// What an import did. Counts are exact; `issues` keeps the first ImportOptions::maxStoredIssues
/// problems. recordsRead == imported + skipped. A plain value, handed back to the caller's thread.
struct ImportReport
{
    Format format = Format::Auto;       ///< the format used (the detected one when asked for Auto)
    JsonShape jsonShape = JsonShape::Auto; ///< JSON formats: the shape used
    QStringList columns;                ///< CSV/TSV: the header's column names
    QString streamName;                 ///< AwsCli: the file's StreamName or StreamARN, if any
    qint64 recordsRead = 0;             ///< records found, good and bad (empty lines not counted)
    qint64 imported = 0;                ///< records added to the store
    qint64 skipped = 0;                 ///< bad records left out
    qint64 emptyLines = 0;              ///< empty lines passed over (JSON Lines, CSV, Text)
    qint64 issueCount = 0;              ///< all problems: bad records and structure faults
    qint64 bytesRead = 0;
    std::vector<ImportIssue> issues;
    bool stopped = false;      ///< reading ended at a problem, before the end of the input
    bool limitReached = false; ///< reading ended at ImportOptions::limit

    bool issuesTruncated() const { return qint64(issues.size()) < issueCount; }
    /// "imported 998 of 1,000 records (2 skipped, 3 empty lines)" and the like, for people;
    /// numbers as `locale` writes them (the CLI's C locale by default, the GUI passes the user's).
    QString summary(const QLocale &locale) const;
    QString summary() const;
};

} // namespace kwb::import
