// libFuzzer target: the AwsCli importer (core/import) on arbitrary bytes.
#include "import/ImportFuzz.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::importOnce(data, size, kwb::import::Format::AwsCli, "put-records.json");
    return 0;
}
