#pragma once

#include <QLoggingCategory>

/// Logging categories of kwb_core, one per module. All are quiet below warnings by default;
/// `kwb --debug` or QT_LOGGING_RULES="kwb.*.debug=true" turns them on. Nothing logged through
/// them may contain a secret key or a session token.
Q_DECLARE_LOGGING_CATEGORY(lcNet)           // kwb.net
Q_DECLARE_LOGGING_CATEGORY(lcSigV4)         // kwb.sigv4
Q_DECLARE_LOGGING_CATEGORY(lcCredentials)   // kwb.credentials
Q_DECLARE_LOGGING_CATEGORY(lcAwsConfig)     // kwb.awsconfig
Q_DECLARE_LOGGING_CATEGORY(lcSend)          // kwb.send
Q_DECLARE_LOGGING_CATEGORY(lcImport)        // kwb.import
Q_DECLARE_LOGGING_CATEGORY(lcSandbox)       // kwb.sandbox
Q_DECLARE_LOGGING_CATEGORY(lcSession)       // kwb.session (workspace files, autosave)
