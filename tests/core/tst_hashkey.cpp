// Partition key hashing and 128-bit decimal parsing.
// Expected digests: RFC 1321 appendix A.5 and Python's hashlib; expected integers: Python's
// int.from_bytes(hashlib.md5(key.encode()).digest(), "big"). Never computed by the code under test.
#include "HashKey.h"

#include <QTest>

using namespace kwb;

class TstHashKey : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void md5Digest_data();
    void md5Digest();
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void printRoundTrip_data();
    void printRoundTrip();
};

void TstHashKey::md5Digest_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<QString>("decimal");
    // RFC 1321 A.5
    QTest::newRow("rfc-empty") << QString() << QByteArray("d41d8cd98f00b204e9800998ecf8427e")
                               << QStringLiteral("281949768489412648962353822266799178366");
    QTest::newRow("rfc-a") << QStringLiteral("a") << QByteArray("0cc175b9c0f1b6a831c399e269772661")
                           << QStringLiteral("16955237001963240173058271559858726497");
    QTest::newRow("rfc-abc") << QStringLiteral("abc") << QByteArray("900150983cd24fb0d6963f7d28e17f72")
                             << QStringLiteral("191415658344158766168031473277922803570");
    QTest::newRow("rfc-message-digest") << QStringLiteral("message digest")
                                        << QByteArray("f96b697d7cb7938d525a2f31aaf161d0")
                                        << QStringLiteral("331535486309434048055371704012530344400");
    // Python hashlib
    QTest::newRow("partition-1") << QStringLiteral("partition-1") << QByteArray("94f940e6c2a31703d6be067b87d67968")
                                 << QStringLiteral("198019941650871988756153596255032211816");
    QTest::newRow("user-42") << QStringLiteral("user-42") << QByteArray("7631bc07a1cc8fcd56e70fc6b2fb4a43")
                             << QStringLiteral("157107139746365290205026809710278036035");
    QTest::newRow("utf8-umlaut") << QStringLiteral("\u00fc-key") << QByteArray("6fa12dacf28c1a2a0616835922205875")
                                 << QStringLiteral("148381193737090631467393180170985691253");
    QTest::newRow("utf8-emoji") << QString::fromUtf8("\xf0\x9f\x99\x82")
                                << QByteArray("5c8d6d302301d0e25c0e051418dff305")
                                << QStringLiteral("123023304065698440416929998732854817541");
}

void TstHashKey::md5Digest()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, hex);
    QFETCH(QString, decimal);
    QCOMPARE(digestToHex(md5(key.toUtf8())), hex);
    QCOMPARE(hashKeyToString(hashPartitionKey(key)), decimal);
}

void TstHashKey::parseValid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("printed");
    QTest::newRow("zero") << QByteArray("0") << QStringLiteral("0");
    QTest::newRow("one") << QByteArray("1") << QStringLiteral("1");
    QTest::newRow("leading-zeros") << QByteArray("000042") << QStringLiteral("42");
    QTest::newRow("2^64") << QByteArray("18446744073709551616") << QStringLiteral("18446744073709551616");
    QTest::newRow("max") << QByteArray("340282366920938463463374607431768211455")
                         << QStringLiteral("340282366920938463463374607431768211455");
    QTest::newRow("max-1") << QByteArray("340282366920938463463374607431768211454")
                           << QStringLiteral("340282366920938463463374607431768211454");
}

void TstHashKey::parseValid()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, printed);
    const auto parsed = parseHashKey(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(hashKeyToString(parsed.value()), printed);
}

void TstHashKey::parseInvalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("empty");
    QTest::newRow("2^128") << QByteArray("340282366920938463463374607431768211456") << QStringLiteral("larger than 2^128-1");
    QTest::newRow("way-too-big") << QByteArray("9999999999999999999999999999999999999999") << QStringLiteral("larger");
    QTest::newRow("minus") << QByteArray("-1") << QStringLiteral("sign");
    QTest::newRow("plus") << QByteArray("+1") << QStringLiteral("sign");
    QTest::newRow("leading-space") << QByteArray(" 1") << QStringLiteral("space at column 1");
    QTest::newRow("trailing-space") << QByteArray("12 ") << QStringLiteral("space at column 3");
    QTest::newRow("hex") << QByteArray("0x10") << QStringLiteral("'x' at column 2");
    QTest::newRow("decimal-point") << QByteArray("1.5") << QStringLiteral("'.' at column 2");
    QTest::newRow("exponent") << QByteArray("1e5") << QStringLiteral("'e' at column 2");
}

void TstHashKey::parseInvalid()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, mentions);
    const auto parsed = parseHashKey(text);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, Error::Kind::Input);
    QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
}

void TstHashKey::printRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("small") << QStringLiteral("7");
    QTest::newRow("2^127") << QStringLiteral("170141183460469231731687303715884105728");
    QTest::newRow("max") << QStringLiteral("340282366920938463463374607431768211455");
}

void TstHashKey::printRoundTrip()
{
    QFETCH(QString, text);
    const auto parsed = parseHashKey(text);
    QVERIFY(parsed.ok());
    QCOMPARE(hashKeyToString(parsed.value()), text);
    char buffer[40];
    const int n = hashKeyToChars(parsed.value(), buffer);
    QCOMPARE(QString::fromLatin1(buffer, n), text);
}

QTEST_GUILESS_MAIN(TstHashKey)
#include "tst_hashkey.moc"
