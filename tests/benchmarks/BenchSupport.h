#pragma once

// Small helpers for the benchmarks: best-of-N timing and a one-line report per figure.
// Each benchmark measures its baseline in the same run and exits non-zero when a target is
// missed, so `make bench` checks the targets.

#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <sys/resource.h>

namespace kwb::bench {

/// Best wall time of `runs` runs of `fn`, in seconds.
inline double bestOf(int runs, const std::function<void()> &fn)
{
    double best = std::numeric_limits<double>::max();
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        fn();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e9);
    }
    return best;
}

/// Peak resident set size of this process so far, in bytes.
inline qint64 peakRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_maxrss) * 1024;
}

/// A field of /proc/self/status given in kB ("VmRSS", "VmHWM"), in bytes; -1 when absent.
inline qint64 procStatusBytes(const char *field)
{
    std::FILE *status = std::fopen("/proc/self/status", "r");
    if (!status)
        return -1;
    char line[256];
    qint64 bytes = -1;
    const size_t length = std::strlen(field);
    while (std::fgets(line, sizeof line, status)) {
        if (std::strncmp(line, field, length) == 0 && line[length] == ':') {
            bytes = std::strtoll(line + length + 1, nullptr, 10) * 1024;
            break;
        }
    }
    std::fclose(status);
    return bytes;
}

/// Prints "name: value unit" and whether the target holds; returns false when it does not.
inline bool report(const char *name, double value, const char *unit, bool ok, const char *target)
{
    std::printf("%-58s %12.3f %-8s %s (target: %s)\n", name, value, unit, ok ? "OK  " : "MISS", target);
    std::fflush(stdout);
    return ok;
}

inline void info(const char *name, double value, const char *unit)
{
    std::printf("%-58s %12.3f %s\n", name, value, unit);
    std::fflush(stdout);
}

/// Keeps the optimiser from dropping a computation whose result is otherwise unused.
template<typename T>
inline void keep(const T &value)
{
    asm volatile("" : : "g"(&value) : "memory");
}

} // namespace kwb::bench
