// Export: results as JSON Lines and CSV, records as AWS CLI put-records files, and reading a
// results file back for `kwb retry`.
#include "RecordStore.h"
#include "export/ResultsExport.h"
#include "send/SendResults.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::send;
using namespace kwb::exporting;

namespace {

/// Three rows: succeeded, failed (throttled) and pending, one with an explicit hash key and
/// awkward characters everywhere.
struct Sample
{
    Sample()
    {
        store.append(QByteArray("user-1"), QByteArray("{\"a\":1}"));
        store.append(QByteArray("quote\"comma,\nline"), QByteArray("\x00\xff\x10", 3), UInt128(42));
        store.append(QByteArray("\xc3\xa9t\xc3\xa9"), QByteArray("pending data"));
        results.resize(3);
        results.setPredictedShardId(0, QStringLiteral("shardId-000000000000"));
        results.setPredictedShardId(1, QStringLiteral("shardId-000000000001"));
        results.addAttempt(0, {});
        results.markSucceeded(0, QStringLiteral("shardId-000000000000"), QStringLiteral("49600000000000000000000000000000000000000000000000000001"));
        results.addAttempt(1, {});
        results.addAttempt(1, {});
        results.markFailed(1, QStringLiteral("ProvisionedThroughputExceededException"),
                           QStringLiteral("Rate exceeded for shard shardId-000000000001, \"really\""), true);
    }
    RecordStore store;
    SendResults results;
};

QList<QJsonObject> parseLines(const QByteArray &text)
{
    QList<QJsonObject> list;
    for (const QByteArray &line : text.split('\n'))
        if (!line.isEmpty())
            list.append(QJsonDocument::fromJson(line).object());
    return list;
}

} // namespace

class TstExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resultsJsonl();
    void resultsCsv();
    void resultsRoundTrip();
    void brokenResultsFile_data();
    void brokenResultsFile();
    void awsCliFilesChunkedAt500();
    void saveFailureNamesTheFile();
    void journalOfAStoppedRun_data();
    void journalOfAStoppedRun();
    void journalWrittenThenKilled();
    void journalFinishKeepsOneLinePerRow();
    void aggregatedRowsNameTheirKinesisRecord();
};

void TstExport::resultsJsonl()
{
    Sample s;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsJsonl(buffer, s.store, s.results).ok());
    const auto lines = parseLines(buffer.data());
    QCOMPARE(lines.size(), 3);
    const QJsonObject ok = lines[0];
    QCOMPARE(ok.value(QStringLiteral("index")).toInt(), 0);
    QCOMPARE(ok.value(QStringLiteral("partitionKey")).toString(), QStringLiteral("user-1"));
    QVERIFY(ok.value(QStringLiteral("explicitHashKey")).isNull());
    QCOMPARE(ok.value(QStringLiteral("predictedShardId")).toString(), QStringLiteral("shardId-000000000000"));
    QCOMPARE(ok.value(QStringLiteral("shardId")).toString(), QStringLiteral("shardId-000000000000"));
    QCOMPARE(ok.value(QStringLiteral("sequenceNumber")).toString(), QStringLiteral("49600000000000000000000000000000000000000000000000000001"));
    QCOMPARE(ok.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QVERIFY(ok.value(QStringLiteral("errorCode")).isNull());
    QCOMPARE(ok.value(QStringLiteral("attempts")).toInt(), 1);
    QVERIFY(!ok.contains(QStringLiteral("data"))); // succeeded rows need no data

    const QJsonObject failed = lines[1];
    QCOMPARE(failed.value(QStringLiteral("partitionKey")).toString(), QStringLiteral("quote\"comma,\nline"));
    QCOMPARE(failed.value(QStringLiteral("explicitHashKey")).toString(), QStringLiteral("42"));
    QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(QStringLiteral("errorCode")).toString(), QStringLiteral("ProvisionedThroughputExceededException"));
    QCOMPARE(failed.value(QStringLiteral("attempts")).toInt(), 2);
    QCOMPARE(QByteArray::fromBase64(failed.value(QStringLiteral("data")).toString().toLatin1()), QByteArray("\x00\xff\x10", 3));

    const QJsonObject pending = lines[2];
    QCOMPARE(pending.value(QStringLiteral("partitionKey")).toString(), QStringLiteral("\u00e9t\u00e9"));
    QCOMPARE(pending.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    QCOMPARE(pending.value(QStringLiteral("attempts")).toInt(), 0);
    QCOMPARE(QByteArray::fromBase64(pending.value(QStringLiteral("data")).toString().toLatin1()), QByteArray("pending data"));

    // A selection with original indexes.
    QBuffer some;
    some.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsJsonl(some, s.store, s.results, {2}, {100, 101, 102}).ok());
    const auto selected = parseLines(some.data());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected[0].value(QStringLiteral("index")).toInt(), 102);
}

