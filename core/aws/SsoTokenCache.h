#pragma once

#include "Result.h"
#include "aws/Environment.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace kwb::aws {

/// One IAM Identity Center sign-in as the AWS CLI v2 caches it. Holds secrets (the tokens and
/// the client secret): never log it; `redacted()` is safe.
struct SsoToken
{
    QString startUrl;
    QString region;
    QString accessToken;
    QDateTime expiresAt;             ///< UTC
    QString clientId;                ///< the OIDC client that may refresh it (sso-session only)
    QString clientSecret;
    QDateTime registrationExpiresAt; ///< UTC; the client's own expiry
    QString refreshToken;

    bool canRefresh(const QDateTime &nowUtc) const
    {
        return !refreshToken.isEmpty() && !clientId.isEmpty() && !clientSecret.isEmpty()
            && (!registrationExpiresAt.isValid() || registrationExpiresAt > nowUtc);
    }
    QString redacted() const
    {
        return QStringLiteral("SSO token for %1, expires %2, refresh token: %3")
            .arg(startUrl, expiresAt.toString(Qt::ISODate), refreshToken.isEmpty() ? QStringLiteral("no") : QStringLiteral("yes"));
    }
};

/// The AWS CLI v2 token cache, ~/.aws/sso/cache: one JSON file per sign-in named by the
/// lower-case hex SHA-1 of the sso-session name (or, for the older profiles with
/// sso_start_url, of the start URL), with the fields startUrl, region, accessToken, expiresAt,
/// clientId, clientSecret, registrationExpiresAt, refreshToken. The AWS CLI and this tool
/// share one sign-in through it. Stateless apart from the directory; reads are bounded (1 MiB),
/// writes are atomic (QSaveFile), owner-only (0600, directory 0700) and keep fields they do
/// not know. Any thread.
class SsoTokenCache
{
public:
    explicit SsoTokenCache(QString directory);
    /// ~/.aws/sso/cache of `env`'s home directory.
    static SsoTokenCache forEnvironment(const Environment &env);

    /// "<sha1 of key>.json".
    static QString fileName(const QString &key);
    QString path(const QString &key) const;

    /// The token cached under `key`; nullopt when there is no file. A file that cannot be read
    /// or parsed is a Config error naming it (never quoting it).
    Result<std::optional<SsoToken>> read(const QString &key) const;
    Result<void> write(const QString &key, const SsoToken &token) const;

private:
    QString m_directory;
};

} // namespace kwb::aws
