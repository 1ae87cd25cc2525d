// The importer as a whole: format detection, the preview (sniff), text lines and raw files, key
// strategies, skip/stop policies, the record limit, progress and cancel, standard input and
// pipe-like devices, and streaming: inputs of several MB read in blocks of every awkward size
// (records, CRLF pairs and multi-byte UTF-8 characters cut by block boundaries) must give exactly
// the records a single large read gives.
#include "RecordStore.h"
#include "import/Importer.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QDir>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include "ImportTestSupport.h"

#include <QProcess>
#include <QTest>

#include <chrono>
#include <set>
#include <thread>
#include <unistd.h>

#include <unistd.h>

using namespace kwb;
using namespace kwb::import;

Q_DECLARE_METATYPE(kwb::import::Format)

namespace {

QString escapeBytes(QByteArrayView bytes)
{
    QString out;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F && u != '\\')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x") + QString::number(u, 16).toUpper().rightJustified(2, QLatin1Char('0'));
    }
    return out;
}

using kwb::test::issues;

/// "key|data[|explicit hash key]" for each record; key and data bytes outside printable ASCII as \xHH.
QStringList dump(const RecordStore &store)
{
    QStringList rows;
    for (int i = 0; i < store.size(); ++i) {
        QString row = escapeBytes(store.partitionKeyUtf8(i)) + QLatin1Char('|') + escapeBytes(store.data(i));
        if (store.hasExplicitHashKey(i))
            row += QLatin1Char('|') + hashKeyToString(store.explicitHashKey(i));
        rows << row;
    }
    return rows;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// A device like a pipe: sequential, no size, hands out data in small uneven pieces.
class TricklingDevice : public QIODevice
{
public:
    explicit TricklingDevice(QByteArray bytes) : m_bytes(std::move(bytes)) { open(QIODevice::ReadOnly); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_bytes.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>({maxSize, m_bytes.size() - m_pos, 1 + qint64(m_random.bounded(5000))});
        std::memcpy(data, m_bytes.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_pos = 0;
    QRandomGenerator m_random{3};
};

/// Inputs of a few MB in each format, with what they must import to. Keys and data hold
/// multi-byte UTF-8, line ends mix LF and CRLF, CSV fields hold quotes and line breaks.
struct Generated
{
    QByteArray jsonl;
    QByteArray jsonArray;
    QByteArray csv;
    QByteArray text;
    QStringList records;     ///< expected for jsonl and jsonArray
    QStringList csvRecords;  ///< expected for csv (some fields have a second line)
    QStringList textRecords; ///< expected for text (row-number keys)
};

Generated generate(int count)
{
    Generated g;
    g.jsonArray = "[";
    g.csv = "\xEF\xBB\xBFpartition_key,data\r\n";
    g.jsonl = "\xEF\xBB\xBF";
    QRandomGenerator random(42);
    for (int i = 0; i < count; ++i) {
        const QByteArray key = "k\xC3\xA9-" + QByteArray::number(i);
        QByteArray data = "r" + QByteArray::number(i) + " \xE4\xB8\xAD\xF0\x9F\x99\x82 ";
        data += QByteArray(int(random.bounded(120)), char('a' + i % 26));
        if (i % 7 == 0)
            data += " \"quoted\", comma";
        const QByteArray jsonData = QByteArray(data).replace("\"", "\\\"");
        const QByteArray object = "{\"PartitionKey\":\"" + key + "\",\"Data\":\"" + jsonData + "\"}";
        const QByteArray lineEnd = i % 3 == 0 ? "\r\n" : "\n";
        g.jsonl += object + lineEnd;
        if (i % 11 == 0)
            g.jsonl += "\r\n"; // an empty line
        g.jsonArray += (i > 0 ? ",\n  " : "\n  ") + object;
        QByteArray csvData = data;
        if (i % 5 == 0)
            csvData += "\r\nsecond line";
        g.csv += key + ",\"" + QByteArray(csvData).replace("\"", "\"\"") + "\"" + lineEnd;
        g.text += data + lineEnd;
        g.records << escapeBytes(key) + QLatin1Char('|') + escapeBytes(data);
        g.csvRecords << escapeBytes(key) + QLatin1Char('|') + escapeBytes(csvData);
        g.textRecords << QString::number(i + 1) + QLatin1Char('|') + escapeBytes(data);
    }
    g.jsonArray += "\n]\n";
    return g;
}

} // namespace

class TstImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void detect_data();
    void detect();
    void names();
    void validateOptions_data();
    void validateOptions();

    void textLines();
    void textKeepEmptyLines();
    void textBase64();
    void rawFile();
    void rawFileTooLarge();
    void wideTextIsRefused_data();
    void wideTextIsRefused();
    void wideTextConvertedAsAdvisedImports();
    void fieldStrategyNeedsStructure();

    void keyStrategyConstant();
    void keyStrategyUuid();
    void keyStrategyRowNumber();
    void keyStrategyRandom();
    void keyStrategyFileName();

    void skipAndStop();
    void issueListIsCapped();
    void limit();
    void limitOnArray();
    void progressAndCancel();
    void cancelReturnsCancelled();

    void streaming_data();
    void streaming();
    void streamingTinyBlocks();
    void tooLongRecordsArePassedOver();
    void pipeLikeDevice();
    void standardInput();
    void importFilesAddsUp();
    void missingFile();
    void streamFilesInChunks();
    void streamQuietPipeHandsOnEachRecord();

    void sniffCsv();
    void sniffJsonLines();
    void sniffLargeFile();

private:
    QTemporaryDir m_dir;
    Generated m_generated;
};

void TstImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir::setCurrent(QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import"))));
    m_generated = generate(30000); // about 3 MB per format
    QVERIFY(m_generated.jsonl.size() > 2 * 1024 * 1024);
}

void TstImport::detect_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("whole");
    QTest::addColumn<Format>("format");

    const QByteArray record = R"({"PartitionKey":"a","Data":"x"})";
    QTest::newRow(".jsonl") << QStringLiteral("a.jsonl") << QByteArray("whatever") << true << Format::JsonLines;
    QTest::newRow(".ndjson") << QStringLiteral("a.NDJSON") << QByteArray() << true << Format::JsonLines;
    QTest::newRow(".csv") << QStringLiteral("a.csv") << QByteArray("x") << true << Format::Csv;
    QTest::newRow(".tsv") << QStringLiteral("a.tsv") << QByteArray("x") << true << Format::Tsv;
    QTest::newRow(".txt") << QStringLiteral("a.txt") << QByteArray("{}") << true << Format::Text;
    QTest::newRow(".json array") << QStringLiteral("a.json") << QByteArray(" \n[" + record + "]") << true << Format::JsonArray;
    QTest::newRow(".json array, BOM") << QStringLiteral("a.json") << QByteArray("\xEF\xBB\xBF[]") << true << Format::JsonArray;
    QTest::newRow(".json single object") << QStringLiteral("a.json") << QByteArray(record + "\n") << true << Format::JsonObject;
    QTest::newRow(".json with lines") << QStringLiteral("a.json") << QByteArray(record + "\n" + record + "\n") << true
                                      << Format::JsonLines;
    QTest::newRow(".json awscli") << QStringLiteral("in.json")
                                  << QByteArray(R"({"StreamName":"s","Records":[)" + record + "]}") << true << Format::AwsCli;
    QTest::newRow(".json awscli cut") << QStringLiteral("in.json") << QByteArray(R"({"Records":[)" + record + ",") << false
                                      << Format::AwsCli;
    QTest::newRow("nested Records is not awscli") << QStringLiteral("x.json") << QByteArray(R"({"a":{"Records":[]}})")
                                                  << true << Format::JsonObject;
    QTest::newRow(".json empty") << QStringLiteral("a.json") << QByteArray() << true << Format::JsonArray;
    QTest::newRow("stdin lines") << QStringLiteral("stdin") << QByteArray(record + "\n" + record) << true << Format::JsonLines;
    QTest::newRow("stdin array") << QStringLiteral("stdin") << QByteArray("[\n  {") << false << Format::JsonArray;
    QTest::newRow("stdin log line") << QStringLiteral("stdin") << QByteArray("[INFO] started\n") << true << Format::Text;
    QTest::newRow("no extension csv") << QStringLiteral("export") << QByteArray("id,data\n1,x\n") << true << Format::Csv;
    QTest::newRow("no extension tsv") << QStringLiteral("export") << QByteArray("id\tData\n1\tx\n") << true << Format::Tsv;
    QTest::newRow("commas but no data column") << QStringLiteral("notes") << QByteArray("a, b, c\n") << true << Format::Text;
    QTest::newRow("binary") << QStringLiteral("photo.png") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << true << Format::RawFile;
    QTest::newRow("empty, no extension") << QStringLiteral("x") << QByteArray() << true << Format::Text;
}

