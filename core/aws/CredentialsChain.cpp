#include "aws/CredentialsChain.h"
#include "Logging.h"


#include <algorithm>
#include <utility>

namespace kwb::aws {

namespace {


const QString kAccessKeyVariable = QStringLiteral("AWS_ACCESS_KEY_ID");
const QString kSecretVariable = QStringLiteral("AWS_SECRET_ACCESS_KEY");
const QString kTokenVariable = QStringLiteral("AWS_SESSION_TOKEN");

Error incomplete(const QString &message)
{
    return Error::config(message, QStringLiteral("IncompleteCredentials"));
}

std::optional<AwsConfigValue> nonEmpty(std::optional<AwsConfigValue> value)
{
    if (value && value->value.isEmpty())
        return std::nullopt;
    return value;
}

bool hasBlank(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSpace(); });
}

} // namespace

CredentialsChain::CredentialsChain(Environment env) : m_env(std::move(env)) {}

void CredentialsChain::setExplicitCredentials(const QString &accessKeyId, const QString &secretAccessKey,
                                              const QString &sessionToken)
{
    m_accessKeyId = accessKeyId.trimmed();
    m_secretAccessKey = secretAccessKey.trimmed();
    m_sessionToken = sessionToken.trimmed();
}

void CredentialsChain::setProfile(const QString &profile)
{
    m_profile = profile.trimmed();
}

void CredentialsChain::setProcessTimeout(std::chrono::milliseconds timeout)
{
    m_processTimeout = timeout;
}

ProfileChoice CredentialsChain::profileChoice() const
{
    return SharedConfig::chooseProfile(m_profile, m_env);
}

Result<std::optional<Credentials>> CredentialsChain::fromExplicitOrEnvironment() const
{
    if (!m_accessKeyId.isEmpty() || !m_secretAccessKey.isEmpty() || !m_sessionToken.isEmpty()) {
        if (m_accessKeyId.isEmpty() || m_secretAccessKey.isEmpty()) {
            const QString given = !m_accessKeyId.isEmpty() ? QStringLiteral("an access key id")
                : !m_secretAccessKey.isEmpty()             ? QStringLiteral("a secret access key")
                                                           : QStringLiteral("only a session token");
            return incomplete(QStringLiteral("The explicit credentials are incomplete: %1 was given, but "
                                             "both an access key id and a secret access key are needed. "
                                             "Give both, or none to use the environment or a profile")
                                  .arg(given));
        }
        Credentials credentials{m_accessKeyId, m_secretAccessKey, m_sessionToken, std::nullopt,
                                QStringLiteral("explicit")};
        qCDebug(lcCredentials) << "using" << credentials;
        return std::optional<Credentials>(std::move(credentials));
    }

    const QString accessKeyId = m_env.value(kAccessKeyVariable);
    const QString secret = m_env.value(kSecretVariable);
    if (accessKeyId.isEmpty() && secret.isEmpty())
        return std::optional<Credentials>();
    if (profileChoice().isExplicit) {
        qCDebug(lcCredentials).noquote()
            << QStringLiteral("%1/%2 ignored: a profile was chosen explicitly").arg(kAccessKeyVariable, kSecretVariable);
        return std::optional<Credentials>();
    }
    if (accessKeyId.isEmpty() || secret.isEmpty()) {
        const QString &set = accessKeyId.isEmpty() ? kSecretVariable : kAccessKeyVariable;
        const QString &missing = accessKeyId.isEmpty() ? kAccessKeyVariable : kSecretVariable;
        return incomplete(QStringLiteral("%1 is set but %2 is not. Set both, or unset both to use a "
                                         "profile from the shared files")
                              .arg(set, missing));
    }
    Credentials credentials{accessKeyId, secret, m_env.value(kTokenVariable), std::nullopt,
                            QStringLiteral("environment")};
    qCDebug(lcCredentials) << "using" << credentials;
    return std::optional<Credentials>(std::move(credentials));
}

