#include "dialogs/MfaDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace kwb::ui {

MfaDialog::MfaDialog(const aws::MfaPrompt &prompt, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("mfaDialog"));
    setWindowTitle(tr("MFA code — %1").arg(prompt.profile));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("Profile <b>%1</b> assumes the role <tt>%2</tt> with an MFA device. Enter the current "
                               "code of <tt>%3</tt>:")
                                .arg(prompt.profile.toHtmlEscaped(), prompt.roleArn.toHtmlEscaped(),
                                     prompt.serialNumber.toHtmlEscaped()),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_code = new QLineEdit(this);
    m_code->setObjectName(QStringLiteral("mfaCode"));
    m_code->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,6}")), m_code));
    m_code->setPlaceholderText(QStringLiteral("123456"));
    layout->addWidget(m_code);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_code, &QLineEdit::textChanged, this, [this](const QString &code) { m_ok->setEnabled(code.size() == 6); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        Q_EMIT codeEntered(code());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &MfaDialog::reject);
}

QString MfaDialog::code() const
{
    return m_code->text();
}

} // namespace kwb::ui
