#pragma once

#include <QMap>
#include <QProcessEnvironment>
#include <QString>

namespace kwb::aws {

/// What AWS settings depend on besides the caller's explicit options: the environment variables
/// (AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE, ...) and the home directory (for ~/.aws/...).
/// Injectable so tests and the GUI never depend on the real process environment by accident.
/// A plain value; safe to copy between threads. A default-constructed one is empty (no
/// variables, no home): use `system()` for the real thing.
struct Environment
{
    QProcessEnvironment variables; ///< also the environment of a credential_process child
    QString homeDir;               ///< empty: no default ~/.aws files

    /// The real process environment and QDir::homePath().
    static Environment system();
    /// Exactly these variables (nothing inherited) and this home directory; for tests.
    static Environment fromMap(const QMap<QString, QString> &variables, const QString &homeDir);

    /// The variable's value, trimmed; empty when unset or empty (an empty AWS_PROFILE= counts as
    /// unset, as it does for the AWS CLI).
    QString value(const QString &name) const;

    /// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials; "~/" is expanded. Empty when neither
    /// the variable nor a home directory is known.
    QString credentialsFilePath() const;
    /// AWS_CONFIG_FILE, else ~/.aws/config; "~/" is expanded. Empty as above.
    QString configFilePath() const;

    /// `path` with the home directory shown as "~", for messages.
    QString displayPath(const QString &path) const;
    /// "~/" at the start of `path` replaced by the home directory.
    QString expandHome(const QString &path) const;
};

} // namespace kwb::aws
