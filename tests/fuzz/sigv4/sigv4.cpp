// libFuzzer target: the SigV4 canonicaliser (core/aws/SigV4Signer: path, query, signed headers,
// the canonical request) and, on every request the signer accepts, the sandbox's verifier
// (core/sandbox/SignatureVerifier), which must accept what the signer signed.
//
// Input: a choice byte, then "METHOD\nPATH[?QUERY]\nName: value\n...\n\nBODY".
#include "FuzzSupport.h"
#include "aws/SigV4Signer.h"
#include "sandbox/SignatureVerifier.h"

using namespace kwb;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const QByteArray text = in.rest();

    aws::SignableRequest request;
    QByteArray target;
    QByteArray body;
    qsizetype at = 0;
    int line = 0;
    while (at <= text.size()) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        const QByteArray part = text.mid(at, end - at);
        at = end + 1;
        if (line == 0) {
            request.method = part;
        } else if (line == 1) {
            target = part;
        } else if (part.isEmpty()) {
            body = at <= text.size() ? text.mid(at) : QByteArray();
            break;
        } else {
            const qsizetype colon = part.indexOf(':');
            request.headers.append({part.left(colon < 0 ? part.size() : colon), colon < 0 ? QByteArray() : part.mid(colon + 1)});
        }
        ++line;
    }
    const qsizetype q = target.indexOf('?');
    request.path = q < 0 ? target : target.left(q);
    request.query = q < 0 ? QByteArray() : target.mid(q + 1);
    request.payloadHash = aws::SignableRequest::sha256Hex(body);

    // The stages on their own, on anything.
    const bool normalize = choice & 0x01;
    const bool encode = choice & 0x02;
    const QByteArray path = aws::SigV4Signer::canonicalPath(request.path, normalize, encode);
    // A path that starts like one stays one (the signer refuses any other).
    KWB_FUZZ_CHECK(!(request.path.isEmpty() || request.path.startsWith('/')) || path.startsWith('/'));
    const QByteArray query = aws::SigV4Signer::canonicalQuery(request.query);
    // A canonical query is its own canonical form.
    KWB_FUZZ_CHECK(aws::SigV4Signer::canonicalQuery(query) == query);
    (void)aws::SigV4Signer::signedHeaders(request.headers);

    aws::SigningParams params;
    params.region = QStringLiteral("us-east-1");
    params.service = QStringLiteral("kinesis");
    params.time = QDateTime(QDate(2026, 11, 25), QTime(20, 10, 23), Qt::UTC);
    params.credentials.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    params.credentials.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    if (choice & 0x04)
        params.credentials.sessionToken = QStringLiteral("FQoGZXIvYXdzEXAMPLETOKEN");
    (void)aws::SigV4Signer::canonicalRequest(request, params);
    auto headers = aws::SigV4Signer::sign(request, params);
    if (!headers.ok())
        return 0;

    // What the signer signed, as the sandbox receives it, must pass the sandbox's check.
    sandbox::HttpRequest received;
    received.method = request.method;
    received.target = request.query.isEmpty() ? request.path : request.path + '?' + request.query;
    received.body = body;
    received.headers = request.headers;
    for (const auto &[name, value] : headers.value()) {
        bool replaced = false;
        for (auto &header : received.headers) {
            if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
                header.second = value;
                replaced = true;
            }
        }
        if (!replaced)
            received.headers.append({name, value});
    }
    const sandbox::SignatureVerifier verifier(params.credentials.accessKeyId, params.credentials.secretAccessKey);
    const auto verified = verifier.verify(received, params.time.toMSecsSinceEpoch());
    if (!verified.ok()) {
        std::fprintf(stderr, "verifier refused a signed request: %s\n", qPrintable(verified.error().message));
        std::abort();
    }
    return 0;
}
