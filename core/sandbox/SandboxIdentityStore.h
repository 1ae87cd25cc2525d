#pragma once

#include <QByteArray>
#include <QMap>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace kwb::sandbox {

/// Who a set of sandbox credentials belongs to, as GetCallerIdentity reports it.
struct SandboxIdentity
{
    QString arn;     ///< "arn:aws:sts::111122223333:assumed-role/Role/session"
    QString userId;  ///< "AROA...:session"
    QString account; ///< 12 digits
};

/// Temporary credentials the sandbox's STS or SSO portal issued. Secrets: never logged.
struct SandboxIssuedCredentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    qint64 expiresMs = 0;
    SandboxIdentity identity;
};

/// One device authorization of the sandbox's SSO OIDC (StartDeviceAuthorization).
struct SandboxDeviceAuthorization
{
    QString deviceCode;
    QString userCode;
    QString clientId;
    QString startUrl;
    qint64 expiresMs = 0;
    bool approved = false;
};

/// The sign-in state of the sandbox: credentials issued by its STS and SSO portal, SSO access
/// and refresh tokens, OIDC clients and device authorizations, plus the training knobs (the MFA
/// code it accepts, roles it refuses, a cap on credential lifetimes, automatic approval of
/// device sign-ins). Shared between the thread that owns SandboxServer (test hooks) and the
/// sandbox worker (requests): every method is thread-safe (one mutex). Random values come
/// from QRandomGenerator::system(); secrets are never logged.
class SandboxIdentityStore
{
public:
    static constexpr const char *kDefaultMfaCode = "123456";

    // Training knobs and test hooks.
    void setMfaCode(const QString &code);
    QString mfaCode() const;
    /// AssumeRole / AssumeRoleWithWebIdentity of `roleArn` answer AccessDenied.
    void denyRole(const QString &roleArn);
    bool isDenied(const QString &roleArn) const;
    /// AssumeRole of `roleArn` needs this ExternalId (a third-party role's trust policy).
    void requireExternalId(const QString &roleArn, const QString &externalId);
    /// The ExternalId `roleArn` needs; empty: none.
    QString requiredExternalId(const QString &roleArn) const;
    /// Caps the lifetime of every issued credential (seconds; 0: no cap).
    void setCredentialLifetimeCap(int seconds);
    int credentialLifetimeCap() const;
    /// Device authorizations are approved as soon as they start (a class practising offline).
    void setAutoApproveDevices(bool approve);
    /// Approves the pending device authorization with this user code (the user's click in the
    /// browser). False when there is none.
    bool approveDevice(const QString &userCode);
    /// User codes of the pending (not approved) device authorizations, oldest first.
    QStringList pendingUserCodes() const;
    /// Makes `accessToken` a valid SSO access token until `expiresMs`, as if signed in.
    void addAccessToken(const QString &accessToken, qint64 expiresMs);
    /// Makes `refreshToken` (of OIDC client `clientId`) redeemable once.
    void addRefreshToken(const QString &refreshToken, const QString &clientId, const QString &clientSecret);
    /// Counters for tests: CreateToken answers that issued a token, by grant.
    int refreshGrants() const;
    int deviceGrants() const;

    // Used while serving requests.
    SandboxIssuedCredentials issue(const SandboxIdentity &identity, qint64 lifetimeMs, qint64 nowMs);
    std::optional<SandboxIssuedCredentials> credentials(const QString &accessKeyId) const;
    bool isValidAccessToken(const QString &accessToken, qint64 nowMs) const;
    QPair<QString, QString> registerClient(); ///< (clientId, clientSecret)
    bool isClient(const QString &clientId, const QString &clientSecret) const;
    SandboxDeviceAuthorization startDeviceAuthorization(const QString &clientId, const QString &startUrl, qint64 nowMs);
    std::optional<SandboxDeviceAuthorization> deviceAuthorization(const QString &deviceCode) const;
    void forgetDeviceAuthorization(const QString &deviceCode);
    /// A new access token valid for `lifetimeMs` and a new refresh token for `clientId`.
    QPair<QString, QString> grantTokens(const QString &clientId, const QString &clientSecret, qint64 lifetimeMs,
                                        qint64 nowMs, bool byRefresh);
    /// Redeems a refresh token: true once per token, for the client it was issued to.
    bool redeemRefreshToken(const QString &refreshToken, const QString &clientId);

    static QString randomText(int length, const char *alphabet);

private:
    mutable QMutex m_mutex;
    QString m_mfaCode = QString::fromLatin1(kDefaultMfaCode);
    QSet<QString> m_deniedRoles;
    QMap<QString, QString> m_externalIds;
    int m_lifetimeCap = 0;
    bool m_autoApprove = false;
    int m_refreshGrants = 0;
    int m_deviceGrants = 0;
    QMap<QString, SandboxIssuedCredentials> m_issued;
    QMap<QString, qint64> m_accessTokens;
    QMap<QString, QPair<QString, QString>> m_refreshTokens; ///< token -> (clientId, secret)
    QMap<QString, QString> m_clients;                       ///< clientId -> secret
    QList<SandboxDeviceAuthorization> m_devices;
};

} // namespace kwb::sandbox
