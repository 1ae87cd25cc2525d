// Memory stays bounded by a window, whatever the input size:
//  - `cat 10M-records | kwb put --stream s -` (100-byte records, through a pipe) into the built-in
//    sandbox with its limits off: peak RSS <= 150 MB, every record succeeded. With
//    --no-flow-control: the sandbox's limits are off, and what is measured is memory, not pacing;
//    a paced run holds fewer records in flight, not more;
//  - `kwb preview` of a 189 MB file of 20,000,000 short lines, as a table and as JSON: peak RSS
//    <= 100 MB each, every record in the output.
// Each kwb runs in its own process, started here with fork/exec and reaped with wait4, so its peak
// RSS is its own (ru_maxrss).
#include "BenchSupport.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
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
    qint64 peakRss = 0;
    double seconds = 0;
    double cpuSeconds = 0;
};

/// Runs `args` with stdout into `outPath`; `feed` (if set) writes the child's stdin through a
/// pipe and closes it. Returns the child's own exit code and peak RSS.
Measured run(const QStringList &args, const QString &outPath, const std::function<void(int fd)> &feed = {})
{
    std::vector<QByteArray> storage;
    for (const QString &a : args)
        storage.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int pipeFds[2] = {-1, -1};
    if (feed && ::pipe(pipeFds) != 0)
        return {};
    const QByteArray out = outPath.toLocal8Bit();
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (feed) {
            ::dup2(pipeFds[0], 0);
            ::close(pipeFds[0]);
            ::close(pipeFds[1]);
        }
        const int fd = ::open(out.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (feed) {
        ::close(pipeFds[0]);
        feed(pipeFds[1]);
        ::close(pipeFds[1]);
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Measured m;
    m.seconds = double(timer.elapsed()) / 1000.0;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.peakRss = qint64(usage.ru_maxrss) * 1024;
    m.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return m;
}

bool writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

} // namespace

int main()
{
    std::signal(SIGPIPE, SIG_IGN);
    const QString kwb = qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
    QTemporaryDir dir;
    bool ok = true;

    // --- kwb put of 10,000,000 records of 100 bytes, through a pipe.
    {
        constexpr qint64 kRecords = 10'000'000;
        QProcess sandbox;
        sandbox.start(kwb, {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--no-limits"),
                            QStringLiteral("--streams"), QStringLiteral("bench:4")});
        if (!sandbox.waitForReadyRead(20000)) {
            std::fprintf(stderr, "kwb sandbox did not start: %s\n", sandbox.readAllStandardError().constData());
            return 2;
        }
        const QString endpoint = QString::fromUtf8(sandbox.readLine()).trimmed();
        const QString summaryPath = dir.filePath(QStringLiteral("put-summary.json"));
        const Measured put = run({kwb, QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("--output"), QStringLiteral("json"),
                                  QStringLiteral("put"), QStringLiteral("--stream"), QStringLiteral("bench"), QStringLiteral("--format"),
                                  QStringLiteral("lines"), QStringLiteral("-"), QStringLiteral("--no-flow-control")},
                                 summaryPath, [](int fd) {
                                     // Lines of 100 bytes (a number, then x's), 4 MiB at a time.
                                     QByteArray block;
                                     QByteArray line(100, 'x');
                                     line.append('\n');
                                     for (qint64 i = 0; i < kRecords; ++i) {
                                         const QByteArray n = QByteArray::number(i);
                                         std::copy(n.begin(), n.end(), line.begin());
                                         block += line;
                                         if (block.size() >= (4 << 20)) {
                                             if (!writeAll(fd, block.constData(), size_t(block.size())))
                                                 return;
                                             block.clear();
                                         }
                                     }
                                     writeAll(fd, block.constData(), size_t(block.size()));
                                 });
        sandbox.terminate();
        sandbox.waitForFinished(30000);
        QFile summaryFile(summaryPath);
        summaryFile.open(QIODevice::ReadOnly);
        const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
        const qint64 succeeded = summary.value(QStringLiteral("succeeded")).toInteger();
        bench::info("kwb put -, 10M x 100-byte records: wall time", put.seconds, "s");
        bench::info("  records/s (send phase)", summary.value(QStringLiteral("recordsPerSecond")).toDouble(), "rec/s");
        bench::info("  CPU (user + sys)", put.cpuSeconds, "s");
        ok &= bench::report("  every record succeeded", double(succeeded), "records", put.exitCode == 0 && succeeded == kRecords,
                            "10,000,000, exit 0");
        ok &= bench::report("kwb put -, 10M x 100-byte records: peak RSS", double(put.peakRss) / 1e6, "MB",
                            put.peakRss <= 150'000'000, "<= 150 MB");
    }

    // --- kwb preview of 20,000,000 short lines (189 MB), as a table and as JSON.
    {
        constexpr qint64 kLines = 20'000'000;
        const QString input = dir.filePath(QStringLiteral("lines.txt"));
        {
            QFile file(input);
            file.open(QIODevice::WriteOnly);
            QByteArray block;
            for (qint64 i = 0; i < kLines; ++i) {
                // 8 or 9 characters and a line feed: 189 MB in all, like the file in the issue.
                block += QByteArray::number(i % 2 == 0 ? 10'000'000 + i : 100'000'000 + i);
                block += '\n';
                if (block.size() >= (4 << 20)) {
                    file.write(block);
                    block.clear();
                }
            }
            file.write(block);
        }
        bench::info("preview input: 20M lines", double(QFileInfo(input).size()) / 1e6, "MB");
        for (const QString &format : {QStringLiteral("table"), QStringLiteral("json")}) {
            const QString outPath = dir.filePath(QStringLiteral("preview.") + format);
            const Measured preview = run({kwb, QStringLiteral("--output"), format, QStringLiteral("preview"), input, QStringLiteral("--shards"),
                                          QStringLiteral("8"), QStringLiteral("--format"), QStringLiteral("lines")},
                                         outPath);
            // Every record in the output, and the summary at its end.
            QFile out(outPath);
            out.open(QIODevice::ReadOnly);
            qint64 lines = 0;
            QByteArray tail;
            while (!out.atEnd()) {
                const QByteArray block = out.read(8 << 20);
                lines += block.count('\n');
                tail = (tail + block).right(4096);
            }
            // Table: a header, the rows, a blank line, the summary (a header, 8 shards, the total).
            // JSON: "{", the records one a line, the shards one a line, and the brackets.
            const qint64 expectedLines = format == QLatin1String("table") ? 1 + kLines + 1 + 10 : 1 + kLines + 2 + 8 + 3;
            const bool complete = preview.exitCode == 0 && lines == expectedLines
                && (format == QLatin1String("table") ? tail.contains("total") && tail.contains("20000000") : tail.contains("\"shards\""));
            const QByteArray name = "kwb preview, 20M lines, " + format.toLatin1() + ": peak RSS";
            bench::info(("kwb preview, 20M lines, " + format.toLatin1() + ": wall time").constData(), preview.seconds, "s");
            bench::info("  CPU (user + sys)", preview.cpuSeconds, "s");
            ok &= bench::report("  output complete (every record, then the summary)", double(lines), "lines", complete,
                                "all 20M records");
            ok &= bench::report(name.constData(), double(preview.peakRss) / 1e6, "MB", preview.peakRss <= 100'000'000, "<= 100 MB");
        }
    }
    return ok ? 0 : 1;
}
