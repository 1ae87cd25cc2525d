// Importing the JSON formats: JSON Lines, JSON arrays, single objects and the AWS CLI put-records
// input, as Kinesis record objects or as whole objects keyed by a field path. Each case checks the
// exact records imported and the exact problems reported (file:line:column: message) for files in
// tests/data/import that are broken on purpose.
#include "RecordStore.h"
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

/// What kwb::validatePartitionKey says about a key from the "PartitionKey" member (its wording
/// belongs to core/Record.cpp).
QString keyRule(const QString &key)
{
    return validatePartitionKey(key, QStringLiteral("\"PartitionKey\"")).error().message;
}

/// What kwb::validateRecord says about a record of `bytes` against `limit`.
QString sizeRule(qint64 bytes, qint64 limit)
{
    const Record record{QStringLiteral("k"), QByteArray(bytes - 1, 'x'), std::nullopt};
    return validateRecord(record, limit, QStringLiteral("the record")).error().message;
}

ImportOptions withEncoding(DataEncoding encoding)
{
    ImportOptions options;
    options.dataEncoding = encoding;
    return options;
}

ImportOptions withField(const QString &field)
{
    ImportOptions options;
    options.partitionKeyField = field;
    return options;
}

ImportOptions withFormat(Format format)
{
    ImportOptions options;
    options.format = format;
    return options;
}

/// Writes `lines` (each ended by '\n') to `name` in `dir`; returns its path.
QString writeLines(const QTemporaryDir &dir, const QString &name, const QList<QByteArray> &lines)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    for (const QByteArray &line : lines)
        file.write(line + '\n');
    return path;
}

} // namespace

class TstImportJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void importFile_data();
    void importFile();
    void counts_data();
    void counts();
    void recordTooLarge();
    void stopAtFirstBadRecord();
    void objectsNeedAKey();
    void recordsShapeWithField();
    void objectsShapeForced();
    void keyStrategyOverridesPartitionKey();
    void integerBeyond64Bits();
    void deepNesting();
    void dataAndHashKeyFields();
    void nestedDataFieldDecoded();
    void dataFieldMakesObjects();
    void fieldsNeedObjects();
    void valueThenTextOnALine_data();
    void valueThenTextOnALine();
};

void TstImportJson::initTestCase()
{
    // Messages name files as given; the cases pass names relative to the data folder.
    QVERIFY(QDir::setCurrent(QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("import"))));
}

