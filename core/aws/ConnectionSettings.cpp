#include "aws/ConnectionSettings.h"
#include "Logging.h"

#include "aws/CredentialsChain.h"
#include "aws/SharedConfig.h"

#include <QRegularExpression>

namespace kwb::aws {

namespace {


const QString kExplicit = QStringLiteral("explicit setting");
const QString kPlaceholder = QStringLiteral("placeholder for a local endpoint");

// Values from a file may have continuation lines (an indented line below a key continues its
// value), which can be anything, a secret too: messages quote the first line only.
QString shortened(const QString &text, qsizetype maxLength = 64)
{
    QString shown = text.section(QLatin1Char('\n'), 0, 0);
    if (shown.size() > maxLength)
        shown = shown.left(maxLength) + QStringLiteral("...");
    else if (shown.size() < text.size())
        shown += QStringLiteral("...");
    return shown;
}

QString given(const std::optional<QString> &option)
{
    return option ? option->trimmed() : QString();
}

/// Reads the shared files on first use only, so that a broken ~/.aws/config does not stand in the
/// way of settings given entirely by flags or the environment.
class LazySharedConfig
{
public:
    explicit LazySharedConfig(const Environment &env) : m_env(env) {}

    const Result<SharedConfig> &get()
    {
        if (!m_loaded)
            m_loaded.emplace(SharedConfig::load(m_env));
        return *m_loaded;
    }