void TstImport::detect()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, head);
    QFETCH(bool, whole);
    QFETCH(Format, format);
    QCOMPARE(formatName(Importer::detect(name, head, whole)), formatName(format));
}

void TstImport::names()
{
    for (Format f : {Format::Auto, Format::JsonLines, Format::JsonArray, Format::JsonObject, Format::AwsCli, Format::Csv,
                     Format::Tsv, Format::Text, Format::RawFile})
        QCOMPARE(parseFormat(formatName(f)), std::optional<Format>(f));
    for (KeyStrategy k : {KeyStrategy::Auto, KeyStrategy::Field, KeyStrategy::Constant, KeyStrategy::Uuid,
                          KeyStrategy::RowNumber, KeyStrategy::Random, KeyStrategy::FileName})
        QCOMPARE(parseKeyStrategy(keyStrategyName(k)), std::optional<KeyStrategy>(k));
    for (DataEncoding e : {DataEncoding::Auto, DataEncoding::Text, DataEncoding::Base64, DataEncoding::Hex})
        QCOMPARE(parseDataEncoding(dataEncodingName(e)), std::optional<DataEncoding>(e));
    for (JsonShape s : {JsonShape::Auto, JsonShape::Records, JsonShape::Objects})
        QCOMPARE(parseJsonShape(jsonShapeName(s)), std::optional<JsonShape>(s));
    QCOMPARE(parseFormat(u"NDJSON"), std::optional<Format>(Format::JsonLines));
    QCOMPARE(parseDataEncoding(u"text"), std::optional<DataEncoding>(DataEncoding::Text));
    QCOMPARE(parseKeyStrategy(u"index"), std::optional<KeyStrategy>(KeyStrategy::RowNumber));
    QCOMPARE(parseFormat(u"xml"), std::nullopt);
}

void TstImport::validateOptions_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("error");
    QTest::newRow("defaults") << 0 << QString();
    QTest::newRow("max record size 0") << 1 << QStringLiteral("the maximum record size must be between 1 byte and 10 MiB");
    QTest::newRow("max record size 11 MiB") << 2 << QStringLiteral("the maximum record size must be between 1 byte and 10 MiB");
    QTest::newRow("field without a field") << 3
                                           << QStringLiteral("the field key strategy needs a field: a dotted path into "
                                                             "the JSON objects (user.id) or a column name");
    // The wording of the key rule belongs to kwb::validatePartitionKey.
    QTest::newRow("constant too long") << 4
                                       << validatePartitionKey(QString(257, QLatin1Char('k')),
                                                               QStringLiteral("the constant partition key"))
                                              .error()
                                              .message;
    QTest::newRow("constant empty") << 5
                                    << validatePartitionKey(QString(), QStringLiteral("the constant partition key"))
                                           .error()
                                           .message;
    QTest::newRow("empty path part") << 6
                                     << QStringLiteral("the key field \"user..id\" has an empty part; write a dotted path "
                                                       "like user.id");
    QTest::newRow("negative limit") << 7 << QStringLiteral("the record limit cannot be negative");
    QTest::newRow("empty data field part") << 8
                                           << QStringLiteral("the data field \"msg.\" has an empty part; write a dotted "
                                                             "path like user.id");
    QTest::newRow("empty hash key field part") << 9
                                               << QStringLiteral("the explicit hash key field \".h\" has an empty part; "
                                                                 "write a dotted path like user.id");
    QTest::newRow("two explicit hash key columns")
        << 10
        << QStringLiteral("the explicit hash key column is given twice: \"a\" in the column mapping and \"b\" as the "
                          "explicit hash key field; give one");
    QTest::newRow("an explicit hash key column and none")
        << 11
        << QStringLiteral("the column mapping both names an explicit hash key column (\"a\") and says there is none; "
                          "give one");
}

