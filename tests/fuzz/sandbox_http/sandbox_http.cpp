// libFuzzer target: the sandbox's HTTP/1.1 request parser (core/sandbox/HttpRequestParser), the
// pure part of HttpConnection: bytes in, a parsed request or an error out, no sockets.
//
// Input: a choice byte (the chunk size for the incremental parser), then the bytes a client
// sends, read as pipelined requests one after another.
#include "FuzzSupport.h"
#include "sandbox/HttpRequestParser.h"

using namespace kwb::sandbox;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    QByteArrayView rest = in.restView();
    const qsizetype chunk = choice == 0 ? std::max<qsizetype>(1, rest.size()) : qsizetype(choice);

    // At most as many requests as there are bytes: every complete one consumes at least one.
    for (int guard = 0; guard <= rest.size() && !rest.isEmpty(); ++guard) {
        const HttpParse whole = HttpRequestParser::parse(rest);
        if (whole.kind == HttpParse::Kind::Error) {
            KWB_FUZZ_CHECK(whole.status >= 400 && whole.status < 600);
            KWB_FUZZ_CHECK(!whole.message.isEmpty());
            break;
        }
        // The head alone, fed in chunks as a socket delivers it, finds the same head.
        HttpRequestParser incremental;
        HttpParse head;
        for (qsizetype have = std::min(chunk, rest.size());; have = std::min(have + chunk, rest.size())) {
            head = incremental.parseHead(rest.first(have));
            if (head.kind != HttpParse::Kind::NeedMore || have == rest.size())
                break;
        }
        if (whole.kind == HttpParse::Kind::NeedMore) {
            KWB_FUZZ_CHECK(head.kind != HttpParse::Kind::Error);
            break;
        }
        KWB_FUZZ_CHECK(head.kind == HttpParse::Kind::Complete);
        KWB_FUZZ_CHECK(head.headBytes == whole.headBytes && head.bodyBytes == whole.bodyBytes);
        KWB_FUZZ_CHECK(head.request.method == whole.request.method);
        KWB_FUZZ_CHECK(!whole.request.method.isEmpty());
        // The body is exactly what Content-Length announced, and it was in the input.
        const QByteArray length = whole.request.header("content-length");
        KWB_FUZZ_CHECK(whole.request.body.size() == (length.isNull() ? 0 : length.trimmed().toLongLong()));
        KWB_FUZZ_CHECK(whole.headBytes > 0 && whole.headBytes + whole.bodyBytes <= rest.size());
        rest = rest.sliced(whole.headBytes + qsizetype(whole.bodyBytes));
    }
    return 0;
}
