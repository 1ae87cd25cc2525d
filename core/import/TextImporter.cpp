#include "TextImporter.h"

#include "import/DataDecoder.h"
#include "import/LineReader.h"

namespace kwb::import {

Result<void> TextImporter::runLines(BlockReader &reader, RecordSink &sink)
{
    const ImportOptions &options = sink.options();
    const DataEncoding encoding = options.dataEncoding == DataEncoding::Auto ? DataEncoding::Text : options.dataEncoding;
    LineReader lines(reader, sink.maxInputRecordBytes());
    LineReader::Line line;
    while (!sink.stopped()) {
        auto next = lines.next(line);
        if (!next)
            return next.error();
        if (!next.value())
            break;
        if (line.length == 0 && options.skipEmptyLines) {
            sink.countEmptyLine();
            continue;
        }
        if (sink.atLimit())
            break;
        sink.beginRecord();
        const SourceLocation at{line.number, 1};
        if (line.tooLong) {
            sink.reject(at, QStringLiteral("this line is %1 long, more than any record of at most %2 can take")
                                .arg(formatBytes(line.length), formatBytes(options.maxRecordBytes)));
            continue;
        }
        const QByteArrayView text(line.data, line.length);
        const QByteArrayView key = sink.generatedKey();
        char *out = sink.dataBuffer(DataDecoder::maxDecodedSize(encoding, text.size()));
        DataDecoder::Failure failure;
        const qsizetype bytes = DataDecoder::decode(encoding, text, out, &failure);
        if (bytes < 0) {
            const SourceLocation bad = failure.position > 0 ? SourceLocation{line.number, failure.position} : at;
            sink.reject(bad, QStringLiteral("this line is not valid %1 (%2); fix it, or choose another data encoding")
                                 .arg(dataEncodingName(encoding), failure.detail));
            continue;
        }
        sink.accept(key, bytes, std::nullopt, at, at, QStringLiteral("the generated key"));
    }
    return {};
}

Result<void> TextImporter::runRawFile(BlockReader &reader, RecordSink &sink, qint64 knownSize)
{
    const ImportOptions &options = sink.options();
    if (sink.atLimit())
        return {};
    sink.beginRecord();
    const QByteArrayView key = sink.generatedKey();
    const qint64 room = options.maxRecordBytes - key.size();
    const SourceLocation at{0, 0};
    auto tooLarge = [&](qint64 size, bool exact) {
        sink.reject(at, QStringLiteral("the file is %1%2, over the maximum record size of %3 (with the partition "
                                       "key); raise the maximum record size if the stream allows larger records, or "
                                       "split the file")
                            .arg(exact ? QString() : QStringLiteral("more than "), formatBytes(size),
                                 formatBytes(options.maxRecordBytes)));
    };
    if (knownSize > room) {
        tooLarge(knownSize, true);
        return {};
    }
    while (!reader.atEof()) {
        if (reader.available() > room) {
            tooLarge(reader.available(), false);
            return {};
        }
        auto more = reader.readMore();
        if (!more)
            return more.error();
    }
    if (reader.available() > room) {
        tooLarge(reader.available(), true);
        return {};
    }
    sink.acceptCopy(key, reader.view(), std::nullopt, at, at, QStringLiteral("the partition key"));
    reader.consumeAll();
    return {};
}

} // namespace kwb::import