    /// The named profile's `key`, after checking that a named profile exists.
    Result<std::optional<AwsConfigValue>> profileValue(const ProfileChoice &choice, const QString &key)
    {
        const auto &files = get();
        if (!files)
            return files.error();
        if (auto exists = files.value().requireProfile(choice); !exists)
            return exists.error();
        auto value = files.value().value(choice.name, key);
        if (value && value->value.isEmpty())
            value.reset();
        return value;
    }

private:
    const Environment &m_env;
    std::optional<Result<SharedConfig>> m_loaded;
};

QString profileSource(const ProfileChoice &choice, const AwsConfigValue &value)
{
    return QStringLiteral("profile %1 (%2)").arg(choice.name, value.location());
}

Result<SettingValue> validRegion(const QString &region, const QString &source)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    if (region.size() <= 64 && pattern.match(region).hasMatch())
        return SettingValue{region, source};
    const QString shown = shortened(region);
    return Error::config(QStringLiteral("The region \"%1\" (from %2) is not a region name such as "
                                        "eu-west-1: use lower-case letters, digits and hyphens only%3")
                             .arg(shown, source,
                                  region.contains(QLatin1Char('\n'))
                                      ? QStringLiteral(" (an indented line below the key continues its value: "
                                                       "remove the indentation)")
                                  : region.contains(QLatin1Char('#')) || region.contains(QLatin1Char(';'))
                                      ? QStringLiteral(" (comments must be on a line of their own)")
                                      : QString()),
                         QStringLiteral("InvalidRegion"));
}

Result<std::optional<SettingValue>> regionFrom(const ConnectionOptions &options, const Environment &env,
                                               const ProfileChoice &choice, LazySharedConfig &files)
{
    const auto found = [](Result<SettingValue> value) -> Result<std::optional<SettingValue>> {
        if (!value)
            return value.error();
        return std::optional<SettingValue>(std::move(value).value());
    };
    if (const QString region = given(options.region); !region.isEmpty())
        return found(validRegion(region, kExplicit));
    for (const QString &variable : {QStringLiteral("AWS_REGION"), QStringLiteral("AWS_DEFAULT_REGION")}) {
        if (const QString region = env.value(variable); !region.isEmpty())
            return found(validRegion(region, variable));
    }
    auto fromProfile = files.profileValue(choice, QStringLiteral("region"));
    if (!fromProfile)
        return fromProfile.error();
    if (const auto &value = fromProfile.value())
        return found(validRegion(value->value, profileSource(choice, *value)));
    return std::optional<SettingValue>();
}

// The configured endpoint, if any (explicit, environment, profile); nullopt: use the default.
Result<std::optional<SettingValue>> configuredEndpointFrom(const ConnectionOptions &options, const Environment &env,
                                                           const ProfileChoice &choice, LazySharedConfig &files)
{
    const auto found = [](const QString &text, const QString &source) -> Result<std::optional<SettingValue>> {
        auto url = validateEndpointUrl(text, source);
        if (!url)
            return url.error();
        return std::optional<SettingValue>(SettingValue{url.value().toString(), source});
    };
    if (const QString url = given(options.endpointUrl); !url.isEmpty())
        return found(url, kExplicit);
    for (const QString &variable : {QStringLiteral("AWS_ENDPOINT_URL_KINESIS"), QStringLiteral("AWS_ENDPOINT_URL")}) {
        if (const QString url = env.value(variable); !url.isEmpty())
            return found(url, variable);
    }
    const auto &loaded = files.get();
    if (!loaded)
        return loaded.error();
    if (auto exists = loaded.value().requireProfile(choice); !exists)
        return exists.error();
    if (const auto service = loaded.value().serviceValue(choice.name, QStringLiteral("kinesis"),
                                                         QStringLiteral("endpoint_url"));
        service && !service->value.isEmpty()) {
        return found(service->value, QStringLiteral("services section for kinesis of profile %1 (%2)")
                                         .arg(choice.name, service->location()));
    }
    auto fromProfile = files.profileValue(choice, QStringLiteral("endpoint_url"));
    if (!fromProfile)
        return fromProfile.error();
    if (const auto &value = fromProfile.value())
        return found(value->value, profileSource(choice, *value));
    return std::optional<SettingValue>();
}

Error noRegionError(const ProfileChoice &choice, const Environment &env)
{
    const QString configFile = env.configFilePath().isEmpty() ? QStringLiteral("~/.aws/config")
                                                              : env.displayPath(env.configFilePath());
    return Error::config(QStringLiteral("No AWS region is set, so the Kinesis endpoint is unknown. Set the "
                                       "region setting, AWS_REGION, or \"region = eu-west-1\" (for example) "
                                       "in profile \"%1\" of %2")
                             .arg(choice.name, configFile),
                         QStringLiteral("NoRegion"));
}

// Hides a password in a URL someone typed, for messages.
QString shownUrl(const QString &text)
{
    static const QRegularExpression userInfo(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@"));
    QString shown = text;
    shown.replace(userInfo, QStringLiteral("\\1****@"));
    return shortened(shown, 200);
}

} // namespace

Result<QUrl> validateEndpointUrl(const QString &text, const QString &origin)
{
    const QString trimmed = text.trimmed();
    const auto invalid = [&](const QString &problem) {
        return Error::config(QStringLiteral("The endpoint URL \"%1\" (from %2) %3")
                                 .arg(shownUrl(trimmed), origin, problem),
                             QStringLiteral("InvalidEndpoint"));
    };
    if (trimmed.isEmpty())
        return invalid(QStringLiteral("is empty. Give a URL such as http://localhost:4567"));
    if (!trimmed.contains(QLatin1String("://"))) {
        return invalid(QStringLiteral("has no scheme. Write http://%1 or https://%1").arg(shownUrl(trimmed)));
    }
    const QUrl url(trimmed, QUrl::StrictMode);
    // QUrl::errorString() quotes the whole URL, user info included, so it is not used.
    if (!url.isValid())
        return invalid(QStringLiteral("is not a valid URL. Check the host name and the port"));
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return invalid(QStringLiteral("must start with http:// or https://"));
    if (url.host().isEmpty())
        return invalid(QStringLiteral("has no host. Write e.g. http://localhost:4567"));
    if (!url.userInfo().isEmpty())
        return invalid(QStringLiteral("must not contain a user name or password. Remove the part before \"@\""));
    if (url.hasQuery() || url.hasFragment())
        return invalid(QStringLiteral("must not have a query (?...) or fragment (#...). Remove it"));
    return url;
}

QUrl defaultEndpoint(const QString &region)
{
    const QString suffix = region.startsWith(QLatin1String("cn-")) ? QStringLiteral("amazonaws.com.cn")
                                                                   : QStringLiteral("amazonaws.com");
    return QUrl(QStringLiteral("https://kinesis.%1.%2").arg(region, suffix));
}

bool isAwsEndpoint(const QUrl &url)
{
    const QString host = url.host().toLower();
    for (const QLatin1String domain : {QLatin1String("amazonaws.com"), QLatin1String("amazonaws.com.cn"),
                                       QLatin1String("api.aws")}) {
        if (host == domain || host.endsWith(QLatin1Char('.') + domain))
            return true;
    }
    return false;
}

Result<std::optional<SettingValue>> resolveRegion(const ConnectionOptions &options, const Environment &env)
{
    LazySharedConfig files(env);
    return regionFrom(options, env, SharedConfig::chooseProfile(given(options.profile), env), files);
}

Result<SettingValue> resolveEndpoint(const ConnectionOptions &options, const Environment &env, const QString &region)
{
    LazySharedConfig files(env);
    const ProfileChoice choice = SharedConfig::chooseProfile(given(options.profile), env);
    auto configured = configuredEndpointFrom(options, env, choice, files);
    if (!configured)
        return configured.error();
    if (configured.value())
        return *std::move(configured).value();
    if (region.isEmpty())
        return noRegionError(choice, env);
    return SettingValue{defaultEndpoint(region).toString(), QStringLiteral("default for region %1").arg(region)};
}

Result<ConnectionSettings> resolveConnection(const ConnectionOptions &options, const Environment &env)
{
    LazySharedConfig files(env);
    CredentialsChain chain(env);
    chain.setExplicitCredentials(given(options.accessKeyId), given(options.secretAccessKey),
                                 given(options.sessionToken));
    chain.setProfile(given(options.profile));
    chain.setProcessTimeout(options.processTimeout);
    chain.setMfaCodeProvider(options.mfaCodeProvider);
    const ProfileChoice choice = chain.profileChoice();

    ConnectionSettings settings;
    settings.profile = choice.name;
    settings.profileSource = choice.source;

    // Region and endpoint first: they are quick, and a missing region should not wait for a
    // credential_process.
    auto region = regionFrom(options, env, choice, files);
    if (!region)
        return region.error();
    auto configured = configuredEndpointFrom(options, env, choice, files);
    if (!configured)
        return configured.error();

    if (configured.value()) {
        settings.endpoint = QUrl(configured.value()->value);
        settings.endpointSource = configured.value()->source;
        settings.customEndpoint = true;
    }
    const bool localEndpoint = settings.customEndpoint && !isAwsEndpoint(settings.endpoint);
    if (region.value()) {
        settings.region = region.value()->value;
        settings.regionSource = region.value()->source;
    } else if (localEndpoint && options.allowAnonymousFallback) {
        settings.region = QStringLiteral("us-east-1");
        settings.regionSource = kPlaceholder;
    } else {
        return noRegionError(choice, env);
    }
    if (!settings.customEndpoint) {
        settings.endpoint = defaultEndpoint(settings.region);
        settings.endpointSource = QStringLiteral("default for region %1").arg(settings.region);
    }

    auto early = chain.fromExplicitOrEnvironment();
    if (!early)
        return early.error();
    if (early.value()) {
        settings.credentials = *std::move(early).value();
    } else {
        const auto &loaded = files.get();
        if (!loaded)
            return loaded.error();
        auto fromProfile = chain.fromProfile(loaded.value());
        if (!fromProfile)
            return fromProfile.error();
        if (fromProfile.value()) {
            settings.credentials = *std::move(fromProfile).value();
        } else if (localEndpoint && options.allowAnonymousFallback) {
            settings.credentials = Credentials{QStringLiteral("kwb-local"), QStringLiteral("kwb-local"), QString(),
                                               std::nullopt, kPlaceholder};
        } else {
            return chain.notFoundError(loaded.value());
        }
    }

    qCDebug(lcCredentials).noquote() << QStringLiteral("connection: endpoint %1 (from %2), region %3 (from %4), "
                                                      "profile %5, credentials %6")
                                           .arg(settings.endpoint.toString(), settings.endpointSource,
                                                settings.region, settings.regionSource, settings.profile,
                                                settings.credentials.redacted());
    return settings;
}

QStringList listProfiles(const Environment &env)
{
    const auto take = [](Result<AwsConfigFile> file) {
        if (file)
            return std::move(file).value();
        qCWarning(lcAwsConfig).noquote() << QStringLiteral("profiles not listed from a file: %1")
                                                 .arg(file.error().message);
        return AwsConfigFile();
    };
    return SharedConfig(take(SharedConfig::loadConfigFile(env)), take(SharedConfig::loadCredentialsFile(env)))
        .profileNames();
}

} // namespace kwb::aws
