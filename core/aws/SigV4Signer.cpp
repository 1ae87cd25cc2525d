#include "aws/SigV4Signer.h"
#include "Logging.h"


#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace kwb::aws {

// Debug output (canonical request, string to sign) only when asked for, e.g. kwb.sigv4.debug=true.

namespace {

constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";
constexpr char kTerminator[] = "aws4_request";

using Digest = std::array<unsigned char, 32>;

Digest sha256(QByteArrayView bytes)
{
    Digest digest{};
    unsigned int length = 0;
    EVP_Digest(bytes.data(), size_t(bytes.size()), digest.data(), &length, EVP_sha256(), nullptr);
    return digest;
}

Digest hmacSha256(QByteArrayView key, QByteArrayView message)
{
    Digest mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char *>(message.data()),
         size_t(message.size()), mac.data(), &length);
    return mac;
}

QByteArrayView view(const Digest &digest)
{
    return QByteArrayView(reinterpret_cast<const char *>(digest.data()), qsizetype(digest.size()));
}

QByteArray toHex(const Digest &digest)
{
    return view(digest).toByteArray().toHex();
}

bool isUnreserved(uchar c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~';
}

void appendUriEncoded(QByteArray &out, QByteArrayView in, bool keepSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char ch : in) {
        const auto c = uchar(ch);
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 0xF]);
        }
    }
}

int hexValue(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

// %XX becomes the byte; a '%' not followed by two hex digits stays a literal '%' (re-encoded
// as %25 afterwards).
QByteArray percentDecoded(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            const int high = hexValue(in[i + 1]);
            const int low = hexValue(in[i + 2]);
            if (high >= 0 && low >= 0) {
                out.append(char((high << 4) | low));
                i += 2;
                continue;
            }
        }
        out.append(in[i]);
    }
    return out;
}

// Never signed: Authorization is what signing produces; the rest may be changed or added by
// the HTTP stack or a proxy after signing (the same list as botocore).
bool isUnsignedHeader(QByteArrayView lowerName)
{
    return lowerName == "authorization" || lowerName == "user-agent" || lowerName == "expect"
        || lowerName == "x-amzn-trace-id";
}

struct CanonicalHeader
{
    QByteArray name; // lower case
    QByteArrayView value;
};

// The signed headers sorted by lower-cased name; the sort is stable so that the values of a
// repeated header keep the order in which they are sent.
std::vector<CanonicalHeader> sortedSignedHeaders(const HttpHeaders &headers)
{
    std::vector<CanonicalHeader> sorted;
    sorted.reserve(size_t(headers.size()));
    for (const auto &[name, value] : headers) {
        QByteArray lower = name.toLower();
        if (!isUnsignedHeader(lower))
            sorted.push_back({std::move(lower), QByteArrayView(value)});
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const CanonicalHeader &a, const CanonicalHeader &b) { return a.name < b.name; });
    return sorted;
}

bool isTokenChar(uchar c)
{
    // RFC 9110 token: visible ASCII except delimiters.
    if (c <= 0x20 || c >= 0x7F)
        return false;
    return !QByteArrayView("\"(),/:;<=>?@[\\]{}").contains(char(c));
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char ch) { return isTokenChar(uchar(ch)); });
}

// A header value may be folded over lines (CRLF or LF followed by a space or tab), but must
// not contain a bare line break, which would start a new header, nor other control characters.
bool isSendableValue(QByteArrayView value)
{
    for (qsizetype i = 0; i < value.size(); ++i) {
        const auto c = uchar(value[i]);
        if (c == '\r') {
            if (i + 1 >= value.size() || value[i + 1] != '\n')
                return false;
        } else if (c == '\n') {
            if (i + 1 >= value.size() || (value[i + 1] != ' ' && value[i + 1] != '\t'))
                return false;
        } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
            return false;
        }
    }
    return true;
}

// Region and service go into the credential scope, separated by '/'.
bool isScopePart(const QString &text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar ch) {
        return ch.unicode() > 0x20 && ch.unicode() < 0x7F && ch != u'/';
    });
}

bool isLowerHexSha256(QByteArrayView hash)
{
    return hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
    });
}

bool sameName(const QByteArray &name, QByteArrayView lowerName)
{
    return name.size() == lowerName.size() && name.toLower() == lowerName;
}

void removeHeaders(HttpHeaders &headers, QByteArrayView lowerName)
{
    headers.removeIf([lowerName](const HttpHeader &header) { return sameName(header.first, lowerName); });
}

