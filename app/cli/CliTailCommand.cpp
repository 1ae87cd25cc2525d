// kwb tail: reads a stream as it is written (core/stream's StreamReader) and prints one line per
// record until Ctrl+C (exit 0) or --count records.
#include "Cli.h"

#include "OptionValues.h"
#include "net/JsonWriter.h"
#include "stream/StreamReader.h"

#include <QDateTime>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace kwb::cli {

namespace {

int g_tailPipe[2] = {-1, -1};

void onTailSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_tailPipe[1], &byte, 1);
}

QString arrivalText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

/// Text output keeps one record on one line: control characters are escaped.
QString oneLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\')
            out += QLatin1String("\\\\");
        else if (c == u'\n')
            out += QLatin1String("\\n");
        else if (c == u'\r')
            out += QLatin1String("\\r");
        else if (c == u'\t')
            out += QLatin1String("\\t");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

} // namespace

/// How `kwb tail` prints a record's data.
enum class TailDataEncoding { Utf8, Base64, Hex };

static QByteArray encodedData(const QByteArray &data, TailDataEncoding encoding)
{
    switch (encoding) {
    case TailDataEncoding::Base64: return data.toBase64();
    case TailDataEncoding::Hex: return data.toHex();
    case TailDataEncoding::Utf8: break;
    }
    return data;
}

/// One output line (with its newline) for a record.
static QByteArray tailLine(const stream::ReadRecord &r, bool json, TailDataEncoding encoding)
{
    QByteArray line;
    const QByteArray data = encodedData(r.data, encoding);
    if (json) {
        line.reserve(200 + data.size());
        line.append("{\"shardId\":");
        net::appendJsonString(line, r.shardId);
        line.append(",\"sequenceNumber\":");
        net::appendJsonString(line, r.sequenceNumber);
        line.append(",\"partitionKey\":");
        net::appendJsonString(line, r.partitionKey);
        line.append(",\"approximateArrivalTimestamp\":");
        net::appendJsonString(line, arrivalText(r.arrivalMs));
        line.append(",\"data\":");
        // Bytes that are not UTF-8 become U+FFFD: --data-encoding base64 or hex keeps them.
        net::appendJsonString(line, encoding == TailDataEncoding::Utf8 ? QString::fromUtf8(data) : QString::fromLatin1(data));
        line.append("}\n");
        return line;
    }
    const QString text = encoding == TailDataEncoding::Utf8 ? oneLine(QString::fromUtf8(data)) : QString::fromLatin1(data);
    return (r.shardId + QLatin1Char('\t') + r.sequenceNumber + QLatin1Char('\t') + oneLine(r.partitionKey) + QLatin1Char('\t')
            + arrivalText(r.arrivalMs) + QLatin1Char('\t') + text + QLatin1Char('\n'))
        .toUtf8();
}

void Cli::addTailOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("shard"), QStringLiteral("Read only this shard (and the shards it closes into); repeat "
                                                              "for more. Default: every shard."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("from"),
                      QStringLiteral("Where to start: latest (default: records written from now on), trim-horizon (the "
                                     "oldest kept record), a time (2026-12-06T20:15:00Z or epoch seconds) or a sequence "
                                     "number (with one --shard)."),
                      QStringLiteral("POSITION"), QStringLiteral("latest")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Stop after N records (default: run until Ctrl+C)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("data-encoding"),
                      QStringLiteral("How to print the data: utf8 (default), base64 or hex."), QStringLiteral("ENCODING"),
                      QStringLiteral("utf8")});
}

void Cli::runTail(QCommandLineParser &parser)
{
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'tail' takes one stream (a name or an ARN); run 'kwb tail --help'"));
    const QString stream = args.front();
    if (!checkStream(stream, QStringLiteral("tail")))
        return;
    stream::ReaderOptions options;
    auto from = stream::StartPosition::parse(parser.value(QStringLiteral("from")));
    if (!from.ok())
        return usageError(from.error().message);
    options.from = from.value();
    options.shardIds = parser.values(QStringLiteral("shard"));
    options.shardIds.removeDuplicates();
    if (options.from.bySequenceNumber() && options.shardIds.size() != 1)
        return usageError(QStringLiteral("--from with a sequence number reads one shard: give it with one --shard ID"));
    const auto count = option::wholeNumber(parser, QStringLiteral("count"), 1, std::numeric_limits<qint64>::max(), 0);
    if (!count.ok())
        return usageError(count.error().message);
    const QString encodingName = parser.value(QStringLiteral("data-encoding"));
    TailDataEncoding encoding = TailDataEncoding::Utf8;
    if (encodingName == QLatin1String("base64"))
        encoding = TailDataEncoding::Base64;
    else if (encodingName == QLatin1String("hex"))
        encoding = TailDataEncoding::Hex;
    else if (encodingName != QLatin1String("utf8"))
        return usageError(QStringLiteral("--data-encoding takes utf8, base64 or hex, not '%1'").arg(encodingName));
    auto *c = client();
    if (!c)
        return;
    // The CLI prints as it reads and keeps nothing: a small ring.
    options.ringCapacity = 1;
    m_tail = std::make_unique<stream::StreamReader>(c, stream, options);
    const bool json = m_out.format() == OutputFormat::Json;
    const qint64 limit = count.value();

    if (::pipe2(g_tailPipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        auto *notifier = new QSocketNotifier(g_tailPipe[0], QSocketNotifier::Read, m_tail.get());
        connect(notifier, &QSocketNotifier::activated, this, [this] {
            // Ctrl+C or SIGTERM: what was printed is the answer; exit 0.
            m_tail->stop();
            std::fflush(stdout);
            finish(ExitOk);
        });
        std::signal(SIGINT, onTailSignal);
        std::signal(SIGTERM, onTailSignal);
    }
    connect(m_tail.get(), &stream::StreamReader::recordsRead, this, [this, json, encoding, limit](const QList<stream::ReadRecord> &records) {
        for (const stream::ReadRecord &r : records) {
            if (limit > 0 && m_tailPrinted >= limit)
                break;
            const QByteArray line = tailLine(r, json, encoding);
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
            ++m_tailPrinted;
        }
        std::fflush(stdout);
        if (limit > 0 && m_tailPrinted >= limit) {
            m_tail->stop();
            finish(ExitOk);
        }
    });
    connect(m_tail.get(), &stream::StreamReader::failed, this, [this](const Error &error) { fail(error); });
    m_tail->start();
}

} // namespace kwb::cli
