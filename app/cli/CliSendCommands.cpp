// kwb put, kwb preview and kwb retry: import records, predict their shards, send them with the
// send engine, and write a results file that accounts for every row.
#include "Cli.h"
#include "OptionValues.h"
#include "aws/StreamArn.h"

#include "export/ResultsExport.h"
#include "import/ColumnMapping.h"
#include "import/ImportThread.h"
#include "import/Importer.h"
#include "net/JsonWriter.h"
#include "send/StreamingPut.h"

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
/// Chunks of records alive at once in kwb put: read, being sent, or waiting for retries.
constexpr int kWindowChunks = 8;
constexpr int kRetryChunkRows = 8000;

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

/// Reports bad records as they are met and passes chunks on (kwb preview).
class ReportingConsumer : public import::ChunkConsumer
{
public:
    ReportingConsumer(import::ChunkConsumer &next, std::function<void(const import::ImportIssue &)> report)
        : m_next(next)
        , m_report(std::move(report))
    {
    }
    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override { return m_next.takeChunk(std::move(chunk), firstRecord); }
    void issueFound(const import::ImportIssue &issue) override { m_report(issue); }

private:
    import::ChunkConsumer &m_next;
    std::function<void(const import::ImportIssue &)> m_report;
};

/// kwb preview's output, written as the records are hashed: one row (table) or one JSON object
/// per record, the per-shard summary at the end. Memory: one chunk of records.
class PreviewPrinter : public import::ChunkConsumer
{
public:
    PreviewPrinter(const ShardMap &map, bool json)
        : m_map(map)
        , m_json(json)
        , m_records(size_t(map.openShardCount()), 0)
        , m_bytes(size_t(map.openShardCount()), 0)
    {
        m_out.reserve(kFlushBytes + 4096);
        for (int s = 0; s < map.openShardCount(); ++s)
            m_shardIds.push_back(map.openShard(s).shardId.toUtf8());
        if (m_json)
            m_out.append("{\n    \"records\": [");
    }

    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override
    {
        if (!m_json && m_widths.empty())
            header(chunk, firstRecord);
        char hash[40];
        char ehk[40];
        for (int row = 0; row < chunk.size(); ++row) {
            const int shard = m_map.openIndexFor(chunk.hashKey(row));
            ++m_records[size_t(shard)];
            m_bytes[size_t(shard)] += chunk.recordSize(row);
            m_totalBytes += chunk.recordSize(row);
            const qint64 index = firstRecord + row;
            const QByteArray &shardId = m_shardIds[size_t(shard)];
            const QByteArrayView hashText(hash, hashKeyToChars(chunk.hashKey(row), hash));
            const QByteArrayView ehkText = chunk.hasExplicitHashKey(row)
                ? QByteArrayView(ehk, hashKeyToChars(chunk.explicitHashKey(row), ehk))
                : QByteArrayView();
            if (m_json) {
                m_out.append(index == 0 ? "\n        " : ",\n        ");
                m_out.append("{\"index\": ").append(QByteArray::number(index)).append(", \"partitionKey\": ");
                net::appendJsonString(m_out, chunk.partitionKeyUtf8(row));
                m_out.append(", \"explicitHashKey\": ");
                if (ehkText.isEmpty())
                    m_out.append("null");
                else
                    m_out.append('"').append(ehkText).append('"');
                m_out.append(", \"hashKey\": \"").append(hashText).append("\", \"shardId\": ");
                net::appendJsonString(m_out, QByteArrayView(shardId));
                m_out.append('}');
            } else {
                cell(QByteArray::number(index), 0);
                const QByteArrayView key = chunk.partitionKeyUtf8(row);
                if (key.contains('\n')) {
                    QByteArray shown = key.toByteArray();
                    shown.replace('\n', "\\n");
                    cell(shown, 1);
                } else {
                    cell(key, 1);
                }
                cell(ehkText.isEmpty() ? QByteArrayView("-") : ehkText, 2);
                cell(hashText, 3);
                m_out.append(shardId).append('\n');
            }
            ++m_count;
            if (m_out.size() >= kFlushBytes)
                flush();
        }
        return true;
    }

