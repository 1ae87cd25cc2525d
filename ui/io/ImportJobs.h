#pragma once

#include "controllers/ImportController.h"
#include "import/ImportOptions.h"

#include <QString>

namespace kwb::ui {

/// Import jobs for ImportController, backed by the core importer (import::Importer): every
/// format it reads (JSON Lines, JSON arrays, AWS CLI put-records input, CSV/TSV, text lines,
/// raw files), streamed in blocks with progress and cancel. Records too large for the chosen
/// stream still load (up to the largest record size any stream allows) so the table can show
/// the problem in the row. Functions only; the jobs run on a worker thread.
class ImportJobs
{
public:
    /// Issues kept for display; the count stays exact.
    static constexpr int kMaxIssuesShown = 100;

    /// Imports the file at `path` (a Qt resource path works too).
    static ImportJob file(const QString &path, import::ImportOptions options = {});
    /// The built-in sample: 50 orders, clicks and page views keyed by user id.
    static ImportJob sample();
    static QString samplePath() { return QStringLiteral(":/samples/orders-and-clicks.jsonl"); }
    static import::ImportOptions sampleOptions();
};

} // namespace kwb::ui
