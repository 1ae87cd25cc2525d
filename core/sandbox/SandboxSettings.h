#pragma once

#include "sandbox/SandboxOptions.h"

#include <QMutex>

#include <atomic>

namespace kwb::sandbox {

/// The options a running sandbox follows, shared between the thread that owns SandboxServer
/// (which changes them) and the worker (which picks changes up before its next request).
/// Thread-safe: a mutex around the value, an atomic generation to make "no change" cheap.
class SandboxSettings
{
public:
    explicit SandboxSettings(SandboxOptions options) : m_options(std::move(options)) {}

    SandboxOptions options() const
    {
        QMutexLocker lock(&m_mutex);
        return m_options;
    }

    /// Replaces the options; `reseed` restarts the fault generator from options.seed.
    template<typename Change>
    void update(Change change, bool reseed = false)
    {
        QMutexLocker lock(&m_mutex);
        change(m_options);
        if (reseed)
            ++m_reseeds;
        m_generation.fetch_add(1, std::memory_order_release);
    }

    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }

    /// The options if they changed since `seenGeneration` (updated), and whether a reseed was
    /// asked for since `seenReseeds` (updated).
    bool fetch(quint64 &seenGeneration, quint64 &seenReseeds, SandboxOptions &options, bool &reseed) const
    {
        if (generation() == seenGeneration)
            return false;
        QMutexLocker lock(&m_mutex);
        seenGeneration = m_generation.load(std::memory_order_acquire);
        options = m_options;
        reseed = m_reseeds != seenReseeds;
        seenReseeds = m_reseeds;
        return true;
    }

private:
    mutable QMutex m_mutex;
    SandboxOptions m_options;
    quint64 m_reseeds = 0;
    std::atomic<quint64> m_generation{0};
};

} // namespace kwb::sandbox