void TstImportJson::importFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<ImportOptions>("options");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("records");
    QTest::addColumn<QStringList>("problems");

    QTest::newRow("jsonl: escapes, unicode, empty lines, no final newline")
        << QStringLiteral("records.jsonl") << ImportOptions{} << QStringLiteral("jsonl")
        << QStringList{QStringLiteral("user-1|hello"),
                       QStringLiteral("user-2|line\\x0Abreak \"quoted\" \\xC3\\xA9\\xE4\\xB8\\xAD|42"),
                       QStringLiteral("k3|key second"),
                       QStringLiteral("\u00fc-key||340282366920938463463374607431768211455"),
                       QStringLiteral("last|no newline at the end")}
        << QStringList{};
    QTest::newRow("jsonl: BOM and CRLF, a number as Data")
        << QStringLiteral("bom-crlf.jsonl") << ImportOptions{} << QStringLiteral("jsonl")
        << QStringList{QStringLiteral("a|1"), QStringLiteral("b|2"), QStringLiteral("d|4")}
        << QStringList{QStringLiteral("bom-crlf.jsonl:4:29: \"Data\" must be a string, found a number; put the data in "
                                      "double quotes")};
    QTest::newRow("jsonl: broken on purpose")
        << QStringLiteral("broken.jsonl") << ImportOptions{} << QStringLiteral("jsonl")
        << QStringList{QStringLiteral("ok-1|fine"), QStringLiteral("ok-2|fine again"), QStringLiteral("ok-3|\\xC3\\xA9t\\xC3\\xA9")}
        << QStringList{
               QStringLiteral("broken.jsonl:2:28: unterminated string; a closing '\"' is missing"),
               QStringLiteral("broken.jsonl:3:17: \"PartitionKey\" must be a string, found a number; put the key in double quotes"),
               QStringLiteral("broken.jsonl:4:1: \"PartitionKey\" is missing; add it to every record, or choose a key strategy"),
               QStringLiteral("broken.jsonl:5:50: \"ExplicitHashKey\" is not valid: hash key "
                              "340282366920938463463374607431768211456 is larger than 2^128-1 "
                              "(340282366920938463463374607431768211455)"),
               QStringLiteral("broken.jsonl:6:50: \"ExplicitHashKey\" is not valid: hash key has a sign '-' at column 1; "
                              "only the digits 0-9 are allowed (no sign, no spaces)"),
               QStringLiteral("broken.jsonl:7:50: \"ExplicitHashKey\" is not valid: hash key has a space at column 2; only "
                              "the digits 0-9 are allowed (no sign, no spaces)"),
               QStringLiteral("broken.jsonl:8:17: ") + keyRule(QString(257, QLatin1Char('a')))
                   + QStringLiteral("; use a shorter key, or choose a key strategy"),
               QStringLiteral("broken.jsonl:9:32: unknown member \"Extra\" in a record; a record has only PartitionKey, "
                              "Data and ExplicitHashKey (to import whole objects, choose the objects shape)"),
               QStringLiteral("broken.jsonl:10:1: each line must hold a JSON object, found an array"),
               QStringLiteral("broken.jsonl:11:33: unexpected 't' after the end of the JSON value; remove it, or put one "
                              "value per line"),
               QStringLiteral("broken.jsonl:12:28: \"Data\" must be a string, found an object; to import whole objects as "
                              "data, choose the objects shape"),
               QStringLiteral("broken.jsonl:13:50: \"ExplicitHashKey\" must be a string, found a number; write the 128-bit "
                              "number as a string of digits (\"ExplicitHashKey\": \"123\")"),
               QStringLiteral("broken.jsonl:14:32: a comma before '}' with no member after it; remove the comma"),
               QStringLiteral("broken.jsonl:16:17: ") + keyRule(QString())
                   + QStringLiteral("; give every record a key, or choose a key strategy"),
               QStringLiteral("broken.jsonl:17:32: \"PartitionKey\" appears twice in this record; keep one"),
               QStringLiteral("broken.jsonl:18:21: expected ',' or '}' after an object member, found '\"'"),
               QStringLiteral("broken.jsonl:19:29: invalid escape \\q in a string; write a backslash as \\\\"),
               QStringLiteral("broken.jsonl:20:30: invalid literal; expected true, false or null (strings need double "
                              "quotes)"),
               QStringLiteral("broken.jsonl:21:1: \"Data\" is missing; every record needs \"Data\"")};
    QTest::newRow("jsonl: base64 data")
        << QStringLiteral("base64.jsonl") << withEncoding(DataEncoding::Base64) << QStringLiteral("jsonl")
        << QStringList{QStringLiteral("a|hello"), QStringLiteral("c|\\x00\\x01\\x02\\xFF"), QStringLiteral("f|\\x00\\x0F\\xFF")}
        << QStringList{
               QStringLiteral("base64.jsonl:2:28: \"Data\" is not valid base64 (character '%' at position 8); Data must be "
                              "base64 here (choose the utf8 data encoding for plain text)"),
               QStringLiteral("base64.jsonl:4:28: \"Data\" is not valid base64 (character '=' at position 8); Data must be "
                              "base64 here (choose the utf8 data encoding for plain text)"),
               QStringLiteral("base64.jsonl:5:28: \"Data\" is not valid base64 (it has 5 characters; base64 comes in "
                              "groups of 4); Data must be base64 here (choose the utf8 data encoding for plain text)")};
    QTest::newRow("jsonl: objects keyed by a nested field")
        << QStringLiteral("objects.jsonl") << withField(QStringLiteral("user.id")) << QStringLiteral("jsonl")
        << QStringList{QStringLiteral("u-1|{\"user\":{\"id\":\"u-1\",\"name\":\"Ann\"},\"n\":1}"),
                       QStringLiteral("42|{\"user\": {\"id\": 42}, \"tags\": [\"a\", \"b\"]}"),
                       QStringLiteral("true|{\"user\":{\"id\":true}}"),
                       QStringLiteral("1.50|{\"user\":{\"id\":1.50}}"),
                       QStringLiteral("spaces around|{\"user\":{\"id\":\"spaces around\"}}")}
        << QStringList{
               QStringLiteral("objects.jsonl:5:1: the key field \"user.id\" is missing in this object; check the field "
                              "path, or choose another key strategy"),
               QStringLiteral("objects.jsonl:6:15: the key field \"user.id\" is null; a partition key must be a string, "
                              "number or boolean"),
               QStringLiteral("objects.jsonl:7:9: field \"user\" is a string, not an object, so the key field \"user.id\" "
                              "cannot be found in it"),
               QStringLiteral("objects.jsonl:8:15: the key field \"user.id\" is an object; a partition key must be a "
                              "string, number or boolean"),
               QStringLiteral("objects.jsonl:9:25: invalid literal; expected true, false or null (strings need double "
                              "quotes)")};

    QTest::newRow("array: pretty printed, brackets in strings")
        << QStringLiteral("records.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|first"), QStringLiteral("b|second, with [brackets] and {braces}|7"),
                       QStringLiteral("c|esc \" \\x5C A")}
        << QStringList{};
    QTest::newRow("array: trailing garbage")
        << QStringLiteral("array-trailing-garbage.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1"), QStringLiteral("b|2")}
        << QStringList{QStringLiteral("array-trailing-garbage.json:3:1: unexpected 'g' after the end of the JSON array; "
                                      "remove it (one JSON value per file, or choose the jsonl format for one object "
                                      "per line)")};
    QTest::newRow("array: missing comma")
        << QStringLiteral("array-missing-comma.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1")}
        << QStringList{QStringLiteral("array-missing-comma.json:3:1: expected ',' or ']' after an array element, found '{'")};
    QTest::newRow("array: the file ends before ']'")
        << QStringLiteral("array-truncated.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1")}
        << QStringList{QStringLiteral("array-truncated.json:2:1: the input ends inside the array; a ']' is missing")};
    QTest::newRow("array: trailing comma")
        << QStringLiteral("array-trailing-comma.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1")}
        << QStringList{QStringLiteral("array-trailing-comma.json:1:34: a comma before ']' with no element after it; "
                                      "remove the comma")};
    QTest::newRow("array: unterminated string at the end of the file")
        << QStringLiteral("array-unterminated.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1")}
        << QStringList{QStringLiteral("array-unterminated.json:3:28: unterminated string; a closing '\"' is missing")};
    QTest::newRow("array: elements that are not objects")
        << QStringLiteral("array-elements.json") << ImportOptions{} << QStringLiteral("json")
        << QStringList{QStringLiteral("a|1"), QStringLiteral("b|2")}
        << QStringList{QStringLiteral("array-elements.json:1:35: each element of the array must be a JSON object, found a number"),
                       QStringLiteral("array-elements.json:1:39: each element of the array must be a JSON object, found a string"),
                       QStringLiteral("array-elements.json:1:80: each element of the array must be a JSON object, found an array")};
    QTest::newRow("array: whole objects, brackets inside strings")
        << QStringLiteral("array-objects.json") << withField(QStringLiteral("id")) << QStringLiteral("json")
        << QStringList{QStringLiteral("x1|{\"id\":\"x1\",\"v\":[1,2,{\"k\":\"]\"}]}"), QStringLiteral("x2|{\"id\":\"x2\",\"s\":\"}{\"}")}
        << QStringList{};
    QTest::newRow("single object")
        << QStringLiteral("single-object.json") << ImportOptions{} << QStringLiteral("json-object")
        << QStringList{QStringLiteral("only|one record")} << QStringList{};
    QTest::newRow("empty .json") << QStringLiteral("empty.json") << ImportOptions{} << QStringLiteral("json")
                                 << QStringList{} << QStringList{};
    QTest::newRow("empty .jsonl") << QStringLiteral("empty.jsonl") << ImportOptions{} << QStringLiteral("jsonl")
                                  << QStringList{} << QStringList{};
    QTest::newRow("whitespace only .json") << QStringLiteral("whitespace.json") << ImportOptions{} << QStringLiteral("json")
                                           << QStringList{} << QStringList{};
    QTest::newRow("array forced on a JSON Lines file")
        << QStringLiteral("records.jsonl") << withFormat(Format::JsonArray) << QStringLiteral("json") << QStringList{}
        << QStringList{QStringLiteral("records.jsonl:1:1: the input starts with '{', not '[': it is not a JSON array (for "
                                      "one object per line choose the jsonl format, for a single object json-object)")};

    QTest::newRow("awscli: put-records object with StreamName")
        << QStringLiteral("awscli-put-records.json") << ImportOptions{} << QStringLiteral("awscli")
        << QStringList{QStringLiteral("p1|hello"), QStringLiteral("p2|\\x00\\x01\\xFF|170141183460469231731687303715884105728")}
        << QStringList{};
    QTest::newRow("awscli: StreamARN after Records")
        << QStringLiteral("awscli-stream-arn.json") << ImportOptions{} << QStringLiteral("awscli")
        << QStringList{QStringLiteral("k|x")} << QStringList{};
    QTest::newRow("awscli: bare records array")
        << QStringLiteral("awscli-records-array.json") << withFormat(Format::AwsCli) << QStringLiteral("awscli")
        << QStringList{QStringLiteral("k1|hi"), QStringLiteral("k2|")} << QStringList{};
    QTest::newRow("awscli: bad Data")
        << QStringLiteral("awscli-bad-data.json") << ImportOptions{} << QStringLiteral("awscli")
        << QStringList{QStringLiteral("ok|hi")}
        << QStringList{
               QStringLiteral("awscli-bad-data.json:5:12: \"Data\" is not valid base64 (a space at position 4); the AWS CLI "
                              "input needs Data in base64"),
               QStringLiteral("awscli-bad-data.json:6:12: \"Data\" must be a string, found a number; the AWS CLI input needs "
                              "the data as a base64 string"),
               QStringLiteral("awscli-bad-data.json:7:41: unknown member \"StreamName\" in a record; the AWS CLI accepts only "
                              "Data, PartitionKey and ExplicitHashKey"),
               QStringLiteral("awscli-bad-data.json:8:3: \"Data\" is missing; every record needs \"Data\"")};
    QTest::newRow("awscli: unknown member")
        << QStringLiteral("awscli-unknown-member.json") << ImportOptions{} << QStringLiteral("awscli") << QStringList{}
        << QStringList{QStringLiteral("awscli-unknown-member.json:1:19: unknown member \"Foo\"; put-records input has only "
                                      "StreamName, StreamARN and Records")};
    QTest::newRow("awscli: missing comma between members")
        << QStringLiteral("awscli-missing-comma.json") << ImportOptions{} << QStringLiteral("awscli") << QStringList{}
        << QStringList{QStringLiteral("awscli-missing-comma.json:1:19: expected ',' or '}' after a member of the put-records "
                                      "object, found '\"'")};
    QTest::newRow("awscli: the file ends before '}'")
        << QStringLiteral("awscli-truncated.json") << ImportOptions{} << QStringLiteral("awscli")
        << QStringList{QStringLiteral("k|hi")}
        << QStringList{QStringLiteral("awscli-truncated.json:2:1: the input ends inside the put-records object; a '}' is "
                                      "missing")};
    QTest::newRow("awscli: no Records")
        << QStringLiteral("awscli-no-records.json") << ImportOptions{} << QStringLiteral("awscli") << QStringList{}
        << QStringList{QStringLiteral("awscli-no-records.json:1:1: the put-records object has no \"Records\" array; it looks "
                                      "like {\"StreamName\": \"...\", \"Records\": [{\"Data\": \"...\", \"PartitionKey\": \"...\"}]}")};
}

