// `kwb sandbox --data-dir` as a process, against what happens to its files: `kill -9` while
// PutRecords requests are being written loses no acknowledged record (after each kill the
// next start, without any option, serves every record that was acknowledged, with the same
// sequence number, key and data, and at most cuts off a torn tail); a damaged log makes it
// refuse to start, exit 1, and say which file, where, and which option to pass; with
// --recover-damaged it starts. The program comes from KWB_SANDBOX_PROGRAM (and KWB_SANDBOX_ARGS).
#include "SandboxTestSupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <map>

using namespace kwb;

namespace {

/// A `kwb sandbox` process on a free port; its URL is the first line it prints.
struct SandboxProcess
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QUrl url;

    bool start(const QStringList &arguments)
    {
        const QStringList prefix = qEnvironmentVariable("KWB_SANDBOX_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
        process->start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefix + arguments);
        if (!process->waitForStarted(10000))
            return false;
        while (!process->canReadLine())
            if (!process->waitForReadyRead(10000))
                return false;
        url = QUrl(QString::fromUtf8(process->readLine()).trimmed());
        return url.isValid();
    }
    QByteArray errors() { return process->readAllStandardError(); }
};

} // namespace

class TstSandboxCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killDuringWritesLosesNoAcknowledgedRecord();
    void damagedLogIsRefusedUntilAsked();
};

void TstSandboxCrash::killDuringWritesLosesNoAcknowledgedRecord()
{
    QVERIFY2(!qEnvironmentVariable("KWB_SANDBOX_PROGRAM").isEmpty(), "KWB_SANDBOX_PROGRAM is not set; run through ctest");
    QTemporaryDir dir;
    const QStringList arguments{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir.path(),
                                QStringLiteral("--no-limits"), QStringLiteral("--streams"), QStringLiteral("crash:3")};
    std::map<QString, std::pair<QString, QByteArray>> acked; // by sequence number
    int batch = 0;
    int tornTails = 0; // kills that landed while a frame was being written
    // Kill after a different number of milliseconds each round, so that the kill lands in
    // different places: while a request is read, while its frame is written or synced, or
    // between requests.
    // The last start only checks what the last kill left.
    constexpr int kKills = 10;
    for (int round = 0; round <= kKills; ++round) {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start(arguments));
        QByteArray startErrors; // its notes end with the data directory line
        QTRY_VERIFY((startErrors += sandbox.errors()).contains("data directory:"));
        QVERIFY2(!startErrors.contains("damaged"), startErrors.constData());
        if (startErrors.contains("torn tail"))
            ++tornTails;
        {
            net::KinesisClient client(test::sandboxClientOptions(sandbox.url));
            // Every record acknowledged so far is served after the previous kill.
            std::map<QString, std::pair<QString, QByteArray>> served;
            for (int shard = 0; shard < 3; ++shard) {
                const QString shardId = QStringLiteral("shardId-00000000000%1").arg(shard);
                auto iterator = test::await<QString>([&](QObject *ctx, auto done) {
                    client.getShardIterator(QStringLiteral("crash"), shardId, net::ShardIteratorType::TrimHorizon, {}, {},
                                            ctx, done);
                });
                KWB_VERIFY_OK(iterator);
                QString next = iterator.value();
                while (!next.isEmpty()) {
                    auto read = test::await<net::GetRecordsResult>(
                        [&](QObject *ctx, auto done) { client.getRecords(next, 10000, ctx, done); });
                    KWB_VERIFY_OK(read);
                    for (const net::StoredRecord &r : read.value().records)
                        served[r.sequenceNumber] = {r.partitionKey, r.data};
                    if (read.value().records.empty())
                        break;
                    next = read.value().nextShardIterator;
                }
            }
            for (const auto &[sequence, record] : acked) {
                const auto it = served.find(sequence);
                QVERIFY2(it != served.end(), qPrintable(QStringLiteral("round %1: acknowledged %2 is lost").arg(round).arg(record.first)));
                QCOMPARE(it->second, record);
            }

            if (round == kKills)
                break;
            // Puts, one after the other, until the process is killed under them.
            const pid_t pid = pid_t(sandbox.process->processId());
            bool killed = false;
            QTimer::singleShot(40 + 23 * round, sandbox.process.get(), [&] {
                ::kill(pid, SIGKILL);
                killed = true;
            });
            while (!killed) {
                const auto records = test::makeRecords(500, QStringLiteral("r%1-").arg(batch++), 1000);
                auto put = test::await<net::PutRecordsResult>(
                    [&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("crash"), records, ctx, done); });
                if (!put.ok())
                    continue; // not acknowledged: the process died under it
                for (size_t i = 0; i < records.size(); ++i)
                    if (put.value().records[i].succeeded())
                        acked[put.value().records[i].sequenceNumber] = {records[i].partitionKey, records[i].data};
            }
        }
        if (round == kKills) {
            ::kill(pid_t(sandbox.process->processId()), SIGTERM);
            QVERIFY(sandbox.process->waitForFinished(10000));
            break;
        }
        QVERIFY(sandbox.process->state() == QProcess::NotRunning || sandbox.process->waitForFinished(10000));
        QCOMPARE(sandbox.process->exitStatus(), QProcess::CrashExit);
    }
    QVERIFY2(acked.size() > 100, qPrintable(QString::number(acked.size())));
    qInfo("%zu acknowledged records survived %d kills; %d of them left a torn tail", acked.size(), kKills, tornTails);
}

