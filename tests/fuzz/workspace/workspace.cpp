// libFuzzer target: the workspace file reader (core/workspace/WorkspaceFile::read) on arbitrary
// bytes, read from memory as from a file.
#include "FuzzSupport.h"
#include "workspace/WorkspaceFile.h"

#include <QBuffer>

using kwb::workspace::WorkspaceFile;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer device(&bytes);
    device.open(QIODevice::ReadOnly);
    auto content = WorkspaceFile::read(device, QStringLiteral("fuzz.kwb"));
    if (!content.ok())
        return 0;
    const auto &c = content.value();
    KWB_FUZZ_CHECK(c.rowIds.empty() || qsizetype(c.rowIds.size()) == qsizetype(c.store.size()));
    KWB_FUZZ_CHECK(c.results.size() == c.store.size());
    return 0;
}
