#include "DockLayout.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QScrollArea>
#include <QStyle>

#include <algorithm>

namespace kwb::ui {

DockLayout::DockLayout(QMainWindow *window, QDockWidget *editor, QDockWidget *shards, QDockWidget *log)
    : QObject(window)
    , m_window(window)
    , m_editor(editor)
    , m_shards(shards)
    , m_log(log)
{
}

void DockLayout::setSandboxDock(QDockWidget *dock)
{
    m_sandbox = dock;
}

void DockLayout::setJourneyDock(QDockWidget *dock)
{
    m_journey = dock;
    m_window->addDockWidget(Qt::RightDockWidgetArea, dock);
    m_window->tabifyDockWidget(m_editor, dock);
    m_editor->raise();
}

void DockLayout::setGenerateDock(QDockWidget *dock)
{
    m_generate = dock;
    m_window->addDockWidget(Qt::RightDockWidgetArea, dock);
    m_window->tabifyDockWidget(m_shards, dock);
    m_shards->raise();
}

void DockLayout::setLiveDock(QDockWidget *dock)
{
    m_live = dock;
    m_window->setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
}

void DockLayout::applyDefault()
{
    const bool liveOpen = m_live && m_live->toggleViewAction()->isChecked();
    if (m_live) {
        m_live->setFloating(false);
        m_window->removeDockWidget(m_live);
        m_window->addDockWidget(Qt::BottomDockWidgetArea, m_live);
        m_live->setVisible(liveOpen);
    }
    QList<QDockWidget *> docks{m_editor, m_shards, m_log};
    if (m_sandbox)
        docks << m_sandbox;
    if (m_journey)
        docks << m_journey;
    if (m_generate)
        docks << m_generate;
    for (QDockWidget *dock : docks) {
        dock->setFloating(false);
        m_window->removeDockWidget(dock);
    }
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_editor);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_shards);
    m_window->splitDockWidget(m_editor, m_shards, Qt::Vertical);
    // The request log as a tab: a few rows need no third of the window.
    if (m_sandbox)
        m_window->tabifyDockWidget(m_shards, m_sandbox);
    m_window->tabifyDockWidget(m_shards, m_log);
    if (m_journey)
        m_window->tabifyDockWidget(m_editor, m_journey);
    if (m_generate)
        m_window->tabifyDockWidget(m_shards, m_generate);
    for (QDockWidget *dock : docks)
        dock->show();
    m_shards->raise();
    m_editor->raise();
    sizeDefault();
}

void DockLayout::sizeDefault()
{
    // The editor gets the larger part of the right column: its Route line and attempt history
    // are what a user reads there; the table keeps the width for its results.
    const int ch = m_window->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    // As wide as the shard map needs (it scrolls up and down only).
    if (auto *scroll = qobject_cast<QScrollArea *>(m_shards->widget()); scroll && scroll->widget())
        scroll->setMinimumWidth(scroll->widget()->minimumSizeHint().width()
                                + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2);
    const int column = std::max(m_window->height() - 160, 400);
    m_window->resizeDocks({m_editor}, {std::clamp(m_window->width() * 3 / 10, ch * 46, ch * 64)}, Qt::Horizontal);
    m_window->resizeDocks({m_editor, m_shards}, {column * 66 / 100, column * 34 / 100}, Qt::Vertical);
    if (m_live && m_live->isVisible())
        m_window->resizeDocks({m_live}, {m_window->height() / 3}, Qt::Vertical);
}

QAction *DockLayout::makeDockAction(QDockWidget *dock, const char *name, const QKeySequence &shortcut)
{
    auto *a = new QAction(dock->windowTitle(), m_window);
    a->setObjectName(QLatin1String(name));
    a->setCheckable(true);
    a->setShortcut(shortcut);
    a->setToolTip(tr("Show the %1 dock (%2); hides it when it is in front already")
                      .arg(dock->windowTitle(), shortcut.toString(QKeySequence::NativeText)));
    // Checked while the dock is open, in front or as a background tab (as Qt's own toggle).
    a->setChecked(dock->toggleViewAction()->isChecked());
    connect(dock->toggleViewAction(), &QAction::toggled, a, &QAction::setChecked);
    connect(a, &QAction::triggered, dock, [a, dock] {
        showOrHide(dock);
        a->setChecked(dock->toggleViewAction()->isChecked());
    });
    return a;
}

QList<QAction *> DockLayout::makeDockActions()
{
    QList<QAction *> actions{makeDockAction(m_editor, "showEditorDock", QKeySequence(Qt::CTRL | Qt::Key_1)),
                             makeDockAction(m_shards, "showShardDock", QKeySequence(Qt::CTRL | Qt::Key_2)),
                             makeDockAction(m_log, "showLogDock", QKeySequence(Qt::CTRL | Qt::Key_3))};
    if (m_journey)
        actions << makeDockAction(m_journey, "showJourneyDock", QKeySequence(Qt::CTRL | Qt::Key_J));
    if (m_generate)
        actions << makeDockAction(m_generate, "showGenerateDock", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    return actions;
}

void DockLayout::showOrHide(QDockWidget *dock)
{
    const bool open = dock->toggleViewAction()->isChecked();
    // A background tab is open but covered by the tab in front: it has nothing to show.
    const bool inFront = open && dock->isVisible() && !dock->visibleRegion().isEmpty();
    if (inFront) {
        dock->hide();
        return;
    }
    dock->show();
    dock->raise();
    if (dock->widget())
        dock->widget()->setFocus();
}

} // namespace kwb::ui
