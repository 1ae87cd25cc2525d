// The generator: template parsing and errors, every helper, seeded reproducibility, JSON escaping,
// the shipped samples and KDG's documented templates, rate schedules, load forecasts and pacing.
// Expected values come from outside the code under test: dates from QDateTime and moment.js's own
// documented examples (KDG's help page), JSON validity from Python's json module, UUID and
// address shapes from their RFC grammars written as regular expressions.
#include "ShardMap.h"
#include "generate/GeneratorSource.h"
#include "generate/Helpers.h"
#include "generate/LoadForecast.h"
#include "generate/Pacer.h"
#include "generate/RateSchedule.h"
#include "generate/RecordGenerator.h"
#include "generate/ReplayFeed.h"
#include "generate/Template.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::generate;

namespace {

QString sourceFile(const QString &relative)
{
    return QDir(qEnvironmentVariable("KWB_SOURCE_DIR")).filePath(relative);
}

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QString::fromUtf8(f.readAll());
}

/// Renders `text` once per seed step with a fixed clock.
QByteArray renderOnce(const QString &text, quint64 seed = 7, qint64 epochMs = 1266161150000)
{
    auto t = Template::parse(text, QStringLiteral("t"));
    if (!t.ok())
        qFatal("%s", qPrintable(t.error().message));
    RenderState state;
    state.rng.reseed(seed);
    state.epochMs = epochMs;
    state.index = 41;
    state.elapsedMs = 1234;
    state.runId = "00000000-0000-4000-8000-000000000000";
    QByteArray out;
    t.value().render(state, out);
    return out;
}

/// Python's json module reads every line; the empty string when all parse, else its complaint.
QString pythonJsonErrors(const QByteArray &jsonLines)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import json, sys\n"
                                 "for n, line in enumerate(sys.stdin.buffer.read().split(b'\\x1e')):\n"
                                 "    try:\n"
                                 "        json.loads(line.decode('utf-8'))\n"
                                 "    except Exception as e:\n"
                                 "        print('record', n, e, line[:200]); sys.exit(1)\n")});
    if (!python.waitForStarted())
        return QStringLiteral("python3 did not start");
    python.write(jsonLines);
    python.closeWriteChannel();
    python.waitForFinished(60000);
    return python.exitCode() == 0 ? QString() : QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError());
}

/// `count` records of a generator, separated by ASCII record separators for pythonJsonErrors().
QByteArray dataOf(RecordGenerator generator, int count)
{
    QByteArray all;
    GeneratedRecord r;
    for (int i = 0; i < count; ++i) {
        if (auto made = generator.next(1700000000000 + i, r); !made.ok())
            qFatal("%s", qPrintable(made.error().message));
        if (i > 0)
            all.append('\x1e');
        all.append(r.data);
    }
    return all;
}

/// The error of a failed result, for QVERIFY2 (which builds its message before it checks).
template<typename T>
QString why(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().message;
}

} // namespace

class TstGenerate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helperShapes_data();
    void helperShapes();
    void everyHelperIsCovered();
    void numberRanges_data();
    void numberRanges();
    void weightedChoiceFollowsWeights();
    void momentFormats_data();
    void momentFormats();
    void currentValues();
    void errors_data();
    void errors();
    void seededRunsAreIdentical();
    void keyAndExplicitHashKey();
    void keyErrors();
    void jsonEscaping();
    void samplesAndKdgTemplatesGiveValidJson_data();
    void samplesAndKdgTemplatesGiveValidJson();
    void kdgCsvTemplate();
    void rateSchedule();
    void rampAndBursts();
    void parseOptions();
    void forecast();
    void pacerKeepsTheRate();
    void pacerPauseAndBackpressure();
    void simulatedClock();
    void largeRecordsMakeSmallerChunks();
    void replayByTimestamps();
    void replayLoopsAndRestamps();
    void replayErrors();

private:
    QTemporaryDir m_dir;
    QString writeLines(const QString &name, const QByteArray &lines);
};

