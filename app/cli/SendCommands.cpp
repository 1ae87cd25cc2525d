// kwb put, kwb preview and kwb retry: import records, predict their shards, send them with the
// send engine, and write a results file that accounts for every row.
#include "Cli.h"

#include "export/ResultsExport.h"
#include "import/ColumnMapping.h"
#include "import/Importer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
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

QString number(qint64 n)
{
    return QLocale::c().toString(n);
}

constexpr int kIssuesShown = 20;

} // namespace

void Cli::addPutOptions(QCommandLineParser &p, bool withImport)
{
    p.addOption({QStringLiteral("stream"), QStringLiteral("Stream name."), QStringLiteral("STREAM")});
    p.addOption({QStringLiteral("stream-arn"), QStringLiteral("Stream ARN (instead of --stream)."), QStringLiteral("ARN")});
    if (withImport) {
        p.addOption({QStringLiteral("format"),
                     QStringLiteral("Input format: auto (default), jsonl, json, awscli, csv, tsv, lines, files."),
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
                     QStringLiteral("skip: leave bad rows out and list them (default); stop: send nothing."),
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
    p.addOption({QStringLiteral("results"), QStringLiteral("Write every row's outcome to FILE.jsonl or FILE.csv."), QStringLiteral("FILE")});
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
        usageError(QStringLiteral("--format must be auto, jsonl, json, awscli, csv, tsv, lines or files, not '%1'").arg(format));
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
        bool ok = false;
        const int value = p.value(name).toInt(&ok);
        if (!ok || value < min || value > max) {
            usageError(QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'").arg(name).arg(min).arg(max).arg(p.value(name)));
            return false;
        }
        target = value;
        return true;
    };
    if ((p.isSet(QStringLiteral("concurrency")) && !integer(QStringLiteral("concurrency"), 1, 128, options.concurrency))
        || (p.isSet(QStringLiteral("max-attempts")) && !integer(QStringLiteral("max-attempts"), 1, 1000, options.maxAttempts)))
        return false;
    if (p.isSet(QStringLiteral("deadline"))) {
        bool ok = false;
        const double seconds = p.value(QStringLiteral("deadline")).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 7 * 24 * 3600) {
            usageError(QStringLiteral("--deadline takes a number of seconds above 0 and at most 604800 (a week), not '%1'")
                           .arg(p.value(QStringLiteral("deadline"))));
            return false;
        }
        options.deadlineMs = qint64(seconds * 1000.0);
    }
    if (p.isSet(QStringLiteral("rate"))) {
        bool ok = false;
        const double rate = p.value(QStringLiteral("rate")).toDouble(&ok);
        if (!ok || rate <= 0 || rate > 100) {
            usageError(QStringLiteral("--rate takes a percentage above 0 and at most 100, not '%1'").arg(p.value(QStringLiteral("rate"))));
            return false;
        }
        if (p.isSet(QStringLiteral("no-flow-control"))) {
            usageError(QStringLiteral("give --rate or --no-flow-control, not both"));
            return false;
        }
        options.ratePercent = rate;
    }
    options.flowControl = !p.isSet(QStringLiteral("no-flow-control"));
    if (p.isSet(QStringLiteral("max-request-bytes"))) {
        bool ok = false;
        const qint64 bytes = p.value(QStringLiteral("max-request-bytes")).toLongLong(&ok);
        if (!ok || bytes < 1024 || bytes > limits::kMaxRequestBytes) {
            usageError(QStringLiteral("--max-request-bytes takes a number from 1024 to %1").arg(limits::kMaxRequestBytes));
            return false;
        }
        options.maxRequestBytes = bytes;
    }
    options.ordered = p.isSet(QStringLiteral("ordered"));
    options.verify = p.isSet(QStringLiteral("verify"));
    resultsPath = p.value(QStringLiteral("results"));
    if (!resultsPath.isEmpty() && !resultsPath.endsWith(QLatin1String(".jsonl")) && !resultsPath.endsWith(QLatin1String(".csv"))) {
        usageError(QStringLiteral("--results must name a .jsonl or .csv file, not '%1'").arg(resultsPath));
        return false;
    }
    return true;
}

bool Cli::importInto(const QStringList &files, const import::ImportOptions &options, RecordStore &store)
{
    import::Importer importer;
    auto report = importer.importFiles(files, store, options);
    if (!report.ok()) {
        fail(report.error());
        return false;
    }
    const import::ImportReport &r = report.value();
    QTextStream err(stderr);
    int shown = 0;
    for (const import::ImportIssue &issue : r.issues) {
        if (shown++ == kIssuesShown)
            break;
        err << "kwb: bad record: " << issue.toString() << '\n';
    }
    if (r.issueCount > kIssuesShown)
        err << "kwb: ... and " << number(r.issueCount - kIssuesShown) << " more bad records\n";
    err.flush();
    if (r.issueCount > 0) {
        m_badInput = true;
        if (options.onBadRow == import::BadRowPolicy::Stop) {
            m_out.error(QStringLiteral("stopped at the first bad record (--on-bad-row stop); nothing was sent"));
            finish(ExitUsage);
            return false;
        }
    }
    return true;
}

void Cli::runPut(QCommandLineParser &p)
{
    const QStringList files = p.positionalArguments().mid(1);
    if (files.isEmpty())
        return usageError(QStringLiteral("'put' needs at least one input FILE (or - for standard input)"));
    if (p.isSet(QStringLiteral("stream")) == p.isSet(QStringLiteral("stream-arn")))
        return usageError(QStringLiteral("give --stream NAME or --stream-arn ARN"));
    const QString stream = p.isSet(QStringLiteral("stream")) ? p.value(QStringLiteral("stream")) : p.value(QStringLiteral("stream-arn"));
    import::ImportOptions importOptions;
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!importOptionsFrom(p, importOptions) || !sendOptionsFrom(p, sendOptions, resultsPath))
        return;
    auto *c = client();
    if (!c)
        return;
    // The stream's maximum record size decides which records are too large, before importing.
    c->describeStreamSummary(stream, this, [this, stream, files, importOptions, sendOptions, resultsPath](Result<net::StreamSummary> s) mutable {
        if (!s.ok())
            return fail(s.error());
        importOptions.maxRecordBytes = s.value().maxRecordBytes();
        sendOptions.maxRecordBytes = s.value().maxRecordBytes();
        if (!importInto(files, importOptions, m_store))
            return;
        m_results.resize(m_store.size());
        sendRows(stream, sendOptions, resultsPath);
    });
}

void Cli::runRetry(QCommandLineParser &p)
{
    const QStringList args = p.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'retry' takes one results file (.jsonl) written by kwb put"));
    if (p.isSet(QStringLiteral("stream")) == p.isSet(QStringLiteral("stream-arn")))
        return usageError(QStringLiteral("give --stream NAME or --stream-arn ARN"));
    const QString stream = p.isSet(QStringLiteral("stream")) ? p.value(QStringLiteral("stream")) : p.value(QStringLiteral("stream-arn"));
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!sendOptionsFrom(p, sendOptions, resultsPath))
        return;
    QFile file(args.front());
    if (!file.open(QIODevice::ReadOnly))
        return usageError(QStringLiteral("%1: cannot read: %2").arg(args.front(), file.errorString()));
    auto read = exporting::readResultsJsonl(file, args.front());
    if (!read.ok())
        return usageError(read.error().message);
    m_store = std::move(read.value().store);
    m_results = std::move(read.value().results);
    m_indexes = std::move(read.value().indexes);
    if (resultsPath.isEmpty()) {
        const QFileInfo info(args.front());
        resultsPath = info.dir().filePath(info.completeBaseName() + QStringLiteral(".retry.jsonl"));
    }
    auto *c = client();
    if (!c)
        return;
    c->describeStreamSummary(stream, this, [this, stream, sendOptions, resultsPath](Result<net::StreamSummary> s) mutable {
        if (!s.ok())
            return fail(s.error());
        sendOptions.maxRecordBytes = s.value().maxRecordBytes();
        sendRows(stream, sendOptions, resultsPath);
    });
}