void TstExport::aggregatedRowsNameTheirKinesisRecord()
{
    // Rows 0 and 2 went into one aggregated record whose first user record is row 0; the file
    // names it by the index written for row 0.
    Sample s;
    s.results.setAggregate(0, 0, 2, 0);
    s.results.setAggregate(2, 1, 2, 0);
    const std::vector<qint64> indexes{100, 101, 102};
    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsJsonl(jsonl, s.store, s.results, {}, indexes).ok());
    const auto lines = parseLines(jsonl.data());
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].value(QStringLiteral("kinesisRecord")).toInteger(), 100);
    QCOMPARE(lines[0].value(QStringLiteral("subSequenceNumber")).toInteger(-1), 0);
    QVERIFY(!lines[1].contains(QStringLiteral("kinesisRecord")));
    QVERIFY(!lines[1].contains(QStringLiteral("subSequenceNumber")));
    QCOMPARE(lines[2].value(QStringLiteral("kinesisRecord")).toInteger(), 100);
    QCOMPARE(lines[2].value(QStringLiteral("subSequenceNumber")).toInteger(), 1);
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsCsv(csv, s.store, s.results, {}, indexes).ok());
    const QList<QByteArray> rows = csv.data().split('\n');
    QVERIFY(rows.value(1).endsWith(",1,100,0\r"));
    QVERIFY(rows.value(rows.size() - 2).endsWith(",0,100,1\r"));
}

void TstExport::resultsCsv()
{
    Sample s;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsCsv(buffer, s.store, s.results).ok());
    const QByteArray expected =
        "index,partition_key,explicit_hash_key,predicted_shard_id,shard_id,sequence_number,status,error_code,error_message,attempts,kinesis_record,sub_sequence_number\r\n"
        "0,user-1,,shardId-000000000000,shardId-000000000000,49600000000000000000000000000000000000000000000000000001,succeeded,,,1,,\r\n"
        "1,\"quote\"\"comma,\nline\",42,shardId-000000000001,,,failed,ProvisionedThroughputExceededException,"
        "\"Rate exceeded for shard shardId-000000000001, \"\"really\"\"\",2,,\r\n"
        "2,\xc3\xa9t\xc3\xa9,,,,,pending,,,0,,\r\n";
    QCOMPARE(buffer.data(), expected);
}

void TstExport::resultsRoundTrip()
{
    Sample s;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeResultsJsonl(buffer, s.store, s.results, {}, {7, 8, 9}).ok());
    buffer.close();
    buffer.open(QIODevice::ReadOnly);
    auto read = readResultsJsonl(buffer, QStringLiteral("results.jsonl"));
    QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
    const ResultsFile &f = read.value();
    QCOMPARE(f.store.size(), 3);
    QCOMPARE(f.indexes, (std::vector<qint64>{7, 8, 9}));
    QCOMPARE(f.results.status(0), RowStatus::Succeeded);
    QCOMPARE(f.results.status(1), RowStatus::Failed);
    QCOMPARE(f.results.status(2), RowStatus::Pending);
    QCOMPARE(f.store.partitionKey(1), QStringLiteral("quote\"comma,\nline"));
    QCOMPARE(f.store.data(1).toByteArray(), QByteArray("\x00\xff\x10", 3));
    QCOMPARE(f.store.explicitHashKey(1), UInt128(42));
    QCOMPARE(f.store.data(2).toByteArray(), QByteArray("pending data"));
    QCOMPARE(f.results.sequenceNumber(0), s.results.sequenceNumber(0));
    QCOMPARE(f.results.attemptCount(1), 2);
    QCOMPARE(f.results.errorCode(1), QStringLiteral("ProvisionedThroughputExceededException"));
}

void TstExport::brokenResultsFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    const QByteArray good = R"({"index":0,"partitionKey":"k","status":"succeeded","attempts":1})" "\n";
    QTest::newRow("not json") << good + "{oops\n" << QStringLiteral("results.jsonl:2: column ");
    QTest::newRow("bad status") << good + R"({"index":1,"partitionKey":"k","status":"sent"})" "\n"
                                << QStringLiteral("results.jsonl:2: \"status\" must be");
    QTest::newRow("missing data") << QByteArray(R"({"index":1,"partitionKey":"k","status":"failed"})")
                                  << QStringLiteral("results.jsonl:1: a row that did not succeed needs its \"data\"");
    QTest::newRow("bad base64") << QByteArray(R"({"index":1,"partitionKey":"k","status":"failed","data":"%%%"})")
                                << QStringLiteral("not valid base64");
    QTest::newRow("bad hash key") << QByteArray(R"({"index":1,"partitionKey":"k","status":"pending","data":"","explicitHashKey":"-1"})")
                                  << QStringLiteral("\"explicitHashKey\"");
    QTest::newRow("no index") << QByteArray(R"({"partitionKey":"k","status":"pending","data":""})") << QStringLiteral("\"index\"");
}