    /// The summary, and everything still buffered, on stdout.
    void finish()
    {
        const auto share = [&](int s) { return m_count == 0 ? 0.0 : 100.0 * double(m_records[size_t(s)]) / double(m_count); };
        if (m_json) {
            m_out.append(m_count == 0 ? "],\n    \"shards\": [" : "\n    ],\n    \"shards\": [");
            for (int s = 0; s < m_map.openShardCount(); ++s) {
                m_out.append(s == 0 ? "\n        " : ",\n        ");
                m_out.append("{\"shardId\": ");
                net::appendJsonString(m_out, m_map.openShard(s).shardId);
                m_out.append(", \"records\": ").append(QByteArray::number(m_records[size_t(s)]));
                m_out.append(", \"bytes\": ").append(QByteArray::number(m_bytes[size_t(s)]));
                m_out.append(", \"share\": ").append(QByteArray::number(share(s), 'g', 10)).append('}');
            }
            m_out.append("\n    ]\n}\n");
            flush();
            return;
        }
        if (m_widths.empty())
            header(RecordStore(), 0);
        m_out.append('\n');
        flush();
        Output table;
        std::vector<QStringList> summary;
        for (int s = 0; s < m_map.openShardCount(); ++s)
            summary.push_back({m_map.openShard(s).shardId, number(m_records[size_t(s)]), number(m_bytes[size_t(s)]),
                               QStringLiteral("%1%").arg(share(s), 0, 'f', 1)});
        summary.push_back({QStringLiteral("total"), number(m_count), number(m_totalBytes), QStringLiteral("100.0%")});
        table.table({QStringLiteral("SHARD"), QStringLiteral("RECORDS"), QStringLiteral("BYTES"), QStringLiteral("SHARE")}, summary);
    }

private:
    static constexpr qsizetype kFlushBytes = 1 << 20;

    /// Column widths from the first chunk; a longer value later pushes its row's columns.
    void header(const RecordStore &chunk, qint64 firstRecord)
    {
        m_widths = {7, 13, 17, 8};
        for (int row = 0; row < chunk.size(); ++row) {
            m_widths[0] = std::max<qsizetype>(m_widths[0], QByteArray::number(firstRecord + chunk.size()).size());
            m_widths[1] = std::max<qsizetype>(m_widths[1], std::min<qsizetype>(64, chunk.partitionKeyUtf8(row).size()));
            if (chunk.hasExplicitHashKey(row))
                m_widths[2] = 39;
            m_widths[3] = 39;
        }
        if (chunk.isEmpty())
            m_widths[3] = 8;
        cell("INDEX", 0);
        cell("PARTITION KEY", 1);
        cell("EXPLICIT HASH KEY", 2);
        cell("HASH KEY", 3);
        m_out.append("SHARD\n");
    }
    void cell(QByteArrayView text, size_t column)
    {
        m_out.append(text);
        // Characters, not bytes, line the columns up.
        const qsizetype shown = std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
        static constexpr char kSpaces[] = "                                                                  ";
        qsizetype pad = std::max<qsizetype>(0, m_widths[column] - shown) + 2;
        while (pad > 0) {
            const qsizetype n = std::min<qsizetype>(pad, qsizetype(sizeof kSpaces) - 1);
            m_out.append(kSpaces, n);
            pad -= n;
        }
    }
    void flush()
    {
        std::fwrite(m_out.constData(), 1, size_t(m_out.size()), stdout);
        std::fflush(stdout);
        m_out.clear();
    }

