#pragma once

// One body for the four importer targets (JSON Lines, JSON, AWS CLI, CSV): the first byte of the
// input picks options (shape, encoding, key source, block size, bad-row policy), the rest is
// the file, read from memory through Importer::importDevice exactly as a file would be. JSON
// Lines are imported a second time without the fast path, which must give the same.

#include "FuzzSupport.h"
#include "RecordStore.h"
#include "import/Importer.h"

#include <QBuffer>

namespace kwb::fuzz {

inline void importOnce(const uint8_t *data, size_t size, import::Format format, const char *fileName)
{
    using namespace kwb::import;
    InputSplitter in(data, size);
    const quint8 choice = in.byte();
    QByteArray bytes = in.rest();

    ImportOptions options;
    options.format = format;
    options.useHelperThread = false; // one thread: deterministic, and libFuzzer sees all the work
    options.randomSeed = 1;
    options.maxStoredIssues = 50;
    // Small blocks make every record cross block boundaries somewhere.
    options.blockBytes = (choice & 0x01) ? 1 + (choice >> 5) * 7 : 64 * 1024;
    options.onBadRow = (choice & 0x02) ? BadRowPolicy::Stop : BadRowPolicy::Skip;
    switch ((choice >> 2) & 0x03) {
    case 0: break;
    case 1: options.jsonShape = JsonShape::Records; break;
    case 2:
        options.jsonShape = JsonShape::Objects;
        options.partitionKeyField = QStringLiteral("user.id");
        options.dataField = QStringLiteral("payload");
        break;
    case 3:
        options.keyStrategy = KeyStrategy::RowNumber;
        options.explicitHashKeyField = QStringLiteral("ehk");
        break;
    }
    switch ((choice >> 4) & 0x03) {
    case 0: break;
    case 1: options.dataEncoding = DataEncoding::Base64; break;
    case 2: options.dataEncoding = DataEncoding::Hex; break;
    case 3: options.maxRecordBytes = 64; break;
    }
    if (format == Format::Csv && (choice & 0x80))
        options.format = Format::Tsv;
    if (format == Format::JsonArray && (choice & 0x80))
        options.format = Format::JsonObject;

    QBuffer device(&bytes);
    device.open(QIODevice::ReadOnly);
    RecordStore store;
    // One importer for every input, as a worker thread keeps one (it reuses its parsers).
    static Importer importer;
    auto report = importer.importDevice(device, QString::fromLatin1(fileName), store, options);
    if (!report.ok())
        return;
    const ImportReport &r = report.value();
    // What the report says must match what the store holds.
    KWB_FUZZ_CHECK(r.imported == store.size());
    KWB_FUZZ_CHECK(r.imported + r.skipped <= r.recordsRead);
    KWB_FUZZ_CHECK(r.bytesRead <= bytes.size());
    KWB_FUZZ_CHECK(qint64(r.issues.size()) <= r.issueCount);

    // JSON Lines: the fast path (JsonRecordScanner) and the general path give the same import.
    if (format != Format::JsonLines || !options.jsonFastPath)
        return;
    options.jsonFastPath = false;
    QBuffer again(&bytes);
    again.open(QIODevice::ReadOnly);
    RecordStore general;
    auto generalReport = importer.importDevice(again, QString::fromLatin1(fileName), general, options);
    KWB_FUZZ_CHECK(generalReport.ok());
    const ImportReport &g = generalReport.value();
    KWB_FUZZ_CHECK(g.recordsRead == r.recordsRead && g.imported == r.imported && g.skipped == r.skipped);
    KWB_FUZZ_CHECK(g.emptyLines == r.emptyLines && g.issueCount == r.issueCount && g.stopped == r.stopped);
    KWB_FUZZ_CHECK(g.issues.size() == r.issues.size());
    // Field by field, without formatting every issue twice; unlike toString() this also compares
    // the record number, which both paths must agree on as well.
    for (size_t i = 0; i < g.issues.size(); ++i) {
        const ImportIssue &a = g.issues[i];
        const ImportIssue &b = r.issues[i];
        KWB_FUZZ_CHECK(a.file == b.file && a.line == b.line && a.column == b.column && a.record == b.record);
        KWB_FUZZ_CHECK(a.message == b.message);
    }
    KWB_FUZZ_CHECK(general.size() == store.size());
    for (int row = 0; row < store.size(); ++row) {
        KWB_FUZZ_CHECK(general.partitionKeyUtf8(row) == store.partitionKeyUtf8(row));
        KWB_FUZZ_CHECK(general.data(row) == store.data(row));
        KWB_FUZZ_CHECK(general.hashKey(row) == store.hashKey(row));
    }
}

} // namespace kwb::fuzz
