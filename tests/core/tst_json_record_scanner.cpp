// The JSON Lines fast path (JsonRecordScanner) against the general path (every line parsed by
// simdjson): the same file imported both ways gives the same records, the same problems at the
// same places and the same counts. The files are lines of the plain record shape and every
// one-byte damage of them (a byte replaced, removed or doubled), so each way a line can leave the
// shape is met, each after a run of plain lines; the general path is the reference, and the other
// import tests pin its results.
#include "RecordStore.h"
#include "import/ChunkConsumer.h"
#include "import/Importer.h"

#include "ImportTestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::import;

Q_DECLARE_METATYPE(kwb::import::ImportOptions)

namespace {

using kwb::test::dump;
using kwb::test::issues;

QByteArray sampleData(DataEncoding encoding)
{
    switch (encoding) {
    case DataEncoding::Base64:
        return "aGVsbG8gd29ybGQ=";
    case DataEncoding::Hex:
        return "68656c6c6f";
    case DataEncoding::Auto:
    case DataEncoding::Text:
        break;
    }
    return "hello w\xC3\xB6rld";
}

/// The lines of the test file: two lines of the plain shape, every one-byte damage of each, and
/// lines that are valid JSON but not for the fast path.
QList<QByteArray> lines(DataEncoding encoding)
{
    const QByteArray data = sampleData(encoding);
    const QList<QByteArray> plain{
        "{\"PartitionKey\":\"user-1\",\"Data\":\"" + data + "\"}",
        " {  \"Data\" :\t\"" + data + "\" ,\"PartitionKey\": \"\xC3\xBC-k\" }  ",
    };
    // The first line decides the shape (records), as in a real file.
    QList<QByteArray> out{plain[0]};
    const QByteArray replacements = QByteArray("\"\\,:{}[] \t\r") + QByteArray(1, '\0')
        + QByteArray("\x01\x7F\xC3\xFF" "Aa0=-nu");
    for (const QByteArray &line : plain) {
        out << line;
        for (qsizetype i = 0; i < line.size(); ++i) {
            out << QByteArray(line).remove(i, 1);
            out << QByteArray(line).insert(i, line[i]);
            for (const char c : replacements) {
                if (line[i] == c)
                    continue;
                QByteArray changed = line;
                changed[i] = c;
                out << changed;
            }
        }
    }
    const QByteArray d = "\"" + data + "\"";
    out << "{\"PartitionKey\":\"a\",\"PartitionKey\":\"b\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + ",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + ",\"ExplicitHashKey\":\"7\"}"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + ",\"ExplicitHashKey\":null}"
        << "{\"PartitionKey\":\"\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"" + QByteArray(256, 'k') + "\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"" + QByteArray(257, 'k') + "\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"" + QByteArray(128, 'k') + QByteArray(64, '\xC3') + "\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\\\"b\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\\u0041\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\",\"Data\":\"x\\ny\"}"
        << "{\"PartitionKey\":\"a\",\"Data\":\"" + data + "\\\\\"}"
        << "{\"Partition\\u004bey\":\"a\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\"}"
        << "{\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + "}{}"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + "} x"
        << "{\"PartitionKey\":\"a\",\"Data\":" + d + ",}"
        << "{\"PartitionKey\":7,\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"a\",\"Data\":null}"
        << "{\"PartitionKey\":\"a\",\"Data\":\"\"}"
        << "{\"PartitionKey\":\"a\",\"Data\":\"" + QByteArray(400, 'A') + "\"}"
        << "{\"PartitionKey\":\"bad utf-8 \xC3\",\"Data\":" + d + "}"
        << "{\"PartitionKey\":\"overlong \xC0\xAF\",\"Data\":" + d + "}"
        << "" << "   " << "[]" << "{}" << "{\"PartitionKey\":\"last\",\"Data\":" + d + "}";
    // Plain lines between the others keep the fast path going (where it declines often, whole
    // windows of lines go the general way).
    QList<QByteArray> spaced;
    for (const QByteArray &line : out) {
        for (int i = 0; i < 16; ++i)
            spaced << plain[i % 2];
        spaced << line;
    }
    return spaced;
}

