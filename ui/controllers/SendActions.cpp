#include "controllers/SendActions.h"

#include "controllers/ConnectionController.h"
#include "dialogs/Confirmation.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/RecordsView.h"

#include <QLocale>
#include <QMainWindow>
#include <QStatusBar>

#include <numeric>

namespace kwb::ui {

SendActions::SendActions(const Parts &parts)
    : QObject(parts.window)
    , m_window(parts.window)
    , m_sender(parts.sender)
    , m_connection(parts.connection)
    , m_workspace(parts.workspace)
    , m_model(parts.model)
    , m_view(parts.view)
    , m_banner(parts.banner)
{
    connect(m_sender, &SendController::runningChanged, this, [this](bool running) {
        // "A send is already running" is about this send: gone with it.
        if (!running && !m_refusal.isEmpty() && m_banner->text().endsWith(m_refusal))
            m_banner->clear();
    });
    connect(m_sender, &SendController::refused, this, [this](const QString &why) {
        m_refusal = why;
        m_banner->showMessage(Banner::Kind::Warning, why);
    });
    connect(m_sender, &SendController::finished, this, [this](const send::SendCounters &c) {
        const QLocale locale;
        m_window->statusBar()->showMessage(tr("Send finished: %1 succeeded, %2 failed, %3 throttled answers, in %4 s")
                                               .arg(locale.toString(c.succeeded), locale.toString(c.failed), locale.toString(c.throttled))
                                               .arg(double(c.elapsedMs) / 1000.0, 0, 'f', 1),
                                           10000);
        if (!m_model->isIdentity())
            m_model->refresh();
    });
}

void SendActions::sendAll()
{
    std::vector<int> rows(size_t(m_workspace->rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    sendAsked(std::move(rows), false);
}

void SendActions::sendSelected()
{
    std::vector<int> rows = m_view->selectedStoreRows();
    if (!rows.empty())
        sendAsked(std::move(rows), true);
}

void SendActions::retryFailed()
{
    carryOut(m_sender->decideRetry(productionTarget()));
}

void SendActions::sendAsked(std::vector<int> rows, bool selected)
{
    carryOut(m_sender->decideSend(std::move(rows), selected, productionTarget()));
}

QString SendActions::productionTarget() const
{
    const ConnectionTarget &target = m_connection->target();
    return target.production ? target.label() : QString();
}

void SendActions::carryOut(SendDecision decision)
{
    const QString question = decision.question;
    auto go = [this, decision = std::move(decision)]() mutable {
        const QString note = decision.note;
        m_sender->carryOut(std::move(decision));
        if (!note.isEmpty())
            m_window->statusBar()->showMessage(note, 10000);
    };
    if (question.isEmpty())
        return go();
    Confirmation::ask(m_window, question, std::move(go));
}

} // namespace kwb::ui
