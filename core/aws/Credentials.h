#pragma once

#include <QDateTime>
#include <QDebug>
#include <QString>

#include <optional>

namespace kwb::aws {

/// AWS credentials: access key id, secret access key and an optional session token.
/// A plain value. Its debug output and `redacted()` never show the secret or the token.
struct Credentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    std::optional<QDateTime> expiration; ///< UTC; set by credential_process or STS-style sources
    QString source;                      ///< where they came from: "explicit", "environment", "profile dev (~/.aws/credentials)", ...

    bool isEmpty() const { return accessKeyId.isEmpty() || secretAccessKey.isEmpty(); }
    bool isExpired(const QDateTime &nowUtc) const { return expiration && *expiration <= nowUtc; }

    /// "AKIDEXAMPLE / **** (session token: yes) from environment": safe to log.
    QString redacted() const
    {
        return QStringLiteral("%1 / **** (session token: %2) from %3")
            .arg(accessKeyId.isEmpty() ? QStringLiteral("<none>") : accessKeyId,
                 sessionToken.isEmpty() ? QStringLiteral("no") : QStringLiteral("yes"),
                 source.isEmpty() ? QStringLiteral("unknown source") : source);
    }
};

inline QDebug operator<<(QDebug debug, const Credentials &credentials)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "Credentials(" << credentials.redacted() << ')';
    return debug;
}

} // namespace kwb::aws