struct Outcome
{
    QStringList records;
    QStringList problems;
    QList<qint64> counts; ///< read, imported, skipped, empty lines, issues
};

Outcome importBothWays(const QString &path, ImportOptions options, bool fast)
{
    options.jsonFastPath = fast;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    if (!result.ok())
        return {{QStringLiteral("failed: ") + result.error().toString()}, {}, {}};
    const ImportReport &report = result.value();
    return {dump(store), issues(report),
            {report.recordsRead, report.imported, report.skipped, report.emptyLines, report.issueCount}};
}

/// Collects a streaming import's chunks as rows, checking that each chunk starts where the
/// records before it end.
class Collector : public ChunkConsumer
{
public:
    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override
    {
        if (firstRecord != rows.size())
            rows << QStringLiteral("chunk at %1 after %2 rows").arg(firstRecord).arg(rows.size());
        rows << dump(chunk);
        return true;
    }
    QStringList rows;
};

} // namespace

class TstJsonRecordScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsParser_data();
    void sameAsParser();

private:
    QTemporaryDir m_dir;
};

void TstJsonRecordScanner::sameAsParser_data()
{
    QTest::addColumn<ImportOptions>("options");
    const auto with = [](DataEncoding encoding, KeyStrategy strategy = KeyStrategy::Auto) {
        ImportOptions options;
        options.format = Format::JsonLines;
        options.dataEncoding = encoding;
        options.keyStrategy = strategy;
        options.jsonShape = JsonShape::Records; // the fast path from the first line on
        return options;
    };
    QTest::newRow("base64") << with(DataEncoding::Base64);
    QTest::newRow("utf8") << with(DataEncoding::Text);
    QTest::newRow("hex") << with(DataEncoding::Hex);
    QTest::newRow("auto encoding and shape") << [&] {
        ImportOptions options = with(DataEncoding::Auto);
        options.jsonShape = JsonShape::Auto;
        return options;
    }();
    QTest::newRow("base64, row number keys") << with(DataEncoding::Base64, KeyStrategy::RowNumber);
    QTest::newRow("utf8, constant key") << [&] {
        ImportOptions options = with(DataEncoding::Text, KeyStrategy::Constant);
        options.constantKey = QStringLiteral("c");
        return options;
    }();
    QTest::newRow("base64, records of at most 12 bytes") << [&] {
        ImportOptions options = with(DataEncoding::Base64);
        options.maxRecordBytes = 12;
        return options;
    }();
    QTest::newRow("utf8, limit of 7,000 records") << [&] {
        ImportOptions options = with(DataEncoding::Text);
        options.limit = 7000;
        return options;
    }();
    QTest::newRow("base64, stop at the first bad record") << [&] {
        ImportOptions options = with(DataEncoding::Base64);
        options.onBadRow = BadRowPolicy::Stop;
        return options;
    }();
    QTest::newRow("base64, no helper thread") << [&] {
        ImportOptions options = with(DataEncoding::Base64);
        options.useHelperThread = false;
        return options;
    }();
}

void TstJsonRecordScanner::sameAsParser()
{
    QFETCH(ImportOptions, options);
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("lines.jsonl"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (const QByteArray &line : lines(options.dataEncoding))
            file.write(line + '\n');
    }
    const Outcome general = importBothWays(path, options, false);
    const Outcome fast = importBothWays(path, options, true);
    // Enough of both kinds that the comparison means something.
    QVERIFY2(general.records.size() >= 2, qPrintable(general.records.join(QLatin1Char('\n'))));
    QVERIFY(options.onBadRow == BadRowPolicy::Stop || general.problems.size() > 100);
    QCOMPARE(fast.records, general.records);
    QCOMPARE(fast.problems, general.problems);
    QCOMPARE(fast.counts, general.counts);

    // Streamed in small chunks, the fast path hands on the same records in order.
    Collector collector;
    StreamOptions stream;
    stream.chunkRecords = 7;
    Importer importer;
    auto streamed = importer.streamFiles({path}, options, stream, collector);
    QVERIFY(streamed.ok());
    QCOMPARE(collector.rows, general.records);
    QCOMPARE(issues(streamed.value()), general.problems);
}

QTEST_GUILESS_MAIN(TstJsonRecordScanner)
#include "tst_json_record_scanner.moc"