    const ShardMap &m_map;
    const bool m_json;
    std::vector<qint64> m_records;
    std::vector<qint64> m_bytes;
    std::vector<qsizetype> m_widths;
    std::vector<QByteArray> m_shardIds;
    qint64 m_totalBytes = 0;
    qint64 m_count = 0;
    QByteArray m_out;
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

void Cli::runRetry(QCommandLineParser &p)
{
    const QStringList args = p.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'retry' takes one results file (.jsonl) written by kwb put"));
    const QString stream = streamOption(p);
    if (stream.isEmpty())
        return;
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!sendOptionsFrom(p, sendOptions, resultsPath))
        return;
    const bool resendUnknown = p.isSet(QStringLiteral("resend-unknown"));
    QFile file(args.front());
    if (!file.open(QIODevice::ReadOnly))
        return usageError(QStringLiteral("%1: cannot read: %2").arg(args.front(), file.errorString()));
    auto read = exporting::readResultsJsonl(file, args.front());
    if (!read.ok())
        return usageError(read.error().message);
    auto earlier = std::make_shared<exporting::ResultsFile>(std::move(read.value()));
    if (resultsPath.isEmpty()) {
        const QFileInfo info(args.front());
        resultsPath = info.dir().filePath(info.completeBaseName() + QStringLiteral(".retry.jsonl"));
    }
    if (QFileInfo(resultsPath).absoluteFilePath() == QFileInfo(args.front()).absoluteFilePath())
        return usageError(QStringLiteral("--results must name another file than the one retried"));
    QTextStream err(stderr);
    if (earlier->cutLastLine)
        err << "kwb: " << args.front() << " ends in the middle of a line (the run writing it was killed); "
            << "that line is left out, the rows keep what the lines before it said\n";
    if (earlier->unknownRows > 0) {
        err << "kwb: " << number(earlier->unknownRows) << " rows may or may not be in the stream already: their request was "
            << "in flight when the run was stopped or aborted, and Kinesis has no idempotency. "
            << (resendUnknown ? QStringLiteral("Sending them again (--resend-unknown): this may duplicate them.\n")
                              : QStringLiteral("They are not sent; they stay 'cancelled' in the new results file. Check the "
                                               "stream, or add --resend-unknown to send them again.\n"));
    }
    err.flush();
    withStream(stream, [=, this](qint64 maxRecordBytes, std::vector<Shard> shards) mutable {
        sendOptions.maxRecordBytes = maxRecordBytes;
        if (!startSending(stream, sendOptions, resultsPath, std::move(shards)))
            return;
        const RecordStore &store = earlier->store;
        const send::SendResults &results = earlier->results;
        send::RecordChunk chunk;
        const auto flushChunk = [&] {
            if (chunk.store.isEmpty())
                return;
            m_put->addChunk(std::move(chunk));
            chunk = send::RecordChunk();
        };
        for (int row = 0; row < store.size(); ++row) {
            const send::RowStatus status = results.status(row);
            const bool unknown = status == send::RowStatus::Cancelled;
            if (status == send::RowStatus::Succeeded || (unknown && !resendUnknown)) {
                // Kept as it was: written to the new file straight away.
                m_journal->final(store, results, row, earlier->indexes[size_t(row)]);
                ++m_keptRows;
                m_keptSucceeded += status == send::RowStatus::Succeeded;
                continue;
            }
            const int at = chunk.store.append(store.partitionKeyUtf8(row), store.data(row), store.optionalExplicitHashKey(row));
            chunk.results.resize(chunk.store.size());
            chunk.results.restore(at, status, {}, {}, results.errorCode(row), results.errorMessage(row),
                                  results.attemptCount(row), results.retriable(row));
            chunk.indexes.push_back(earlier->indexes[size_t(row)]);
            if (chunk.store.size() >= kRetryChunkRows)
                flushChunk();
        }
        flushChunk();
        m_put->endOfInput();
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

    // Records are read, hashed and printed chunk by chunk (memory stays one chunk, whatever the
    // input size); the per-shard summary comes at the end.
    auto print = [this, files, options](const ShardMap &map) {
        PreviewPrinter printer(map, m_out.format() == OutputFormat::Json);
        import::StreamOptions stream;
        stream.chunkRecords = 16384;
        ReportingConsumer reporting(printer, [this](const import::ImportIssue &issue) { reportBadRecord(issue); });
        import::Importer importer;
        auto report = importer.streamFiles(files, options, stream, reporting);
        if (!report.ok())
            return fail(report.error());
        printer.finish();
        reportHiddenIssues(report.value().issueCount);
        if (report.value().stopped && options.onBadRow == import::BadRowPolicy::Stop)
            m_out.error(QStringLiteral("stopped reading at the first bad record (--on-bad-row stop)"));
        finish(m_badInput ? ExitUsage : ExitOk);
    };

    if (byShards) {
        const auto n = option::wholeNumber(p, QStringLiteral("shards"), 1, ShardMap::kMaxVirtualShards, 0);
        if (!n.ok())
            return usageError(n.error().message);
        auto map = ShardMap::uniform(int(n.value()));
        if (!map.ok())
            return usageError(QStringLiteral("--shards: %1").arg(map.error().message));
        return print(map.value());
    }
    auto *c = client();
    if (!c)
        return;
    const QString stream = p.value(QStringLiteral("stream"));
    if (!checkStream(stream, QStringLiteral("--stream")))
        return;
    c->listShards(stream, this, [this, print](Result<std::vector<Shard>> r) {
        if (!r.ok())
            return fail(r.error());
        auto map = ShardMap::fromShards(std::move(r.value()));
        if (!map.ok())
            return fail(map.error());
        print(map.value());
    });
}

} // namespace kwb::cli
