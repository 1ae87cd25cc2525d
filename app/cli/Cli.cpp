#include "Cli.h"

#include "HashKey.h"
#include "Logging.h"
#include "OptionValues.h"
#include "SandboxCommand.h"
#include "ShardMap.h"
#include "aws/ConnectionSettings.h"
#include "aws/StreamArn.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

namespace kwb::cli {

namespace {

const QCommandLineOption kEndpointOption(QStringLiteral("endpoint-url"),
                                         QStringLiteral("Kinesis endpoint, e.g. http://127.0.0.1:4567."), QStringLiteral("URL"));
const QCommandLineOption kRegionOption(QStringLiteral("region"), QStringLiteral("AWS region."), QStringLiteral("REGION"));
const QCommandLineOption kProfileOption(QStringLiteral("profile"), QStringLiteral("Profile from the AWS shared config files."),
                                        QStringLiteral("PROFILE"));
const QCommandLineOption kMfaCodeOption(QStringLiteral("mfa-code"),
                                       QStringLiteral("MFA code for a role profile with mfa_serial (else the environment variable "
                                                      "KWB_MFA_CODE, else asked on the terminal). kwb removes it from the process "
                                                      "list as it starts."),
                                       QStringLiteral("CODE"));
const QCommandLineOption kOutputOption(QStringLiteral("output"), QStringLiteral("Output format: table (default; text is the same) or json."),
                                       QStringLiteral("FORMAT"), QStringLiteral("table"));
const QCommandLineOption kConnectTimeoutOption(QStringLiteral("connect-timeout"),
                                               QStringLiteral("Seconds to wait for a connection (default 10)."),
                                               QStringLiteral("SECONDS"));
const QCommandLineOption kTimeoutOption(QStringLiteral("timeout"),
                                        QStringLiteral("Seconds of silence before a request times out (default 30)."),
                                        QStringLiteral("SECONDS"));
const QCommandLineOption kDebugOption(QStringLiteral("debug"), QStringLiteral("Log each request on stderr (never secrets)."));
const QCommandLineOption kHelpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help."));
const QCommandLineOption kVersionOption(QStringLiteral("version"), QStringLiteral("Show the version."));

/// Global options that take a value, to find the command name behind them.
const QStringList kValueOptions{QStringLiteral("--endpoint-url"), QStringLiteral("--region"), QStringLiteral("--profile"),
                                QStringLiteral("--output"), QStringLiteral("--connect-timeout"), QStringLiteral("--timeout"),
                                QStringLiteral("--mfa-code")};

int exitCodeFor(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Input:
    case Error::Kind::Config:
        return ExitUsage;
    default:
        return ExitServiceError;
    }
}

QString shardState(const Shard &shard)
{
    return shard.isOpen() ? QStringLiteral("open") : QStringLiteral("closed");
}

} // namespace

