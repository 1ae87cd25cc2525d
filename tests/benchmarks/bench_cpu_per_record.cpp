// CPU per record, side by side: `kwb put` against the AWS SDK for JavaScript v3
// (@aws-sdk/client-kinesis, pinned in tests/peers/package.json; tests/peers/sdk-put.js) doing the
// same work: the same 300,000 lines of 100 bytes (data = the line, partition key = its line
// number) into the built-in sandbox with its limits off, PutRecords of 500 records. Whole process,
// user + sys CPU, from wait4() of each child. Target: kwb uses at least 3x less CPU.
//
// Runs are interleaved (kwb, SDK, kwb, SDK, ...), each against a fresh sandbox, and the least CPU
// of each side is compared: on a shared machine other work only ever adds to a run's figure.
//
// Usage: bench_cpu_per_record [records] [runs]
// Needs node and tests/peers/node_modules (`make peers`); KWB_BINARY_DIR and KWB_SOURCE_DIR are
// set by CTest.
#include "BenchSupport.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace kwb;

namespace {

struct Measured
{
    int exitCode = -1;
    double cpuSeconds = 0;
    double userSeconds = 0;
    double systemSeconds = 0;
    double wallSeconds = 0;
    qint64 peakRss = 0;
    QByteArray out;
};

double seconds(const timeval &t)
{
    return double(t.tv_sec) + double(t.tv_usec) / 1e6;
}

/// Runs `args` (argv[0] is the program) with stdout into `outPath`, and returns its own CPU
/// (user + sys, from wait4) and exit code.
Measured run(const QStringList &args, const QString &outPath)
{
    std::vector<QByteArray> storage;
    for (const QString &a : args)
        storage.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray out = outPath.toLocal8Bit();
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(out.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 2); // node's warnings about its own version; a failure shows in the exit code
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Measured m;
    m.wallSeconds = double(timer.elapsed()) / 1000.0;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.userSeconds = seconds(usage.ru_utime);
    m.systemSeconds = seconds(usage.ru_stime);
    m.cpuSeconds = m.userSeconds + m.systemSeconds;
    m.peakRss = qint64(usage.ru_maxrss) * 1024;
    QFile file(outPath);
    if (file.open(QIODevice::ReadOnly))
        m.out = file.readAll();
    return m;
}

/// A fresh `kwb sandbox --no-limits` with a 4-shard stream `bench`; its URL, or empty.
QString startSandbox(QProcess &sandbox, const QString &kwb)
{
    sandbox.start(kwb, {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--no-limits"),
                        QStringLiteral("--streams"), QStringLiteral("bench:4")});
    if (!sandbox.waitForReadyRead(20000)) {
        std::fprintf(stderr, "kwb sandbox did not start: %s\n", sandbox.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(sandbox.readLine()).trimmed();
}

void stopSandbox(QProcess &sandbox)
{
    sandbox.terminate();
    if (!sandbox.waitForFinished(30000))
        sandbox.kill();
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    const int records = argc > 1 ? std::max(1, atoi(argv[1])) : 300000;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 3;
    constexpr int kSdkConcurrency = 16;
    const QString kwb = qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
    const QString script = qEnvironmentVariable("KWB_SOURCE_DIR") + QStringLiteral("/tests/peers/sdk-put.js");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty() || !QFile::exists(qEnvironmentVariable("KWB_SOURCE_DIR") + QStringLiteral("/tests/peers/node_modules/@aws-sdk/client-kinesis"))) {
        std::fprintf(stderr, "needs node and the test peers' @aws-sdk/client-kinesis: run `make peers`\n");
        return 2;
    }
    QTemporaryDir dir;
    const QString input = dir.filePath(QStringLiteral("records.txt"));
    {
        // Lines of 100 bytes: the line number, then x's.
        QFile file(input);
        if (!file.open(QIODevice::WriteOnly))
            return 2;
        QByteArray block;
        QByteArray line(100, 'x');
        line.append('\n');
        for (int i = 0; i < records; ++i) {
            const QByteArray n = QByteArray::number(i);
            std::copy(n.begin(), n.end(), line.begin());
            block += line;
            if (block.size() >= (4 << 20)) {
                file.write(block);
                block.clear();
            }
        }
        file.write(block);
    }
    const QString outPath = dir.filePath(QStringLiteral("out.json"));

    Measured bestKwb;
    Measured bestSdk;
    bestKwb.cpuSeconds = bestSdk.cpuSeconds = 1e9;
    bool allSucceeded = true;
    for (int i = 0; i < runs; ++i) {
        for (const bool isKwb : {true, false}) {
            QProcess sandbox;
            const QString endpoint = startSandbox(sandbox, kwb);
            if (endpoint.isEmpty())
                return 2;
            const QStringList args = isKwb
                ? QStringList{kwb, QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--output"), QStringLiteral("json"),
                              QStringLiteral("put"), QStringLiteral("--stream"), QStringLiteral("bench"), QStringLiteral("--format"),
                              QStringLiteral("lines"), input}
                : QStringList{node, script, endpoint, QStringLiteral("bench"), input, QString::number(kSdkConcurrency)};
            const Measured m = run(args, outPath);
            stopSandbox(sandbox);
            const QJsonObject summary = QJsonDocument::fromJson(m.out).object();
            const qint64 succeeded = summary.value(QStringLiteral("succeeded")).toInteger();
            const bool ok = m.exitCode == 0 && succeeded == records;
            std::printf("run %d %-4s: user %.3f s + sys %.3f s = %.3f s CPU, %.2f s wall, peak RSS %.0f MB, %lld succeeded%s\n",
                        i + 1, isKwb ? "kwb" : "SDK", m.userSeconds, m.systemSeconds, m.cpuSeconds, m.wallSeconds,
                        double(m.peakRss) / 1e6, static_cast<long long>(succeeded), ok ? "" : " (FAILED)");
            std::fflush(stdout);
            allSucceeded &= ok;
            Measured &best = isKwb ? bestKwb : bestSdk;
            if (ok && m.cpuSeconds < best.cpuSeconds)
                best = m;
        }
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) > 0)
        bench::info("load average (1 min) at the end", load[0], "");
    bench::info("kwb put: least CPU (user + sys)", bestKwb.cpuSeconds, "s");
    bench::info("  per record", bestKwb.cpuSeconds / records * 1e6, "us");
    bench::info("AWS SDK for JavaScript v3: least CPU (user + sys)", bestSdk.cpuSeconds, "s");
    bench::info("  per record", bestSdk.cpuSeconds / records * 1e6, "us");
    const double ratio = allSucceeded ? bestSdk.cpuSeconds / bestKwb.cpuSeconds : 0;
    bench::report("every record of every run succeeded", allSucceeded ? 1 : 0, "", allSucceeded, "all");
    const bool ok = bench::report("CPU of the JS SDK / CPU of kwb put, same 300k records", ratio, "x", ratio >= 3.0, ">= 3x");
    return ok && allSucceeded ? 0 : 1;
}
