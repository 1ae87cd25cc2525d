// Import of Kinesis records with KPL aggregated ones inside (Format::KplRecords): the aggregated
// records are made by an independent implementation, awslabs' aws-kinesis-agg (tests/peers/
// kpl-oracle.js), and the import must give exactly the oracle's input rows, from the output of
// `aws kinesis get-records`, from base64 lines and from a raw record. Records that cannot be
// unpacked are bad rows naming the record and the reason, under the bad-row policy.
#include "ImportTestSupport.h"
#include "TestSupport.h"
#include "KplOracle.h"
#include "import/Importer.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;

namespace {

struct User
{
    QString key;
    QByteArray data;
    QString hashKey; ///< decimal, empty for none
};

const std::vector<User> &users()
{
    static const std::vector<User> list{
        {QStringLiteral("order-1"), "{\"id\":1}", {}},
        {QStringLiteral("Grüße-ключ-🔑"), "unicode key", {}},
        {QStringLiteral("empty"), QByteArray(), {}},
        {QStringLiteral("routed"), "to a chosen shard", QStringLiteral("170141183460469231731687303715884105728")},
        {QStringLiteral("bin"), QByteArray::fromHex("00FF10F3899AC2"), {}},
    };
    return list;
}

/// "key|data[|hash key]" as kwb::test::dump writes them.
QStringList expectedRows(const std::vector<User> &list)
{
    RecordStore store;
    for (const User &u : list) {
        std::optional<UInt128> hashKey;
        if (!u.hashKey.isEmpty())
            hashKey = parseHashKey(u.hashKey).value();
        store.append(u.key.toUtf8(), u.data, hashKey);
    }
    return test::dump(store);
}

/// The oracle's aggregated Kinesis records of `list`: {partitionKey, explicitHashKey?, data (base64)}.
QJsonArray aggregatedByOracle(const std::vector<User> &list)
{
    QJsonArray input;
    for (const User &u : list) {
        QJsonObject o{{QStringLiteral("partitionKey"), u.key}, {QStringLiteral("data"), QString::fromLatin1(u.data.toBase64())}};
        if (!u.hashKey.isEmpty())
            o.insert(QStringLiteral("explicitHashKey"), u.hashKey);
        input.append(o);
    }
    const QJsonObject answer = test::runKplOracle({{QStringLiteral("op"), QStringLiteral("aggregate")}, {QStringLiteral("records"), input}});
    if (answer.contains(QStringLiteral("error")))
        qWarning("oracle: %s", qPrintable(answer.value(QStringLiteral("error")).toString()));
    return answer.value(QStringLiteral("records")).toArray();
}

/// One record of a get-records answer.
QJsonObject getRecordsEntry(const QString &key, const QByteArray &data, int sequence)
{
    return {{QStringLiteral("SequenceNumber"), QStringLiteral("4959033827149025660855969253836157109592157598913658%1").arg(sequence, 4, 10, QLatin1Char('0'))},
            {QStringLiteral("ApproximateArrivalTimestamp"), 1545084650.987},
            {QStringLiteral("Data"), QString::fromLatin1(data.toBase64())},
            {QStringLiteral("PartitionKey"), key}};
}

QByteArray getRecordsFile(const QJsonArray &records)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("Records"), records},
                                     {QStringLiteral("NextShardIterator"), QStringLiteral("AAAA")},
                                     {QStringLiteral("MillisBehindLatest"), 0}})
        .toJson();
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

/// The record with its protobuf cut after `keep` bytes and a new MD5 (so only the protobuf is wrong).
QByteArray truncatedProtobuf(const QByteArray &record, int keep)
{
    const QByteArray protobuf = record.mid(4, keep);
    return record.left(4) + protobuf + QCryptographicHash::hash(protobuf, QCryptographicHash::Md5);
}

} // namespace

class TstKplImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void getRecordsOutputGivesTheOracleInput();
    void base64LinesAndRawRecord();
    void brokenRecordsAreBadRowsThatSayWhere();

private:
    QTemporaryDir m_dir;
};

void TstKplImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QJsonObject probe = test::runKplOracle({{QStringLiteral("op"), QStringLiteral("aggregate")}, {QStringLiteral("records"), QJsonArray()}});
    QVERIFY2(!probe.contains(QStringLiteral("error")), qPrintable(probe.value(QStringLiteral("error")).toString()));
}

void TstKplImport::getRecordsOutputGivesTheOracleInput()
{
    const QJsonArray aggregated = aggregatedByOracle(users());
    QCOMPARE(aggregated.size(), 1);
    QJsonArray records;
    // A plain record first, the aggregated one after it.
    records.append(getRecordsEntry(QStringLiteral("plain-key"), "a plain record", 1));
    const QJsonObject agg = aggregated.at(0).toObject();
    records.append(getRecordsEntry(agg.value(QStringLiteral("partitionKey")).toString(),
                                   QByteArray::fromBase64(agg.value(QStringLiteral("data")).toString().toLatin1()), 2));
    const QString path = writeFile(m_dir, QStringLiteral("get-records.json"), getRecordsFile(records));
    QVERIFY(!path.isEmpty());

    import::ImportOptions options;
    options.format = import::Format::KplRecords;
    RecordStore store;
    import::Importer importer;
    auto report = importer.importFile(path, store, options);
    KWB_VERIFY_OK(report);
    QCOMPARE(test::issues(report.value()), QStringList());
    QStringList expected{QStringLiteral("plain-key|a plain record")};
    expected += expectedRows(users());
    QCOMPARE(test::dump(store), expected);
    QCOMPARE(report.value().imported, qint64(users().size() + 1));
    QCOMPARE(report.value().format, import::Format::KplRecords);
}

