#pragma once

#include "import/JsonFieldReader.h"
#include "import/JsonLocator.h"
#include "import/RecordSink.h"

#include <simdjson.h>

#include <string>

namespace kwb::import {

/// Turns one JSON value (a line, an array element, a document) into a record of the sink or a
/// rejection that says where and why: parses it with simdjson, decides the shape from the first
/// object (Kinesis records or whole objects), reads a record's members and decodes its data, and
/// hands whole objects to the JsonFieldReader. Internal to the JSON readers; one thread; keeps its
/// parsers between inputs.
class JsonRecordReader
{
public:
    /// Where a value sits: its context in messages ("line", "array element").
    enum class Context { Line, Element, Document };

    JsonRecordReader()
        : m_fields(m_locator)
    {}

    /// Takes the shape, encoding and field paths for the next input, of `format`, into `sink`.
    void begin(Format format, RecordSink &sink);
    RecordSink &sink() { return *m_sink; }
    Format format() const { return m_format; }
    /// The JSON shape: Auto until the first object decides it.
    JsonShape shape() const { return m_shape; }
    DataEncoding encoding() const { return m_encoding; }

    /// Imports the value [p, p + length) that starts at `at` (already counted by beginRecord()).
    void importValue(const char *p, qint64 length, SourceLocation at, Context context);
    /// The same for a value parsed already.
    void importParsed(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                      Context context);
    /// Rejects a value that is not valid JSON, pointing at the fault. `truncated`: the input ended
    /// inside it.
    void rejectSyntax(const char *p, qint64 length, SourceLocation at, bool truncated);
    /// The message for a value longer in the file than any record can be.
    QString tooLongMessage(qint64 length) const;
    /// Parses [p, p + length) as one JSON string into `text`; false when it is not one.
    bool parseString(const char *p, qint64 length, QString &text);

private:
    void importRecord(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at);
    void decideShape(const simdjson::dom::object &object);

    RecordSink *m_sink = nullptr;
    Format m_format = Format::JsonLines;
    JsonShape m_shape = JsonShape::Auto;
    DataEncoding m_encoding = DataEncoding::Text;
    JsonLocator m_locator;
    JsonFieldReader m_fields;
    std::string m_quoted; ///< the current value with long integers quoted (JsonText::quoteLongIntegers)
    simdjson::dom::parser m_dom;
};

} // namespace kwb::import
