// Importing CSV and TSV (RFC 4180): quoted fields with delimiters, doubled quotes and line breaks,
// CRLF, a UTF-8 BOM, the usual column names or a column mapping, data in utf8/base64/hex, and the
// exact problems reported for broken files (unbalanced quotes, missing columns, bad values).
#include "RecordStore.h"
#include "import/ColumnMapping.h"
#include "import/CsvImporter.h"
#include "import/Importer.h"

#include "ImportTestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::import;

Q_DECLARE_METATYPE(kwb::import::ImportOptions)

namespace {

using kwb::test::dump;
using kwb::test::issues;

ImportOptions options(DataEncoding encoding = DataEncoding::Auto, const QString &columns = {})
{
    ImportOptions o;
    o.dataEncoding = encoding;
    if (!columns.isEmpty())
        o.columns = ColumnMapping::parse(columns).value();
    return o;
}

} // namespace

class TstImportCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void importFile_data();
    void importFile();
    void counts_data();
    void counts();
    void keyStrategies();
    void fieldStrategyNamesAColumn();
    void invalidUtf8Key();
    void columnMapping_data();
    void columnMapping();
    void findColumn();
    void quotedHeaderAndEmptyLinesFirst();
    void dataAndHashKeyFieldsNameColumns();
};

void TstImportCsv::initTestCase()
{
    QVERIFY(QDir::setCurrent(QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import"))));
}

void TstImportCsv::importFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<ImportOptions>("options");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("records");
    QTest::addColumn<QStringList>("problems");

    QTest::newRow("BOM, CRLF, quotes, doubled quotes, line breaks in quotes")
        << QStringLiteral("records.csv") << options() << QStringLiteral("csv")
        << QStringList{QStringLiteral("k1|plain"),
                       QStringLiteral("k2|with, comma|5"),
                       QStringLiteral("k3|doubled \"quotes\" here"),
                       QStringLiteral("k4|two\\x0D\\x0Alines"),
                       QStringLiteral("k\u00e95|"),
                       QStringLiteral("k6|last row without line break")}
        << QStringList{};
    QTest::newRow("TSV") << QStringLiteral("records.tsv") << options() << QStringLiteral("tsv")
                         << QStringList{QStringLiteral("a|one"), QStringLiteral("b|tab\\x09inside"),
                                        QStringLiteral("c|with,comma")}
                         << QStringList{};
    QTest::newRow("base64 data")
        << QStringLiteral("base64.csv") << options(DataEncoding::Base64) << QStringLiteral("csv")
        << QStringList{QStringLiteral("a|hello"), QStringLiteral("c|\\x00\\x01\\x02")}
        << QStringList{QStringLiteral("base64.csv:3:3: column \"data\" is not valid base64 (character '%' at position 13); "
                                      "fix the value, or choose the utf8 data encoding for plain text")};
    QTest::newRow("base64 text read as utf8")
        << QStringLiteral("base64.csv") << options() << QStringLiteral("csv")
        << QStringList{QStringLiteral("a|aGVsbG8="), QStringLiteral("b|aGVsbG8gd29y%GQ="), QStringLiteral("c|AAEC")}
        << QStringList{};
    QTest::newRow("hex data, mapped columns")
        << QStringLiteral("hex.csv") << options(DataEncoding::Hex, QStringLiteral("pk=pk,data=payload"))
        << QStringLiteral("csv") << QStringList{QStringLiteral("a|Hello"), QStringLiteral("d|\\x00\\xFF")}
        << QStringList{QStringLiteral("hex.csv:3:3: column \"payload\" is not valid hex (character 'g' at position 2); fix "
                                      "the value, or choose another data encoding"),
                       QStringLiteral("hex.csv:4:3: column \"payload\" is not valid hex (it has 3 hex digits; hex needs two "
                                      "per byte); fix the value, or choose another data encoding")};
    QTest::newRow("unbalanced quote")
        << QStringLiteral("unbalanced-quote.csv") << options() << QStringLiteral("csv") << QStringList{QStringLiteral("a|ok")}
        << QStringList{QStringLiteral("unbalanced-quote.csv:3:3: unterminated quoted field: the input ends before its "
                                      "closing quote; add the missing '\"'")};
    QTest::newRow("quotes in the wrong places")
        << QStringLiteral("bad-quotes.csv") << options() << QStringLiteral("csv") << QStringList{QStringLiteral("c|fine")}
        << QStringList{QStringLiteral("bad-quotes.csv:2:4: a quote inside an unquoted field; put the whole field in quotes "
                                      "and double the quotes inside it (\"5\"\" screen\")"),
                       QStringLiteral("bad-quotes.csv:3:11: text after the closing quote of a field; a quote inside a "
                                      "quoted field must be doubled (\"\")")};
    QTest::newRow("missing and extra columns, bad hash keys")
        << QStringLiteral("missing-columns.csv") << options() << QStringLiteral("csv") << QStringList{QStringLiteral("a|1")}
        << QStringList{QStringLiteral("missing-columns.csv:3:1: this row has 2 fields but the header has 3; check the "
                                      "delimiters and quotes in this row"),
                       QStringLiteral("missing-columns.csv:4:1: this row has 4 fields but the header has 3; check the "
                                      "delimiters and quotes in this row"),
                       QStringLiteral("missing-columns.csv:5:5: column \"explicit_hash_key\" is not valid: hash key has a "
                                      "space at column 2; only the digits 0-9 are allowed (no sign, no spaces)"),
                       QStringLiteral("missing-columns.csv:6:5: column \"explicit_hash_key\" is not valid: hash key has a "
                                      "sign '-' at column 1; only the digits 0-9 are allowed (no sign, no spaces)")};
    QTest::newRow("no data column")
        << QStringLiteral("no-data-column.csv") << options() << QStringLiteral("csv") << QStringList{}
        << QStringList{QStringLiteral("no-data-column.csv:1:1: no data column: the header has \"id\", \"payload\", \"ts\"; "
                                      "name a column \"data\", or map one (data=COLUMN)")};
    QTest::newRow("mapped data column missing")
        << QStringLiteral("no-data-column.csv") << options(DataEncoding::Auto, QStringLiteral("data=body"))
        << QStringLiteral("csv") << QStringList{}
        << QStringList{QStringLiteral("no-data-column.csv:1:1: no column \"body\" for the data: the header has \"id\", "
                                      "\"payload\", \"ts\"")};
    QTest::newRow("no partition key column")
        << QStringLiteral("no-key-column.csv") << options() << QStringLiteral("csv") << QStringList{}
        << QStringList{QStringLiteral("no-key-column.csv:1:1: no partition key column: the header has \"id\", \"data\"; "
                                      "name a column \"partition_key\", map one (pk=COLUMN), or choose a key strategy")};
    QTest::newRow("mapped columns")
        << QStringLiteral("mapped.csv") << options(DataEncoding::Auto, QStringLiteral("pk=customer,data=body,ehk=route"))
        << QStringLiteral("csv") << QStringList{QStringLiteral("c1|hello"), QStringLiteral("c2|world|99")} << QStringList{};
    QTest::newRow("mapped columns, case differs")
        << QStringLiteral("mapped.csv") << options(DataEncoding::Auto, QStringLiteral("pk=CUSTOMER,data=Body"))
        << QStringLiteral("csv") << QStringList{QStringLiteral("c1|hello"), QStringLiteral("c2|world")} << QStringList{};
    QTest::newRow("empty file") << QStringLiteral("empty.csv") << options() << QStringLiteral("csv") << QStringList{}
                                << QStringList{};
    QTest::newRow("header only") << QStringLiteral("header-only.csv") << options() << QStringLiteral("csv")
                                 << QStringList{} << QStringList{};
}

void TstImportCsv::importFile()
{
    QFETCH(QString, file);
    QFETCH(ImportOptions, options);
    QFETCH(QString, format);
    QFETCH(QStringList, records);
    QFETCH(QStringList, problems);

    Importer importer;
    RecordStore store;
    auto result = importer.importFile(file, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    const ImportReport &report = result.value();
    QCOMPARE(formatName(report.format), format);
    QCOMPARE(dump(store), records);
    QCOMPARE(issues(report), problems);
    QCOMPARE(report.recordsRead, report.imported + report.skipped);
}

void TstImportCsv::counts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("read");
    QTest::addColumn<qint64>("skipped");
    QTest::addColumn<qint64>("emptyLines");
    QTest::addColumn<bool>("stopped");
    QTest::addColumn<QStringList>("columns");

    QTest::newRow("records.csv") << QStringLiteral("records.csv") << qint64(6) << qint64(0) << qint64(1) << false
                                 << QStringList{QStringLiteral("partition_key"), QStringLiteral("data"),
                                                QStringLiteral("explicit_hash_key")};
    QTest::newRow("unbalanced") << QStringLiteral("unbalanced-quote.csv") << qint64(2) << qint64(1) << qint64(0) << false
                                << QStringList{QStringLiteral("partition_key"), QStringLiteral("data")};
    QTest::newRow("no data column") << QStringLiteral("no-data-column.csv") << qint64(0) << qint64(0) << qint64(0) << true
                                    << QStringList{QStringLiteral("id"), QStringLiteral("payload"), QStringLiteral("ts")};
}

void TstImportCsv::counts()
{
    QFETCH(QString, file);
    QFETCH(qint64, read);
    QFETCH(qint64, skipped);
    QFETCH(qint64, emptyLines);
    QFETCH(bool, stopped);
    QFETCH(QStringList, columns);

    Importer importer;
    RecordStore store;
    auto result = importer.importFile(file, store);
    QVERIFY(result.ok());
    QCOMPARE(result.value().recordsRead, read);
    QCOMPARE(result.value().skipped, skipped);
    QCOMPARE(result.value().emptyLines, emptyLines);
    QCOMPARE(result.value().stopped, stopped);
    QCOMPARE(result.value().columns, columns);
}

void TstImportCsv::keyStrategies()
{
    // A key strategy stands in for a missing partition key column.
    ImportOptions o;
    o.keyStrategy = KeyStrategy::RowNumber;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("no-key-column.csv"), store, o);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("1|x"), QStringLiteral("2|y")}));

    // ... and replaces an existing one.
    o.keyStrategy = KeyStrategy::Constant;
    o.constantKey = QStringLiteral("same");
    store.clear();
    result = importer.importFile(QStringLiteral("mapped.csv"), store, options(DataEncoding::Auto, QStringLiteral("data=body")));
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 0); // no key column, no strategy
    o.columns = ColumnMapping::parse(QStringLiteral("data=body")).value();
    result = importer.importFile(QStringLiteral("mapped.csv"), store, o);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("same|hello"), QStringLiteral("same|world")}));
}

