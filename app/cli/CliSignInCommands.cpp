// kwb whoami, kwb sso login, MFA codes from the terminal and the refresh of temporary
// credentials during long runs: the sign-in half of the command line (see Cli.h).
#include "Cli.h"

#include "aws/ConnectionSettings.h"
#include "aws/CredentialsRefresher.h"
#include "aws/ProfileCredentialsProvider.h"
#include "aws/ServiceEndpoints.h"
#include "aws/SsoLogin.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace kwb::cli {

namespace {

// Reads one line from the terminal; the prompt goes to stderr so stdout stays clean.
std::optional<QString> askOnTerminal(const aws::MfaPrompt &prompt)
{
    if (!::isatty(STDIN_FILENO))
        return std::nullopt;
    QTextStream(stderr) << QStringLiteral("MFA code for %1 (profile %2): ").arg(prompt.serialNumber, prompt.profile)
                        << Qt::flush;
    char line[64] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return std::nullopt;
    return QString::fromLatin1(line).trimmed();
}

} // namespace

aws::MfaCodeProvider Cli::mfaCodeProvider() const
{
    const QString given = m_mfaCode;
    if (given.isEmpty() && !::isatty(STDIN_FILENO))
        return {}; // nobody to ask: profiles with mfa_serial fail with MfaRequired, naming --mfa-code
    return [given](const aws::MfaPrompt &prompt, std::function<void(std::optional<QString>)> answer) {
        if (!given.isEmpty())
            return answer(given);
        answer(askOnTerminal(prompt));
    };
}

void Cli::startRefreshing(const aws::Credentials &credentials)
{
    if (!credentials.expiration)
        return;
    const aws::Environment env = aws::Environment::system();
    const QString profile = aws::SharedConfig::chooseProfile(m_profile, env).name;
    m_refresher = std::make_unique<aws::CredentialsRefresher>([this, env, profile](auto done) {
        auto files = aws::SharedConfig::load(env);
        if (!files)
            return done(files.error());
        auto *provider = new aws::ProfileCredentialsProvider(files.value(), env, this);
        provider->setMfaCodeProvider(mfaCodeProvider());
        auto finished = [provider, done](Result<aws::Credentials> result) {
            provider->deleteLater();
            done(std::move(result));
        };
        if (files.value().hasProfile(profile))
            provider->resolve(profile, finished);
        else
            provider->resolveEnvironmentWebIdentity(finished);
    });
    connect(m_refresher.get(), &aws::CredentialsRefresher::credentialsRefreshed, this, [this](const aws::Credentials &fresh) {
        if (m_client)
            m_client->setCredentials(fresh);
    });
    connect(m_refresher.get(), &aws::CredentialsRefresher::refreshFailed, this, [this](const QString &, const QString &message) {
        m_out.error(QStringLiteral("the credentials could not be refreshed before they expire: %1").arg(message));
    });
    m_refresher->track(credentials);
}

void Cli::runWhoAmI(QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("'whoami' takes no arguments"));
    auto *c = client();
    if (!c)
        return;
    const aws::Environment env = aws::Environment::system();
    auto files = aws::SharedConfig::load(env);
    if (!files)
        return fail(files.error());
    const QString profile = aws::SharedConfig::chooseProfile(m_profile, env).name;
    aws::Environment stsEnv = env;
    // The built-in sandbox serves STS on the same endpoint: an explicit --endpoint-url counts for STS
    // too, unless STS has an endpoint of its own.
    if (!m_endpointUrl.isEmpty() && env.value(QStringLiteral("AWS_ENDPOINT_URL_STS")).isEmpty())
        stsEnv.variables.insert(QStringLiteral("AWS_ENDPOINT_URL_STS"), m_endpointUrl);
    auto *provider = new aws::ProfileCredentialsProvider(files.value(), stsEnv, this);
    provider->whoAmI(profile, c->options().credentials, [this, provider, c](Result<aws::CallerIdentity> identity) {
        provider->deleteLater();
        if (!identity)
            return fail(identity.error());
        if (m_out.format() == OutputFormat::Json) {
            m_out.json(QJsonObject{{QStringLiteral("Account"), identity.value().account},
                                   {QStringLiteral("Arn"), identity.value().arn},
                                   {QStringLiteral("UserId"), identity.value().userId},
                                   {QStringLiteral("CredentialsFrom"), c->options().credentials.source}});
        } else {
            m_out.table({QStringLiteral("ACCOUNT"), QStringLiteral("ARN"), QStringLiteral("CREDENTIALS FROM")},
                        {{identity.value().account, identity.value().arn, c->options().credentials.source}});
        }
        finish(ExitOk);
    });
}

void Cli::runSsoLogin(QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments().mid(1);
    if (args != QStringList{QStringLiteral("login")})
        return usageError(QStringLiteral("use 'kwb sso login --profile PROFILE'"));
    const aws::Environment env = aws::Environment::system();
    auto files = aws::SharedConfig::load(env);
    if (!files)
        return fail(files.error());
    const aws::ProfileChoice choice = aws::SharedConfig::chooseProfile(m_profile, env);
    if (auto exists = files.value().requireProfile(choice); !exists)
        return fail(exists.error());
    const bool openBrowser = !parser.isSet(QStringLiteral("no-browser"));
    auto *login = new aws::SsoLogin(files.value(), env, this);
    login->start(
        choice.name,
        [this, openBrowser](const aws::SsoLoginPrompt &prompt) {
            QTextStream err(stdout);
            err << QStringLiteral("To sign in for profile %1, open this page in a browser:\n\n    %2\n\nand check that "
                                  "it shows the code\n\n    %3\n\nWaiting for the sign-in to be approved (Ctrl+C to stop)...\n")
                       .arg(prompt.profile, prompt.verificationUriComplete, prompt.userCode)
                << Qt::flush;
            const QString opener = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
            if (openBrowser && !opener.isEmpty())
                QProcess::startDetached(opener, {prompt.verificationUriComplete});
        },
        [this, login, name = choice.name](Result<void> result) {
            login->deleteLater();
            if (!result)
                return fail(result.error());
            m_out.line(QStringLiteral("Signed in for profile %1. The AWS CLI shares this sign-in.").arg(name));
            finish(ExitOk);
        });
}

} // namespace kwb::cli
