#pragma once

#include <QByteArray>
#include <QString>

namespace kwb::sandbox {

/// The sandbox's answer to one request: an HTTP status and a JSON body, or the instruction to
/// drop the connection without answering; `delayMs` holds the answer back (added latency).
/// A plain value.
struct SandboxAnswer
{
    int status = 200;
    QByteArray body;
    QByteArray errorType; ///< the "__type" of an error answer, for statistics and logs
    bool drop = false;
    int delayMs = 0;
    /// The sandbox's current write limits, for the x-kwb-shard-limits header (see ThroughputLimiter).
    QByteArray shardLimits;
    /// The answer's Content-Type; empty: application/x-amz-json-1.1 (Kinesis). STS answers
    /// text/xml (the Query protocol), the SSO portal and SSO OIDC application/json, as AWS does.
    QByteArray contentType;

    bool isError() const { return status >= 300 || drop; }

    static SandboxAnswer ok(QByteArray body) { return SandboxAnswer{200, std::move(body), {}, false, 0, {}, {}}; }
    /// {"__type": type, "message": message} (SerializationException spells it "Message").
    static SandboxAnswer error(int status, const QByteArray &type, const QString &message);
    static SandboxAnswer dropped() { return SandboxAnswer{0, {}, "ConnectionDropped", true, 0, {}, {}}; }
};

} // namespace kwb::sandbox
