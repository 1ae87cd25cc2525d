#pragma once

#include "Result.h"
#include "import/JsonDocumentReader.h"
#include "import/JsonStreamer.h"

namespace kwb::import {

/// Reads the AWS CLI's put-records input object, {"StreamName": ..., "Records": [...]} (or
/// StreamARN): takes the stream name into the report and streams the records array through the
/// JsonDocumentReader. Members are read in any order; anything else is a fault that says where.
/// Internal to the JsonDocumentReader; one thread.
class AwsCliObjectReader
{
public:
    AwsCliObjectReader(JsonDocumentReader &document, RecordSink &sink)
        : m_document(document)
        , m_sink(sink)
    {}

    /// Reads the object at the front ('{' not consumed yet) up to its '}'.
    Result<void> run(JsonStreamer &streamer);

private:
    JsonDocumentReader &m_document;
    RecordSink &m_sink;
};

} // namespace kwb::import
