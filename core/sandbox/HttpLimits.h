#pragma once

#include <QtGlobal>

namespace kwb::sandbox {

/// How much the sandbox's HTTP server lets its clients hold, and for how long, so that slow,
/// stuck or hostile clients cannot exhaust its memory, descriptors or time. The defaults keep
/// the sandbox's memory within about 200 MB under abuse while every well-behaved client goes
/// on being answered at once (docs/sandbox.md). A plain value; tests shorten the times.
struct HttpLimits
{
    /// A request's head and body must arrive within this from its first byte; else 408 and close.
    int requestTimeoutMs = 10'000;
    /// A keep-alive connection with no request in progress is closed after this.
    int idleTimeoutMs = 60'000;
    /// A connection whose client takes none of its answer's bytes for this long is closed.
    int writeTimeoutMs = 60'000;
    /// After a last answer (an error, Connection: close), how long what the client still sends
    /// is read and discarded, so that the answer reaches it, before the connection is closed.
    int lingerMs = 2'000;

    /// Open connections; a new one beyond this first closes the longest-idle keep-alive
    /// connection (idle for evictIdleAfterMs at least: a client between two requests keeps
    /// its connection), and when none is idle it is answered 503 and closed.
    int maxConnections = 512;
    int evictIdleAfterMs = 2'000;
    /// Request bodies larger than 64 KiB draw the bytes they declare from this budget, shared
    /// by all connections, while they arrive; one that does not fit is answered 503.
    qint64 maxBufferedBodyBytes = qint64(64) * 1024 * 1024;
    /// Answers not yet taken by a client: beyond this on one connection, its further pipelined
    /// requests are not read until the client has read its answers (backpressure).
    qint64 maxUnsentPerConnection = qint64(1) * 1024 * 1024;
    /// Answers not yet taken, all connections together: beyond this, connections whose client
    /// has taken nothing for writeStallMs are closed, largest first.
    qint64 maxUnsentTotal = qint64(64) * 1024 * 1024;
    int writeStallMs = 250;

    /// accept() failing (out of file descriptors) is retried from this delay, doubling up to
    /// acceptRetryMaxMs, until it succeeds again.
    int acceptRetryMinMs = 10;
    int acceptRetryMaxMs = 1'000;

    qsizetype maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = qint64(16) * 1024 * 1024;
};

} // namespace kwb::sandbox
