// The workbench's GUI: a thin main() that starts the built-in sandbox (a Kinesis-compatible
// endpoint on a free loopback port, with a "demo" stream), wires the system keychain and the
// real environment into the main window, offers to restore the workspace of a run that did not
// close properly, and opens a file given on the command line (a workspace, or records to import)
// or, the first time, the sample records, so a first-time user can press Send right away.
#include "MainWindow.h"
#include "NumberLocale.h"
#include "WorkbenchSettings.h"
#include "controllers/KeychainSecretStore.h"
#include "sandbox/SandboxServer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    kwb::ui::useGroupSeparators();
    QApplication::setApplicationName(QStringLiteral("Kinesis Workbench"));
    QApplication::setOrganizationName(QStringLiteral("KinesisWorkbench"));
    QApplication::setApplicationVersion(QStringLiteral(KWB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.kinesisworkbench.KinesisWorkbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Publish records to Amazon Kinesis Data Streams"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A workspace (.kwb) to open, or records to import (JSON Lines, JSON, CSV, ...)"));
    QCommandLineOption noSandbox(QStringLiteral("no-sandbox"), QStringLiteral("Do not start the built-in sandbox"));
    parser.addOption(noSandbox);
    parser.process(app);

    // Declared before the window, so it outlives the window's connections to it.
    kwb::sandbox::SandboxOptions sandboxOptions;
    sandboxOptions.initialStreams = {kwb::sandbox::InitialStream{QStringLiteral("demo"), 4}};
    kwb::sandbox::SandboxServer sandbox(sandboxOptions);
    // Practising IAM Identity Center sign-in offline: nobody can approve in a browser, so it is automatic.
    sandbox.identity().setAutoApproveDevices(true);

    kwb::ui::KeychainSecretStore keychain;
    kwb::ui::MainWindowServices services;
    services.secrets = &keychain;
    services.environment = kwb::aws::Environment::system();
    services.autosaveDirectory = QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                                     .filePath(QStringLiteral("autosave"));
    kwb::ui::MainWindow window(services);

    if (parser.isSet(noSandbox)) {
        window.setSandboxUnavailable(QStringLiteral("off (--no-sandbox)"));
    } else {
        const auto started = sandbox.start(0);
        if (started.ok()) {
            window.setSandbox(started.value());
            window.setSandboxServer(&sandbox);
        }
        else
            window.setSandboxUnavailable(QStringLiteral("not available: %1").arg(started.error().message));
    }

    window.show();
    kwb::ui::WorkbenchSettings settings;
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) {
        window.openPath(files.first());
    } else if (!settings.firstRunDone()) {
        window.loadSample();
        settings.setFirstRunDone();
    }
    window.offerRestore();
    return app.exec();
}