// For debug output only: the canonical request carries the session token when it is signed,
// and a careless caller might put a secret into a header.
QByteArray redacted(QByteArray text, const Credentials &credentials)
{
    for (const QString &secret : {credentials.secretAccessKey, credentials.sessionToken}) {
        if (!secret.isEmpty())
            text.replace(secret.toUtf8(), QByteArrayLiteral("****"));
    }
    return text;
}

} // namespace

QByteArray SignableRequest::sha256Hex(QByteArrayView bytes)
{
    return toHex(sha256(bytes));
}

QByteArray SigV4Signer::amzDate(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    // By hand rather than QDateTime::toString, which would follow the locale's digits.
    char text[32];
    const int length = std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", date.year(), date.month(),
                                     date.day(), clock.hour(), clock.minute(), clock.second());
    return QByteArray(text, length);
}

QByteArray SigV4Signer::credentialScope(const SigningParams &params)
{
    return amzDate(params.time).left(8) + '/' + params.region.toUtf8() + '/' + params.service.toUtf8() + '/'
        + kTerminator;
}

QByteArray SigV4Signer::canonicalPath(QByteArrayView path, bool normalize, bool encode)
{
    QByteArray result;
    if (normalize) {
        // As aws-c-auth: split on '/', drop empty and "." segments, ".." removes the previous
        // segment; one leading '/', and a trailing '/' only when the path had one.
        std::vector<QByteArrayView> segments;
        qsizetype start = 0;
        while (start <= path.size()) {
            qsizetype end = path.indexOf('/', start);
            if (end < 0)
                end = path.size();
            const QByteArrayView segment = path.sliced(start, end - start);
            if (segment == "..") {
                if (!segments.empty())
                    segments.pop_back();
            } else if (!segment.isEmpty() && segment != ".") {
                segments.push_back(segment);
            }
            start = end + 1;
        }
        const bool trailingSlash = path.endsWith('/');
        QByteArray normalized(1, '/');
        for (size_t i = 0; i < segments.size(); ++i) {
            normalized.append(segments[i]);
            if (i + 1 < segments.size() || trailingSlash)
                normalized.append('/');
        }
        result = std::move(normalized);
    } else {
        result = path.isEmpty() ? QByteArray(1, '/') : path.toByteArray();
    }
    if (!encode)
        return result;
    QByteArray encoded;
    encoded.reserve(result.size() * 3);
    appendUriEncoded(encoded, result, true);
    return encoded;
}

QByteArray SigV4Signer::canonicalQuery(QByteArrayView query)
{
    std::vector<std::pair<QByteArray, QByteArray>> params;
    qsizetype start = 0;
    while (start < query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArrayView param = query.sliced(start, end - start);
        start = end + 1;
        if (param.isEmpty())
            continue;
        const qsizetype equals = param.indexOf('=');
        const QByteArrayView key = equals < 0 ? param : param.first(equals);
        const QByteArrayView value = equals < 0 ? QByteArrayView() : param.sliced(equals + 1);
        QByteArray encodedKey;
        QByteArray encodedValue;
        appendUriEncoded(encodedKey, percentDecoded(key), false);
        appendUriEncoded(encodedValue, percentDecoded(value), false);
        params.emplace_back(std::move(encodedKey), std::move(encodedValue));
    }
    std::sort(params.begin(), params.end());
    QByteArray result;
    for (const auto &[key, value] : params) {
        if (!result.isEmpty())
            result.append('&');
        result.append(key).append('=').append(value);
    }
    return result;
}

QByteArray SigV4Signer::signedHeaders(const HttpHeaders &headers)
{
    QByteArray result;
    QByteArrayView previous;
    const auto sorted = sortedSignedHeaders(headers);
    for (const CanonicalHeader &header : sorted) {
        if (!result.isEmpty() && header.name == previous)
            continue;
        if (!result.isEmpty())
            result.append(';');
        result.append(header.name);
        previous = header.name;
    }
    return result;
}

