#pragma once

#include "aws/ProfileCredentialsProvider.h"

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace kwb::ui {

/// Asks for the one-time code of an MFA device when a role profile has mfa_serial: names the
/// profile, the device and the role; accepts 6 digits. The code is never stored or logged.
/// Opened with open(); the answer arrives through codeEntered() or rejected(). GUI thread.
class MfaDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MfaDialog(const aws::MfaPrompt &prompt, QWidget *parent = nullptr);

    QString code() const;

Q_SIGNALS:
    void codeEntered(const QString &code);

private:
    QLineEdit *m_code = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace kwb::ui
