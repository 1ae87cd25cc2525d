#include "aws/StsClient.h"

#include "aws/AuthHttp.h"
#include "aws/SigV4Signer.h"

#include <QUrl>
#include <QXmlStreamReader>

namespace kwb::aws {

namespace {

constexpr const char *kFormType = "application/x-www-form-urlencoded; charset=utf-8";

QByteArray formEncode(const QList<QPair<QString, QString>> &params)
{
    QByteArray out;
    for (const auto &[name, value] : params) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

// The text of each element named in `names`, wherever it is (STS answers are shallow and unique).
QMap<QString, QString> elements(const QByteArray &xml, const QStringList &names, bool *wellFormed)
{
    QMap<QString, QString> found;
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement) {
            const QString name = reader.name().toString();
            if (names.contains(name) && !found.contains(name))
                found.insert(name, reader.readElementText(QXmlStreamReader::IncludeChildElements).trimmed());
        }
    }
    if (wellFormed)
        *wellFormed = !reader.hasError();
    return found;
}

Error::Kind kindOf(const QString &code, int status)
{
    if (status >= 500)
        return Error::Kind::Server;
    if (code.contains(QLatin1String("Throttl")))
        return Error::Kind::Throttling;
    if (code == QLatin1String("ValidationError") || code == QLatin1String("MalformedPolicyDocument"))
        return Error::Kind::Validation;
    return Error::Kind::Access;
}

} // namespace

Error StsClient::parseError(int status, const QByteArray &xml, const QString &action)
{
    bool wellFormed = false;
    const auto values = elements(xml, {QStringLiteral("Code"), QStringLiteral("Message")}, &wellFormed);
    const QString code = values.value(QStringLiteral("Code"));
    if (!wellFormed || code.isEmpty())
        return Error{status >= 500 ? Error::Kind::Server : Error::Kind::Protocol, QStringLiteral("HTTP%1").arg(status),
                     QStringLiteral("STS %1 failed with HTTP %2 and an answer that is not an STS error").arg(action).arg(status),
                     status};
    return Error{kindOf(code, status), code, values.value(QStringLiteral("Message")), status};
}

Result<AssumedRole> StsClient::parseAssumeRoleAnswer(const QByteArray &xml, const QString &action)
{
    bool wellFormed = false;
    const auto values = elements(xml,
                                 {QStringLiteral("AccessKeyId"), QStringLiteral("SecretAccessKey"), QStringLiteral("SessionToken"),
                                  QStringLiteral("Expiration"), QStringLiteral("Arn")},
                                 &wellFormed);
    AssumedRole role;
    role.credentials.accessKeyId = values.value(QStringLiteral("AccessKeyId"));
    role.credentials.secretAccessKey = values.value(QStringLiteral("SecretAccessKey"));
    role.credentials.sessionToken = values.value(QStringLiteral("SessionToken"));
    const QDateTime expiration = QDateTime::fromString(values.value(QStringLiteral("Expiration")), Qt::ISODateWithMs);
    role.arn = values.value(QStringLiteral("Arn"));
    if (!wellFormed || role.credentials.isEmpty() || role.credentials.sessionToken.isEmpty() || !expiration.isValid())
        return Error{Error::Kind::Protocol, QStringLiteral("InvalidAnswer"),
                     QStringLiteral("STS %1 answered without complete credentials (AccessKeyId, SecretAccessKey, "
                                    "SessionToken, Expiration)").arg(action),
                     200};
    role.credentials.expiration = expiration.toUTC();
    return role;
}

Result<CallerIdentity> StsClient::parseCallerIdentityAnswer(const QByteArray &xml)
{
    bool wellFormed = false;
    const auto values = elements(xml, {QStringLiteral("Account"), QStringLiteral("Arn"), QStringLiteral("UserId")}, &wellFormed);
    CallerIdentity identity{values.value(QStringLiteral("Account")), values.value(QStringLiteral("Arn")),
                            values.value(QStringLiteral("UserId"))};
    if (!wellFormed || identity.account.isEmpty() || identity.arn.isEmpty())
        return Error{Error::Kind::Protocol, QStringLiteral("InvalidAnswer"),
                     QStringLiteral("STS GetCallerIdentity answered without an account and an ARN"), 200};
    return identity;
}

