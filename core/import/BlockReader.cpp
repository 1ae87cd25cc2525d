#include "BlockReader.h"

#include <QFileDevice>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace kwb::import {

BlockReader::BlockReader(QIODevice &device, qint64 blockBytes, qint64 totalBytes, const ProgressCallback *progress,
                         qint64 progressBase, qint64 progressTotal)
    : m_device(device)
    , m_progress(progress && *progress ? progress : nullptr)
    , m_blockBytes(std::max<qint64>(1, blockBytes))
    , m_progressBase(progressBase)
    , m_progressTotal(progressTotal >= 0 ? progressTotal : totalBytes)
{
    // An input of known size takes one block of its size (and a byte more, which finds its end
    // in the same read): a small file is not given megabytes of buffer. A file that grows while
    // it is read is still read to its end, in these smaller blocks.
    if (totalBytes >= 0)
        m_blockBytes = std::min(m_blockBytes, std::max<qint64>(totalBytes + 1, 4096));
    m_capacity = std::max<qint64>(2 * m_blockBytes, 4096);
    m_buffer.reset(new char[size_t(m_capacity + kPadding)]);
    std::memset(m_buffer.get(), 0, size_t(kPadding));
}

namespace {

/// Whether `fd` has bytes (or its end) to read within `timeoutMs` (-1: as long as it takes).
bool inputReady(int fd, int timeoutMs)
{
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, timeoutMs);
    return r > 0; // 0: timed out; -1 with EINTR (a signal): the caller asks its handler again
}

Error cancelled()
{
    return Error{Error::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("the import was cancelled"), 0};
}

} // namespace

void BlockReader::setQuietHandler(QuietHandler handler)
{
    m_quietHandler = std::move(handler);
    const auto *file = qobject_cast<QFileDevice *>(&m_device);
    m_fd = m_quietHandler && file && m_device.isSequential() ? file->handle() : -1;
}

Result<bool> BlockReader::readMore()
{
    m_quiet = false;
    if (m_eof)
        return false;
    const qint64 kept = m_end - m_start;
    if (m_start > 0) {
        std::memmove(m_buffer.get(), m_buffer.get() + m_start, size_t(kept));
        m_start = 0;
        m_end = kept;
    }
    if (m_capacity - m_end < m_blockBytes) {
        // One unconsumed stretch (a long record) fills the buffer: grow it.
        const qint64 capacity = std::max(2 * m_capacity, m_end + m_blockBytes);
        std::unique_ptr<char[]> bigger(new char[size_t(capacity + kPadding)]);
        std::memcpy(bigger.get(), m_buffer.get(), size_t(m_end));
        m_buffer = std::move(bigger);
        m_capacity = capacity;
    }
    qint64 got = 0;
    // A pipe may return fewer bytes than asked for; keep reading until a block is full or EOF so
    // blocks stay large.
    while (got < m_blockBytes) {
        if (m_fd >= 0 && !inputReady(m_fd, 0)) {
            m_quiet = true;
            if (got > 0)
                break; // what came goes to the parser now; a live pipe must flow
            for (;;) {
                const int waitMs = m_quietHandler();
                if (waitMs == kStopWaiting)
                    return cancelled();
                if (inputReady(m_fd, std::max(0, waitMs)))
                    break;
            }
        }
        // QFile reads a pipe until the whole size asked for came; the descriptor itself returns
        // what is there.
        qint64 n = 0;
        if (m_fd >= 0) {
            do
                n = ::read(m_fd, m_buffer.get() + m_end + got, size_t(m_blockBytes - got));
            while (n < 0 && errno == EINTR);
        } else {
            n = m_device.read(m_buffer.get() + m_end + got, m_blockBytes - got);
        }
        if (n < 0)
            return Error::input(QStringLiteral("cannot read the input: %1")
                                    .arg(m_fd >= 0 ? QString::fromLocal8Bit(std::strerror(errno)) : m_device.errorString()),
                                QStringLiteral("ReadError"));
        if (n == 0) {
            if (m_device.isSequential() && m_device.waitForReadyRead(-1))
                continue;
            m_eof = true;
            break;
        }
        got += n;
    }
    m_end += got;
    m_read += got;
    // simdjson may read up to kPadding bytes past a record; keep them defined.
    std::memset(m_buffer.get() + m_end, 0, size_t(kPadding));
    if (m_progress && !(*m_progress)(m_progressBase + m_read, m_progressTotal))
        return cancelled();
    return got > 0;
}

Result<bool> BlockReader::skipBom()
{
    while (available() < 3 && !m_eof) {
        auto more = readMore();
        if (!more)
            return more.error();
    }
    if (available() >= 3 && std::memcmp(begin(), "\xEF\xBB\xBF", 3) == 0) {
        consume(3);
        return true;
    }
    return false;
}

} // namespace kwb::import
