#pragma once

#include <QtGlobal>

#include <random>

namespace kwb::sandbox {

struct SandboxOptions;

/// Decides, at random from a seed, which requests and records fail. The same seed and the
/// same sequence of put requests give the same failures, so a demo repeats exactly: only
/// PutRecord/PutRecords draw from the generator, and a rate of 0 draws nothing.
/// Not thread-safe: owned by the sandbox worker.
class FaultInjector
{
public:
    enum class RequestFault { None, Drop, InternalError, Unavailable };

    explicit FaultInjector(quint64 seed = 1) { reseed(seed); }

    void reseed(quint64 seed) { m_random.seed(seed); }

    /// Whether a whole put request fails, and how.
    RequestFault requestFault(const SandboxOptions &options);
    /// Whether one PutRecords entry fails with InternalFailure.
    bool recordFails(double rate) { return chance(rate); }

private:
    bool chance(double rate);

    std::mt19937_64 m_random;
};

} // namespace kwb::sandbox
