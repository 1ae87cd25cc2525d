#include "Importer.h"

#include "Logging.h"
#include "import/BlockReader.h"
#include "import/CsvImporter.h"
#include "import/FormatDetector.h"
#include "import/JsonImporter.h"
#include "import/KplImporter.h"
#include "import/RecordSink.h"
#include "import/TextImporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <memory>
#include <utility>

namespace kwb::import {

namespace {

QString stdinName()
{
    return QStringLiteral("stdin");
}

/// An opened input: a file, or standard input for "-".
struct OpenedInput
{
    std::unique_ptr<QFile> file;
    QString name;
    qint64 size = -1;
};

Result<OpenedInput> openInput(const QString &path)
{
    OpenedInput input;
    input.file = std::make_unique<QFile>();
    if (path == QLatin1String("-")) {
        if (!input.file->open(0, QIODevice::ReadOnly | QIODevice::Unbuffered))
            return Error::input(QStringLiteral("cannot read standard input: %1").arg(input.file->errorString()),
                                QStringLiteral("OpenFailed"));
        input.name = stdinName();
        return input;
    }
    if (QFileInfo(path).isDir())
        return Error::input(QStringLiteral("%1 is a folder; choose files to import").arg(path), QStringLiteral("OpenFailed"));
    input.file->setFileName(path);
    if (!input.file->open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return Error::input(QStringLiteral("cannot open %1: %2").arg(path, input.file->errorString()),
                            QStringLiteral("OpenFailed"));
    input.name = path;
    input.size = input.file->isSequential() ? -1 : input.file->size();
    return input;
}

} // namespace

Importer::Importer() : m_json(std::make_unique<JsonImporter>()) {}

Importer::~Importer() = default;

Result<void> Importer::validateOptions(const ImportOptions &options)
{
    auto bad = [](const QString &message) { return Error::input(message, QStringLiteral("InvalidImportOptions")); };
    if (options.maxRecordBytes < 1 || options.maxRecordBytes > limits::kLargestMaxRecordBytes)
        return bad(QStringLiteral("the maximum record size must be between 1 byte and %1")
                       .arg(formatBytes(limits::kLargestMaxRecordBytes)));
    if (options.blockBytes < 1)
        return bad(QStringLiteral("the block size must be at least 1 byte"));
    if (options.limit < 0)
        return bad(QStringLiteral("the record limit cannot be negative"));
    if (options.keyStrategy == KeyStrategy::Field && options.partitionKeyField.isEmpty())
        return bad(QStringLiteral("the field key strategy needs a field: a dotted path into the JSON objects "
                                  "(user.id) or a column name"));
    if (options.keyStrategy == KeyStrategy::Constant) {
        if (auto check = validatePartitionKey(options.constantKey, QStringLiteral("the constant partition key")); !check)
            return bad(check.error().message);
    }
    const std::pair<const QString *, const char *> fields[] = {
        {&options.partitionKeyField, "key field"},
        {&options.dataField, "data field"},
        {&options.explicitHashKeyField, "explicit hash key field"},
    };
    for (const auto &[field, what] : fields) {
        if (!field->contains(QLatin1Char('.')))
            continue;
        for (const QString &part : field->split(QLatin1Char('.')))
            if (part.isEmpty())
                return bad(QStringLiteral("the %1 \"%2\" has an empty part; write a dotted path like user.id")
                               .arg(QLatin1String(what), *field));
    }
    const ColumnMapping &columns = options.columns;
    if (!columns.data.isEmpty() && !options.dataField.isEmpty() && columns.data != options.dataField)
        return bad(QStringLiteral("the data column is given twice: \"%1\" in the column mapping and \"%2\" as the "
                                  "data field; give one")
                       .arg(columns.data, options.dataField));
    if (!columns.explicitHashKey.isEmpty() && !options.explicitHashKeyField.isEmpty()
        && columns.explicitHashKey != options.explicitHashKeyField)
        return bad(QStringLiteral("the explicit hash key column is given twice: \"%1\" in the column mapping and "
                                  "\"%2\" as the explicit hash key field; give one")
                       .arg(columns.explicitHashKey, options.explicitHashKeyField));
    if (columns.noExplicitHashKey && !columns.explicitHashKey.isEmpty())
        return bad(QStringLiteral("the column mapping both names an explicit hash key column (\"%1\") and says there "
                                  "is none; give one")
                       .arg(columns.explicitHashKey));
    return {};
}

Format Importer::detect(const QString &fileName, QByteArrayView head, bool wholeInput, const ColumnMapping &columns)
{
    return FormatDetector::detect(fileName, head, wholeInput, columns);
}

Result<void> Importer::importInput(QIODevice &device, const QString &name, qint64 knownSize, RecordSink &sink,
                                   const ProgressCallback &progress, qint64 progressBase, qint64 progressTotal)
{
    const ImportOptions &options = sink.options();
    BlockReader reader(device, options.blockBytes, knownSize, &progress, progressBase, progressTotal);
    if (sink.streaming())
        reader.setQuietHandler([&sink] { return sink.inputQuiet(); });
    // The first 64 KiB (or the whole input when smaller) tell the format and the record size;
    // a live pipe that goes quiet before that is detected from what came.
    while (!reader.atEof() && reader.available() < 64 * 1024 && !(reader.inputQuiet() && reader.available() > 0)) {
        auto more = reader.readMore();
        if (!more)
            return more.error();
    }
    Format format = options.format;
    // UTF-16/32 text read as UTF-8 would become one binary record or garbage; only the raw-file
    // format, which takes bytes as they are, may read it.
    if (format != Format::RawFile && format != Format::KplRecords) {
        if (const QString problem = FormatDetector::wideTextProblem(name, reader.view()); !problem.isEmpty())
            return Error::input(problem, QStringLiteral("UnsupportedEncoding"));
    }
    if (format == Format::Auto) {
        format = FormatDetector::detect(name, reader.view(), reader.atEof(), options.columnMapping());
        qCDebug(lcImport).noquote() << name << "detected as" << formatName(format);
    }
    if (format != Format::RawFile && format != Format::KplRecords && knownSize > 0 && reader.available() > 0) {
        const QByteArrayView head = reader.view();
        const qint64 lines = std::count(head.begin(), head.end(), '\n');
        if (lines >= 16)
            sink.reserveRecords(qint64(double(knownSize) * double(lines) / double(head.size()) * 1.02));
    }
    sink.report().format = format;
    const QString keyFileName = name == stdinName() ? name : QFileInfo(name).fileName();
    if (auto started = sink.startInput(format, name, keyFileName); !started)
        return started;
    Result<void> result;
    switch (format) {
    case Format::JsonLines:
    case Format::JsonArray:
    case Format::JsonObject:
    case Format::AwsCli:
        if (auto bom = reader.skipBom(); !bom)
            return bom.error();
        result = m_json->run(reader, format, sink);
        break;
    case Format::Csv:
    case Format::Tsv:
        if (auto bom = reader.skipBom(); !bom)
            return bom.error();
        result = CsvImporter().run(reader, format, sink);
        break;
    case Format::Text:
        if (auto bom = reader.skipBom(); !bom)
            return bom.error();
        result = TextImporter().runLines(reader, sink);
        break;
    case Format::RawFile:
        result = TextImporter().runRawFile(reader, sink, knownSize);
        break;
    case Format::KplRecords:
        result = KplImporter().run(reader, sink);
        break;
    case Format::Auto:
        break;
    }
    sink.report().bytesRead += reader.bytesRead();
    return result;
}

Result<ImportReport> Importer::importDevice(QIODevice &device, const QString &name, RecordStore &into,
                                            const ImportOptions &options, const ProgressCallback &progress)
{
    if (auto valid = validateOptions(options); !valid)
        return valid.error();
    QElapsedTimer timer;
    timer.start();
    ImportReport report;
    RecordSink sink(into, options, report);
    const qint64 size = device.isSequential() ? -1 : device.size() - device.pos();
    auto result = importInput(device, name, size, sink, progress, 0, size);
    sink.flush();
    if (!result)
        return result.error();
    const qint64 ms = std::max<qint64>(1, timer.elapsed());
    qCDebug(lcImport).noquote() << name << ":" << report.summary() << "in" << ms << "ms,"
                                << (report.bytesRead / 1000 / ms) << "MB/s";
    return report;
}

Result<ImportReport> Importer::streamFiles(const QStringList &paths, const ImportOptions &options,
                                           const StreamOptions &stream, ChunkConsumer &consumer)
{
    if (auto valid = validateOptions(options); !valid)
        return valid.error();
    ImportReport report;
    RecordStore chunk;
    RecordSink sink(chunk, options, report);
    sink.setChunkOutput(&consumer, stream);
    for (const QString &path : paths) {
        if (sink.stopped() || report.limitReached)
            break;
        // Opened one at a time: a later file may be a pipe that is not written yet.
        auto input = openInput(path);
        if (!input)
            return input.error();
        auto result = importInput(*input.value().file, input.value().name, input.value().size, sink, {}, 0, -1);
        if (!result) {
            sink.flush();
            return result.error();
        }
    }
    sink.finishChunks();
    if (sink.cancelled())
        return Error{Error::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("the import was cancelled"), 0};
    return report;
}

Result<ImportReport> Importer::importFile(const QString &path, RecordStore &into, const ImportOptions &options,
                                          const ProgressCallback &progress)
{
    return importFiles({path}, into, options, progress);
}

Result<ImportReport> Importer::importFiles(const QStringList &paths, RecordStore &into, const ImportOptions &options,
                                           const ProgressCallback &progress)
{
    if (auto valid = validateOptions(options); !valid)
        return valid.error();
    std::vector<OpenedInput> inputs;
    qint64 total = 0;
    for (const QString &path : paths) {
        auto opened = openInput(path);
        if (!opened)
            return opened.error();
        if (opened.value().size < 0)
            total = -1;
        else if (total >= 0)
            total += opened.value().size;
        inputs.push_back(std::move(opened).value());
    }
    QElapsedTimer timer;
    timer.start();
    ImportReport report;
    RecordSink sink(into, options, report);
    qint64 base = 0;
    for (OpenedInput &input : inputs) {
        if (sink.stopped() || report.limitReached)
            break;
        auto result = importInput(*input.file, input.name, input.size, sink, progress, base, total);
        sink.flush();
        if (!result)
            return result.error();
        base += input.size < 0 ? 0 : input.size;
    }
    const qint64 ms = std::max<qint64>(1, timer.elapsed());
    qCDebug(lcImport).noquote() << paths.join(QLatin1String(", ")) << ":" << report.summary() << "in" << ms << "ms,"
                                << (report.bytesRead / 1000 / ms) << "MB/s";
    return report;
}

Result<SniffResult> Importer::sniff(const QString &path, const ImportOptions &options, int previewRecords, int previewLines)
{
    if (auto valid = validateOptions(options); !valid)
        return valid.error();
    auto opened = openInput(path);
    if (!opened)
        return opened.error();
    if (path == QLatin1String("-"))
        return Error::input(QStringLiteral("standard input cannot be previewed"), QStringLiteral("InvalidInput"));
    SniffResult result;
    result.totalBytes = opened.value().size;
    constexpr qint64 kHeadBytes = 256 * 1024;
    const QByteArray head = opened.value().file->read(kHeadBytes);
    const bool whole = head.size() < kHeadBytes;
    if (options.format != Format::RawFile && options.format != Format::KplRecords) {
        if (const QString problem = FormatDetector::wideTextProblem(path, head); !problem.isEmpty())
            return Error::input(problem, QStringLiteral("UnsupportedEncoding"));
    }
    result.hasBom = head.startsWith("\xEF\xBB\xBF");
    result.format = options.format == Format::Auto ? FormatDetector::detect(path, head, whole, options.columnMapping())
                                                   : options.format;
    if (result.format != Format::RawFile && result.format != Format::KplRecords) {
        const QByteArray text = result.hasBom ? head.mid(3) : head;
        qsizetype start = 0;
        while (start < text.size() && result.firstLines.size() < previewLines) {
            qsizetype end = text.indexOf('\n', start);
            if (end < 0) {
                if (!whole)
                    break; // a cut line
                end = text.size();
            }
            QByteArray line = text.mid(start, end - start);
            if (line.endsWith('\r'))
                line.chop(1);
            result.firstLines << QString::fromUtf8(line).left(1000);
            start = end + 1;
        }
    }
    if (result.format == Format::JsonLines || result.format == Format::JsonArray || result.format == Format::AwsCli
        || result.format == Format::JsonObject) {
        result.jsonMembers = FormatDetector::firstObjectMembers(result.format, head);
        result.jsonFields = FormatDetector::firstObjectFields(result.format, head);
    }

    ImportOptions previewOptions = options;
    previewOptions.format = result.format;
    previewOptions.limit = std::max(1, previewRecords);
    previewOptions.onBadRow = BadRowPolicy::Skip;
    previewOptions.blockBytes = std::min<qint64>(options.blockBytes, 256 * 1024);
    opened.value().file->seek(0);
    Importer importer;
    auto preview = importer.importDevice(*opened.value().file, path, result.preview, previewOptions);
    if (!preview)
        return preview.error();
    result.previewReport = std::move(preview).value();
    result.columns = result.previewReport.columns;
    if (result.format == Format::Csv || result.format == Format::Tsv) {
        const ColumnMapping mapping = options.columnMapping();
        result.dataColumn = CsvImporter::findColumn(result.columns, mapping.data, {QStringLiteral("data"), QStringLiteral("Data")});
        const KeyStrategy strategy = options.keyStrategy == KeyStrategy::Auto && !options.partitionKeyField.isEmpty()
            ? KeyStrategy::Field
            : options.keyStrategy;
        if (strategy == KeyStrategy::Field)
            result.partitionKeyColumn = CsvImporter::findColumn(result.columns, options.partitionKeyField, {});
        else if (strategy == KeyStrategy::Auto)
            result.partitionKeyColumn = CsvImporter::findColumn(
                result.columns, mapping.partitionKey, {QStringLiteral("partition_key"), QStringLiteral("PartitionKey")});
        if (!mapping.noExplicitHashKey)
            result.explicitHashKeyColumn = CsvImporter::findColumn(
                result.columns, mapping.explicitHashKey,
                {QStringLiteral("explicit_hash_key"), QStringLiteral("ExplicitHashKey")});
    }
    return result;
}

} // namespace kwb::import