Cli::Cli(QStringList arguments, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
{
    m_commands = {
        {QStringLiteral("streams"), QStringLiteral("streams"), QStringLiteral("List the stream names (all pages)."),
         [](QCommandLineParser &) {}, [this](QCommandLineParser &p) { runStreams(p); }},
        {QStringLiteral("shards"), QStringLiteral("shards STREAM"),
         QStringLiteral("List a stream's shards: id, parent, hash key range, open or closed. STREAM is a name or an ARN."),
         [](QCommandLineParser &) {}, [this](QCommandLineParser &p) { runShards(p); }},
        {QStringLiteral("create-stream"), QStringLiteral("create-stream STREAM (--shards N | --on-demand) [--wait]"),
         QStringLiteral("Create a stream with N shards (or on-demand); --wait returns once it is ACTIVE."),
         [](QCommandLineParser &p) {
             p.addOption({QStringLiteral("shards"), QStringLiteral("Number of shards."), QStringLiteral("N")});
             p.addOption({QStringLiteral("on-demand"), QStringLiteral("Create an on-demand stream.")});
             p.addOption({QStringLiteral("wait"), QStringLiteral("Wait until the stream is ACTIVE.")});
             p.addOption({QStringLiteral("wait-timeout"), QStringLiteral("Seconds to wait with --wait (default 300)."),
                          QStringLiteral("SECONDS"), QStringLiteral("300")});
         },
         [this](QCommandLineParser &p) { runCreateStream(p); }},
        {QStringLiteral("delete-stream"), QStringLiteral("delete-stream STREAM"),
         QStringLiteral("Delete a stream (name or ARN) and its records."), [](QCommandLineParser &) {},
         [this](QCommandLineParser &p) { runDeleteStream(p); }},
        {QStringLiteral("hash"), QStringLiteral("hash KEY... [--shards N | --stream STREAM]"),
         QStringLiteral("Show each partition key's MD5, its 128-bit hash key and the shard it lands on, in a "
                        "virtual stream of N evenly split shards or in a real stream."),
         [](QCommandLineParser &p) {
             p.addOption({QStringLiteral("shards"), QStringLiteral("Route in a virtual stream of N shards."), QStringLiteral("N")});
             p.addOption({QStringLiteral("stream"), QStringLiteral("Route in this stream's real shard map."),
                          QStringLiteral("STREAM")});
         },
         [this](QCommandLineParser &p) { runHash(p); }},
        {QStringLiteral("deaggregate"),
         QStringLiteral("deaggregate FILE|- [--input-format auto|json|base64|raw] [--data-encoding base64|utf8|hex]"),
         QStringLiteral("Print the user records inside KPL aggregated Kinesis records as JSON Lines: partitionKey, "
                        "explicitHashKey, subSequenceNumber and data. Reads the output of aws kinesis get-records (or a "
                        "Lambda Kinesis event), base64 records one per line, or one raw record. Records that are not "
                        "aggregated are printed as they are; broken ones (bad MD5, malformed) are reported with the "
                        "reason, never printed as user records, and make the exit status 2."),
         [](QCommandLineParser &p) {
             p.addOption({QStringLiteral("input-format"),
                          QStringLiteral("auto (default), json (get-records output), base64 (one record per line) or raw."),
                          QStringLiteral("FORMAT")});
             p.addOption({QStringLiteral("data-encoding"),
                          QStringLiteral("How data is printed: base64 (default), utf8 or hex."), QStringLiteral("ENCODING")});
         },
         [this](QCommandLineParser &p) { runDeaggregate(p); }},
        {QStringLiteral("put"),
         QStringLiteral("put (--stream S | --stream-arn ARN) FILE... [--format F] [--partition-key-field PATH | "
                        "--partition-key-strategy uuid|constant:X|index|random] [--results FILE.jsonl|FILE.csv] ..."),
         QStringLiteral("Import records from files (- for standard input) and send them with PutRecords as they are read, "
                        "retrying what can be retried. The input streams through in bounded memory: a batch leaves when "
                        "it is full or when a quiet pipe's records have waited --linger ms. --results is written as rows "
                        "finish, and still says what succeeded if kwb is killed. Exit 0 when every record succeeded, 1 "
                        "when some failed (or on Ctrl-C/SIGTERM, after writing the results), 2 for bad input."),
         [this](QCommandLineParser &p) { addPutOptions(p, true); }, [this](QCommandLineParser &p) { runPut(p); }},
        {QStringLiteral("preview"), QStringLiteral("preview FILE... (--shards N | --stream STREAM) [--format F] ..."),
         QStringLiteral("Show which shard each record would land on, and a per-shard summary, without sending."),
         [this](QCommandLineParser &p) {
             addPutOptions(p, true);
             p.addOption({QStringLiteral("shards"), QStringLiteral("Route in a virtual stream of N shards."), QStringLiteral("N")});
         },
         [this](QCommandLineParser &p) { runPreview(p); }},
        {QStringLiteral("retry"), QStringLiteral("retry RESULTS.jsonl (--stream S | --stream-arn ARN) [--results NEW.jsonl] [--resend-unknown]"),
         QStringLiteral("Send again the rows of an earlier run that did not succeed (failed or pending), writing a new "
                        "results file (default RESULTS.retry.jsonl). Reads the file of a run that was killed, also cut in "
                        "the middle of a line. Rows that may or may not be in the stream (in flight when the run was "
                        "killed, or aborted) are reported and sent only with --resend-unknown."),
         [this](QCommandLineParser &p) { addPutOptions(p, false); }, [this](QCommandLineParser &p) { runRetry(p); }},
        {QStringLiteral("generate"),
         QStringLiteral("generate TEMPLATE [--key '{{...}}'] [--ehk '{{...}}'] [--seed N] (--count N | --duration 60s | "
                        "--until-stopped) [--per-second N | --per-shard-per-second N | --ramp FROM:TO:SECONDS] "
                        "(--stream S | --output FILE.jsonl | --preview N)"),
         QStringLiteral("Make records from a KDG-style template ({{random.number(10)}}, {{name.firstName}} ...; "
                        "--list-helpers lists them) and send them at a rate, write them as JSON Lines for 'kwb put', or "
                        "preview the first N with their shards and the load per shard. A seed makes a run reproducible."),
         [this](QCommandLineParser &p) { addGenerateOptions(p); }, [this](QCommandLineParser &p) { runGenerate(p); }},
        {QStringLiteral("replay"),
         QStringLiteral("replay FILE --timestamp-field PATH [--speed X] [--loop] [--restamp] --stream S"),
         QStringLiteral("Send a JSON Lines file as if live: each record when its timestamp comes due, X times faster "
                        "(or at a fixed --per-second rate); --loop starts again at the end, --restamp writes the "
                        "sending time into the timestamp field."),
         [this](QCommandLineParser &p) { addReplayOptions(p); }, [this](QCommandLineParser &p) { runReplay(p); }},
        {QStringLiteral("sandbox"),
         QStringLiteral("sandbox [--port P] [--data-dir DIR] [--streams NAME:SHARDS,...] [--verify-signatures-file FILE] "
                        "[--no-limits] [--fail-records RATE] [--fail-requests RATE] [--latency MS] [--seed N]"),
         QStringLiteral("Serve a Kinesis-compatible endpoint on 127.0.0.1 (the built-in sandbox) until Ctrl+C; prints its URL "
                        "first."),
         [](QCommandLineParser &p) { addSandboxOptions(p); }, [this](QCommandLineParser &p) { finish(runSandboxCommand(p)); }},
        {QStringLiteral("tail"),
         QStringLiteral("tail STREAM [--shard ID]... [--from latest|trim-horizon|TIME|SEQ] [--count N] "
                        "[--output text|json] [--data-encoding utf8|base64|hex]"),
         QStringLiteral("Print the records arriving in a stream, one line per record (tab-separated shard, sequence number, "
                        "partition key, arrival time and data; JSON Lines with --output json), from every shard at once, "
                        "within the read limits, following resharding; until Ctrl+C (exit 0) or N records."),
         [this](QCommandLineParser &p) { addTailOptions(p); }, [this](QCommandLineParser &p) { runTail(p); }},
        {QStringLiteral("whoami"), QStringLiteral("whoami"),
         QStringLiteral("Show the account and ARN the credentials stand for (STS GetCallerIdentity) and where they came from."),
         [](QCommandLineParser &) {}, [this](QCommandLineParser &p) { runWhoAmI(p); }},
        {QStringLiteral("sso"), QStringLiteral("sso login --profile PROFILE [--no-browser]"),
         QStringLiteral("Sign in to IAM Identity Center for an SSO profile with the device flow: prints a URL and a code, "
                        "waits until the sign-in is approved in the browser, and caches the token where the AWS CLI does."),
         [](QCommandLineParser &p) {
             p.addOption({QStringLiteral("no-browser"), QStringLiteral("Only print the URL; do not open a browser.")});
         },
         [this](QCommandLineParser &p) { runSsoLogin(p); }},
    };
}

void Cli::addGlobalOptions(QCommandLineParser &parser)
{
    parser.addOptions({kEndpointOption, kRegionOption, kProfileOption, kMfaCodeOption, kOutputOption, kConnectTimeoutOption,
                       kTimeoutOption, kDebugOption, kHelpOption, kVersionOption});
}

void Cli::printHelp(const Command *command)
{
    QCommandLineParser parser;
    addGlobalOptions(parser);
    if (command) {
        command->addOptions(parser);
        parser.setApplicationDescription(command->description);
        QString help = parser.helpText();
        help.replace(QRegularExpression(QStringLiteral("^Usage: \\S+ \\[options\\]")),
                     QStringLiteral("Usage: kwb [options] %1").arg(command->synopsis));
        m_out.line(help.trimmed());
        return;
    }
    parser.setApplicationDescription(QStringLiteral("kwb: publish records to Amazon Kinesis Data Streams from scripts and CI."));
    QString help = parser.helpText();
    help.replace(QRegularExpression(QStringLiteral("^Usage: \\S+ \\[options\\]")), QStringLiteral("Usage: kwb [options] COMMAND ..."));
    help += QStringLiteral("\nCommands:\n");
    for (const Command &c : m_commands)
        help += QStringLiteral("  %1\n      %2\n").arg(c.synopsis, c.description);
    help += QStringLiteral("\nRun 'kwb COMMAND --help' for a command's options.\n"
                           "Exit status: 0 success, 1 service or network error, 2 usage or input error.");
    m_out.line(help);
}

void Cli::start()
{
    // The command is the first argument that is neither an option nor an option's value.
    QString name;
    for (qsizetype i = 1; i < m_arguments.size(); ++i) {
        const QString &a = m_arguments[i];
        if (a.startsWith(QLatin1Char('-'))) {
            if (kValueOptions.contains(a))
                ++i;
            continue;
        }
        name = a;
        break;
    }
    const auto it = std::find_if(m_commands.begin(), m_commands.end(), [&](const Command &c) { return c.name == name; });
    if (name.isEmpty() || it == m_commands.end()) {
        if (m_arguments.contains(QStringLiteral("--version"))) {
            m_out.line(QStringLiteral("kwb %1").arg(QLatin1String(KWB_VERSION)));
            return finish(ExitOk);
        }
        if (m_arguments.contains(QStringLiteral("--help")) || m_arguments.contains(QStringLiteral("-h"))) {
            printHelp(nullptr);
            return finish(ExitOk);
        }
        return usageError(name.isEmpty() ? QStringLiteral("no command given; run 'kwb --help' for the list")
                                         : QStringLiteral("unknown command '%1'; run 'kwb --help' for the list").arg(name));
    }
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    addGlobalOptions(parser);
    it->addOptions(parser);
    if (!parser.parse(m_arguments))
        return usageError(parser.errorText() + QStringLiteral("; run 'kwb %1 --help'").arg(name));
    if (parser.isSet(kHelpOption)) {
        printHelp(&*it);
        return finish(ExitOk);
    }
    if (parser.isSet(kVersionOption)) {
        m_out.line(QStringLiteral("kwb %1").arg(QLatin1String(KWB_VERSION)));
        return finish(ExitOk);
    }
    if (!applyGlobalOptions(parser))
        return;
    it->run(parser);
}

bool Cli::applyGlobalOptions(QCommandLineParser &parser)
{
    const QString format = parser.value(kOutputOption);
    // kwb generate --output FILE.jsonl (or -) names the file the records go to.
    if (parser.positionalArguments().value(0) == QLatin1String("generate")
        && (format.endsWith(QLatin1String(".jsonl")) || format == QLatin1String("-")))
        m_outputFile = format;
    else if (format == QLatin1String("table") || format == QLatin1String("text"))
        m_out.setFormat(OutputFormat::Table);
    else if (format == QLatin1String("json"))
        m_out.setFormat(OutputFormat::Json);
    else {
        usageError(QStringLiteral("--output must be 'table' (or 'text') or 'json', not '%1'").arg(format));
        return false;
    }
    for (auto [option, targetMs] : {std::pair{&kConnectTimeoutOption, &m_connectTimeoutMs}, std::pair{&kTimeoutOption, &m_timeoutMs}}) {
        const auto seconds = option::number(parser, option->names().constFirst(), 0, 3600, *targetMs / 1000.0,
                                            QStringLiteral("a number of seconds"));
        if (!seconds.ok()) {
            usageError(seconds.error().message);
            return false;
        }
        *targetMs = int(seconds.value() * 1000);
    }
    m_endpointUrl = parser.value(kEndpointOption);
    m_region = parser.value(kRegionOption);
    m_profile = parser.value(kProfileOption);
    m_mfaCode = parser.isSet(kMfaCodeOption) ? parser.value(kMfaCodeOption) : qEnvironmentVariable(kMfaCodeVariable).trimmed();
    if (parser.isSet(kDebugOption))
        QLoggingCategory::setFilterRules(QStringLiteral("kwb.*.debug=true"));
    return true;
}

net::KinesisClient *Cli::client()
{
    if (m_client)
        return m_client.get();
    aws::ConnectionOptions options;
    options.endpointUrl = m_endpointUrl;
    options.region = m_region;
    options.profile = m_profile;
    options.allowAnonymousFallback = true;
    options.mfaCodeProvider = mfaCodeProvider();
    auto settings = aws::resolveConnection(options, aws::Environment::system());
    if (!settings.ok()) {
        fail(settings.error());
        return nullptr;
    }
    net::ClientOptions clientOptions;
    clientOptions.endpoint = settings.value().endpoint;
    clientOptions.region = settings.value().region;
    clientOptions.credentials = settings.value().credentials;
    clientOptions.connectTimeoutMs = m_connectTimeoutMs;
    clientOptions.transferTimeoutMs = m_timeoutMs;
    m_client = std::make_unique<net::KinesisClient>(clientOptions);
    startRefreshing(clientOptions.credentials);
    if (lcNet().isDebugEnabled()) {
        connect(m_client.get(), &net::KinesisClient::requestFinished, this, [](const net::RequestLogEntry &e) {
            QTextStream(stderr) << "kwb: " << e.operation << " HTTP " << e.httpStatus << ' ' << e.latencyMs << " ms "
                                << e.requestBytes << " bytes" << (e.errorCode.isEmpty() ? QString() : QLatin1Char(' ') + e.errorCode)
                                << '\n';
        });
    }
    return m_client.get();
}

void Cli::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    // exit() before exec() runs would be lost: queue it.
    QMetaObject::invokeMethod(qApp, [exitCode] { QCoreApplication::exit(exitCode); }, Qt::QueuedConnection);
}