void TstGenerate::helperShapes_data()
{
    QTest::addColumn<QString>("placeholder");
    QTest::addColumn<QString>("pattern");
    const auto row = [](const char *p, const char *re) { QTest::newRow(p) << QString::fromLatin1(p) << QString::fromLatin1(re); };
    // Text templates: the values as they are.
    row("{{random.number}}", "^[0-9]{1,5}$");
    row("{{random.float}}", "^[0-9]{1,5}(\\.[0-9]{1,2})?$");
    row("{{random.boolean}}", "^(true|false)$");
    // RFC 9562 version 4 UUID.
    row("{{random.uuid}}", "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    row("{{random.arrayElement([\"OK\",\"WARN\"])}}", "^(OK|WARN)$");
    row("{{random.weightedArrayElement({\"weights\":[1,0],\"data\":[\"a\",\"b\"]})}}", "^a$");
    row("{{random.word}}", "^[a-z]+$");
    row("{{random.words(4)}}", "^[a-z]+( [a-z]+){3}$");
    row("{{random.words}}", "^[a-z]+( [a-z]+){0,2}$");
    row("{{random.alphaNumeric(12)}}", "^[a-z0-9]{12}$");
    row("{{random.hexaDecimal(6)}}", "^0x[0-9a-f]{6}$");
    row("{{name.firstName}}", "^[A-Z][a-z]+$");
    row("{{name.lastName}}", "^[A-Z][A-Za-z]+$");
    row("{{name.findName}}", "^[A-Z][a-z]+ [A-Z][A-Za-z]+$");
    row("{{name.prefix}}", "^(Mr\\.|Mrs\\.|Ms\\.|Miss|Dr\\.)$");
    row("{{name.suffix}}", "^[A-Za-z.]+$");
    row("{{name.jobTitle}}", "^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+$");
    row("{{internet.email}}", "^[a-z]+\\.[a-z]+[0-9]{1,2}@[a-z.]+\\.(com|net|org|example)$");
    row("{{internet.exampleEmail}}", "^[a-z]+\\.[a-z]+@example\\.com$");
    row("{{internet.userName}}", "^[A-Z][a-z]+[._][A-Z][A-Za-z]+[0-9]{1,2}$");
    row("{{internet.domainWord}}", "^[a-z]+$");
    row("{{internet.domainName}}", "^[a-z]+\\.[a-z]{2,4}$");
    row("{{internet.url}}", "^https?://[a-z]+\\.[a-z]{2,4}$");
    row("{{internet.protocol}}", "^https?$");
    row("{{internet.ip}}", "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
    row("{{internet.ipv6}}", "^[0-9a-f]{4}(:[0-9a-f]{4}){7}$");
    row("{{internet.mac}}", "^[0-9a-f]{2}(:[0-9a-f]{2}){5}$");
    row("{{internet.port}}", "^[0-9]{1,5}$");
    row("{{internet.userAgent}}", "^(Mozilla/5\\.0 \\(|curl/)");
    row("{{internet.color}}", "^#[0-9a-f]{6}$");
    row("{{internet.httpMethod}}", "^(GET|POST|PUT|DELETE|PATCH)$");
    row("{{address.city}}", "^[A-Z][A-Za-z ]+$");
    row("{{address.state}}", "^[A-Z][A-Za-z ]+$");
    row("{{address.stateAbbr}}", "^[A-Z]{2}$");
    row("{{address.country}}", "^[A-Z][A-Za-z ]+$");
    row("{{address.countryCode}}", "^[A-Z]{2}$");
    row("{{address.streetName}}", "^[A-Z][a-z]+ [A-Z][a-z]+$");
    row("{{address.streetAddress}}", "^[1-9][0-9]{0,3} [A-Z][a-z]+ [A-Z][a-z]+$");
    row("{{address.zipCode}}", "^[0-9]{5}$");
    row("{{address.latitude}}", "^-?[0-9]{1,2}\\.[0-9]{4}$");
    row("{{address.longitude}}", "^-?[0-9]{1,3}\\.[0-9]{4}$");
    row("{{date.past}}", "^20(09|10)-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$");
    row("{{date.future(2)}}", "^20(10|11|12)-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$");
    row("{{date.recent}}", "^2010-02-1[34]T[0-9:.]{12}Z$");
    row("{{date.soon(1)}}", "^2010-02-1[45]T[0-9:.]{12}Z$");
    row("{{date.month}}", "^(January|February|March|April|May|June|July|August|September|October|November|December)$");
    row("{{date.weekday}}", "^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day$");
    row("{{date.simTime}}", "^2010-02-14T15:25:50Z$");
    row("{{lorem.word}}", "^[a-z]+$");
    row("{{lorem.words}}", "^[a-z]+ [a-z]+ [a-z]+$");
    row("{{lorem.words(1)}}", "^[a-z]+$");
    row("{{lorem.slug}}", "^[a-z]+-[a-z]+-[a-z]+$");
    row("{{lorem.sentence}}", "^[A-Z][a-z]*( [a-z]+){2,9}\\.$");
    row("{{lorem.sentence(5)}}", "^[A-Z][a-z]*( [a-z]+){4}\\.$");
    row("{{lorem.sentences(2)}}", "^[A-Z][a-z ]+\\. [A-Z][a-z ]+\\.$");
    row("{{lorem.paragraph(1)}}", "^[A-Z][a-z ]+\\.$");
    row("{{commerce.productName}}", "^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+$");
    row("{{commerce.product}}", "^[A-Z][a-z]+$");
    row("{{commerce.productAdjective}}", "^[A-Z][a-z]+$");
    row("{{commerce.productMaterial}}", "^[A-Z][a-z]+$");
    row("{{commerce.department}}", "^[A-Z][a-z]+$");
    row("{{commerce.color}}", "^[a-z]+$");
    row("{{commerce.price}}", "^[0-9]{1,4}\\.[0-9]{2}$");
    row("{{commerce.price(5, 10)}}", "^([5-9]\\.[0-9]{2}|10\\.00)$");
    row("{{company.companyName}}", "^[A-Z][A-Za-z]+ [A-Za-z ]+$");
    row("{{current.sequence}}", "^41$");
    row("{{current.timestamp}}", "^1266161150000$");
    row("{{current.elapsed}}", "^1234$");
    row("{{current.runId}}", "^00000000-0000-4000-8000-000000000000$");
    row("{{date.utc}}", "^2010-02-14T15:25:50Z$");
    row("{{ random.number( 3 ) | raw }}", "^[0-3]$");
}

void TstGenerate::helperShapes()
{
    QFETCH(QString, placeholder);
    QFETCH(QString, pattern);
    const QRegularExpression re(pattern);
    QVERIFY(re.isValid());
    // 200 seeds: every list entry that can come out must fit.
    for (quint64 seed = 0; seed < 200; ++seed) {
        const QString value = QString::fromUtf8(renderOnce(placeholder, seed));
        QVERIFY2(re.match(value).hasMatch(), qPrintable(QStringLiteral("%1 gave '%2'").arg(placeholder, value)));
    }
}

void TstGenerate::everyHelperIsCovered()
{
    // A helper added without a row in helperShapes fails here.
    QStringList covered;
    QTest::addColumn<QString>("x"); // unused, keeps QFETCH-free data access simple
    const QString source = readText(sourceFile(QStringLiteral("tests/core/tst_generate.cpp")));
    for (const HelperInfo &info : helpers::all())
        QVERIFY2(source.contains(QStringLiteral("{{%1").arg(info.name)) || source.contains(QStringLiteral("{{ %1").arg(info.name)),
                 qPrintable(QStringLiteral("no shape test for %1").arg(info.name)));
    QVERIFY(helpers::all().size() >= 60);
}

void TstGenerate::numberRanges_data()
{
    QTest::addColumn<QString>("placeholder");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<int>("decimals");
    QTest::newRow("max") << "{{random.number(70)}}" << 0.0 << 70.0 << 0;
    QTest::newRow("min max object") << "{{random.number({\"min\":10,\"max\":150})}}" << 10.0 << 150.0 << 0;
    QTest::newRow("min max positional") << "{{random.number(-5, 5)}}" << -5.0 << 5.0 << 0;
    QTest::newRow("precision") << "{{random.number({\"min\":1,\"max\":2,\"precision\":0.01})}}" << 1.0 << 2.0 << 2;
    QTest::newRow("one value") << "{{random.number({\"min\":7,\"max\":7})}}" << 7.0 << 7.0 << 0;
    QTest::newRow("float") << "{{random.float({\"min\":0,\"max\":1})}}" << 0.0 << 1.0 << 2;
}

void TstGenerate::numberRanges()
{
    QFETCH(QString, placeholder);
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(int, decimals);
    double seenLow = 1e300, seenHigh = -1e300;
    for (quint64 seed = 0; seed < 3000; ++seed) {
        const QByteArray text = renderOnce(placeholder, seed);
        bool ok = false;
        const double v = text.toDouble(&ok);
        QVERIFY2(ok, text.constData());
        QVERIFY2(v >= low && v <= high, text.constData());
        const qsizetype dot = text.indexOf('.');
        QVERIFY2(dot < 0 || text.size() - dot - 1 <= decimals, text.constData());
        seenLow = std::min(seenLow, v);
        seenHigh = std::max(seenHigh, v);
    }
    // Both ends come out: the range is inclusive, as in faker.js.
    QCOMPARE(seenLow, low);
    QCOMPARE(seenHigh, high);
}

void TstGenerate::weightedChoiceFollowsWeights()
{
    auto t = Template::parse(readText(sourceFile(QStringLiteral("tests/data/generate/kdg-weighted.json"))), QStringLiteral("w"));
    QVERIFY(t.ok());
    RenderState state;
    state.rng.reseed(99);
    QHash<QByteArray, int> counts;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        QByteArray out;
        t.value().render(state, out);
        counts[out.trimmed()]++;
    }
    // KDG's documented weights 0.3/0.2/0.5; 100,000 draws put each share within 1 % (> 6 sigma).
    QCOMPARE(counts.size(), 3);
    QVERIFY(std::abs(counts.value("{\"pet\": \"cat\"}") / double(n) - 0.3) < 0.01);
    QVERIFY(std::abs(counts.value("{\"pet\": \"fish\"}") / double(n) - 0.2) < 0.01);
    QVERIFY(std::abs(counts.value("{\"pet\": \"dog\"}") / double(n) - 0.5) < 0.01);
}

void TstGenerate::momentFormats_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("expected");
    // moment.js's documented examples as KDG's help page lists them, for Sunday 14 February 2010
    // 15:25:50 UTC; the rest from QDateTime's own formatting of the same instant.
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(1266161150123, Qt::UTC);
    QTest::newRow("long") << "dddd, MMMM Do YYYY, h:mm:ss a" << "Sunday, February 14th 2010, 3:25:50 pm";
    QTest::newRow("short") << "ddd, hA" << "Sun, 3PM";
    QTest::newRow("iso") << "YYYY-MM-DD HH:mm:ss.SSS" << t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    QTest::newRow("clf") << "DD/MMM/YYYY:HH:mm:ss ZZ" << t.toString(QStringLiteral("dd/MMM/yyyy:HH:mm:ss")) + QStringLiteral(" +0000");
    QTest::newRow("offset") << "Z" << "+00:00";
    QTest::newRow("unix") << "X" << QString::number(t.toSecsSinceEpoch());
    QTest::newRow("unix ms") << "x" << QString::number(t.toMSecsSinceEpoch());
    QTest::newRow("bracket literal") << "[Today is] dddd" << "Today is Sunday";
    QTest::newRow("short forms") << "YY M D H m s d Q" << "10 2 14 15 25 50 0 1";
    QTest::newRow("day of year") << "DDD DDDD" << "45 045";
    QTest::newRow("12 hour") << "hh:mm a k kk" << "03:25 pm 15 15";
    QTest::newRow("fractions") << "S SS SSS" << "1 12 123";
    QTest::newRow("ordinals") << "Do" << "14th";
    QTest::newRow("weekday short") << "dd" << "Su";
}

void TstGenerate::momentFormats()
{
    QFETCH(QString, format);
    QFETCH(QString, expected);
    const QString placeholder = QStringLiteral("{{date.utc(\"%1\")}}").arg(format);
    QCOMPARE(QString::fromUtf8(renderOnce(placeholder, 1, 1266161150123)), expected);
    // Ordinals 1st 2nd 3rd 11th 12th 13th 21st 22nd 23rd.
    const QDateTime jan = QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC);
    QStringList days;
    for (int d : {1, 2, 3, 11, 12, 13, 21, 22, 23, 31})
        days << QString::fromUtf8(renderOnce(QStringLiteral("{{date.utc(\"Do\")}}"), 1, jan.addDays(d - 1).toMSecsSinceEpoch()));
    QCOMPARE(days.join(QLatin1Char(' ')), QStringLiteral("1st 2nd 3rd 11th 12th 13th 21st 22nd 23rd 31st"));
}

void TstGenerate::currentValues()
{
    auto g = RecordGenerator::create({QStringLiteral("{{current.sequence}} {{current.elapsed}} {{current.runId}}"),
                                      QStringLiteral("t"), QString(), QString()},
                                     5);
    QVERIFY(g.ok());
    g.value().setStartTime(1000);
    GeneratedRecord r;
    QVERIFY(g.value().next(1000, r).ok());
    const QList<QByteArray> first = r.data.split(' ');
    QCOMPARE(first[0], QByteArray("0"));
    QCOMPARE(first[1], QByteArray("0"));
    QVERIFY(g.value().next(3500, r).ok());
    const QList<QByteArray> second = r.data.split(' ');
    QCOMPARE(second[0], QByteArray("1"));
    QCOMPARE(second[1], QByteArray("2500"));
    QCOMPARE(second[2], first[2]); // one run id for the run
    auto other = RecordGenerator::create({QStringLiteral("{{current.runId}}"), QStringLiteral("t"), QString(), QString()}, 6);
    QVERIFY(other.value().next(0, r).ok());
    QVERIFY(r.data != first[2]); // another seed, another run id
}

void TstGenerate::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown helper") << "{\"a\": \"{{name.frstName}}\"}" << "t:1:10: unknown helper 'name.frstName'; did you mean 'name.firstName'?";
    QTest::newRow("unknown far") << "x\n  {{nothing.like.this}}" << "t:2:5: unknown helper 'nothing.like.this' (kwb generate --list-helpers";
    QTest::newRow("unclosed placeholder") << "abc {{random.uuid" << "t:1:5: unbalanced braces: expected '}}' to close the placeholder opened here";
    QTest::newRow("unclosed before next") << "{{random.uuid {{random.uuid}}" << "t:1:1: unbalanced braces";
    QTest::newRow("single brace close") << "{{random.uuid}" << "t:1:14: expected '}}' to close the placeholder random.uuid, found '}'";
    QTest::newRow("no name") << "{{ }}" << "t:1:4: expected a helper name after '{{'";
    QTest::newRow("unclosed paren") << "{\n  \"t\": {{random.number(\n    5}}" << "t:2:23: unbalanced '(': expected ')'";
    QTest::newRow("missing comma") << "{{random.number(1 2)}}" << "t:1:19: expected ',' or ')' after an argument of random.number";
    QTest::newRow("bad argument type") << "{{random.number(\"x\")}}" << "t:1:17: random.number takes (max), (min, max)";
    QTest::newRow("min above max") << "{{random.number({\"min\": 9, \"max\": 1})}}" << "t:1:17: random.number: min (9) is above max (1)";
    QTest::newRow("unknown member") << "{{random.number({\"mni\": 9})}}" << "unknown member \"mni\"";
    QTest::newRow("bad precision") << "{{random.number({\"precision\": 0.0000001})}}" << "precision must be";
    QTest::newRow("args to no-arg helper") << "{{random.uuid(4)}}" << "t:1:15: random.uuid takes no arguments";
    QTest::newRow("empty array") << "{{random.arrayElement([])}}" << "t:1:23: random.arrayElement: the array is empty";
    QTest::newRow("no array") << "{{random.arrayElement}}" << "t:1:3: random.arrayElement takes one array";
    QTest::newRow("weights mismatch") << "{{random.weightedArrayElement({\"weights\":[1],\"data\":[1,2]})}}" << "1 weights for 2 data elements";
    QTest::newRow("zero weights") << "{{random.weightedArrayElement({\"weights\":[0],\"data\":[1]})}}" << "add up to 0";
    QTest::newRow("negative count") << "{{lorem.words(-1)}}" << "lorem.words takes one whole number from 0 to 10000";
    QTest::newRow("huge count") << "{{lorem.words(1000000)}}" << "from 0 to 10000";
    QTest::newRow("unterminated string") << "{{date.now(\"YYYY)}}" << "t:1:12: unterminated string";
    QTest::newRow("unbalanced array") << "{{random.arrayElement([1, 2)}}" << "t:1:28: expected ',' or ']' in the array, found ')'";
    QTest::newRow("bad escape") << "{{date.now(\"\\q\")}}" << "t:1:13: unknown escape '\\q'";
    QTest::newRow("emoji escaped") << "{{date.now(\"\\😀\")}}" << "t:1:13: unknown escape '\\😀' in a string";
    QTest::newRow("lone surrogate escaped") << QStringLiteral("{{date.now(\"\\") + QChar(0xDC00) + QStringLiteral("\")}}")
                                            << "t:1:13: unknown escape '\\' followed by U+dc00 in a string";
    QTest::newRow("unknown filter") << "{{random.uuid | upper}}" << "t:1:17: unknown filter 'upper'";
    QTest::newRow("not a value") << "{{random.number(abc)}}" << "t:1:17: expected an argument";
    QTest::newRow("format not a string") << "{{date.now(5)}}" << "date.now takes one format string";
    QTest::newRow("records bounded") << "{\"a\": \"{{lorem.paragraph(10000)}}\",\n\"b\": \"{{lorem.paragraph(10000)}}\"}"
                                     << "t:2:9: with this placeholder a record can grow past 16 MiB";
    QTest::newRow("columns count characters") << "\"é€😀\" {{x.y}}" << "t:1:9: unknown helper 'x.y'";
    // A character beyond U+FFFF where a name should start is quoted whole (the fuzz target found
    // half of one in the message).
    QTest::newRow("emoji for a name") << "{{😀}}" << "t:1:3: expected a helper name after '{{' (such as random.number or name.firstName), found '😀'";
    QTest::newRow("lone surrogate for a name") << QStringLiteral("{{") + QChar(0xD800) + QStringLiteral("}}")
                                               << "t:1:3: expected a helper name after '{{' (such as random.number or name.firstName), found U+d800";
}

void TstGenerate::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto t = Template::parse(text, QStringLiteral("t"));
    QVERIFY(!t.ok());
    QVERIFY2(t.error().message.contains(expected), qPrintable(t.error().message));
    QVERIFY(t.error().message.isValidUtf16());
    QCOMPARE(t.error().kind, Error::Kind::Input);
}

void TstGenerate::seededRunsAreIdentical()
{
    const QString clickstream = readText(sourceFile(QStringLiteral("resources/generator/clickstream.json")));
    const GeneratorTemplates templates{clickstream, QStringLiteral("clickstream.json"), QString(), QString()};
    const auto run = [&](quint64 seed) {
        auto g = RecordGenerator::create(templates, seed);
        if (!g.ok())
            qFatal("%s", qPrintable(g.error().message));
        QByteArray all;
        GeneratedRecord r;
        for (int i = 0; i < 2000; ++i) {
            (void)g.value().next(1700000000000 + i * 10, r);
            all.append(r.partitionKey).append('\t').append(r.data).append('\n');
        }
        return all;
    };
    const QByteArray a = run(42);
    QCOMPARE(run(42), a);
    QVERIFY(run(43) != a);
    // A preview does not move the generator on: the run after it starts at record 0.
    auto g = RecordGenerator::create(templates, 42);
    auto preview = g.value().preview(3, 1700000000000);
    QVERIFY(preview.ok());
    GeneratedRecord first;
    QVERIFY(g.value().next(1700000000000, first).ok());
    QCOMPARE(first.data, preview.value()[0].data);
    QCOMPARE(g.value().generated(), qint64(1));
}

void TstGenerate::keyAndExplicitHashKey()
{
    auto g = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("user-{{random.number(9)}}"),
                                      QStringLiteral("{{random.arrayElement([\"0\", \"340282366920938463463374607431768211455\"])}}")},
                                     1);
    QVERIFY2(g.ok(), qPrintable(why(g)));
    GeneratedRecord r;
    bool sawLow = false, sawHigh = false;
    for (int i = 0; i < 100; ++i) {
        QVERIFY(g.value().next(0, r).ok());
        QVERIFY(QRegularExpression(QStringLiteral("^user-[0-9]$")).match(QString::fromUtf8(r.partitionKey)).hasMatch());
        QVERIFY(r.explicitHashKey.has_value());
        sawLow = sawLow || *r.explicitHashKey == 0;
        sawHigh = sawHigh || *r.explicitHashKey == kMaxHashKey;
    }
    QVERIFY(sawLow && sawHigh);
    // The default key: a fresh UUID per record.
    auto d = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QString(), QString()}, 1);
    GeneratedRecord a, b;
    QVERIFY(d.value().next(0, a).ok() && d.value().next(0, b).ok());
    QCOMPARE(a.partitionKey.size(), 36);
    QVERIFY(a.partitionKey != b.partitionKey);
    QVERIFY(!a.explicitHashKey);
    // Key templates are text: no JSON quoting even when they start with a brace.
    auto braces = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("{a}{{name.firstName}}"), QString()}, 1);
    QVERIFY(braces.value().next(0, a).ok());
    QVERIFY(!a.partitionKey.contains('"'));
}