void TstImport::validateOptions()
{
    QFETCH(int, which);
    QFETCH(QString, error);
    ImportOptions options;
    switch (which) {
    case 1: options.maxRecordBytes = 0; break;
    case 2: options.maxRecordBytes = 11 * 1024 * 1024; break;
    case 3: options.keyStrategy = KeyStrategy::Field; break;
    case 4: options.keyStrategy = KeyStrategy::Constant; options.constantKey = QString(257, QLatin1Char('k')); break;
    case 5: options.keyStrategy = KeyStrategy::Constant; break;
    case 6: options.partitionKeyField = QStringLiteral("user..id"); break;
    case 7: options.limit = -1; break;
    case 8: options.dataField = QStringLiteral("msg."); break;
    case 9: options.explicitHashKeyField = QStringLiteral(".h"); break;
    case 10: options.columns.explicitHashKey = QStringLiteral("a"); options.explicitHashKeyField = QStringLiteral("b"); break;
    case 11: options.columns.explicitHashKey = QStringLiteral("a"); options.columns.noExplicitHashKey = true; break;
    default: break;
    }
    const auto result = Importer::validateOptions(options);
    QCOMPARE(result.ok(), error.isEmpty());
    if (!result.ok()) {
        QCOMPARE(result.error().message, error);
        // The importer refuses to start with them, before touching the store.
        RecordStore store;
        Importer importer;
        auto imported = importer.importFile(QStringLiteral("records.jsonl"), store, options);
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().message, error);
        QCOMPARE(store.size(), 0);
    }
}

void TstImport::textLines()
{
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("lines.txt"), store);
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("text"));
    // LF and CRLF, a final line without a line break; empty lines skipped and counted; spaces kept.
    QCOMPARE(dump(store), (QStringList{QStringLiteral("1|first line"), QStringLiteral("2|second"),
                                       QStringLiteral("3|  spaced  "), QStringLiteral("4|utf-8 \\xC3\\xA9\\xE4\\xB8\\xAD"),
                                       QStringLiteral("5|last without newline")}));
    QCOMPARE(result.value().emptyLines, qint64(2));
    QCOMPARE(result.value().summary(), QStringLiteral("imported 5 of 5 records (2 empty lines)"));
}

void TstImport::textKeepEmptyLines()
{
    ImportOptions options;
    options.skipEmptyLines = false;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("lines.txt"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("1|first line"), QStringLiteral("2|second"), QStringLiteral("3|"),
                                       QStringLiteral("4|"), QStringLiteral("5|  spaced  "),
                                       QStringLiteral("6|utf-8 \\xC3\\xA9\\xE4\\xB8\\xAD"),
                                       QStringLiteral("7|last without newline")}));
    QCOMPARE(result.value().emptyLines, qint64(0));
}

void TstImport::textBase64()
{
    ImportOptions options;
    options.dataEncoding = DataEncoding::Base64;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("base64-lines.txt"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("1|hello"), QStringLiteral("2|world")}));
    QCOMPARE(issues(result.value()),
             QStringList{QStringLiteral("base64-lines.txt:3:4: this line is not valid base64 (a space at position 4); fix "
                                        "it, or choose another data encoding")});
}