void TstExport::brokenResultsFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QBuffer buffer(&content);
    buffer.open(QIODevice::ReadOnly);
    auto read = readResultsJsonl(buffer, QStringLiteral("results.jsonl"));
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.contains(mentions), qPrintable(read.error().message));
}

void TstExport::awsCliFilesChunkedAt500()
{
    RecordStore store;
    for (int i = 0; i < 1201; ++i)
        store.append(QStringLiteral("k%1").arg(i).toUtf8(), QByteArray::number(i), i == 600 ? std::optional<UInt128>(kMaxHashKey) : std::nullopt);
    QTemporaryDir dir;
    auto written = writeAwsCliPutRecords(dir.filePath(QStringLiteral("batch")), QStringLiteral("orders"), store);
    QVERIFY(written.ok());
    QCOMPARE(written.value(), (QStringList{dir.filePath(QStringLiteral("batch-0001.json")), dir.filePath(QStringLiteral("batch-0002.json")),
                                           dir.filePath(QStringLiteral("batch-0003.json"))}));
    int row = 0;
    for (int part = 0; part < 3; ++part) {
        QFile file(written.value()[part]);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonObject doc = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.value(QStringLiteral("StreamName")).toString(), QStringLiteral("orders"));
        const QJsonArray records = doc.value(QStringLiteral("Records")).toArray();
        QCOMPARE(records.size(), part < 2 ? 500 : 201);
        for (const QJsonValue &v : records) {
            const QJsonObject r = v.toObject();
            QCOMPARE(r.value(QStringLiteral("PartitionKey")).toString(), QStringLiteral("k%1").arg(row));
            QCOMPARE(QByteArray::fromBase64(r.value(QStringLiteral("Data")).toString().toLatin1()), QByteArray::number(row));
            QCOMPARE(r.contains(QStringLiteral("ExplicitHashKey")), row == 600);
            ++row;
        }
    }
    QCOMPARE(row, 1201);
}

void TstExport::saveFailureNamesTheFile()
{
    Sample s;
    const QString path = QStringLiteral("/nonexistent-dir/results.jsonl");
    auto saved = saveFile(path, [&](QIODevice &out) { return writeResultsJsonl(out, s.store, s.results); });
    QVERIFY(!saved.ok());
    QVERIFY2(saved.error().message.startsWith(path), qPrintable(saved.error().message));
}

void TstExport::journalOfAStoppedRun_data()
{
    // Journals as a killed kwb put leaves them, written out by hand: the last line about a row
    // decides; a row last said to be in flight is unknown.
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("statuses"); // per index 0, 1, ...: s(ucceeded) p(ending) f(ailed) u(nknown)
    QTest::addColumn<bool>("cut");
    const QByteArray q0 = R"({"index":0,"partitionKey":"a","status":"queued","attempts":0,"data":"MA=="})" "\n";
    const QByteArray q1 = R"({"index":1,"partitionKey":"b","status":"queued","attempts":0,"data":"MQ=="})" "\n";
    const QByteArray sent01 = R"({"status":"inflight","indexes":[0,1]})" "\n";
    const QByteArray ok0 = R"({"index":0,"partitionKey":"a","shardId":"shardId-000000000000","sequenceNumber":"7","status":"succeeded","attempts":1})" "\n";
    QTest::newRow("read, never sent") << q0 + q1 << QStringLiteral("pp") << false;
    QTest::newRow("in flight at the kill") << q0 + q1 + sent01 << QStringLiteral("uu") << false;
    QTest::newRow("one answered") << q0 + q1 + sent01 + ok0 << QStringLiteral("su") << false;
    QTest::newRow("throttled, waiting for a retry")
        << q0 + q1 + sent01 + ok0 + R"({"status":"queued","indexes":[1]})" "\n" << QStringLiteral("sp") << false;
    QTest::newRow("failed for good")
        << q0 + q1 + sent01 + R"({"index":1,"partitionKey":"b","status":"failed","errorCode":"ValidationException","attempts":1,"data":"MQ=="})" "\n"
        << QStringLiteral("uf") << false;
    QTest::newRow("succeeded, verification not done")
        << q0 + R"({"status":"inflight","indexes":[0]})" "\n" + R"({"index":0,"partitionKey":"a","shardId":"s","sequenceNumber":"7","status":"verifying","attempts":1})" "\n"
        << QStringLiteral("s") << false;
    QTest::newRow("cut in the middle of a final line") << q0 + q1 + sent01 + ok0.left(40) << QStringLiteral("uu") << true;
    QTest::newRow("cut in the middle of a queued line") << q0 + q1.left(30) << QStringLiteral("p") << true;
    QTest::newRow("cut in the middle of an inflight line") << q0 + q1 + sent01.left(25) << QStringLiteral("pp") << true;
}

