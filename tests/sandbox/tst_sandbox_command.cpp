// `kwb sandbox` as a process: the endpoint URL is the first line on stdout, it says it listens
// on loopback only, it stops cleanly on SIGTERM and SIGINT, its options are checked, and a data
// directory carries streams over to the next run. The program comes from KWB_SANDBOX_PROGRAM
// (and KWB_SANDBOX_ARGS, e.g. "sandbox" for the kwb binary).
#include "SandboxCommand.h"
#include "SandboxTestSupport.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
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
    void explicitPortAddsNoLatency();
    void numericOptionsAreReadOneByOne();
    void verifySignatureKeyFromFileOrEnvironment_data();
    void verifySignatureKeyFromFileOrEnvironment();
    void verifySignatureKeyOnTheCommandLineWarns();
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
    QTest::newRow("latency not a number") << QStringList{QStringLiteral("--latency"), QStringLiteral("5x")} << QStringLiteral("--latency");
    QTest::newRow("limit-scale nan") << QStringList{QStringLiteral("--limit-scale"), QStringLiteral("nan")} << QStringLiteral("--limit-scale");
    QTest::newRow("limit-scale inf") << QStringList{QStringLiteral("--limit-scale"), QStringLiteral("inf")} << QStringLiteral("--limit-scale");
    QTest::newRow("fail-records nan") << QStringList{QStringLiteral("--fail-records"), QStringLiteral("nan")} << QStringLiteral("--fail-records");
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

namespace {

/// A port that was free a moment ago (the OS picks it; the listener is closed again).
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

/// Milliseconds for one ListStreams answer, or -1 when none came within `timeoutMs`.
qint64 listStreamsMs(const QUrl &url, int timeoutMs = 5000)
{
    net::ClientOptions options = test::sandboxClientOptions(url);
    options.transferTimeoutMs = timeoutMs;
    net::KinesisClient client(options);
    QElapsedTimer timer;
    timer.start();
    auto names = test::await<QStringList>([&](QObject *ctx, auto done) { client.listStreams(ctx, done); }, timeoutMs + 1000);
    return names.ok() ? timer.elapsed() : -1;
}

} // namespace

void TstSandboxCommand::explicitPortAddsNoLatency()
{
    // The README's example gives an explicit port and no --latency: answers must come at once,
    // not after as many milliseconds as the port number (the value a shared out-variable kept).
    const quint16 port = freePort();
    QVERIFY(port > 1000); // a port of a few ms would hide the mistake
    SandboxProcess sandbox;
    QVERIFY(sandbox.start({QStringLiteral("--port"), QString::number(port), QStringLiteral("--streams"), QStringLiteral("orders:4")}));
    QCOMPARE(sandbox.url.port(), int(port));
    const qint64 ms = listStreamsMs(sandbox.url);
    QCOMPARE(sandbox.stop(), 0);
    const QByteArray err = sandbox.process->readAllStandardError();
    QVERIFY2(ms >= 0 && ms < 500, qPrintable(QStringLiteral("ListStreams took %1 ms on port %2").arg(ms).arg(port)));
    QVERIFY2(!err.contains("latency"), err.constData()); // no fault note: nothing was injected
}

void TstSandboxCommand::numericOptionsAreReadOneByOne()
{
    // Each option keeps its own value: --latency 150 with --port and --retention-hours around it.
    SandboxProcess sandbox;
    QVERIFY(sandbox.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--latency"), QStringLiteral("150"),
                           QStringLiteral("--retention-hours"), QStringLiteral("48")}));
    const qint64 ms = listStreamsMs(sandbox.url);
    QCOMPARE(sandbox.stop(), 0);
    const QByteArray err = sandbox.process->readAllStandardError();
    QVERIFY2(ms >= 150 && ms < 2000, qPrintable(QStringLiteral("ListStreams took %1 ms").arg(ms)));
    QVERIFY2(err.contains("latency 150 ms"), err.constData());
}

void TstSandboxCommand::verifySignatureKeyFromFileOrEnvironment_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("--verify-signatures-file") << QStringLiteral("file");
    QTest::newRow("--verify-signatures @FILE") << QStringLiteral("at");
    QTest::newRow("KWB_SANDBOX_VERIFY_SIGNATURES") << QStringLiteral("env");
}

