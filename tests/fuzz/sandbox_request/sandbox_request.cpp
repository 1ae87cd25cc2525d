// libFuzzer target: the sandbox's request validator (core/sandbox/RequestValidator) as the
// service applies it to every operation's body (SandboxService::handle, in memory, a fixed
// clock, no faults), on a fresh service with one stream per input.
//
// Input: a choice byte (the operation), then the JSON body.
#include "FuzzSupport.h"
#include "sandbox/SandboxService.h"

#include <simdjson.h>

using namespace kwb::sandbox;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const operations[] = {
        "CreateStream", "DeleteStream", "ListStreams",      "DescribeStream",   "DescribeStreamSummary", "ListShards",
        "UpdateShardCount", "PutRecord", "PutRecords", "GetShardIterator", "GetRecords", "Unknown",
    };
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const QByteArrayView body = in.restView();

    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    request.headers = {{"Host", "localhost"},
                       {"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", QByteArray("Kinesis_20131202.") + operations[choice % std::size(operations)]}};
    // Room for the JSON parser's padding, as HttpConnection leaves it (and, on odd choices, not).
    if (choice & 0x80)
        request.body.reserve(body.size() + qsizetype(simdjson::SIMDJSON_PADDING));
    request.body.append(body);

    SandboxService service([] { return qint64(1764100000000); });
    SandboxOptions options;
    options.initialStreams = {{QStringLiteral("orders"), 2}};
    if (!service.open(options).ok())
        std::abort();
    const SandboxAnswer answer = service.handle(request);
    // No fault injection and no data directory: nothing may be a server error.
    KWB_FUZZ_CHECK(!answer.drop);
    KWB_FUZZ_CHECK(answer.status == 200 || (answer.status >= 400 && answer.status < 500));
    KWB_FUZZ_CHECK(answer.status == 200 || !answer.errorType.isEmpty());
    return 0;
}
