#pragma once

#include "Result.h"
#include "import/ImportOptions.h"

#include <QByteArrayView>
#include <QIODevice>

#include <functional>
#include <memory>

namespace kwb::import {

/// Reads a device block by block into one buffer that holds the bytes not consumed yet, so a
/// parser can look at a whole record that crossed a block boundary. The buffer grows only when
/// one unconsumed stretch is larger than it; there are always kPadding readable bytes after the
/// data (simdjson reads ahead). Reports progress and honours cancel after each block.
/// Internal to the importer; one thread; does not own the device.
class BlockReader
{
public:
    static constexpr qint64 kPadding = 64;

    BlockReader(QIODevice &device, qint64 blockBytes, qint64 totalBytes, const ProgressCallback *progress,
                qint64 progressBase = 0, qint64 progressTotal = -1);

    const char *begin() const { return m_buffer.get() + m_start; }
    const char *end() const { return m_buffer.get() + m_end; }
    qint64 available() const { return m_end - m_start; }
    QByteArrayView view() const { return {begin(), available()}; }
    /// True once the device has no more bytes.
    bool atEof() const { return m_eof; }
    /// True when everything has been read and consumed.
    bool finished() const { return m_eof && m_start == m_end; }

    /// Reads one more block after the unconsumed bytes (moving them to the front first, so
    /// pointers into the buffer become invalid). Returns false at the end of the input; errors are
    /// read failures and cancel.
    Result<bool> readMore();
    /// Drops `n` bytes from the front.
    void consume(qint64 n) { m_start += n; m_consumed += n; }
    /// Drops every unconsumed byte (used to pass over a record too long to keep).
    void consumeAll() { consume(available()); }
    /// Offset in the input of begin().
    qint64 offset() const { return m_consumed; }
    qint64 bytesRead() const { return m_read; }
    /// Skips a UTF-8 byte order mark at the very start. Call before consuming anything.
    Result<bool> skipBom();

    /// Called when a pipe or terminal has no bytes ready: it may hand on what was read so far
    /// (a streaming import's linger) and returns how many ms to wait for input before it is
    /// called again, or kStopWaiting to cancel the import.
    using QuietHandler = std::function<int()>;
    static constexpr int kStopWaiting = -1;
    /// With a handler, readMore() on a pipe returns as soon as bytes came and no more are ready
    /// (a live pipe flows instead of waiting for a whole block), and waits through the handler.
    void setQuietHandler(QuietHandler handler);
    /// True when the last readMore() returned because the input had no more bytes ready.
    bool inputQuiet() const { return m_quiet; }

private:
    QIODevice &m_device;
    const ProgressCallback *m_progress;
    std::unique_ptr<char[]> m_buffer;
    qint64 m_capacity = 0;
    qint64 m_blockBytes;
    qint64 m_start = 0;
    qint64 m_end = 0;
    qint64 m_consumed = 0;
    qint64 m_read = 0;
    qint64 m_progressBase;
    qint64 m_progressTotal;
    bool m_eof = false;
    bool m_quiet = false;
    int m_fd = -1; ///< the pipe's descriptor, when a quiet handler watches it
    QuietHandler m_quietHandler;
};

} // namespace kwb::import
