#pragma once

#include "Result.h"
#include "aws/CredentialProcess.h"
#include "aws/Credentials.h"
#include "aws/Environment.h"
#include "aws/ProfileCredentialsProvider.h"
#include "aws/SharedConfig.h"

#include <QString>

#include <chrono>
#include <optional>

namespace kwb::aws {

/// Finds AWS credentials in the order of the AWS CLI:
///   1. explicit: given by the caller (a command-line flag, the GUI's keychain);
///   2. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. Skipped
///      when a profile was chosen explicitly (`setProfile`), as `aws --profile x` ignores them;
///   3. the profile's keys in the shared files: aws_access_key_id, aws_secret_access_key,
///      aws_session_token (the credentials file wins over the config file);
///   4. the profile's `credential_process`;
///   role_arn, web identity and IAM Identity Center profiles (which take precedence over keys, as
///   in the AWS CLI), and AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN when the profile has no
///   credentials, go through ProfileCredentialsProvider (network calls in a local event loop).
/// The profile is the explicit one, else AWS_PROFILE, else "default"; a profile named by either
/// must exist. The environment is injected (see Environment), so nothing here reads the real
/// process environment unless given `Environment::system()`.
///
/// A value type configured before use; `resolve()` is const and may run on any thread, but it
/// BLOCKS while a credential_process runs (up to the process timeout): call it from a worker
/// thread or the command-line tool, never from the GUI thread.
/// Secrets never appear in its errors or its log output (category kwb.credentials).
class CredentialsChain
{
public:
    explicit CredentialsChain(Environment env);

    /// Credentials given by the caller. All empty: none given. Only some of the two keys (or a
    /// token without keys) is an error at resolution time.
    void setExplicitCredentials(const QString &accessKeyId, const QString &secretAccessKey,
                                const QString &sessionToken = {});
    /// The profile chosen by the caller (like --profile). Empty: AWS_PROFILE, else "default".
    void setProfile(const QString &profile);
    /// Where MFA codes for role profiles with mfa_serial come from (none: such profiles fail
    /// with MfaRequired).
    void setMfaCodeProvider(MfaCodeProvider provider) { m_mfa = std::move(provider); }
    /// How long a credential_process may run; default 60 s.
    void setProcessTimeout(std::chrono::milliseconds timeout);

    const Environment &environment() const { return m_env; }
    ProfileChoice profileChoice() const;

    /// Steps 1 and 2 only: reads no file, runs nothing, never blocks. nullopt when neither has
    /// credentials; an error for half-given credentials.
    Result<std::optional<Credentials>> fromExplicitOrEnvironment() const;

    /// Steps 3 and 4 for the chosen profile in `files`. nullopt when the profile has no
    /// credentials (or is "default" by default and does not exist). Errors: a named profile that
    /// does not exist, half-given keys, a profile kind this tool cannot use (role_arn, SSO), a
    /// failing credential_process. BLOCKING (may run credential_process).
    Result<std::optional<Credentials>> fromProfile(const SharedConfig &files) const;

    /// The whole chain. Reads the shared files only when steps 1 and 2 found nothing. When no
    /// step has credentials: a Config error (code NoCredentials) saying where it looked and how
    /// to fix it. BLOCKING (see the class comment).
    Result<Credentials> resolve() const;

    /// The "nothing found" error, listing where the chain looked (`files` as read).
    Error notFoundError(const SharedConfig &files) const;

private:
    Environment m_env;
    QString m_accessKeyId;
    QString m_secretAccessKey;
    QString m_sessionToken;
    QString m_profile;
    std::chrono::milliseconds m_processTimeout = CredentialProcess::kDefaultTimeout;
    MfaCodeProvider m_mfa;
};

} // namespace kwb::aws
