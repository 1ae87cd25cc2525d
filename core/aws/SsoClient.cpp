#include "aws/SsoClient.h"

#include "aws/AuthHttp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace kwb::aws {

namespace {

QUrl withPath(QUrl url, const QString &path)
{
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    return url;
}

Error invalidAnswer(const QString &operation)
{
    return Error{Error::Kind::Protocol, QStringLiteral("InvalidAnswer"),
                 QStringLiteral("IAM Identity Center %1 answered with something that is not its JSON answer").arg(operation), 200};
}

} // namespace

Error SsoClient::parseError(int status, const QByteArray &json, const QString &operation)
{
    const QJsonObject body = QJsonDocument::fromJson(json).object();
    QString code = body.value(QStringLiteral("__type")).toString();
    if (code.isEmpty())
        code = body.value(QStringLiteral("code")).toString();
    code = code.section(QLatin1Char('#'), -1).section(QLatin1Char(':'), 0, 0);
    QString message = body.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("error_description")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("error")).toString();
    if (code.isEmpty())
        code = QStringLiteral("HTTP%1").arg(status);
    Error::Kind kind = status >= 500 ? Error::Kind::Server
        : code == QLatin1String("SlowDownException") || code == QLatin1String("TooManyRequestsException")
        ? Error::Kind::Throttling
        : code == QLatin1String("InvalidRequestException") ? Error::Kind::Validation
                                                           : Error::Kind::Access;
    return Error{kind, code, QStringLiteral("%1: %2").arg(operation, message), status};
}

