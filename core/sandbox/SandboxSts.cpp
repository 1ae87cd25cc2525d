#include "sandbox/SandboxSts.h"

#include "sandbox/SignatureVerifier.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QUuid>
#include <QXmlStreamWriter>

namespace kwb::sandbox {

namespace {

constexpr const char *kNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
constexpr const char *kSandboxAccount = "000000000000";

QString requestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

SandboxAnswer xmlError(int status, const QByteArray &code, const QString &message, bool sender = true)
{
    QByteArray body;
    QXmlStreamWriter xml(&body);
    xml.writeStartElement(QStringLiteral("ErrorResponse"));
    xml.writeDefaultNamespace(QLatin1String(kNamespace));
    xml.writeStartElement(QStringLiteral("Error"));
    xml.writeTextElement(QStringLiteral("Type"), sender ? QStringLiteral("Sender") : QStringLiteral("Receiver"));
    xml.writeTextElement(QStringLiteral("Code"), QString::fromLatin1(code));
    xml.writeTextElement(QStringLiteral("Message"), message);
    xml.writeEndElement();
    xml.writeTextElement(QStringLiteral("RequestId"), requestId());
    xml.writeEndElement();
    return SandboxAnswer{status, body, code, false, 0, {}, "text/xml"};
}

SandboxAnswer jsonError(int status, const QByteArray &code, const QString &message)
{
    return SandboxAnswer::error(status, code, message);
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

void writeCredentials(QXmlStreamWriter &xml, const SandboxIssuedCredentials &issued)
{
    xml.writeStartElement(QStringLiteral("Credentials"));
    xml.writeTextElement(QStringLiteral("AccessKeyId"), issued.accessKeyId);
    xml.writeTextElement(QStringLiteral("SecretAccessKey"), issued.secretAccessKey);
    xml.writeTextElement(QStringLiteral("SessionToken"), issued.sessionToken);
    xml.writeTextElement(QStringLiteral("Expiration"), iso(issued.expiresMs));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("AssumedRoleUser"));
    xml.writeTextElement(QStringLiteral("AssumedRoleId"), issued.identity.userId);
    xml.writeTextElement(QStringLiteral("Arn"), issued.identity.arn);
    xml.writeEndElement();
}

SandboxAnswer xmlAnswer(const QString &action, const std::function<void(QXmlStreamWriter &)> &result)
{
    QByteArray body;
    QXmlStreamWriter xml(&body);
    xml.writeStartElement(action + QStringLiteral("Response"));
    xml.writeDefaultNamespace(QLatin1String(kNamespace));
    xml.writeStartElement(action + QStringLiteral("Result"));
    result(xml);
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("ResponseMetadata"));
    xml.writeTextElement(QStringLiteral("RequestId"), requestId());
    xml.writeEndElement();
    xml.writeEndElement();
    SandboxAnswer answer = SandboxAnswer::ok(body);
    answer.contentType = "text/xml";
    return answer;
}

// "arn:aws:iam::111122223333:role/path/Name" -> (account, "Name"); nullopt when not a role ARN.
std::optional<QPair<QString, QString>> splitRoleArn(const QString &arn)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$)"));
    const auto match = pattern.match(arn);
    if (!match.hasMatch())
        return std::nullopt;
    return QPair<QString, QString>{match.captured(1), match.captured(2)};
}

SandboxIdentity assumedIdentity(const QString &account, const QString &roleName, const QString &session)
{
    // A role id is stable per role: derive it from the name.
    const QByteArray hash = QCryptographicHash::hash(roleName.toUtf8(), QCryptographicHash::Sha1).toHex().toUpper();
    const QString roleId = QStringLiteral("AROA") + QString::fromLatin1(hash.left(17));
    return SandboxIdentity{QStringLiteral("arn:aws:sts::%1:assumed-role/%2/%3").arg(account, roleName, session),
                           roleId + QLatin1Char(':') + session, account};
}

} // namespace

bool SandboxSts::accepts(const HttpRequest &request)
{
    return request.method == "POST"
        && request.header("content-type").trimmed().toLower().startsWith("application/x-www-form-urlencoded");
}

