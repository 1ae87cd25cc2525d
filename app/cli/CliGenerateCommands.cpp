// kwb generate and kwb replay: records made from a KDG-style template (or read from a file and
// replayed by their timestamps), paced by a rate schedule into the same streaming put as kwb put,
// written to a JSON Lines file that kwb put reads back, or previewed with their shards.
#include "Cli.h"
#include "OptionValues.h"

#include "generate/GeneratorSource.h"
#include "generate/LoadForecast.h"
#include "generate/ReplayFeed.h"
#include "net/JsonWriter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

#include <cstdio>

namespace kwb::cli {

namespace {

/// Chunks handed to the streaming put and not done yet: at most this many x 500 records wait in
/// memory; beyond it the run falls behind instead of piling up.
constexpr int kGenerateWindowChunks = 64;
constexpr qint64 kMaxTemplateBytes = 1024 * 1024;
/// Records generated to predict the load per shard.
constexpr int kForecastSample = 4000;

QString rateText(double perSecond)
{
    return perSecond >= 100 || perSecond == std::floor(perSecond) ? number(qint64(std::llround(perSecond)))
                                                                 : QString::number(perSecond, 'f', 1);
}

/// Writes one record as a line `kwb put --format jsonl` reads back unchanged.
void appendJsonLine(QByteArray &out, const generate::GeneratedRecord &r)
{
    out.append("{\"PartitionKey\": ");
    net::appendJsonString(out, QByteArrayView(r.partitionKey));
    out.append(", \"Data\": ");
    net::appendJsonString(out, QByteArrayView(r.data));
    if (r.explicitHashKey) {
        char digits[40];
        out.append(", \"ExplicitHashKey\": \"").append(digits, hashKeyToChars(*r.explicitHashKey, digits)).append('"');
    }
    out.append("}\n");
}

QString shown(const QByteArray &bytes, int max)
{
    QString s = QString::fromUtf8(bytes);
    s.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\r'), QStringLiteral("\\r"));
    s = s.simplified();
    return s.size() > max ? s.left(max - 3) + QStringLiteral("...") : s;
}

} // namespace

void Cli::addGenerateOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("key"), QStringLiteral("Partition key template, e.g. 'user-{{random.number(100)}}' (default: a "
                                                       "random UUID per record)."),
                 QStringLiteral("TEMPLATE")});
    p.addOption({QStringLiteral("ehk"), QStringLiteral("Explicit hash key template (a number from 0 to 2^128-1)."),
                 QStringLiteral("TEMPLATE")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the random values: the same template, seed and count give the "
                                                        "same records (default: a new seed, printed)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("count"), QStringLiteral("Make N records."), QStringLiteral("N")});
    p.addOption({QStringLiteral("duration"), QStringLiteral("Run for this long: 90, 90s, 15m, 2h (needs a rate)."),
                 QStringLiteral("DURATION")});
    p.addOption({QStringLiteral("until-stopped"), QStringLiteral("Run until Ctrl-C (with --stream); the records made are still sent.")});
    p.addOption({QStringLiteral("per-second"), QStringLiteral("Records per second over the whole stream (default: as fast as the "
                                                              "stream takes them)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("per-shard-per-second"), QStringLiteral("Records per second per open shard."), QStringLiteral("N")});
    p.addOption({QStringLiteral("ramp"), QStringLiteral("Rise (or fall) from FROM to TO records per second over SECONDS, then stay "
                                                        "at TO, e.g. 100:2000:60."),
                 QStringLiteral("FROM:TO:SECONDS")});
    p.addOption({QStringLiteral("burst"), QStringLiteral("Extra records at a moment of the run, e.g. 5000@30s (repeatable)."),
                 QStringLiteral("RECORDS@SECONDS")});
    p.addOption({QStringLiteral("stream"), QStringLiteral("Send to this stream (name or ARN)."), QStringLiteral("STREAM")});
    p.addOption({QStringLiteral("shards"), QStringLiteral("--preview, --output: predict shards in a virtual stream of N shards."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("preview"), QStringLiteral("Show the first N records with their predicted shards and the load per "
                                                           "shard at the rate, without sending (with --stream or --shards)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("start-time"), QStringLiteral("--output: stamp the records as if the run began at this ISO 8601 "
                                                              "time (default now); each record gets the moment the rate has it due."),
                 QStringLiteral("TIME")});
    p.addOption({QStringLiteral("list-helpers"), QStringLiteral("List the template helpers and exit.")});
    addRunOptions(p);
}

void Cli::addReplayOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("timestamp-field"), QStringLiteral("Field path of each record's time: epoch seconds or "
                                                                   "milliseconds, or ISO 8601."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("speed"), QStringLiteral("Replay X times faster than recorded (default 1; 60 plays an hour in a "
                                                         "minute)."),
                 QStringLiteral("X")});
    p.addOption({QStringLiteral("per-second"), QStringLiteral("A fixed rate instead of the timestamps."), QStringLiteral("N")});
    p.addOption({QStringLiteral("loop"), QStringLiteral("Start again at the end of the file, until Ctrl-C.")});
    p.addOption({QStringLiteral("restamp"), QStringLiteral("Replace each record's timestamp with the time it is sent, in the "
                                                           "same form.")});
    p.addOption({QStringLiteral("partition-key-field"), QStringLiteral("Partition key from this field path (default: a random "
                                                                       "UUID per record)."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("stream"), QStringLiteral("Send to this stream (name or ARN)."), QStringLiteral("STREAM")});
    addRunOptions(p);
}

void Cli::addRunOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("results"), QStringLiteral("Write every row's outcome to FILE.jsonl or FILE.csv as rows finish."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("concurrency"), QStringLiteral("Requests in flight, 1 to 128 (default: auto)."), QStringLiteral("N")});
    p.addOption({QStringLiteral("max-attempts"), QStringLiteral("Attempts per record, the first included (default: auto)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("no-flow-control"), QStringLiteral("No per-shard pacing by the send engine (the rate still holds).")});
}

bool Cli::runOptionsFrom(QCommandLineParser &p, send::SendOptions &options, QString &resultsPath)
{
    for (auto [name, max, target] : {std::tuple{QStringLiteral("concurrency"), 128, &options.concurrency},
                                     std::tuple{QStringLiteral("max-attempts"), 1000, &options.maxAttempts}}) {
        const auto value = option::wholeNumber(p, name, 1, max, *target);
        if (!value.ok()) {
            usageError(value.error().message);
            return false;
        }
        *target = int(value.value());
    }
    options.flowControl = !p.isSet(QStringLiteral("no-flow-control"));
    resultsPath = p.value(QStringLiteral("results"));
    if (!resultsPath.isEmpty() && !resultsPath.endsWith(QLatin1String(".jsonl")) && !resultsPath.endsWith(QLatin1String(".csv"))) {
        usageError(QStringLiteral("--results must name a .jsonl or .csv file, not '%1'").arg(resultsPath));
        return false;
    }
    return true;
}

void Cli::listHelpers()
{
    if (m_out.format() == OutputFormat::Json) {
        QJsonArray list;
        for (const generate::HelperInfo &h : generate::helpers::all())
            list.append(QJsonObject{{QStringLiteral("name"), QString(h.name)},
                                    {QStringLiteral("arguments"), QString(h.arguments)},
                                    {QStringLiteral("description"), QString(h.description)},
                                    {QStringLiteral("kdg"), h.fromKdg}});
        m_out.json(QJsonObject{{QStringLiteral("helpers"), list}});
    } else {
        std::vector<QStringList> rows;
        for (const generate::HelperInfo &h : generate::helpers::all())
            rows.push_back({QStringLiteral("{{%1%2}}").arg(h.name, h.arguments.isEmpty() ? QString() : QStringLiteral("(...)")),
                            h.fromKdg ? QStringLiteral("yes") : QStringLiteral("kwb"), QString(h.description)});
        m_out.table({QStringLiteral("HELPER"), QStringLiteral("KDG"), QStringLiteral("WHAT IT GIVES")}, rows);
    }
    finish(ExitOk);
}

void Cli::runGenerate(QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("list-helpers")))
        return listHelpers();
    const QStringList args = p.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'generate' takes one TEMPLATE file (the record's data template, as pasted into KDG)"));
    QFile file(args.front());
    if (!file.open(QIODevice::ReadOnly))
        return usageError(QStringLiteral("%1: cannot read: %2").arg(args.front(), file.errorString()));
    QByteArray text = file.read(kMaxTemplateBytes + 1);
    if (text.size() > kMaxTemplateBytes)
        return usageError(QStringLiteral("%1: a template is at most 1 MiB").arg(args.front()));
    // The line break editors put at the end of a file is not part of the record.
    if (text.endsWith('\n'))
        text.chop(text.endsWith("\r\n") ? 2 : 1);

    // Where the records go: exactly one of --stream, --output FILE.jsonl, --preview N.
    const bool toStream = p.isSet(QStringLiteral("stream"));
    const bool toFile = !m_outputFile.isEmpty();
    const bool preview = p.isSet(QStringLiteral("preview"));
    if (int(toStream) + int(toFile) + int(preview) != 1 && !(preview && toStream && !toFile))
        return usageError(QStringLiteral("give --stream STREAM, --output FILE.jsonl or --preview N"));
    if (p.isSet(QStringLiteral("shards")) && toStream)
        return usageError(QStringLiteral("--shards is for --preview and --output; with --stream the stream's shards are used"));

    quint64 seed = 0;
    if (p.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed takes a whole number from 0 to 18446744073709551615, not '%1'")
                                  .arg(p.value(QStringLiteral("seed"))));
    } else {
        seed = generate::RecordGenerator::randomSeed();
    }
    const generate::GeneratorTemplates templates{QString::fromUtf8(text), args.front(), p.value(QStringLiteral("key")),
                                                 p.value(QStringLiteral("ehk"))};
    if (p.isSet(QStringLiteral("key")) && templates.key.isEmpty())
        return usageError(QStringLiteral("--key needs a template; leave it out for a random UUID per record"));
    auto generator = generate::RecordGenerator::create(templates, seed);
    if (!generator.ok())
        return usageError(generator.error().message);
    // Every record is checked by the generator; the first ones now, so a key template that gives
    // bad keys is said before anything is sent.
    auto sample = generator.value().preview(kForecastSample, QDateTime::currentMSecsSinceEpoch());
    if (!sample.ok())
        return usageError(sample.error().message);

    // The schedule.
    generate::RateSchedule schedule;
    const int ends = int(p.isSet(QStringLiteral("count"))) + int(p.isSet(QStringLiteral("duration")))
        + int(p.isSet(QStringLiteral("until-stopped")));
    if (!preview && ends != 1)
        return usageError(QStringLiteral("give one of --count N, --duration D or --until-stopped"));
    if (p.isSet(QStringLiteral("until-stopped")) && !toStream)
        return usageError(QStringLiteral("--until-stopped is for --stream; give --output a --count or a --duration"));
    const auto count = option::wholeNumber(p, QStringLiteral("count"), 1, qint64(1) << 40, 0);
    if (!count.ok())
        return usageError(count.error().message);
    if (p.isSet(QStringLiteral("count")))
        schedule.setCount(count.value());
    if (p.isSet(QStringLiteral("duration"))) {
        const auto seconds = generate::RateSchedule::parseDuration(p.value(QStringLiteral("duration")));
        if (!seconds.ok())
            return usageError(QStringLiteral("--duration: %1").arg(seconds.error().message));
        schedule.setDuration(seconds.value());
    }
    if (p.isSet(QStringLiteral("per-second")) && p.isSet(QStringLiteral("per-shard-per-second")))
        return usageError(QStringLiteral("give --per-second or --per-shard-per-second, not both"));
    if (p.isSet(QStringLiteral("ramp")) && (p.isSet(QStringLiteral("per-second")) || p.isSet(QStringLiteral("per-shard-per-second"))))
        return usageError(QStringLiteral("--ramp sets the rate itself: leave out --per-second and --per-shard-per-second"));
    const auto perSecond = option::number(p, QStringLiteral("per-second"), 0, 1e7, 0, QStringLiteral("a number of records"));
    const auto perShard = option::number(p, QStringLiteral("per-shard-per-second"), 0, 1e6, 0, QStringLiteral("a number of records"));
    if (!perSecond.ok() || !perShard.ok())
        return usageError((perSecond.ok() ? perShard.error() : perSecond.error()).message);
    if (p.isSet(QStringLiteral("ramp"))) {
        const auto ramp = generate::RateSchedule::parseRamp(p.value(QStringLiteral("ramp")));
        if (!ramp.ok())
            return usageError(ramp.error().message);
        schedule.setRamp(ramp.value());
    }
    for (const QString &burst : p.values(QStringLiteral("burst"))) {
        const auto parsed = generate::RateSchedule::parseBurst(burst);
        if (!parsed.ok())
            return usageError(parsed.error().message);
        schedule.addBurst(parsed.value());
    }
    const bool paced = p.isSet(QStringLiteral("ramp")) || perSecond.value() > 0 || perShard.value() > 0;
    if (p.isSet(QStringLiteral("duration")) && !paced)
        return usageError(QStringLiteral("--duration needs a rate: --per-second N, --per-shard-per-second N or --ramp"));
    if (!p.values(QStringLiteral("burst")).isEmpty() && !paced)
        return usageError(QStringLiteral("--burst adds to a rate: give --per-second N, --per-shard-per-second N or --ramp"));

    send::SendOptions sendOptions;
    QString resultsPath;
    if (toStream && !preview && !runOptionsFrom(p, sendOptions, resultsPath))
        return;
    m_untilStopped = p.isSet(QStringLiteral("until-stopped"));
    const int previewCount = p.value(QStringLiteral("preview")).toInt();
    const QString startTime = p.value(QStringLiteral("start-time"));
    const QString stream = p.value(QStringLiteral("stream"));

    // The rest needs the shard map: the stream's, or a virtual one.
    auto withMap = [=, this](const ShardMap &map, const std::vector<Shard> &shards, qint64 maxRecordBytes) mutable {
        generate::RateSchedule s = schedule;
        if (perShard.value() > 0)
            s.setRate(perShard.value() * std::max(1, map.openShardCount()));
        else if (perSecond.value() > 0)
            s.setRate(perSecond.value());
        if (preview)
            return generatePreview(generator.value(), s, map, previewCount);
        if (toFile)
            return generateToFile(generator.value(), s, startTime);
        sendOptions.maxRecordBytes = maxRecordBytes;
        generateToStream(stream, sendOptions, resultsPath, generator.value(), s, map, shards, sample.value());
    };
    if (preview) {
        bool ok = false;
        const int n = p.value(QStringLiteral("preview")).toInt(&ok);
        if (!ok || n < 0 || n > 100000)
            return usageError(QStringLiteral("--preview takes a number of records from 0 to 100000, not '%1'")
                                  .arg(p.value(QStringLiteral("preview"))));
        if (!toStream && !p.isSet(QStringLiteral("shards")))
            return usageError(QStringLiteral("--preview needs --shards N (a virtual stream) or --stream STREAM (its real shards)"));
    }
    if (!toStream) {
        const auto n = option::wholeNumber(p, QStringLiteral("shards"), 1, ShardMap::kMaxVirtualShards, 1);
        if (!n.ok())
            return usageError(n.error().message);
        if (perShard.value() > 0 && !p.isSet(QStringLiteral("shards")))
            return usageError(QStringLiteral("--per-shard-per-second with --output needs --shards N"));
        return withMap(ShardMap::uniform(int(n.value())).value(), {}, limits::kDefaultMaxRecordBytes);
    }
    if (stream.isEmpty() || !checkStream(stream, QStringLiteral("--stream")))
        return stream.isEmpty() ? usageError(QStringLiteral("--stream needs a stream name or ARN")) : void();
    withStream(stream, [=, this](qint64 maxRecordBytes, std::vector<Shard> shards) mutable {
        auto map = ShardMap::fromShards(shards);
        if (!map.ok())
            return fail(map.error());
        withMap(map.value(), shards, maxRecordBytes);
    });
}

void Cli::generatePreview(generate::RecordGenerator generator, const generate::RateSchedule &schedule, const ShardMap &map,
                          int count)
{
    auto records = generator.preview(std::max(count, kForecastSample), QDateTime::currentMSecsSinceEpoch());
    if (!records.ok())
        return usageError(records.error().message);
    const double rate = schedule.peakRate();
    const auto forecast = generate::LoadForecast::predict(map, records.value(), rate, send::ShardLimits::documented());
    const auto shardOf = [&](const generate::GeneratedRecord &r) {
        return map.openShard(map.openIndexFor(r.explicitHashKey ? *r.explicitHashKey : hashPartitionKey(QByteArrayView(r.partitionKey))))
            .shardId;
    };
    count = std::min(count, int(records.value().size()));
    if (m_out.format() == OutputFormat::Json) {
        QJsonArray list;
        for (int i = 0; i < count; ++i) {
            const auto &r = records.value()[size_t(i)];
            QJsonObject o{{QStringLiteral("index"), i}, {QStringLiteral("partitionKey"), QString::fromUtf8(r.partitionKey)},
                          {QStringLiteral("shardId"), shardOf(r)}, {QStringLiteral("data"), QString::fromUtf8(r.data)}};
            if (r.explicitHashKey)
                o.insert(QStringLiteral("explicitHashKey"), hashKeyToString(*r.explicitHashKey));
            list.append(o);
        }
        QJsonArray shards;
        for (const auto &load : forecast.shards())
            shards.append(QJsonObject{{QStringLiteral("shardId"), load.shardId},
                                      {QStringLiteral("share"), load.share},
                                      {QStringLiteral("recordsPerSecond"), load.recordsPerSecond},
                                      {QStringLiteral("bytesPerSecond"), load.bytesPerSecond},
                                      {QStringLiteral("overLimit"), load.overRecords || load.overBytes}});
        m_out.json(QJsonObject{{QStringLiteral("seed"), QString::number(generator.seed())},
                               {QStringLiteral("records"), list},
                               {QStringLiteral("recordsPerSecond"), rate},
                               {QStringLiteral("sample"), int(records.value().size())},
                               {QStringLiteral("shards"), shards}});
        return finish(ExitOk);
    }
    std::vector<QStringList> rows;
    for (int i = 0; i < count; ++i) {
        const auto &r = records.value()[size_t(i)];
        rows.push_back({QString::number(i), shown(r.partitionKey, 40), shardOf(r), shown(r.data, 80)});
    }
    m_out.table({QStringLiteral("INDEX"), QStringLiteral("PARTITION KEY"), QStringLiteral("SHARD"), QStringLiteral("DATA")}, rows);
    m_out.line(QString());
    std::vector<QStringList> loads;
    for (const auto &load : forecast.shards())
        loads.push_back({load.shardId, QStringLiteral("%1%").arg(100.0 * load.share, 0, 'f', 1),
                         rate > 0 ? rateText(load.recordsPerSecond) : QStringLiteral("-"),
                         rate > 0 ? number(qint64(load.bytesPerSecond)) : QStringLiteral("-"),
                         load.overRecords || load.overBytes ? QStringLiteral("over the limit") : QString()});
    m_out.table({QStringLiteral("SHARD"), QStringLiteral("SHARE"), QStringLiteral("RECORDS/S"), QStringLiteral("BYTES/S"),
                 QStringLiteral("")},
                loads);
    QTextStream(stderr) << "kwb: shares from the first " << number(qint64(records.value().size())) << " records (seed " << generator.seed()
                        << ")" << (rate > 0 ? QStringLiteral("; load at %1 records/s against 1,000 records/s and 1 MiB/s per shard")
                                                  .arg(rateText(rate))
                                            : QString())
                        << '\n';
    finish(ExitOk);
}

void Cli::generateToFile(generate::RecordGenerator generator, const generate::RateSchedule &schedule, const QString &startTime)
{
    qint64 start = QDateTime::currentMSecsSinceEpoch();
    if (!startTime.isEmpty()) {
        const QDateTime t = QDateTime::fromString(startTime, Qt::ISODateWithMs);
        if (!t.isValid())
            return usageError(QStringLiteral("--start-time takes an ISO 8601 time such as 2024-03-05T10:00:00Z, not '%1'").arg(startTime));
        start = t.toMSecsSinceEpoch();
    }
    const quint64 seed = generator.seed();
    generate::GeneratorSource source(std::move(generator), schedule);
    source.setSimulatedStart(start);
    const bool toStdout = m_outputFile == QLatin1String("-");
    QSaveFile file(m_outputFile);
    QFile out;
    QIODevice *device = &file;
    if (toStdout) {
        if (!out.open(stdout, QIODevice::WriteOnly))
            return fail(Error::input(QStringLiteral("cannot write to standard output")));
        device = &out;
    } else if (!file.open(QIODevice::WriteOnly)) {
        return usageError(QStringLiteral("%1: cannot write: %2").arg(m_outputFile, file.errorString()));
    }
    QByteArray buffer;
    buffer.reserve(1 << 20);
    generate::GeneratedRecord record;
    qint64 written = 0;
    while (true) {
        auto more = source.next(record);
        if (!more.ok())
            return usageError(more.error().message);
        if (!more.value())
            break;
        appendJsonLine(buffer, record);
        ++written;
        if (buffer.size() >= (1 << 20) || !more.value()) {
            if (device->write(buffer) != buffer.size())
                return fail(Error::input(QStringLiteral("%1: cannot write: %2").arg(m_outputFile, device->errorString())));
            buffer.clear();
        }
    }
    if (device->write(buffer) != buffer.size())
        return fail(Error::input(QStringLiteral("%1: cannot write: %2").arg(m_outputFile, device->errorString())));
    if (!toStdout && !file.commit())
        return fail(Error::input(QStringLiteral("%1: cannot write: %2").arg(m_outputFile, file.errorString())));
    if (toStdout)
        out.flush();
    if (m_out.format() == OutputFormat::Json && !toStdout)
        m_out.json(QJsonObject{{QStringLiteral("records"), written}, {QStringLiteral("seed"), QString::number(seed)},
                               {QStringLiteral("output"), m_outputFile}});
    else
        QTextStream(stderr) << "kwb: " << number(written) << " records written to "
                            << (toStdout ? QStringLiteral("standard output") : m_outputFile) << " (seed " << seed << ")\n";
    finish(ExitOk);
}

void Cli::generateToStream(const QString &stream, const send::SendOptions &options, const QString &resultsPath,
                           generate::RecordGenerator generator, const generate::RateSchedule &schedule, const ShardMap &map,
                           const std::vector<Shard> &shards, const std::vector<generate::GeneratedRecord> &sample)
{
    if (!startSending(stream, options, resultsPath, shards))
        return;
    // Say before starting when a shard would be asked for more than it takes.
    send::ShardLimits limits = m_put->flowController()->limits();
    if (const auto advertised = client()->advertisedLimits())
        limits = send::ShardLimits::advertised(advertised->enabled, advertised->recordsPerSecond, advertised->bytesPerSecond);
    QTextStream err(stderr);
    const quint64 seed = generator.seed();
    err << "kwb: generating with seed " << seed;
    if (schedule.paced())
        err << " at " << rateText(schedule.peakRate()) << " records/s" << (schedule.peakRate() != schedule.rateAt(0) ? " at the peak" : "");
    if (const auto total = schedule.total())
        err << ", " << number(*total) << " records";
    err << '\n';
    if (schedule.paced()) {
        const auto forecast = generate::LoadForecast::predict(map, sample, schedule.peakRate(), limits);
        if (forecast.overLimit()) {
            for (const auto &load : forecast.shards()) {
                if (!load.overRecords && !load.overBytes)
                    continue;
                err << "kwb: warning: at " << rateText(schedule.peakRate()) << " records/s, " << load.shardId << " would get "
                    << rateText(load.recordsPerSecond) << " records/s and " << number(qint64(load.bytesPerSecond))
                    << " bytes/s (" << QString::number(100.0 * load.share, 'f', 1) << "% of the records), above its limit of "
                    << limits.describe() << '\n';
            }
            err << "kwb: warning: the stream takes about " << rateText(forecast.sustainableRate())
                << " records/s with this key spread; flow control holds the hot shards at their limit, so the run will fall "
                   "behind\n";
        }
    }
    err.flush();
    m_source = std::make_unique<generate::GeneratorSource>(std::move(generator), schedule);
    startPacer();
}

void Cli::startPacer()
{
    m_pacer = std::make_unique<generate::Pacer>(m_source.get());
    m_pacer->setSink([this](RecordStore &&records, qint64 firstIndex) {
        m_put->addChunk(send::RecordChunk::fresh(std::move(records), firstIndex));
    });
    m_pacer->setRoom([this] { return m_put->chunksAlive() < kGenerateWindowChunks; });
    connect(m_pacer.get(), &generate::Pacer::failed, this, [this](const Error &error) { m_importError = error; });
    connect(m_pacer.get(), &generate::Pacer::finished, this, [this] {
        if (const qint64 behind = m_pacer->behind(); behind > 0)
            QTextStream(stderr) << "\nkwb: the run ended " << number(behind)
                                << " records behind its rate: the stream (or the requests in flight) did not take them "
                                   "in time\n";
        m_put->endOfInput();
    });
    m_pacer->start();
}

void Cli::runReplay(QCommandLineParser &p)
{
    const QStringList args = p.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'replay' takes one JSON Lines FILE"));
    generate::ReplayOptions options;
    options.timestampField = p.value(QStringLiteral("timestamp-field"));
    const auto speed = option::number(p, QStringLiteral("speed"), 0, 1e7, 1, QStringLiteral("a factor"));
    const auto perSecond = option::number(p, QStringLiteral("per-second"), 0, 1e7, 0, QStringLiteral("a number of records"));
    if (!speed.ok() || !perSecond.ok())
        return usageError((speed.ok() ? perSecond.error() : speed.error()).message);
    if (p.isSet(QStringLiteral("speed")) && p.isSet(QStringLiteral("per-second")))
        return usageError(QStringLiteral("give --speed (paced by the timestamps) or --per-second (a fixed rate), not both"));
    if (p.isSet(QStringLiteral("restamp")) && options.timestampField.isEmpty())
        return usageError(QStringLiteral("--restamp needs --timestamp-field PATH: the field to write the new time into"));
    options.speed = speed.value();
    options.perSecond = perSecond.value();
    options.loop = p.isSet(QStringLiteral("loop"));
    options.restamp = p.isSet(QStringLiteral("restamp"));
    options.partitionKeyField = p.value(QStringLiteral("partition-key-field"));
    options.seed = generate::RecordGenerator::randomSeed();
    const QString stream = p.value(QStringLiteral("stream"));
    if (stream.isEmpty())
        return usageError(QStringLiteral("'replay' needs --stream STREAM"));
    if (!checkStream(stream, QStringLiteral("--stream")))
        return;
    auto feed = generate::ReplayFeed::open(args.front(), options);
    if (!feed.ok())
        return usageError(feed.error().message);
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!runOptionsFrom(p, sendOptions, resultsPath))
        return;
    m_untilStopped = options.loop;
    m_source = std::move(feed.value());
    withStream(stream, [=, this](qint64 maxRecordBytes, std::vector<Shard> shards) mutable {
        sendOptions.maxRecordBytes = maxRecordBytes;
        if (!startSending(stream, sendOptions, resultsPath, std::move(shards)))
            return;
        startPacer();
    });
}

} // namespace kwb::cli
