#pragma once

#include "aws/Environment.h"
#include "aws/SharedConfig.h"

#include <QDialog>
#include <QUrl>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace kwb::aws {
class SsoLogin;
}

namespace kwb::ui {

/// "Sign in" for an IAM Identity Center profile: runs the device authorization flow
/// (aws::SsoLogin), opens the verification page in the browser, shows the code the page must
/// show, and waits, polling with timers, until the sign-in is approved (accept()), fails (the
/// problem is shown, Try again) or the user cancels. The token lands in the AWS CLI's cache.
/// Opened with open(); never blocks. GUI thread.
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    SignInDialog(aws::SharedConfig files, aws::Environment environment, QString profile, QWidget *parent = nullptr);
    ~SignInDialog() override;

    /// Test hook: replaces opening the browser (QDesktopServices::openUrl) for every dialog.
    static void setBrowserOpener(std::function<void(const QUrl &)> opener);

    QString userCode() const;
    QString statusText() const;

public Q_SLOTS:
    /// Starts (again) signing in.
    void start();
    void reject() override;

private:
    aws::SharedConfig m_files;
    aws::Environment m_env;
    QString m_profile;
    aws::SsoLogin *m_login = nullptr;
    QUrl m_url;
    QLabel *m_intro = nullptr;
    QLineEdit *m_code = nullptr;
    QLineEdit *m_link = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_retry = nullptr;
};

} // namespace kwb::ui
