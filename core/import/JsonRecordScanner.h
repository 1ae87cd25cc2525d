#pragma once

#include "import/JsonRecordReader.h"
#include "import/LineReader.h"
#include "import/RecordSink.h"

#include <QString>

namespace kwb::import {

/// The fast path of JSON Lines: imports a line of the common Kinesis record shape,
/// {"PartitionKey": "...", "Data": "..."} (either order, any JSON whitespace), by scanning its
/// bytes instead of parsing it into a tree. It takes a line only when it is sure: strings without
/// escapes, no other or repeated member, nothing after the object, a key of 1 to 256 bytes, data
/// that decodes. Any other line it declines untouched, for the JsonRecordReader (which also says
/// what is wrong with a bad one): it never rejects, and a line it takes becomes the record the
/// JsonRecordReader would make of it. Internal to the JsonLinesReader; one thread.
class JsonRecordScanner
{
public:
    enum class Outcome { Taken, Declined, AtLimit };

    explicit JsonRecordScanner(JsonRecordReader &records)
        : m_records(records)
    {}

    /// True when lines of this input may take the fast path now (records shape known, keys from
    /// the input or a key strategy, not from a field).
    bool usable() const;
    /// Imports `line` when it has the plain record shape; AtLimit when the record limit was read.
    Outcome importLine(const LineReader::Line &line);

private:
    JsonRecordReader &m_records;
    const QString m_partitionKeyWhat = QStringLiteral("\"PartitionKey\"");
    const QString m_generatedKeyWhat = QStringLiteral("the generated key");
};

} // namespace kwb::import