void TstImport::rawFile()
{
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("blob.bin"), store);
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("file"));
    QFile file(QStringLiteral("blob.bin"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.partitionKey(0), QStringLiteral("blob.bin"));
    QCOMPARE(store.data(0).toByteArray(), file.readAll()); // byte for byte, a BOM-like sequence included

    // Any file can be taken whole, and an empty one is a record with empty data.
    ImportOptions options;
    options.format = Format::RawFile;
    store.clear();
    result = importer.importFiles({QStringLiteral("records.csv"), QStringLiteral("empty.csv")}, store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 2);
    QCOMPARE(store.partitionKey(1), QStringLiteral("empty.csv"));
    QCOMPARE(store.data(1).size(), 0);
    QFile csv(QStringLiteral("records.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(store.data(0).toByteArray(), csv.readAll());
}

void TstImport::wideTextIsRefused_data()
{
    // Files written by iconv (see tests/data/import/README.md): UTF-16 and UTF-32, both byte
    // orders, with and without a byte-order mark, under names that would otherwise pick JSON,
    // JSON Lines, CSV or text.
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("iconvFrom");
    QTest::addColumn<bool>("byteOrderMark");
    QTest::newRow("UTF-16BE .json, no BOM") << QStringLiteral("utf16be.json") << QStringLiteral("UTF-16BE") << QStringLiteral("UTF-16BE") << false;
    QTest::newRow("UTF-16LE .jsonl, no BOM") << QStringLiteral("utf16le.jsonl") << QStringLiteral("UTF-16LE") << QStringLiteral("UTF-16LE") << false;
    QTest::newRow("UTF-16LE no name, no BOM") << QStringLiteral("utf16le-nobom") << QStringLiteral("UTF-16LE") << QStringLiteral("UTF-16LE") << false;
    QTest::newRow("UTF-16 .json, BOM (LE)") << QStringLiteral("utf16-bom.json") << QStringLiteral("UTF-16LE") << QStringLiteral("UTF-16") << true;
    QTest::newRow("UTF-16BE .json, BOM") << QStringLiteral("utf16be-bom.json") << QStringLiteral("UTF-16BE") << QStringLiteral("UTF-16") << true;
    QTest::newRow("UTF-16 .txt, BOM, no ASCII") << QStringLiteral("utf16-cjk-bom.txt") << QStringLiteral("UTF-16LE") << QStringLiteral("UTF-16") << true;
    QTest::newRow("UTF-32 .json, BOM (LE)") << QStringLiteral("utf32-bom.json") << QStringLiteral("UTF-32LE") << QStringLiteral("UTF-32") << true;
    QTest::newRow("UTF-32BE .json, no BOM") << QStringLiteral("utf32be.json") << QStringLiteral("UTF-32BE") << QStringLiteral("UTF-32BE") << false;
    QTest::newRow("UTF-32LE .csv, no BOM") << QStringLiteral("utf32le.csv") << QStringLiteral("UTF-32LE") << QStringLiteral("UTF-32LE") << false;
}

void TstImport::wideTextIsRefused()
{
    QFETCH(QString, file);
    QFETCH(QString, encoding);
    QFETCH(QString, iconvFrom);
    QFETCH(bool, byteOrderMark);
    const auto checkMessage = [&](const Error &error) {
        QCOMPARE(error.code, QStringLiteral("UnsupportedEncoding"));
        QCOMPARE(error.kind, Error::Kind::Input);
        QVERIFY2(error.message.startsWith(file + QStringLiteral(" is ") + encoding + QStringLiteral(" text")), qPrintable(error.message));
        QVERIFY2(error.message.contains(byteOrderMark ? QStringLiteral("byte-order mark") : QStringLiteral("NUL bytes")),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("iconv -f %1 -t UTF-8 %2").arg(iconvFrom, file)), qPrintable(error.message));
    };
    Importer importer;
    RecordStore store;
    // Detected format, and each explicit text format: never imported as something else.
    for (Format format : {Format::Auto, Format::JsonLines, Format::JsonArray, Format::Csv, Format::Text}) {
        ImportOptions options;
        options.format = format;
        auto result = importer.importFile(file, store, options);
        QVERIFY2(!result.ok(), qPrintable(formatName(format)));
        checkMessage(result.error());
        QCOMPARE(store.size(), 0);
    }
    auto sniffed = Importer::sniff(file);
    QVERIFY(!sniffed.ok());
    checkMessage(sniffed.error());
    // Asked for as a whole file, its bytes are one record, unchanged.
    ImportOptions raw;
    raw.format = Format::RawFile;
    auto whole = importer.importFile(file, store, raw);
    QVERIFY(whole.ok());
    QCOMPARE(store.size(), 1);
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QCOMPARE(store.data(0).toByteArray(), in.readAll());
}

void TstImport::wideTextConvertedAsAdvisedImports()
{
    // The advice works: iconv as the message says gives a file that imports, the characters intact.
    Importer importer;
    RecordStore refused;
    auto result = importer.importFile(QStringLiteral("utf16be.json"), refused);
    QVERIFY(!result.ok());
    const QString message = result.error().message;
    const qsizetype at = message.indexOf(QStringLiteral("iconv -f "));
    QVERIFY(at >= 0);
    const QStringList words = message.mid(at).split(QLatin1Char(' '));
    QVERIFY(words.size() >= 6);
    QProcess iconv;
    iconv.setStandardOutputFile(m_dir.filePath(QStringLiteral("converted.json")));
    iconv.start(QStringLiteral("iconv"), words.mid(1, 5)); // -f ENC -t UTF-8 FILE
    QVERIFY(iconv.waitForFinished(10000));
    QCOMPARE(iconv.exitCode(), 0);
    RecordStore store;
    auto converted = importer.importFile(m_dir.filePath(QStringLiteral("converted.json")), store);
    QVERIFY2(converted.ok(), converted.ok() ? "" : qPrintable(converted.error().message));
    QCOMPARE(store.size(), 2);
    QCOMPARE(store.partitionKey(0), QStringLiteral("user-1"));
    QCOMPARE(QString::fromUtf8(store.data(0).toByteArray()), QStringLiteral("caf\u00e9"));
}

void TstImport::rawFileTooLarge()
{
    ImportOptions options;
    options.maxRecordBytes = 20; // "blob.bin" (8 bytes) + 25 bytes of data
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("blob.bin"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 0);
    QCOMPARE(issues(result.value()),
             QStringList{QStringLiteral("blob.bin: the file is 25 bytes, over the maximum record size of 20 bytes (with the "
                                        "partition key); raise the maximum record size if the stream allows larger records, "
                                        "or split the file")});

    // From a pipe, the size is found out by reading, not much more than the limit allows.
    TricklingDevice pipe(QByteArray(1000000, 'x'));
    options.blockBytes = 4096;
    options.keyStrategy = KeyStrategy::Constant;
    options.constantKey = QStringLiteral("k");
    options.format = Format::RawFile;
    result = importer.importDevice(pipe, QStringLiteral("stdin"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 0);
    QCOMPARE(result.value().skipped, qint64(1));
    QVERIFY2(result.value().issues.front().message.startsWith(QStringLiteral("the file is more than ")),
             qPrintable(result.value().issues.front().message));
    QVERIFY(result.value().bytesRead <= 64 * 1024 + 4096);
}

void TstImport::fieldStrategyNeedsStructure()
{
    ImportOptions options;
    options.partitionKeyField = QStringLiteral("user.id");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("lines.txt"), store, options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, QStringLiteral("lines.txt: a partition key field (\"user.id\") needs JSON objects or "
                                                    "CSV/TSV columns; this input is read as text. Choose another key strategy"));
}

void TstImport::keyStrategyConstant()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::Constant;
    options.constantKey = QStringLiteral("fixed \u00e9");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 5);
    for (int i = 0; i < store.size(); ++i) {
        QCOMPARE(store.partitionKey(i), QStringLiteral("fixed \u00e9"));
        if (!store.hasExplicitHashKey(i))
            QCOMPARE(store.hashKey(i), hashPartitionKey(QStringLiteral("fixed \u00e9")));
    }
    // Explicit hash keys in the input still route their records.
    QCOMPARE(hashKeyToString(store.hashKey(1)), QStringLiteral("42"));
}