void TstImportCsv::fieldStrategyNamesAColumn()
{
    ImportOptions o;
    o.partitionKeyField = QStringLiteral("id");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("no-key-column.csv"), store, o);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("1|x"), QStringLiteral("2|y")}));

    o.partitionKeyField = QStringLiteral("nope");
    store.clear();
    result = importer.importFile(QStringLiteral("no-key-column.csv"), store, o);
    QVERIFY(result.ok());
    QCOMPARE(issues(result.value()), QStringList{QStringLiteral("no-key-column.csv:1:1: no column \"nope\" for the partition "
                                                                "key: the header has \"id\", \"data\"")});
}

void TstImportCsv::invalidUtf8Key()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("latin1.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("partition_key,data\nok,1\n\"caf\xe9\",2\n");
    file.close();
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), QStringList{QStringLiteral("ok|1")});
    QCOMPARE(result.value().issues.size(), size_t(1));
    QCOMPARE(result.value().issues.front().line, qint64(3));
    QCOMPARE(result.value().issues.front().column, qint64(1));
    QCOMPARE(result.value().issues.front().message,
             QStringLiteral("column \"partition_key\" is not valid UTF-8; partition keys are text, save the file as UTF-8"));
}

void TstImportCsv::columnMapping_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("pk");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("ehk");
    QTest::addColumn<QString>("error");
    QTest::newRow("all") << QStringLiteral("pk=user,data=payload,ehk=route") << QStringLiteral("user")
                         << QStringLiteral("payload") << QStringLiteral("route") << QString();
    QTest::newRow("long names, spaces") << QStringLiteral(" partition_key = user id , explicit_hash_key=h")
                                        << QStringLiteral("user id") << QString() << QStringLiteral("h") << QString();
    QTest::newRow("data only") << QStringLiteral("data=body") << QString() << QStringLiteral("body") << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << QString() << QString()
                           << QStringLiteral("the column mapping is empty; write it as pk=COL,data=COL,ehk=COL");
    QTest::newRow("no equals") << QStringLiteral("pk") << QString() << QString() << QString()
                               << QStringLiteral("column mapping \"pk\" is not NAME=COLUMN; write it as pk=COL,data=COL,ehk=COL");
    QTest::newRow("unknown role") << QStringLiteral("key=x") << QString() << QString() << QString()
                                  << QStringLiteral("unknown column role \"key\" in the column mapping; use pk, data or ehk");
    QTest::newRow("twice") << QStringLiteral("pk=a,pk=b") << QString() << QString() << QString()
                           << QStringLiteral("column role \"pk\" is given twice in the column mapping");
}

