#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/ImportOptions.h"
#include "import/RecordSink.h"

#include <memory>

namespace kwb::import {

/// Reads the JSON formats (JsonLines, JsonArray, JsonObject, AwsCli) into a RecordSink. The
/// JsonLinesReader cuts out lines and the JsonDocumentReader array elements (the put-records
/// object through the AwsCliObjectReader); the JsonRecordReader turns each value into a record by
/// the JSON shape (Kinesis record objects, or whole objects with the JsonFieldReader).
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
