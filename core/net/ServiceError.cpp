#include "ServiceError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace kwb::net {

Error::Kind classifyServiceError(const QString &code, int httpStatus)
{
    using K = Error::Kind;
    static const struct { const char *code; K kind; } known[] = {
        {"ProvisionedThroughputExceededException", K::Throttling},
        {"ThrottlingException", K::Throttling},
        {"Throttling", K::Throttling},
        {"RequestLimitExceeded", K::Throttling},
        {"TooManyRequestsException", K::Throttling},
        {"SlowDown", K::Throttling},
        {"KMSThrottlingException", K::Throttling},
        // Kinesis uses LimitExceededException for control-plane rate limits (too many
        // concurrent CreateStream/DeleteStream/ListShards calls): a throttle, retried later.
        {"LimitExceededException", K::Throttling},
        {"InternalFailure", K::Server},
        {"InternalFailureException", K::Server},
        {"InternalServerError", K::Server},
        {"ServiceUnavailable", K::Server},
        {"ServiceUnavailableException", K::Server},
        {"AccessDeniedException", K::Access},
        {"UnrecognizedClientException", K::Access},
        {"InvalidSignatureException", K::Access},
        {"IncompleteSignature", K::Access},
        {"IncompleteSignatureException", K::Access},
        {"MissingAuthenticationToken", K::Access},
        {"MissingAuthenticationTokenException", K::Access},
        {"ExpiredTokenException", K::Access},
        {"InvalidClientTokenId", K::Access},
        {"SignatureDoesNotMatch", K::Access},
        {"NotAuthorized", K::Access},
        {"ValidationException", K::Validation},
        {"InvalidArgumentException", K::Validation},
        {"SerializationException", K::Validation},
        {"ExpiredIteratorException", K::Validation},
        {"ExpiredNextTokenException", K::Validation},
        {"UnknownOperationException", K::Validation},
        {"ResourceNotFoundException", K::NotFound},
        {"ResourceInUseException", K::InUse},
        {"KMSDisabledException", K::Kms},
        {"KMSInvalidStateException", K::Kms},
        {"KMSAccessDeniedException", K::Kms},
        {"KMSNotFoundException", K::Kms},
        {"KMSOptInRequired", K::Kms},
    };
    for (const auto &entry : known)
        if (code == QLatin1String(entry.code))
            return entry.kind;
    if (httpStatus >= 500)
        return K::Server;
    if (httpStatus == 429)
        return K::Throttling;
    if (httpStatus == 401 || httpStatus == 403)
        return K::Access;
    if (httpStatus == 404)
        return K::NotFound;
    return K::Client;
}

QString bodySnippet(const QByteArray &body, int max)
{
    QString text = QString::fromUtf8(body.left(max)).simplified();
    if (body.size() > max)
        text += QStringLiteral("…");
    return text.isEmpty() ? QStringLiteral("(empty body)") : text;
}

Error serviceErrorFromResponse(int httpStatus, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    QString code;
    QString message;
    if (parseError.error == QJsonParseError::NoError && document.isObject()) {
        const QJsonObject object = document.object();
        code = object.value(QLatin1String("__type")).toString();
        if (const auto hash = code.lastIndexOf(QLatin1Char('#')); hash >= 0)
            code = code.mid(hash + 1);
        message = object.value(QLatin1String("message")).toString();
        if (message.isEmpty())
            message = object.value(QLatin1String("Message")).toString();
    } else if (!body.isEmpty()) {
        message = QStringLiteral("the service answered with a body that is not JSON: %1").arg(bodySnippet(body));
    }
    if (code.isEmpty())
        code = QStringLiteral("Http%1").arg(httpStatus);
    if (message.isEmpty())
        message = QStringLiteral("the service answered HTTP %1 without a message").arg(httpStatus);
    return Error{classifyServiceError(code, httpStatus), code, message, httpStatus};
}

Error networkError(QNetworkReply::NetworkError code, const QString &detail, const QString &endpoint)
{
    using N = QNetworkReply::NetworkError;
    Error error{Error::Kind::Network, QStringLiteral("NetworkError"), QString(), 0};
    switch (code) {
    case N::ConnectionRefusedError:
        error.code = QStringLiteral("ConnectionRefused");
        error.message = QStringLiteral("nothing answers at %1 (connection refused); check the endpoint URL "
                                       "and that the service is running").arg(endpoint);
        break;
    case N::RemoteHostClosedError:
        error.code = QStringLiteral("ConnectionClosed");
        error.message = QStringLiteral("%1 closed the connection before the answer was complete").arg(endpoint);
        break;
    case N::HostNotFoundError:
        error.code = QStringLiteral("HostNotFound");
        error.message = QStringLiteral("the host of %1 was not found (DNS); check the endpoint URL and region")
                            .arg(endpoint);
        break;
    case N::SslHandshakeFailedError:
        // Certificate problems do not go away on retry; TLS verification is never switched off.
        error.kind = Error::Kind::Config;
        error.code = QStringLiteral("TlsError");
        error.message = QStringLiteral("the TLS connection to %1 failed: %2").arg(endpoint, detail);
        break;
    case N::TimeoutError:
        error.kind = Error::Kind::Timeout;
        error.code = QStringLiteral("Timeout");
        error.message = QStringLiteral("%1 did not answer in time").arg(endpoint);
        break;
    case N::OperationCanceledError:
        error.kind = Error::Kind::Cancelled;
        error.code = QStringLiteral("Cancelled");
        error.message = QStringLiteral("the request was cancelled");
        break;
    default:
        error.message = QStringLiteral("network error talking to %1: %2").arg(endpoint, detail);
        break;
    }
    return error;
}

} // namespace kwb::net