void TstImportCsv::columnMapping()
{
    QFETCH(QString, spec);
    QFETCH(QString, pk);
    QFETCH(QString, data);
    QFETCH(QString, ehk);
    QFETCH(QString, error);
    auto parsed = ColumnMapping::parse(spec);
    QCOMPARE(parsed.ok(), error.isEmpty());
    if (!parsed) {
        QCOMPARE(parsed.error().message, error);
        return;
    }
    QCOMPARE(parsed.value().partitionKey, pk);
    QCOMPARE(parsed.value().data, data);
    QCOMPARE(parsed.value().explicitHashKey, ehk);
}

void TstImportCsv::findColumn()
{
    const QStringList header{QStringLiteral("Data"), QStringLiteral("data"), QStringLiteral("PARTITION_KEY")};
    // Exact names win over names that differ in case.
    QCOMPARE(CsvImporter::findColumn(header, QString(), {QStringLiteral("data"), QStringLiteral("Data")}), 1);
    QCOMPARE(CsvImporter::findColumn(header, QString(), {QStringLiteral("partition_key")}), 2);
    QCOMPARE(CsvImporter::findColumn(header, QStringLiteral("nope"), {QStringLiteral("data")}), -1);
}

void TstImportCsv::quotedHeaderAndEmptyLinesFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\n\r\n\"partition_key\",\" data \"\r\nk,\"v\"\"\"\r\n");
    file.close();
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), QStringList{QStringLiteral("k|v\"")});
    QCOMPARE(result.value().emptyLines, qint64(2));
    QCOMPARE(result.value().columns, (QStringList{QStringLiteral("partition_key"), QStringLiteral("data")}));
}

