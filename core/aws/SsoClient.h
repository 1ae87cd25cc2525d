#pragma once

#include "Result.h"
#include "aws/Credentials.h"
#include "aws/ServiceEndpoints.h"

#include <QDateTime>
#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace kwb::aws {

/// An OIDC client registration (RegisterClient). `clientSecret` is a secret.
struct SsoClientRegistration
{
    QString clientId;
    QString clientSecret;
    QDateTime expiresAt; ///< UTC
};

/// A started device authorization (StartDeviceAuthorization). `deviceCode` is a secret; the
/// user code and the URLs are for the user.
struct SsoDeviceAuthorization
{
    QString deviceCode;
    QString userCode;
    QString verificationUri;
    QString verificationUriComplete;
    int expiresInSeconds = 600;
    int intervalSeconds = 5;
};

/// A token from CreateToken. Secrets.
struct SsoTokenGrant
{
    QString accessToken;
    QString refreshToken; ///< may be empty
    QDateTime expiresAt;  ///< UTC
};

/// Asynchronous client of IAM Identity Center: the portal's GetRoleCredentials
/// (GET /federation/credentials, x-amz-sso_bearer_token) and SSO OIDC's RegisterClient,
/// StartDeviceAuthorization and CreateToken (REST JSON, unsigned). Lives on the thread of its
/// QNetworkAccessManager (not owned); callbacks run there while `context` lives. Errors carry
/// the service's code (UnauthorizedException, AuthorizationPendingException, SlowDownException,
/// InvalidGrantException, ExpiredTokenException, ...), never a token.
class SsoClient
{
public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit SsoClient(QNetworkAccessManager *network) : m_network(network) {}
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    void getRoleCredentials(const ServiceEndpoint &portal, const QString &accessToken, const QString &accountId,
                            const QString &roleName, QObject *context, Callback<Credentials> done) const;
    void registerClient(const ServiceEndpoint &oidc, const QString &clientName, QObject *context,
                        Callback<SsoClientRegistration> done) const;
    void startDeviceAuthorization(const ServiceEndpoint &oidc, const SsoClientRegistration &client,
                                  const QString &startUrl, QObject *context, Callback<SsoDeviceAuthorization> done) const;
    /// grant "urn:ietf:params:oauth:grant-type:device_code" with `deviceCode`, or
    /// "refresh_token" with `refreshToken`.
    void createToken(const ServiceEndpoint &oidc, const SsoClientRegistration &client, const QString &grantType,
                     const QString &deviceCode, const QString &refreshToken, QObject *context,
                     Callback<SsoTokenGrant> done) const;

    static Error parseError(int status, const QByteArray &json, const QString &operation);

private:
    void post(const ServiceEndpoint &oidc, const QString &path, const QJsonObject &body, const QString &operation,
              QObject *context, Callback<QJsonObject> done) const;

    QNetworkAccessManager *m_network;
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace kwb::aws