QByteArray SigV4Signer::canonicalRequest(const SignableRequest &request, const SigningParams &params)
{
    QByteArray result;
    result.reserve(512 + request.path.size() * 3 + request.query.size() * 3);
    result.append(request.method).append('\n');
    result.append(canonicalPath(request.path, params.normalizePath, params.encodePath)).append('\n');
    result.append(canonicalQuery(request.query)).append('\n');

    const auto sorted = sortedSignedHeaders(request.headers);
    QByteArray names;
    for (size_t i = 0; i < sorted.size(); ++i) {
        const bool continuation = i > 0 && sorted[i].name == sorted[i - 1].name;
        if (continuation) {
            // A repeated header: one line, values joined with ',' in the order sent.
            result.append(',');
        } else {
            if (i > 0)
                result.append('\n');
            result.append(sorted[i].name).append(':');
            if (!names.isEmpty())
                names.append(';');
            names.append(sorted[i].name);
        }
        appendCanonicalHeaderValue(result, sorted[i].value);
    }
    if (!sorted.empty())
        result.append('\n');
    result.append('\n');
    result.append(names).append('\n');
    result.append(request.payloadHash);
    return result;
}

void SigV4Signer::appendCanonicalHeaderValue(QByteArray &out, QByteArrayView value)
{
    const auto isSpace = [](char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
    };
    bool pendingSpace = false;
    bool any = false;
    for (char ch : value) {
        if (isSpace(ch)) {
            pendingSpace = any;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        any = true;
        out.append(ch);
    }
}

QByteArray SigV4Signer::stringToSign(QByteArrayView canonicalRequest, const SigningParams &params)
{
    return QByteArray(kAlgorithm) + '\n' + amzDate(params.time) + '\n' + credentialScope(params) + '\n'
        + toHex(sha256(canonicalRequest));
}

QByteArray SigV4Signer::signingKey(const QString &secretAccessKey, QDate date, const QString &region,
                                   const QString &service)
{
    char day[16];
    const int dayLength = std::snprintf(day, sizeof day, "%04d%02d%02d", date.year(), date.month(), date.day());
    QByteArray secret = QByteArrayLiteral("AWS4") + secretAccessKey.toUtf8();
    Digest key = hmacSha256(secret, QByteArrayView(day, dayLength));
    OPENSSL_cleanse(secret.data(), size_t(secret.size()));
    for (const QByteArray &part : {region.toUtf8(), service.toUtf8(), QByteArray(kTerminator)}) {
        Digest next = hmacSha256(view(key), part);
        OPENSSL_cleanse(key.data(), key.size());
        key = next;
        OPENSSL_cleanse(next.data(), next.size());
    }
    QByteArray result = view(key).toByteArray();
    OPENSSL_cleanse(key.data(), key.size());
    return result;
}

QByteArray SigV4Signer::signature(QByteArrayView stringToSign, const SigningParams &params)
{
    QByteArray key = signingKey(params.credentials.secretAccessKey, params.time.toUTC().date(), params.region,
                                params.service);
    const QByteArray result = toHex(hmacSha256(key, stringToSign));
    OPENSSL_cleanse(key.data(), size_t(key.size()));
    return result;
}

QByteArray SigV4Signer::authorizationHeader(const SigningParams &params, QByteArrayView signedHeaders,
                                            QByteArrayView signature)
{
    QByteArray result(kAlgorithm);
    result.append(" Credential=").append(params.credentials.accessKeyId.toUtf8()).append('/');
    result.append(credentialScope(params));
    result.append(", SignedHeaders=").append(signedHeaders);
    result.append(", Signature=").append(signature);
    return result;
}

Result<void> SigV4Signer::validate(const SignableRequest &request, const SigningParams &params)
{
    const Credentials &credentials = params.credentials;
    if (credentials.accessKeyId.isEmpty() || credentials.secretAccessKey.isEmpty())
        return Error::config(QStringLiteral("cannot sign the request: the credentials have no %1")
                                 .arg(credentials.accessKeyId.isEmpty() ? QStringLiteral("access key id")
                                                                        : QStringLiteral("secret access key")),
                             QStringLiteral("MissingCredentials"));
    // The key id goes into the Authorization header as is; it must not be able to break it.
    if (!isToken(credentials.accessKeyId.toUtf8()))
        return Error::config(QStringLiteral("cannot sign the request: the access key id may only contain "
                                            "visible ASCII characters other than separators"),
                             QStringLiteral("InvalidCredentials"));
    if (!std::all_of(credentials.sessionToken.begin(), credentials.sessionToken.end(),
                     [](QChar ch) { return ch.unicode() > 0x20 && ch.unicode() < 0x7F; }))
        return Error::config(QStringLiteral("cannot sign the request: the session token contains spaces, "
                                            "line breaks or characters other than visible ASCII"),
                             QStringLiteral("InvalidCredentials"));
    if (!isScopePart(params.region))
        return Error::config(QStringLiteral("cannot sign the request: the region is empty or not plain ASCII "
                                            "without '/' and spaces"),
                             QStringLiteral("InvalidRegion"));
    if (!isScopePart(params.service))
        return Error::input(QStringLiteral("cannot sign the request: the signing service name is empty or not "
                                           "plain ASCII without '/' and spaces"),
                            QStringLiteral("InvalidService"));
    if (!params.time.isValid() || params.time.toUTC().date().year() < 1
        || params.time.toUTC().date().year() > 9999)
        return Error::input(QStringLiteral("cannot sign the request: the signing time is not a valid date "
                                           "between the years 1 and 9999"),
                            QStringLiteral("InvalidSigningTime"));
    if (!isToken(request.method))
        return Error::input(QStringLiteral("cannot sign the request: the HTTP method is empty or not a token"),
                            QStringLiteral("InvalidRequest"));
    if (!request.path.isEmpty() && !request.path.startsWith('/'))
        return Error::input(QStringLiteral("cannot sign the request: the path does not start with '/'"),
                            QStringLiteral("InvalidRequest"));
    if (request.path.contains('\r') || request.path.contains('\n') || request.query.contains('\r')
        || request.query.contains('\n') || request.query.contains('#'))
        return Error::input(QStringLiteral("cannot sign the request: the path or query contains a line break "
                                           "or a fragment"),
                            QStringLiteral("InvalidRequest"));
    bool hasHost = false;
    for (qsizetype i = 0; i < request.headers.size(); ++i) {
        const auto &[name, value] = request.headers.at(i);
        // The name is not quoted when it is malformed: it could be anything, even a secret.
        if (!isToken(name))
            return Error::input(QStringLiteral("cannot sign the request: header #%1 has an empty name or a "
                                               "name with characters not allowed in HTTP header names")
                                    .arg(i + 1),
                                QStringLiteral("InvalidHeader"));
        if (!isSendableValue(value))
            return Error::input(QStringLiteral("cannot sign the request: the value of header %1 contains "
                                               "control characters or a line break that is not a continuation")
                                    .arg(QString::fromLatin1(name)),
                                QStringLiteral("InvalidHeader"));
        hasHost = hasHost || sameName(name, "host");
    }
    if (!hasHost)
        return Error::input(QStringLiteral("cannot sign the request: it has no Host header"),
                            QStringLiteral("InvalidRequest"));
    if (!isLowerHexSha256(request.payloadHash))
        return Error::input(QStringLiteral("cannot sign the request: the payload hash is not a lower-case hex "
                                           "SHA-256"),
                            QStringLiteral("InvalidRequest"));
    return {};
}

Result<HttpHeaders> SigV4Signer::sign(SignableRequest &request, const SigningParams &params)
{
    if (auto valid = validate(request, params); !valid)
        return valid.error();

    const Credentials &credentials = params.credentials;
    const bool hasToken = !credentials.sessionToken.isEmpty();
    const QByteArray date = amzDate(params.time);
    const QByteArray token = credentials.sessionToken.toUtf8();

    removeHeaders(request.headers, "authorization");
    removeHeaders(request.headers, "x-amz-date");
    request.headers.append({QByteArrayLiteral("X-Amz-Date"), date});
    if (hasToken) {
        removeHeaders(request.headers, "x-amz-security-token");
        if (params.signSessionToken)
            request.headers.append({QByteArrayLiteral("X-Amz-Security-Token"), token});
    }
    if (params.signBody) {
        removeHeaders(request.headers, "x-amz-content-sha256");
        request.headers.append({QByteArrayLiteral("X-Amz-Content-Sha256"), request.payloadHash});
    }

    const QByteArray canonical = canonicalRequest(request, params);
    const QByteArray toSign = stringToSign(canonical, params);
    const QByteArray authorization = authorizationHeader(params, signedHeaders(request.headers),
                                                         signature(toSign, params));
    qCDebug(lcSigV4).noquote() << "canonical request:\n" << redacted(canonical, credentials);
    qCDebug(lcSigV4).noquote() << "string to sign:\n" << toSign;

    HttpHeaders added;
    added.append({QByteArrayLiteral("X-Amz-Date"), date});
    if (hasToken)
        added.append({QByteArrayLiteral("X-Amz-Security-Token"), token});
    if (params.signBody)
        added.append({QByteArrayLiteral("X-Amz-Content-Sha256"), request.payloadHash});
    added.append({QByteArrayLiteral("Authorization"), authorization});
    return added;
}

} // namespace kwb::aws
