#include "aws/SharedConfig.h"

#include <algorithm>

namespace kwb::aws {

namespace {

QString describeFile(const AwsConfigFile &file)
{
    return file.exists() ? file.fileName() : file.fileName() + QStringLiteral(" (not found)");
}

} // namespace

SharedConfig::SharedConfig(AwsConfigFile configFile, AwsConfigFile credentialsFile)
    : m_config(std::move(configFile)), m_credentials(std::move(credentialsFile))
{
}

Result<AwsConfigFile> SharedConfig::loadConfigFile(const Environment &env)
{
    const QString path = env.configFilePath();
    return AwsConfigFile::load(path, AwsConfigFile::Flavor::Config,
                               path.isEmpty() ? QStringLiteral("~/.aws/config (no home directory)")
                                              : env.displayPath(path));
}

Result<AwsConfigFile> SharedConfig::loadCredentialsFile(const Environment &env)
{
    const QString path = env.credentialsFilePath();
    return AwsConfigFile::load(path, AwsConfigFile::Flavor::Credentials,
                               path.isEmpty() ? QStringLiteral("~/.aws/credentials (no home directory)")
                                              : env.displayPath(path));
}

Result<SharedConfig> SharedConfig::load(const Environment &env)
{
    auto credentials = loadCredentialsFile(env);
    if (!credentials)
        return credentials.error();
    auto config = loadConfigFile(env);
    if (!config)
        return config.error();
    return SharedConfig(std::move(config).value(), std::move(credentials).value());
}

ProfileChoice SharedConfig::chooseProfile(const QString &explicitProfile, const Environment &env)
{
    const QString trimmed = explicitProfile.trimmed();
    if (!trimmed.isEmpty())
        return ProfileChoice{trimmed, QStringLiteral("explicit setting"), true, true};
    const QString fromEnv = env.value(QStringLiteral("AWS_PROFILE"));
    if (!fromEnv.isEmpty())
        return ProfileChoice{fromEnv, QStringLiteral("AWS_PROFILE"), true, false};
    return ProfileChoice{QStringLiteral("default"), QStringLiteral("default"), false, false};
}

QStringList SharedConfig::profileNames() const
{
    QStringList names = m_credentials.profileNames();
    for (const QString &name : m_config.profileNames()) {
        if (!names.contains(name))
            names.append(name);
    }
    const bool hasDefault = names.removeAll(QStringLiteral("default")) > 0;
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const int folded = a.compare(b, Qt::CaseInsensitive);
        return folded != 0 ? folded < 0 : a < b;
    });
    if (hasDefault)
        names.prepend(QStringLiteral("default"));
    return names;
}

bool SharedConfig::hasProfile(const QString &name) const
{
    return m_credentials.profile(name) || m_config.profile(name);
}

std::optional<AwsConfigValue> SharedConfig::value(const QString &profile, const QString &key) const
{
    if (auto fromCredentials = m_credentials.value(profile, key))
        return fromCredentials;
    return m_config.value(profile, key);
}

std::optional<AwsConfigValue> SharedConfig::serviceValue(const QString &profile, const QString &service,
                                                         const QString &key) const
{
    const auto servicesName = m_config.value(profile, QStringLiteral("services"));
    if (!servicesName || servicesName->value.isEmpty())
        return std::nullopt;
    const AwsConfigSection *section = m_config.section(QStringLiteral("services"), servicesName->value);
    if (!section)
        return std::nullopt;
    const auto sub = section->subSections.constFind(service);
    if (sub == section->subSections.constEnd())
        return std::nullopt;
    const auto it = sub->constFind(key);
    if (it == sub->constEnd())
        return std::nullopt;
    return *it;
}

Result<void> SharedConfig::requireProfile(const ProfileChoice &choice) const
{
    if (!choice.named || hasProfile(choice.name))
        return {};

    QString message = QStringLiteral("The AWS profile \"%1\" (from %2) is in neither %3 nor %4.")
                          .arg(choice.name, choice.source, describeFile(m_credentials), describeFile(m_config));
    // The usual mistake: the config file needs "[profile x]", the credentials file plain "[x]".
    if (const AwsConfigSection *bare = m_config.section(choice.name, QString())) {
        message += QStringLiteral(" %1:%2 has [%3], but in the config file a profile is written "
                                  "[profile %3].")
                       .arg(m_config.fileName())
                       .arg(bare->line)
                       .arg(choice.name);
    }
    if (const AwsConfigSection *prefixed = m_credentials.profile(QStringLiteral("profile ") + choice.name)) {
        message += QStringLiteral(" %1:%2 has [profile %3], but in the credentials file a profile is "
                                  "written [%3].")
                       .arg(m_credentials.fileName())
                       .arg(prefixed->line)
                       .arg(choice.name);
    }
    const QStringList known = profileNames();
    message += known.isEmpty() ? QStringLiteral(" No profiles are defined.")
                               : QStringLiteral(" Known profiles: %1.").arg(known.join(QStringLiteral(", ")));
    message += QStringLiteral(" Check the profile name, or add [profile %1] to %2 or [%1] to %3.")
                   .arg(choice.name, m_config.fileName(), m_credentials.fileName());
    return Error::config(message, QStringLiteral("ProfileNotFound"));
}

QString SharedConfig::describeFiles() const
{
    return QStringLiteral("%1 and %2").arg(describeFile(m_credentials), describeFile(m_config));
}

} // namespace kwb::aws
