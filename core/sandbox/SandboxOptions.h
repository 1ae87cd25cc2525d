#pragma once

#include "sandbox/HttpLimits.h"

#include <QList>
#include <QString>

#include <functional>

namespace kwb::sandbox {

/// The sandbox's clock: milliseconds since the Unix epoch (UTC). Injected by tests so that
/// throttling windows, retention and iterator expiry are deterministic. Called on the
/// sandbox's worker thread.
using SandboxClock = std::function<qint64()>;

/// A stream the sandbox creates when it starts, unless it exists already (`--streams NAME:SHARDS`).
struct InitialStream
{
    QString name;
    int shardCount = 1;
};

/// Everything that shapes how the sandbox behaves. A plain value: SandboxServer keeps a copy,
/// and its setters change that copy while it runs (the worker picks the change up with the
/// next request).
struct SandboxOptions
{
    // Training behaviour: AWS's write limits per shard, enforced over one-second windows.
    bool limitsEnabled = true;
    double limitScale = 1.0; ///< multiplies 1,000 records/s and 1 MiB/s per shard

    // Fault injection on PutRecord/PutRecords. Rates are shares from 0 to 1, drawn from a
    // generator seeded with `seed`, so the same requests fail the same way in every run.
    double recordFailureRate = 0;  ///< PutRecords entries failing with InternalFailure
    double internalErrorRate = 0;  ///< requests answered HTTP 500 InternalFailure
    double unavailableRate = 0;    ///< requests answered HTTP 503 ServiceUnavailable
    double dropConnectionRate = 0; ///< requests whose connection is closed without an answer
    int latencyMs = 0;             ///< added before every answer (every operation)
    quint64 seed = 1;

    // SigV4 checking; off while accessKeyId is empty. The secret is never logged.
    QString accessKeyId;
    QString secretAccessKey;

    QString region = QStringLiteral("us-east-1"); ///< used in stream ARNs
    int retentionHours = 24;                      ///< older records are trimmed
    int shardLimit = 500;                         ///< open shards across all streams
    qint64 maxBytesPerShard = qint64(256) * 1024 * 1024; ///< oldest records trimmed beyond this

    QString dataDir; ///< empty: in memory only; else streams and records survive a restart
    /// Start on a data directory with damaged logs: each is renamed aside (kept) and what can be
    /// read goes into a fresh log. Off: a damaged log stops the start with a report.
    bool recoverDamaged = false;
    QList<InitialStream> initialStreams;

    HttpLimits http; ///< timeouts and caps of the HTTP server; read when it starts serving

    bool verifiesSignatures() const { return !accessKeyId.isEmpty(); }
};

} // namespace kwb::sandbox
