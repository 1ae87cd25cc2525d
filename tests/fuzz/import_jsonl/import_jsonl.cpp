// libFuzzer target: the JsonLines importer (core/import) on arbitrary bytes.
#include "import/ImportFuzz.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::importOnce(data, size, kwb::import::Format::JsonLines, "records.jsonl");
    return 0;
}