void Cli::sendRows(const QString &stream, const send::SendOptions &options, const QString &resultsPath)
{
    client()->listShards(stream, this, [this, stream, options, resultsPath](Result<std::vector<Shard>> shards) {
        if (!shards.ok())
            return fail(shards.error());
        auto map = ShardMap::fromShards(std::move(shards.value()));
        m_engine = std::make_unique<send::SendEngine>(client(), &m_store, &m_results);
        m_engine->setStream(stream);
        m_engine->setOptions(options);
        if (map.ok())
            m_engine->setShardMap(std::move(map.value()));
        else
            QTextStream(stderr) << "kwb: warning: no shard prediction: " << map.error().message << '\n';

        const bool terminal = isatty(STDERR_FILENO);
        auto *ticker = new QTimer(this);
        connect(ticker, &QTimer::timeout, this, [this, terminal] {
            // First Ctrl-C: finish what is in flight, keep the rest pending. Second: abort.
            if (g_interrupts.load() == 1 && m_engine->isRunning()) {
                QTextStream(stderr) << "\nkwb: interrupted: finishing requests in flight; unsent records stay pending "
                                       "(press Ctrl-C again to abort them)\n";
                g_interrupts.store(2);
                m_engine->cancel();
            } else if (g_interrupts.load() >= 3) {
                g_interrupts.store(2);
                m_engine->abort();
            }
            if (!terminal)
                return;
            const send::SendCounters &c = m_engine->counters();
            QTextStream(stderr) << "\r" << number(c.succeeded + c.failed) << "/" << number(c.total) << " done  succeeded "
                                << number(c.succeeded) << "  failed " << number(c.failed) << "  throttled "
                                << number(c.throttled) << "  pending " << number(c.pending + c.inFlight) << "   ";
        });
        ticker->start(200);
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        connect(m_engine.get(), &send::SendEngine::finished, this, [this, ticker, terminal, resultsPath, clock](const send::SendCounters &c) {
            ticker->stop();
            std::signal(SIGINT, SIG_DFL);
            std::signal(SIGTERM, SIG_DFL);
            if (terminal)
                QTextStream(stderr) << '\n';
            const double seconds = std::max(0.001, double(clock->elapsed()) / 1000.0);
            qint64 pending = 0;
            qint64 cancelled = 0;
            qint64 mismatches = 0;
            for (int row = 0; row < m_results.size(); ++row) {
                pending += m_results.status(row) == send::RowStatus::Pending;
                cancelled += m_results.status(row) == send::RowStatus::Cancelled;
                mismatches += m_results.status(row) == send::RowStatus::Succeeded && m_results.shardMismatch(row);
            }
            if (m_out.format() == OutputFormat::Json) {
                QJsonObject summary{{QStringLiteral("records"), c.total},     {QStringLiteral("succeeded"), c.succeeded},
                                    {QStringLiteral("failed"), c.failed},     {QStringLiteral("throttled"), c.throttled},
                                    {QStringLiteral("retried"), c.retried},   {QStringLiteral("pending"), pending},
                                    {QStringLiteral("cancelled"), cancelled}, {QStringLiteral("requests"), c.requests},
                                    {QStringLiteral("shardMismatches"), mismatches},
                                    {QStringLiteral("seconds"), seconds},     {QStringLiteral("recordsPerSecond"), double(c.succeeded) / seconds}};
                if (m_engine->options().verify) {
                    summary.insert(QStringLiteral("verified"), c.verified);
                    summary.insert(QStringLiteral("verifyMismatched"), c.mismatched);
                }
                if (!resultsPath.isEmpty())
                    summary.insert(QStringLiteral("results"), resultsPath);
                m_out.json(summary);
            } else {
                QString line = QStringLiteral("%1 records: %2 succeeded, %3 failed, %4 pending; %5 throttled, %6 retried; "
                                              "%7 requests in %8 s (%9 records/s)")
                                   .arg(number(c.total), number(c.succeeded), number(c.failed), number(pending + cancelled),
                                        number(c.throttled), number(c.retried), number(c.requests))
                                   .arg(seconds, 0, 'f', 2)
                                   .arg(number(qint64(double(c.succeeded) / seconds)));
                if (m_engine->options().verify)
                    line += QStringLiteral("; verified %1, mismatched %2").arg(number(c.verified), number(c.mismatched));
                if (mismatches > 0)
                    line += QStringLiteral("; %1 landed on another shard than predicted").arg(number(mismatches));
                QTextStream(stderr) << "kwb: " << line << '\n';
            }
            writeResultsAndExit(resultsPath);
        });
        m_engine->sendAll();
    });
}

