#pragma once

#include <QtGlobal>

#include <cstdint>

namespace kwb::generate {

/// The generator's pseudo-random numbers: xoshiro256** (Blackman and Vigna, public domain
/// algorithm) seeded through splitmix64, written here from the published description. The same
/// seed gives the same sequence on every platform, so a seeded run is reproducible byte for byte.
/// A plain value; not thread-safe (one per generator).
class Rng
{
public:
    explicit Rng(quint64 seed = 0) { reseed(seed); }

    void reseed(quint64 seed)
    {
        quint64 x = seed;
        for (quint64 &word : m_s)
            word = splitmix64(x);
    }

    /// 64 random bits.
    quint64 next()
    {
        const quint64 result = rotl(m_s[1] * 5, 7) * 9;
        const quint64 t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    /// Uniform in [0, bound) without bias (Lemire's multiply-and-reject); bound > 0.
    quint64 below(quint64 bound)
    {
        __extension__ typedef unsigned __int128 Wide;
        Wide m = Wide(next()) * bound;
        quint64 low = quint64(m);
        if (low < bound) {
            const quint64 threshold = (0 - bound) % bound;
            while (low < threshold) {
                m = Wide(next()) * bound;
                low = quint64(m);
            }
        }
        return quint64(m >> 64);
    }

    /// Uniform in [low, high] (inclusive); low <= high.
    qint64 between(qint64 low, qint64 high)
    {
        const quint64 span = quint64(high) - quint64(low);
        if (span == ~quint64(0))
            return qint64(next());
        return qint64(quint64(low) + below(span + 1));
    }

    /// Uniform in [0, 1) with 53 bits.
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

    /// A splitmix64 step: also how a seed is derived from another (run id, forecasts).
    static quint64 splitmix64(quint64 &state)
    {
        quint64 z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    quint64 m_s[4];
};

} // namespace kwb::generate