void TstImportJson::importFile()
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
    QCOMPARE(report.imported, qint64(records.size()));
    QCOMPARE(report.recordsRead, report.imported + report.skipped);
    QCOMPARE(report.issueCount, qint64(report.issues.size()));
}

void TstImportJson::counts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("read");
    QTest::addColumn<qint64>("skipped");
    QTest::addColumn<qint64>("emptyLines");
    QTest::addColumn<qint64>("issueCount");
    QTest::addColumn<bool>("stopped");
    QTest::addColumn<QString>("streamName");
    QTest::addColumn<QString>("summary");

    QTest::newRow("records.jsonl") << QStringLiteral("records.jsonl") << qint64(5) << qint64(0) << qint64(2) << qint64(0)
                                   << false << QString() << QStringLiteral("imported 5 of 5 records (2 empty lines)");
    QTest::newRow("broken.jsonl") << QStringLiteral("broken.jsonl") << qint64(22) << qint64(19) << qint64(0) << qint64(19)
                                  << false << QString() << QStringLiteral("imported 3 of 22 records (19 skipped)");
    // Text after the array is not a record, but it ends the reading.
    QTest::newRow("trailing garbage") << QStringLiteral("array-trailing-garbage.json") << qint64(2) << qint64(0) << qint64(0)
                                      << qint64(1) << true << QString()
                                      << QStringLiteral("imported 2 of 2 records (1 other problem); reading stopped at a problem");
    QTest::newRow("trailing comma") << QStringLiteral("array-trailing-comma.json") << qint64(1) << qint64(0) << qint64(0)
                                    << qint64(1) << false << QString()
                                    << QStringLiteral("imported 1 of 1 record (1 other problem)");
    QTest::newRow("awscli") << QStringLiteral("awscli-put-records.json") << qint64(2) << qint64(0) << qint64(0) << qint64(0)
                            << false << QStringLiteral("orders") << QStringLiteral("imported 2 of 2 records");
    QTest::newRow("StreamARN") << QStringLiteral("awscli-stream-arn.json") << qint64(1) << qint64(0) << qint64(0) << qint64(0)
                               << false << QStringLiteral("arn:aws:kinesis:us-east-1:123456789012:stream/orders")
                               << QStringLiteral("imported 1 of 1 record");
    QTest::newRow("awscli unknown member") << QStringLiteral("awscli-unknown-member.json") << qint64(0) << qint64(0)
                                           << qint64(0) << qint64(1) << true << QStringLiteral("s")
                                           << QStringLiteral("imported 0 of 0 records (1 other problem); reading stopped at a problem");
}

