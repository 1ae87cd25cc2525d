// kwb put, and the streaming send run that put, retry, generate and replay share: the options,
// importing records while sending them with the send engine, the progress line and Ctrl-C, and
// a results file that accounts for every row. Preview and retry have files of their own.
#include "Cli.h"
#include "OptionValues.h"
#include "aws/StreamArn.h"

#include "export/ResultsExport.h"
#include "import/ColumnMapping.h"
#include "import/ImportThread.h"
#include "import/Importer.h"
#include "send/StreamingPut.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace kwb::cli {

namespace {

std::atomic<int> g_interrupts{0};

void onInterrupt(int)
{
    g_interrupts.fetch_add(1);
}

constexpr int kIssuesShown = 20;
/// Chunks of records alive at once in kwb put: read, being sent, or waiting for retries.
constexpr int kWindowChunks = 8;

bool isRegularFile(const QString &path)
{
    return path != QLatin1String("-") && QFileInfo(path).isFile();
}

/// A first pass over files for --on-bad-row stop: nothing is sent when any record is bad.
class BadRowFinder : public import::ChunkConsumer
{
public:
    bool takeChunk(RecordStore &&, qint64) override { return !found; }
    void issueFound(const import::ImportIssue &issue) override
    {
        if (!found)
            first = issue;
        found = true;
    }
    bool found = false;
    import::ImportIssue first;
};

} // namespace

