#include "SandboxCommand.h"

#include "ShardMap.h"
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <optional>
#include <variant>

#include <sys/socket.h>
#include <unistd.h>

namespace kwb::cli {

namespace {

const QString kPort = QStringLiteral("port");
const QString kDataDir = QStringLiteral("data-dir");
const QString kRecoverDamaged = QStringLiteral("recover-damaged");
const QString kStreams = QStringLiteral("streams");
const QString kVerify = QStringLiteral("verify-signatures");
const QString kNoLimits = QStringLiteral("no-limits");
const QString kLimitScale = QStringLiteral("limit-scale");
const QString kFailRecords = QStringLiteral("fail-records");
const QString kFailRequests = QStringLiteral("fail-requests");
const QString kDropConnections = QStringLiteral("drop-connections");
const QString kLatency = QStringLiteral("latency");
const QString kSeed = QStringLiteral("seed");
const QString kRegion = QStringLiteral("region");
const QString kRetention = QStringLiteral("retention-hours");
const QString kShardLimit = QStringLiteral("shard-limit");

void printError(const QString &message)
{
    std::fprintf(stderr, "kwb: error: %s\n", message.toLocal8Bit().constData());
    std::fflush(stderr);
}

void note(const QString &message)
{
    std::fprintf(stderr, "kwb sandbox: %s\n", message.toLocal8Bit().constData());
    std::fflush(stderr);
}

/// "0.05" or "5%": a share from 0 to 1.
bool parseRate(const QString &text, double &rate)
{
    bool ok = false;
    if (text.endsWith(QLatin1Char('%')))
        rate = text.chopped(1).toDouble(&ok) / 100.0;
    else
        rate = text.toDouble(&ok);
    return ok && rate >= 0 && rate <= 1;
}

// The write end of a socket pair: the signal handler only writes a byte to it, which is
// async-signal-safe; the event loop reads the other end.
int g_signalPipe[2] = {-1, -1};

extern "C" void onStopSignal(int)
{
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}

struct UsageError
{
    QString message;
};

/// Options from the command line; a usage error names the option and the value.
std::variant<sandbox::SandboxOptions, UsageError> optionsFrom(const QCommandLineParser &parser, quint16 &port)
{
    sandbox::SandboxOptions options;
    const auto number = [&](const QString &name, qint64 low, qint64 high, qint64 &out) -> std::optional<UsageError> {
        if (!parser.isSet(name))
            return std::nullopt;
        bool ok = false;
        out = parser.value(name).toLongLong(&ok);
        if (!ok || out < low || out > high)
            return UsageError{QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'")
                                  .arg(name)
                                  .arg(low)
                                  .arg(high)
                                  .arg(parser.value(name))};
        return std::nullopt;
    };
    const auto rate = [&](const QString &name, double &out) -> std::optional<UsageError> {
        if (!parser.isSet(name))
            return std::nullopt;
        if (!parseRate(parser.value(name), out))
            return UsageError{QStringLiteral("--%1 takes a rate from 0 to 1 (or 0% to 100%), not '%2'")
                                  .arg(name, parser.value(name))};
        return std::nullopt;
    };
    qint64 value = 0;
    if (auto e = number(kPort, 0, 65535, value))
        return *e;
    port = parser.isSet(kPort) ? quint16(value) : 4567;
    options.dataDir = parser.value(kDataDir);
    options.recoverDamaged = parser.isSet(kRecoverDamaged);
    if (options.recoverDamaged && options.dataDir.isEmpty())
        return UsageError{QStringLiteral("--recover-damaged needs --data-dir DIR")};
    if (parser.isSet(kStreams)) {
        for (const QString &item : parser.value(kStreams).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QStringList parts = item.split(QLatin1Char(':'));
            bool ok = parts.size() <= 2;
            const int shards = parts.size() == 2 ? parts[1].toInt(&ok) : 1;
            if (!ok || parts[0].isEmpty() || shards < 1 || shards > ShardMap::kMaxVirtualShards)
                return UsageError{QStringLiteral("--streams takes NAME:SHARDS,... (SHARDS from 1 to %1), not '%2'")
                                      .arg(ShardMap::kMaxVirtualShards)
                                      .arg(item)};
            options.initialStreams.append({parts[0], shards});
        }
    }
    if (parser.isSet(kVerify)) {
        const QString key = parser.value(kVerify);
        const qsizetype colon = key.indexOf(QLatin1Char(':'));
        if (colon <= 0 || colon == key.size() - 1)
            return UsageError{QStringLiteral("--verify-signatures takes ACCESS_KEY_ID:SECRET_ACCESS_KEY")};
        options.accessKeyId = key.left(colon);
        options.secretAccessKey = key.mid(colon + 1);
    }
    options.limitsEnabled = !parser.isSet(kNoLimits);
    if (parser.isSet(kLimitScale)) {
        bool ok = false;
        options.limitScale = parser.value(kLimitScale).toDouble(&ok);
        if (!ok || options.limitScale <= 0 || options.limitScale > 1e6)
            return UsageError{QStringLiteral("--limit-scale takes a factor greater than 0, not '%1'").arg(parser.value(kLimitScale))};
    }
    if (auto e = rate(kFailRecords, options.recordFailureRate))
        return *e;
    double requests = 0;
    if (auto e = rate(kFailRequests, requests))
        return *e;
    // Half answered 500 InternalFailure, half 503 ServiceUnavailable: drawn one after the
    // other, so the share failing is 1 - (1 - r/2)^2, close to r for small rates.
    options.internalErrorRate = requests / 2;
    options.unavailableRate = requests / 2;
    if (auto e = rate(kDropConnections, options.dropConnectionRate))
        return *e;
    if (auto e = number(kLatency, 0, 600000, value))
        return *e;
    options.latencyMs = int(value);
    if (parser.isSet(kSeed)) {
        bool ok = false;
        options.seed = parser.value(kSeed).toULongLong(&ok);
        if (!ok)
            return UsageError{QStringLiteral("--seed takes a whole number, not '%1'").arg(parser.value(kSeed))};
    }
    if (parser.isSet(kRegion))
        options.region = parser.value(kRegion);
    if (auto e = number(kRetention, 1, 8760, value))
        return *e;
    if (parser.isSet(kRetention))
        options.retentionHours = int(value);
    if (auto e = number(kShardLimit, 1, 100000, value))
        return *e;
    if (parser.isSet(kShardLimit))
        options.shardLimit = int(value);
    return options;
}

} // namespace

void addSandboxOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {kPort, QStringLiteral("Port on 127.0.0.1 (default 4567; 0 picks a free one)."), QStringLiteral("PORT")},
        {kDataDir, QStringLiteral("Keep streams and records in DIR across restarts (default: in memory)."), QStringLiteral("DIR")},
        {kRecoverDamaged, QStringLiteral("Start even if a log in DIR is damaged: rename it aside to "
                                         "NAME.stream.damaged-TIME (kept) and carry its readable records into a "
                                         "fresh log. Without it the sandbox refuses to start and says what is damaged.")},
        {kStreams, QStringLiteral("Streams to create at start, e.g. orders:4,clicks:1."), QStringLiteral("NAME:SHARDS,...")},
        {kVerify, QStringLiteral("Require SigV4 signatures made with this key."), QStringLiteral("ACCESS_KEY:SECRET")},
        {kNoLimits, QStringLiteral("No per-shard write limits (1,000 records/s, 1 MiB/s).")},
        {kLimitScale, QStringLiteral("Multiply the per-shard write limits by FACTOR."), QStringLiteral("FACTOR")},
        {kFailRecords, QStringLiteral("Share of PutRecords entries failing with InternalFailure."), QStringLiteral("RATE")},
        {kFailRequests, QStringLiteral("Share of put requests answered 500 or 503."), QStringLiteral("RATE")},
        {kDropConnections, QStringLiteral("Share of put requests whose connection is closed unanswered."), QStringLiteral("RATE")},
        {kLatency, QStringLiteral("Milliseconds added before every answer."), QStringLiteral("MS")},
        {kSeed, QStringLiteral("Seed of the fault injection: the same seed, the same failures (default 1)."), QStringLiteral("N")},
        {kRetention, QStringLiteral("Hours records are kept (default 24)."), QStringLiteral("HOURS")},
        {kShardLimit, QStringLiteral("Open shards allowed across all streams (default 500)."), QStringLiteral("N")},
    });
}

