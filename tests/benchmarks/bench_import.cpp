// Import of 1,000,000 JSON Lines records (~220 MB, base64 data, as the AWS CLI and our exports
// write them) into a RecordStore, beside the plain Qt way on the same file (QJsonDocument per line,
// QByteArray::fromBase64, RecordStore::append). Targets: at least 500 MB/s into the store, and at
// least 1 GB/s (1,000 MB/s) streamed in chunks as `kwb put` reads (Importer::streamFiles), both by
// wall time on an otherwise idle machine. Wall and CPU rates are printed with the load average, as
// a shared machine slows the wall figure. The same records as a JSON array and as CSV are timed
// too, for information.
//
// Usage: bench_import [records] [runs] [folder]   (with a folder, the inputs are written there and kept)
#include "BenchSupport.h"
#include "RecordStore.h"
#include "import/ChunkConsumer.h"
#include "import/Importer.h"
#include "import/Md5Lanes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <ctime>
#include <sys/resource.h>
#include <vector>

using namespace kwb;
using namespace kwb::import;

namespace {

enum class Kind { JsonLines, JsonArray, Csv };

bool generate(const QString &path, Kind kind, int records)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QRandomGenerator random(20240601);
    QByteArray chunk;
    chunk.reserve(8 * 1024 * 1024);
    QByteArray data;
    if (kind == Kind::JsonArray)
        chunk += "[\n";
    if (kind == Kind::Csv)
        chunk += "partition_key,data\n";
    for (int i = 0; i < records; ++i) {
        data.resize(100 + int(random.bounded(71)));
        for (char &c : data)
            c = char(random.bounded(256));
        const QByteArray key = "user-" + QByteArray::number(random.bounded(1000000));
        switch (kind) {
        case Kind::JsonLines:
            chunk += "{\"PartitionKey\":\"" + key + "\",\"Data\":\"" + data.toBase64() + "\"}\n";
            break;
        case Kind::JsonArray:
            chunk += (i > 0 ? ",\n" : "") + QByteArray("{\"PartitionKey\":\"") + key + "\",\"Data\":\"" + data.toBase64() + "\"}";
            break;
        case Kind::Csv:
            chunk += key + ',' + data.toBase64() + '\n';
            break;
        }
        if (chunk.size() > 7 * 1024 * 1024) {
            file.write(chunk);
            chunk.clear();
        }
    }
    if (kind == Kind::JsonArray)
        chunk += "\n]\n";
    file.write(chunk);
    return file.error() == QFile::NoError;
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// The 1-minute load average, for the report: wall times mean little on a busy machine.
double loadAverage()
{
    double load = -1;
    if (std::FILE *file = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(file, "%lf", &load) != 1)
            load = -1;
        std::fclose(file);
    }
    return load;
}

/// Minor page faults of this process so far (fresh memory touched for the first time).
long pageFaults()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

struct Rates
{
    double best = 0;    ///< MB/s, wall time
    double bestCpu = 0; ///< MB/s, CPU time (steadier on a shared machine)
    long faults = 0;    ///< minor page faults of the run with the best wall time
};

/// Takes the chunks of a streaming import and drops them, as a consumer that sends them on
/// would once they are sent: what is measured is the reading, parsing and hashing.
class DroppingConsumer : public ChunkConsumer
{
public:
    bool takeChunk(RecordStore &&chunk, qint64 firstRecord) override
    {
        Q_UNUSED(firstRecord)
        records += chunk.size();
        RecordStore dropped = std::move(chunk);
        return true;
    }
    qint64 records = 0;
};

/// Imports `path` `runs` times (each into a new store, freed after the timing) and returns the
/// best rates; 0 when an import fails or misses records.
Rates measure(const QString &path, const ImportOptions &options, int records, int runs)
{
    const double megabytes = double(QFile(path).size()) / 1e6;
    std::vector<RecordStore> stores(static_cast<size_t>(runs));
    Rates rates;
    for (RecordStore &store : stores) {
        Importer importer;
        QElapsedTimer timer;
        const double cpuStart = cpuSeconds();
        const long faultsStart = pageFaults();
        timer.start();
        auto report = importer.importFile(path, store, options);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpuStart;
        if (!report.ok() || report.value().imported != records || store.size() != records) {
            std::printf("import of %s failed: %s\n", qPrintable(path),
                        report.ok() ? qPrintable(report.value().summary()) : qPrintable(report.error().toString()));
            return {};
        }
        if (megabytes / seconds > rates.best)
            rates.faults = pageFaults() - faultsStart;
        rates.best = std::max(rates.best, megabytes / seconds);
        rates.bestCpu = std::max(rates.bestCpu, megabytes / cpu);
    }
    return rates;
}

