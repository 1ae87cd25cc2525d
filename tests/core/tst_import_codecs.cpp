// The importer's building blocks: base64 and hex decoding (the AVX2 and scalar paths against
// QByteArray's decoders), character counting for columns, the eight-lane MD5 against
// kwb::hashPartitionKey, and the JSON syntax checker's locations and messages.
#include "HashKey.h"
#include "import/DataDecoder.h"
#include "import/JsonSyntaxChecker.h"
#include "import/Md5Lanes.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace kwb;
using namespace kwb::import;

class TstImportCodecs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void base64MatchesQt();
    void base64Errors_data();
    void base64Errors();
    void hex_data();
    void hex();
    void describeCharacter_data();
    void describeCharacter();
    void countCharacters();
    void md5LanesMatchHashPartitionKey();
    void syntaxChecker_data();
    void syntaxChecker();
};

void TstImportCodecs::base64MatchesQt()
{
    // Every length from 0 to 300 (the AVX2 path takes 32 characters at a time, the rest is
    // scalar), with and without padding, random bytes.
    QRandomGenerator random(7);
    for (int length = 0; length <= 300; ++length) {
        QByteArray bytes(length, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        for (bool padded : {true, false}) {
            const QByteArray text = bytes.toBase64(padded ? QByteArray::Base64Encoding : QByteArray::OmitTrailingEquals);
            QByteArray out(DataDecoder::maxDecodedSize(DataEncoding::Base64, text.size()), Qt::Uninitialized);
            DataDecoder::Failure failure;
            const qsizetype n = DataDecoder::decodeBase64(text, out.data(), &failure);
            QVERIFY2(n >= 0, qPrintable(QStringLiteral("length %1: %2").arg(length).arg(failure.detail)));
            QCOMPARE(out.left(n), bytes);
        }
    }
    // A bad character in each position of a long value is found exactly, SIMD block or not.
    const QByteArray good = QByteArray(90, 'x').toBase64();
    for (int at = 0; at < good.size() - 4; ++at) {
        QByteArray bad = good;
        bad[at] = '%';
        QByteArray out(DataDecoder::maxDecodedSize(DataEncoding::Base64, bad.size()), Qt::Uninitialized);
        DataDecoder::Failure failure;
        QCOMPARE(DataDecoder::decodeBase64(bad, out.data(), &failure), qsizetype(-1));
        QCOMPARE(failure.position, qsizetype(at + 1));
        QCOMPARE(failure.detail, QStringLiteral("character '%' at position %1").arg(at + 1));
    }
}

void TstImportCodecs::base64Errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("detail");
    QTest::newRow("percent") << QByteArray("aGVsbG8gd29y%GQ=") << QStringLiteral("character '%' at position 13");
    QTest::newRow("space") << QByteArray("aGVs bG8=") << QStringLiteral("a space at position 5");
    QTest::newRow("line break") << QByteArray("aGVs\nbG8=") << QStringLiteral("a line break at position 5");
    QTest::newRow("url-safe alphabet") << QByteArray("ab-_") << QStringLiteral("character '-' at position 3");
    QTest::newRow("padding in the middle") << QByteArray("aGk=aGk=") << QStringLiteral("character '=' at position 4");
    QTest::newRow("three pads") << QByteArray("aG===") << QStringLiteral("character '=' at position 3");
    QTest::newRow("one too many") << QByteArray("aGVsb") << QStringLiteral("it has 5 characters; base64 comes in groups of 4");
    QTest::newRow("wrong padding") << QByteArray("aGVsbG8==") << QStringLiteral("it has 9 characters; base64 comes in groups of 4");
    QTest::newRow("non-ASCII") << QByteArray("aGV\xc3\xa9") << QStringLiteral("character '\u00e9' at position 4");
    QTest::newRow("invalid UTF-8") << QByteArray("aG\xff=") << QStringLiteral("byte 0xFF at position 3");
}

void TstImportCodecs::base64Errors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, detail);
    QByteArray out(DataDecoder::maxDecodedSize(DataEncoding::Base64, text.size()), Qt::Uninitialized);
    DataDecoder::Failure failure;
    QCOMPARE(DataDecoder::decodeBase64(text, out.data(), &failure), qsizetype(-1));
    QCOMPARE(failure.detail, detail);
}

