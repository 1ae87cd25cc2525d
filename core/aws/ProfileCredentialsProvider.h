#pragma once

#include "Result.h"
#include "aws/Credentials.h"
#include "aws/Environment.h"
#include "aws/SharedConfig.h"
#include "aws/SsoClient.h"
#include "aws/StsClient.h"

#include <QDateTime>
#include <QObject>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace kwb::aws {

/// How a profile gets its credentials, for display ("keys", "SSO", "role", ...).
enum class ProfileKind { None, Keys, Role, Sso, Process, WebIdentity };

/// The kind of `profile` in `files`, in the AWS CLI's order of precedence (role_arn first).
ProfileKind profileKind(const SharedConfig &files, const QString &profile);
/// "keys", "SSO", "role", "process", "web identity", "none".
QString profileKindName(ProfileKind kind);

/// One profile as the target list shows it: kind, the account its file names (sso_account_id,
/// or the account of role_arn; empty for keys and processes) and its region.
struct ProfileSummary
{
    QString name;
    ProfileKind kind = ProfileKind::None;
    QString account;
    QString region;
};

/// Every profile of `files`, in SharedConfig::profileNames() order. Reads nothing else.
QList<ProfileSummary> describeProfiles(const SharedConfig &files);

/// What to show when a role needs an MFA code.
struct MfaPrompt
{
    QString profile;
    QString serialNumber; ///< the MFA device's ARN (mfa_serial)
    QString roleArn;
    QString location;     ///< "~/.aws/config:12" of mfa_serial
};

/// Asks the user for an MFA code and answers through `answer` (nullopt: the user cancelled),
/// at once or later, on the provider's thread. The CLI reads the terminal or an option; the GUI
/// shows a dialog.
using MfaCodeProvider = std::function<void(const MfaPrompt &prompt, std::function<void(std::optional<QString>)> answer)>;

/// The IAM Identity Center settings of a profile: from its sso-session section (sso_session)
/// or, for older profiles, from the profile itself (sso_start_url, sso_region).
struct SsoSettings
{
    QString profile;
    QString sessionName; ///< empty for the older profiles
    QString startUrl;
    QString region;
    QString accountId;
    QString roleName;
    QString location;    ///< where sso_session or sso_start_url is written
    /// The token cache key: the session name, else the start URL.
    QString cacheKey() const { return sessionName.isEmpty() ? startUrl : sessionName; }
};

/// Reads the SSO settings of `profile`. `needRole`: sso_account_id and sso_role_name must be
/// set too (not for signing in). Errors name the profile, the file and line and what to add
/// (an unknown sso_session, a missing sso_region, ...).
Result<SsoSettings> readSsoSettings(const SharedConfig &files, const Environment &env, const QString &profile,
                                    bool needRole);

/// The credential providers for profiles whose credentials come from a service, as the AWS CLI
/// v2 resolves them, asynchronously:
///   - assume role: role_arn with source_profile (chains of any depth; a loop is an error),
///     credential_source = Environment, or web_identity_token_file; role_session_name,
///     external_id, duration_seconds and mfa_serial (the code comes from the MfaCodeProvider);
///   - web identity: web_identity_token_file + role_arn (AssumeRoleWithWebIdentity, unsigned),
///     or AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME);
///   - IAM Identity Center: sso_session or sso_start_url profiles, with the AWS CLI v2 token
///     cache; a token that expires within 5 minutes is refreshed with its refresh token (SSO
///     OIDC CreateToken) and written back; then GetRoleCredentials;
///   - and, inside chains, the profile's keys and credential_process (which BLOCKS while it runs).
/// Endpoints: resolveAuthEndpoint(). Temporary credentials carry their expiration.
/// Errors name the profile, the file and line, and what to do; codes: SourceProfileLoop,
/// UnknownSsoSession, SsoLoginRequired (sign in again), MfaRequired, WrongMfaCode, AccessDenied,
/// NoRegion, InvalidProfile. Never a secret in an error or a log.
/// A QObject on the thread that uses it (it owns its QNetworkAccessManager); callbacks run there.
class ProfileCredentialsProvider : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<Credentials>)>;

    ProfileCredentialsProvider(SharedConfig files, Environment env, QObject *parent = nullptr);
    ~ProfileCredentialsProvider() override;

    void setMfaCodeProvider(MfaCodeProvider provider) { m_mfa = std::move(provider); }
    void setProcessTimeout(std::chrono::milliseconds timeout) { m_processTimeout = timeout; }
    /// Test hook: the clock (UTC) for expiry decisions and signing.
    void setClock(std::function<QDateTime()> clock);

    /// Resolves `profile` (which must exist). `done` runs exactly once, later (never inside).
    void resolve(const QString &profile, Done done);
    /// AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN of the environment.
    void resolveEnvironmentWebIdentity(Done done);
    /// GetCallerIdentity with `credentials`, at the STS endpoint of `profile`.
    void whoAmI(const QString &profile, const Credentials &credentials, std::function<void(Result<CallerIdentity>)> done);

    /// True when the environment names a web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN).
    static bool environmentHasWebIdentity(const Environment &env);
    /// True when `profile` needs this provider (role_arn, web identity or SSO settings).
    static bool handles(const SharedConfig &files, const QString &profile);

    /// Runs resolve() to its end in a local event loop. For a worker thread or the command-line
    /// tool only, never the GUI thread. `profile` empty: the environment's web identity.
    static Result<Credentials> resolveBlocking(const SharedConfig &files, const Environment &env, const QString &profile,
                                               const MfaCodeProvider &mfa, std::chrono::milliseconds processTimeout);

    const Environment &environment() const { return m_env; }
    const SharedConfig &files() const { return m_files; }
    QNetworkAccessManager *network() const { return m_network; }

private:
    void resolveProfile(const QString &profile, QStringList chain, Done done);
    void assumeRole(const QString &profile, const Credentials &source, Done done);
    void assumeRoleWith(const QString &profile, const Credentials &source, AssumeRoleParams params,
                        const ServiceEndpoint &endpoint, Done done);
    void webIdentity(const QString &what, const QString &profile, const QString &tokenFile, const QString &roleArn,
                     const QString &sessionName, int duration, Done done);
    void sso(const QString &profile, Done done);
    void roleCredentials(const SsoSettings &settings, const QString &accessToken, Done done);
    QString stsRegion(const QString &profile) const;
    void later(Done done, Result<Credentials> result);

    SharedConfig m_files;
    Environment m_env;
    QNetworkAccessManager *m_network;
    StsClient m_sts;
    SsoClient m_sso;
    MfaCodeProvider m_mfa;
    std::chrono::milliseconds m_processTimeout{60000};
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace kwb::aws
