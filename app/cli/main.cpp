#include "Cli.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KWB_VERSION));
    kwb::cli::Cli cli(QCoreApplication::arguments());
    cli.start();
    return app.exec();
}
