#include "JsonImporter.h"

#include "import/JsonDocumentReader.h"
#include "import/JsonLinesReader.h"
#include "import/JsonRecordReader.h"

namespace kwb::import {

class JsonImporter::Impl
{
public:
    JsonRecordReader records;
    JsonLinesReader lines{records};
    JsonDocumentReader document{records};
};

JsonImporter::JsonImporter()
    : d(std::make_unique<Impl>())
{}

JsonImporter::~JsonImporter() = default;

Result<void> JsonImporter::run(BlockReader &reader, Format format, RecordSink &sink)
{
    d->records.begin(format, sink);
    if (format == Format::JsonLines)
        return d->lines.run(reader);
    return d->document.run(reader);
}

} // namespace kwb::import
