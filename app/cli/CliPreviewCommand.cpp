// kwb preview: which shard each record of the input would go to, and how the records spread
// over the shards, for a virtual stream of N shards or a real stream's shard map. Reads, hashes
// and prints chunk by chunk: memory stays one chunk, whatever the input size.
#include "Cli.h"
#include "OptionValues.h"

#include "HashKey.h"
#include "import/Importer.h"
#include "net/JsonWriter.h"

#include <QJsonObject>

#include <algorithm>
#include <cstdio>

namespace kwb::cli {

namespace {

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