int runSandboxCommand(const QCommandLineParser &parser)
{
    QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional.front() == QLatin1String("sandbox"))
        positional.removeFirst();
    if (!positional.isEmpty()) {
        printError(QStringLiteral("'sandbox' takes no arguments, not '%1'").arg(positional.front()));
        return 2;
    }
    quint16 port = 0;
    auto parsed = optionsFrom(parser, port);
    if (const auto *usage = std::get_if<UsageError>(&parsed)) {
        printError(usage->message);
        return 2;
    }
    const sandbox::SandboxOptions options = std::get<sandbox::SandboxOptions>(parsed);

    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0) {
        printError(QStringLiteral("cannot set up signal handling"));
        return 1;
    }
    struct sigaction action{};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    struct sigaction oldInt{};
    struct sigaction oldTerm{};
    ::sigaction(SIGINT, &action, &oldInt);
    ::sigaction(SIGTERM, &action, &oldTerm);

    int status = 0;
    {
        sandbox::SandboxServer server(options);
        // Nobody can click "approve" in an offline class: device sign-ins succeed at once.
        server.identity().setAutoApproveDevices(true);
        auto started = server.start(port);
        if (!started.ok()) {
            printError(started.error().message);
            status = 1;
        } else {
            // The first line on stdout is the endpoint: scripts and test fixtures read it.
            std::fprintf(stdout, "%s\n", started.value().toString().toUtf8().constData());
            std::fflush(stdout);
            note(QStringLiteral("listening on 127.0.0.1 only (not reachable from other machines); "
                                "stop with Ctrl+C"));
            for (const QString &line : server.notes())
                note(line);
            if (!options.initialStreams.isEmpty()) {
                QStringList streams;
                for (const sandbox::InitialStream &stream : options.initialStreams)
                    streams.append(QStringLiteral("%1 (%2 shard%3)")
                                       .arg(stream.name)
                                       .arg(stream.shardCount)
                                       .arg(stream.shardCount == 1 ? QString() : QStringLiteral("s")));
                note(QStringLiteral("streams: %1").arg(streams.join(QStringLiteral(", "))));
            }
            if (!options.dataDir.isEmpty())
                note(QStringLiteral("data directory: %1").arg(options.dataDir));
            else
                note(QStringLiteral("in memory: streams and records are gone when it stops (--data-dir keeps them)"));
            note(options.limitsEnabled ? QStringLiteral("per-shard write limits on (x%1)").arg(options.limitScale)
                                       : QStringLiteral("per-shard write limits off"));
            if (options.verifiesSignatures())
                note(QStringLiteral("signatures required, access key %1").arg(options.accessKeyId));
            if (options.recordFailureRate > 0 || options.internalErrorRate > 0 || options.dropConnectionRate > 0
                || options.latencyMs > 0)
                note(QStringLiteral("faults: records %1, requests 500 %2 / 503 %3, dropped %4, latency %5 ms, seed %6")
                         .arg(options.recordFailureRate)
                         .arg(options.internalErrorRate)
                         .arg(options.unavailableRate)
                         .arg(options.dropConnectionRate)
                         .arg(options.latencyMs)
                         .arg(options.seed));
            QEventLoop loop;
            QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
            QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&loop] {
                char byte = 0;
                [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &byte, 1);
                loop.quit();
            });
            loop.exec();
            server.stop();
            const sandbox::SandboxStats stats = server.stats();
            note(QStringLiteral("stopped after %1 requests (%2 records accepted, %3 throttled, %4 failed)")
                     .arg(stats.requests)
                     .arg(stats.recordsAccepted)
                     .arg(stats.recordsThrottled)
                     .arg(stats.recordsFailed));
        }
    }
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    g_signalPipe[0] = g_signalPipe[1] = -1;
    return status;
}

int runSandboxCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help."));
    parser.addOption(help);
    // kwb has --region as a global option; here it is added like kwb does.
    parser.addOption({kRegion, QStringLiteral("Region in stream ARNs (default us-east-1)."), QStringLiteral("REGION")});
    addSandboxOptions(parser);
    if (!parser.parse(arguments)) {
        printError(parser.errorText() + QStringLiteral("; run 'kwb sandbox --help'"));
        return 2;
    }
    if (parser.isSet(help)) {
        parser.setApplicationDescription(QStringLiteral("Serve a Kinesis-compatible endpoint on 127.0.0.1 for trying things out."));
        std::fprintf(stdout, "%s", parser.helpText().toLocal8Bit().constData());
        return 0;
    }
    return runSandboxCommand(parser);
}

} // namespace kwb::cli
