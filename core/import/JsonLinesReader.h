#pragma once

#include "Result.h"
#include "import/BlockReader.h"
#include "import/JsonRecordReader.h"
#include "import/JsonRecordScanner.h"
#include "import/LineReader.h"

#include <simdjson.h>

#include <vector>

namespace kwb::import {

/// Reads JSON Lines: one JSON object a line, cut out by the LineReader. Lines of the plain record
/// shape take the JsonRecordScanner's fast path; the others are parsed many lines at a time (one
/// structural scan for a window of lines) and, after a line that is not exactly one object, one
/// by one, which says what is wrong with it. Internal to the JsonImporter; one thread.
class JsonLinesReader
{
public:
    explicit JsonLinesReader(JsonRecordReader &records)
        : m_records(records)
        , m_scanner(records)
    {}

    /// Reads the input to the end, a stop or the limit (JsonRecordReader::begin() called first).
    Result<void> run(BlockReader &reader);

private:
    /// One line: counts it empty, or imports it. False when reading must end (limit).
    bool importLine(const LineReader::Line &line);
    /// Imports the lines [from, to) parsed all at once; returns the index of the first line it did
    /// not take (it stops at a line that is not exactly one object, and at the limit).
    size_t importLinesAtOnce(const std::vector<LineReader::Line> &lines, size_t from, size_t to, bool &atLimit);

    JsonRecordReader &m_records;
    JsonRecordScanner m_scanner;
    simdjson::dom::parser m_many;
};

} // namespace kwb::import
