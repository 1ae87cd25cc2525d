#pragma once

#include "aws/Credentials.h"
#include "controllers/ConnectionTarget.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace kwb::ui {

/// Adds or edits a custom endpoint: a name, the URL, the region, and where credentials come
/// from (the AWS chain, optionally a profile; or keys typed here, which the window puts into
/// the system keychain — this dialog keeps them only until it closes), and whether the target
/// is production. The URL is checked as you type. Opened with open(); read target() and
/// typedKeys() after accepted(). GUI thread.
class CustomEndpointDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CustomEndpointDialog(const QStringList &profiles, QWidget *parent = nullptr);

    /// Fills the form from an existing target (keys are never shown; leave them empty to keep them).
    void setTarget(const ConnectionTarget &target);
    ConnectionTarget target() const;
    /// Keys typed into the form; empty when the chain is used or the fields were left empty.
    aws::Credentials typedKeys() const;

    QLineEdit *urlEdit() const { return m_url; }

protected:
    void done(int result) override;

private:
    void validate();

    ConnectionTarget m_target;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_urlProblem = nullptr;
    QComboBox *m_region = nullptr;
    QRadioButton *m_chain = nullptr;
    QComboBox *m_profile = nullptr;
    QRadioButton *m_keys = nullptr;
    QLineEdit *m_accessKey = nullptr;
    QLineEdit *m_secret = nullptr;
    QLineEdit *m_token = nullptr;
    QLabel *m_keysNote = nullptr;
    QCheckBox *m_production = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace kwb::ui