void TstImport::keyStrategyUuid()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::Uuid;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("lines.txt"), store, options);
    QVERIFY(result.ok());
    const QRegularExpression uuid(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    std::set<QString> seen;
    for (int i = 0; i < store.size(); ++i) {
        QVERIFY2(uuid.match(store.partitionKey(i)).hasMatch(), qPrintable(store.partitionKey(i)));
        QCOMPARE(store.hashKey(i), hashPartitionKey(store.partitionKey(i)));
        seen.insert(store.partitionKey(i));
    }
    QCOMPARE(int(seen.size()), store.size());

    // A seed makes them repeat; no seed does not.
    options.randomSeed = 99;
    RecordStore a, b, c;
    QVERIFY(importer.importFile(QStringLiteral("lines.txt"), a, options).ok());
    QVERIFY(importer.importFile(QStringLiteral("lines.txt"), b, options).ok());
    QCOMPARE(dump(a), dump(b));
    options.randomSeed = 0;
    QVERIFY(importer.importFile(QStringLiteral("lines.txt"), c, options).ok());
    QVERIFY(dump(a) != dump(c));
}

void TstImport::keyStrategyRowNumber()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::RowNumber;
    options.format = Format::Text;
    Importer importer;
    RecordStore store;
    // Two files: numbering goes on across them.
    auto result = importer.importFiles({QStringLiteral("lines.txt"), QStringLiteral("base64-lines.txt")}, store, options);
    QVERIFY(result.ok());
    QStringList keys;
    for (int i = 0; i < store.size(); ++i)
        keys << store.partitionKey(i);
    QCOMPARE(keys, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"),
                                QStringLiteral("5"), QStringLiteral("6"), QStringLiteral("7"), QStringLiteral("8")}));
}

void TstImport::keyStrategyRandom()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::Random;
    options.randomSeed = 5;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.csv"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 6);
    std::set<QString> seen;
    for (int i = 0; i < store.size(); ++i) {
        bool ok = false;
        store.partitionKey(i).toULongLong(&ok);
        QVERIFY2(ok, qPrintable(store.partitionKey(i)));
        seen.insert(store.partitionKey(i));
    }
    QCOMPARE(int(seen.size()), store.size());
    QCOMPARE(hashKeyToString(store.hashKey(1)), QStringLiteral("5")); // the explicit hash key column still counts
}

void TstImport::keyStrategyFileName()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::FileName;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QDir::current().absoluteFilePath(QStringLiteral("records.tsv")), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 3);
    for (int i = 0; i < store.size(); ++i)
        QCOMPARE(store.partitionKey(i), QStringLiteral("records.tsv"));
}

void TstImport::skipAndStop()
{
    ImportOptions options;
    options.dataEncoding = DataEncoding::Base64;
    Importer importer;
    RecordStore skipped;
    auto result = importer.importFile(QStringLiteral("base64.jsonl"), skipped, options);
    QVERIFY(result.ok());
    QCOMPARE(skipped.size(), 3);
    QCOMPARE(result.value().skipped, qint64(3));
    QVERIFY(!result.value().stopped);

    options.onBadRow = BadRowPolicy::Stop;
    RecordStore stopped;
    result = importer.importFile(QStringLiteral("base64.jsonl"), stopped, options);
    QVERIFY(result.ok());
    QCOMPARE(dump(stopped), QStringList{QStringLiteral("a|hello")});
    QCOMPARE(result.value().recordsRead, qint64(2));
    QCOMPARE(result.value().skipped, qint64(1));
    QCOMPARE(result.value().issues.size(), size_t(1));
    QCOMPARE(result.value().issues.front().line, qint64(2));
    QCOMPARE(result.value().issues.front().column, qint64(28));
    QCOMPARE(result.value().issues.front().record, qint64(2));
    QVERIFY(result.value().stopped);
}

