#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/RecordSink.h"

namespace kwb::import {

/// Reads the plain formats into a RecordSink: Text (one record per line, the line's bytes
/// decoded by the data encoding) and RawFile (the whole input as one record, like awscli
/// fileb://). Keys come from the key strategy. Internal to the importer; one thread.
class TextImporter
{
public:
    Result<void> runLines(BlockReader &reader, RecordSink &sink);
    /// `knownSize` is the input's size when known (-1 otherwise), to refuse a too large file
    /// without reading it.
    Result<void> runRawFile(BlockReader &reader, RecordSink &sink, qint64 knownSize);
};

} // namespace kwb::import