void Cli::addPutOptions(QCommandLineParser &p, bool withImport)
{
    p.addOption({QStringLiteral("stream"), QStringLiteral("Stream name."), QStringLiteral("STREAM")});
    p.addOption({QStringLiteral("stream-arn"), QStringLiteral("Stream ARN (instead of --stream)."), QStringLiteral("ARN")});
    if (withImport) {
        p.addOption({QStringLiteral("format"),
                     QStringLiteral("Input format: auto (default), jsonl, json, awscli, csv, tsv, lines, files, kpl "
                                    "(Kinesis records, KPL aggregated ones unpacked)."),
                     QStringLiteral("FORMAT"), QStringLiteral("auto")});
        p.addOption({QStringLiteral("partition-key-field"),
                     QStringLiteral("Partition key from this field path (user.id) or CSV column."), QStringLiteral("PATH")});
        p.addOption({QStringLiteral("partition-key-strategy"),
                     QStringLiteral("Partition keys when the input has none: uuid, constant:X, index, random."),
                     QStringLiteral("STRATEGY")});
        p.addOption({QStringLiteral("data-encoding"), QStringLiteral("Data values are utf8 (default), base64 or hex."),
                     QStringLiteral("ENCODING")});
        p.addOption({QStringLiteral("columns"), QStringLiteral("CSV/TSV columns: pk=COL,data=COL,ehk=COL."), QStringLiteral("MAP")});
        p.addOption({QStringLiteral("data-field"),
                     QStringLiteral("Data from this field path (payload) or CSV column; default: each whole JSON object."),
                     QStringLiteral("PATH")});
        p.addOption({QStringLiteral("ehk-field"),
                     QStringLiteral("Explicit hash key (0 to 2^128-1, picks the shard) from this field path or CSV column."),
                     QStringLiteral("PATH")});
        p.addOption({QStringLiteral("on-bad-row"),
                     QStringLiteral("skip: leave bad rows out and list them as they are met (default); stop: stop at the first "
                                    "(files are checked before anything is sent; a pipe stops there)."),
                     QStringLiteral("POLICY"), QStringLiteral("skip")});
    }
    // Flow control: every default is automatic; a flag given wins.
    p.addOption({QStringLiteral("concurrency"),
                 QStringLiteral("Requests in flight, 1 to 128 (default: auto, follows the measured latency)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("max-attempts"),
                 QStringLiteral("Attempts per record, the first included, for every retriable error (default: auto: "
                                "throttled records until the deadline, other transient errors 3 attempts)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("deadline"),
                 QStringLiteral("Seconds a record may keep being retried, from its first attempt (default 300)."),
                 QStringLiteral("SECONDS")});
    p.addOption({QStringLiteral("rate"),
                 QStringLiteral("Pace each shard at PERCENT of the target's limits, fractions allowed (default: auto: at "
                                "the limits, slowing a shard down when it is throttled)."),
                 QStringLiteral("PERCENT")});
    p.addOption({QStringLiteral("no-flow-control"),
                 QStringLiteral("Send as fast as the requests in flight allow, with no per-shard pacing (throttles are "
                                "still retried).")});
    p.addOption({QStringLiteral("max-request-bytes"), QStringLiteral("Request byte budget (default 10 MiB)."), QStringLiteral("BYTES")});
    p.addOption({QStringLiteral("ordered"), QStringLiteral("PutRecord one at a time, chaining SequenceNumberForOrdering per key.")});
    p.addOption({QStringLiteral("verify"), QStringLiteral("Read each succeeded record back and compare it.")});
    p.addOption({QStringLiteral("aggregate"),
                 QStringLiteral("Pack the records into KPL aggregated records, per predicted shard, as the Kinesis "
                                "Producer Library does; each record's result names the Kinesis record it went into and "
                                "its sub-sequence number.")});
    p.addOption({QStringLiteral("aggregate-max-bytes"),
                 QStringLiteral("Largest aggregated record, partition key included (default 51200, the KPL's; at most "
                                "the stream's maximum record size)."),
                 QStringLiteral("BYTES")});
    p.addOption({QStringLiteral("results"),
                 QStringLiteral("Write every row's outcome to FILE.jsonl or FILE.csv as rows reach it; a .jsonl file "
                                "also says which rows were sent or in flight if kwb is killed, for 'kwb retry'."),
                 QStringLiteral("FILE")});
    if (withImport) {
        p.addOption({QStringLiteral("linger"),
                     QStringLiteral("Records read from a pipe that has gone quiet wait at most MS milliseconds before "
                                    "they are sent (default 100); a full batch goes at once."),
                     QStringLiteral("MS"), QStringLiteral("100")});
    } else {
        p.addOption({QStringLiteral("resend-unknown"),
                     QStringLiteral("Also send the rows that may or may not be in the stream (in flight when kwb put was "
                                    "killed, or aborted): Kinesis has no idempotency, so this may duplicate them.")});
    }
}

bool Cli::importOptionsFrom(QCommandLineParser &p, import::ImportOptions &options)
{
    using namespace kwb::import;
    QString format = p.value(QStringLiteral("format"));
    if (format == QLatin1String("lines"))
        format = QStringLiteral("text");
    else if (format == QLatin1String("files"))
        format = QStringLiteral("file");
    const auto parsedFormat = parseFormat(format);
    if (!parsedFormat) {
        usageError(QStringLiteral("--format must be auto, jsonl, json, awscli, csv, tsv, lines, files or kpl, not '%1'").arg(format));
        return false;
    }
    options.format = *parsedFormat;
    if (p.isSet(QStringLiteral("partition-key-field")) && p.isSet(QStringLiteral("partition-key-strategy"))) {
        usageError(QStringLiteral("give --partition-key-field or --partition-key-strategy, not both"));
        return false;
    }
    if (p.isSet(QStringLiteral("partition-key-field"))) {
        options.keyStrategy = KeyStrategy::Field;
        options.partitionKeyField = p.value(QStringLiteral("partition-key-field"));
    }
    if (p.isSet(QStringLiteral("partition-key-strategy"))) {
        const QString strategy = p.value(QStringLiteral("partition-key-strategy"));
        if (strategy.startsWith(QLatin1String("constant:"))) {
            options.keyStrategy = KeyStrategy::Constant;
            options.constantKey = strategy.mid(9);
        } else if (const auto parsed = parseKeyStrategy(strategy);
                   parsed && (*parsed == KeyStrategy::Uuid || *parsed == KeyStrategy::RowNumber || *parsed == KeyStrategy::Random)) {
            options.keyStrategy = *parsed;
        } else {
            usageError(QStringLiteral("--partition-key-strategy must be uuid, constant:X, index or random, not '%1'").arg(strategy));
            return false;
        }
    }
    if (p.isSet(QStringLiteral("data-encoding"))) {
        const auto encoding = parseDataEncoding(p.value(QStringLiteral("data-encoding")));
        if (!encoding) {
            usageError(QStringLiteral("--data-encoding must be utf8, base64 or hex, not '%1'").arg(p.value(QStringLiteral("data-encoding"))));
            return false;
        }
        options.dataEncoding = *encoding;
    }
    if (p.isSet(QStringLiteral("columns"))) {
        auto columns = ColumnMapping::parse(p.value(QStringLiteral("columns")));
        if (!columns.ok()) {
            usageError(QStringLiteral("--columns: %1").arg(columns.error().message));
            return false;
        }
        options.columns = columns.value();
    }
    options.dataField = p.value(QStringLiteral("data-field"));
    options.explicitHashKeyField = p.value(QStringLiteral("ehk-field"));
    const QString policy = p.value(QStringLiteral("on-bad-row"));
    if (policy != QLatin1String("skip") && policy != QLatin1String("stop")) {
        usageError(QStringLiteral("--on-bad-row must be skip or stop, not '%1'").arg(policy));
        return false;
    }
    options.onBadRow = policy == QLatin1String("stop") ? BadRowPolicy::Stop : BadRowPolicy::Skip;
    if (auto valid = Importer::validateOptions(options); !valid.ok()) {
        usageError(valid.error().message);
        return false;
    }
    return true;
}

bool Cli::sendOptionsFrom(QCommandLineParser &p, send::SendOptions &options, QString &resultsPath)
{
    const auto integer = [&](const QString &name, int min, int max, int &target) {
        const auto value = option::wholeNumber(p, name, min, max, target);
        if (!value.ok()) {
            usageError(value.error().message);
            return false;
        }
        target = int(value.value());
        return true;
    };
    if ((p.isSet(QStringLiteral("concurrency")) && !integer(QStringLiteral("concurrency"), 1, 128, options.concurrency))
        || (p.isSet(QStringLiteral("max-attempts")) && !integer(QStringLiteral("max-attempts"), 1, 1000, options.maxAttempts)))
        return false;
    if (p.isSet(QStringLiteral("rate")) && p.isSet(QStringLiteral("no-flow-control"))) {
        usageError(QStringLiteral("give --rate or --no-flow-control, not both"));
        return false;
    }
    const auto deadline = option::number(p, QStringLiteral("deadline"), 0, 7 * 24 * 3600, double(options.deadlineMs) / 1000.0,
                                         QStringLiteral("a number of seconds (at most 604800, a week)"));
    if (!deadline.ok()) {
        usageError(deadline.error().message);
        return false;
    }
    options.deadlineMs = qint64(deadline.value() * 1000.0);
    const auto rate = option::number(p, QStringLiteral("rate"), 0, 100, options.ratePercent, QStringLiteral("a percentage"));
    if (!rate.ok()) {
        usageError(rate.error().message);
        return false;
    }
    options.ratePercent = rate.value();
    options.flowControl = !p.isSet(QStringLiteral("no-flow-control"));
    const auto bytes = option::wholeNumber(p, QStringLiteral("max-request-bytes"), 1024, limits::kMaxRequestBytes,
                                           options.maxRequestBytes);
    if (!bytes.ok()) {
        usageError(bytes.error().message);
        return false;
    }
    options.maxRequestBytes = bytes.value();
    options.ordered = p.isSet(QStringLiteral("ordered"));
    options.verify = p.isSet(QStringLiteral("verify"));
    options.aggregate = p.isSet(QStringLiteral("aggregate"));
    if (options.aggregate && options.ordered) {
        usageError(QStringLiteral("give --aggregate or --ordered, not both (aggregated records are sent with PutRecords)"));
        return false;
    }
    if (p.isSet(QStringLiteral("aggregate-max-bytes")) && !options.aggregate) {
        usageError(QStringLiteral("--aggregate-max-bytes needs --aggregate"));
        return false;
    }
    const auto aggregateBytes = option::wholeNumber(p, QStringLiteral("aggregate-max-bytes"), 1024,
                                                    limits::kLargestMaxRecordBytes, options.aggregateMaxBytes);
    if (!aggregateBytes.ok()) {
        usageError(aggregateBytes.error().message);
        return false;
    }
    options.aggregateMaxBytes = aggregateBytes.value();
    resultsPath = p.value(QStringLiteral("results"));
    if (!resultsPath.isEmpty() && !resultsPath.endsWith(QLatin1String(".jsonl")) && !resultsPath.endsWith(QLatin1String(".csv"))) {
        usageError(QStringLiteral("--results must name a .jsonl or .csv file, not '%1'").arg(resultsPath));
        return false;
    }
    return true;
}

void Cli::reportBadRecord(const import::ImportIssue &issue)
{
    m_badInput = true;
    if (m_issuesShown++ < kIssuesShown)
        QTextStream(stderr) << "kwb: bad record: " << issue.toString() << '\n';
}

void Cli::reportHiddenIssues(qint64 issueCount)
{
    if (issueCount > kIssuesShown)
        QTextStream(stderr) << "kwb: ... and " << number(issueCount - kIssuesShown) << " more bad records\n";
}

bool Cli::badRowsInFiles(const QStringList &files, const import::ImportOptions &options)
{
    // --on-bad-row stop promises that nothing is sent when a record is bad: files are checked
    // first (a pipe cannot be read twice; it stops at the bad record instead).
    if (options.onBadRow != import::BadRowPolicy::Stop || !std::all_of(files.begin(), files.end(), isRegularFile))
        return false;
    BadRowFinder finder;
    import::Importer importer;
    import::StreamOptions stream;
    stream.chunkRecords = 65536;
    auto report = importer.streamFiles(files, options, stream, finder);
    if (!report.ok() && report.error().kind != Error::Kind::Cancelled) {
        fail(report.error());
        return true;
    }
    if (!finder.found)
        return false;
    reportBadRecord(finder.first);
    m_out.error(QStringLiteral("stopped at the first bad record (--on-bad-row stop); nothing was sent"));
    finish(ExitUsage);
    return true;
}

QString Cli::streamOption(QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("stream")) == p.isSet(QStringLiteral("stream-arn"))) {
        usageError(QStringLiteral("give --stream NAME or --stream-arn ARN"));
        return {};
    }
    if (p.isSet(QStringLiteral("stream-arn"))) {
        const QString arn = p.value(QStringLiteral("stream-arn"));
        if (auto parsed = aws::StreamArn::parse(arn); !parsed.ok()) {
            usageError(QStringLiteral("--stream-arn: %1").arg(parsed.error().message));
            return {};
        }
        return arn;
    }
    const QString stream = p.value(QStringLiteral("stream"));
    if (stream.isEmpty()) {
        usageError(QStringLiteral("--stream needs a stream name or ARN"));
        return {};
    }
    return checkStream(stream, QStringLiteral("--stream")) ? stream : QString();
}

