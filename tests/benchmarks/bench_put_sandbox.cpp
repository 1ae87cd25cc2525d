// kwb put of 1,000,000 records of 100 bytes into the built-in sandbox (limits off), each in its
// own process as a user runs them. Targets: the sandbox accepts at least 100,000 records/s from
// the engine over loopback, and kwb put stays under 400 MB peak memory.
// This also guards the sandbox against per-request stalls (e.g. a 40 ms delayed ACK when
// partial requests are not acknowledged at once), which would cap it far below the target.
// The put is the first child process this benchmark reaps, so RUSAGE_CHILDREN is its own peak.
#include "BenchSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>

using namespace kwb;

namespace {

/// Runs a program to its end; returns its peak RSS in bytes (from wait4) and fills stdout.
qint64 runMeasured(const QString &program, const QStringList &args, QByteArray *out, int *exitCode)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(program, args);
    process.waitForStarted();
    // Drain the output while it runs.
    while (!process.waitForFinished(100)) {
        if (out)
            *out += process.readAllStandardOutput();
        process.readAllStandardError();
    }
    if (out)
        *out += process.readAllStandardOutput();
    *exitCode = process.exitCode();
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return qint64(usage.ru_maxrss) * 1024;
}

} // namespace

int main(int argc, char *argv[])
{
    Q_UNUSED(argc)
    Q_UNUSED(argv)
    const QString kwb = qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
    constexpr int kRecords = 1000000;
    QTemporaryDir dir;
    const QString input = dir.filePath(QStringLiteral("records.txt"));
    {
        // Text lines of 100 bytes; keys by row number (the put command's default for lines).
        QFile file(input);
        file.open(QIODevice::WriteOnly);
        QByteArray line(100, 'x');
        line.append('\n');
        QByteArray block;
        for (int i = 0; i < kRecords; ++i) {
            const QByteArray n = QByteArray::number(i);
            std::copy(n.begin(), n.end(), line.begin());
            block += line;
            if (block.size() > (1 << 22)) {
                file.write(block);
                block.clear();
            }
        }
        file.write(block);
    }

    QProcess sandbox;
    sandbox.start(kwb, {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--no-limits"),
                        QStringLiteral("--streams"), QStringLiteral("bench:4")});
    if (!sandbox.waitForReadyRead(20000)) {
        std::fprintf(stderr, "kwb sandbox did not start: %s\n", sandbox.readAllStandardError().constData());
        return 2;
    }
    const QString endpoint = QString::fromUtf8(sandbox.readLine()).trimmed();

    int exitCode = 0;
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    const qint64 peak = runMeasured(kwb,
                                    {QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("put"), QStringLiteral("--stream"),
                                     QStringLiteral("bench"), input, QStringLiteral("--format"), QStringLiteral("lines"),
                                     QStringLiteral("--concurrency"), QStringLiteral("4"), QStringLiteral("--output"), QStringLiteral("json")},
                                    &out, &exitCode);
    const double seconds = double(timer.elapsed()) / 1000.0;
    sandbox.terminate();
    sandbox.waitForFinished(10000);

    const QJsonObject summary = QJsonDocument::fromJson(out).object();
    const qint64 succeeded = summary.value(QStringLiteral("succeeded")).toInteger();
    bench::info("input: text lines of 100 bytes", double(QFileInfo(input).size()) / 1e6, "MB");
    bench::info("kwb put wall time, 1M x 100-byte records", seconds, "s");
    bench::info("records succeeded", double(succeeded), "");
    // kwb's own clock starts when sending starts: import and setup are not the sandbox's time.
    const double rate = summary.value(QStringLiteral("recordsPerSecond")).toDouble();
    bench::info("kwb put send phase", summary.value(QStringLiteral("seconds")).toDouble(), "s");
    bool ok = exitCode == 0 && succeeded == kRecords;
    ok &= bench::report("sandbox (limits off) accepting PutRecords from kwb put", rate, "rec/s", rate >= 100000, ">= 100,000 records/s");
    ok &= bench::report("kwb put peak memory, 1M x 100-byte records", double(peak) / 1e6, "MB", peak < 400 * 1000 * 1000, "< 400 MB");
    bench::info("  per record", double(peak) / kRecords, "bytes");
    return ok ? 0 : 1;
}