void TstImportJson::counts()
{
    QFETCH(QString, file);
    QFETCH(qint64, read);
    QFETCH(qint64, skipped);
    QFETCH(qint64, emptyLines);
    QFETCH(qint64, issueCount);
    QFETCH(bool, stopped);
    QFETCH(QString, streamName);
    QFETCH(QString, summary);

    Importer importer;
    RecordStore store;
    auto result = importer.importFile(file, store);
    QVERIFY(result.ok());
    const ImportReport &report = result.value();
    QCOMPARE(report.recordsRead, read);
    QCOMPARE(report.skipped, skipped);
    QCOMPARE(report.emptyLines, emptyLines);
    QCOMPARE(report.issueCount, issueCount);
    QCOMPARE(report.stopped, stopped);
    QCOMPARE(report.streamName, streamName);
    QCOMPARE(report.summary(), summary);
    QCOMPARE(report.bytesRead, QFileInfo(file).size());
}

void TstImportJson::recordTooLarge()
{
    // "user-1" + "hello" is 11 bytes; "user-2" + its data (UTF-8) is 31.
    ImportOptions options;
    options.maxRecordBytes = 12;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(dump(store), (QStringList{QStringLiteral("user-1|hello"), QStringLiteral("k3|key second"),
                                       QStringLiteral("\u00fc-key||340282366920938463463374607431768211455")}));
    const QString hint = QStringLiteral("; make the record smaller, or raise the maximum record size if the stream "
                                        "allows larger records (up to 10 MiB)");
    QCOMPARE(issues(result.value()),
             (QStringList{QStringLiteral("records.jsonl:2:1: ") + sizeRule(31, 12) + hint,
                          QStringLiteral("records.jsonl:7:1: ") + sizeRule(25, 12) + hint}));
    QVERIFY(sizeRule(31, 12).contains(QStringLiteral("31 bytes")));
}

