#pragma once

// Shared by the libFuzzer targets in tests/fuzz: quiet logging, an input splitter and a check
// that aborts (so libFuzzer records the input) when an invariant of the code under test fails.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace kwb::fuzz {

/// Drops Qt's log output: the parsers warn about bad input by design, and printing millions of
/// warnings would only slow the fuzzer down.
inline void silenceQtLogging()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
            std::abort();
        }
    });
}

/// An invariant of the code under test broke: say which and abort, so that libFuzzer keeps the
/// input as a crash.
#define KWB_FUZZ_CHECK(condition)                                                                   \
    do {                                                                                            \
        if (!(condition)) {                                                                         \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                           \
        }                                                                                           \
    } while (false)

/// Takes bytes off the front of a fuzz input for choices (options, chunk sizes); the rest is the
/// input proper.
class InputSplitter
{
public:
    InputSplitter(const uint8_t *data, size_t size) : m_data(data), m_size(size) {}

    /// The next byte, 0 when none is left.
    quint8 byte()
    {
        if (m_size == 0)
            return 0;
        --m_size;
        return *m_data++;
    }
    /// Everything not taken yet, copied (a QByteArray, with the trailing '\0' Qt keeps).
    QByteArray rest() const { return QByteArray(reinterpret_cast<const char *>(m_data), qsizetype(m_size)); }
    QByteArrayView restView() const { return QByteArrayView(m_data, qsizetype(m_size)); }

private:
    const uint8_t *m_data;
    size_t m_size;
};

} // namespace kwb::fuzz