void TstGenerate::keyErrors()
{
    auto longKey = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("{{lorem.words(100)}}"), QString()}, 1);
    GeneratedRecord r;
    auto made = longKey.value().next(0, r);
    QVERIFY(!made.ok());
    QVERIFY2(made.error().message.contains(QStringLiteral("record 0: the --key template gave a partition key of")), qPrintable(made.error().message));
    auto emptyKey = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("{{lorem.words(0)}}"), QString()}, 1);
    QVERIFY(!emptyKey.value().next(0, r).ok());
    auto badEhk = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QString(), QStringLiteral("{{name.firstName}}")}, 1);
    made = badEhk.value().next(0, r);
    QVERIFY(!made.ok());
    QVERIFY(made.error().message.contains(QStringLiteral("the --ehk template gave")));
    auto badKeyTemplate = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QStringLiteral("{{oops}}"), QString()}, 1);
    QVERIFY(!badKeyTemplate.ok());
    QVERIFY(badKeyTemplate.error().message.startsWith(QStringLiteral("--key:1:3: unknown helper 'oops'")));
}

void TstGenerate::jsonEscaping()
{
    // Values holding quotes, backslashes, control characters and non-ASCII text, placed inside
    // string literals, outside them, and through the filters: every record parses as JSON.
    const QString items = QStringLiteral("[\"say \\\"hi\\\"\", \"back\\\\slash\", \"line\\nbreak\", \"tab\\there\", \"\\u0001\", "
                                         "\"ünïcödé €\", \"😀\", \"}}\", 3, true, null, {\"nested\": [1, \"x\"]}]");
    const QString text = QStringLiteral("{\"inString\": \"<{{random.arrayElement(%1)}}>\", \"value\": {{random.arrayElement(%1)}}, "
                                        "\"quoted\": {{random.number(9) | json}}, \"raw\": \"{{random.word | raw}}\", "
                                        "\"name\": {{name.findName}}, \"n\": {{random.number(5)}}, \"b\": {{random.boolean}}, "
                                        "\"esc\\\"aped {{random.word}}\": \"{{date.utc(\"[\\\"]YYYY\")}}\", \"list\": [{{lorem.word}}, {{random.float}}]}")
                             .arg(items);
    auto g = RecordGenerator::create({text, QStringLiteral("t"), QString(), QString()}, 3);
    QVERIFY2(g.ok(), qPrintable(why(g)));
    QCOMPARE(g.value().dataTemplate().kind(), Template::Kind::Json);
    const QByteArray all = dataOf(g.value(), 3000);
    QCOMPARE(pythonJsonErrors(all), QString());
    // Every item came out, in both places.
    QVERIFY(all.contains("\"inString\": \"<say \\\"hi\\\">\""));
    QVERIFY(all.contains("\"value\": \"line\\nbreak\""));
    QVERIFY(all.contains("\"value\": 3,"));
    QVERIFY(all.contains("\"value\": null,"));
    QVERIFY(all.contains("\"value\": {\"nested\":[1,\"x\"]}"));
    QVERIFY(all.contains("\"inString\": \"<{\\\"nested\\\":[1,\\\"x\\\"]}>\""));
    QVERIFY(all.contains("\"quoted\": \""));
    QVERIFY(all.contains("\"esc\\\"aped "));
    QVERIFY(all.contains("\": \"\\\"20"));
    // The same values in a text template come out as they are.
    auto textTemplate = Template::parse(QStringLiteral("<{{random.arrayElement([\"a\\\"b\"])}}>"), QStringLiteral("t"));
    QCOMPARE(textTemplate.value().kind(), Template::Kind::Text);
    RenderState s;
    QByteArray out;
    textTemplate.value().render(s, out);
    QCOMPARE(out, QByteArray("<a\"b>"));
}