void TstImportCodecs::hex_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("detail");
    QTest::newRow("empty") << QByteArray() << QByteArray() << QString();
    QTest::newRow("mixed case") << QByteArray("00ffAB7f") << QByteArray("\x00\xff\xab\x7f", 4) << QString();
    QTest::newRow("odd") << QByteArray("abc") << QByteArray() << QStringLiteral("it has 3 hex digits; hex needs two per byte");
    QTest::newRow("bad digit") << QByteArray("0g") << QByteArray() << QStringLiteral("character 'g' at position 2");
    QTest::newRow("bad last of odd") << QByteArray("00z") << QByteArray() << QStringLiteral("character 'z' at position 3");
    QTest::newRow("prefix") << QByteArray("0x00") << QByteArray() << QStringLiteral("character 'x' at position 2");
}

void TstImportCodecs::hex()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, detail);
    QByteArray out(DataDecoder::maxDecodedSize(DataEncoding::Hex, text.size()), Qt::Uninitialized);
    DataDecoder::Failure failure;
    const qsizetype n = DataDecoder::decodeHex(text, out.data(), &failure);
    if (detail.isEmpty()) {
        QCOMPARE(out.left(n), bytes);
    } else {
        QCOMPARE(n, qsizetype(-1));
        QCOMPARE(failure.detail, detail);
    }
}

void TstImportCodecs::describeCharacter_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("described");
    QTest::newRow("ascii") << QByteArray("a%b") << 1 << QStringLiteral("'%'");
    QTest::newRow("space") << QByteArray(" ") << 0 << QStringLiteral("a space");
    QTest::newRow("tab") << QByteArray("\t") << 0 << QStringLiteral("a tab");
    QTest::newRow("cr") << QByteArray("\r") << 0 << QStringLiteral("a carriage return");
    QTest::newRow("nul") << QByteArray("\0", 1) << 0 << QStringLiteral("byte 0x00");
    QTest::newRow("two-byte") << QByteArray("\xc3\xa9") << 0 << QStringLiteral("'\u00e9'");
    QTest::newRow("four-byte") << QByteArray("\xf0\x9f\x99\x82") << 0 << QStringLiteral("'\U0001F642'");
    QTest::newRow("cut sequence") << QByteArray("\xe4\xb8") << 0 << QStringLiteral("byte 0xE4");
    QTest::newRow("past the end") << QByteArray("a") << 1 << QStringLiteral("the end");
}

void TstImportCodecs::describeCharacter()
{
    QFETCH(QByteArray, text);
    QFETCH(int, offset);
    QFETCH(QString, described);
    QCOMPARE(DataDecoder::describeCharacter(text, offset), described);
}

void TstImportCodecs::countCharacters()
{
    const QByteArray text = QStringLiteral("a\u00e9\u4e2d\U0001F642 plain ASCII text that is longer than eight bytes \u00fc")
                                .toUtf8();
    const QString reference = QString::fromUtf8(text);
    QCOMPARE(DataDecoder::countCharacters(text.constData(), text.constData() + text.size()),
             qint64(reference.toUcs4().size()));
    for (int cut = 0; cut <= text.size(); ++cut) {
        qint64 expected = 0;
        for (int i = 0; i < cut; ++i)
            expected += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        QCOMPARE(DataDecoder::countCharacters(text.constData(), text.constData() + cut), expected);
    }
    QCOMPARE(DataDecoder::characterPosition(text, 3), qsizetype(3)); // after "a" and "é"
}

void TstImportCodecs::md5LanesMatchHashPartitionKey()
{
    QRandomGenerator random(11);
    std::vector<QByteArray> storage;
    // Lengths around the one-block limit (55) and beyond, empty keys, counts that leave lanes unused.
    for (int length = 0; length <= 130; ++length) {
        QByteArray key(length, Qt::Uninitialized);
        for (char &c : key)
            c = char(random.bounded(256));
        storage.push_back(key);
    }
    for (int i = 0; i < 1000; ++i)
        storage.push_back("user-" + QByteArray::number(i));
    for (size_t count : {size_t(1), size_t(7), size_t(8), size_t(9), storage.size()}) {
        std::vector<QByteArrayView> keys(storage.begin(), storage.begin() + qsizetype(count));
        std::vector<UInt128> hashes(count);
        Md5Lanes::hashKeys(keys.data(), hashes.data(), qsizetype(count));
        for (size_t i = 0; i < count; ++i)
            QVERIFY2(hashes[i] == hashPartitionKey(keys[i]),
                     qPrintable(QStringLiteral("key %1 of %2 (%3 bytes)").arg(i).arg(count).arg(keys[i].size())));
    }
    // The known value: MD5("abc") read big-endian.
    const QByteArrayView abc("abc");
    UInt128 hash = 0;
    Md5Lanes::hashKeys(&abc, &hash, 1);
    QCOMPARE(hashKeyToString(hash), QStringLiteral("191415658344158766168031473277922803570"));
}