std::optional<SandboxAnswer> SandboxSts::checkIssued(const SandboxIdentityStore &store, const HttpRequest &request,
                                                     const QString &service, qint64 nowMs, SandboxIdentity *identity,
                                                     bool xml)
{
    const QString keyId = SignatureVerifier::accessKeyIdOf(request);
    const auto issued = store.credentials(keyId);
    if (!issued)
        return std::nullopt;
    const auto fail = [&](int status, const QByteArray &code, const QString &message) {
        return xml ? xmlError(status, code, message) : jsonError(status, code, message);
    };
    if (auto verified = SignatureVerifier(issued->accessKeyId, issued->secretAccessKey, service).verify(request, nowMs);
        !verified.ok())
        return fail(403, verified.error().code.toLatin1(), verified.error().message);
    if (QString::fromUtf8(request.header("x-amz-security-token")) != issued->sessionToken)
        return fail(403, xml ? "InvalidClientTokenId" : "UnrecognizedClientException",
                    QStringLiteral("The security token included in the request is invalid."));
    if (issued->expiresMs <= nowMs)
        return fail(400, "ExpiredTokenException", QStringLiteral("The security token included in the request is expired"));
    if (identity)
        *identity = issued->identity;
    return SandboxAnswer{}; // status 200, empty: accepted
}