void TstSandboxCommand::verifySignatureKeyFromFileOrEnvironment()
{
    QFETCH(QString, how);
    const QString keyId = QStringLiteral("AKIDFROMFILE");
    const QString secret = QStringLiteral("s3cr3t-kept-out-of-ps-7f1c");
    QTemporaryDir dir;
    const QString keyFile = dir.filePath(QStringLiteral("sandbox.key"));
    {
        QFile f(keyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write((keyId + QLatin1Char(':') + secret + QLatin1Char('\n')).toUtf8());
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    QStringList arguments{QStringLiteral("--port"), QStringLiteral("0")};
    SandboxProcess sandbox;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (how == QLatin1String("file"))
        arguments << QStringLiteral("--verify-signatures-file") << keyFile;
    else if (how == QLatin1String("at"))
        arguments << QStringLiteral("--verify-signatures") << QLatin1Char('@') + keyFile;
    else
        env.insert(QStringLiteral("KWB_SANDBOX_VERIFY_SIGNATURES"), keyId + QLatin1Char(':') + secret);
    sandbox.process->setProcessEnvironment(env);
    QVERIFY(sandbox.start(arguments));

    // The secret is not in the process list.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(sandbox.process->processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray args = cmdline.readAll();
    QVERIFY(!args.isEmpty());
    QVERIFY2(!args.contains(secret.toUtf8()), args.constData());

    // Signed with the key: answered. Signed with another secret: refused.
    net::KinesisClient good(test::sandboxClientOptions(sandbox.url, keyId, secret));
    KWB_VERIFY_OK(test::await<QStringList>([&](QObject *ctx, auto done) { good.listStreams(ctx, done); }));
    net::KinesisClient bad(test::sandboxClientOptions(sandbox.url, keyId, QStringLiteral("wrong-secret")));
    auto refused = test::await<QStringList>([&](QObject *ctx, auto done) { bad.listStreams(ctx, done); });
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, Error::Kind::Access);
    QCOMPARE(sandbox.stop(), 0);
    const QByteArray err = sandbox.process->readAllStandardError();
    QVERIFY2(err.contains("signatures required, access key AKIDFROMFILE"), err.constData());
    QVERIFY2(!err.contains("warning"), err.constData());
    QVERIFY2(!err.contains(secret.toUtf8()), err.constData());
}

void TstSandboxCommand::verifySignatureKeyOnTheCommandLineWarns()
{
    SandboxProcess sandbox;
    QVERIFY(sandbox.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--verify-signatures"),
                           QStringLiteral("AKIDCMDLINE:visible-secret")}));
    QCOMPARE(sandbox.stop(), 0);
    const QByteArray err = sandbox.process->readAllStandardError();
    QVERIFY2(err.contains("warning: a secret key on the command line can be read by every user"), err.constData());
    QVERIFY2(err.contains("--verify-signatures-file"), err.constData());

    // A shared key file is named; a missing one, a malformed one and two sources are usage errors.
    QTemporaryDir dir;
    const QString shared = dir.filePath(QStringLiteral("shared.key"));
    {
        QFile f(shared);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("AKIDSHARED:secret\n");
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    }
    SandboxProcess sharedKey;
    QVERIFY(sharedKey.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--verify-signatures-file"), shared}));
    QCOMPARE(sharedKey.stop(), 0);
    const QByteArray sharedErr = sharedKey.process->readAllStandardError();
    QVERIFY2(sharedErr.contains("can be read by other users; make it private with chmod 600"), sharedErr.constData());

    const QString malformed = dir.filePath(QStringLiteral("malformed.key"));
    {
        QFile f(malformed);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("no-colon-here\n");
    }
    const Finished missing = runToEnd({QStringLiteral("--verify-signatures-file"), dir.filePath(QStringLiteral("absent.key"))});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("cannot read the key file"), missing.err.constData());
    const Finished bad = runToEnd({QStringLiteral("--verify-signatures-file"), malformed});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("ACCESS_KEY_ID:SECRET_ACCESS_KEY") && bad.err.contains("malformed.key"), bad.err.constData());
    const Finished twice = runToEnd({QStringLiteral("--verify-signatures-file"), shared, QStringLiteral("--verify-signatures"),
                                     QStringLiteral("A:B")});
    QCOMPARE(twice.exitCode, 2);
    QVERIFY2(twice.err.contains("given twice"), twice.err.constData());
}

QTEST_GUILESS_MAIN(TstSandboxCommand)
#include "tst_sandbox_command.moc"
