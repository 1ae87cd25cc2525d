// Shard preview (MD5 of the partition key + range lookup) of 1,000,000 UUID partition keys,
// beside a plain OpenSSL MD5() loop over the same keys. Target: within 1.5x of the loop.
#include "BenchSupport.h"
#include "HashKey.h"
#include "RecordStore.h"
#include "ShardMap.h"

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include <QUuid>

#include <vector>

using namespace kwb;

int main()
{
    constexpr int kKeys = 1000000;
    std::vector<QByteArray> keys;
    keys.reserve(kKeys);
    for (int i = 0; i < kKeys; ++i)
        keys.push_back(QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    const ShardMap map = ShardMap::uniform(16).value();

    unsigned char sink = 0;
    const double baseline = bench::bestOf(3, [&] {
        unsigned char digest[16];
        for (const QByteArray &k : keys) {
            MD5(reinterpret_cast<const unsigned char *>(k.constData()), size_t(k.size()), digest);
            sink ^= digest[0];
        }
    });
    std::vector<int> shardOf(kKeys);
    const double preview = bench::bestOf(3, [&] {
        for (int i = 0; i < kKeys; ++i)
            shardOf[size_t(i)] = map.openIndexFor(hashPartitionKey(QByteArrayView(keys[size_t(i)])));
    });
    bench::keep(sink);
    bench::keep(shardOf);

    // Import-time hashing into the store as well (what the GUI preview reads from).
    RecordStore store;
    store.reserve(kKeys);
    const double storeAppend = bench::bestOf(1, [&] {
        for (const QByteArray &k : keys)
            store.append(k, QByteArrayView());
    });

    bench::info("baseline: OpenSSL MD5() loop over 1M UUID keys", baseline, "s");
    bench::info("RecordStore append (copy + MD5) of 1M keys", storeAppend, "s");
    const bool ok = bench::report("shard preview of 1M UUID keys (MD5 + lookup, 16 shards)", preview, "s",
                                  preview <= 1.5 * baseline, "<= 1.5x baseline");
    bench::info("  ratio to baseline", preview / baseline, "x");
    return ok ? 0 : 1;
}