void StsClient::call(const ServiceEndpoint &endpoint, const QString &action, const QList<QPair<QString, QString>> &params,
                     const Credentials *signer, QObject *context, Callback<QByteArray> done) const
{
    QList<QPair<QString, QString>> all{{QStringLiteral("Action"), action}, {QStringLiteral("Version"), QStringLiteral("2011-06-15")}};
    all += params;
    const QByteArray body = formEncode(all);
    QUrl url = endpoint.url;
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    const QByteArray host = hostHeader(url);
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", kFormType}, {"Host", host}};
    if (signer) {
        SignableRequest signable;
        signable.method = "POST";
        signable.path = url.path(QUrl::FullyEncoded).toUtf8();
        signable.headers = {{"Content-Type", kFormType}, {"Host", host}};
        signable.payloadHash = SignableRequest::sha256Hex(body);
        SigningParams signing;
        signing.region = endpoint.region;
        signing.service = QStringLiteral("sts");
        signing.time = m_clock();
        signing.credentials = *signer;
        auto signedHeaders = SigV4Signer::sign(signable, signing);
        if (!signedHeaders) {
            done(signedHeaders.error());
            return;
        }
        for (const auto &[name, value] : signedHeaders.value())
            headers.append({name, value});
    }
    sendAuthRequest(m_network, "POST", url, headers, body, QStringLiteral("STS (%1)").arg(endpoint.source), context,
                    [action, done](Result<AuthHttpAnswer> answer) {
                        if (!answer) {
                            done(answer.error());
                            return;
                        }
                        if (answer.value().status != 200) {
                            done(parseError(answer.value().status, answer.value().body, action));
                            return;
                        }
                        done(answer.value().body);
                    });
}

void StsClient::assumeRole(const ServiceEndpoint &endpoint, const Credentials &caller, const AssumeRoleParams &params,
                           QObject *context, Callback<AssumedRole> done) const
{
    QList<QPair<QString, QString>> form{{QStringLiteral("RoleArn"), params.roleArn},
                                        {QStringLiteral("RoleSessionName"), params.sessionName}};
    if (!params.externalId.isEmpty())
        form.append({QStringLiteral("ExternalId"), params.externalId});
    if (params.durationSeconds > 0)
        form.append({QStringLiteral("DurationSeconds"), QString::number(params.durationSeconds)});
    if (!params.serialNumber.isEmpty()) {
        form.append({QStringLiteral("SerialNumber"), params.serialNumber});
        form.append({QStringLiteral("TokenCode"), params.tokenCode});
    }
    call(endpoint, QStringLiteral("AssumeRole"), form, &caller, context, [done](Result<QByteArray> xml) {
        if (!xml)
            return done(xml.error());
        done(parseAssumeRoleAnswer(xml.value(), QStringLiteral("AssumeRole")));
    });
}

void StsClient::assumeRoleWithWebIdentity(const ServiceEndpoint &endpoint, const QString &roleArn,
                                          const QString &sessionName, const QByteArray &webIdentityToken,
                                          int durationSeconds, QObject *context, Callback<AssumedRole> done) const
{
    QList<QPair<QString, QString>> form{{QStringLiteral("RoleArn"), roleArn},
                                        {QStringLiteral("RoleSessionName"), sessionName},
                                        {QStringLiteral("WebIdentityToken"), QString::fromUtf8(webIdentityToken)}};
    if (durationSeconds > 0)
        form.append({QStringLiteral("DurationSeconds"), QString::number(durationSeconds)});
    call(endpoint, QStringLiteral("AssumeRoleWithWebIdentity"), form, nullptr, context, [done](Result<QByteArray> xml) {
        if (!xml)
            return done(xml.error());
        done(parseAssumeRoleAnswer(xml.value(), QStringLiteral("AssumeRoleWithWebIdentity")));
    });
}

void StsClient::getCallerIdentity(const ServiceEndpoint &endpoint, const Credentials &caller, QObject *context,
                                  Callback<CallerIdentity> done) const
{
    call(endpoint, QStringLiteral("GetCallerIdentity"), {}, &caller, context, [done](Result<QByteArray> xml) {
        if (!xml)
            return done(xml.error());
        done(parseCallerIdentityAnswer(xml.value()));
    });
}

} // namespace kwb::aws
