#include "controllers/SignInController.h"

#include "controllers/ConnectionController.h"
#include "controllers/SendController.h"
#include "dialogs/MfaDialog.h"
#include "dialogs/SignInDialog.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"

namespace kwb::ui {

SignInController::SignInController(ConnectionController *connection, ConnectionBar *bar, Banner *banner,
                                   SendController *sender, QWidget *window)
    : QObject(window)
    , m_connection(connection)
    , m_bar(bar)
    , m_banner(banner)
    , m_sender(sender)
    , m_window(window)
{
    connect(m_bar, &ConnectionBar::signInRequested, this, &SignInController::signIn);
    connect(m_bar, &ConnectionBar::whoAmIRequested, this, &SignInController::whoAmI);
    connect(m_connection, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
        m_bar->setWhoAmIEnabled(state == ConnectionController::State::Connected);
        m_bar->setSignInOffered(state == ConnectionController::State::Failed
                                && m_connection->problemCode() == QLatin1String("SsoLoginRequired"));
    });
    // After the window's own handler, so that the banner offers signing in rather than Try again.
    connect(m_connection, &ConnectionController::connectionFailed, this, [this](const QString &problem) {
        if (m_connection->problemCode() != QLatin1String("SsoLoginRequired"))
            return;
        const ConnectionTarget target = m_connection->target();
        m_banner->showMessage(Banner::Kind::Error, problem, tr("Sign in…"), [this, target] { signIn(target); });
    });
    if (m_sender)
        connect(m_sender, &SendController::resumed, this, [this](int rows) {
            m_banner->showMessage(Banner::Kind::Info, tr("Signed in again: the paused send goes on with %Ln rows.", nullptr, rows));
        });
    m_connection->setMfaPrompter([this](const aws::MfaPrompt &prompt, std::function<void(std::optional<QString>)> answer) {
        auto *dialog = new MfaDialog(prompt, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        auto answered = std::make_shared<bool>(false);
        connect(dialog, &MfaDialog::codeEntered, this, [answer, answered](const QString &code) {
            *answered = true;
            answer(code);
        });
        connect(dialog, &QDialog::finished, this, [answer, answered] {
            if (!*answered)
                answer(std::nullopt);
        });
        dialog->open();
    });
    connect(m_connection, &ConnectionController::credentialsExpiring, this, [this](const QString &code, const QString &message) {
        const ConnectionTarget target = m_connection->target();
        const bool running = m_sender && m_sender->isRunning();
        if (running)
            m_sender->pause(); // before the credentials expire: no row fails because of them
        const bool sso = code == QLatin1String("SsoLoginRequired");
        const QString text = !running ? tr("The credentials will expire soon and cannot be renewed: %1").arg(message)
                             : sso    ? tr("The send is paused: %1 Rows not sent yet wait, and none has failed; the send "
                                           "goes on by itself once you have signed in again.").arg(message)
                                      : tr("The send is paused: %1 Rows not sent yet wait, and none has failed; the send "
                                           "goes on by itself once connected again.").arg(message);
        if (sso)
            m_banner->showMessage(Banner::Kind::Warning, text, tr("Sign in…"), [this, target] { signIn(target); });
        else
            m_banner->showMessage(Banner::Kind::Warning, text, tr("Connect again"),
                                  [this, target] { m_connection->connectTo(target); });
    });
}

void SignInController::signIn(const ConnectionTarget &target)
{
    auto files = aws::SharedConfig::load(m_connection->environment());
    if (!files) {
        m_banner->showMessage(Banner::Kind::Error, files.error().message);
        return;
    }
    auto *dialog = new SignInDialog(files.value(), m_connection->environment(), target.profile, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, target] {
        m_banner->clear();
        m_connection->connectTo(target);
    });
    dialog->open();
    dialog->start();
}

void SignInController::whoAmI()
{
    m_connection->whoAmI([this](Result<aws::CallerIdentity> identity) {
        if (!identity) {
            const QString text = tr("Who am I? failed: %1").arg(identity.error().message);
            m_banner->showMessage(Banner::Kind::Error, text);
            Q_EMIT identityShown(text);
            return;
        }
        const QString text = tr("Account %1 · %2").arg(identity.value().account, identity.value().arn);
        m_banner->showMessage(Banner::Kind::Info, text);
        Q_EMIT identityShown(text);
    });
}

} // namespace kwb::ui
