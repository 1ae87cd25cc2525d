// Record rules: partition key length in Unicode characters, record size against the stream's limit.
#include "Record.h"
#include "RecordStore.h"
#include "send/SendResults.h"

#include <QTest>

using namespace kwb;

class TstRecord : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copiesAreSnapshots();
    void explicitHashKeysFollowTheirRows();
    void beginRunClearsOutcomesOfTheRunOnly_data();
    void beginRunClearsOutcomesOfTheRunOnly();
    void partitionKeyLength_data();
    void partitionKeyLength();
    void recordSize_data();
    void recordSize();
    void explicitHashKeyOverridesMd5();
};

void TstRecord::partitionKeyLength_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << QString() << false << QStringLiteral("record 7: the partition key is empty");
    QTest::newRow("one") << QStringLiteral("k") << true << QString();
    QTest::newRow("256-ascii") << QString(256, QLatin1Char('a')) << true << QString();
    QTest::newRow("257-ascii") << QString(257, QLatin1Char('a')) << false << QStringLiteral("257 characters (UTF-16 code units, as Kinesis counts them); the limit is 256");
    // Kinesis counts UTF-16 code units: kinesalite accepts 128 emoji (256 units) and rejects
    // more with a ValidationException, so an emoji counts twice.
    QTest::newRow("128-emoji") << QString::fromUtf8("\xf0\x9f\x99\x82").repeated(128) << true << QString();
    QTest::newRow("129-emoji") << QString::fromUtf8("\xf0\x9f\x99\x82").repeated(129) << false << QStringLiteral("258 characters");
    QTest::newRow("256-bmp-accents") << QString(256, QChar(u'\u00e9')) << true << QString();
}

void TstRecord::partitionKeyLength()
{
    QFETCH(QString, key);
    QFETCH(bool, valid);
    QFETCH(QString, mentions);
    const auto result = validatePartitionKey(key, QStringLiteral("record 7"));
    QCOMPARE(result.ok(), valid);
    if (!valid)
        QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
}

void TstRecord::recordSize_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("dataBytes");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("valid");
    const qint64 mib = 1024 * 1024;
    QTest::newRow("exactly-1MiB") << QStringLiteral("k") << mib - 1 << mib << true;
    QTest::newRow("1MiB+1-key-counts") << QStringLiteral("kk") << mib - 1 << mib << false;
    // "ü" is 2 UTF-8 bytes: the key's UTF-8 size counts, not its characters.
    QTest::newRow("utf8-key-bytes-count") << QStringLiteral("\u00fc") << mib - 1 << mib << false;
    QTest::newRow("raised-limit-2MiB") << QStringLiteral("k") << 2 * mib - 1 << 2 * mib << true;
    QTest::newRow("over-raised-limit") << QStringLiteral("k") << 2 * mib << 2 * mib << false;
    QTest::newRow("empty-data") << QStringLiteral("k") << qint64(0) << mib << true;
}

void TstRecord::recordSize()
{
    QFETCH(QString, key);
    QFETCH(qint64, dataBytes);
    QFETCH(qint64, limit);
    QFETCH(bool, valid);
    Record record{key, QByteArray(dataBytes, 'x'), std::nullopt};
    const auto result = validateRecord(record, limit, QStringLiteral("row 3"));
    QCOMPARE(result.ok(), valid);
    if (!valid) {
        QCOMPARE(result.error().code, QStringLiteral("RecordTooLarge"));
        QVERIFY2(result.error().message.startsWith(QStringLiteral("row 3 is ")), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(formatBytes(limit)), qPrintable(result.error().message));
    }
}

void TstRecord::explicitHashKeyOverridesMd5()
{
    Record record{QStringLiteral("abc"), QByteArray("x"), std::nullopt};
    // MD5("abc") read big-endian (RFC 1321 digest, converted with Python)
    QCOMPARE(hashKeyToString(record.hashKey()), QStringLiteral("191415658344158766168031473277922803570"));
    record.explicitHashKey = UInt128(5);
    QCOMPARE(hashKeyToString(record.hashKey()), QStringLiteral("5"));
}

void TstRecord::beginRunClearsOutcomesOfTheRunOnly_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("kept"); // the succeeded row left out of the run
    QTest::newRow("most rows failed before, a gap in the run") << 4 << 2;
    QTest::newRow("few rows failed before, a gap in the run") << 40 << 2;
    QTest::newRow("most rows failed before, one range (Send all)") << 4 << 3;
    QTest::newRow("few rows failed before, one range (Send all)") << 40 << 39;
}

void TstRecord::beginRunClearsOutcomesOfTheRunOnly()
{
    // Row 0 failed, row 1 was cancelled in flight, row `kept` succeeded and stays out of the run,
    // the others are pending. The run's rows are Queued with no outcome left; `kept` keeps its own.
    QFETCH(int, rows);
    QFETCH(int, kept);
    send::SendResults results;
    results.resize(rows);
    results.markFailed(0, QStringLiteral("InternalFailure"), QStringLiteral("boom"), true);
    results.markFailed(1, QStringLiteral("Cancelled"), QStringLiteral("aborted"), true);
    results.setStatus(1, send::RowStatus::Cancelled);
    results.markSucceeded(kept, QStringLiteral("shardId-000000000001"), QStringLiteral("4900"));
    results.setVerifyState(kept, send::VerifyState::Verified);
    std::vector<int> run;
    for (int row = 0; row < rows; ++row)
        if (row != kept)
            run.push_back(row);
    results.beginRun(run);
    for (int row : run) {
        QCOMPARE(results.status(row), send::RowStatus::Queued);
        QCOMPARE(results.errorCode(row), QString());
        QCOMPARE(results.errorMessage(row), QString());
        QVERIFY(!results.retriable(row));
        QCOMPARE(results.shardId(row), QString());
    }
    QCOMPARE(results.status(kept), send::RowStatus::Succeeded);
    QCOMPARE(results.shardId(kept), QStringLiteral("shardId-000000000001"));
    QCOMPARE(results.sequenceNumber(kept), QStringLiteral("4900"));
    QCOMPARE(results.verifyState(kept), send::VerifyState::Verified);
}

