// libFuzzer target: the sandbox's stream log reader (core/sandbox/StreamLogReader) together with
// the decoding of the frames' payloads into a stream (SandboxPersistence::parse), from bytes in
// memory: no files. The seeds are real logs of both formats (format2-two-puts was written by
// `kwb sandbox --data-dir` with two PutRecords), so mutations start from intact frames.
#include "FuzzSupport.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"

using namespace kwb::sandbox;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView log(reinterpret_cast<const char *>(data), qsizetype(size));
    const qint64 now = 1764100000000;
    const SandboxPersistence::LoadedLog loaded =
        SandboxPersistence::parse(log, QStringLiteral("orders"), now, 24 * 3600 * 1000, qint64(1) << 20);
    const LogScan &scan = loaded.scan;
    KWB_FUZZ_CHECK(scan.size == log.size());
    // What is kept never reaches past the end, and a torn tail is inside the log.
    KWB_FUZZ_CHECK(scan.keptBytes() >= 0 && scan.keptBytes() <= log.size());
    KWB_FUZZ_CHECK(scan.tornOffset < log.size());
    KWB_FUZZ_CHECK(scan.frames >= 0 && scan.records >= 0);
    // Damage is always reported in words, with where it is.
    if (scan.damaged())
        KWB_FUZZ_CHECK(!loaded.damageLines().isEmpty());
    if (loaded.stream)
        KWB_FUZZ_CHECK(loaded.stream->shardCount() >= 0);
    return 0;
}