void TstGenerate::samplesAndKdgTemplatesGiveValidJson_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &name : QDir(sourceFile(QStringLiteral("resources/generator"))).entryList({QStringLiteral("*.json")}))
        QTest::newRow(qPrintable(name)) << sourceFile(QStringLiteral("resources/generator/") + name);
    for (const QString &name : QDir(sourceFile(QStringLiteral("tests/data/generate"))).entryList({QStringLiteral("kdg-*.json")}))
        QTest::newRow(qPrintable(name)) << sourceFile(QStringLiteral("tests/data/generate/") + name);
}

void TstGenerate::samplesAndKdgTemplatesGiveValidJson()
{
    QFETCH(QString, path);
    auto g = RecordGenerator::create({readText(path), path, QString(), QString()}, 11);
    QVERIFY2(g.ok(), qPrintable(why(g)));
    QCOMPARE(g.value().dataTemplate().kind(), Template::Kind::Json);
    QCOMPARE(pythonJsonErrors(dataOf(g.value(), 2000)), QString());
}

void TstGenerate::kdgCsvTemplate()
{
    // KDG's first example: John,Doe,42,127.0.0.1
    auto g = RecordGenerator::create({readText(sourceFile(QStringLiteral("tests/data/generate/kdg-csv.txt"))), QStringLiteral("csv"),
                                      QString(), QString()},
                                     2);
    QVERIFY(g.ok());
    QCOMPARE(g.value().dataTemplate().kind(), Template::Kind::Text);
    const QRegularExpression row(QStringLiteral("^[A-Z][a-z]+,[A-Z][A-Za-z]+,([0-9]|[1-6][0-9]|70),[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+\n$"));
    GeneratedRecord r;
    for (int i = 0; i < 500; ++i) {
        QVERIFY(g.value().next(0, r).ok());
        QVERIFY2(row.match(QString::fromUtf8(r.data)).hasMatch(), r.data.constData());
    }
}

