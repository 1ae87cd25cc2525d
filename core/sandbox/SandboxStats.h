#pragma once

#include <QtGlobal>

namespace kwb::sandbox {

/// What the sandbox has done since it started, for the GUI's status line. A plain snapshot.
struct SandboxStats
{
    qint64 requests = 0;
    qint64 clientErrors = 0;       ///< 4xx answers (validation, not found, throttled PutRecord, auth)
    qint64 injectedFailures = 0;   ///< 500/503 answers chosen by the fault injection
    qint64 droppedConnections = 0;
    qint64 recordsAccepted = 0;
    qint64 recordsThrottled = 0;   ///< ProvisionedThroughputExceededException, per record
    qint64 recordsFailed = 0;      ///< injected per-record InternalFailure
    qint64 readsThrottled = 0;     ///< GetRecords calls refused with ProvisionedThroughputExceededException
};

} // namespace kwb::sandbox
