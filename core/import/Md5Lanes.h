#pragma once

#include "HashKey.h"

#include <QByteArrayView>

namespace kwb::import {

/// Partition key hashes for many keys at once: MD5 of each key read big-endian, exactly what
/// kwb::hashPartitionKey gives, but keys of up to 55 bytes (one MD5 block) are hashed eight at a
/// time in SIMD lanes (AVX2 when the CPU has it, SSE2 otherwise), which is several times faster
/// than one call per key. Longer keys go through kwb::hashPartitionKey. Pure functions.
class Md5Lanes
{
public:
    /// The longest key that fits in one MD5 block.
    static constexpr qsizetype kMaxLaneKeyBytes = 55;

    /// out[i] = hashPartitionKey(keys[i]) for i in [0, count).
    static void hashKeys(const QByteArrayView *keys, UInt128 *out, qsizetype count);
    /// Whether the AVX2 lanes are in use on this CPU (for benchmarks and logs).
    static bool usesAvx2();
};

} // namespace kwb::import
