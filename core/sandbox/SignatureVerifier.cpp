#include "sandbox/SignatureVerifier.h"

#include "aws/SigV4Signer.h"

#include <QDateTime>

#include <openssl/crypto.h>

namespace kwb::sandbox {

namespace {

Error authError(const char *code, const QString &message)
{
    return Error{Error::Kind::Access, QLatin1String(code), message, 400};
}

QDateTime parseAmzDate(QByteArrayView text)
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return {};
    const auto number = [&](int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const QDate date(number(0, 4), number(4, 2), number(6, 2));
    const QTime time(number(9, 2), number(11, 2), number(13, 2));
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

} // namespace

SignatureVerifier::SignatureVerifier(QString accessKeyId, QString secretAccessKey, QString service)
    : m_accessKeyId(std::move(accessKeyId))
    , m_secretAccessKey(std::move(secretAccessKey))
    , m_service(std::move(service))
{
}

QString SignatureVerifier::accessKeyIdOf(const HttpRequest &request)
{
    const QByteArray authorization = request.header("authorization");
    const qsizetype at = authorization.indexOf("Credential=");
    if (at < 0)
        return {};
    const qsizetype from = at + 11;
    const qsizetype slash = authorization.indexOf('/', from);
    if (slash < 0)
        return {};
    return QString::fromUtf8(authorization.mid(from, slash - from)).trimmed();
}

Result<void> SignatureVerifier::verify(const HttpRequest &request, qint64 nowMs) const
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.isNull()) {
        if (request.query().contains("X-Amz-Algorithm="))
            return authError("IncompleteSignatureException",
                             QStringLiteral("The sandbox accepts only signatures in the Authorization header."));
        return authError("MissingAuthenticationTokenException", QStringLiteral("Missing Authentication Token"));
    }
    const qsizetype space = authorization.indexOf(' ');
    const QByteArray algorithm = space < 0 ? authorization : authorization.left(space);
    if (algorithm != "AWS4-HMAC-SHA256")
        return authError("IncompleteSignatureException",
                         QStringLiteral("Unsupported AWS 'algorithm': '%1'").arg(QString::fromLatin1(algorithm)));
    QByteArray credential;
    QByteArray signedHeaders;
    QByteArray signature;
    for (const QByteArray &part : authorization.mid(space + 1).replace(',', ' ').split(' ')) {
        const qsizetype equals = part.indexOf('=');
        if (equals <= 0)
            continue;
        const QByteArray key = part.left(equals);
        if (key == "Credential")
            credential = part.mid(equals + 1);
        else if (key == "SignedHeaders")
            signedHeaders = part.mid(equals + 1);
        else if (key == "Signature")
            signature = part.mid(equals + 1);
    }
    const QByteArray amzDate = request.header("x-amz-date");
    QString missing;
    for (const auto &[name, value] : {std::pair{"Credential", &credential}, std::pair{"Signature", &signature},
                                      std::pair{"SignedHeaders", &signedHeaders}})
        if (value->isEmpty())
            missing += QStringLiteral("Authorization header requires '%1' parameter. ").arg(QLatin1String(name));
    if (amzDate.isEmpty())
        missing += QStringLiteral("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    if (!missing.isEmpty())
        return authError("IncompleteSignatureException",
                         missing + QStringLiteral("Authorization=") + QString::fromLatin1(authorization));

    // Credential=<key id>/<date>/<region>/<service>/aws4_request
    const QList<QByteArray> scope = credential.split('/');
    if (scope.size() != 5 || scope[4] != "aws4_request")
        return authError("IncompleteSignatureException",
                         QStringLiteral("Credential must have exactly 5 slash-delimited elements, e.g. "
                                        "keyid/date/region/service/term, got '%1'")
                             .arg(QString::fromLatin1(credential)));
    if (QString::fromUtf8(scope[0]) != m_accessKeyId)
        return authError("UnrecognizedClientException", QStringLiteral("The security token included in the request is invalid."));
    if (QString::fromUtf8(scope[3]) != m_service)
        return authError("InvalidSignatureException",
                         QStringLiteral("Credential should be scoped to correct service: '%1'. ").arg(m_service));

    const QDateTime signedAt = parseAmzDate(amzDate);
    if (!signedAt.isValid())
        return authError("IncompleteSignatureException",
                         QStringLiteral("Date must be in ISO-8601 'basic format'. Got '%1'. See "
                                        "http://en.wikipedia.org/wiki/ISO_8601")
                             .arg(QString::fromLatin1(amzDate)));
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
    const qint64 skew = signedAt.toMSecsSinceEpoch() - nowMs;
    if (skew < -kMaxSkewMs)
        return authError("InvalidSignatureException",
                         QStringLiteral("Signature expired: %1 is now earlier than %2 (%3 - 15 min.)")
                             .arg(QString::fromLatin1(amzDate),
                                  QString::fromLatin1(aws::SigV4Signer::amzDate(now.addMSecs(-kMaxSkewMs))),
                                  QString::fromLatin1(aws::SigV4Signer::amzDate(now))));
    if (skew > kMaxSkewMs)
        return authError("InvalidSignatureException",
                         QStringLiteral("Signature not yet current: %1 is still later than %2 (%3 + 15 min.)")
                             .arg(QString::fromLatin1(amzDate),
                                  QString::fromLatin1(aws::SigV4Signer::amzDate(now.addMSecs(kMaxSkewMs))),
                                  QString::fromLatin1(aws::SigV4Signer::amzDate(now))));

    aws::SigningParams params;
    params.region = QString::fromUtf8(scope[2]);
    params.service = QString::fromUtf8(scope[3]);
    params.time = signedAt;
    params.credentials.accessKeyId = m_accessKeyId;
    params.credentials.secretAccessKey = m_secretAccessKey;

    // The canonical request exactly as the client built it: the headers it says it signed,
    // in its order, values of a repeated header joined with ','.
    QByteArray canonical;
    canonical.reserve(512);
    canonical.append(request.method).append('\n');
    canonical.append(aws::SigV4Signer::canonicalPath(request.path(), params.normalizePath, params.encodePath)).append('\n');
    canonical.append(aws::SigV4Signer::canonicalQuery(request.query())).append('\n');
    for (const QByteArray &name : signedHeaders.split(';')) {
        canonical.append(name).append(':');
        bool first = true;
        for (const auto &[key, value] : request.headers) {
            if (key.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (!first)
                canonical.append(',');
            first = false;
            aws::SigV4Signer::appendCanonicalHeaderValue(canonical, value);
        }
        canonical.append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n');
    canonical.append(aws::SignableRequest::sha256Hex(request.body));

    const QByteArray expected = aws::SigV4Signer::signature(aws::SigV4Signer::stringToSign(canonical, params), params);
    if (expected.size() != signature.size()
        || CRYPTO_memcmp(expected.constData(), signature.constData(), size_t(expected.size())) != 0)
        return authError("InvalidSignatureException",
                         QStringLiteral("The request signature we calculated does not match the signature you provided. "
                                        "Check your AWS Secret Access Key and signing method. Consult the service "
                                        "documentation for details."));
    return {};
}

} // namespace kwb::sandbox
