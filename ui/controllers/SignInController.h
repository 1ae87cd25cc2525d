#pragma once

#include "controllers/ConnectionTarget.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace kwb::ui {

class Banner;
class ConnectionBar;
class ConnectionController;
class SendController;

/// The sign-in half of the connection UI: "Sign in…" for SSO profiles (SignInDialog, then the
/// connection is made again), MFA codes asked in an MfaDialog when a role needs one, "Who am I?"
/// (the account and ARN in the banner), and an SSO sign-in that ends during a send: the send
/// stops starting requests before the credentials expire (rows not sent stay pending) and the
/// banner says so with a Sign in action. Only connects and opens dialogs (with open(), never
/// exec()). Created by the window; GUI thread.
class SignInController : public QObject
{
    Q_OBJECT
public:
    SignInController(ConnectionController *connection, ConnectionBar *bar, Banner *banner, SendController *sender,
                     QWidget *window);

    /// Opens the sign-in dialog for `target` (an SSO profile).
    void signIn(const ConnectionTarget &target);
    void whoAmI();

Q_SIGNALS:
    /// "Account 111122223333 · arn:aws:sts::..." or the problem; for tests and the status bar.
    void identityShown(const QString &text);

private:
    ConnectionController *m_connection;
    ConnectionBar *m_bar;
    Banner *m_banner;
    SendController *m_sender;
    QWidget *m_window;
};

} // namespace kwb::ui