void TstImport::issueListIsCapped()
{
    ImportOptions options;
    options.maxStoredIssues = 3;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("broken.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(result.value().issues.size(), size_t(3));
    QCOMPARE(result.value().issueCount, qint64(19));
    QCOMPARE(result.value().skipped, qint64(19));
    QVERIFY(result.value().issuesTruncated());
    QCOMPARE(result.value().issues.back().line, qint64(4));
}

void TstImport::limit()
{
    ImportOptions options;
    options.limit = 2;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 2);
    QVERIFY(result.value().limitReached);
    // Empty lines before the next record are still counted.
    QCOMPARE(result.value().summary(), QStringLiteral("imported 2 of 2 records (2 empty lines); stopped at the record limit"));

    // A limit that the input does not reach is not "reached".
    options.limit = 5;
    store.clear();
    result = importer.importFile(QStringLiteral("records.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 5);
    QVERIFY(!result.value().limitReached);

    // Bad records count against the limit, so a preview shows them too.
    options.limit = 3;
    store.clear();
    result = importer.importFile(QStringLiteral("broken.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(result.value().recordsRead, qint64(3));
    QCOMPARE(store.size(), 1);
    QCOMPARE(result.value().skipped, qint64(2));
}

void TstImport::limitOnArray()
{
    const QString path = m_dir.filePath(QStringLiteral("limit.json"));
    QVERIFY(writeFile(path, m_generated.jsonArray));
    ImportOptions options;
    options.limit = 10;
    options.blockBytes = 4096;
    Importer importer;
    RecordStore store;
    qint64 lastDone = 0;
    auto result = importer.importFile(path, store, options, [&](qint64 done, qint64) {
        lastDone = done;
        return true;
    });
    QVERIFY(result.ok());
    QCOMPARE(dump(store), m_generated.records.mid(0, 10));
    QVERIFY(result.value().limitReached);
    QVERIFY(result.value().issues.empty()); // no complaint about the array not being closed
    QVERIFY2(lastDone < 256 * 1024, "a limited import reads only the start of the file");
}

void TstImport::progressAndCancel()
{
    const QString path = m_dir.filePath(QStringLiteral("progress.jsonl"));
    QVERIFY(writeFile(path, m_generated.jsonl));
    ImportOptions options;
    options.blockBytes = 256 * 1024;
    Importer importer;
    RecordStore store;
    QList<qint64> done;
    qint64 total = 0;
    auto result = importer.importFile(path, store, options, [&](qint64 bytesDone, qint64 bytesTotal) {
        done << bytesDone;
        total = bytesTotal;
        return true;
    });
    QVERIFY(result.ok());
    QCOMPARE(total, qint64(m_generated.jsonl.size()));
    QVERIFY(done.size() >= 8);
    QVERIFY(std::is_sorted(done.begin(), done.end()));
    QCOMPARE(done.last(), total);
    QCOMPARE(result.value().bytesRead, total);
}

void TstImport::cancelReturnsCancelled()
{
    const QString path = m_dir.filePath(QStringLiteral("cancel.jsonl"));
    QVERIFY(writeFile(path, m_generated.jsonl));
    ImportOptions options;
    options.blockBytes = 64 * 1024;
    Importer importer;
    RecordStore store;
    int calls = 0;
    auto result = importer.importFile(path, store, options, [&](qint64, qint64) { return ++calls < 3; });
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, Error::Kind::Cancelled);
    QCOMPARE(calls, 3);
    // What was read before the cancel is in the store, in order; the rest is not.
    QVERIFY(store.size() > 0);
    QVERIFY(store.size() < m_generated.records.size());
    QCOMPARE(dump(store), m_generated.records.mid(0, store.size()));
}

void TstImport::streaming_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("which");
    QTest::addColumn<qint64>("blockBytes");
    QTest::addColumn<bool>("helperThread");
    const QList<qint64> sizes{3, 61, 4093, 65536, 1024 * 1024, 16 * 1024 * 1024};
    const char *names[] = {"jsonl", "json", "csv", "text"};
    for (int which = 0; which < 4; ++which) {
        const QString file = QStringLiteral("stream.") + QLatin1String(which == 3 ? "txt" : names[which]);
        for (qint64 size : sizes)
            QTest::addRow("%s, blocks of %lld", names[which], size) << file << which << size << true;
        QTest::addRow("%s, no helper thread", names[which]) << file << which << qint64(65536) << false;
    }
}

void TstImport::streaming()
{
    QFETCH(QString, file);
    QFETCH(int, which);
    QFETCH(qint64, blockBytes);
    QFETCH(bool, helperThread);
    const QByteArray &bytes = which == 0 ? m_generated.jsonl
        : which == 1                     ? m_generated.jsonArray
        : which == 2                     ? m_generated.csv
                                         : m_generated.text;
    const QString path = m_dir.filePath(file);
    if (!QFile::exists(path))
        QVERIFY(writeFile(path, bytes));
    ImportOptions options;
    options.blockBytes = blockBytes;
    options.useHelperThread = helperThread;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    QVERIFY2(result.value().issues.empty(), qPrintable(issues(result.value()).mid(0, 3).join(QLatin1Char('\n'))));
    QCOMPARE(result.value().imported, qint64(store.size()));
    for (int i = 0; i < store.size(); i += 97)
        QCOMPARE(store.hashKey(i), hashPartitionKey(store.partitionKeyUtf8(i)));
    const QStringList expected = which == 3 ? m_generated.textRecords
        : which == 2                        ? m_generated.csvRecords
                                            : m_generated.records;
    const QStringList got = dump(store);
    QCOMPARE(got.size(), expected.size());
    for (int i = 0; i < got.size(); ++i)
        if (got[i] != expected[i])
            QFAIL(qPrintable(QStringLiteral("record %1:\n  got      %2\n  expected %3").arg(i).arg(got[i], expected[i])));
    QCOMPARE(result.value().bytesRead, qint64(bytes.size()));
    if (which == 0)
        QCOMPARE(result.value().emptyLines, qint64((expected.size() + 10) / 11));
}

void TstImport::streamingTinyBlocks()
{
    // One byte at a time: every boundary falls everywhere.
    const Generated small = generate(120);
    struct Input
    {
        QString name;
        QByteArray bytes;
        QStringList expected;
    };
    const QList<Input> inputs{{QStringLiteral("tiny.jsonl"), small.jsonl, small.records},
                              {QStringLiteral("tiny.json"), small.jsonArray, small.records},
                              {QStringLiteral("tiny.csv"), small.csv, small.csvRecords},
                              {QStringLiteral("tiny.txt"), small.text, small.textRecords}};
    for (const auto &[name, bytes, expected] : inputs) {
        const QString path = m_dir.filePath(name);
        QVERIFY(writeFile(path, bytes));
        for (qint64 block : {1, 2, 5}) {
            ImportOptions options;
            options.blockBytes = block;
            Importer importer;
            RecordStore store;
            auto result = importer.importFile(path, store, options);
            QVERIFY(result.ok());
            QVERIFY2(result.value().issues.empty(), qPrintable(name + QLatin1Char(' ') + issues(result.value()).value(0)));
            QCOMPARE(dump(store), expected);
        }
    }
}

void TstImport::tooLongRecordsArePassedOver()
{
    // Past 8 x the maximum record size + 1 MiB a record is not kept in memory; reading goes on
    // after it, and the line numbers stay right.
    ImportOptions options;
    options.maxRecordBytes = 1;
    options.keyStrategy = KeyStrategy::Constant;
    options.constantKey = QStringLiteral("k");
    options.blockBytes = 64 * 1024;
    options.dataEncoding = DataEncoding::Text;
    const QByteArray huge(3 * 1024 * 1024, 'x');
    struct Case
    {
        const char *name;
        QByteArray bytes;
        Format format;
        QString expectedIssue;
    };
    const QList<Case> cases{
        {"long.txt", "\n" + huge + "\r\n\r\n" + "\n", Format::Text,
         QStringLiteral("long.txt:2:1: this line is 3 MiB long, more than any record of at most 1 bytes can take")},
        {"long.jsonl", "{\"Data\":\"" + huge + "\"}\r\n{\"Data\":\"\"}\n", Format::JsonLines,
         QStringLiteral("long.jsonl:1:1: this record takes 3145739 bytes in the file, more than any record of at most 1 "
                        "bytes can; make it smaller or raise the maximum record size")},
        {"long.json", "[{\"Data\":\"" + huge + "\"},\n{\"Data\":\"\"}]", Format::JsonArray,
         QStringLiteral("long.json:1:2: this record takes 3145739 bytes in the file, more than any record of at most 1 "
                        "bytes can; make it smaller or raise the maximum record size")},
        {"long.csv", "data\n\"" + huge + "\n\"\"\"\n\n", Format::Csv,
         QStringLiteral("long.csv:2:1: this row is 3145733 bytes long, more than any record of at most 1 bytes can take; "
                        "make it smaller, or look for an unterminated quote above")},
    };
    for (const Case &c : cases) {
        const QString path = m_dir.filePath(QLatin1String(c.name));
        QVERIFY(writeFile(path, c.bytes));
        QVERIFY(QDir::setCurrent(m_dir.path()));
        Importer importer;
        RecordStore store;
        auto result = importer.importFile(QLatin1String(c.name), store, options);
        QVERIFY(QDir::setCurrent(QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import"))));
        QVERIFY(result.ok());
        QCOMPARE(issues(result.value()), QStringList{c.expectedIssue});
        QCOMPARE(formatName(result.value().format), formatName(c.format));
    }
}

void TstImport::pipeLikeDevice()
{
    TricklingDevice pipe(m_generated.csv);
    ImportOptions options;
    options.blockBytes = 10000;
    Importer importer;
    RecordStore store;
    qint64 reportedTotal = 0;
    auto result = importer.importDevice(pipe, QStringLiteral("stdin"), store, options, [&](qint64, qint64 total) {
        reportedTotal = total;
        return true;
    });
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("csv")); // from the content alone
    QCOMPARE(dump(store), m_generated.csvRecords);
    QCOMPARE(reportedTotal, qint64(-1));
}

void TstImport::standardInput()
{
    const QString path = m_dir.filePath(QStringLiteral("stdin.jsonl"));
    QVERIFY(writeFile(path, m_generated.jsonl));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const int saved = ::dup(0);
    QVERIFY(saved >= 0);
    QVERIFY(::dup2(file.handle(), 0) == 0);
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("-"), store);
    ::dup2(saved, 0);
    ::close(saved);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    QCOMPARE(formatName(result.value().format), QStringLiteral("jsonl"));
    QCOMPARE(dump(store), m_generated.records);
}

namespace {

/// Collects what a streaming import hands over, in order: chunks and issues.
struct Collector : ChunkConsumer
{
    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override
    {
        events << QStringLiteral("chunk %1+%2").arg(firstRecord).arg(chunk.size());
        sizes.push_back(chunk.size());
        firsts.push_back(firstRecord);
        for (const QString &row : dump(chunk))
            rows << row;
        times.push_back(clock.elapsed());
        return true;
    }
    void issueFound(const ImportIssue &issue) override { events << QStringLiteral("issue ") + issue.toString(); }
    QStringList events;
    QStringList rows;
    std::vector<int> sizes;
    std::vector<qint64> firsts;
    std::vector<qint64> times;
    QElapsedTimer clock;
};

} // namespace

void TstImport::streamFilesInChunks()
{
    // A file with a bad line after the 10,000th record: the chunks add up to the whole file, no
    // chunk is larger than asked, and the bad line is reported when it is met, before the
    // chunk that follows it (not only at the end).
    QByteArray content;
    for (int i = 0; i < 25000; ++i) {
        content += "{\"PartitionKey\":\"k" + QByteArray::number(i) + "\",\"Data\":\"d" + QByteArray::number(i) + "\"}\n";
        if (i == 9999)
            content += "{\"PartitionKey\":\"\",\"Data\":\"bad\"}\n";
    }
    const QString path = m_dir.filePath(QStringLiteral("chunks.jsonl"));
    QVERIFY(writeFile(path, content));
    StreamOptions stream;
    stream.chunkRecords = 3000;
    Collector collector;
    Importer importer;
    auto report = importer.streamFiles({path}, ImportOptions{}, stream, collector);
    QVERIFY(report.ok());
    QCOMPARE(report.value().imported, qint64(25000));
    QCOMPARE(report.value().issueCount, qint64(1));
    QCOMPARE(collector.rows.size(), 25000);
    QCOMPARE(collector.rows.first(), QStringLiteral("k0|d0"));
    QCOMPARE(collector.rows.last(), QStringLiteral("k24999|d24999"));
    qint64 expectedFirst = 0;
    for (size_t i = 0; i < collector.sizes.size(); ++i) {
        QVERIFY(collector.sizes[i] <= 3000);
        QCOMPARE(collector.firsts[i], expectedFirst);
        expectedFirst += collector.sizes[i];
    }
    // 25,000 / 3,000: nine chunks, the last one of 1,000.
    QCOMPARE(int(collector.sizes.size()), 9);
    const qsizetype issueAt = collector.events.indexOf(QRegularExpression(QStringLiteral("^issue .*chunks.jsonl:10001:17: .*")));
    QVERIFY2(issueAt >= 0, qPrintable(collector.events.join(QLatin1Char('\n'))));
    // Met while the chunk of records 9,000 to 11,999 was being filled: reported before it is handed on.
    QCOMPARE(collector.events[issueAt - 1], QStringLiteral("chunk 6000+3000"));
    QCOMPARE(collector.events[issueAt + 1], QStringLiteral("chunk 9000+3000"));
}

void TstImport::streamQuietPipeHandsOnEachRecord()
{
    // A pipe written one line at a time, 300 ms apart: each line is handed on alone, within the
    // linger (100 ms) of being written, while the pipe is still open.
    int fds[2];
    QVERIFY(::pipe(fds) == 0);
    const int saved = ::dup(0);
    QVERIFY(::dup2(fds[0], 0) == 0);
    ::close(fds[0]);
    Collector collector;
    collector.clock.start();
    std::vector<qint64> written;
    std::thread writer([&] {
        for (int i = 0; i < 4; ++i) {
            const QByteArray line = "line " + QByteArray::number(i) + '\n';
            written.push_back(collector.clock.elapsed());
            if (::write(fds[1], line.constData(), size_t(line.size())) != line.size())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        ::close(fds[1]);
    });
    ImportOptions options;
    options.format = Format::Text;
    StreamOptions stream;
    stream.lingerMs = 100;
    Importer importer;
    auto report = importer.streamFiles({QStringLiteral("-")}, options, stream, collector);
    writer.join();
    ::dup2(saved, 0);
    ::close(saved);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(collector.rows, (QStringList{QStringLiteral("1|line 0"), QStringLiteral("2|line 1"), QStringLiteral("3|line 2"),
                                          QStringLiteral("4|line 3")}));
    QCOMPARE(int(collector.sizes.size()), 4);
    for (size_t i = 0; i < 4; ++i) {
        const qint64 waited = collector.times[i] - written[i];
        QVERIFY2(waited >= 90 && waited < 250, qPrintable(QStringLiteral("line %1 handed on after %2 ms").arg(i).arg(waited)));
    }
}

void TstImport::importFilesAddsUp()
{
    Importer importer;
    RecordStore store;
    qint64 total = 0;
    auto result = importer.importFiles({QStringLiteral("records.jsonl"), QStringLiteral("records.csv"), QStringLiteral("broken.jsonl")},
                                       store, {}, [&](qint64, qint64 t) {
                                           total = t;
                                           return true;
                                       });
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 5 + 6 + 3);
    QCOMPARE(result.value().recordsRead, qint64(5 + 6 + 22));
    QCOMPARE(result.value().emptyLines, qint64(3));
    QCOMPARE(result.value().issues.front().file, QStringLiteral("broken.jsonl"));
    QCOMPARE(total, QFileInfo(QStringLiteral("records.jsonl")).size() + QFileInfo(QStringLiteral("records.csv")).size()
                        + QFileInfo(QStringLiteral("broken.jsonl")).size());
}

void TstImport::missingFile()
{
    Importer importer;
    RecordStore store;
    auto result = importer.importFiles({QStringLiteral("records.jsonl"), QStringLiteral("no-such-file.jsonl")}, store);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.startsWith(QStringLiteral("cannot open no-such-file.jsonl: ")),
             qPrintable(result.error().message));
    QCOMPARE(store.size(), 0); // all inputs are opened before any is read
    result = importer.importFile(QDir::currentPath(), store);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.endsWith(QStringLiteral(" is a folder; choose files to import")));
}

