#include "controllers/RowActions.h"

#include "io/ClipboardRows.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/RecordsView.h"

#include <QClipboard>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QLocale>
#include <QMainWindow>
#include <QStatusBar>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace kwb::ui {

namespace {

/// Copies of more rows than this are formatted in the thread pool.
constexpr size_t kCopyOnGuiThreadLimit = 20000;

} // namespace

RowActions::RowActions(QMainWindow *window, Workspace *workspace, RecordsModel *model, RecordsView *view)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_model(model)
    , m_view(view)
{
}

void RowActions::addRow()
{
    if (m_workspace->isLocked())
        return;
    const int current = m_view->currentStoreRow();
    const int at = current >= 0 ? current + 1 : m_workspace->rowCount();
    RowContent row;
    row.partitionKey = QUuid::createUuid().toString(QUuid::WithoutBraces).toUtf8();
    row.data = QByteArrayLiteral("{}");
    if (m_workspace->insertRows(at, {row}, tr("Add row"))) {
        m_view->selectStoreRow(at);
        m_view->edit(m_model->indexForStoreRow(at, int(RecordColumn::Data)));
    }
}

void RowActions::duplicateRows()
{
    const int first = m_workspace->duplicateRows(m_view->selectedStoreRows());
    if (first >= 0)
        m_view->selectStoreRow(first);
}

void RowActions::deleteRows()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        return;
    const int next = *std::min_element(rows.begin(), rows.end());
    if (m_workspace->removeRows(std::move(rows)) && m_workspace->rowCount() > 0)
        m_view->selectStoreRow(std::min(next, m_workspace->rowCount() - 1));
}

void RowActions::copyRows()
{
    const std::vector<int> rows = m_view->selectedStoreRows();
    if (rows.empty())
        return;
    if (rows.size() <= kCopyOnGuiThreadLimit)
        return QGuiApplication::clipboard()->setText(ClipboardRows::format(*m_workspace, rows));
    // Many rows make a large text: built in the thread pool from a copy, handed to the clipboard after.
    m_window->statusBar()->showMessage(tr("Copying %1 rows…").arg(QLocale().toString(qint64(rows.size()))));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, count = rows.size()] {
        watcher->deleteLater();
        QGuiApplication::clipboard()->setText(watcher->future().result());
        m_window->statusBar()->showMessage(tr("Copied %1 rows.").arg(QLocale().toString(qint64(count))), 5000);
    });
    watcher->setFuture(QtConcurrent::run([store = m_workspace->store(), bad = m_workspace->badExplicitHashKeys(), rows] {
        return ClipboardRows::format(store, bad, rows);
    }));
}

void RowActions::pasteRows()
{
    pasteText(QGuiApplication::clipboard()->text());
}

void RowActions::pasteText(const QString &text)
{
    if (text.trimmed().isEmpty() || m_workspace->isLocked())
        return;
    // Parsing a large clipboard may take a while: in the thread pool.
    auto *watcher = new QFutureWatcher<std::vector<RowContent>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        std::vector<RowContent> rows = watcher->future().takeResult();
        if (rows.empty() || m_workspace->isLocked())
            return;
        const int current = m_view->currentStoreRow();
        const int count = int(rows.size());
        const int at = current >= 0 ? current + 1 : m_workspace->rowCount();
        const QString n = QLocale().toString(count);
        if (m_workspace->insertRows(at, std::move(rows), (count == 1 ? tr("Paste 1 row") : tr("Paste %1 rows").arg(n)))) {
            m_view->selectStoreRow(at);
            m_window->statusBar()->showMessage((count == 1 ? tr("Pasted 1 row.") : tr("Pasted %1 rows.").arg(n)), 5000);
        }
    });
    watcher->setFuture(QtConcurrent::run([text] {
        return ClipboardRows::parse(text, [] { return QUuid::createUuid().toString(QUuid::WithoutBraces); });
    }));
}

} // namespace kwb::ui
