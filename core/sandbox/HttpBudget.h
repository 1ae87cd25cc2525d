#pragma once

#include "sandbox/HttpLimits.h"

namespace kwb::sandbox {

/// The memory that all connections of one HTTP server hold together: request bodies being
/// received (by the bytes they declare) and answers their clients have not taken yet. Owned
/// by SandboxHttpServer, shared by its connections; one thread (the sandbox worker's).
class HttpBudget
{
public:
    /// Bodies up to this size need no share of the budget: their memory is bounded by the
    /// number of connections, like that of the headers.
    static constexpr qint64 kSmallBody = 64 * 1024;

    explicit HttpBudget(const HttpLimits &limits) : m_limits(limits) {}

    /// Takes `bytes` for a body about to be received; false when they do not fit.
    bool reserveBody(qint64 bytes)
    {
        if (bytes <= kSmallBody)
            return true;
        if (m_bodyBytes + bytes > m_limits.maxBufferedBodyBytes)
            return false;
        m_bodyBytes += bytes;
        return true;
    }
    void releaseBody(qint64 bytes)
    {
        if (bytes > kSmallBody)
            m_bodyBytes -= bytes;
    }
    qint64 bodyBytes() const { return m_bodyBytes; }

    void addUnsent(qint64 delta) { m_unsentBytes += delta; }
    qint64 unsentBytes() const { return m_unsentBytes; }
    bool overUnsent() const { return m_unsentBytes > m_limits.maxUnsentTotal; }

private:
    const HttpLimits &m_limits;
    qint64 m_bodyBytes = 0;
    qint64 m_unsentBytes = 0;
};

} // namespace kwb::sandbox