void Cli::fail(const Error &error)
{
    m_out.error(error.toString());
    finish(exitCodeFor(error));
}

void Cli::usageError(const QString &message)
{
    m_out.error(message);
    finish(ExitUsage);
}

bool Cli::checkStream(const QString &stream, const QString &where)
{
    if (!aws::StreamArn::looksLikeArn(stream))
        return true; // a name: the service says whether it exists
    if (auto parsed = aws::StreamArn::parse(stream); !parsed.ok()) {
        usageError(QStringLiteral("%1: %2").arg(where, parsed.error().message));
        return false;
    }
    return true;
}

void Cli::runStreams(QCommandLineParser &parser)
{
    if (!parser.positionalArguments().mid(1).isEmpty())
        return usageError(QStringLiteral("'streams' takes no arguments"));
    auto *c = client();
    if (!c)
        return;
    c->listStreams(this, [this](Result<QStringList> r) {
        if (!r.ok())
            return fail(r.error());
        if (m_out.format() == OutputFormat::Json) {
            m_out.json(QJsonObject{{QStringLiteral("streams"), QJsonArray::fromStringList(r.value())}});
        } else {
            std::vector<QStringList> rows;
            for (const QString &name : r.value())
                rows.push_back({name});
            m_out.table({QStringLiteral("STREAM")}, rows);
        }
        finish(ExitOk);
    });
}

