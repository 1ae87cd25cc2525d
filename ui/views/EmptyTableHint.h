#pragma once

#include <QWidget>

class QAction;
class QVBoxLayout;

namespace kwb::ui {

/// What an empty records table says: how to get records in (add one, open a file, drop a file,
/// load the sample), with a button per action. The buttons are the window's actions, so they
/// follow their enabled state. Shown by RecordsView over its viewport. GUI thread; owned by the
/// view.
class EmptyTableHint : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyTableHint(QWidget *parent = nullptr);

    void setActions(const QList<QAction *> &actions);

private:
    QVBoxLayout *m_buttons = nullptr;
};

} // namespace kwb::ui
