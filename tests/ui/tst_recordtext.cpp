// Previews, UTF-8 checks, hex / base64 / JSON conversions used by the table and the editor.
#include "models/RecordText.h"

#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstRecordText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void utf8_data();
    void utf8();
    void previewCutsCleanly();
    void hexRoundTrip();
    void hexErrors_data();
    void hexErrors();
    void base64_data();
    void base64();
    void json();
};

void TstRecordText::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("validCut");
    QTest::newRow("ascii") << QByteArray("hello") << true << true;
    QTest::newRow("two bytes") << QByteArray("h\xc3\xa9") << true << true;
    QTest::newRow("cut two bytes") << QByteArray("h\xc3") << false << true;
    QTest::newRow("cut four bytes") << QByteArray("\xf0\x9f\x98") << false << true;
    QTest::newRow("stray continuation") << QByteArray("\x80") << false << false;
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << false << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false << false;
    QTest::newRow("emoji") << QByteArray("\xf0\x9f\x98\x80") << true << true;
}

void TstRecordText::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QFETCH(bool, validCut);
    QCOMPARE(RecordText::isValidUtf8(bytes), valid);
    QCOMPARE(RecordText::isValidUtf8(bytes, true), validCut);
}

void TstRecordText::previewCutsCleanly()
{
    // 70 two-byte characters: the preview window ends inside none of them.
    const QByteArray text = QString(70, QChar(u'\u00e9')).toUtf8();
    const QString preview = RecordText::preview(text, 64);
    QCOMPARE(preview, QString(64, QChar(u'\u00e9')) + QChar(0x2026));
    QCOMPARE(RecordText::preview(QByteArray("a\\b\x01", 4)), QStringLiteral("a\\\\b\\x01"));
    QCOMPARE(RecordText::preview(QByteArray()), QString());
    QVERIFY(!RecordText::isText(QByteArray("a\0b", 3)));
    QVERIFY(RecordText::isText(QByteArray("a\tb\r\n")));
}

void TstRecordText::hexRoundTrip()
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    const QString hex = RecordText::toHex(all);
    QCOMPARE(hex.count(QLatin1Char('\n')), 15);
    QVERIFY(hex.startsWith(QStringLiteral("00 01 02")));
    QCOMPARE(RecordText::parseHex(hex).value(), all);
    QCOMPARE(RecordText::parseHex(QStringLiteral("0xDEAD beef\n0x00")).value(), QByteArray("\xde\xad\xbe\xef\x00", 5));
    QCOMPARE(RecordText::parseHex(QString()).value(), QByteArray());
}

void TstRecordText::hexErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words");
    QTest::newRow("odd") << QStringLiteral("abc") << QStringLiteral("character 3");
    QTest::newRow("not hex") << QStringLiteral("ab zz") << QStringLiteral("\"z\" at character 4");
}

void TstRecordText::hexErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, words);
    const auto r = RecordText::parseHex(text);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(words), qPrintable(r.error().message));
}

void TstRecordText::base64_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("ok");
    QTest::newRow("padded") << QStringLiteral("aGVsbG8=") << QByteArray("hello") << true;
    QTest::newRow("unpadded") << QStringLiteral("aGVsbG8") << QByteArray("hello") << true;
    QTest::newRow("wrapped") << QStringLiteral("aGVs\nbG8=") << QByteArray("hello") << true;
    QTest::newRow("url safe") << QStringLiteral("-_8") << QByteArray("\xfb\xff") << true;
    QTest::newRow("bad char") << QStringLiteral("aGV*") << QByteArray() << false;
    QTest::newRow("one too many") << QStringLiteral("aGVsb") << QByteArray() << false;
}

void TstRecordText::base64()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, ok);
    const auto r = RecordText::parseBase64(text);
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(r.value(), bytes);
    QByteArray big(1000, '\xab');
    QCOMPARE(RecordText::parseBase64(RecordText::toBase64(big)).value(), big);
}

void TstRecordText::json()
{
    const auto pretty = RecordText::formatJson(QByteArray(R"({"a":[1,2],"b":{"c":"d"}})"), true);
    QVERIFY(pretty.ok());
    QCOMPARE(pretty.value(), QByteArray("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}"));
    QCOMPARE(RecordText::formatJson(pretty.value(), false).value(), QByteArray(R"({"a":[1,2],"b":{"c":"d"}})"));
    const auto bad = RecordText::formatJson(QByteArray("{\n  \"a\": 1,\n  \"b\" 2\n}"), true);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.contains(QStringLiteral("line 3")), qPrintable(bad.error().message));
}

QTEST_GUILESS_MAIN(TstRecordText)
#include "tst_recordtext.moc"
