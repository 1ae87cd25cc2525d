#pragma once

#include "Result.h"

#include <QString>

namespace kwb::send {

/// What an outcome means for a retry. Throttles are retried until the time budget runs out;
/// transient failures (5xx, InternalFailure, network, timeouts) a few times; fatal ones never.
enum class RetryClass : quint8 { Throttle, Transient, Fatal };

QLatin1String retryClassName(RetryClass c);

/// The one place that decides whether and when a failed record is tried again. Pure: a value
/// with no clock and no random source of its own (both are passed in), so a table-driven test
/// covers every decision. Any thread.
class RetryPolicy
{
public:
    /// The default time budget for throttled records, counted from a row's first attempt.
    static constexpr qint64 kDefaultDeadlineMs = 5 * 60 * 1000;
    /// Attempts for transient (non-throttle) failures when no explicit count is set.
    static constexpr int kDefaultTransientAttempts = 3;

    /// `maxAttempts` 0 = automatic (throttles until the deadline, transient failures
    /// kDefaultTransientAttempts); N > 0 caps every retriable outcome at N attempts.
    /// `deadlineMs` 0 = kDefaultDeadlineMs.
    RetryPolicy(int maxAttempts = 0, qint64 deadlineMs = 0, int backoffBaseMs = 100, int backoffCapMs = 5000);

    /// A request-level error (the whole request failed) by its kind.
    static RetryClass classify(Error::Kind kind);
    static RetryClass classify(const Error &error) { return classify(error.kind); }
    /// A per-record error code of a PutRecords answer.
    static RetryClass classifyRecord(const QString &errorCode);

    /// Whether a row that has had `attempts` attempts (the failed one included), the first of
    /// them `sinceFirstMs` ago, gets another one after an outcome of class `c`.
    bool shouldRetry(RetryClass c, int attempts, qint64 sinceFirstMs) const;
    /// Why the row was given up, in words ("gave up after 3 attempts", "... after 300 s of throttling").
    QString giveUpReason(RetryClass c, int attempts, qint64 sinceFirstMs) const;
    /// The wait before attempt `attempts + 1`: full jitter, uniform01 * min(cap, base * 2^(attempts-1)).
    /// A throttled record whose shard is paced waits at most kPacedThrottleCapMs: the pacing,
    /// slowed down by the throttle, decides when the shard has room, and a long backoff would
    /// only leave the end of a run waiting.
    qint64 delayMs(int attempts, double uniform01, RetryClass c = RetryClass::Transient, bool paced = false) const;
    static constexpr int kPacedThrottleCapMs = 1000;

    int maxAttempts() const { return m_maxAttempts; }
    qint64 deadlineMs() const { return m_deadlineMs; }

private:
    int m_maxAttempts;
    qint64 m_deadlineMs;
    int m_backoffBaseMs;
    int m_backoffCapMs;
};

} // namespace kwb::send