void Cli::runShards(QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'shards' takes one stream name or ARN"));
    if (!checkStream(args.front(), QStringLiteral("'shards'")))
        return;
    auto *c = client();
    if (!c)
        return;
    const QString stream = args.front();
    c->listShards(stream, this, [this, stream](Result<std::vector<Shard>> r) {
        if (!r.ok())
            return fail(r.error());
        if (m_out.format() == OutputFormat::Json) {
            QJsonArray shards;
            for (const Shard &s : r.value())
                shards.append(QJsonObject{{QStringLiteral("shardId"), s.shardId},
                                          {QStringLiteral("parentShardId"), s.parentShardId.isEmpty() ? QJsonValue() : QJsonValue(s.parentShardId)},
                                          {QStringLiteral("adjacentParentShardId"),
                                           s.adjacentParentShardId.isEmpty() ? QJsonValue() : QJsonValue(s.adjacentParentShardId)},
                                          {QStringLiteral("startingHashKey"), hashKeyToString(s.startingHashKey)},
                                          {QStringLiteral("endingHashKey"), hashKeyToString(s.endingHashKey)},
                                          {QStringLiteral("state"), shardState(s)}});
            m_out.json(QJsonObject{{QStringLiteral("stream"), stream}, {QStringLiteral("shards"), shards}});
        } else {
            std::vector<QStringList> rows;
            for (const Shard &s : r.value())
                rows.push_back({s.shardId, s.parentShardId.isEmpty() ? QStringLiteral("-") : s.parentShardId,
                                hashKeyToString(s.startingHashKey), hashKeyToString(s.endingHashKey), shardState(s)});
            m_out.table({QStringLiteral("SHARD"), QStringLiteral("PARENT"), QStringLiteral("STARTING HASH KEY"),
                         QStringLiteral("ENDING HASH KEY"), QStringLiteral("STATE")},
                        rows);
        }
        finish(ExitOk);
    });
}

