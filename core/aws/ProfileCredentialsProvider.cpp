#include "aws/ProfileCredentialsProvider.h"

#include "Logging.h"
#include "aws/CredentialProcess.h"
#include "aws/ServiceEndpoints.h"
#include "aws/SsoTokenCache.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>

namespace kwb::aws {

namespace {

constexpr qint64 kSsoRefreshWindowSecs = 5 * 60;
constexpr qint64 kMaxTokenFileBytes = 64 * 1024;

std::optional<AwsConfigValue> setting(const SharedConfig &files, const QString &profile, const char *key)
{
    auto value = files.value(profile, QLatin1String(key));
    if (value && value->value.isEmpty())
        return std::nullopt;
    return value;
}

Error configError(const QString &message, const char *code)
{
    return Error::config(message, QLatin1String(code));
}

QString signInHint(const QString &profile)
{
    return QStringLiteral("Sign in again: \"kwb sso login --profile %1\" (or \"aws sso login --profile %1\"), or "
                          "Sign in in the app's connection bar").arg(profile);
}

} // namespace

ProfileKind profileKind(const SharedConfig &files, const QString &profile)
{
    if (!files.hasProfile(profile))
        return ProfileKind::None;
    if (setting(files, profile, "role_arn"))
        return setting(files, profile, "source_profile") || setting(files, profile, "credential_source")
            ? ProfileKind::Role
            : ProfileKind::WebIdentity;
    if (setting(files, profile, "web_identity_token_file"))
        return ProfileKind::WebIdentity;
    if (setting(files, profile, "sso_session") || setting(files, profile, "sso_start_url"))
        return ProfileKind::Sso;
    if (setting(files, profile, "aws_access_key_id"))
        return ProfileKind::Keys;
    if (setting(files, profile, "credential_process"))
        return ProfileKind::Process;
    return ProfileKind::None;
}

QString profileKindName(ProfileKind kind)
{
    switch (kind) {
    case ProfileKind::Keys:
        return QStringLiteral("keys");
    case ProfileKind::Role:
        return QStringLiteral("role");
    case ProfileKind::Sso:
        return QStringLiteral("SSO");
    case ProfileKind::Process:
        return QStringLiteral("process");
    case ProfileKind::WebIdentity:
        return QStringLiteral("web identity");
    case ProfileKind::None:
        break;
    }
    return QStringLiteral("none");
}

QList<ProfileSummary> describeProfiles(const SharedConfig &files)
{
    QList<ProfileSummary> out;
    for (const QString &name : files.profileNames()) {
        ProfileSummary summary{name, profileKind(files, name), {}, {}};
        if (const auto account = setting(files, name, "sso_account_id"))
            summary.account = account->value;
        else if (const auto role = setting(files, name, "role_arn"))
            summary.account = role->value.section(QLatin1Char(':'), 4, 4);
        if (const auto region = setting(files, name, "region"))
            summary.region = region->value;
        out.append(summary);
    }
    return out;
}

Result<SsoSettings> readSsoSettings(const SharedConfig &files, const Environment &env, const QString &profile,
                                    bool needRole)
{
    Q_UNUSED(env);
    SsoSettings settings;
    settings.profile = profile;
    if (const auto session = setting(files, profile, "sso_session")) {
        settings.sessionName = session->value;
        settings.location = session->location();
        const AwsConfigSection *section = files.configFile().section(QStringLiteral("sso-session"), session->value);
        if (!section)
            return configError(QStringLiteral("Profile \"%1\" names sso_session \"%2\" (%3), but %4 has no "
                                              "[sso-session %2] section. Add one with sso_start_url and sso_region, "
                                              "or correct the name")
                                   .arg(profile, session->value, session->location(), files.configFile().fileName()),
                               "UnknownSsoSession");
        const auto value = [&](const char *key) { return section->values.value(QLatin1String(key)).value; };
        settings.startUrl = value("sso_start_url");
        settings.region = value("sso_region");
        const QString where = QStringLiteral("%1:%2").arg(files.configFile().fileName()).arg(section->line);
        if (settings.startUrl.isEmpty())
            return configError(QStringLiteral("The [sso-session %1] section (%2) of profile \"%3\" has no sso_start_url. "
                                              "Add \"sso_start_url = https://my-company.awsapps.com/start\" (your AWS "
                                              "access portal URL)").arg(session->value, where, profile),
                               "InvalidProfile");
        if (settings.region.isEmpty())
            return configError(QStringLiteral("The [sso-session %1] section (%2) of profile \"%3\" has no sso_region. "
                                              "Add \"sso_region = us-east-1\" (the region of your IAM Identity Center)")
                                   .arg(session->value, where, profile),
                               "NoRegion");
    } else if (const auto start = setting(files, profile, "sso_start_url")) {
        settings.startUrl = start->value;
        settings.location = start->location();
        const auto region = setting(files, profile, "sso_region");
        if (!region)
            return configError(QStringLiteral("Profile \"%1\" (%2) has sso_start_url but no sso_region. Add "
                                              "\"sso_region = us-east-1\" (the region of your IAM Identity Center)")
                                   .arg(profile, start->location()),
                               "NoRegion");
        settings.region = region->value;
    } else {
        return configError(QStringLiteral("Profile \"%1\" has neither sso_session nor sso_start_url, so it cannot sign "
                                          "in to IAM Identity Center. Run \"aws configure sso --profile %1\" or add "
                                          "an sso_session").arg(profile),
                           "InvalidProfile");
    }
    if (needRole) {
        const auto account = setting(files, profile, "sso_account_id");
        const auto role = setting(files, profile, "sso_role_name");
        if (!account || !role)
            return configError(QStringLiteral("Profile \"%1\" (%2) signs in with IAM Identity Center but has no %3. Add "
                                              "sso_account_id and sso_role_name (the account and permission set to use)")
                                   .arg(profile, settings.location,
                                        !account ? QStringLiteral("sso_account_id") : QStringLiteral("sso_role_name")),
                               "InvalidProfile");
        settings.accountId = account->value;
        settings.roleName = role->value;
    }
    return settings;
}

ProfileCredentialsProvider::ProfileCredentialsProvider(SharedConfig files, Environment env, QObject *parent)
    : QObject(parent)
    , m_files(std::move(files))
    , m_env(std::move(env))
    , m_network(new QNetworkAccessManager(this))
    , m_sts(m_network)
    , m_sso(m_network)
{
}

ProfileCredentialsProvider::~ProfileCredentialsProvider() = default;

void ProfileCredentialsProvider::setClock(std::function<QDateTime()> clock)
{
    m_clock = clock;
    m_sts.setClock(clock);
    m_sso.setClock(clock);
}

bool ProfileCredentialsProvider::environmentHasWebIdentity(const Environment &env)
{
    return !env.value(QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE")).isEmpty()
        && !env.value(QStringLiteral("AWS_ROLE_ARN")).isEmpty();
}

bool ProfileCredentialsProvider::handles(const SharedConfig &files, const QString &profile)
{
    const ProfileKind kind = profileKind(files, profile);
    return kind == ProfileKind::Role || kind == ProfileKind::Sso || kind == ProfileKind::WebIdentity;
}

void ProfileCredentialsProvider::later(Done done, Result<Credentials> result)
{
    QTimer::singleShot(0, this, [done = std::move(done), result = std::move(result)] { done(result); });
}

void ProfileCredentialsProvider::resolve(const QString &profile, Done done)
{
    resolveProfile(profile, {}, std::move(done));
}

QString ProfileCredentialsProvider::stsRegion(const QString &profile) const
{
    for (const QString &variable : {QStringLiteral("AWS_REGION"), QStringLiteral("AWS_DEFAULT_REGION")})
        if (const QString region = m_env.value(variable); !region.isEmpty())
            return region;
    if (const auto region = setting(m_files, profile, "region"))
        return region->value;
    return {};
}

void ProfileCredentialsProvider::resolveProfile(const QString &profile, QStringList chain, Done done)
{
    if (!m_files.hasProfile(profile)) {
        const QString namedBy = chain.isEmpty() ? QString()
            : QStringLiteral(", named by source_profile of profile \"%1\" (%2),")
                  .arg(chain.last(), setting(m_files, chain.last(), "source_profile")->location());
        return later(done, configError(QStringLiteral("The profile \"%1\"%2 does not exist in %3. Add it, or correct the name "
                                                      "(in ~/.aws/config it is written [profile %1])")
                                           .arg(profile, namedBy, m_files.describeFiles()),
                                       "ProfileNotFound"));
    }
    chain.append(profile);

    if (const auto roleArn = setting(m_files, profile, "role_arn")) {
        const auto source = setting(m_files, profile, "source_profile");
        const auto credentialSource = setting(m_files, profile, "credential_source");
        if (source && credentialSource)
            return later(done, configError(QStringLiteral("Profile \"%1\" sets both source_profile (%2) and credential_source "
                                                          "(%3). Keep one of them")
                                               .arg(profile, source->location(), credentialSource->location()),
                                           "InvalidProfile"));
        if (source) {
            const QString &sourceName = source->value;
            if (sourceName == profile) {
                // A role profile may name itself to use its own keys, as the AWS CLI allows.
                const auto key = setting(m_files, profile, "aws_access_key_id");
                const auto secret = setting(m_files, profile, "aws_secret_access_key");
                if (!key || !secret)
                    return later(done, configError(QStringLiteral("Profile \"%1\" names itself as source_profile (%2) but has "
                                                                  "no aws_access_key_id and aws_secret_access_key. Add the keys, "
                                                                  "or name another profile").arg(profile, source->location()),
                                                   "SourceProfileLoop"));
                Credentials own{key->value, secret->value,
                                setting(m_files, profile, "aws_session_token").value_or(AwsConfigValue{}).value, std::nullopt,
                                QStringLiteral("profile %1 (%2)").arg(profile, key->location())};
                return assumeRole(profile, own, std::move(done));
            }
            if (chain.contains(sourceName)) {
                QStringList loop = chain.mid(chain.indexOf(sourceName));
                loop.append(sourceName);
                return later(done, configError(QStringLiteral("The profiles have a source_profile loop: %1 (closed by %2). "
                                                              "Point one source_profile at a profile with keys, SSO or "
                                                              "credential_source instead")
                                                   .arg(loop.join(QStringLiteral(" -> ")), source->location()),
                                               "SourceProfileLoop"));
            }
            QPointer<ProfileCredentialsProvider> self(this);
            resolveProfile(sourceName, chain, [self, profile, done](Result<Credentials> sourceCredentials) {
                if (!self)
                    return;
                if (!sourceCredentials)
                    return done(sourceCredentials.error());
                self->assumeRole(profile, sourceCredentials.value(), done);
            });
            return;
        }
        if (credentialSource) {
            if (credentialSource->value != QLatin1String("Environment"))
                return later(done, configError(QStringLiteral("Profile \"%1\" uses credential_source = %2 (%3), which only works "
                                                              "on AWS compute; this tool supports credential_source = "
                                                              "Environment, or use source_profile")
                                                   .arg(profile, credentialSource->value, credentialSource->location()),
                                               "InvalidProfile"));
            const QString key = m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
            const QString secret = m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
            if (key.isEmpty() || secret.isEmpty())
                return later(done, configError(QStringLiteral("Profile \"%1\" takes its source credentials from the environment "
                                                              "(credential_source = Environment, %2), but AWS_ACCESS_KEY_ID and "
                                                              "AWS_SECRET_ACCESS_KEY are not both set. Set them")
                                                   .arg(profile, credentialSource->location()),
                                               "NoCredentials"));
            return assumeRole(profile,
                              Credentials{key, secret, m_env.value(QStringLiteral("AWS_SESSION_TOKEN")), std::nullopt,
                                          QStringLiteral("environment")},
                              std::move(done));
        }
        if (const auto tokenFile = setting(m_files, profile, "web_identity_token_file")) {
            const auto session = setting(m_files, profile, "role_session_name");
            const auto duration = setting(m_files, profile, "duration_seconds");
            return webIdentity(QStringLiteral("profile \"%1\" (%2)").arg(profile, tokenFile->location()), profile,
                               tokenFile->value, roleArn->value, session ? session->value : QString(),
                               duration ? duration->value.toInt() : 0, std::move(done));
        }
        return later(done, configError(QStringLiteral("Profile \"%1\" has role_arn (%2) but nothing to assume it with. Add "
                                                      "source_profile (a profile with credentials), credential_source = "
                                                      "Environment, or web_identity_token_file")
                                           .arg(profile, roleArn->location()),
                                       "InvalidProfile"));
    }
    if (const auto tokenFile = setting(m_files, profile, "web_identity_token_file"))
        return later(done, configError(QStringLiteral("Profile \"%1\" has web_identity_token_file (%2) but no role_arn. Add "
                                                      "the ARN of the role to assume").arg(profile, tokenFile->location()),
                                       "InvalidProfile"));
    if (setting(m_files, profile, "sso_session") || setting(m_files, profile, "sso_start_url"))
        return sso(profile, std::move(done));

    const auto key = setting(m_files, profile, "aws_access_key_id");
    const auto secret = setting(m_files, profile, "aws_secret_access_key");
    if (key && secret) {
        const auto token = setting(m_files, profile, "aws_session_token");
        return later(done, Credentials{key->value, secret->value, token ? token->value : QString(), std::nullopt,
                                       QStringLiteral("profile %1 (%2)").arg(profile, key->location())});
    }
    if (const auto process = setting(m_files, profile, "credential_process")) {
        const QString what = QStringLiteral("credential_process of profile \"%1\" (%2)").arg(profile, process->location());
        return later(done, CredentialProcess::run(process->value, what, m_env, m_processTimeout));
    }
    return later(done, configError(QStringLiteral("Profile \"%1\" (used as a source of credentials) has no credentials: no "
                                                  "keys, credential_process, role_arn or SSO settings in %2. Add some")
                                       .arg(profile, m_files.describeFiles()),
                                   "NoCredentials"));
}

void ProfileCredentialsProvider::assumeRole(const QString &profile, const Credentials &source, Done done)
{
    const auto roleArn = setting(m_files, profile, "role_arn");
    AssumeRoleParams params;
    params.roleArn = roleArn->value;
    const auto session = setting(m_files, profile, "role_session_name");
    params.sessionName = session ? session->value
                                 : QStringLiteral("kwb-session-%1").arg(m_clock().toMSecsSinceEpoch());
    if (const auto externalId = setting(m_files, profile, "external_id"))
        params.externalId = externalId->value;
    if (const auto duration = setting(m_files, profile, "duration_seconds")) {
        bool ok = false;
        params.durationSeconds = duration->value.toInt(&ok);
        if (!ok || params.durationSeconds < 900 || params.durationSeconds > 43200)
            return later(done, configError(QStringLiteral("duration_seconds of profile \"%1\" (%2) must be a whole number of "
                                                          "seconds from 900 to 43200, not \"%3\"")
                                               .arg(profile, duration->location(), duration->value),
                                           "InvalidProfile"));
    }
    auto endpoint = resolveAuthEndpoint(AuthService::Sts, m_files, profile, m_env, stsRegion(profile));
    if (!endpoint)
        return later(done, endpoint.error());
    const auto serial = setting(m_files, profile, "mfa_serial");
    if (!serial)
        return assumeRoleWith(profile, source, params, endpoint.value(), std::move(done));
    params.serialNumber = serial->value;
    if (!m_mfa)
        return later(done, configError(QStringLiteral("Profile \"%1\" needs an MFA code from %2 (mfa_serial, %3) to assume "
                                                      "%4. Give the current code with --mfa-code or KWB_MFA_CODE, or run the command in a "
                                                      "terminal to be asked for it")
                                           .arg(profile, serial->value, serial->location(), params.roleArn),
                                       "MfaRequired"));
    QPointer<ProfileCredentialsProvider> self(this);
    const ServiceEndpoint sts = endpoint.value();
    m_mfa(MfaPrompt{profile, serial->value, params.roleArn, serial->location()},
          [self, profile, source, params, sts, done](std::optional<QString> code) mutable {
              if (!self)
                  return;
              if (!code || code->trimmed().isEmpty())
                  return done(Error{Error::Kind::Cancelled, QStringLiteral("MfaCancelled"),
                                    QStringLiteral("No MFA code was given for profile \"%1\", so its role was not assumed")
                                        .arg(profile),
                                    0});
              params.tokenCode = code->trimmed();
              self->assumeRoleWith(profile, source, params, sts, done);
          });
}

void ProfileCredentialsProvider::assumeRoleWith(const QString &profile, const Credentials &source, AssumeRoleParams params,
                                                const ServiceEndpoint &endpoint, Done done)
{
    const QString location = setting(m_files, profile, "role_arn")->location();
    const QString roleArn = params.roleArn;
    const bool mfa = !params.serialNumber.isEmpty();
    m_sts.assumeRole(endpoint, source, params, this, [profile, location, roleArn, mfa, source, done](Result<AssumedRole> role) {
        if (role) {
            Credentials credentials = role.value().credentials;
            credentials.source = QStringLiteral("role %1 of profile %2 (%3)").arg(role.value().arn, profile, location);
            qCDebug(lcCredentials) << "assumed" << credentials;
            return done(credentials);
        }
        Error error = role.error();
        QString hint;
        if (mfa && error.message.contains(QLatin1String("MultiFactorAuthentication"))) {
            error.code = QStringLiteral("WrongMfaCode");
            hint = QStringLiteral("The MFA code was wrong or already used: enter the current code of the device");
        } else if (error.code == QLatin1String("AccessDenied")) {
            hint = QStringLiteral("The identity from %1 may not assume this role: check role_arn, external_id and the "
                                  "role's trust policy").arg(source.source);
        } else if (error.code.startsWith(QLatin1String("ExpiredToken"))) {
            hint = QStringLiteral("The source credentials (%1) have expired: renew them").arg(source.source);
        } else if (error.code == QLatin1String("InvalidClientTokenId") || error.code == QLatin1String("SignatureDoesNotMatch")) {
            hint = QStringLiteral("STS does not accept the source credentials (%1): check them").arg(source.source);
        } else {
            hint = QStringLiteral("Check the profile's settings and the STS endpoint");
        }
        error.message = QStringLiteral("Assuming role %1 for profile \"%2\" (%3) failed: %4 (%5). %6")
                            .arg(roleArn, profile, location, error.message, error.code, hint);
        done(error);
    });
}

void ProfileCredentialsProvider::resolveEnvironmentWebIdentity(Done done)
{
    webIdentity(QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE"), QString(),
                m_env.value(QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE")),
                m_env.value(QStringLiteral("AWS_ROLE_ARN")), m_env.value(QStringLiteral("AWS_ROLE_SESSION_NAME")), 0,
                std::move(done));
}

void ProfileCredentialsProvider::webIdentity(const QString &what, const QString &profile, const QString &tokenFile,
                                             const QString &roleArn, const QString &sessionName, int duration, Done done)
{
    QFile file(tokenFile);
    if (!file.open(QIODevice::ReadOnly))
        return later(done, configError(QStringLiteral("The web identity token file %1 of %2 cannot be read: %3. Check the "
                                                      "path; the program that issues the token must have written it%4")
                                           .arg(tokenFile, what, file.errorString(),
                                                tokenFile.startsWith(QLatin1Char('~'))
                                                    ? QStringLiteral(". The AWS tools do not expand \"~\" in this "
                                                                     "setting: write the full path")
                                                    : QString()),
                                       "WebIdentityTokenMissing"));
    const QByteArray token = file.read(kMaxTokenFileBytes + 1).trimmed();
    if (token.isEmpty() || token.size() > kMaxTokenFileBytes)
        return later(done, configError(QStringLiteral("The web identity token file %1 of %2 is %3. It must hold one token "
                                                      "(a JWT)").arg(tokenFile, what, token.isEmpty() ? QStringLiteral("empty")
                                                                                                       : QStringLiteral("larger than 64 KiB")),
                                       "WebIdentityTokenMissing"));
    auto endpoint = resolveAuthEndpoint(AuthService::Sts, m_files, profile, m_env,
                                        profile.isEmpty() ? stsRegion(QStringLiteral("default")) : stsRegion(profile));
    if (!endpoint)
        return later(done, endpoint.error());
    const QString session = sessionName.isEmpty() ? QStringLiteral("kwb-session-%1").arg(m_clock().toMSecsSinceEpoch())
                                                  : sessionName;
    m_sts.assumeRoleWithWebIdentity(endpoint.value(), roleArn, session, token, duration, this,
                                    [what, roleArn, done](Result<AssumedRole> role) {
                                        if (!role) {
                                            Error error = role.error();
                                            error.message = QStringLiteral("Assuming role %1 with the web identity of %2 failed: "
                                                                           "%3 (%4). Check that the token is current and "
                                                                           "that the role trusts its issuer")
                                                                .arg(roleArn, what, error.message, error.code);
                                            return done(error);
                                        }
                                        Credentials credentials = role.value().credentials;
                                        credentials.source = QStringLiteral("web identity role %1 of %2").arg(role.value().arn, what);
                                        done(credentials);
                                    });
}

void ProfileCredentialsProvider::sso(const QString &profile, Done done)
{
    auto settings = readSsoSettings(m_files, m_env, profile, true);
    if (!settings)
        return later(done, settings.error());
    const SsoSettings sso = settings.value();
    const SsoTokenCache cache = SsoTokenCache::forEnvironment(m_env);
    auto cached = cache.read(sso.cacheKey());
    if (!cached)
        return later(done, cached.error());
    if (!cached.value())
        return later(done, configError(QStringLiteral("Profile \"%1\" (%2) signs in with IAM Identity Center, but there is no "
                                                      "sign-in for %3 yet (no %4). %5")
                                           .arg(profile, sso.location, sso.sessionName.isEmpty() ? sso.startUrl : QStringLiteral("sso-session %1").arg(sso.sessionName),
                                                m_env.displayPath(cache.path(sso.cacheKey())), signInHint(profile)),
                                       "SsoLoginRequired"));
    const SsoToken token = *cached.value();
    const QDateTime now = m_clock();
    const bool expired = token.expiresAt <= now;
    const bool expiring = token.expiresAt.toSecsSinceEpoch() - now.toSecsSinceEpoch() <= kSsoRefreshWindowSecs;
    const auto expiredError = [sso, token] {
        return configError(QStringLiteral("The IAM Identity Center sign-in of profile \"%1\" (%2) expired at %3 and cannot "
                                          "be refreshed. %4")
                               .arg(sso.profile, sso.location, token.expiresAt.toString(Qt::ISODate), signInHint(sso.profile)),
                           "SsoLoginRequired");
    };
    if (!expiring)
        return roleCredentials(sso, token.accessToken, std::move(done));
    if (sso.sessionName.isEmpty() || !token.canRefresh(now)) {
        if (!expired)
            return roleCredentials(sso, token.accessToken, std::move(done));
        return later(done, expiredError());
    }
    auto oidc = resolveAuthEndpoint(AuthService::SsoOidc, m_files, profile, m_env, sso.region);
    if (!oidc)
        return later(done, oidc.error());
    QPointer<ProfileCredentialsProvider> self(this);
    m_sso.createToken(oidc.value(), SsoClientRegistration{token.clientId, token.clientSecret, token.registrationExpiresAt},
                      QStringLiteral("refresh_token"), QString(), token.refreshToken, this,
                      [self, sso, token, expired, expiredError, done](Result<SsoTokenGrant> grant) {
                          if (!self)
                              return;
                          if (!grant) {
                              qCWarning(lcCredentials).noquote()
                                  << QStringLiteral("refreshing the SSO token of profile %1 failed: %2")
                                         .arg(sso.profile, grant.error().code);
                              if (!expired)
                                  return self->roleCredentials(sso, token.accessToken, done);
                              return done(expiredError());
                          }
                          SsoToken fresh = token;
                          fresh.accessToken = grant.value().accessToken;
                          fresh.expiresAt = grant.value().expiresAt;
                          if (!grant.value().refreshToken.isEmpty())
                              fresh.refreshToken = grant.value().refreshToken;
                          if (auto written = SsoTokenCache::forEnvironment(self->m_env).write(sso.cacheKey(), fresh); !written)
                              qCWarning(lcCredentials).noquote() << written.error().message;
                          self->roleCredentials(sso, fresh.accessToken, done);
                      });
}

void ProfileCredentialsProvider::roleCredentials(const SsoSettings &sso, const QString &accessToken, Done done)
{
    auto portal = resolveAuthEndpoint(AuthService::Sso, m_files, sso.profile, m_env, sso.region);
    if (!portal)
        return later(done, portal.error());
    m_sso.getRoleCredentials(portal.value(), accessToken, sso.accountId, sso.roleName, this,
                             [sso, done](Result<Credentials> credentials) {
                                 if (credentials) {
                                     Credentials result = credentials.value();
                                     result.source = QStringLiteral("IAM Identity Center role %1 in account %2 of profile %3 (%4)")
                                                         .arg(sso.roleName, sso.accountId, sso.profile, sso.location);
                                     return done(result);
                                 }
                                 Error error = credentials.error();
                                 if (error.code == QLatin1String("UnauthorizedException")) {
                                     error.code = QStringLiteral("SsoLoginRequired");
                                     error.kind = Error::Kind::Config;
                                     error.message = QStringLiteral("IAM Identity Center refused the sign-in of profile \"%1\" "
                                                                    "(%2): it has expired or was revoked. %3")
                                                         .arg(sso.profile, sso.location, signInHint(sso.profile));
                                 } else {
                                     error.message = QStringLiteral("Getting the credentials of role %1 in account %2 for "
                                                                    "profile \"%3\" (%4) failed: %5. Check sso_account_id and "
                                                                    "sso_role_name")
                                                         .arg(sso.roleName, sso.accountId, sso.profile, sso.location,
                                                              error.message);
                                 }
                                 done(error);
                             });
}

void ProfileCredentialsProvider::whoAmI(const QString &profile, const Credentials &credentials,
                                        std::function<void(Result<CallerIdentity>)> done)
{
    auto endpoint = resolveAuthEndpoint(AuthService::Sts, m_files, profile, m_env, stsRegion(profile));
    if (!endpoint) {
        QTimer::singleShot(0, this, [done, error = endpoint.error()] { done(error); });
        return;
    }
    m_sts.getCallerIdentity(endpoint.value(), credentials, this, std::move(done));
}

Result<Credentials> ProfileCredentialsProvider::resolveBlocking(const SharedConfig &files, const Environment &env,
                                                                const QString &profile, const MfaCodeProvider &mfa,
                                                                std::chrono::milliseconds processTimeout)
{
    QEventLoop loop;
    ProfileCredentialsProvider provider(files, env);
    provider.setMfaCodeProvider(mfa);
    provider.setProcessTimeout(processTimeout);
    std::optional<Result<Credentials>> result;
    const auto finish = [&](Result<Credentials> value) {
        result = std::move(value);
        loop.quit();
    };
    if (profile.isEmpty())
        provider.resolveEnvironmentWebIdentity(finish);
    else
        provider.resolve(profile, finish);
    if (!result)
        loop.exec();
    return *result;
}

} // namespace kwb::aws
