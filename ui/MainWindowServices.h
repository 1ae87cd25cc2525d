#pragma once

#include "aws/Environment.h"
#include "controllers/ImportController.h"
#include "import/ImportOptions.h"

#include <QString>

#include <functional>

namespace kwb::ui {

class SecretStore;

/// What the main window takes from outside, so the app and tests can wire it differently: where
/// typed keys go (the system keychain in the app, memory in tests), the environment AWS settings
/// are read from, and how files are imported. A plain value; the SecretStore must outlive the
/// window.
struct MainWindowServices
{
    SecretStore *secrets = nullptr;
    aws::Environment environment;
    /// Makes the import job for a file; empty: the core importer with its automatic detection
    /// (ImportJobs::file).
    std::function<ImportJob(const QString &path, const import::ImportOptions &options)> importJob;
    /// Restore the window layout, columns and send options from QSettings, and reconnect to the
    /// last target.
    bool restoreSession = true;
    /// Where this run keeps its autosave and finds those of runs that did not close properly
    /// (offerRestore()); empty: no autosave.
    QString autosaveDirectory;
    int autosaveIntervalMs = 60'000;
};

} // namespace kwb::ui