void Cli::runCreateStream(QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'create-stream' takes one stream name"));
    const bool onDemand = parser.isSet(QStringLiteral("on-demand"));
    const auto shards = option::wholeNumber(parser, QStringLiteral("shards"), 1, ShardMap::kMaxVirtualShards, 0);
    if (!shards.ok())
        return usageError(shards.error().message);
    if (onDemand == (shards.value() > 0))
        return usageError(QStringLiteral("give either --shards N or --on-demand"));
    const auto waitTimeout = option::number(parser, QStringLiteral("wait-timeout"), 0, 86400, 300,
                                            QStringLiteral("a number of seconds"));
    if (!waitTimeout.ok())
        return usageError(waitTimeout.error().message);
    const double waitSeconds = waitTimeout.value();
    auto *c = client();
    if (!c)
        return;
    const QString stream = args.front();
    const bool wait = parser.isSet(QStringLiteral("wait"));
    c->createStream(stream, int(shards.value()), this, [this, stream, wait, waitSeconds](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        if (wait)
            return waitUntilActive(stream, qint64(waitSeconds * 1000));
        if (m_out.format() == OutputFormat::Json)
            m_out.json(QJsonObject{{QStringLiteral("stream"), stream}, {QStringLiteral("status"), QStringLiteral("CREATING")}});
        else
            m_out.line(QStringLiteral("Creating stream %1").arg(stream));
        finish(ExitOk);
    });
}