void TstExport::journalOfAStoppedRun()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, statuses);
    QFETCH(bool, cut);
    QBuffer buffer(&content);
    buffer.open(QIODevice::ReadOnly);
    auto read = readResultsJsonl(buffer, QStringLiteral("results.jsonl"));
    QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
    const ResultsFile &f = read.value();
    QCOMPARE(f.cutLastLine, cut);
    QCOMPARE(f.results.size(), int(statuses.size()));
    qint64 unknown = 0;
    for (int row = 0; row < f.results.size(); ++row) {
        QCOMPARE(f.indexes[size_t(row)], qint64(row));
        const QChar want = statuses[row];
        const RowStatus got = f.results.status(row);
        if (want == QLatin1Char('s'))
            QCOMPARE(got, RowStatus::Succeeded);
        else if (want == QLatin1Char('p'))
            QCOMPARE(got, RowStatus::Pending);
        else if (want == QLatin1Char('f'))
            QCOMPARE(got, RowStatus::Failed);
        else
            QCOMPARE(got, RowStatus::Cancelled);
        unknown += want == QLatin1Char('u');
        if (got != RowStatus::Succeeded) // what kwb retry sends: the data of the queued line
            QCOMPARE(f.store.data(row).toByteArray(), QByteArray::number(row));
    }
    QCOMPARE(f.unknownRows, unknown);
}

void TstExport::journalWrittenThenKilled()
{
    // The writer's side of the same: read back without finish(), as a killed run leaves it.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.jsonl"));
    Sample s;
    SendResults fresh;
    fresh.resize(3);
    auto journal = ResultsJournal::open(path);
    QVERIFY(journal.ok());
    for (int row = 0; row < 3; ++row)
        journal.value()->queued(s.store, fresh, row, 10 + row);
    QVERIFY(journal.value()->inFlight({10, 11}).ok());
    journal.value()->final(s.store, s.results, 0, 10); // succeeded
    journal.value()->backToQueue({11});                // throttled, to be retried
    QVERIFY(journal.value()->inFlight({11}).ok());
    QVERIFY(journal.value()->flush().ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto read = readResultsJsonl(file, path);
    QVERIFY(read.ok());
    const ResultsFile &f = read.value();
    QCOMPARE(f.results.size(), 3);
    QCOMPARE(f.indexes, (std::vector<qint64>{10, 11, 12}));
    QCOMPARE(f.results.status(0), RowStatus::Succeeded);
    QCOMPARE(f.results.sequenceNumber(0), s.results.sequenceNumber(0));
    QCOMPARE(f.results.status(1), RowStatus::Cancelled); // sent again when killed: unknown
    QCOMPARE(f.results.errorCode(1), QStringLiteral("InFlightWhenKilled"));
    QCOMPARE(f.store.data(1).toByteArray(), QByteArray("\x00\xff\x10", 3));
    QCOMPARE(f.store.explicitHashKey(1), UInt128(42));
    QCOMPARE(f.results.status(2), RowStatus::Pending); // never sent
    QCOMPARE(f.store.partitionKeyUtf8(2).toByteArray(), QByteArray("\xc3\xa9t\xc3\xa9"));
    QCOMPARE(f.unknownRows, 1);
}

void TstExport::journalFinishKeepsOneLinePerRow()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.jsonl"));
    Sample s;
    SendResults fresh;
    fresh.resize(3);
    auto journal = ResultsJournal::open(path);
    QVERIFY(journal.ok());
    for (int row = 0; row < 3; ++row)
        journal.value()->queued(s.store, fresh, row, row);
    QVERIFY(journal.value()->inFlight({0, 1}).ok());
    journal.value()->backToQueue({1});
    for (int row : {2, 0, 1}) // in the order they became final
        journal.value()->final(s.store, s.results, row, row);
    QVERIFY(journal.value()->finish().ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QJsonObject> lines = parseLines(file.readAll());
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0].value(QStringLiteral("index")).toInt(), 2);
    QCOMPARE(lines[0].value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    QCOMPARE(lines[1].value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(lines[2].value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(QByteArray::fromBase64(lines[2].value(QStringLiteral("data")).toString().toLatin1()), QByteArray("\x00\xff\x10", 3));
}

QTEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
