#include "import/KplImporter.h"

#include "HashKey.h"
#include "import/BlockReader.h"
#include "import/RecordSink.h"
#include "kpl/KinesisRecordsFile.h"
#include "kpl/RecordInspection.h"


namespace kwb::import {

namespace {

/// Where a record is, without the input's name (the issue names the file): "Records[3]", "line 12".
struct RecordPlace
{
    QString text;
    SourceLocation at;
};

RecordPlace placeOf(const QString &where, const QString &name)
{
    QString text = where;
    if (text.startsWith(name))
        text = text.mid(name.size());
    if (text.startsWith(QLatin1Char(':')))
        text = text.mid(1);
    text = text.trimmed();
    bool isLine = false;
    const qint64 line = text.toLongLong(&isLine);
    if (isLine)
        return {QStringLiteral("line %1").arg(line), SourceLocation{line, 1}};
    return {text, SourceLocation{}};
}

} // namespace

Result<void> KplImporter::run(BlockReader &reader, RecordSink &sink)
{
    const ImportOptions &options = sink.options();
    const QString &name = sink.inputName();
    if (sink.strategy() == KeyStrategy::Field || !options.dataField.isEmpty() || !options.explicitHashKeyField.isEmpty())
        return Error::input(QStringLiteral("%1: Kinesis records have their own partition keys, data and explicit hash keys; "
                                           "clear the key, data and explicit hash key fields")
                                .arg(name),
                            QStringLiteral("InvalidImportOptions"));
    while (!reader.atEof()) {
        if (reader.available() > kpl::KinesisRecordsFile::kMaxInputBytes)
            return Error::input(QStringLiteral("%1 is larger than %2, the most read as Kinesis records at once; split it "
                                               "(one get-records answer is at most 10 MiB)")
                                    .arg(name, formatBytes(kpl::KinesisRecordsFile::kMaxInputBytes)),
                                QStringLiteral("InputTooLarge"));
        auto more = reader.readMore();
        if (!more)
            return more.error();
    }
    auto records = kpl::KinesisRecordsFile::read(reader.view(), kpl::KinesisRecordsFile::Format::Auto, name);
    reader.consumeAll();
    if (!records)
        return records.error();

    const auto acceptOne = [&sink](QByteArrayView key, QByteArrayView data, QByteArrayView hashKeyText, SourceLocation at,
                                   const QString &what) {
        std::optional<UInt128> hashKey;
        if (!hashKeyText.isEmpty()) {
            auto parsed = parseHashKey(hashKeyText);
            if (!parsed) {
                sink.reject(at, QStringLiteral("%1: the explicit hash key %2").arg(what, parsed.error().message));
                return;
            }
            hashKey = parsed.value();
        }
        const QByteArrayView useKey = sink.generatesKeys() ? sink.generatedKey() : key;
        sink.acceptCopy(useKey, data, hashKey, at, at, QStringLiteral("the partition key of %1").arg(what));
    };

    for (const kpl::KinesisRecordIn &record : records.value()) {
        if (sink.stopped())
            break;
        const RecordPlace place = placeOf(record.where, name);
        const QString what = QStringLiteral("Kinesis record %1").arg(place.text);
        if (!record.error.isEmpty()) {
            if (sink.atLimit())
                break;
            sink.beginRecord();
            sink.reject(place.at, QStringLiteral("%1 %2").arg(what, record.error));
            continue;
        }
        const kpl::RecordInspection inspection = kpl::RecordInspection::inspect(record.data);
        switch (inspection.kind) {
        case kpl::RecordInspection::Kind::Broken:
            if (sink.atLimit())
                break;
            sink.beginRecord();
            // Never its bytes as user records; the whole record is one bad row.
            sink.reject(place.at, QStringLiteral("%1: %2").arg(what, inspection.error.message));
            break;
        case kpl::RecordInspection::Kind::Plain: {
            if (sink.atLimit())
                break;
            sink.beginRecord();
            if (record.partitionKey.isEmpty() && !sink.generatesKeys()) {
                sink.reject(place.at, QStringLiteral("%1 is not aggregated and the file does not give its partition key; "
                                                     "choose a key strategy (constant, row number, …)")
                                          .arg(what));
                break;
            }
            acceptOne(record.partitionKey.toUtf8(), record.data, record.explicitHashKey.toUtf8(), place.at, what);
            break;
        }
        case kpl::RecordInspection::Kind::Aggregated:
            for (const kpl::UserRecordSpan &span : inspection.userRecords) {
                if (sink.stopped() || sink.atLimit())
                    break;
                sink.beginRecord();
                acceptOne(span.partitionKey(record.data), span.data(record.data), span.explicitHashKey(record.data), place.at,
                          QStringLiteral("%1, user record %2").arg(what).arg(span.subSequenceNumber));
            }
            break;
        }
        if (options.limit > 0 && sink.atLimit())
            break;
    }
    return {};
}

} // namespace kwb::import
