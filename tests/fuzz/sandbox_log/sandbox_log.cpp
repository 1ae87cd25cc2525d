// libFuzzer target: the sandbox's stream log reader (core/sandbox: StreamLog::replay and the
// frame decoding in SandboxPersistence), through the thinnest adapter there is: the input is
// written as the one stream log of a data directory in memory (/dev/shm when there is one),
// which SandboxPersistence then loads.
//
// Input: a choice byte, then the log. When the choice is odd the adapter first writes the right
// CRC-32 into every frame it can walk, so mutations reach the payload decoder instead of
// stopping at the checksum.
#include "FuzzSupport.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/StreamLog.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

using namespace kwb::sandbox;

namespace {

std::unique_ptr<QTemporaryDir> g_dir;

void fixChecksums(QByteArray &log)
{
    qsizetype at = 0;
    while (log.size() - at >= 8) {
        quint32 length = 0;
        std::memcpy(&length, log.constData() + at, 4); // little-endian, as on x86
        if (qint64(length) > log.size() - at - 8)
            break;
        const quint32 crc = StreamLog::crc32(QByteArrayView(log).sliced(at + 8, qsizetype(length)));
        std::memcpy(log.data() + at + 4, &crc, 4);
        at += 8 + qsizetype(length);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
    g_dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/kwb-fuzz-log-XXXXXX"));
    if (!g_dir->isValid())
        std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    QByteArray log = in.rest();
    if (choice & 0x01)
        fixChecksums(log);

    const QString path = g_dir->filePath(QStringLiteral("orders.stream"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(log) != log.size())
            std::abort();
    }
    auto persistence = SandboxPersistence::open(g_dir->path());
    if (!persistence.ok())
        std::abort();
    const qint64 now = 1764100000000;
    auto streams = persistence.value()->loadStreams(now, 24 * 3600 * 1000, qint64(1) << 20);
    if (streams.ok()) {
        KWB_FUZZ_CHECK(streams.value().size() <= 1);
        for (const auto &stream : streams.value())
            KWB_FUZZ_CHECK(stream->shardCount() >= 0);
    }
    return 0;
}
