#pragma once

#include "Result.h"
#include "aws/Credentials.h"
#include "aws/Environment.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>

namespace kwb::aws {

/// Runs an AWS `credential_process` command (a profile setting naming a program that prints
/// credentials as JSON) and reads its answer:
///   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
///    "SessionToken": "..." (optional), "Expiration": "2030-01-01T00:00:00Z" (optional, ISO-8601)}
/// Stateless. Errors name the process (as described by the caller) and the program, and never
/// quote its standard output, which may hold secrets.
class CredentialProcess
{
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{60000};

    /// Splits a command line into words the way POSIX `shlex.split` (and so the AWS CLI) does:
    /// blanks separate words; '...' is literal; in "..." a backslash escapes only " and \;
    /// outside quotes a backslash escapes any character. No variables, globs or other shell
    /// syntax. An unterminated quote, a trailing backslash or an empty command is an error.
    static Result<QStringList> splitCommandLine(const QString &commandLine);

    /// Parses what the process printed on stdout. `what` names the process in errors, e.g.
    /// `credential_process of profile "dev" (~/.aws/config:7)`. Version must be the number 1,
    /// AccessKeyId and SecretAccessKey non-empty strings. An Expiration without a time zone is
    /// taken as UTC. The result's `source` is `what`.
    static Result<Credentials> parseOutput(const QByteArray &output, const QString &what);

    /// Runs `commandLine` (split as above, started without a shell) with `env.variables` as its
    /// whole environment, waits at most `timeout`, then parses its stdout. A start failure, a
    /// non-zero exit, a crash, a timeout (the process is killed) or bad output is a Config error
    /// naming `what` and the program; for a failed run it quotes stderr (shortened), never stdout.
    ///
    /// BLOCKING: waits for the process. Call it from a worker thread or the command-line tool,
    /// never from the GUI thread.
    static Result<Credentials> run(const QString &commandLine, const QString &what, const Environment &env,
                                   std::chrono::milliseconds timeout = kDefaultTimeout);
};

} // namespace kwb::aws