void TstImport::sniffCsv()
{
    auto result = Importer::sniff(QStringLiteral("records.csv"), {}, 3);
    QVERIFY(result.ok());
    const SniffResult &sniff = result.value();
    QCOMPARE(formatName(sniff.format), QStringLiteral("csv"));
    QVERIFY(sniff.hasBom);
    QCOMPARE(sniff.columns, (QStringList{QStringLiteral("partition_key"), QStringLiteral("data"),
                                         QStringLiteral("explicit_hash_key")}));
    QCOMPARE(sniff.partitionKeyColumn, 0);
    QCOMPARE(sniff.dataColumn, 1);
    QCOMPARE(sniff.explicitHashKeyColumn, 2);
    QCOMPARE(sniff.firstLines.first(), QStringLiteral("partition_key,data,explicit_hash_key"));
    QCOMPARE(sniff.firstLines.size(), 9); // physical lines: one record spans two
    QCOMPARE(dump(sniff.preview), (QStringList{QStringLiteral("k1|plain"), QStringLiteral("k2|with, comma|5"),
                                               QStringLiteral("k3|doubled \"quotes\" here")}));
    QVERIFY(sniff.previewReport.limitReached);
    QCOMPARE(sniff.totalBytes, QFileInfo(QStringLiteral("records.csv")).size());

    // With a mapping the preview shows the columns it would use.
    ImportOptions options;
    options.columns = ColumnMapping::parse(QStringLiteral("pk=customer,data=body")).value();
    result = Importer::sniff(QStringLiteral("mapped.csv"), options);
    QVERIFY(result.ok());
    QCOMPARE(result.value().partitionKeyColumn, 0);
    QCOMPARE(result.value().dataColumn, 1);
    QCOMPARE(result.value().explicitHashKeyColumn, -1);
    QCOMPARE(result.value().preview.size(), 2);
    QVERIFY(!result.value().previewReport.limitReached);
}