void Cli::waitUntilActive(const QString &stream, qint64 deadlineMs)
{
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [this, stream, deadlineMs, clock, poll] {
        client()->describeStreamSummary(stream, this, [this, stream, deadlineMs, clock, poll](Result<net::StreamSummary> r) {
            // Right after CreateStream some endpoints briefly answer ResourceNotFound.
            if (!r.ok() && r.error().kind != Error::Kind::NotFound) {
                *poll = nullptr;
                return fail(r.error());
            }
            if (r.ok() && r.value().status == QLatin1String("ACTIVE")) {
                *poll = nullptr;
                if (m_out.format() == OutputFormat::Json)
                    m_out.json(QJsonObject{{QStringLiteral("stream"), stream},
                                           {QStringLiteral("status"), QStringLiteral("ACTIVE")},
                                           {QStringLiteral("streamArn"), r.value().arn},
                                           {QStringLiteral("openShardCount"), r.value().openShardCount}});
                else
                    m_out.line(QStringLiteral("Stream %1 is ACTIVE with %2 open shards").arg(stream).arg(r.value().openShardCount));
                return finish(ExitOk);
            }
            if (clock->elapsed() > deadlineMs) {
                *poll = nullptr;
                return fail(Error{Error::Kind::Timeout, QStringLiteral("WaitTimeout"),
                                  QStringLiteral("stream %1 was not ACTIVE after %2 s").arg(stream).arg(deadlineMs / 1000), 0});
            }
            QTimer::singleShot(250, this, [poll] {
                if (*poll)
                    (*poll)();
            });
        });
    };
    (*poll)();
}