void Cli::runPut(QCommandLineParser &p)
{
    const QStringList files = p.positionalArguments().mid(1);
    if (files.isEmpty())
        return usageError(QStringLiteral("'put' needs at least one input FILE (or - for standard input)"));
    const QString stream = streamOption(p);
    if (stream.isEmpty())
        return;
    import::ImportOptions importOptions;
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!importOptionsFrom(p, importOptions) || !sendOptionsFrom(p, sendOptions, resultsPath))
        return;
    import::StreamOptions streamOptions;
    bool ok = false;
    streamOptions.lingerMs = p.value(QStringLiteral("linger")).toInt(&ok);
    if (!ok || streamOptions.lingerMs < 0 || streamOptions.lingerMs > 60000)
        return usageError(QStringLiteral("--linger takes a number of milliseconds from 0 to 60000, not '%1'").arg(p.value(QStringLiteral("linger"))));
    if (files.count(QStringLiteral("-")) > 1)
        return usageError(QStringLiteral("standard input (-) can be read only once"));
    // Files are read one after the other while sending: a wrong name is said before anything is sent.
    for (const QString &file : files) {
        const QFileInfo info(file);
        if (file != QLatin1String("-") && (!info.exists() || info.isDir() || !info.isReadable()))
            return usageError(info.isDir() ? QStringLiteral("%1 is a folder; give files to send").arg(file)
                                           : QStringLiteral("cannot read %1: %2").arg(file, info.exists() ? QStringLiteral("permission denied")
                                                                                                          : QStringLiteral("no such file")));
    }
    // The stream's maximum record size decides which records are too large, before importing.
    withStream(stream, [=, this](qint64 maxRecordBytes, std::vector<Shard> shards) mutable {
        importOptions.maxRecordBytes = maxRecordBytes;
        sendOptions.maxRecordBytes = maxRecordBytes;
        if (badRowsInFiles(files, importOptions))
            return;
        if (!startSending(stream, sendOptions, resultsPath, std::move(shards)))
            return;
        m_reader = std::make_unique<import::ImportThread>(files, importOptions, streamOptions, kWindowChunks);
        const auto takeChunks = [this] {
            for (import::ImportThread::Chunk &chunk : m_reader->takeChunks()) {
                send::RecordChunk records;
                records.store = std::move(chunk.store);
                records.firstIndex = chunk.firstRecord;
                m_put->addChunk(std::move(records));
            }
        };
        connect(m_reader.get(), &import::ImportThread::chunksReady, this, takeChunks);
        connect(m_reader.get(), &import::ImportThread::badRecord, this, &Cli::reportBadRecord);
        connect(m_put.get(), &send::StreamingPut::chunkDone, m_reader.get(), &import::ImportThread::release);
        connect(m_reader.get(), &import::ImportThread::finished, this, [this, takeChunks, importOptions] {
            takeChunks();
            const auto &result = m_reader->result();
            if (result.ok()) {
                reportHiddenIssues(result.value().issueCount);
                if (result.value().stopped && importOptions.onBadRow == import::BadRowPolicy::Stop)
                    m_out.error(QStringLiteral("stopped reading at the first bad record (--on-bad-row stop); the %1 "
                                               "records before it are sent")
                                    .arg(number(result.value().imported)));
            } else if (result.error().kind == Error::Kind::Cancelled) {
                QTextStream(stderr) << "kwb: stopped reading the input after " << number(m_put->counters().total)
                                    << " records\n";
            } else {
                m_importError = result.error();
            }
            m_put->endOfInput();
        });
        m_reader->start();
    });
}