void TstGenerate::rateSchedule()
{
    RateSchedule s;
    s.setRate(2000);
    s.setDuration(60);
    QCOMPARE(s.dueBy(0), qint64(0));
    QCOMPARE(s.dueBy(0.5), qint64(1000));
    QCOMPARE(s.dueBy(60), qint64(120000));
    QCOMPARE(s.dueBy(75), qint64(120000)); // nothing after the duration
    QCOMPARE(s.total(), std::optional<qint64>(120000));
    QVERIFY(!s.finished(59.9, 119800));
    QVERIFY(s.finished(60, 120000));
    RateSchedule count;
    count.setRate(10);
    count.setCount(25);
    QCOMPARE(count.dueBy(100), qint64(25));
    QVERIFY(count.finished(3, 25));
    RateSchedule unpaced;
    unpaced.setCount(1000);
    QVERIFY(!unpaced.paced());
    QCOMPARE(unpaced.dueBy(0), qint64(1000));
    RateSchedule forever;
    forever.setRate(5);
    QVERIFY(!forever.total());
    QVERIFY(!forever.finished(1e6, 5000000));
}

void TstGenerate::rampAndBursts()
{
    // The example: 100/s rising to 2,000/s over a minute: (100 + 2000) / 2 x 60 = 63,000.
    RateSchedule s;
    s.setRamp({100, 2000, 60});
    QCOMPARE(s.dueBy(60), qint64(63000));
    QCOMPARE(s.rateAt(30), 1050.0);
    QCOMPARE(s.dueBy(30), qint64(100 * 30 + 1900 * 30 * 30 / 120)); // 3000 + 14250
    QCOMPARE(s.dueBy(70), qint64(63000 + 20000));
    QCOMPARE(s.peakRate(), 2000.0);
    s.addBurst({10, 5000});
    QCOMPARE(s.dueBy(9.999), qint64(std::floor(100 * 9.999 + 1900 * 9.999 * 9.999 / 120)));
    QCOMPARE(s.dueBy(10), qint64(1000 + 1900 * 100 / 120 + 5000));
}