void TstImportJson::stopAtFirstBadRecord()
{
    ImportOptions options;
    options.onBadRow = BadRowPolicy::Stop;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("broken.jsonl"), store, options);
    QVERIFY(result.ok());
    const ImportReport &report = result.value();
    QCOMPARE(dump(store), QStringList{QStringLiteral("ok-1|fine")});
    QCOMPARE(issues(report), QStringList{QStringLiteral("broken.jsonl:2:28: unterminated string; a closing '\"' is missing")});
    QVERIFY(report.stopped);
    QCOMPARE(report.recordsRead, qint64(2));
    QCOMPARE(report.skipped, qint64(1));
    QCOMPARE(report.issues.front().record, qint64(2));
    QCOMPARE(report.summary(), QStringLiteral("imported 1 of 2 records (1 skipped); reading stopped at a problem"));
}

void TstImportJson::objectsNeedAKey()
{
    // Whole objects with no key field and no key strategy: the first one says what to do, and
    // the import stops there rather than rejecting a million records one by one.
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("objects.jsonl"), store);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 0);
    QCOMPARE(result.value().jsonShape, JsonShape::Objects);
    QCOMPARE(issues(result.value()),
             QStringList{QStringLiteral("objects.jsonl:1:1: these objects are not Kinesis records ({\"PartitionKey\", "
                                        "\"Data\", \"ExplicitHashKey\"}), so each whole object becomes a record's data and "
                                        "its partition key must come from a key field (such as user.id) or a key strategy")});
    QVERIFY(result.value().stopped);
}

void TstImportJson::recordsShapeWithField()
{
    // A key field on Kinesis-shaped records means whole objects: the object is the data.
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("single-object.json"), store, withField(QStringLiteral("PartitionKey")));
    QVERIFY(result.ok());
    QCOMPARE(result.value().jsonShape, JsonShape::Objects);
    QCOMPARE(dump(store), QStringList{QStringLiteral("only|{\n  \"PartitionKey\": \"only\",\n  \"Data\": \"one record\"\n}")
                                          .replace(QLatin1Char('\n'), QLatin1String("\\x0A"))});
}