bool Cli::startSending(const QString &stream, const send::SendOptions &options, const QString &resultsPath,
                       std::vector<Shard> shards)
{
    auto map = ShardMap::fromShards(std::move(shards));
    if (!resultsPath.isEmpty()) {
        auto journal = exporting::ResultsJournal::open(resultsPath);
        if (!journal.ok()) {
            fail(journal.error());
            return false;
        }
        m_journal = std::move(journal.value());
    }
    m_put = std::make_unique<send::StreamingPut>(client());
    m_put->setStream(stream);
    m_put->setOptions(options);
    m_put->setJournal(m_journal.get());
    if (map.ok()) {
        m_put->setShardMap(map.value());
    } else if (options.aggregate) {
        fail(Error::input(QStringLiteral("--aggregate packs records per shard, but the stream's shard map is not usable: %1")
                              .arg(map.error().message)));
        return false;
    } else {
        QTextStream(stderr) << "kwb: warning: no shard prediction: " << map.error().message << '\n';
    }

    const bool terminal = isatty(STDERR_FILENO);
    auto *ticker = new QTimer(this);
    connect(ticker, &QTimer::timeout, this, [this, terminal] {
        // First Ctrl-C: stop reading, finish what is in flight, keep the rest pending. Second: abort.
        if (g_interrupts.load() == 1 && m_pacer) {
            // generate / replay: no new records; those made are still sent.
            QTextStream(stderr) << "\nkwb: stopping: no new records; sending those made (press Ctrl-C again to abort them)\n";
            g_interrupts.store(2);
            m_interrupted = !m_untilStopped;
            m_pacer->stop();
        } else if (g_interrupts.load() == 1) {
            QTextStream(stderr) << "\nkwb: interrupted: finishing requests in flight; unsent records stay pending "
                                   "(press Ctrl-C again to abort them)\n";
            g_interrupts.store(2);
            m_interrupted = true;
            if (m_reader)
                m_reader->stop();
            m_put->cancel();
        } else if (g_interrupts.load() >= 3) {
            g_interrupts.store(2);
            m_put->abort();
        }
        if (!terminal)
            return;
        const send::SendCounters c = m_put->counters();
        QTextStream(stderr) << "\r" << number(c.succeeded + c.failed) << "/" << number(c.total) << " done  succeeded "
                            << number(c.succeeded) << "  failed " << number(c.failed) << "  throttled "
                            << number(c.throttled) << "  pending " << number(c.pending + c.inFlight) << "   ";
    });
    ticker->start(200);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    connect(m_put.get(), &send::StreamingPut::finished, this, [this, ticker, terminal, resultsPath](const send::SendCounters &c) {
        ticker->stop();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        if (terminal)
            QTextStream(stderr) << '\n';
        const send::StreamingPut::Totals &t = m_put->totals();
        const qint64 records = t.rows + m_keptRows;
        const qint64 succeeded = c.succeeded + m_keptSucceeded;
        const double seconds = std::max(0.001, double(c.elapsedMs) / 1000.0);
        if (m_out.format() == OutputFormat::Json) {
            QJsonObject summary{{QStringLiteral("records"), records},     {QStringLiteral("succeeded"), succeeded},
                                {QStringLiteral("failed"), c.failed},     {QStringLiteral("throttled"), c.throttled},
                                {QStringLiteral("retried"), c.retried},   {QStringLiteral("pending"), t.pending},
                                {QStringLiteral("cancelled"), t.cancelled + (records - t.rows) - m_keptSucceeded},
                                {QStringLiteral("requests"), c.requests},
                                {QStringLiteral("shardMismatches"), t.shardMismatches},
                                {QStringLiteral("seconds"), seconds},     {QStringLiteral("recordsPerSecond"), double(c.succeeded) / seconds}};
            if (m_put->options().verify) {
                summary.insert(QStringLiteral("verified"), c.verified);
                summary.insert(QStringLiteral("verifyMismatched"), c.mismatched);
            }
            if (!resultsPath.isEmpty())
                summary.insert(QStringLiteral("results"), resultsPath);
            m_out.json(summary);
        } else {
            const qint64 notSent = t.pending + t.cancelled + (m_keptRows - m_keptSucceeded);
            QString line = QStringLiteral("%1 records: %2 succeeded, %3 failed, %4 pending; %5 throttled, %6 retried; "
                                          "%7 requests in %8 s (%9 records/s)")
                               .arg(number(records), number(succeeded), number(c.failed), number(notSent),
                                    number(c.throttled), number(c.retried), number(c.requests))
                               .arg(seconds, 0, 'f', 2)
                               .arg(number(qint64(double(c.succeeded) / seconds)));
            if (m_put->options().verify)
                line += QStringLiteral("; verified %1, mismatched %2").arg(number(c.verified), number(c.mismatched));
            if (t.shardMismatches > 0)
                line += QStringLiteral("; %1 landed on another shard than predicted").arg(number(t.shardMismatches));
            QTextStream(stderr) << "kwb: " << line << '\n';
        }
        finishRun(resultsPath, records == succeeded);
    });
    return true;
}

void Cli::finishRun(const QString &resultsPath, bool allSucceeded)
{
    if (m_journal) {
        if (auto done = m_journal->finish(); !done.ok())
            return fail(done.error());
    }
    if (!m_put->journalError().isEmpty()) {
        m_out.error(QStringLiteral("the results file could not be written, so sending stopped: %1").arg(m_put->journalError()));
        return finish(ExitServiceError);
    }
    if (m_importError) {
        fail(*m_importError);
        return;
    }
    if (m_badInput) {
        m_out.error(QStringLiteral("some input records were bad and left out (listed above)"));
        return finish(ExitUsage);
    }
    if (!allSucceeded && resultsPath.isEmpty())
        QTextStream(stderr) << "kwb: not every record succeeded; use --results FILE.jsonl to keep them for 'kwb retry'\n";
    // Interrupted: the input was not read to its end, so not everything was sent.
    finish(allSucceeded && !m_interrupted ? ExitOk : ExitServiceError);
}

} // namespace kwb::cli