void TstGenerate::parseOptions()
{
    QCOMPARE(RateSchedule::parseDuration(QStringLiteral("90")).value(), 90.0);
    QCOMPARE(RateSchedule::parseDuration(QStringLiteral("60s")).value(), 60.0);
    QCOMPARE(RateSchedule::parseDuration(QStringLiteral("15m")).value(), 900.0);
    QCOMPARE(RateSchedule::parseDuration(QStringLiteral("2h")).value(), 7200.0);
    QCOMPARE(RateSchedule::parseDuration(QStringLiteral("1.5m")).value(), 90.0);
    for (const char *bad : {"", "0", "-5", "5d", "abc", "nan", "inf"})
        QVERIFY2(!RateSchedule::parseDuration(QString::fromLatin1(bad)).ok(), bad);
    const auto ramp = RateSchedule::parseRamp(QStringLiteral("100:2000:60"));
    QVERIFY(ramp.ok());
    QCOMPARE(ramp.value().from, 100.0);
    QCOMPARE(ramp.value().to, 2000.0);
    QCOMPARE(ramp.value().seconds, 60.0);
    QCOMPARE(RateSchedule::parseRamp(QStringLiteral("0:10:1m")).value().seconds, 60.0);
    for (const char *bad : {"100:2000", "a:b:c", "100:2000:0", "-1:5:10", "0:0:10", "1:2:3:4"}) {
        const auto r = RateSchedule::parseRamp(QString::fromLatin1(bad));
        QVERIFY2(!r.ok(), bad);
        QVERIFY(r.error().message.contains(QStringLiteral("FROM:TO:SECONDS")));
    }
    QCOMPARE(RateSchedule::parseBurst(QStringLiteral("5000")).value().records, qint64(5000));
    QCOMPARE(RateSchedule::parseBurst(QStringLiteral("5000@30s")).value().atSeconds, 30.0);
    QCOMPARE(RateSchedule::parseBurst(QStringLiteral("5000@0")).value().atSeconds, 0.0);
    QVERIFY(!RateSchedule::parseBurst(QStringLiteral("0")).ok());
    QVERIFY(!RateSchedule::parseBurst(QStringLiteral("10@x")).ok());
}

void TstGenerate::forecast()
{
    const ShardMap four = ShardMap::uniform(4).value();
    auto spread = RecordGenerator::create({QStringLiteral("{\"a\": 1}"), QStringLiteral("t"), QString(), QString()}, 8);
    auto sample = spread.value().preview(4000, 0);
    QVERIFY(sample.ok());
    const auto even = LoadForecast::predict(four, sample.value(), 2000, send::ShardLimits::documented());
    QCOMPARE(int(even.shards().size()), 4);
    for (const auto &load : even.shards()) {
        QVERIFY2(std::abs(load.share - 0.25) < 0.04, qPrintable(QString::number(load.share)));
        QVERIFY(!load.overRecords && !load.overBytes);
    }
    QVERIFY(!even.overLimit());
    QVERIFY(even.sustainableRate() > 3500 && even.sustainableRate() < 4500);
    // The hot-shard sample: 60 % share one key, so 2,000/s puts > 1,000/s on its shard.
    auto hot = RecordGenerator::create({readText(sourceFile(QStringLiteral("resources/generator/hot-shard.json"))), QStringLiteral("hot"),
                                        readText(sourceFile(QStringLiteral("resources/generator/hot-shard.key"))).trimmed(), QString()},
                                       8);
    QVERIFY2(hot.ok(), qPrintable(why(hot)));
    const auto skewed = LoadForecast::predict(four, hot.value().preview(4000, 0).value(), 2000, send::ShardLimits::documented());
    QVERIFY(skewed.overLimit());
    const auto hottest = std::max_element(skewed.shards().begin(), skewed.shards().end(),
                                          [](const auto &a, const auto &b) { return a.share < b.share; });
    QVERIFY(hottest->share >= 0.6 && hottest->overRecords);
    // The hottest shard reaches 1,000 records/s at 1,000 / its share.
    QVERIFY(std::abs(skewed.sustainableRate() - 1000.0 / hottest->share) < 1e-6);
    // A constant explicit hash key of 0: everything on the first shard.
    auto pinned = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QString(), QStringLiteral("0")}, 1);
    const auto one = LoadForecast::predict(four, pinned.value().preview(100, 0).value(), 500, send::ShardLimits::documented());
    QCOMPARE(one.shards()[0].share, 1.0);
    QCOMPARE(one.shards()[0].recordsPerSecond, 500.0);
    QVERIFY(!one.overLimit());
    // Unknown limits: no verdict.
    send::ShardLimits none;
    none.unlimited = true;
    QVERIFY(!LoadForecast::predict(four, pinned.value().preview(100, 0).value(), 1e6, none).overLimit());
}

