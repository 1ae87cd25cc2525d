#pragma once

#include <QDialog>

#include <QList>

class QAction;

namespace kwb::ui {

/// Help ▸ Keyboard shortcuts: every given action that has a shortcut, once, sorted by name,
/// with its key in the platform's words. Opened with open(); deletes itself when closed. GUI thread.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);
};

} // namespace kwb::ui
