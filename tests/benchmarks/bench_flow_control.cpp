// Flow control with the defaults, against the built-in sandbox with its limits on (AWS's:
// 1,000 records/s and 1 MiB/s per shard, counted over any one-second span) and added latency.
// Each case sends with SendOptions{} exactly as `kwb put` does against the sandbox: paced to the
// limits the sandbox advertises in its answers (the same numbers AWS documents).
//
// Capacity, per case: the shortest time the stream could take the records in. Each shard takes
// at most 1,000 records a second and, records being whole, floor(1 MiB / record size) records
// of that size a second; a shard with n records needs n / min(those) seconds, and the case
// needs what its busiest shard needs (counted here from the records and the stream's real
// hash ranges). The share of capacity is that time over the run's time (first request to last
// answer). The one-second burst an idle shard may take is not counted for either side.
// Targets: share >= 95 %, no record failed, throttled answers <= 0.5 % of the records.
// Each case sends for about ten seconds at its busiest shard; the whole run takes about two
// minutes.
#include "BenchSupport.h"

#include "RecordStore.h"
#include "ShardMap.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"
#include "send/SendEngine.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>
#include <memory>

using namespace kwb;

namespace {

enum class Keys { Uniform, Zipf, OneHotKey };

struct Case
{
    const char *name;
    QString stream;
    int shards;
    Keys keys;
    int recordBytes;
    int latencyMs;
    double busiestShardSeconds; ///< records are chosen so the busiest shard needs this long
};

/// Runs the event loop until `done` is true (benchmark main thread only).
void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

template<typename T>
Result<T> await(const std::function<void(QObject *, std::function<void(Result<T>)>)> &call)
{
    std::optional<Result<T>> result;
    QObject context;
    call(&context, [&](Result<T> r) { result.emplace(std::move(r)); });
    waitFor([&] { return result.has_value(); }, 30000);
    if (!result)
        return Error{Error::Kind::Timeout, QStringLiteral("Timeout"), QStringLiteral("no answer"), 0};
    return std::move(*result);
}

QByteArray key(Keys keys, int i, QRandomGenerator &random)
{
    switch (keys) {
    case Keys::Uniform: return "u-" + QByteArray::number(i);
    case Keys::OneHotKey: return QByteArrayLiteral("the-hot-key");
    case Keys::Zipf: {
        // Zipf (s = 1) over 2,000 keys by inverse transform on the harmonic series.
        static std::vector<double> cumulative;
        if (cumulative.empty()) {
            double sum = 0;
            for (int rank = 1; rank <= 2000; ++rank)
                cumulative.push_back(sum += 1.0 / rank);
            for (double &c : cumulative)
                c /= sum;
        }
        const double u = random.generateDouble();
        const auto rank = std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        return "z-" + QByteArray::number(qint64(rank));
    }
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QList<Case> cases{
        {"uniform keys, 100 B, 1 ms", QStringLiteral("uniform1"), 8, Keys::Uniform, 100, 1, 10},
        {"uniform keys, 100 B, 50 ms", QStringLiteral("uniform50"), 8, Keys::Uniform, 100, 50, 10},
        {"uniform keys, 100 B, 200 ms", QStringLiteral("uniform200"), 8, Keys::Uniform, 100, 200, 10},
        {"Zipf-skewed keys, 100 B, 50 ms", QStringLiteral("zipf"), 8, Keys::Zipf, 100, 50, 10},
        {"one hot key, 100 B, 50 ms", QStringLiteral("hotkey"), 4, Keys::OneHotKey, 100, 50, 10},
        {"resharded 4 -> 6 (uneven), 100 B, 50 ms", QStringLiteral("resharded"), 4, Keys::Uniform, 100, 50, 10},
        {"uniform keys, 50 KB, 50 ms", QStringLiteral("large50"), 4, Keys::Uniform, 50000, 50, 10},
        {"uniform keys, 50 KB, 200 ms", QStringLiteral("large200"), 4, Keys::Uniform, 50000, 200, 10},
    };

    sandbox::SandboxOptions options; // limits on, AWS's numbers
    for (const Case &c : cases)
        options.initialStreams.append({c.stream, c.shards});
    sandbox::SandboxServer server(options);
    auto url = server.start(0);
    if (!url.ok()) {
        std::fprintf(stderr, "the sandbox did not start: %s\n", qPrintable(url.error().message));
        return 2;
    }
    net::ClientOptions clientOptions;
    clientOptions.endpoint = url.value();
    clientOptions.credentials = {QStringLiteral("AKIDBENCH"), QStringLiteral("secret"), {}, {}, {}};
    net::KinesisClient client(clientOptions);

    bool ok = true;
    for (const Case &c : cases) {
        server.setLatencyMs(0);
        if (QLatin1String(c.name).startsWith(QLatin1String("resharded"))) {
            auto resharded = await<QJsonObject>([&](QObject *ctx, auto done) {
                client.call(QStringLiteral("UpdateShardCount"),
                            QJsonObject{{QStringLiteral("StreamName"), c.stream}, {QStringLiteral("TargetShardCount"), 6},
                                        {QStringLiteral("ScalingType"), QStringLiteral("UNIFORM_SCALING")}},
                            ctx, done);
            });
            if (!resharded.ok()) {
                std::fprintf(stderr, "UpdateShardCount: %s\n", qPrintable(resharded.error().toString()));
                return 2;
            }
        }
        auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(c.stream, ctx, done); });
        if (!shards.ok()) {
            std::fprintf(stderr, "ListShards: %s\n", qPrintable(shards.error().toString()));
            return 2;
        }
        auto mapped = ShardMap::fromShards(std::move(shards.value()));
        if (!mapped.ok())
            return 2;
        const ShardMap map = std::move(mapped.value());

        // Records: a sample first, to size the case so that its busiest shard needs the time asked.
        const qint64 perShardPerSecond = std::min<qint64>(1000, (1024 * 1024) / c.recordBytes);
        QRandomGenerator random(42);
        std::vector<QByteArray> keys;
        std::vector<qint64> load(size_t(map.openShardCount()), 0);
        const qint64 wanted = qint64(c.busiestShardSeconds * double(perShardPerSecond));
        qint64 busiest = 0;
        for (int i = 0; busiest < wanted; ++i) {
            keys.push_back(key(c.keys, i, random));
            busiest = std::max(busiest, ++load[size_t(map.openIndexFor(hashPartitionKey(QString::fromUtf8(keys.back()))))]);
        }
        RecordStore store;
        for (const QByteArray &k : keys)
            store.append(k, QByteArray(std::max<qsizetype>(1, c.recordBytes - k.size()), 'x'));
        send::SendResults results;
        results.resize(store.size());
        const double lowerBound = double(busiest) / double(perShardPerSecond);

        server.setLatencyMs(c.latencyMs);
        const sandbox::SandboxStats before = server.stats();
        send::SendEngine engine(&client, &store, &results);
        engine.setStream(c.stream);
        engine.setShardMap(map);
        engine.setOptions(send::SendOptions{}); // the defaults are the product
        bool finished = false;
        QObject::connect(&engine, &send::SendEngine::finished, &engine, [&] { finished = true; });
        engine.sendAll();
        waitFor([&] { return finished; }, 600000);
        const sandbox::SandboxStats after = server.stats();
        const send::SendCounters &counters = engine.counters();
        const double seconds = double(counters.elapsedMs) / 1000.0;
        const double share = seconds > 0 ? lowerBound / seconds : 0;
        const qint64 throttled = after.recordsThrottled - before.recordsThrottled;
        const double throttledPerRecord = double(throttled) / double(store.size());

        std::printf("\n%s: %d records to %d open shards (busiest shard %lld records), %.2f s, lower bound %.2f s\n", c.name,
                    store.size(), map.openShardCount(), static_cast<long long>(busiest), seconds, lowerBound);
        bench::info("  requests", double(counters.requests), "");
        ok &= bench::report("  share of capacity", share * 100, "%", finished && share >= 0.95, ">= 95 %");
        ok &= bench::report("  records failed", double(counters.failed), "", finished && counters.failed == 0
                                && counters.succeeded == store.size(), "0");
        ok &= bench::report("  throttled answers per record", throttledPerRecord * 100, "%", throttledPerRecord <= 0.005,
                            "<= 0.5 %");
    }
    server.stop();
    return ok ? 0 : 1;
}