void TstImportCodecs::syntaxChecker_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");
    QTest::newRow("valid") << QByteArray(R"( {"a": [1, -2.5e3, true, null, "x\u00e9"]} )") << -1 << QString();
    QTest::newRow("unterminated string") << QByteArray(R"({"a":"bc)") << 5
                                         << QStringLiteral("unterminated string; a closing '\"' is missing");
    QTest::newRow("line break in string") << QByteArray("{\"a\":\"b\nc\"}") << 5
                                          << QStringLiteral("unterminated string; a closing '\"' is missing");
    QTest::newRow("tab in string") << QByteArray("[\"a\tb\"]") << 3
                                   << QStringLiteral("a tab inside a string; escape it (\\t, \\r, \\u00XX)");
    QTest::newRow("bad escape") << QByteArray(R"(["\x"])") << 2
                                << QStringLiteral("invalid escape \\x in a string; write a backslash as \\\\");
    QTest::newRow("bad unicode escape") << QByteArray(R"(["\u12g4"])") << 2
                                        << QStringLiteral("invalid \\u escape in a string; it needs four hex digits");
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << 5
                                   << QStringLiteral("expected ':' after the member name, found '1'");
    QTest::newRow("unquoted name") << QByteArray(R"({a:1})") << 1
                                   << QStringLiteral("expected a member name in double quotes, found 'a'");
    QTest::newRow("single quotes") << QByteArray(R"({"a":'x'})") << 5
                                   << QStringLiteral("expected a value (a string, number, object, array, true, false or "
                                                     "null), found '''");
    QTest::newRow("trailing comma in array") << QByteArray("[1,]") << 3
                                             << QStringLiteral("a comma before ']' with no element after it; remove the comma");
    QTest::newRow("missing bracket") << QByteArray("[1,2") << 4
                                     << QStringLiteral("the JSON ends inside an array; a ']' is missing");
    QTest::newRow("missing brace") << QByteArray(R"({"a":1)") << 6
                                   << QStringLiteral("the JSON ends inside an object; a '}' is missing");
    QTest::newRow("leading zero") << QByteArray("[012]") << 1
                                  << QStringLiteral("invalid number; JSON numbers look like -12, 3.5 or 1e6 (no leading "
                                                    "zeros, no '+', digits after '.')");
    QTest::newRow("dot without digits") << QByteArray("[1.]") << 1
                                        << QStringLiteral("invalid number; JSON numbers look like -12, 3.5 or 1e6 (no "
                                                          "leading zeros, no '+', digits after '.')");
    QTest::newRow("bad literal") << QByteArray("[nul]") << 1
                                 << QStringLiteral("invalid literal; expected true, false or null (strings need double quotes)");
    QTest::newRow("invalid UTF-8") << QByteArray("[\"a\xff\"]") << 3
                                   << QStringLiteral("invalid UTF-8 (byte 0xFF) in a string; the file must be UTF-8");
    QTest::newRow("overlong UTF-8") << QByteArray("[\"\xc0\xaf\"]") << 2
                                    << QStringLiteral("invalid UTF-8 (byte 0xC0) in a string; the file must be UTF-8");
    QTest::newRow("two values") << QByteArray("{} {}") << 3
                                << QStringLiteral("unexpected '{' after the end of the JSON value; remove it, or put one "
                                                  "value per line");
    QTest::newRow("only whitespace") << QByteArray("  ") << 2 << QStringLiteral("there is no JSON value, only whitespace");
}

void TstImportCodecs::syntaxChecker()
{
    QFETCH(QByteArray, json);
    QFETCH(int, offset);
    QFETCH(QString, message);
    const auto finding = JsonSyntaxChecker::check(json);
    QCOMPARE(finding.ok, offset < 0);
    if (offset >= 0) {
        QCOMPARE(finding.message, message);
        QCOMPARE(finding.offset, qsizetype(offset));
    }
}

QTEST_GUILESS_MAIN(TstImportCodecs)
#include "tst_import_codecs.moc"