void TstImportJson::objectsShapeForced()
{
    ImportOptions options;
    options.jsonShape = JsonShape::Objects;
    options.keyStrategy = KeyStrategy::Constant;
    options.constantKey = QStringLiteral("all");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.json"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 3);
    QCOMPARE(store.partitionKey(0), QStringLiteral("all"));
    QCOMPARE(store.data(0).toByteArray(), QByteArray(R"({"PartitionKey": "a", "Data": "first"})"));
    QCOMPARE(store.hasExplicitHashKey(1), false);
}

void TstImportJson::keyStrategyOverridesPartitionKey()
{
    ImportOptions options;
    options.keyStrategy = KeyStrategy::RowNumber;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("broken.jsonl"), store, options);
    QVERIFY(result.ok());
    // Row numbers count every record read, bad ones too, so they match the input's order. Line 3
    // (a number as PartitionKey) is still rejected: the member is checked even when not used.
    const QStringList rows = dump(store);
    QVERIFY2(rows.startsWith(QStringLiteral("1|fine")), qPrintable(rows.join(QLatin1Char('\n'))));
    QVERIFY(rows.contains(QStringLiteral("4|no key")));
    QVERIFY(rows.contains(QStringLiteral("15|fine again")));
    QVERIFY(rows.contains(QStringLiteral("16|x")));
}

void TstImportJson::integerBeyond64Bits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"id":123456789012345678901234567890,"v":1})" "\n" R"({"id":-12,"v":2})" "\n");
    file.close();
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, withField(QStringLiteral("id")));
    QVERIFY(result.ok());
    // A key is the number's own text, whatever its size; the data is the object as written.
    QCOMPARE(dump(store), (QStringList{QStringLiteral("123456789012345678901234567890|{\"id\":123456789012345678901234567890,\"v\":1}"),
                                       QStringLiteral("-12|{\"id\":-12,\"v\":2}")}));
    QCOMPARE(result.value().skipped, qint64(0));
}

void TstImportJson::deepNesting()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("deep.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"k\":\"a\",\"v\":" + QByteArray(2000, '[') + QByteArray(2000, ']') + "}\n");
    file.write(R"({"k":"b"})" "\n");
    file.close();
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, withField(QStringLiteral("k")));
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.partitionKey(0), QStringLiteral("b"));
    QCOMPARE(result.value().issues.size(), size_t(1));
    QCOMPARE(result.value().issues.front().line, qint64(1));
}

