#include "sandbox/SandboxSso.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

namespace kwb::sandbox {

namespace {

SandboxAnswer json(const QJsonObject &object)
{
    return SandboxAnswer::ok(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// SSO OIDC errors carry OAuth's "error" and "error_description" besides the type.
SandboxAnswer oauthError(int status, const QByteArray &type, const QString &error, const QString &description)
{
    QJsonObject body{{QStringLiteral("__type"), QString::fromLatin1(type)},
                     {QStringLiteral("error"), error},
                     {QStringLiteral("error_description"), description}};
    return SandboxAnswer{status, QJsonDocument(body).toJson(QJsonDocument::Compact), type, false, 0, {}, {}};
}

QJsonObject bodyOf(const HttpRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

} // namespace

bool SandboxSso::accepts(const HttpRequest &request)
{
    const QByteArrayView path = request.path();
    return path == "/federation/credentials" || path == "/client/register" || path == "/device_authorization"
        || path == "/token";
}

SandboxAnswer SandboxSso::handle(const HttpRequest &request, qint64 nowMs)
{
    const QByteArrayView path = request.path();
    if (path == "/federation/credentials") {
        if (request.method != "GET")
            return SandboxAnswer::error(405, "MethodNotAllowedException", QStringLiteral("Use GET"));
        return roleCredentials(request, nowMs);
    }
    if (request.method != "POST")
        return SandboxAnswer::error(405, "MethodNotAllowedException", QStringLiteral("Use POST"));
    if (path == "/client/register")
        return registerClient(request, nowMs);
    if (path == "/device_authorization")
        return startDeviceAuthorization(request, nowMs);
    return createToken(request, nowMs);
}

SandboxAnswer SandboxSso::roleCredentials(const HttpRequest &request, qint64 nowMs)
{
    const QString token = QString::fromUtf8(request.header("x-amz-sso_bearer_token"));
    if (token.isEmpty() || !m_store->isValidAccessToken(token, nowMs))
        return SandboxAnswer::error(401, "UnauthorizedException", QStringLiteral("Session token not found or invalid"));
    const QUrlQuery query(QString::fromUtf8(request.query().toByteArray()));
    const QString account = query.queryItemValue(QStringLiteral("account_id"), QUrl::FullyDecoded);
    const QString role = query.queryItemValue(QStringLiteral("role_name"), QUrl::FullyDecoded);
    static const QRegularExpression accountPattern(QStringLiteral("^\\d{12}$"));
    if (!accountPattern.match(account).hasMatch() || role.isEmpty())
        return SandboxAnswer::error(400, "InvalidRequestException",
                                    QStringLiteral("account_id must be 12 digits and role_name must be given"));
    const QString roleArn = QStringLiteral("arn:aws:iam::%1:role/%2").arg(account, role);
    if (m_store->isDenied(roleArn))
        return SandboxAnswer::error(403, "ForbiddenException", QStringLiteral("No access"));
    const QString reserved = QStringLiteral("AWSReservedSSO_%1_sandbox").arg(role);
    const SandboxIdentity identity{QStringLiteral("arn:aws:sts::%1:assumed-role/%2/sandbox-user").arg(account, reserved),
                                   QStringLiteral("AROASANDBOXSSO%1:sandbox-user").arg(role.left(6).toUpper()), account};
    const auto issued = m_store->issue(identity, 3600 * 1000, nowMs);
    return json(QJsonObject{{QStringLiteral("roleCredentials"),
                             QJsonObject{{QStringLiteral("accessKeyId"), issued.accessKeyId},
                                         {QStringLiteral("secretAccessKey"), issued.secretAccessKey},
                                         {QStringLiteral("sessionToken"), issued.sessionToken},
                                         {QStringLiteral("expiration"), double(issued.expiresMs)}}}});
}

SandboxAnswer SandboxSso::registerClient(const HttpRequest &request, qint64 nowMs)
{
    const QJsonObject body = bodyOf(request);
    if (body.value(QStringLiteral("clientName")).toString().isEmpty()
        || body.value(QStringLiteral("clientType")).toString() != QLatin1String("public"))
        return oauthError(400, "InvalidRequestException", QStringLiteral("invalid_request"),
                          QStringLiteral("clientName is required and clientType must be \"public\""));
    const auto [id, secret] = m_store->registerClient();
    return json(QJsonObject{{QStringLiteral("clientId"), id},
                            {QStringLiteral("clientSecret"), secret},
                            {QStringLiteral("clientIdIssuedAt"), double(nowMs / 1000)},
                            {QStringLiteral("clientSecretExpiresAt"), double(nowMs / 1000 + 90 * 24 * 3600)}});
}

SandboxAnswer SandboxSso::startDeviceAuthorization(const HttpRequest &request, qint64 nowMs)
{
    const QJsonObject body = bodyOf(request);
    const QString clientId = body.value(QStringLiteral("clientId")).toString();
    if (!m_store->isClient(clientId, body.value(QStringLiteral("clientSecret")).toString()))
        return oauthError(401, "InvalidClientException", QStringLiteral("invalid_client"), QStringLiteral("Invalid client"));
    const QString startUrl = body.value(QStringLiteral("startUrl")).toString();
    if (!startUrl.startsWith(QLatin1String("https://")) && !startUrl.startsWith(QLatin1String("http://")))
        return oauthError(400, "InvalidRequestException", QStringLiteral("invalid_request"),
                          QStringLiteral("startUrl must be an http(s) URL"));
    const auto device = m_store->startDeviceAuthorization(clientId, startUrl, nowMs);
    const QString verification = startUrl.section(QLatin1Char('/'), 0, 2) + QStringLiteral("/device");
    return json(QJsonObject{{QStringLiteral("deviceCode"), device.deviceCode},
                            {QStringLiteral("userCode"), device.userCode},
                            {QStringLiteral("verificationUri"), verification},
                            {QStringLiteral("verificationUriComplete"), verification + QStringLiteral("?user_code=") + device.userCode},
                            {QStringLiteral("expiresIn"), 600},
                            {QStringLiteral("interval"), 1}});
}

SandboxAnswer SandboxSso::createToken(const HttpRequest &request, qint64 nowMs)
{
    const QJsonObject body = bodyOf(request);
    const QString clientId = body.value(QStringLiteral("clientId")).toString();
    const QString clientSecret = body.value(QStringLiteral("clientSecret")).toString();
    if (!m_store->isClient(clientId, clientSecret))
        return oauthError(401, "InvalidClientException", QStringLiteral("invalid_client"), QStringLiteral("Invalid client"));
    const QString grant = body.value(QStringLiteral("grantType")).toString();
    const auto tokens = [&](bool byRefresh) {
        const auto [access, refresh] = m_store->grantTokens(clientId, clientSecret, kAccessTokenLifetimeMs, nowMs, byRefresh);
        return json(QJsonObject{{QStringLiteral("accessToken"), access},
                                {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
                                {QStringLiteral("expiresIn"), int(kAccessTokenLifetimeMs / 1000)},
                                {QStringLiteral("refreshToken"), refresh}});
    };
    if (grant == QLatin1String("refresh_token")) {
        if (!m_store->redeemRefreshToken(body.value(QStringLiteral("refreshToken")).toString(), clientId))
            return oauthError(400, "InvalidGrantException", QStringLiteral("invalid_grant"),
                              QStringLiteral("Invalid refresh token provided"));
        return tokens(true);
    }
    if (grant != QLatin1String("urn:ietf:params:oauth:grant-type:device_code"))
        return oauthError(400, "UnsupportedGrantTypeException", QStringLiteral("unsupported_grant_type"),
                          QStringLiteral("Unsupported grant type: %1").arg(grant));
    const QString deviceCode = body.value(QStringLiteral("deviceCode")).toString();
    const auto device = m_store->deviceAuthorization(deviceCode);
    if (!device || device->clientId != clientId)
        return oauthError(400, "InvalidGrantException", QStringLiteral("invalid_grant"), QStringLiteral("Invalid device code provided"));
    if (device->expiresMs <= nowMs)
        return oauthError(400, "ExpiredTokenException", QStringLiteral("expired_token"), QStringLiteral("Device code has expired"));
    if (!device->approved)
        return oauthError(400, "AuthorizationPendingException", QStringLiteral("authorization_pending"),
                          QStringLiteral("Authorization is still pending"));
    m_store->forgetDeviceAuthorization(deviceCode);
    return tokens(false);
}

} // namespace kwb::sandbox
