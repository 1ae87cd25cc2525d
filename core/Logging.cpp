#include "Logging.h"

Q_LOGGING_CATEGORY(lcNet, "kwb.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSigV4, "kwb.sigv4", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCredentials, "kwb.credentials", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAwsConfig, "kwb.awsconfig", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSend, "kwb.send", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImport, "kwb.import", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSandbox, "kwb.sandbox", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSession, "kwb.session", QtWarningMsg)