void Cli::runDeleteStream(QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'delete-stream' takes one stream name or ARN"));
    if (!checkStream(args.front(), QStringLiteral("'delete-stream'")))
        return;
    auto *c = client();
    if (!c)
        return;
    const QString stream = args.front();
    c->deleteStream(stream, this, [this, stream](Result<void> r) {
        if (!r.ok())
            return fail(r.error());
        if (m_out.format() == OutputFormat::Json)
            m_out.json(QJsonObject{{QStringLiteral("stream"), stream}, {QStringLiteral("status"), QStringLiteral("DELETING")}});
        else
            m_out.line(QStringLiteral("Deleting stream %1").arg(stream));
        finish(ExitOk);
    });
}

void Cli::runHash(QCommandLineParser &parser)
{
    const QStringList keys = parser.positionalArguments().mid(1);
    if (keys.isEmpty())
        return usageError(QStringLiteral("'hash' needs at least one partition key"));
    for (qsizetype i = 0; i < keys.size(); ++i)
        if (auto valid = validatePartitionKey(keys[i], QStringLiteral("key %1").arg(i + 1)); !valid.ok())
            return usageError(valid.error().message);
    const bool byShards = parser.isSet(QStringLiteral("shards"));
    const bool byStream = parser.isSet(QStringLiteral("stream"));
    if (byShards && byStream)
        return usageError(QStringLiteral("give --shards or --stream, not both"));
    if (byStream && !checkStream(parser.value(QStringLiteral("stream")), QStringLiteral("--stream")))
        return;

    auto print = [this, keys](const ShardMap *map) {
        QJsonArray array;
        std::vector<QStringList> rows;
        for (const QString &key : keys) {
            const Md5Digest digest = md5(key.toUtf8());
            const UInt128 hash = digestToUInt128(digest);
            const QString hex = QString::fromLatin1(digestToHex(digest));
            const QString shardId = map ? map->shardFor(hash)->shardId : QString();
            array.append(QJsonObject{{QStringLiteral("partitionKey"), key},
                                     {QStringLiteral("md5"), hex},
                                     {QStringLiteral("hashKey"), hashKeyToString(hash)},
                                     {QStringLiteral("shardId"), map ? QJsonValue(shardId) : QJsonValue()}});
            QStringList row{key, hex, hashKeyToString(hash)};
            if (map)
                row.append(shardId);
            rows.push_back(row);
        }
        if (m_out.format() == OutputFormat::Json) {
            m_out.json(array);
        } else {
            QStringList headers{QStringLiteral("PARTITION KEY"), QStringLiteral("MD5"), QStringLiteral("HASH KEY")};
            if (map)
                headers.append(QStringLiteral("SHARD"));
            m_out.table(headers, rows);
        }
        finish(ExitOk);
    };

    if (byShards) {
        const auto n = option::wholeNumber(parser, QStringLiteral("shards"), 1, ShardMap::kMaxVirtualShards, 0);
        if (!n.ok())
            return usageError(n.error().message);
        auto map = ShardMap::uniform(int(n.value()));
        if (!map.ok())
            return usageError(QStringLiteral("--shards: %1").arg(map.error().message));
        return print(&map.value());
    }
    if (!byStream)
        return print(nullptr);
    auto *c = client();
    if (!c)
        return;
    c->listShards(parser.value(QStringLiteral("stream")), this, [this, print](Result<std::vector<Shard>> r) {
        if (!r.ok())
            return fail(r.error());
        auto map = ShardMap::fromShards(std::move(r.value()));
        if (!map.ok())
            return fail(map.error());
        print(&map.value());
    });
}

void Cli::withStream(const QString &stream, std::function<void(qint64, std::vector<Shard>)> then)
{
    auto *c = client();
    if (!c)
        return;
    c->describeStreamSummary(stream, this, [this, stream, then = std::move(then)](Result<net::StreamSummary> summary) {
        if (!summary.ok())
            return fail(summary.error());
        const qint64 maxRecordBytes = summary.value().maxRecordBytes();
        client()->listShards(stream, this, [this, then, maxRecordBytes](Result<std::vector<Shard>> shards) {
            if (!shards.ok())
                return fail(shards.error());
            then(maxRecordBytes, std::move(shards.value()));
        });
    });
}

} // namespace kwb::cli