void TstImport::sniffJsonLines()
{
    auto result = Importer::sniff(QStringLiteral("objects.jsonl"));
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("jsonl"));
    QCOMPARE(result.value().jsonMembers, (QStringList{QStringLiteral("user"), QStringLiteral("n")}));
    // The first line is {"user":{"id":"u-1","name":"Ann"},"n":1}: nested members as dotted paths.
    QCOMPARE(result.value().jsonFields, (QStringList{QStringLiteral("user"), QStringLiteral("user.id"),
                                                     QStringLiteral("user.name"), QStringLiteral("n")}));
    // No key chosen yet: the preview says what is missing.
    QCOMPARE(result.value().preview.size(), 0);
    QCOMPARE(result.value().previewReport.jsonShape, JsonShape::Objects);
    QCOMPARE(result.value().previewReport.issues.size(), size_t(1));

    ImportOptions options;
    options.partitionKeyField = QStringLiteral("user.id");
    result = Importer::sniff(QStringLiteral("objects.jsonl"), options, 2);
    QVERIFY(result.ok());
    QCOMPARE(result.value().preview.size(), 2);
    QCOMPARE(result.value().preview.partitionKey(1), QStringLiteral("42"));

    result = Importer::sniff(QStringLiteral("awscli-put-records.json"));
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("awscli"));
    QCOMPARE(result.value().jsonMembers, (QStringList{QStringLiteral("Data"), QStringLiteral("PartitionKey")}));
    QCOMPARE(result.value().previewReport.streamName, QStringLiteral("orders"));
}

void TstImport::sniffLargeFile()
{
    const QString path = m_dir.filePath(QStringLiteral("sniff.json"));
    QVERIFY(writeFile(path, m_generated.jsonArray));
    auto result = Importer::sniff(path, {}, 5, 4);
    QVERIFY(result.ok());
    QCOMPARE(formatName(result.value().format), QStringLiteral("json"));
    QCOMPARE(result.value().firstLines.size(), 4);
    QCOMPARE(result.value().firstLines.first(), QStringLiteral("["));
    QCOMPARE(dump(result.value().preview), m_generated.records.mid(0, 5));
    QVERIFY(result.value().previewReport.limitReached);
    QVERIFY(result.value().previewReport.bytesRead < 1024 * 1024);
}

QTEST_GUILESS_MAIN(TstImport)
#include "tst_import.moc"