void TstSandboxCrash::damagedLogIsRefusedUntilAsked()
{
    QVERIFY2(!qEnvironmentVariable("KWB_SANDBOX_PROGRAM").isEmpty(), "KWB_SANDBOX_PROGRAM is not set; run through ctest");
    const QStringList prefix = qEnvironmentVariable("KWB_SANDBOX_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QTemporaryDir dir;
    const QStringList arguments{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dir.path(),
                                QStringLiteral("--streams"), QStringLiteral("kept:1")};
    {
        SandboxProcess sandbox;
        QVERIFY(sandbox.start(arguments));
        net::KinesisClient client(test::sandboxClientOptions(sandbox.url));
        for (int i = 0; i < 3; ++i)
            KWB_VERIFY_OK(test::await<net::PutRecordsResult>([&](QObject *ctx, auto done) {
                client.putRecords(QStringLiteral("kept"), test::makeRecords(10, QStringLiteral("p%1-").arg(i)), ctx, done);
            }));
        ::kill(pid_t(sandbox.process->processId()), SIGTERM);
        QVERIFY(sandbox.process->waitForFinished(10000));
    }
    const QString path = QDir(dir.path()).filePath(QStringLiteral("kept.stream"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    // The second frame (the first PutRecords) starts after the stream's frame; flip its payload.
    const qint64 second = 32 + qint64(quint8(bytes[4])) + (qint64(quint8(bytes[5])) << 8);
    bytes[second + 40] = char(bytes[second + 40] ^ 0x10);
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    QProcess refused;
    refused.start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefix + arguments);
    QVERIFY(refused.waitForFinished(10000));
    QCOMPARE(refused.exitCode(), 1);
    const QString error = QString::fromLocal8Bit(refused.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("%1: damaged at byte offset %2 ").arg(QDir::toNativeSeparators(path)).arg(second)),
             qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("10 records unreadable")) || error.contains(QLatin1String("at least 10 ")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("--recover-damaged")), qPrintable(error));
    QVERIFY(refused.readAllStandardOutput().isEmpty()); // no endpoint line: it did not start

    SandboxProcess recovered;
    QVERIFY(recovered.start(arguments + QStringList{QStringLiteral("--recover-damaged")}));
    QByteArray notes;
    QTRY_VERIFY((notes += recovered.errors()).contains("data directory:"));
    QVERIFY2(notes.contains("kept as"), notes.constData());
    ::kill(pid_t(recovered.process->processId()), SIGTERM);
    QVERIFY(recovered.process->waitForFinished(10000));
    QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("kept.stream.damaged-*")}, QDir::Files).size(), 1);

    // The option is in --help, and asks for a data directory.
    QProcess help;
    help.start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefix + QStringList{QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(10000));
    QVERIFY(help.readAllStandardOutput().contains("--recover-damaged"));
    QProcess alone;
    alone.start(qEnvironmentVariable("KWB_SANDBOX_PROGRAM"), prefix + QStringList{QStringLiteral("--recover-damaged")});
    QVERIFY(alone.waitForFinished(10000));
    QCOMPARE(alone.exitCode(), 2);
    QVERIFY(alone.readAllStandardError().contains("--recover-damaged needs --data-dir"));
}

QTEST_GUILESS_MAIN(TstSandboxCrash)
#include "tst_sandbox_crash.moc"
