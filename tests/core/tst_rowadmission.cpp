// RowAdmission: which rows the send engine refuses before sending. Partition key lengths are
// counted in UTF-16 code units as Kinesis counts them (the expected counts are python3's
// len(key.encode('utf-16-le')) // 2); record sizes are partition key + data bytes.
#include "send/RowAdmission.h"

#include <QTest>

using namespace kwb;
using namespace kwb::send;

class TstRowAdmission : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void check_data();
    void check();
    void utf16Length_data();
    void utf16Length();
};

void TstRowAdmission::check_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("maxRecordBytes");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    const qint64 mib = 1024 * 1024;
    QTest::newRow("ordinary") << QByteArray("user-1") << qint64(100) << mib << QString() << QString();
    QTest::newRow("empty key") << QByteArray() << qint64(10) << mib << QStringLiteral("InvalidPartitionKey")
                               << QStringLiteral("the partition key is empty; it needs 1 to 256 characters");
    QTest::newRow("256 ascii") << QByteArray(256, 'k') << qint64(300) << mib << QString() << QString();
    QTest::newRow("257 ascii") << QByteArray(257, 'k') << qint64(300) << mib << QStringLiteral("InvalidPartitionKey")
                               << QStringLiteral("the partition key has 257 characters (UTF-16 code units, as Kinesis "
                                                 "counts them); the limit is 256");
    // 512 bytes of UTF-8 but 256 UTF-16 units: allowed.
    QTest::newRow("256 e-acute") << QString(256, QChar(0xE9)).toUtf8() << qint64(600) << mib << QString() << QString();
    // An emoji is two UTF-16 units: 128 fit, 129 are 258 units.
    QTest::newRow("128 emoji") << QStringLiteral("\U0001F600").repeated(128).toUtf8() << qint64(600) << mib << QString()
                               << QString();
    QTest::newRow("129 emoji") << QStringLiteral("\U0001F600").repeated(129).toUtf8() << qint64(600) << mib
                               << QStringLiteral("InvalidPartitionKey")
                               << QStringLiteral("the partition key has 258 characters (UTF-16 code units, as Kinesis "
                                                 "counts them); the limit is 256");
    QTest::newRow("exactly the max") << QByteArray("k") << mib << mib << QString() << QString();
    QTest::newRow("one byte over") << QByteArray("k") << mib + 1 << mib << QStringLiteral("RecordTooLarge")
                                   << QStringLiteral("the record is 1048577 bytes (partition key + data), over the "
                                                     "stream's maximum record size of 1 MiB");
    QTest::newRow("over a smaller stream max") << QByteArray("k") << qint64(2 * mib) << qint64(1024 * 1024 / 2)
                                               << QStringLiteral("RecordTooLarge")
                                               << QStringLiteral("the record is 2 MiB (partition key + data), over the "
                                                                 "stream's maximum record size of 512 KiB");
}

void TstRowAdmission::check()
{
    QFETCH(QByteArray, key);
    QFETCH(qint64, size);
    QFETCH(qint64, maxRecordBytes);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const Result<void> admitted = RowAdmission::check(key, size, maxRecordBytes);
    QCOMPARE(admitted.ok(), code.isEmpty());
    if (!code.isEmpty()) {
        QCOMPARE(admitted.error().code, code);
        QCOMPARE(admitted.error().message, message);
    }
}

void TstRowAdmission::utf16Length_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("units");
    // The units: python3 len(text.encode('utf-16-le')) // 2.
    QTest::newRow("ascii") << QStringLiteral("abc") << 3;
    QTest::newRow("two-byte") << QStringLiteral("\u00e9t\u00e9") << 3;
    QTest::newRow("three-byte") << QStringLiteral("\u20ac\u6f22") << 2;
    QTest::newRow("four-byte") << QStringLiteral("a\U0001F600b") << 4;
    QTest::newRow("empty") << QString() << 0;
}

void TstRowAdmission::utf16Length()
{
    QFETCH(QString, text);
    QFETCH(int, units);
    QCOMPARE(RowAdmission::utf16Length(text.toUtf8()), units);
}

QTEST_GUILESS_MAIN(TstRowAdmission)
#include "tst_rowadmission.moc"