void TstImportCsv::dataAndHashKeyFieldsNameColumns()
{
    // The data and explicit hash key fields name CSV columns, as the key field does; "no explicit
    // hash key" ignores a column with the usual name.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fields.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("partition_key,payload,explicit_hash_key,route\n"
               "a,hello,5,9\n"
               "b,world,,\n"
               "c,bad,1,x1\n");
    file.close();
    auto run = [&path](const ImportOptions &options, ImportReport *report = nullptr) {
        Importer importer;
        RecordStore store;
        auto result = importer.importFile(path, store, options);
        if (!result.ok())
            return QStringList{result.error().message};
        if (report)
            *report = result.value();
        return dump(store);
    };
    ImportOptions o;
    o.dataField = QStringLiteral("payload");
    QCOMPARE(run(o), (QStringList{QStringLiteral("a|hello|5"), QStringLiteral("b|world"), QStringLiteral("c|bad|1")}));

    o.explicitHashKeyField = QStringLiteral("route");
    ImportReport report;
    QCOMPARE(run(o, &report), (QStringList{QStringLiteral("a|hello|9"), QStringLiteral("b|world")}));
    QCOMPARE(issues(report), QStringList{path + QStringLiteral(":4:9: column \"route\" is not valid: hash key has 'x' at "
                                                               "column 1; only the digits 0-9 are allowed (no sign, no "
                                                               "spaces)")});

    o.explicitHashKeyField.clear();
    o.columns.noExplicitHashKey = true;
    QCOMPARE(run(o), (QStringList{QStringLiteral("a|hello"), QStringLiteral("b|world"), QStringLiteral("c|bad")}));
    auto sniff = Importer::sniff(path, o);
    QVERIFY(sniff.ok());
    QCOMPARE(sniff.value().dataColumn, 1);
    QCOMPARE(sniff.value().explicitHashKeyColumn, -1);

    o.columns.noExplicitHashKey = false;
    o.columns.data = QStringLiteral("payload"); // the same column twice is fine
    QCOMPARE(run(o).size(), 3);
    o.columns.data = QStringLiteral("partition_key");
    QCOMPARE(run(o), QStringList{QStringLiteral("the data column is given twice: \"partition_key\" in the column "
                                                "mapping and \"payload\" as the data field; give one")});
}

QTEST_GUILESS_MAIN(TstImportCsv)
#include "tst_import_csv.moc"
