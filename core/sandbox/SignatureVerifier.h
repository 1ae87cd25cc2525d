#pragma once

#include "Result.h"
#include "sandbox/HttpRequest.h"

#include <QString>

namespace kwb::sandbox {

/// Checks the AWS Signature Version 4 of requests to the sandbox, as the service does: parses
/// the Authorization header, rebuilds the canonical request from what was received (method,
/// path and query as sent, the signed headers, a hash of the body) with SigV4Signer's stages,
/// and compares the signatures in constant time. Signatures are accepted within 15 minutes of
/// their X-Amz-Date. Errors carry the service's exception name as code (MissingAuthentication-
/// TokenException, IncompleteSignatureException, UnrecognizedClientException,
/// InvalidSignatureException) and its message. Immutable; never logs or returns the secret.
class SignatureVerifier
{
public:
    static constexpr qint64 kMaxSkewMs = 15 * 60 * 1000;

    /// `service` is the signing name the credential scope must name ("kinesis", "sts").
    SignatureVerifier(QString accessKeyId, QString secretAccessKey, QString service = QStringLiteral("kinesis"));

    /// The access key id named by the request's Authorization header; empty when there is none.
    static QString accessKeyIdOf(const HttpRequest &request);

    Result<void> verify(const HttpRequest &request, qint64 nowMs) const;

private:
    QString m_accessKeyId;
    QString m_secretAccessKey;
    QString m_service;
};

} // namespace kwb::sandbox