Result<std::optional<Credentials>> CredentialsChain::fromProfile(const SharedConfig &files) const
{
    const ProfileChoice choice = profileChoice();
    if (auto exists = files.requireProfile(choice); !exists)
        return exists.error();
    const auto environmentWebIdentity = [&]() -> Result<std::optional<Credentials>> {
        if (!ProfileCredentialsProvider::environmentHasWebIdentity(m_env))
            return std::optional<Credentials>();
        auto credentials = ProfileCredentialsProvider::resolveBlocking(files, m_env, QString(), m_mfa, m_processTimeout);
        if (!credentials)
            return credentials.error();
        return std::optional<Credentials>(std::move(credentials).value());
    };
    if (!files.hasProfile(choice.name))
        return environmentWebIdentity();

    const QString &profile = choice.name;
    if (ProfileCredentialsProvider::handles(files, profile)) {
        auto credentials = ProfileCredentialsProvider::resolveBlocking(files, m_env, profile, m_mfa, m_processTimeout);
        if (!credentials)
            return credentials.error();
        return std::optional<Credentials>(std::move(credentials).value());
    }
    const auto accessKeyId = nonEmpty(files.value(profile, QStringLiteral("aws_access_key_id")));
    const auto secret = nonEmpty(files.value(profile, QStringLiteral("aws_secret_access_key")));
    if (accessKeyId && secret) {
        const auto token = files.value(profile, QStringLiteral("aws_session_token"));
        // An indented line below a key continues its value; in a key that is always a mistake.
        for (const auto &[name, setting] : {std::pair{"aws_access_key_id", accessKeyId},
                                            std::pair{"aws_secret_access_key", secret},
                                            std::pair{"aws_session_token", token}}) {
            if (setting && hasBlank(setting->value)) {
                return Error::config(QStringLiteral("The %1 of profile \"%2\" (%3) contains a blank or a line "
                                                    "break. Write the key on one line, and do not indent the "
                                                    "line after it (an indented line continues the value)")
                                         .arg(QLatin1String(name), profile, setting->location()),
                                     QStringLiteral("InvalidCredentials"));
            }
        }
        Credentials credentials{accessKeyId->value, secret->value, token ? token->value : QString(), std::nullopt,
                                QStringLiteral("profile %1 (%2)").arg(profile, accessKeyId->location())};
        qCDebug(lcCredentials) << "using" << credentials;
        return std::optional<Credentials>(std::move(credentials));
    }
    if (accessKeyId || secret) {
        const AwsConfigValue &present = accessKeyId ? *accessKeyId : *secret;
        const QString presentKey = accessKeyId ? QStringLiteral("aws_access_key_id")
                                               : QStringLiteral("aws_secret_access_key");
        const QString missingKey = accessKeyId ? QStringLiteral("aws_secret_access_key")
                                               : QStringLiteral("aws_access_key_id");
        return incomplete(QStringLiteral("The profile \"%1\" is incomplete: %2 sets %3, but neither %4 sets "
                                         "%5 for it. Add %5 to the profile, or remove %3")
                              .arg(profile, present.location(), presentKey, files.describeFiles(), missingKey));
    }

    if (const auto process = nonEmpty(files.value(profile, QStringLiteral("credential_process")))) {
        const QString what = QStringLiteral("credential_process of profile \"%1\" (%2)").arg(profile, process->location());
        auto credentials = CredentialProcess::run(process->value, what, m_env, m_processTimeout);
        if (!credentials)
            return credentials.error();
        return std::optional<Credentials>(std::move(credentials).value());
    }

    return environmentWebIdentity();
}

Result<Credentials> CredentialsChain::resolve() const
{
    auto early = fromExplicitOrEnvironment();
    if (!early)
        return early.error();
    if (early.value())
        return *std::move(early).value();

    auto files = SharedConfig::load(m_env);
    if (!files)
        return files.error();
    auto fromFiles = fromProfile(files.value());
    if (!fromFiles)
        return fromFiles.error();
    if (fromFiles.value())
        return *std::move(fromFiles).value();
    return notFoundError(files.value());
}

Error CredentialsChain::notFoundError(const SharedConfig &files) const
{
    const ProfileChoice choice = profileChoice();
    const QString environment = choice.isExplicit
        ? QStringLiteral("the environment (ignored because a profile was chosen explicitly)")
        : QStringLiteral("the environment (%1 and %2 are not set)").arg(kAccessKeyVariable, kSecretVariable);
    const QString profileState = files.hasProfile(choice.name)
        ? QStringLiteral("it has no aws_access_key_id/aws_secret_access_key and no credential_process")
        : QStringLiteral("no such profile");
    return Error::config(
        QStringLiteral("No AWS credentials found. Looked at: explicit settings (none given); %1; profile \"%2\" "
                       "in %3 (%4). To fix: set %5 and %6, run \"aws configure\"%7, or choose a profile "
                       "that has credentials")
            .arg(environment, choice.name, files.describeFiles(), profileState, kAccessKeyVariable, kSecretVariable,
                 choice.name == QLatin1String("default") ? QString()
                                                          : QStringLiteral(" --profile %1").arg(choice.name)),
        QStringLiteral("NoCredentials"));
}

} // namespace kwb::aws
