// KPL aggregation throughput on one core: packing 1,000,000 user records of 100 bytes (keys
// "user-N") into aggregated Kinesis records per shard of a 4-shard map within the KPL's 50 KB,
// and unpacking them again, beside a bare MD5 of the same bytes (every aggregated record carries
// the MD5 of its protobuf). Target: packing at least 2 million user records/s.
// Times are this thread's CPU time (best of 3): "on one core", also on a machine that is busy.
#include "BenchSupport.h"
#include "HashKey.h"
#include "RecordStore.h"
#include "kpl/Aggregator.h"
#include "kpl/Deaggregator.h"

#include <QRandomGenerator>

#include <ctime>
#include <functional>
#include <limits>

using namespace kwb;

namespace {

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

/// Best CPU time of `runs` runs of `fn`, in seconds.
double bestCpuOf(int runs, const std::function<void()> &fn)
{
    double best = std::numeric_limits<double>::max();
    for (int i = 0; i < runs; ++i) {
        const double start = threadCpuSeconds();
        fn();
        best = std::min(best, threadCpuSeconds() - start);
    }
    return best;
}

} // namespace

int main()
{
    constexpr int kRecords = 1000000;
    constexpr int kDataBytes = 100;
    RecordStore store;
    store.reserve(kRecords);
    QRandomGenerator random(17);
    QByteArray data(kDataBytes, Qt::Uninitialized);
    std::vector<int> rows(kRecords);
    qint64 userBytes = 0;
    for (int i = 0; i < kRecords; ++i) {
        random.fillRange(reinterpret_cast<quint32 *>(data.data()), kDataBytes / 4);
        rows[size_t(i)] = store.append(QByteArray("user-") + QByteArray::number(i), data);
        userBytes += store.recordSize(i);
    }
    const ShardMap map = ShardMap::uniform(4).value();

    kpl::Aggregation packed;
    const double pack = bestCpuOf(3, [&] {
        auto result = kpl::Aggregator::pack(store, rows, map);
        packed = std::move(result).value();
    });
    qint64 kinesisBytes = 0;
    for (int k = 0; k < packed.kinesisRecordCount(); ++k)
        kinesisBytes += packed.records.recordSize(k);

    qint64 unpackedUsers = 0;
    const double unpack = bestCpuOf(3, [&] {
        unpackedUsers = 0;
        for (int k = 0; k < packed.kinesisRecordCount(); ++k) {
            auto users = kpl::Deaggregator::unpack(packed.records.data(k));
            unpackedUsers += qint64(users.value().size());
        }
    });
    QByteArray flat;
    flat.reserve(kinesisBytes);
    for (int k = 0; k < packed.kinesisRecordCount(); ++k)
        flat += packed.records.data(k).toByteArray();
    const double md5Only = bestCpuOf(3, [&] { bench::keep(md5(flat)); });

    bench::info("user records", kRecords, "records");
    bench::info("aggregated Kinesis records", packed.kinesisRecordCount(), "records");
    bench::info("user records per Kinesis record", double(kRecords) / packed.kinesisRecordCount(), "records");
    bench::info("bytes: Kinesis records / user records", double(kinesisBytes) / double(userBytes), "ratio");
    bench::info("baseline: MD5 of the aggregated bytes", double(kinesisBytes) / 1e6 / md5Only, "MB/s");
    bench::info("unpacking (checks MD5, parses protobuf)", double(unpackedUsers) / unpack / 1e6, "M rec/s");
    const bool ok = bench::report("packing 100-byte user records, per shard, 50 KB", double(kRecords) / pack / 1e6,
                                  "M rec/s", double(kRecords) / pack >= 2e6, ">= 2 M rec/s");
    return ok && unpackedUsers == kRecords ? 0 : 1;
}
