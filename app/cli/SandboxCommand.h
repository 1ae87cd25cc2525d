#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace kwb::cli {

/// Adds the options of `kwb sandbox` to a command line parser:
/// --port --data-dir --streams --verify-signatures --no-limits --limit-scale --fail-records
/// --fail-requests --drop-connections --latency --seed --retention-hours --shard-limit.
/// The parser must also know kwb's global --region (the region in stream ARNs).
void addSandboxOptions(QCommandLineParser &parser);

/// Runs `kwb sandbox` from a parsed command line (after addSandboxOptions; "sandbox" may be
/// the first positional argument, no other is allowed): starts the built-in sandbox on
/// 127.0.0.1, prints its endpoint URL as the first line on stdout (flushed), notes on stderr,
/// and serves until SIGINT or SIGTERM, then stops cleanly. Blocks in a local event loop; needs
/// a QCoreApplication. Returns the exit status: 0 after a signal, 1 when the sandbox cannot
/// start, 2 for a usage error (one line "kwb: error: ..." on stderr).
int runSandboxCommand(const QCommandLineParser &parser);

/// The same from raw arguments (argv[0] first), for tests and a standalone host.
int runSandboxCommand(const QStringList &arguments);

} // namespace kwb::cli
