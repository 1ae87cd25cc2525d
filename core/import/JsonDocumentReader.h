#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/JsonRecordReader.h"
#include "import/JsonStreamer.h"

namespace kwb::import {

/// Reads the JSON document formats (JsonArray, JsonObject, AwsCli): a top-level array streamed
/// element by element with the JsonStreamer (memory bounded by the largest element, whatever the
/// file's size), a single object, or the put-records object (AwsCliObjectReader). Internal to the
/// JsonImporter; one thread.
class JsonDocumentReader
{
public:
    explicit JsonDocumentReader(JsonRecordReader &records)
        : m_records(records)
    {}

    /// Reads the input to the end, a stop or the limit (JsonRecordReader::begin() called first).
    Result<void> run(BlockReader &reader);

    /// Imports each element of the array at the front ('[' not consumed yet) up to its ']'.
    Result<void> streamArray(JsonStreamer &streamer);
    /// What follows a value inside an array or object.
    enum class After { Next, Closed, Stop };
    /// Reads the ',' (Next) or `close` (Closed) after a value, consuming it; anything else (the
    /// input ending, another byte) is reported as a problem of `inside` ("the array") after
    /// `afterWhat` ("an array element") and gives Stop.
    Result<After> readSeparator(JsonStreamer &streamer, char close, const char *inside, const char *afterWhat);
    /// Skips whitespace and returns the next byte (not consumed); -1 when the input ends there,
    /// which is reported as a problem of `inside` ("the array") missing its `close`.
    Result<int> peekInside(JsonStreamer &streamer, char close, const char *inside);
    /// Reads the JSON string at the front (at most 64 KiB, as written) into `text` and consumes
    /// it; false, consuming nothing, when the front is not one complete, valid JSON string.
    Result<bool> readString(JsonStreamer &streamer, QString &text);

private:
    /// Reads and imports the value at the front; false when the input ended inside it.
    Result<bool> readElement(JsonStreamer &streamer, JsonRecordReader::Context context);

    JsonRecordReader &m_records;
};

} // namespace kwb::import
