// kwb tail: reads a stream as it is written (core/stream's StreamReader) and prints one line per
// record until Ctrl+C (exit 0) or --count records. With --deaggregate, a KPL aggregated record
// (core/kpl's Deaggregator) is printed as its user records, one line each.
#include "Cli.h"

#include "OptionValues.h"
#include "kpl/Deaggregator.h"
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

/// One output line (with its newline) for a record. With `user`, the line is that user record of
/// the aggregated record `r` (its key, hash key, sub-sequence number and data); with a non-empty
/// `error`, `r` is printed as it is plus why it could not be de-aggregated.
static QByteArray tailLine(const stream::ReadRecord &r, bool json, TailDataEncoding encoding,
                           const kpl::UserRecordView *user = nullptr, const QString &error = QString())
{
    QByteArray line;
    const QByteArray data = encodedData(user ? user->data.toByteArray() : r.data, encoding);
    const QString key = user ? QString::fromUtf8(user->partitionKey) : r.partitionKey;
    const bool hasHashKey = user && user->hasExplicitHashKey;
    const QString hashKey = hasHashKey ? QString::fromLatin1(user->explicitHashKey) : QString();
    if (json) {
        line.reserve(200 + data.size());
        line.append("{\"shardId\":");
        net::appendJsonString(line, r.shardId);
        line.append(",\"sequenceNumber\":");
        net::appendJsonString(line, r.sequenceNumber);
        if (user)
            line.append(",\"subSequenceNumber\":").append(QByteArray::number(user->subSequenceNumber));
        line.append(",\"partitionKey\":");
        net::appendJsonString(line, key);
        if (hasHashKey) {
            line.append(",\"explicitHashKey\":");
            net::appendJsonString(line, hashKey);
        }
        line.append(",\"approximateArrivalTimestamp\":");
        net::appendJsonString(line, arrivalText(r.arrivalMs));
        line.append(",\"data\":");
        // Bytes that are not UTF-8 become U+FFFD: --data-encoding base64 or hex keeps them.
        net::appendJsonString(line, encoding == TailDataEncoding::Utf8 ? QString::fromUtf8(data) : QString::fromLatin1(data));
        if (!error.isEmpty()) {
            line.append(",\"error\":");
            net::appendJsonString(line, error);
        }
        line.append("}\n");
        return line;
    }
    const QString text = encoding == TailDataEncoding::Utf8 ? oneLine(QString::fromUtf8(data)) : QString::fromLatin1(data);
    QString out = r.shardId + QLatin1Char('\t') + r.sequenceNumber + QLatin1Char('\t') + oneLine(key) + QLatin1Char('\t')
        + arrivalText(r.arrivalMs) + QLatin1Char('\t') + text;
    // Two more columns for a user record: its sub-sequence number and explicit hash key (empty if none).
    if (user)
        out += QLatin1Char('\t') + QString::number(user->subSequenceNumber) + QLatin1Char('\t') + hashKey;
    if (!error.isEmpty())
        out += QStringLiteral("\terror: ") + oneLine(error);
    return (out + QLatin1Char('\n')).toUtf8();
}

/// The lines for one Kinesis record: with `deaggregate`, one per user record of an aggregated
/// record, or one with the error when it has the magic but cannot be unpacked.
static QByteArray tailLines(const stream::ReadRecord &r, bool json, TailDataEncoding encoding, bool deaggregate)
{
    if (!deaggregate || !kpl::Deaggregator::isAggregated(r.data))
        return tailLine(r, json, encoding);
    const auto users = kpl::Deaggregator::unpack(r.data);
    if (!users.ok())
        return tailLine(r, json, encoding, nullptr, QStringLiteral("not de-aggregated: %1").arg(users.error().message));
    QByteArray lines;
    for (const kpl::UserRecordView &user : users.value())
        lines += tailLine(r, json, encoding, &user);
    return lines;
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
    parser.addOption({QStringLiteral("count"),
                      QStringLiteral("Stop after N Kinesis records (default: run until Ctrl+C); with --deaggregate an "
                                     "aggregated record counts once, however many user records it holds."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("data-encoding"),
                      QStringLiteral("How to print the data: utf8 (default), base64 or hex."), QStringLiteral("ENCODING"),
                      QStringLiteral("utf8")});
    parser.addOption({QStringLiteral("deaggregate"),
                      QStringLiteral("Print a KPL aggregated record as its user records, one line each, with their "
                                     "partitionKey, explicitHashKey and subSequenceNumber (text: two more columns, "
                                     "sub-sequence number and explicit hash key). One that has the KPL magic but a bad "
                                     "MD5 or protobuf is printed once, as it is, with an error saying why.")});
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
    const bool deaggregate = parser.isSet(QStringLiteral("deaggregate"));
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
    connect(m_tail.get(), &stream::StreamReader::recordsRead, this, [this, json, encoding, deaggregate, limit](const QList<stream::ReadRecord> &records) {
        for (const stream::ReadRecord &r : records) {
            if (limit > 0 && m_tailPrinted >= limit)
                break;
            const QByteArray line = tailLines(r, json, encoding, deaggregate);
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
