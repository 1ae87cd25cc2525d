#include "MainWindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Kinesis Workbench"));
    QApplication::setOrganizationName(QStringLiteral("KinesisWorkbench"));
    QApplication::setApplicationVersion(QStringLiteral(KWB_VERSION));
    kwb::ui::MainWindow window;
    window.setTarget({QStringLiteral("Built-in sandbox"), QStringLiteral("http://127.0.0.1 (started with the app)"),
                      QStringLiteral("us-east-1")});
    window.show();
    return app.exec();
}
