#pragma once

#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"
#include "sandbox/SandboxIdentityStore.h"
#include "sandbox/SandboxOptions.h"

#include <memory>

namespace kwb::sandbox {

/// The sandbox's AWS Security Token Service: AssumeRole, AssumeRoleWithWebIdentity and
/// GetCallerIdentity in the AWS Query protocol (form-encoded POST with Action=...&Version=
/// 2011-06-15, XML answers and XML ErrorResponse), as sts.<region>.amazonaws.com answers them.
/// Signed actions are checked with SigV4 (service "sts") against the key that signed them: the
/// sandbox's configured key, or temporary credentials the sandbox issued (which also need their
/// session token and must not have expired). Unknown keys are accepted only while the sandbox
/// checks no signatures. Used on the sandbox worker thread; state lives in the shared store.
class SandboxSts
{
public:
    explicit SandboxSts(std::shared_ptr<SandboxIdentityStore> store) : m_store(std::move(store)) {}

    /// True for requests of the Query protocol (form-encoded bodies).
    static bool accepts(const HttpRequest &request);

    SandboxAnswer handle(const HttpRequest &request, const SandboxOptions &options, qint64 nowMs);

    /// The identity behind the key that signed `request`, or the error answer to give
    /// (the Kinesis API uses it for issued credentials, `service` "kinesis").
    static std::optional<SandboxAnswer> checkIssued(const SandboxIdentityStore &store, const HttpRequest &request,
                                                    const QString &service, qint64 nowMs, SandboxIdentity *identity,
                                                    bool xml);

private:
    std::shared_ptr<SandboxIdentityStore> m_store;
};

} // namespace kwb::sandbox
