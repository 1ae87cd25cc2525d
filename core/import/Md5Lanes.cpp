#include "Md5Lanes.h"

#include <QtEndian>

#include <cstdint>
#include <cstring>

namespace kwb::import {

namespace {

constexpr uint32_t kK[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
constexpr int kShift[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

constexpr int kLanes = 8;

/// Message words of eight one-block messages, lane-major per word: words[j][lane].
struct LaneBlock
{
    alignas(32) uint32_t words[16][kLanes];
    alignas(32) uint32_t digest[4][kLanes];
};

// One MD5 compression of the padded single-block messages, N lanes at a time. Everything stays in
// local vector variables (never passed by value) so the AVX2 instantiation can live inside a
// function compiled for AVX2 without ABI trouble.
template<typename V, int N>
[[gnu::always_inline]] inline void compressLanes(LaneBlock &block, int firstLane)
{
    V m[16];
    for (int j = 0; j < 16; ++j)
        std::memcpy(&m[j], &block.words[j][firstLane], sizeof(V));
    V a, b, c, d;
    for (int i = 0; i < N; ++i) {
        a[i] = 0x67452301u;
        b[i] = 0xefcdab89u;
        c[i] = 0x98badcfeu;
        d[i] = 0x10325476u;
    }
    const V a0 = a, b0 = b, c0 = c, d0 = d;
    for (int i = 0; i < 64; ++i) {
        V f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        f = f + a + kK[i] + m[g];
        a = d;
        d = c;
        c = b;
        b = b + ((f << kShift[i]) | (f >> (32 - kShift[i])));
    }
    a += a0;
    b += b0;
    c += c0;
    d += d0;
    std::memcpy(&block.digest[0][firstLane], &a, sizeof(V));
    std::memcpy(&block.digest[1][firstLane], &b, sizeof(V));
    std::memcpy(&block.digest[2][firstLane], &c, sizeof(V));
    std::memcpy(&block.digest[3][firstLane], &d, sizeof(V));
}

typedef uint32_t V4 __attribute__((vector_size(16)));

void compressGeneric(LaneBlock &block)
{
    compressLanes<V4, 4>(block, 0);
    compressLanes<V4, 4>(block, 4);
}

#if defined(__x86_64__) && defined(__GNUC__)
typedef uint32_t V8 __attribute__((vector_size(32)));

[[gnu::target("avx2")]] void compressAvx2(LaneBlock &block)
{
    compressLanes<V8, 8>(block, 0);
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#else
bool cpuHasAvx2()
{
    return false;
}
#endif

void compress(LaneBlock &block)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (cpuHasAvx2()) {
        compressAvx2(block);
        return;
    }
#endif
    compressGeneric(block);
}

void loadLane(LaneBlock &block, int lane, QByteArrayView key)
{
    alignas(4) unsigned char bytes[64] = {};
    if (!key.isEmpty())
        std::memcpy(bytes, key.data(), size_t(key.size()));
    bytes[key.size()] = 0x80;
    qToLittleEndian<quint64>(quint64(key.size()) * 8, bytes + 56);
    for (int j = 0; j < 16; ++j)
        block.words[j][lane] = qFromLittleEndian<quint32>(bytes + 4 * j);
}

UInt128 laneHash(const LaneBlock &block, int lane)
{
    // The digest is a, b, c, d as little-endian bytes; the hash key reads those bytes big-endian.
    UInt128 value = 0;
    for (int w = 0; w < 4; ++w)
        value = (value << 32) | qbswap<quint32>(block.digest[w][lane]);
    return value;
}

} // namespace

bool Md5Lanes::usesAvx2()
{
    return cpuHasAvx2();
}

void Md5Lanes::hashKeys(const QByteArrayView *keys, UInt128 *out, qsizetype count)
{
    LaneBlock block;
    qsizetype laneIndex[kLanes];
    int lanes = 0;
    auto flush = [&] {
        for (int l = lanes; l < kLanes; ++l)
            loadLane(block, l, {});
        compress(block);
        for (int l = 0; l < lanes; ++l)
            out[laneIndex[l]] = laneHash(block, l);
        lanes = 0;
    };
    for (qsizetype i = 0; i < count; ++i) {
        if (keys[i].size() > kMaxLaneKeyBytes) {
            out[i] = hashPartitionKey(keys[i]);
            continue;
        }
        loadLane(block, lanes, keys[i]);
        laneIndex[lanes++] = i;
        if (lanes == kLanes)
            flush();
    }
    if (lanes > 0)
        flush();
}

} // namespace kwb::import
