#include "views/RecentFilesMenu.h"

#include "WorkbenchSettings.h"

#include <QFileInfo>

namespace kwb::ui {

RecentFilesMenu::RecentFilesMenu(const QString &title, QWidget *parent)
    : QMenu(title, parent)
{
    setObjectName(QStringLiteral("recentMenu"));
    rebuild();
}

QStringList RecentFilesMenu::files() const
{
    return WorkbenchSettings().recentFiles();
}

void RecentFilesMenu::add(const QString &path)
{
    WorkbenchSettings().addRecentFile(path);
    rebuild();
}

void RecentFilesMenu::rebuild()
{
    clear();
    const QStringList paths = files();
    for (int i = 0; i < paths.size(); ++i) {
        QAction *a = addAction(tr("&%1 %2").arg(i + 1).arg(QFileInfo(paths[i]).fileName()));
        a->setToolTip(paths[i]);
        const QString path = paths[i];
        connect(a, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    setEnabled(!paths.isEmpty());
    if (!paths.isEmpty()) {
        addSeparator();
        connect(addAction(tr("Clear list")), &QAction::triggered, this, [this] {
            WorkbenchSettings().clearRecentFiles();
            rebuild();
        });
    }
}

} // namespace kwb::ui
