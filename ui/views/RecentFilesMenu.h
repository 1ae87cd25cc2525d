#pragma once

#include <QMenu>

namespace kwb::ui {

/// File ▸ Open recent: the files opened or saved last (kept in WorkbenchSettings), numbered,
/// with a Clear list entry. Choosing one emits openRequested(). GUI thread.
class RecentFilesMenu : public QMenu
{
    Q_OBJECT
public:
    explicit RecentFilesMenu(const QString &title, QWidget *parent = nullptr);

    /// Puts `path` first (once) and rebuilds the menu.
    void add(const QString &path);
    /// Absolute paths, newest first.
    QStringList files() const;

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void rebuild();
};

} // namespace kwb::ui
