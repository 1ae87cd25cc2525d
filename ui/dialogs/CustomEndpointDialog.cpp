#include "dialogs/CustomEndpointDialog.h"

#include "aws/ConnectionSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QUrl>
#include <QVBoxLayout>

namespace kwb::ui {

CustomEndpointDialog::CustomEndpointDialog(const QStringList &profiles, QWidget *parent)
    : QDialog(parent)
    , m_target(ConnectionTarget::newCustom())
{
    setObjectName(QStringLiteral("customEndpointDialog"));
    setWindowTitle(tr("Custom endpoint"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("local kinesalite"));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:4567"));
    m_urlProblem = new QLabel(this);
    m_urlProblem->setObjectName(QStringLiteral("urlProblem"));
    m_urlProblem->setWordWrap(true);
    m_region = new QComboBox(this);
    m_region->setObjectName(QStringLiteral("region"));
    m_region->setEditable(true);
    m_region->addItems({QStringLiteral("us-east-1"), QStringLiteral("us-east-2"), QStringLiteral("us-west-2"),
                        QStringLiteral("eu-west-1"), QStringLiteral("eu-central-1"), QStringLiteral("ap-southeast-2"),
                        QStringLiteral("ap-northeast-1")});
    m_region->setToolTip(tr("The region used for signing; local emulators accept any"));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&URL"), m_url);
    form->addRow(QString(), m_urlProblem);
    form->addRow(tr("&Region"), m_region);
    layout->addLayout(form);

    auto *credentials = new QGroupBox(tr("Credentials"), this);
    auto *credentialsLayout = new QFormLayout(credentials);
    m_chain = new QRadioButton(tr("From the AWS credential chain"), credentials);
    m_chain->setObjectName(QStringLiteral("useChain"));
    m_chain->setToolTip(tr("Environment variables, then ~/.aws/credentials and ~/.aws/config (the profile below, or "
                           "AWS_PROFILE, or default). Local emulators get placeholder keys when none are found."));
    m_profile = new QComboBox(credentials);
    m_profile->setObjectName(QStringLiteral("profile"));
    m_profile->addItem(tr("(default chain)"), QString());
    for (const QString &p : profiles)
        m_profile->addItem(p, p);
    m_keys = new QRadioButton(tr("Keys entered here, kept in the system keychain"), credentials);
    m_keys->setObjectName(QStringLiteral("useKeys"));
    m_accessKey = new QLineEdit(credentials);
    m_accessKey->setObjectName(QStringLiteral("accessKeyId"));
    m_secret = new QLineEdit(credentials);
    m_secret->setObjectName(QStringLiteral("secretAccessKey"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_token = new QLineEdit(credentials);
    m_token->setObjectName(QStringLiteral("sessionToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("optional"));
    m_keysNote = new QLabel(tr("Keys go to the system keychain only: never into settings files, workspaces or logs."),
                            credentials);
    m_keysNote->setWordWrap(true);
    credentialsLayout->addRow(m_chain);
    credentialsLayout->addRow(tr("&Profile"), m_profile);
    credentialsLayout->addRow(m_keys);
    credentialsLayout->addRow(tr("&Access key ID"), m_accessKey);
    credentialsLayout->addRow(tr("S&ecret access key"), m_secret);
    credentialsLayout->addRow(tr("Session &token"), m_token);
    credentialsLayout->addRow(m_keysNote);
    layout->addWidget(credentials);

    m_production = new QCheckBox(tr("This is a &production target (ask before sending)"), this);
    m_production->setObjectName(QStringLiteral("production"));
    layout->addWidget(m_production);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Connect"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_url, m_accessKey, m_secret, m_token})
        connect(edit, &QLineEdit::textChanged, this, &CustomEndpointDialog::validate);
    connect(m_chain, &QRadioButton::toggled, this, &CustomEndpointDialog::validate);
    connect(m_region, &QComboBox::currentTextChanged, this, &CustomEndpointDialog::validate);
    m_chain->setChecked(true);
    validate();
}

void CustomEndpointDialog::setTarget(const ConnectionTarget &target)
{
    m_target = target;
    m_name->setText(target.name);
    m_url->setText(target.endpointUrl);
    m_region->setCurrentText(target.region.isEmpty() ? QStringLiteral("us-east-1") : target.region);
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(target.profile)));
    (target.keysInKeychain ? m_keys : m_chain)->setChecked(true);
    if (target.keysInKeychain)
        m_accessKey->setPlaceholderText(tr("kept in the keychain; type to replace"));
    m_production->setChecked(target.production);
    validate();
}

ConnectionTarget CustomEndpointDialog::target() const
{
    ConnectionTarget t = m_target;
    t.kind = ConnectionTarget::Kind::Custom;
    t.endpointUrl = m_url->text().trimmed();
    const QUrl url(t.endpointUrl);
    t.name = m_name->text().trimmed().isEmpty() ? url.host() + (url.port() > 0 ? QStringLiteral(":%1").arg(url.port()) : QString())
                                                : m_name->text().trimmed();
    t.region = m_region->currentText().trimmed();
    t.profile = m_chain->isChecked() ? m_profile->currentData().toString() : QString();
    t.keysInKeychain = m_keys->isChecked();
    t.production = m_production->isChecked();
    return t;
}

aws::Credentials CustomEndpointDialog::typedKeys() const
{
    if (!m_keys->isChecked() || m_accessKey->text().trimmed().isEmpty())
        return {};
    return aws::Credentials{m_accessKey->text().trimmed(), m_secret->text(), m_token->text().trimmed(), std::nullopt,
                            QStringLiteral("keychain")};
}

void CustomEndpointDialog::validate()
{
    const auto url = aws::validateEndpointUrl(m_url->text().trimmed(), tr("the URL"));
    const bool urlOk = url.ok();
    m_urlProblem->setText(m_url->text().trimmed().isEmpty() ? tr("http://host:port or https://host")
                          : urlOk                             ? (aws::isAwsEndpoint(url.value()) ? tr("An AWS endpoint.")
                                                                                                : tr("A local or private endpoint."))
                                                              : url.error().message);
    const bool keys = m_keys->isChecked();
    for (QWidget *w : std::initializer_list<QWidget *>{m_accessKey, m_secret, m_token})
        w->setEnabled(keys);
    m_profile->setEnabled(!keys);
    // New keys need both halves; an existing keychain target may keep its stored keys.
    const bool typed = !m_accessKey->text().trimmed().isEmpty() || !m_secret->text().isEmpty();
    const bool keysOk = !keys || (typed ? !m_accessKey->text().trimmed().isEmpty() && !m_secret->text().isEmpty()
                                        : m_target.keysInKeychain);
    m_ok->setEnabled(urlOk && keysOk && !m_region->currentText().trimmed().isEmpty());
}

void CustomEndpointDialog::done(int result)
{
    QDialog::done(result);
    if (result != QDialog::Accepted) {
        // Nothing typed stays in memory longer than needed.
        m_secret->clear();
        m_token->clear();
    }
}

} // namespace kwb::ui