void TstRecord::explicitHashKeysFollowTheirRows()
{
    // Only some rows have an explicit hash key; each stays with its row through edits, removal,
    // insertion and block moves, checked against a plain list of what each row should hold.
    RecordStore store;
    std::vector<std::pair<QByteArray, std::optional<UInt128>>> model;
    for (int i = 0; i < 12; ++i) {
        const QByteArray key = "k" + QByteArray::number(i);
        const std::optional<UInt128> ehk = i % 3 == 0 ? std::optional<UInt128>(UInt128(1000 + i)) : std::nullopt;
        store.append(key, QByteArray("d"), ehk);
        model.emplace_back(key, ehk);
    }
    const auto check = [&](const char *step) {
        QCOMPARE(store.size(), int(model.size()));
        for (int row = 0; row < store.size(); ++row) {
            const auto &[key, ehk] = model[size_t(row)];
            const QByteArray where = QByteArray(step) + " row " + QByteArray::number(row);
            QVERIFY2(store.partitionKeyUtf8(row) == QByteArrayView(key), where.constData());
            QVERIFY2(store.optionalExplicitHashKey(row) == ehk, where.constData());
            QVERIFY2(store.hashKey(row) == (ehk ? *ehk : hashPartitionKey(key)), where.constData());
        }
    };
    check("appended");
    store.setExplicitHashKey(1, UInt128(7)); // a row without one gets one
    model[1].second = UInt128(7);
    store.setExplicitHashKey(3, std::nullopt); // a row loses its own
    model[3].second = std::nullopt;
    store.setExplicitHashKey(6, UInt128(8)); // and one is replaced
    model[6].second = UInt128(8);
    check("edited");
    store.removeRows({0, 4, 5});
    model.erase(model.begin() + 5);
    model.erase(model.begin() + 4);
    model.erase(model.begin());
    check("removed");
    store.insert(2, Record{QStringLiteral("new"), QByteArray("x"), UInt128(9)});
    model.insert(model.begin() + 2, {QByteArray("new"), UInt128(9)});
    check("inserted");
    store.append(QByteArray("tail-a"), QByteArray("x"), UInt128(10));
    store.append(QByteArray("tail-b"), QByteArray("x"));
    store.moveTailTo(1, 2);
    model.insert(model.begin() + 1, {{QByteArray("tail-a"), UInt128(10)}, {QByteArray("tail-b"), std::nullopt}});
    check("moved");
    store.setExplicitHashKey(4, std::nullopt);
    store.setExplicitHashKey(4, UInt128(11)); // cleared, then a key again
    model[4].second = UInt128(11);
    check("set again");
}

void TstRecord::copiesAreSnapshots()
{
    // A copy for a worker shares the columns (no per-row cost) and never sees the owner's later
    // writes; the owner's first write copies the column it changes.
    RecordStore store;
    for (int i = 0; i < 5; ++i)
        store.append(QByteArray::number(i), QByteArray("data-") + QByteArray::number(i));
    send::SendResults results;
    results.resize(5);
    results.markSucceeded(1, QStringLiteral("shardId-000000000001"), QStringLiteral("49000"));

    const RecordStore storeCopy = store;
    const send::SendResults resultsCopy = results;
    QVERIFY(results.isShared());
    store.setData(2, QByteArray("changed"));
    store.setExplicitHashKey(3, UInt128(7));
    store.insert(0, Record{QStringLiteral("new"), QByteArray("x"), std::nullopt});
    store.removeRows({5});
    store.moveTailTo(0, 1);
    results.markFailed(1, QStringLiteral("InternalFailure"), QStringLiteral("boom"), true);
    results.beginRun({0, 2});
    results.resize(6);
    QVERIFY(!results.isShared());

    QCOMPARE(storeCopy.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(storeCopy.partitionKeyUtf8(i).toByteArray(), QByteArray::number(i));
        QCOMPARE(storeCopy.data(i).toByteArray(), QByteArray("data-") + QByteArray::number(i));
        QVERIFY(!storeCopy.hasExplicitHashKey(i));
    }
    QCOMPARE(resultsCopy.size(), 5);
    QCOMPARE(resultsCopy.status(1), send::RowStatus::Succeeded);
    QCOMPARE(resultsCopy.shardId(1), QStringLiteral("shardId-000000000001"));
    QCOMPARE(resultsCopy.sequenceNumber(1), QStringLiteral("49000"));
    QCOMPARE(resultsCopy.errorCode(1), QString());
    // And the owner has its changes.
    QCOMPARE(store.size(), 5);
    QCOMPARE(results.status(1), send::RowStatus::Failed);
    QCOMPARE(results.errorCode(1), QStringLiteral("InternalFailure"));
}

QTEST_GUILESS_MAIN(TstRecord)
#include "tst_record.moc"