void TstGenerate::pacerKeepsTheRate()
{
    auto g = RecordGenerator::create({QStringLiteral("{{current.sequence}}"), QStringLiteral("t"), QString(), QString()}, 1);
    RateSchedule schedule;
    schedule.setRate(400);
    schedule.setDuration(1.5);
    GeneratorSource source(g.value(), schedule);
    Pacer pacer(&source);
    qint64 received = 0;
    qint64 nextIndex = 0;
    bool inOrder = true;
    pacer.setSink([&](RecordStore &&records, qint64 first) {
        inOrder = inOrder && first == nextIndex && records.data(0) == QByteArray::number(first);
        nextIndex = first + records.size();
        received += records.size();
    });
    QSignalSpy finished(&pacer, &Pacer::finished);
    QElapsedTimer clock;
    clock.start();
    pacer.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(received, qint64(600));
    QVERIFY(inOrder);
    QVERIFY2(clock.elapsed() >= 1450 && clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
}

void TstGenerate::pacerPauseAndBackpressure()
{
    auto g = RecordGenerator::create({QStringLiteral("x"), QStringLiteral("t"), QString(), QString()}, 1);
    RateSchedule schedule;
    schedule.setRate(1000);
    GeneratorSource source(g.value(), schedule);
    Pacer pacer(&source);
    qint64 received = 0;
    bool room = true;
    pacer.setSink([&](RecordStore &&records, qint64) { received += records.size(); });
    pacer.setRoom([&] { return room; });
    pacer.start();
    QTRY_VERIFY(received >= 200);
    pacer.pause();
    QCOMPARE(pacer.state(), Pacer::State::Paused);
    const qint64 atPause = received;
    const qint64 elapsedAtPause = pacer.elapsedMs();
    QTest::qWait(300);
    QCOMPARE(received, atPause);
    QCOMPARE(pacer.elapsedMs(), elapsedAtPause); // the clock stops
    pacer.resume();
    QTRY_VERIFY(received >= atPause + 100);
    // No room: nothing is taken, the run falls behind, and catches up when room comes back.
    room = false;
    const qint64 held = received;
    QTest::qWait(200);
    QVERIFY(received <= held + 20);
    QVERIFY(pacer.behind() >= 150);
    room = true;
    QTRY_VERIFY(pacer.behind() < 50);
    QSignalSpy finished(&pacer, &Pacer::finished);
    pacer.stop();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(pacer.state(), Pacer::State::Finished);
}

void TstGenerate::simulatedClock()
{
    // With a simulated start, record i of a 10/s run is stamped start + (i + 1) x 100 ms, and
    // two runs give the same bytes.
    const auto run = [] {
        auto g = RecordGenerator::create({QStringLiteral("{{current.timestamp}} {{date.utc(\"HH:mm:ss.SSS\")}}"), QStringLiteral("t"),
                                          QString(), QString()},
                                         4);
        RateSchedule schedule;
        schedule.setRate(10);
        schedule.setCount(5);
        GeneratorSource source(g.value(), schedule);
        source.setSimulatedStart(1700000000000);
        QByteArrayList lines;
        GeneratedRecord r;
        while (source.next(r).value())
            lines << r.data;
        return lines;
    };
    const QByteArrayList lines = run();
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[0], QByteArray("1700000000100 22:13:20.100"));
    QCOMPARE(lines[4], QByteArray("1700000000500 22:13:20.500"));
    QCOMPARE(run(), lines);
}

void TstGenerate::largeRecordsMakeSmallerChunks()
{
    // Records of about 100 KB: a chunk stops at 4 MiB, so the window of chunks a run keeps
    // bounds its memory whatever the record size.
    auto g = RecordGenerator::create({QStringLiteral("{{lorem.paragraph(1500)}}"), QStringLiteral("t"), QString(), QString()}, 1);
    QVERIFY(g.ok());
    RateSchedule schedule;
    schedule.setCount(200);
    GeneratorSource source(g.value(), schedule);
    Pacer pacer(&source);
    qint64 received = 0;
    qint64 largestChunk = 0;
    int chunks = 0;
    pacer.setSink([&](RecordStore &&records, qint64) {
        qint64 bytes = 0;
        for (int row = 0; row < records.size(); ++row)
            bytes += records.recordSize(row);
        largestChunk = std::max(largestChunk, bytes);
        received += records.size();
        ++chunks;
    });
    QSignalSpy finished(&pacer, &Pacer::finished);
    pacer.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(received, qint64(200));
    QVERIFY2(chunks >= 4, qPrintable(QString::number(chunks)));
    QVERIFY2(largestChunk < PacedSource::kChunkBytes + 200000, qPrintable(QString::number(largestChunk)));
}