void TstImportJson::dataAndHashKeyFields()
{
    // Whole objects with a data field and an explicit hash key field. Column 30 is where the
    // value of "route" starts on the lines of the form {"id":"e","body":"x","route":...}.
    QTemporaryDir dir;
    const QString path = writeLines(dir, QStringLiteral("mapped.jsonl"),
                                    {R"({"id":"a","body":"hello","route":"7"})",
                                     R"({"id":"b","body":{"x":[1, 2]} ,"route":12})",
                                     R"({"id":"c","body":42.50,"route":null})",
                                     R"({"id":"d","route":"1"})",
                                     R"({"id":"e","body":"x","route":"-5"})",
                                     R"({"id":"f","body":"y","route":340282366920938463463374607431768211456})",
                                     R"({"id":"g","body":"z","route":340282366920938463463374607431768211455})",
                                     R"({"id":"h","body":"w","route":1.5})",
                                     R"({"id":"i","body":"v","route":true})",
                                     R"({"id":"j","body":"u"})",
                                     R"({"id":"k","body":"t","route":18446744073709551615})",
                                     R"({"id":"l","body":"s","route":-3})",
                                     R"({"id":"m","body":"snow \u2603","route":"0"})",
                                     R"({"id":"n","body":123456789012345678901234567890,"route":"1"})"});
    QVERIFY(!path.isEmpty());
    ImportOptions options;
    options.partitionKeyField = QStringLiteral("id");
    options.dataField = QStringLiteral("body");
    options.explicitHashKeyField = QStringLiteral("route");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    const ImportReport &report = result.value();
    QCOMPARE(report.jsonShape, JsonShape::Objects);
    // A string's text is the data; any other value its JSON as written; null is no hash key.
    QCOMPARE(dump(store), (QStringList{QStringLiteral("a|hello|7"), QStringLiteral("b|{\"x\":[1, 2]}|12"),
                                       QStringLiteral("c|42.50"),
                                       QStringLiteral("g|z|340282366920938463463374607431768211455"),
                                       QStringLiteral("k|t|18446744073709551615"),
                                       QStringLiteral("m|snow \\xE2\\x98\\x83|0"),
                                       QStringLiteral("n|123456789012345678901234567890|1")}));
    const QString digitsOnly = QStringLiteral("only the digits 0-9 are allowed (no sign, no spaces)");
    QCOMPARE(issues(report),
             (QStringList{
                 path + QStringLiteral(":4:1: the data field \"body\" is missing in this object; check the field path, "
                                       "or clear the data field to make each whole object the data"),
                 path + QStringLiteral(":5:30: the explicit hash key field \"route\" is not valid: hash key has a sign "
                                       "'-' at column 1; ") + digitsOnly,
                 path + QStringLiteral(":6:30: the explicit hash key field \"route\" is not valid: hash key "
                                       "340282366920938463463374607431768211456 is larger than 2^128-1 "
                                       "(340282366920938463463374607431768211455)"),
                 path + QStringLiteral(":8:30: the explicit hash key field \"route\" is not valid: hash key has '.' at "
                                       "column 2; ") + digitsOnly,
                 path + QStringLiteral(":9:30: the explicit hash key field \"route\" is a boolean; write a decimal "
                                       "number from 0 to 2^128-1, as a string or a number"),
                 path + QStringLiteral(":10:1: the explicit hash key field \"route\" is missing in this object; add it "
                                       "(null for none), or clear the explicit hash key field"),
                 path + QStringLiteral(":12:30: the explicit hash key field \"route\" is not valid: hash key has a sign "
                                       "'-' at column 1; ") + digitsOnly}));
    QCOMPARE(report.recordsRead, qint64(14));
    QCOMPARE(report.imported, qint64(7));
    QCOMPARE(report.skipped, qint64(7));
    QCOMPARE(report.issues.at(0).record, qint64(4));

    // Without the fields, the same objects are whole records as before.
    options.dataField.clear();
    options.explicitHashKeyField.clear();
    store.clear();
    result = importer.importFile(path, store, options);
    QVERIFY(result.ok());
    QCOMPARE(store.size(), 14);
    QCOMPARE(store.data(0).toByteArray(), QByteArray(R"({"id":"a","body":"hello","route":"7"})"));
    QVERIFY(!store.hasExplicitHashKey(0));
}

void TstImportJson::nestedDataFieldDecoded()
{
    // A JSON array, pretty printed; the data field is a nested path and a string's text is base64.
    QTemporaryDir dir;
    const QString path = writeLines(dir, QStringLiteral("nested.json"),
                                    {"[",
                                     R"(  {"meta": {"k": "p1"}, "msg": {"b64": "aGk="}},)",
                                     R"(  {"meta": {"k": "p2"}, "msg": {"b64": "!!!!"}},)",
                                     R"(  {"meta": {"k": "p3"}, "msg": "flat"},)",
                                     R"(  {"meta": {"k": "p4"}, "msg": {"b64": 5}},)",
                                     R"(  {"meta": {"k": "p5"}, "msg": {"b64": "AAH/"}})",
                                     "]"});
    ImportOptions options;
    options.partitionKeyField = QStringLiteral("meta.k");
    options.dataField = QStringLiteral("msg.b64");
    options.dataEncoding = DataEncoding::Base64;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    QCOMPARE(formatName(result.value().format), QStringLiteral("json"));
    // "aGk=" is "hi"; a number is not decoded: its JSON text is the data.
    QCOMPARE(dump(store), (QStringList{QStringLiteral("p1|hi"), QStringLiteral("p4|5"), QStringLiteral("p5|\\x00\\x01\\xFF")}));
    QCOMPARE(issues(result.value()),
             (QStringList{path + QStringLiteral(":3:40: the data field \"msg.b64\" is not valid base64 (character '!' at "
                                                "position 1); fix the value, or choose the utf8 data encoding for plain text"),
                          path + QStringLiteral(":4:32: field \"msg\" is a string, not an object, so the data field "
                                                "\"msg.b64\" cannot be found in it")}));
}

void TstImportJson::dataFieldMakesObjects()
{
    // Objects that look like Kinesis records become plain objects once a data field is given.
    ImportOptions options;
    options.partitionKeyField = QStringLiteral("PartitionKey");
    options.dataField = QStringLiteral("Data");
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(QStringLiteral("records.jsonl"), store, options);
    QVERIFY(result.ok());
    QCOMPARE(result.value().jsonShape, JsonShape::Objects);
    QCOMPARE(dump(store), (QStringList{QStringLiteral("user-1|hello"),
                                       QStringLiteral("user-2|line\\x0Abreak \"quoted\" \\xC3\\xA9\\xE4\\xB8\\xAD"),
                                       QStringLiteral("k3|key second"), QStringLiteral("\u00fc-key|"),
                                       QStringLiteral("last|no newline at the end")}));
    QCOMPARE(issues(result.value()), QStringList{});
}

