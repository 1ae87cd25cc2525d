#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/ImportOptions.h"
#include "import/RecordSink.h"

#include <memory>

namespace kwb::import {

/// Reads the JSON formats (JsonLines, JsonArray, JsonObject, AwsCli) into a RecordSink: lines or
/// array elements are cut out by the LineReader or the JsonStreamer, parsed one at a time with
/// simdjson, and turned into records by the JSON shape (Kinesis record objects or whole objects).
/// Internal to the importer; one thread; keeps its parsers between inputs.
class JsonImporter
{
public:
    JsonImporter();
    ~JsonImporter();

    /// Reads one input of `format` (a JSON one) to the end, a stop or the limit.
    Result<void> run(BlockReader &reader, Format format, RecordSink &sink);

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kwb::import