QString TstGenerate::writeLines(const QString &name, const QByteArray &lines)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(lines) != lines.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TstGenerate::replayByTimestamps()
{
    // Epoch milliseconds 0, 1000, 3000 (and a blank line): at x2 due at 0, 500 and 1500 ms.
    const QString path = writeLines(QStringLiteral("ms.jsonl"), "{\"t\": 1700000000000, \"k\": \"a\"}\n\n"
                                                                  "{\"t\": 1700000001000, \"k\": \"b\"}\n"
                                                                  "{\"t\": 1700000003000, \"k\": 7}\n");
    ReplayOptions options;
    options.timestampField = QStringLiteral("t");
    options.speed = 2;
    options.partitionKeyField = QStringLiteral("k");
    auto feed = ReplayFeed::open(path, options);
    QVERIFY2(feed.ok(), qPrintable(why(feed)));
    RecordStore store;
    QCOMPARE(feed.value()->take(0, 100, store).value(), qint64(1));
    QCOMPARE(feed.value()->take(499, 100, store).value(), qint64(0));
    QCOMPARE(feed.value()->take(500, 100, store).value(), qint64(1));
    QVERIFY(!feed.value()->atEnd(500));
    QCOMPARE(feed.value()->take(1499, 100, store).value(), qint64(0));
    QCOMPARE(feed.value()->take(1500, 100, store).value(), qint64(1));
    QVERIFY(feed.value()->atEnd(1500));
    QCOMPARE(store.size(), 3);
    QCOMPARE(store.partitionKeyUtf8(0), QByteArrayView("a"));
    QCOMPARE(store.partitionKeyUtf8(2), QByteArrayView("7"));
    QCOMPARE(store.data(1), QByteArrayView("{\"t\": 1700000001000, \"k\": \"b\"}")); // the line as it was
    QCOMPARE(feed.value()->spanMs(), std::optional<qint64>(3000));
    // Epoch seconds and ISO 8601 are read too; a fixed rate ignores the times.
    const QString iso = writeLines(QStringLiteral("iso.jsonl"), "{\"m\": {\"at\": \"2024-01-01T00:00:00Z\"}}\n"
                                                                 "{\"m\": {\"at\": \"2024-01-01T00:01:00.500Z\"}}\n");
    options = ReplayOptions();
    options.timestampField = QStringLiteral("m.at");
    options.speed = 60;
    auto isoFeed = ReplayFeed::open(iso, options);
    QVERIFY(isoFeed.ok());
    QCOMPARE(isoFeed.value()->take(1007, 10, store).value(), qint64(1));
    QCOMPARE(isoFeed.value()->take(1008, 10, store).value(), qint64(1)); // 60.5 s / 60
    options.perSecond = 4;
    auto fixed = ReplayFeed::open(iso, options);
    QCOMPARE(fixed.value()->take(0, 10, store).value(), qint64(1));
    QCOMPARE(fixed.value()->take(249, 10, store).value(), qint64(0));
    QCOMPARE(fixed.value()->take(250, 10, store).value(), qint64(1));
    // Without a key field: a UUID per record.
    RecordStore keys;
    auto uuids = ReplayFeed::open(iso, options);
    QCOMPARE(uuids.value()->take(1000, 10, keys).value(), qint64(2));
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                .match(keys.partitionKey(0))
                .hasMatch());
}

void TstGenerate::replayLoopsAndRestamps()
{
    // Two passes of a 2-second file with --loop: the second starts one average gap (1 s) after
    // the first one's end, i.e. at 3 s.
    const QString path = writeLines(QStringLiteral("loop.jsonl"), "{\"ts\": 100.0, \"v\": 1}\n{\"ts\": 101, \"v\": 2}\n"
                                                                   "{\"ts\": 102, \"v\": 3}\n");
    ReplayOptions options;
    options.timestampField = QStringLiteral("ts");
    options.loop = true;
    options.restamp = true;
    auto feed = ReplayFeed::open(path, options);
    QVERIFY(feed.ok());
    feed.value()->setClock([] { return qint64(1700000000123); });
    RecordStore store;
    QCOMPARE(feed.value()->take(2999, 100, store).value(), qint64(3));
    QCOMPARE(feed.value()->take(3000, 100, store).value(), qint64(1));
    QCOMPARE(feed.value()->take(4000, 100, store).value(), qint64(1));
    QVERIFY(!feed.value()->atEnd(100000));
    // Seconds stay seconds (with the milliseconds), the rest of the line as it was.
    QCOMPARE(store.data(0), QByteArrayView("{\"ts\": 1700000000.123, \"v\": 1}"));
    QCOMPARE(store.data(3), QByteArrayView("{\"ts\": 1700000000.123, \"v\": 1}"));
    const QString iso = writeLines(QStringLiteral("restamp-iso.jsonl"), "{\"a\": {\"when\": \"2020-05-01T00:00:00Z\", \"x\": \"y\"}}\n"
                                                                         "{\"a\": {\"when\" :  1588291200000}}\n");
    options = ReplayOptions();
    options.timestampField = QStringLiteral("a.when");
    options.restamp = true;
    options.perSecond = 1000;
    auto isoFeed = ReplayFeed::open(iso, options);
    isoFeed.value()->setClock([] { return qint64(1700000000123); });
    RecordStore restamped;
    QCOMPARE(isoFeed.value()->take(10, 10, restamped).value(), qint64(2));
    QCOMPARE(restamped.data(0), QByteArrayView("{\"a\": {\"when\": \"2023-11-14T22:13:20.123Z\", \"x\": \"y\"}}"));
    QCOMPARE(restamped.data(1), QByteArrayView("{\"a\": {\"when\" :  1700000000123}}"));
}

void TstGenerate::replayErrors()
{
    ReplayOptions options;
    options.timestampField = QStringLiteral("t");
    const auto error = [&](const QByteArray &lines) {
        const QString path = writeLines(QStringLiteral("bad.jsonl"), lines);
        auto feed = ReplayFeed::open(path, options);
        if (!feed.ok())
            return feed.error().message.mid(path.size());
        RecordStore store;
        auto taken = feed.value()->take(1000000000, 100, store);
        return taken.ok() ? QString() : taken.error().message.mid(path.size());
    };
    QVERIFY(error("").contains(QStringLiteral("no records to replay")));
    QVERIFY(error("[1, 2]\n").startsWith(QStringLiteral(":1: expected one JSON object per line")));
    QVERIFY(error("{\"t\": 1}\n{\"t\": \n").startsWith(QStringLiteral(":2: expected one JSON object per line (JSON Lines): ")));
    QVERIFY(error("{\"t\": 1}\n{\"u\": 1}\n").startsWith(QStringLiteral(":2: the record has no t (--timestamp-field)")));
    QVERIFY(error("{\"t\": \"yesterday\"}\n").startsWith(QStringLiteral(":1: t is \"yesterday\", not a time")));
    QVERIFY(!ReplayFeed::open(QStringLiteral("/nonexistent/x.jsonl"), options).ok());
    options.speed = 0;
    QVERIFY(!ReplayFeed::open(writeLines(QStringLiteral("ok.jsonl"), "{\"t\": 1}\n"), options).ok());
}

QTEST_GUILESS_MAIN(TstGenerate)
#include "tst_generate.moc"
