// `kwb sandbox` as a process: the endpoint URL is the first line on stdout, it says it listens
// on loopback only, it stops cleanly on SIGTERM and SIGINT, its options are checked, and a data
// directory carries streams over to the next run. The program comes from KWB_SANDBOX_PROGRAM
// (and KWB_SANDBOX_ARGS, e.g. "sandbox" for the kwb binary).
#include "SandboxCommand.h"
#include "SandboxTestSupport.h"

#include <QCommandLineParser>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <QRegularExpression>
#include <QTimer>

#include <csignal>

using namespace kwb;

namespace {

QStringList prefixArgs()
{
    return qEnvironmentVariable("KWB_SANDBOX_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

/// A started sandbox process, its URL read from the first line of its output.
struct SandboxProcess
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QUrl url;

    bool start(const QStringList &arguments)
    {
        process->start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefixArgs() + arguments);
        if (!process->waitForStarted(10000))
            return false;
        while (!process->canReadLine()) {
            if (!process->waitForReadyRead(10000))
                return false;
        }
        url = QUrl(QString::fromUtf8(process->readLine()).trimmed());
        return url.isValid();
    }
    int stop(int signal = SIGTERM)
    {
        ::kill(pid_t(process->processId()), signal);
        if (!process->waitForFinished(10000)) {
            process->kill();
            return -1;
        }
        return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -2;
    }
};

struct Finished
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Finished runToEnd(const QStringList &arguments)
{
    QProcess process;
    process.start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefixArgs() + arguments);
    if (!process.waitForFinished(10000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

} // namespace

class TstSandboxCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void printsTheUrlFirstAndStopsOnSignals_data();
    void printsTheUrlFirstAndStopsOnSignals();
    void dataDirectoryCarriesStreamsOver();
    void usageErrors_data();
    void usageErrors();
    void portInUse();
    void runsFromKwbsOwnParser();
};

void TstSandboxCommand::initTestCase()
{
    QVERIFY2(!qEnvironmentVariable("KWB_SANDBOX_PROGRAM").isEmpty(), "KWB_SANDBOX_PROGRAM is not set; run through ctest");
}

void TstSandboxCommand::printsTheUrlFirstAndStopsOnSignals_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TstSandboxCommand::printsTheUrlFirstAndStopsOnSignals()
{
    QFETCH(int, signal);
    SandboxProcess sandbox;
    QVERIFY(sandbox.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--streams"),
                           QStringLiteral("orders:2,clicks")}));
    QCOMPARE(sandbox.url.scheme(), QStringLiteral("http"));
    QCOMPARE(sandbox.url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(sandbox.url.port() > 0);
    QCOMPARE(sandbox.url.path(), QString());

    net::KinesisClient client(test::sandboxClientOptions(sandbox.url));
    auto names = test::await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); });
    KWB_VERIFY_OK(names);
    QCOMPARE(names.value(), (QStringList{QStringLiteral("clicks"), QStringLiteral("orders")}));
    auto shards = test::await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(QStringLiteral("orders"), ctx, done); });
    KWB_VERIFY_OK(shards);
    QCOMPARE(shards.value().size(), size_t(2));

    QCOMPARE(sandbox.stop(signal), 0);
    const QByteArray err = sandbox.process->readAllStandardError();
    QVERIFY2(err.contains("listening on 127.0.0.1 only"), err.constData());
    QVERIFY2(err.contains("stopped after"), err.constData());
    QVERIFY(sandbox.process->readAllStandardOutput().trimmed().isEmpty()); // nothing after the URL
}

void TstSandboxCommand::dataDirectoryCarriesStreamsOver()
{
    QTemporaryDir dir;
    SandboxProcess first;
    QVERIFY(first.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir.path()}));
    {
        net::KinesisClient client(test::sandboxClientOptions(first.url));
        KWB_VERIFY_OK(test::await<void>([&](QObject *ctx, auto done) { client.createStream(QStringLiteral("durable"), 3, ctx, done); }));
        auto put = test::await<net::PutRecordsResult>(
            [&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("durable"), test::makeRecords(50), ctx, done); });
        KWB_VERIFY_OK(put);
    }
    QCOMPARE(first.stop(), 0);
    SandboxProcess second;
    QVERIFY(second.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir.path()}));
    net::KinesisClient client(test::sandboxClientOptions(second.url));
    auto summary = test::await<net::StreamSummary>(
        [&](QObject *ctx, auto done) { client.describeStreamSummary(QStringLiteral("durable"), ctx, done); });
    KWB_VERIFY_OK(summary);
    QCOMPARE(summary.value().openShardCount, 3);
    QCOMPARE(second.stop(), 0);
}

void TstSandboxCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("rate") << QStringList{QStringLiteral("--fail-records"), QStringLiteral("2")} << QStringLiteral("--fail-records");
    QTest::newRow("port") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")} << QStringLiteral("--port");
    QTest::newRow("streams") << QStringList{QStringLiteral("--streams"), QStringLiteral("a:0")} << QStringLiteral("--streams");
    QTest::newRow("key") << QStringList{QStringLiteral("--verify-signatures"), QStringLiteral("nocolon")}
                         << QStringLiteral("ACCESS_KEY_ID:SECRET_ACCESS_KEY");
    QTest::newRow("latency") << QStringList{QStringLiteral("--latency"), QStringLiteral("-5")} << QStringLiteral("--latency");
    QTest::newRow("argument") << QStringList{QStringLiteral("extra")} << QStringLiteral("takes no arguments");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
}

void TstSandboxCommand::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const Finished run = runToEnd(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith("kwb: error: "), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(run.err).contains(mentions), run.err.constData());
}

void TstSandboxCommand::portInUse()
{
    SandboxProcess first;
    QVERIFY(first.start({QStringLiteral("--port"), QStringLiteral("0")}));
    const Finished second = runToEnd({QStringLiteral("--port"), QString::number(first.url.port())});
    QCOMPARE(second.exitCode, 1);
    QVERIFY(second.out.isEmpty());
    QVERIFY2(second.err.contains("cannot listen on 127.0.0.1"), second.err.constData());
    QCOMPARE(first.stop(), 0);
}

void TstSandboxCommand::runsFromKwbsOwnParser()
{
    // As app/cli runs it: kwb's parser with its global options (--region among them), the
    // sandbox's added, "sandbox" as the first positional argument. Stopped by a signal.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({{QStringLiteral("endpoint-url"), QStringLiteral("URL"), QStringLiteral("URL")},
                       {QStringLiteral("region"), QStringLiteral("Region"), QStringLiteral("REGION")},
                       {QStringLiteral("output"), QStringLiteral("Format"), QStringLiteral("FORMAT"), QStringLiteral("table")},
                       {QStringLiteral("debug"), QStringLiteral("Debug")},
                       {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Help")}});
    cli::addSandboxOptions(parser);
    QVERIFY(parser.parse({QStringLiteral("kwb"), QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"),
                          QStringLiteral("--region"), QStringLiteral("eu-west-1"), QStringLiteral("--no-limits")}));
    struct sigaction before{};
    ::sigaction(SIGTERM, nullptr, &before);
    QTimer::singleShot(300, [] { ::raise(SIGTERM); });
    QCOMPARE(cli::runSandboxCommand(parser), 0);
    // The handler it installed is gone again: the one before is back.
    struct sigaction after{};
    ::sigaction(SIGTERM, nullptr, &after);
    QVERIFY(after.sa_handler == before.sa_handler);
}

QTEST_GUILESS_MAIN(TstSandboxCommand)
#include "tst_sandbox_command.moc"
