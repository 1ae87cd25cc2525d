#pragma once

#include <QMainWindow>

class QLabel;

namespace kwb::ui {

/// What the main window shows about the target before any stream is chosen.
struct TargetDescription
{
    QString name;     ///< "Built-in sandbox", "profile dev", ...
    QString endpoint; ///< URL the client talks to
    QString region;
};

/// The workbench's main window. Lives on the GUI thread; owned by main().
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    void setTarget(const TargetDescription &target);

private:
    QLabel *m_targetLabel = nullptr;
};

} // namespace kwb::ui
