// libFuzzer target: FormatDetector (core/import) on the first bytes of an input: the format, then
// the first object's members and field paths for every JSON format.
#include "FuzzSupport.h"
#include "import/FormatDetector.h"

using namespace kwb::import;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"in.json", "in.jsonl", "in.ndjson", "in.csv", "in.tsv", "in.txt", "in", "-"};
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const QString name = QString::fromLatin1(names[choice & 0x07]);
    const bool whole = choice & 0x08;
    ColumnMapping columns;
    if (choice & 0x10)
        columns.data = QStringLiteral("payload");
    const QByteArrayView head = in.restView();

    const Format format = FormatDetector::detect(name, head, whole, columns);
    KWB_FUZZ_CHECK(format != Format::Auto);
    for (Format f : {format, Format::JsonLines, Format::JsonArray, Format::JsonObject, Format::AwsCli}) {
        const QStringList members = FormatDetector::firstObjectMembers(f, head);
        const int maxFields = 1 + (choice >> 5) * 10;
        const QStringList fields = FormatDetector::firstObjectFields(f, head, maxFields);
        KWB_FUZZ_CHECK(fields.size() <= std::max<qsizetype>(maxFields, members.size()));
    }
    return 0;
}
