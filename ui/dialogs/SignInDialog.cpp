#include "dialogs/SignInDialog.h"

#include "aws/SsoLogin.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {

std::function<void(const QUrl &)> &browserOpener()
{
    static std::function<void(const QUrl &)> opener = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    return opener;
}

} // namespace

void SignInDialog::setBrowserOpener(std::function<void(const QUrl &)> opener)
{
    browserOpener() = opener ? std::move(opener) : [](const QUrl &url) { QDesktopServices::openUrl(url); };
}

SignInDialog::SignInDialog(aws::SharedConfig files, aws::Environment environment, QString profile, QWidget *parent)
    : QDialog(parent)
    , m_files(std::move(files))
    , m_env(std::move(environment))
    , m_profile(std::move(profile))
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign in — %1").arg(m_profile));
    auto *layout = new QVBoxLayout(this);
    m_intro = new QLabel(tr("Signing in to IAM Identity Center for profile <b>%1</b>. Your browser opens the sign-in "
                            "page; check that it shows the code below, then approve.")
                             .arg(m_profile.toHtmlEscaped()),
                         this);
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);

    auto *form = new QFormLayout;
    m_code = new QLineEdit(this);
    m_code->setObjectName(QStringLiteral("userCode"));
    m_code->setReadOnly(true);
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_code->setFont(big);
    form->addRow(tr("Code:"), m_code);
    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("verificationUrl"));
    m_link->setReadOnly(true);
    form->addRow(tr("Page:"), m_link);
    layout->addLayout(form);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("signInStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_open = buttons->addButton(tr("Open the page again"), QDialogButtonBox::ActionRole);
    m_open->setObjectName(QStringLiteral("openPage"));
    m_open->setEnabled(false);
    m_retry = buttons->addButton(tr("Try again"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retrySignIn"));
    m_retry->setVisible(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_url.isValid())
            browserOpener()(m_url);
    });
    connect(m_retry, &QPushButton::clicked, this, &SignInDialog::start);
    setMinimumWidth(460);
}

SignInDialog::~SignInDialog() = default;

QString SignInDialog::userCode() const
{
    return m_code->text();
}

QString SignInDialog::statusText() const
{
    return m_status->text();
}

void SignInDialog::start()
{
    if (m_login)
        m_login->deleteLater();
    m_login = new aws::SsoLogin(m_files, m_env, this);
    m_retry->setVisible(false);
    m_code->clear();
    m_link->clear();
    m_status->setText(tr("Contacting IAM Identity Center…"));
    m_login->start(
        m_profile,
        [this](const aws::SsoLoginPrompt &prompt) {
            m_url = QUrl(prompt.verificationUriComplete);
            m_code->setText(prompt.userCode);
            m_link->setText(prompt.verificationUriComplete);
            m_open->setEnabled(true);
            const int minutes = (prompt.expiresInSeconds + 59) / 60;
            m_status->setText(minutes == 1 ? tr("Waiting for you to approve the sign-in in the browser (the code is valid "
                                                "for 1 minute)…")
                                           : tr("Waiting for you to approve the sign-in in the browser (the code is valid "
                                                "for %1 minutes)…").arg(minutes));
            browserOpener()(m_url);
        },
        [this](Result<void> result) {
            if (result.ok()) {
                m_status->setText(tr("Signed in."));
                accept();
                return;
            }
            if (result.error().kind == Error::Kind::Cancelled)
                return;
            m_status->setText(result.error().message);
            m_open->setEnabled(false);
            m_retry->setVisible(true);
        });
}

void SignInDialog::reject()
{
    if (m_login && m_login->isRunning())
        m_login->cancel();
    QDialog::reject();
}

} // namespace kwb::ui