void Cli::writeResultsAndExit(const QString &resultsPath)
{
    if (!resultsPath.isEmpty()) {
        auto saved = exporting::saveFile(resultsPath, [&](QIODevice &out) {
            return resultsPath.endsWith(QLatin1String(".csv")) ? exporting::writeResultsCsv(out, m_store, m_results, {}, m_indexes)
                                                               : exporting::writeResultsJsonl(out, m_store, m_results, {}, m_indexes);
        });
        if (!saved.ok())
            return fail(saved.error());
    }
    bool allSucceeded = true;
    for (int row = 0; row < m_results.size() && allSucceeded; ++row)
        allSucceeded = m_results.status(row) == send::RowStatus::Succeeded;
    if (m_badInput) {
        m_out.error(QStringLiteral("some input records were bad and left out (listed above)"));
        return finish(ExitUsage);
    }
    if (!allSucceeded && resultsPath.isEmpty())
        QTextStream(stderr) << "kwb: not every record succeeded; use --results FILE.jsonl to keep them for 'kwb retry'\n";
    finish(allSucceeded ? ExitOk : ExitServiceError);
}

void Cli::runPreview(QCommandLineParser &p)
{
    const QStringList files = p.positionalArguments().mid(1);
    if (files.isEmpty())
        return usageError(QStringLiteral("'preview' needs at least one input FILE (or - for standard input)"));
    const bool byShards = p.isSet(QStringLiteral("shards"));
    const bool byStream = p.isSet(QStringLiteral("stream"));
    if (byShards == byStream)
        return usageError(QStringLiteral("give --shards N (a virtual stream) or --stream STREAM (its real shards)"));
    import::ImportOptions options;
    if (!importOptionsFrom(p, options))
        return;

    auto print = [this](const ShardMap &map) {
        std::vector<qint64> records(size_t(map.openShardCount()), 0);
        std::vector<qint64> bytes(size_t(map.openShardCount()), 0);
        std::vector<int> shardOf(size_t(m_store.size()));
        qint64 totalBytes = 0;
        for (int row = 0; row < m_store.size(); ++row) {
            const int shard = map.openIndexFor(m_store.hashKey(row));
            shardOf[size_t(row)] = shard;
            ++records[size_t(shard)];
            bytes[size_t(shard)] += m_store.recordSize(row);
            totalBytes += m_store.recordSize(row);
        }
        const auto share = [&](int shard) { return m_store.isEmpty() ? 0.0 : 100.0 * double(records[size_t(shard)]) / m_store.size(); };
        if (m_out.format() == OutputFormat::Json) {
            QJsonArray rows;
            for (int row = 0; row < m_store.size(); ++row)
                rows.append(QJsonObject{{QStringLiteral("index"), row},
                                        {QStringLiteral("partitionKey"), m_store.partitionKey(row)},
                                        {QStringLiteral("explicitHashKey"), m_store.hasExplicitHashKey(row)
                                                                                ? QJsonValue(hashKeyToString(m_store.explicitHashKey(row)))
                                                                                : QJsonValue()},
                                        {QStringLiteral("hashKey"), hashKeyToString(m_store.hashKey(row))},
                                        {QStringLiteral("shardId"), map.openShard(shardOf[size_t(row)]).shardId}});
            QJsonArray shards;
            for (int s = 0; s < map.openShardCount(); ++s)
                shards.append(QJsonObject{{QStringLiteral("shardId"), map.openShard(s).shardId},
                                          {QStringLiteral("records"), records[size_t(s)]},
                                          {QStringLiteral("bytes"), bytes[size_t(s)]},
                                          {QStringLiteral("share"), share(s)}});
            m_out.json(QJsonObject{{QStringLiteral("records"), rows}, {QStringLiteral("shards"), shards}});
        } else {
            std::vector<QStringList> rows;
            for (int row = 0; row < m_store.size(); ++row)
                rows.push_back({QString::number(row), m_store.partitionKey(row).replace(QLatin1Char('\n'), QLatin1String("\\n")),
                                m_store.hasExplicitHashKey(row) ? hashKeyToString(m_store.explicitHashKey(row)) : QStringLiteral("-"),
                                hashKeyToString(m_store.hashKey(row)), map.openShard(shardOf[size_t(row)]).shardId});
            m_out.table({QStringLiteral("INDEX"), QStringLiteral("PARTITION KEY"), QStringLiteral("EXPLICIT HASH KEY"),
                         QStringLiteral("HASH KEY"), QStringLiteral("SHARD")},
                        rows);
            m_out.line(QString());
            std::vector<QStringList> summary;
            for (int s = 0; s < map.openShardCount(); ++s)
                summary.push_back({map.openShard(s).shardId, number(records[size_t(s)]), number(bytes[size_t(s)]),
                                   QStringLiteral("%1%").arg(share(s), 0, 'f', 1)});
            summary.push_back({QStringLiteral("total"), number(m_store.size()), number(totalBytes), QStringLiteral("100.0%")});
            m_out.table({QStringLiteral("SHARD"), QStringLiteral("RECORDS"), QStringLiteral("BYTES"), QStringLiteral("SHARE")}, summary);
        }
        finish(m_badInput ? ExitUsage : ExitOk);
    };

    if (byShards) {
        bool ok = false;
        const int n = p.value(QStringLiteral("shards")).toInt(&ok);
        auto map = ShardMap::uniform(ok ? n : 0);
        if (!map.ok())
            return usageError(QStringLiteral("--shards: %1").arg(map.error().message));
        if (!importInto(files, options, m_store))
            return;
        return print(map.value());
    }
    auto *c = client();
    if (!c)
        return;
    const QString stream = p.value(QStringLiteral("stream"));
    c->listShards(stream, this, [this, files, options, print](Result<std::vector<Shard>> r) {
        if (!r.ok())
            return fail(r.error());
        auto map = ShardMap::fromShards(std::move(r.value()));
        if (!map.ok())
            return fail(map.error());
        if (!importInto(files, options, m_store))
            return;
        print(map.value());
    });
}

} // namespace kwb::cli
