#include "send/RetryPolicy.h"

#include <algorithm>
#include <cmath>

namespace kwb::send {

QLatin1String retryClassName(RetryClass c)
{
    switch (c) {
    case RetryClass::Throttle: return QLatin1String("throttle");
    case RetryClass::Transient: return QLatin1String("transient");
    case RetryClass::Fatal: return QLatin1String("fatal");
    }
    return QLatin1String("fatal");
}

RetryPolicy::RetryPolicy(int maxAttempts, qint64 deadlineMs, int backoffBaseMs, int backoffCapMs)
    : m_maxAttempts(std::max(0, maxAttempts))
    , m_deadlineMs(deadlineMs > 0 ? deadlineMs : kDefaultDeadlineMs)
    , m_backoffBaseMs(std::max(0, backoffBaseMs))
    , m_backoffCapMs(std::max(0, backoffCapMs))
{
}

RetryClass RetryPolicy::classify(Error::Kind kind)
{
    using K = Error::Kind;
    switch (kind) {
    case K::Throttling: return RetryClass::Throttle;
    case K::Server:
    case K::Network:
    case K::Timeout: return RetryClass::Transient;
    case K::Input:
    case K::Config:
    case K::Access:
    case K::Validation:
    case K::NotFound:
    case K::InUse:
    case K::Kms:
    case K::Protocol:
    case K::Cancelled:
    case K::Client: return RetryClass::Fatal;
    }
    return RetryClass::Fatal;
}

RetryClass RetryPolicy::classifyRecord(const QString &errorCode)
{
    // PutRecords documents exactly two per-record error codes; anything else (a KMS error on an
    // encrypted stream, say) will not go away by sending the same record again.
    if (errorCode == QLatin1String("ProvisionedThroughputExceededException"))
        return RetryClass::Throttle;
    if (errorCode == QLatin1String("InternalFailure"))
        return RetryClass::Transient;
    return RetryClass::Fatal;
}

bool RetryPolicy::shouldRetry(RetryClass c, int attempts, qint64 sinceFirstMs) const
{
    if (c == RetryClass::Fatal)
        return false;
    if (m_maxAttempts > 0 && attempts >= m_maxAttempts)
        return false;
    if (c == RetryClass::Transient && m_maxAttempts == 0 && attempts >= kDefaultTransientAttempts)
        return false;
    return sinceFirstMs < m_deadlineMs;
}

QString RetryPolicy::giveUpReason(RetryClass c, int attempts, qint64 sinceFirstMs) const
{
    const QString plural = attempts == 1 ? QString() : QStringLiteral("s");
    if (c != RetryClass::Fatal && sinceFirstMs >= m_deadlineMs
        && !(m_maxAttempts > 0 && attempts >= m_maxAttempts)
        && !(c == RetryClass::Transient && m_maxAttempts == 0 && attempts >= kDefaultTransientAttempts))
        return QStringLiteral("gave up after %1 attempt%2 in %3 s, the retry deadline")
            .arg(attempts)
            .arg(plural)
            .arg(double(sinceFirstMs) / 1000.0, 0, 'f', 1);
    return QStringLiteral("gave up after %1 attempt%2").arg(attempts).arg(plural);
}

qint64 RetryPolicy::delayMs(int attempts, double uniform01, RetryClass c, bool paced) const
{
    const int cap = c == RetryClass::Throttle && paced ? std::min(m_backoffCapMs, kPacedThrottleCapMs) : m_backoffCapMs;
    const double ceiling = std::min(double(cap), double(m_backoffBaseMs) * std::ldexp(1.0, std::clamp(attempts - 1, 0, 30)));
    return qint64(std::floor(std::clamp(uniform01, 0.0, 1.0) * ceiling));
}

} // namespace kwb::send
