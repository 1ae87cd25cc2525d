#include "SandboxCommand.h"

#include "OptionValues.h"
#include "ProcessMemory.h"
#include "ShardMap.h"
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

namespace kwb::cli {

namespace {

const QString kPort = QStringLiteral("port");
const QString kDataDir = QStringLiteral("data-dir");
const QString kRecoverDamaged = QStringLiteral("recover-damaged");
const QString kStreams = QStringLiteral("streams");
const QString kVerify = QStringLiteral("verify-signatures");
const QString kVerifyFile = QStringLiteral("verify-signatures-file");
/// The key pair for --verify-signatures from the environment: kept out of the process list.
constexpr const char *kVerifyEnv = "KWB_SANDBOX_VERIFY_SIGNATURES";
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

/// The key pair that signatures must be made with: "ACCESS_KEY_ID:SECRET_ACCESS_KEY" from
/// --verify-signatures (the value, or @FILE), --verify-signatures-file FILE or the environment
/// variable kVerifyEnv. At most one of them; none leaves signatures unchecked.
struct KeyPairSource
{
    QString text;         ///< "ACCESS_KEY_ID:SECRET_ACCESS_KEY"
    QString from;         ///< where it came from, for messages: "--verify-signatures-file keys.txt"
    bool onCommandLine = false;
    bool readableByOthers = false; ///< a key file that group or others may read
};

std::variant<std::optional<KeyPairSource>, UsageError> keyPairSource(const QCommandLineParser &parser)
{
    std::vector<KeyPairSource> given;
    QString file;
    if (parser.isSet(kVerify)) {
        const QString value = parser.value(kVerify);
        if (value.startsWith(QLatin1Char('@')))
            file = value.mid(1);
        else
            given.push_back({value, QStringLiteral("--verify-signatures"), true});
    }
    if (parser.isSet(kVerifyFile)) {
        if (!file.isEmpty())
            return UsageError{QStringLiteral("give --verify-signatures @FILE or --verify-signatures-file FILE, not both")};
        file = parser.value(kVerifyFile);
    }
    if (!file.isEmpty() || parser.isSet(kVerifyFile)) {
        QFile in(file);
        if (file.isEmpty() || !in.open(QIODevice::ReadOnly))
            return UsageError{QStringLiteral("cannot read the key file '%1': %2")
                                  .arg(file, file.isEmpty() ? QStringLiteral("no file name given") : in.errorString())};
        // A key pair is about a hundred bytes; anything much larger is the wrong file.
        constexpr qint64 kMaxKeyFileBytes = 4096;
        const QByteArray content = in.read(kMaxKeyFileBytes + 1);
        if (content.size() > kMaxKeyFileBytes)
            return UsageError{QStringLiteral("the key file '%1' is larger than %2 bytes; it must hold one line "
                                             "ACCESS_KEY_ID:SECRET_ACCESS_KEY")
                                  .arg(file)
                                  .arg(kMaxKeyFileBytes)};
        const qsizetype newline = content.indexOf('\n');
        const bool shared = (in.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)) != 0;
        given.push_back({QString::fromUtf8(newline < 0 ? content : content.left(newline)).trimmed(),
                         QStringLiteral("the key file '%1'").arg(file), false, shared});
    }
    if (const QString env = qEnvironmentVariable(kVerifyEnv); !env.isEmpty())
        given.push_back({env.trimmed(), QStringLiteral("the environment variable %1").arg(QLatin1String(kVerifyEnv)), false});
    if (given.empty())
        return std::nullopt;
    if (given.size() > 1)
        return UsageError{QStringLiteral("the key for --verify-signatures is given twice (%1 and %2); give it once")
                              .arg(given[0].from, given[1].from)};
    return std::optional<KeyPairSource>(given.front());
}

/// Options from the command line; a usage error names the option and the value.
std::variant<sandbox::SandboxOptions, UsageError> optionsFrom(const QCommandLineParser &parser, quint16 &port,
                                                             QStringList &warnings)
{
    sandbox::SandboxOptions options;
    std::optional<UsageError> usage;
    // Each option is read on its own (kwb::cli::option): a missing one takes its default here.
    const auto take = [&usage](auto result, auto &target) {
        if (usage)
            return;
        if (!result.ok())
            usage = UsageError{result.error().message};
        else
            target = std::remove_reference_t<decltype(target)>(result.value());
    };
    take(option::wholeNumber(parser, kPort, 0, 65535, 4567), port);
    take(option::wholeNumber(parser, kLatency, 0, 600000, options.latencyMs), options.latencyMs);
    take(option::wholeNumber(parser, kRetention, 1, 8760, options.retentionHours), options.retentionHours);
    take(option::wholeNumber(parser, kShardLimit, 1, 100000, options.shardLimit), options.shardLimit);
    take(option::number(parser, kLimitScale, 0, 1e6, options.limitScale, QStringLiteral("a factor")), options.limitScale);
    take(option::rate(parser, kFailRecords, options.recordFailureRate), options.recordFailureRate);
    double requests = 0;
    take(option::rate(parser, kFailRequests, 0), requests);
    take(option::rate(parser, kDropConnections, options.dropConnectionRate), options.dropConnectionRate);
    if (usage)
        return *usage;
    // Half answered 500 InternalFailure, half 503 ServiceUnavailable: drawn one after the
    // other, so the share failing is 1 - (1 - r/2)^2, close to r for small rates.
    options.internalErrorRate = requests / 2;
    options.unavailableRate = requests / 2;

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
    auto keys = keyPairSource(parser);
    if (const auto *bad = std::get_if<UsageError>(&keys))
        return *bad;
    if (const auto &source = std::get<std::optional<KeyPairSource>>(keys)) {
        const qsizetype colon = source->text.indexOf(QLatin1Char(':'));
        if (colon <= 0 || colon == source->text.size() - 1)
            return UsageError{QStringLiteral("--verify-signatures takes ACCESS_KEY_ID:SECRET_ACCESS_KEY; %1 does not hold that")
                                  .arg(source->from)};
        options.accessKeyId = source->text.left(colon);
        options.secretAccessKey = source->text.mid(colon + 1);
        if (source->onCommandLine)
            warnings.append(QStringLiteral("warning: a secret key on the command line can be read by every user of this "
                                           "machine (ps, /proc); use --verify-signatures-file FILE or the environment "
                                           "variable %1 instead")
                                .arg(QLatin1String(kVerifyEnv)));
        if (source->readableByOthers)
            warnings.append(QStringLiteral("warning: %1 can be read by other users; make it private with chmod 600")
                                .arg(source->from));
    }
    options.limitsEnabled = !parser.isSet(kNoLimits);
    if (parser.isSet(kSeed)) {
        bool ok = false;
        options.seed = parser.value(kSeed).toULongLong(&ok);
        if (!ok)
            return UsageError{QStringLiteral("--seed takes a whole number, not '%1'").arg(parser.value(kSeed))};
    }
    if (parser.isSet(kRegion))
        options.region = parser.value(kRegion);
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
        {kVerify,
         QStringLiteral("Require SigV4 signatures made with this key (@FILE: the key in FILE). A secret given here "
                        "shows in the process list: use a key file or the environment variable %1 instead.")
             .arg(QLatin1String(kVerifyEnv)),
         QStringLiteral("ACCESS_KEY:SECRET")},
        {kVerifyFile, QStringLiteral("Require SigV4 signatures made with the key in FILE (one line ACCESS_KEY:SECRET)."),
         QStringLiteral("FILE")},
        {kNoLimits, QStringLiteral("No per-shard limits (writes: 1,000 records/s, 1 MiB/s; reads: 5 GetRecords/s, 2 MiB/s).")},
        {kLimitScale, QStringLiteral("Multiply the per-shard write and read limits by FACTOR."), QStringLiteral("FACTOR")},
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
    // This process serves the sandbox from here on: what its connections free leaves it, so that
    // its memory stays within its HTTP limits' bound under abuse (docs/sandbox.md).
    returnFreedMemoryToTheSystem();
    quint16 port = 0;
    QStringList warnings;
    auto parsed = optionsFrom(parser, port, warnings);
    if (const auto *usage = std::get_if<UsageError>(&parsed)) {
        printError(usage->message);
        return 2;
    }
    for (const QString &warning : std::as_const(warnings))
        note(warning);
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
            note(options.limitsEnabled ? QStringLiteral("per-shard write and read limits on (x%1)").arg(options.limitScale)
                                       : QStringLiteral("per-shard write and read limits off"));
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
