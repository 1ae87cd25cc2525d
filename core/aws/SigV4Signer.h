#pragma once

#include "Result.h"
#include "aws/Credentials.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace kwb::aws {

/// One HTTP header as sent: name and value bytes.
using HttpHeader = QPair<QByteArray, QByteArray>;
/// HTTP headers in the order they are sent; a name may repeat.
using HttpHeaders = QList<HttpHeader>;

/// What SigV4 needs to know about an HTTP request. The body is not part of it, only its hash:
/// the caller hashes the body once (sha256Hex) and the signer never sees or copies it.
/// A plain value.
struct SignableRequest
{
    QByteArray method;      ///< "POST"
    QByteArray path;        ///< the path as sent, already percent-encoded; empty means "/"
    QByteArray query;       ///< the query string as sent, without '?'; usually empty
    HttpHeaders headers;    ///< as sent, in order, duplicates allowed; must contain Host
    QByteArray payloadHash; ///< lower-case hex SHA-256 of the body: sha256Hex(body)

    /// Lower-case hex SHA-256 of the bytes, in one pass over them (OpenSSL), no copy. Thread-safe.
    static QByteArray sha256Hex(QByteArrayView bytes);
};

/// How to sign: scope, time and credentials, and the few switches on which services differ.
/// The defaults are right for Kinesis (and every JSON protocol service). A plain value.
struct SigningParams
{
    QString region;          ///< "us-east-1"
    QString service;         ///< the signing name: "kinesis"
    QDateTime time;          ///< the signing time, injected; converted to UTC
    Credentials credentials; ///< the session token, if any, is sent as X-Amz-Security-Token
    bool normalizePath = true;    ///< remove dot segments and duplicate slashes (not for S3)
    bool encodePath = true;       ///< URI-encode the already encoded path again (not for S3)
    bool signBody = false;        ///< add and sign X-Amz-Content-Sha256 (S3 wants it)
    bool signSessionToken = true; ///< false: X-Amz-Security-Token is added after signing, unsigned
};

/// AWS Signature Version 4 for request headers, in the stages of the specification, each
/// public so that each can be checked on its own against golden files:
/// canonicalRequest → stringToSign → signature → authorizationHeader; sign() runs them all.
/// Pure and stateless (the time comes in through SigningParams); thread-safe.
/// Nothing it returns, reports or logs contains the secret access key; the session token appears
/// only where the protocol puts it: the X-Amz-Security-Token header and, when that header is
/// signed, its line in the canonical request.
class SigV4Signer
{
public:
    SigV4Signer() = delete;

    /// Checks what signing needs: credentials, region, service, a valid time, a method, a path,
    /// a Host header, header names and values that can be sent, a payload hash. The messages
    /// name what is wrong but never quote credentials or header values.
    static Result<void> validate(const SignableRequest &request, const SigningParams &params);

    /// Signs `request` in place and returns the headers the caller must set on the request it
    /// sends, each replacing any header of the same name: X-Amz-Date, X-Amz-Security-Token
    /// (when there is a session token), X-Amz-Content-Sha256 (when signBody), Authorization.
    /// The signed ones of these are also written into `request.headers` (replacing earlier
    /// values, and dropping any Authorization) so the stage functions can be replayed on it.
    /// Fails with validate()'s error, leaving `request` unchanged.
    static Result<HttpHeaders> sign(SignableRequest &request, const SigningParams &params);

    /// Stage 1: the canonical request of `request` exactly as it is (sign() adds X-Amz-Date first).
    static QByteArray canonicalRequest(const SignableRequest &request, const SigningParams &params);
    /// Stage 2: "AWS4-HMAC-SHA256\n<amz date>\n<credential scope>\n<hex sha256 of stage 1>".
    static QByteArray stringToSign(QByteArrayView canonicalRequest, const SigningParams &params);
    /// The derived key: HMAC chain of "AWS4"+secret over date, region, service, "aws4_request".
    /// 32 raw bytes; secret material, never log it.
    static QByteArray signingKey(const QString &secretAccessKey, QDate date, const QString &region,
                                 const QString &service);
    /// Stage 3: lower-case hex HMAC-SHA256 of stage 2 under signingKey().
    static QByteArray signature(QByteArrayView stringToSign, const SigningParams &params);
    /// Stage 4: "AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<...>, Signature=<...>".
    static QByteArray authorizationHeader(const SigningParams &params, QByteArrayView signedHeaders,
                                          QByteArrayView signature);

    /// Parts of the canonical request, public for tests and for diagnostics.
    /// The path: dot segments and duplicate slashes removed when `normalize`, then every byte
    /// but unreserved characters and '/' percent-encoded when `encode`; "/" when empty.
    static QByteArray canonicalPath(QByteArrayView path, bool normalize, bool encode);
    /// The query: parameters decoded, re-encoded (unreserved characters kept, everything else
    /// %XX upper-case; '+' is a literal plus), sorted by key then value, "key=" when no value.
    static QByteArray canonicalQuery(QByteArrayView query);
    /// A header value as the canonical request holds it ("trimall"): no white space at either
    /// end, each inner run of white space one space, appended to `out`. White space is space,
    /// \t, \v, \f, \r and \n alike (the line breaks of a folded value too), as botocore and
    /// aws-c-auth treat it. The signer and the sandbox's SignatureVerifier both use this one.
    static void appendCanonicalHeaderValue(QByteArray &out, QByteArrayView value);
    /// "content-type;host;x-amz-date": the lower-cased names of the signed headers, sorted, unique.
    static QByteArray signedHeaders(const HttpHeaders &headers);
    /// "20150830T123600Z" (UTC).
    static QByteArray amzDate(const QDateTime &time);
    /// "20150830/us-east-1/service/aws4_request".
    static QByteArray credentialScope(const SigningParams &params);
};

} // namespace kwb::aws
