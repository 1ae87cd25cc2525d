#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>
#include <QVBoxLayout>

namespace kwb::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Kinesis Workbench"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("<h2>Kinesis Workbench</h2>"
                                "<p>Compose or import records, see which shard each one lands on, "
                                "send them with PutRecords and retry the ones that fail.</p>"),
                             central);
    title->setWordWrap(true);
    m_targetLabel = new QLabel(central);
    m_targetLabel->setObjectName(QStringLiteral("targetLabel"));
    m_targetLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title);
    layout->addWidget(m_targetLabel);
    layout->addStretch(1);
    setCentralWidget(central);
    resize(900, 600);
}

void MainWindow::setTarget(const TargetDescription &target)
{
    m_targetLabel->setText(tr("<p><b>Target:</b> %1<br><b>Endpoint:</b> %2<br><b>Region:</b> %3</p>")
                               .arg(target.name.toHtmlEscaped(), target.endpoint.toHtmlEscaped(),
                                    target.region.toHtmlEscaped()));
    statusBar()->showMessage(tr("Endpoint: %1").arg(target.endpoint));
}

} // namespace kwb::ui
