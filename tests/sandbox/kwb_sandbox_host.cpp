// `kwb sandbox` as a program of its own: the very function app/cli wires into the kwb command
// (kwb::cli::runSandboxCommand), for the tests that start the sandbox as a process.
#include "SandboxCommand.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kwb"));
    return kwb::cli::runSandboxCommand(QCoreApplication::arguments());
}