void SsoClient::getRoleCredentials(const ServiceEndpoint &portal, const QString &accessToken, const QString &accountId,
                                   const QString &roleName, QObject *context, Callback<Credentials> done) const
{
    QUrl url = withPath(portal.url, QStringLiteral("/federation/credentials"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("account_id"), QString::fromLatin1(QUrl::toPercentEncoding(accountId)));
    query.addQueryItem(QStringLiteral("role_name"), QString::fromLatin1(QUrl::toPercentEncoding(roleName)));
    url.setQuery(query);
    sendAuthRequest(m_network, "GET", url, {{"x-amz-sso_bearer_token", accessToken.toUtf8()}}, {},
                    QStringLiteral("IAM Identity Center (%1)").arg(portal.source), context,
                    [done](Result<AuthHttpAnswer> answer) {
                        if (!answer)
                            return done(answer.error());
                        if (answer.value().status != 200)
                            return done(parseError(answer.value().status, answer.value().body,
                                                   QStringLiteral("GetRoleCredentials")));
                        const QJsonObject role = QJsonDocument::fromJson(answer.value().body)
                                                     .object()
                                                     .value(QStringLiteral("roleCredentials"))
                                                     .toObject();
                        Credentials credentials;
                        credentials.accessKeyId = role.value(QStringLiteral("accessKeyId")).toString();
                        credentials.secretAccessKey = role.value(QStringLiteral("secretAccessKey")).toString();
                        credentials.sessionToken = role.value(QStringLiteral("sessionToken")).toString();
                        const double expiration = role.value(QStringLiteral("expiration")).toDouble();
                        if (credentials.isEmpty() || expiration <= 0)
                            return done(invalidAnswer(QStringLiteral("GetRoleCredentials")));
                        credentials.expiration = QDateTime::fromMSecsSinceEpoch(qint64(expiration), Qt::UTC);
                        done(credentials);
                    });
}

void SsoClient::post(const ServiceEndpoint &oidc, const QString &path, const QJsonObject &body, const QString &operation,
                     QObject *context, Callback<QJsonObject> done) const
{
    sendAuthRequest(m_network, "POST", withPath(oidc.url, path), {{"Content-Type", "application/json"}},
                    QJsonDocument(body).toJson(QJsonDocument::Compact),
                    QStringLiteral("IAM Identity Center OIDC (%1)").arg(oidc.source), context,
                    [done, operation](Result<AuthHttpAnswer> answer) {
                        if (!answer)
                            return done(answer.error());
                        if (answer.value().status != 200)
                            return done(parseError(answer.value().status, answer.value().body, operation));
                        const QJsonDocument document = QJsonDocument::fromJson(answer.value().body);
                        if (!document.isObject())
                            return done(invalidAnswer(operation));
                        done(document.object());
                    });
}

void SsoClient::registerClient(const ServiceEndpoint &oidc, const QString &clientName, QObject *context,
                               Callback<SsoClientRegistration> done) const
{
    post(oidc, QStringLiteral("/client/register"),
         QJsonObject{{QStringLiteral("clientName"), clientName}, {QStringLiteral("clientType"), QStringLiteral("public")}},
         QStringLiteral("RegisterClient"), context, [done](Result<QJsonObject> answer) {
             if (!answer)
                 return done(answer.error());
             const QJsonObject &o = answer.value();
             SsoClientRegistration client{o.value(QStringLiteral("clientId")).toString(),
                                          o.value(QStringLiteral("clientSecret")).toString(),
                                          QDateTime::fromSecsSinceEpoch(qint64(o.value(QStringLiteral("clientSecretExpiresAt")).toDouble()), Qt::UTC)};
             if (client.clientId.isEmpty() || client.clientSecret.isEmpty())
                 return done(invalidAnswer(QStringLiteral("RegisterClient")));
             done(client);
         });
}

void SsoClient::startDeviceAuthorization(const ServiceEndpoint &oidc, const SsoClientRegistration &client,
                                         const QString &startUrl, QObject *context,
                                         Callback<SsoDeviceAuthorization> done) const
{
    post(oidc, QStringLiteral("/device_authorization"),
         QJsonObject{{QStringLiteral("clientId"), client.clientId},
                     {QStringLiteral("clientSecret"), client.clientSecret},
                     {QStringLiteral("startUrl"), startUrl}},
         QStringLiteral("StartDeviceAuthorization"), context, [done](Result<QJsonObject> answer) {
             if (!answer)
                 return done(answer.error());
             const QJsonObject &o = answer.value();
             SsoDeviceAuthorization device;
             device.deviceCode = o.value(QStringLiteral("deviceCode")).toString();
             device.userCode = o.value(QStringLiteral("userCode")).toString();
             device.verificationUri = o.value(QStringLiteral("verificationUri")).toString();
             device.verificationUriComplete = o.value(QStringLiteral("verificationUriComplete")).toString();
             device.expiresInSeconds = o.value(QStringLiteral("expiresIn")).toInt(600);
             device.intervalSeconds = std::max(1, o.value(QStringLiteral("interval")).toInt(5));
             if (device.deviceCode.isEmpty() || device.userCode.isEmpty() || device.verificationUri.isEmpty())
                 return done(invalidAnswer(QStringLiteral("StartDeviceAuthorization")));
             done(device);
         });
}

void SsoClient::createToken(const ServiceEndpoint &oidc, const SsoClientRegistration &client, const QString &grantType,
                            const QString &deviceCode, const QString &refreshToken, QObject *context,
                            Callback<SsoTokenGrant> done) const
{
    QJsonObject body{{QStringLiteral("clientId"), client.clientId},
                     {QStringLiteral("clientSecret"), client.clientSecret},
                     {QStringLiteral("grantType"), grantType}};
    if (!deviceCode.isEmpty())
        body.insert(QStringLiteral("deviceCode"), deviceCode);
    if (!refreshToken.isEmpty())
        body.insert(QStringLiteral("refreshToken"), refreshToken);
    const auto clock = m_clock;
    post(oidc, QStringLiteral("/token"), body, QStringLiteral("CreateToken"), context,
         [done, clock](Result<QJsonObject> answer) {
             if (!answer)
                 return done(answer.error());
             const QJsonObject &o = answer.value();
             SsoTokenGrant grant{o.value(QStringLiteral("accessToken")).toString(),
                                 o.value(QStringLiteral("refreshToken")).toString(),
                                 clock().addSecs(o.value(QStringLiteral("expiresIn")).toInt())};
             if (grant.accessToken.isEmpty() || o.value(QStringLiteral("expiresIn")).toInt() <= 0)
                 return done(invalidAnswer(QStringLiteral("CreateToken")));
             done(grant);
         });
}

} // namespace kwb::aws