SandboxAnswer SandboxSts::handle(const HttpRequest &request, const SandboxOptions &options, qint64 nowMs)
{
    QString form = QString::fromUtf8(request.body);
    form.replace(QLatin1Char('+'), QLatin1Char(' '));
    const QUrlQuery query(form);
    const auto param = [&](const char *name) { return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    const QString action = param("Action");
    if (param("Version") != QLatin1String("2011-06-15"))
        return xmlError(400, "InvalidAction", QStringLiteral("Could not find operation %1 for version %2")
                                                  .arg(action, param("Version")));

    if (action == QLatin1String("AssumeRoleWithWebIdentity")) {
        const QString roleArn = param("RoleArn");
        const QString session = param("RoleSessionName");
        const QString token = param("WebIdentityToken");
        const auto role = splitRoleArn(roleArn);
        if (!role)
            return xmlError(400, "ValidationError", QStringLiteral("%1 is invalid").arg(roleArn));
        static const QRegularExpression sessionPattern(QStringLiteral(R"(^[\w+=,.@-]{2,64}$)"));
        if (!sessionPattern.match(session).hasMatch())
            return xmlError(400, "ValidationError",
                            QStringLiteral("1 validation error detected: Value at 'roleSessionName' failed to satisfy "
                                           "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"));
        const QStringList parts = token.split(QLatin1Char('.'));
        QJsonObject claims;
        if (parts.size() == 3)
            claims = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding))
                         .object();
        if (claims.isEmpty())
            return xmlError(400, "InvalidIdentityToken", QStringLiteral("The ID token provided is not a valid JWT. "
                                                                        "(You may see this error if you sent an Access Token)"));
        if (claims.value(QStringLiteral("exp")).toDouble() * 1000 < double(nowMs))
            return xmlError(400, "ExpiredTokenException", QStringLiteral("Token is expired"));
        if (m_store->isDenied(roleArn))
            return xmlError(403, "AccessDenied", QStringLiteral("Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        const int duration = param("DurationSeconds").isEmpty() ? 3600 : param("DurationSeconds").toInt();
        if (duration < 900 || duration > 43200)
            return xmlError(400, "ValidationError", QStringLiteral("The requested DurationSeconds exceeds the 1 hour "
                                                                   "session limit for roles assumed by role chaining."));
        const auto issued = m_store->issue(assumedIdentity(role->first, role->second, session), qint64(duration) * 1000, nowMs);
        return xmlAnswer(action, [&](QXmlStreamWriter &xml) {
            writeCredentials(xml, issued);
            xml.writeTextElement(QStringLiteral("SubjectFromWebIdentityToken"), claims.value(QStringLiteral("sub")).toString());
            xml.writeTextElement(QStringLiteral("Audience"), claims.value(QStringLiteral("aud")).toString());
            xml.writeTextElement(QStringLiteral("Provider"), claims.value(QStringLiteral("iss")).toString());
        });
    }

    if (action != QLatin1String("AssumeRole") && action != QLatin1String("GetCallerIdentity"))
        return xmlError(400, "InvalidAction", QStringLiteral("Could not find operation %1 for version 2011-06-15").arg(action));

    // Signed actions: who is calling?
    if (request.header("authorization").isNull())
        return xmlError(403, "MissingAuthenticationToken", QStringLiteral("Request is missing Authentication Token"));
    SandboxIdentity caller;
    if (auto issuedCheck = checkIssued(*m_store, request, QStringLiteral("sts"), nowMs, &caller, true)) {
        if (issuedCheck->status != 200)
            return *issuedCheck;
    } else {
        const QString keyId = SignatureVerifier::accessKeyIdOf(request);
        if (options.verifiesSignatures()) {
            if (keyId != options.accessKeyId)
                return xmlError(403, "InvalidClientTokenId", QStringLiteral("The security token included in the request is invalid."));
            if (auto verified = SignatureVerifier(options.accessKeyId, options.secretAccessKey, QStringLiteral("sts"))
                                    .verify(request, nowMs);
                !verified.ok())
                return xmlError(403, verified.error().code == QLatin1String("InvalidSignatureException")
                                         ? QByteArray("SignatureDoesNotMatch")
                                         : verified.error().code.toLatin1(),
                                verified.error().message);
        }
        caller = SandboxIdentity{QStringLiteral("arn:aws:iam::%1:user/%2").arg(QLatin1String(kSandboxAccount), keyId),
                                 QStringLiteral("AIDA") + keyId.right(16).toUpper(), QLatin1String(kSandboxAccount)};
    }

    if (action == QLatin1String("GetCallerIdentity")) {
        return xmlAnswer(action, [&](QXmlStreamWriter &xml) {
            xml.writeTextElement(QStringLiteral("Arn"), caller.arn);
            xml.writeTextElement(QStringLiteral("UserId"), caller.userId);
            xml.writeTextElement(QStringLiteral("Account"), caller.account);
        });
    }

    const QString roleArn = param("RoleArn");
    const QString session = param("RoleSessionName");
    const auto role = splitRoleArn(roleArn);
    if (!role)
        return xmlError(400, "ValidationError",
                        QStringLiteral("1 validation error detected: Value '%1' at 'roleArn' failed to satisfy constraint: "
                                       "Member must have length greater than or equal to 20").arg(roleArn));
    static const QRegularExpression sessionPattern(QStringLiteral(R"(^[\w+=,.@-]{2,64}$)"));
    if (!sessionPattern.match(session).hasMatch())
        return xmlError(400, "ValidationError",
                        QStringLiteral("1 validation error detected: Value '%1' at 'roleSessionName' failed to satisfy "
                                       "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
                            .arg(session));
    const QString durationText = param("DurationSeconds");
    const int duration = durationText.isEmpty() ? 3600 : durationText.toInt();
    if (duration < 900 || duration > 43200)
        return xmlError(400, "ValidationError",
                        QStringLiteral("1 validation error detected: Value '%1' at 'durationSeconds' failed to satisfy "
                                       "constraint: Member must have value between 900 and 43200").arg(durationText));
    const auto denied = [&] {
        return xmlError(403, "AccessDenied", QStringLiteral("User: %1 is not authorized to perform: sts:AssumeRole on "
                                                            "resource: %2").arg(caller.arn, roleArn));
    };
    if (m_store->isDenied(roleArn))
        return denied();
    if (const QString externalId = m_store->requiredExternalId(roleArn);
        !externalId.isEmpty() && externalId != param("ExternalId"))
        return denied();
    const QString serial = param("SerialNumber");
    const QString code = param("TokenCode");
    if (!serial.isEmpty() || !code.isEmpty()) {
        if (serial.isEmpty() || code.isEmpty() || code != m_store->mfaCode())
            return xmlError(403, "AccessDenied", QStringLiteral("MultiFactorAuthentication failed with invalid MFA one time "
                                                                "pass code. "));
    }
    const auto issued = m_store->issue(assumedIdentity(role->first, role->second, session), qint64(duration) * 1000, nowMs);
    return xmlAnswer(action, [&](QXmlStreamWriter &xml) { writeCredentials(xml, issued); });
}

} // namespace kwb::sandbox