void TstKplImport::base64LinesAndRawRecord()
{
    const QJsonArray aggregated = aggregatedByOracle(users());
    QCOMPARE(aggregated.size(), 1);
    const QByteArray bytes = QByteArray::fromBase64(aggregated.at(0).toObject().value(QStringLiteral("data")).toString().toLatin1());

    // Base64 lines: one Kinesis record per line (the same one twice, an empty line between).
    import::ImportOptions options;
    options.format = import::Format::KplRecords;
    const QString lines = writeFile(m_dir, QStringLiteral("records.b64"), bytes.toBase64() + "\n\n" + bytes.toBase64() + "\n");
    RecordStore store;
    import::Importer importer;
    auto report = importer.importFile(lines, store, options);
    KWB_VERIFY_OK(report);
    QCOMPARE(test::issues(report.value()), QStringList());
    QCOMPARE(test::dump(store), expectedRows(users()) + expectedRows(users()));

    // A raw record, found by its magic with the format on Detect.
    const QString raw = writeFile(m_dir, QStringLiteral("record.bin"), bytes);
    RecordStore rawStore;
    import::ImportOptions detect;
    QCOMPARE(import::Importer::detect(raw, bytes, true), import::Format::KplRecords);
    auto rawReport = importer.importFile(raw, rawStore, detect);
    KWB_VERIFY_OK(rawReport);
    QCOMPARE(test::dump(rawStore), expectedRows(users()));
}

void TstKplImport::brokenRecordsAreBadRowsThatSayWhere()
{
    const std::vector<User> first(users().begin(), users().begin() + 2);
    const std::vector<User> second(users().begin() + 2, users().end());
    const QByteArray good = QByteArray::fromBase64(aggregatedByOracle(first).at(0).toObject().value(QStringLiteral("data")).toString().toLatin1());
    const QByteArray other = QByteArray::fromBase64(aggregatedByOracle(second).at(0).toObject().value(QStringLiteral("data")).toString().toLatin1());
    QByteArray badMd5 = other;
    badMd5[badMd5.size() - 20] = char(badMd5[badMd5.size() - 20] ^ 0x01); // a protobuf byte: the MD5 no longer matches
    const QByteArray cut = truncatedProtobuf(other, int(other.size()) - 20 - 3);

    QJsonArray records{getRecordsEntry(QStringLiteral("k"), good, 1), getRecordsEntry(QStringLiteral("k"), badMd5, 2),
                       getRecordsEntry(QStringLiteral("k"), cut, 3), getRecordsEntry(QStringLiteral("k"), other, 4)};
    QJsonObject noData = getRecordsEntry(QStringLiteral("k"), {}, 5);
    noData.insert(QStringLiteral("Data"), QStringLiteral("not base64!"));
    records.append(noData);
    const QString path = writeFile(m_dir, QStringLiteral("broken.json"), getRecordsFile(records));

    // Skip: the good records' rows, each bad one listed with its place and reason.
    import::ImportOptions options;
    options.format = import::Format::KplRecords;
    RecordStore store;
    import::Importer importer;
    auto report = importer.importFile(path, store, options);
    KWB_VERIFY_OK(report);
    QCOMPARE(test::dump(store), expectedRows(first) + expectedRows(second));
    const QStringList issues = test::issues(report.value());
    QCOMPARE(issues.size(), 3);
    QVERIFY2(issues[0].contains(QStringLiteral("Kinesis record Records[1]: KPL aggregated record: the MD5")), qPrintable(issues[0]));
    QVERIFY2(issues[1].contains(QStringLiteral("Kinesis record Records[2]: KPL aggregated record is malformed at byte")),
             qPrintable(issues[1]));
    QVERIFY2(issues[2].contains(QStringLiteral("Kinesis record Records[4]")) && issues[2].contains(QStringLiteral("not base64")),
             qPrintable(issues[2]));
    QVERIFY2(issues[0].startsWith(path), qPrintable(issues[0]));
    QCOMPARE(report.value().skipped, 3);
    QCOMPARE(report.value().issues[0].record, qint64(first.size() + 1)); // after the first record's user records

    // Stop: nothing after the first bad record.
    options.onBadRow = import::BadRowPolicy::Stop;
    RecordStore stopped;
    auto stopReport = importer.importFile(path, stopped, options);
    KWB_VERIFY_OK(stopReport);
    QCOMPARE(test::dump(stopped), expectedRows(first));
    QVERIFY(stopReport.value().stopped);
    QCOMPARE(stopReport.value().issueCount, 1);
}

QTEST_GUILESS_MAIN(TstKplImport)
#include "tst_kpl_import.moc"