void TstImportJson::fieldsNeedObjects()
{
    auto failure = [](const QString &file, const ImportOptions &options) {
        Importer importer;
        RecordStore store;
        auto result = importer.importFile(file, store, options);
        return result.ok() ? QStringLiteral("(imported)") : result.error().message;
    };
    ImportOptions data;
    data.dataField = QStringLiteral("x");
    QCOMPARE(failure(QStringLiteral("lines.txt"), data),
             QStringLiteral("lines.txt: a data field (\"x\") needs JSON objects or CSV/TSV columns; this input is read "
                            "as text. Clear the field, or choose another format"));
    ImportOptions hash;
    hash.explicitHashKeyField = QStringLiteral("h");
    QCOMPARE(failure(QStringLiteral("awscli-put-records.json"), hash),
             QStringLiteral("awscli-put-records.json: an explicit hash key field (\"h\") needs JSON objects or CSV/TSV "
                            "columns; put-records input has its own Data and ExplicitHashKey in each record. Clear the "
                            "field"));
    data.jsonShape = JsonShape::Records;
    QCOMPARE(failure(QStringLiteral("records.jsonl"), data),
             QStringLiteral("records.jsonl: a data field (\"x\") needs JSON objects or CSV/TSV columns; Kinesis record "
                            "objects have their own Data and ExplicitHashKey. Clear the field, or choose the objects shape"));
}

void TstImportJson::valueThenTextOnALine_data()
{
    QTest::addColumn<bool>("fastPath");
    QTest::newRow("fast path") << true;
    QTest::newRow("parser only") << false;
}

void TstImportJson::valueThenTextOnALine()
{
    // A number, string or literal with more text after it on its line. Enough lines that the
    // general path reads them as one stream of documents (simdjson's parse_many), which once
    // took "1{" for a line holding the number 1 (found by the import_jsonl fuzz target).
    QFETCH(bool, fastPath);
    QTemporaryDir dir;
    const QString path = writeLines(dir, QStringLiteral("values.jsonl"),
                                    {R"({"PartitionKey":"a","Data":"x"})", "1{", "2 3", R"("s"x)", "true,", "7",
                                     "null}", R"({"PartitionKey":"b","Data":"y"})"});
    QVERIFY(!path.isEmpty());
    ImportOptions options;
    options.jsonShape = JsonShape::Records;
    options.jsonFastPath = fastPath;
    Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    const ImportReport &report = result.value();
    QCOMPARE(dump(store), (QStringList{QStringLiteral("a|x"), QStringLiteral("b|y")}));
    const QString after = QStringLiteral(" after the end of the JSON value; remove it, or put one value per line");
    QCOMPARE(issues(report), (QStringList{path + QStringLiteral(":2:2: unexpected '{'") + after,
                                          path + QStringLiteral(":3:3: unexpected '3'") + after,
                                          path + QStringLiteral(":4:4: unexpected 'x'") + after,
                                          path + QStringLiteral(":5:5: unexpected ','") + after,
                                          path + QStringLiteral(":6:1: each line must hold a JSON object, found a number"),
                                          path + QStringLiteral(":7:5: unexpected '}'") + after}));
    QList<qint64> records;
    for (const ImportIssue &issue : report.issues)
        records << issue.record;
    QCOMPARE(records, (QList<qint64>{2, 3, 4, 5, 6, 7}));

    // The fuzz target's case: "1{" with a bad string on the next line, the last of the batch.
    const QString last = writeLines(dir, QStringLiteral("last.jsonl"),
                                    {R"({"PartitionKey":"a","Data":"x"})", R"({"PartitionKey":"b","Data":"y"})", "1{",
                                     "\xF8\""});
    QVERIFY(!last.isEmpty());
    store.clear();
    result = importer.importFile(last, store, options);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    QCOMPARE(dump(store), (QStringList{QStringLiteral("a|x"), QStringLiteral("b|y")}));
    QCOMPARE(issues(result.value()), (QStringList{last + QStringLiteral(":3:2: unexpected '{'") + after,
                                                  last + QStringLiteral(":4:1: expected a value (a string, number, "
                                                                        "object, array, true, false or null), found "
                                                                        "byte 0xF8")}));
}

QTEST_GUILESS_MAIN(TstImportJson)
#include "tst_import_json.moc"
