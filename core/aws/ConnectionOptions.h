#pragma once

#include "aws/CredentialProcess.h"
#include "aws/ProfileCredentialsProvider.h"

#include <QString>

#include <chrono>
#include <optional>

namespace kwb::aws {

/// What the caller sets explicitly for a connection: command-line flags or the GUI's connection
/// form. Anything unset (nullopt, or empty after trimming) comes from the environment and the
/// shared files instead; see resolveConnection(). A plain value.
struct ConnectionOptions
{
    std::optional<QString> endpointUrl;
    std::optional<QString> region;
    std::optional<QString> profile; ///< like `aws --profile`: environment credentials are then ignored
    std::optional<QString> accessKeyId;
    std::optional<QString> secretAccessKey;
    std::optional<QString> sessionToken;

    /// For a local emulator (kinesalite, kinesis-mock, the sandbox): when the endpoint is custom
    /// and not an AWS host, and the whole chain finds no credentials at all, use placeholder
    /// Credentials{"kwb-local", "kwb-local"} (source "placeholder for a local endpoint") instead
    /// of failing; likewise region "us-east-1" when no region is set anywhere. It never applies to
    /// AWS endpoints and never hides an error (a malformed file, a missing named profile, a
    /// failing credential_process, half-given keys).
    bool allowAnonymousFallback = false;

    /// Where MFA codes come from for role profiles with mfa_serial (see MfaCodeProvider).
    MfaCodeProvider mfaCodeProvider;

    /// How long a profile's credential_process may run before it is stopped.
    std::chrono::milliseconds processTimeout = CredentialProcess::kDefaultTimeout;
};

} // namespace kwb::aws
