#include "CsvImporter.h"

#include "import/CsvReader.h"
#include "import/DataDecoder.h"

#include <simdjson.h>

namespace kwb::import {

namespace {

QString quotedList(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted << QLatin1Char('"') + name + QLatin1Char('"');
    return quoted.join(QLatin1String(", "));
}

} // namespace

int CsvImporter::findColumn(const QStringList &header, const QString &mapped, const QStringList &names)
{
    const QStringList wanted = mapped.isEmpty() ? names : QStringList{mapped};
    for (const QString &name : wanted)
        if (const qsizetype i = header.indexOf(name); i >= 0)
            return int(i);
    for (const QString &name : wanted)
        for (qsizetype i = 0; i < header.size(); ++i)
            if (header[i].compare(name, Qt::CaseInsensitive) == 0)
                return int(i);
    return -1;
}

Result<void> CsvImporter::run(BlockReader &reader, Format format, RecordSink &sink)
{
    const ImportOptions &options = sink.options();
    const char delimiter = format == Format::Tsv ? '\t' : ',';
    CsvReader csv(reader, delimiter, sink.maxInputRecordBytes());
    CsvReader::Record record;
    QByteArray scratch;

    // The header: the first line that is not empty.
    QStringList header;
    for (;;) {
        auto next = csv.next(record);
        if (!next)
            return next.error();
        if (!next.value())
            return {}; // empty input
        if (record.isEmptyLine()) {
            sink.countEmptyLine();
            continue;
        }
        if (record.tooLong || record.faultOffset >= 0) {
            const SourceLocation at = record.tooLong
                ? SourceLocation{record.line, 1}
                : advanceLocation({record.line, 1}, record.data, record.data + record.faultOffset);
            sink.problem(at, QStringLiteral("the header row cannot be read: %1")
                                 .arg(record.tooLong ? QStringLiteral("it is %1 long").arg(formatBytes(record.length))
                                                     : record.fault),
                         true);
            return {};
        }
        for (const CsvReader::Field &field : record.fields)
            header << QString::fromUtf8(CsvReader::value(record, field, scratch)).trimmed();
        break;
    }
    sink.report().columns = header;
    const SourceLocation headerAt{record.line, 1};
    const ColumnMapping mapping = options.columnMapping();

    const int dataColumn = findColumn(header, mapping.data, {QStringLiteral("data"), QStringLiteral("Data")});
    if (dataColumn < 0) {
        sink.problem(headerAt,
                     mapping.data.isEmpty()
                         ? QStringLiteral("no data column: the header has %1; name a column \"data\", or map one "
                                          "(data=COLUMN)")
                               .arg(quotedList(header))
                         : QStringLiteral("no column \"%1\" for the data: the header has %2")
                               .arg(mapping.data, quotedList(header)),
                     true);
        return {};
    }
    int keyColumn = -1;
    QString keyName;
    if (sink.strategy() == KeyStrategy::Field) {
        keyColumn = findColumn(header, options.partitionKeyField, {});
        if (keyColumn < 0) {
            sink.problem(headerAt, QStringLiteral("no column \"%1\" for the partition key: the header has %2")
                                       .arg(options.partitionKeyField, quotedList(header)),
                         true);
            return {};
        }
    } else if (sink.strategy() == KeyStrategy::Auto) {
        keyColumn = findColumn(header, mapping.partitionKey,
                               {QStringLiteral("partition_key"), QStringLiteral("PartitionKey")});
        if (keyColumn < 0) {
            sink.problem(headerAt,
                         mapping.partitionKey.isEmpty()
                             ? QStringLiteral("no partition key column: the header has %1; name a column "
                                              "\"partition_key\", map one (pk=COLUMN), or choose a key strategy")
                                   .arg(quotedList(header))
                             : QStringLiteral("no column \"%1\" for the partition key: the header has %2")
                                   .arg(mapping.partitionKey, quotedList(header)),
                         true);
            return {};
        }
    }
    if (keyColumn >= 0)
        keyName = header[keyColumn];
    const int hashColumn = mapping.noExplicitHashKey
        ? -1
        : findColumn(header, mapping.explicitHashKey,
                     {QStringLiteral("explicit_hash_key"), QStringLiteral("ExplicitHashKey")});
    if (hashColumn < 0 && !mapping.explicitHashKey.isEmpty()) {
        sink.problem(headerAt, QStringLiteral("no column \"%1\" for the explicit hash key: the header has %2")
                                   .arg(mapping.explicitHashKey, quotedList(header)),
                     true);
        return {};
    }
    for (int column : {dataColumn, keyColumn, hashColumn}) {
        if (column >= 0 && header.count(header[column]) > 1) {
            sink.problem(headerAt, QStringLiteral("column \"%1\" appears more than once in the header; rename one")
                                       .arg(header[column]),
                         true);
            return {};
        }
    }
    const QString dataName = header[dataColumn];
    const QString keyWhat = QStringLiteral("column \"%1\"").arg(keyName);
    DataEncoding encoding = options.dataEncoding == DataEncoding::Auto ? DataEncoding::Text : options.dataEncoding;
    const qsizetype columns = header.size();
    QByteArray keyScratch;
    QByteArray hashScratch;

    while (!sink.stopped()) {
        auto next = csv.next(record);
        if (!next)
            return next.error();
        if (!next.value())
            break;
        if (record.isEmptyLine()) {
            sink.countEmptyLine();
            continue;
        }
        if (sink.atLimit())
            break;
        sink.beginRecord();
        const SourceLocation at{record.line, 1};
        if (record.tooLong) {
            sink.reject(at, QStringLiteral("this row is %1 long, more than any record of at most %2 can take; make it "
                                           "smaller, or look for an unterminated quote above")
                                .arg(formatBytes(record.length), formatBytes(options.maxRecordBytes)));
            continue;
        }
        auto locationOf = [&](qint64 offset) { return advanceLocation(at, record.data, record.data + offset); };
        if (record.faultOffset >= 0) {
            sink.reject(locationOf(record.faultOffset), record.fault);
            continue;
        }
        if (qsizetype(record.fields.size()) != columns) {
            sink.reject(at, QStringLiteral("this row has %1 field%2 but the header has %3; check the delimiters and "
                                           "quotes in this row")
                                .arg(record.fields.size())
                                .arg(record.fields.size() == 1 ? QString() : QStringLiteral("s"))
                                .arg(columns));
            continue;
        }
        auto fieldAt = [&](int column) {
            const CsvReader::Field &field = record.fields[size_t(column)];
            return locationOf(field.quoted ? field.begin - 1 : field.begin);
        };
        QByteArrayView key;
        SourceLocation keyAt = at;
        if (keyColumn >= 0) {
            key = CsvReader::value(record, record.fields[size_t(keyColumn)], keyScratch);
            keyAt = fieldAt(keyColumn);
            if (!simdjson::validate_utf8(key.data(), size_t(key.size()))) {
                sink.reject(keyAt, QStringLiteral("column \"%1\" is not valid UTF-8; partition keys are text, save the "
                                                  "file as UTF-8")
                                       .arg(keyName));
                continue;
            }
        } else {
            key = sink.generatedKey();
        }
        std::optional<UInt128> hashKey;
        if (hashColumn >= 0) {
            const QByteArrayView text = CsvReader::value(record, record.fields[size_t(hashColumn)], hashScratch);
            if (!text.isEmpty()) {
                auto parsed = parseHashKey(text);
                if (!parsed) {
                    sink.reject(fieldAt(hashColumn), QStringLiteral("column \"%1\" is not valid: %2")
                                                         .arg(header[hashColumn], parsed.error().message));
                    continue;
                }
                hashKey = parsed.value();
            }
        }
        const QByteArrayView data = CsvReader::value(record, record.fields[size_t(dataColumn)], scratch);
        char *out = sink.dataBuffer(DataDecoder::maxDecodedSize(encoding, data.size()));
        DataDecoder::Failure failure;
        const qsizetype bytes = DataDecoder::decode(encoding, data, out, &failure);
        if (bytes < 0) {
            sink.reject(fieldAt(dataColumn),
                        QStringLiteral("column \"%1\" is not valid %2 (%3); %4")
                            .arg(dataName, dataEncodingName(encoding), failure.detail,
                                 encoding == DataEncoding::Base64
                                     ? QStringLiteral("fix the value, or choose the utf8 data encoding for plain text")
                                     : QStringLiteral("fix the value, or choose another data encoding")));
            continue;
        }
        sink.accept(key, bytes, hashKey, at, keyAt, keyColumn >= 0 ? keyWhat : QStringLiteral("the generated key"));
    }
    return {};
}

} // namespace kwb::import