/// Streams `path` through Importer::streamFiles (chunks of 8,000 records, as `kwb put` reads)
/// `runs` times into a consumer that drops each chunk; the best rates.
Rates measureStream(const QString &path, const ImportOptions &options, int records, int runs)
{
    const double megabytes = double(QFile(path).size()) / 1e6;
    Rates rates;
    for (int i = 0; i < runs; ++i) {
        Importer importer;
        DroppingConsumer consumer;
        QElapsedTimer timer;
        const double cpuStart = cpuSeconds();
        const long faultsStart = pageFaults();
        timer.start();
        auto report = importer.streamFiles({path}, options, StreamOptions{}, consumer);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpuStart;
        if (!report.ok() || consumer.records != records) {
            std::printf("streaming %s failed: %s\n", qPrintable(path),
                        report.ok() ? qPrintable(report.value().summary()) : qPrintable(report.error().toString()));
            return {};
        }
        if (megabytes / seconds > rates.best)
            rates.faults = pageFaults() - faultsStart;
        rates.best = std::max(rates.best, megabytes / seconds);
        rates.bestCpu = std::max(rates.bestCpu, megabytes / cpu);
    }
    return rates;
}

/// The plain Qt way: QJsonDocument per line, QByteArray::fromBase64, RecordStore::append.
double baseline(const QString &path, int records)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const double megabytes = double(file.size()) / 1e6;
    RecordStore store;
    QElapsedTimer timer;
    timer.start();
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        const QByteArray key = object.value(QLatin1String("PartitionKey")).toString().toUtf8();
        const QByteArray data = QByteArray::fromBase64(object.value(QLatin1String("Data")).toString().toLatin1());
        store.append(key, data);
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    return store.size() == records ? megabytes / seconds : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int records = argc > 1 ? std::max(1, atoi(argv[1])) : 1000000;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 5;
    QTemporaryDir temporary;
    const bool keep = argc > 3;
    const QDir dir(keep ? QString::fromLocal8Bit(argv[3]) : temporary.path());
    if (!temporary.isValid() || !dir.exists()) {
        std::printf("cannot use the folder %s\n", qPrintable(dir.path()));
        return 1;
    }
    ImportOptions options;
    options.dataEncoding = DataEncoding::Base64;

    const double loadBefore = loadAverage();
    const QString jsonl = dir.filePath(QStringLiteral("records.jsonl"));
    if (!generate(jsonl, Kind::JsonLines, records))
        return 1;
    const double qt = baseline(jsonl, records);
    const Rates lines = measure(jsonl, options, records, runs);
    const Rates streamed = measureStream(jsonl, options, records, runs);
    if (!keep)
        QFile::remove(jsonl);

    const QString array = dir.filePath(QStringLiteral("records.json"));
    if (!generate(array, Kind::JsonArray, records))
        return 1;
    const Rates arrays = measure(array, options, records, 2);
    if (!keep)
        QFile::remove(array);

    const QString csv = dir.filePath(QStringLiteral("records.csv"));
    if (!generate(csv, Kind::Csv, records))
        return 1;
    const Rates csvRates = measure(csv, options, records, 2);
    if (!keep)
        QFile::remove(csv);

    std::printf("MD5 of partition keys: %s\n", Md5Lanes::usesAvx2() ? "AVX2, 8 keys at a time" : "SSE2, 4 keys at a time");
    bench::info("baseline: QJsonDocument per line + fromBase64 + append", qt, "MB/s");
    bench::info("load average (1 minute) before the runs", loadBefore, "");
    bench::info("load average (1 minute) after them", loadAverage(), "");
    bench::info("JSON Lines import, by CPU time (user + sys, all threads)", lines.bestCpu, "MB/s");
    bench::info("  page faults (best run)", double(lines.faults), "");
    bench::info("JSON Lines streamed, by CPU time (user + sys, all threads)", streamed.bestCpu, "MB/s");
    bench::info("  page faults (best run)", double(streamed.faults), "");
    bench::info("JSON array import (1M elements, streamed)", arrays.best, "MB/s");
    bench::info("CSV import (base64 column)", csvRates.best, "MB/s");
    bool ok = bench::report("JSON Lines import of 1M records (base64 data) into the store", lines.best, "MB/s",
                            lines.best >= 500, ">= 500 MB/s");
    bench::info("  ratio to baseline", qt > 0 ? lines.best / qt : 0, "x");
    ok = bench::report("JSON Lines streamed in chunks (kwb put's reading), wall time", streamed.best, "MB/s",
                       streamed.best >= 1000, ">= 1000 MB/s")
        && ok;
    return ok && arrays.best > 0 && csvRates.best > 0 && streamed.best > 0 ? 0 : 1;
}
