#include "aws/SsoTokenCache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace kwb::aws {

namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;

// The AWS CLI writes "2024-01-01T00:00:00Z"; older versions wrote "2024-01-01T00:00:00UTC".
QDateTime parseTime(QString text)
{
    if (text.endsWith(QLatin1String("UTC")))
        text = text.chopped(3) + QLatin1Char('Z');
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QString formatTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace

SsoTokenCache::SsoTokenCache(QString directory) : m_directory(std::move(directory)) {}

SsoTokenCache SsoTokenCache::forEnvironment(const Environment &env)
{
    return SsoTokenCache(env.homeDir.isEmpty() ? QString() : env.homeDir + QStringLiteral("/.aws/sso/cache"));
}

QString SsoTokenCache::fileName(const QString &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex())
        + QStringLiteral(".json");
}

QString SsoTokenCache::path(const QString &key) const
{
    return m_directory + QLatin1Char('/') + fileName(key);
}

Result<std::optional<SsoToken>> SsoTokenCache::read(const QString &key) const
{
    if (m_directory.isEmpty())
        return std::optional<SsoToken>();
    QFile file(path(key));
    if (!file.exists())
        return std::optional<SsoToken>();
    if (!file.open(QIODevice::ReadOnly))
        return Error::config(QStringLiteral("The SSO token cache file %1 cannot be read: %2. Check its permissions, or "
                                            "sign in again")
                                 .arg(file.fileName(), file.errorString()),
                             QStringLiteral("SsoCacheUnreadable"));
    if (file.size() > kMaxFileBytes)
        return Error::config(QStringLiteral("The SSO token cache file %1 is larger than 1 MiB, so it is not a token. "
                                            "Delete it and sign in again").arg(file.fileName()),
                             QStringLiteral("SsoCacheInvalid"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.read(kMaxFileBytes), &parseError);
    if (!document.isObject())
        return Error::config(QStringLiteral("The SSO token cache file %1 is not a JSON object (at byte %2). Delete it "
                                            "and sign in again")
                                 .arg(file.fileName())
                                 .arg(parseError.offset),
                             QStringLiteral("SsoCacheInvalid"));
    const QJsonObject object = document.object();
    const auto text = [&](const char *name) { return object.value(QLatin1String(name)).toString(); };
    SsoToken token;
    token.startUrl = text("startUrl");
    token.region = text("region");
    token.accessToken = text("accessToken");
    token.expiresAt = parseTime(text("expiresAt"));
    token.clientId = text("clientId");
    token.clientSecret = text("clientSecret");
    token.registrationExpiresAt = parseTime(text("registrationExpiresAt"));
    token.refreshToken = text("refreshToken");
    if (token.accessToken.isEmpty() || !token.expiresAt.isValid())
        return Error::config(QStringLiteral("The SSO token cache file %1 has no accessToken or no valid expiresAt. "
                                            "Delete it and sign in again").arg(file.fileName()),
                             QStringLiteral("SsoCacheInvalid"));
    return std::optional<SsoToken>(token);
}

Result<void> SsoTokenCache::write(const QString &key, const SsoToken &token) const
{
    if (m_directory.isEmpty())
        return Error::config(QStringLiteral("No home directory is known, so the SSO sign-in cannot be cached"),
                             QStringLiteral("SsoCacheUnwritable"));
    if (!QDir().mkpath(m_directory))
        return Error::config(QStringLiteral("The SSO token cache directory %1 cannot be created. Check the permissions of "
                                            "~/.aws").arg(m_directory),
                             QStringLiteral("SsoCacheUnwritable"));
    QFile::setPermissions(m_directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QJsonObject object;
    {
        QFile existing(path(key));
        if (existing.size() <= kMaxFileBytes && existing.open(QIODevice::ReadOnly))
            object = QJsonDocument::fromJson(existing.readAll()).object();
    }
    const auto set = [&](const char *name, const QString &value) {
        if (value.isEmpty())
            object.remove(QLatin1String(name));
        else
            object.insert(QLatin1String(name), value);
    };
    set("startUrl", token.startUrl);
    set("region", token.region);
    set("accessToken", token.accessToken);
    set("expiresAt", formatTime(token.expiresAt));
    set("clientId", token.clientId);
    set("clientSecret", token.clientSecret);
    set("registrationExpiresAt", token.registrationExpiresAt.isValid() ? formatTime(token.registrationExpiresAt) : QString());
    set("refreshToken", token.refreshToken);
    QSaveFile file(path(key));
    if (!file.open(QIODevice::WriteOnly))
        return Error::config(QStringLiteral("The SSO token cache file %1 cannot be written: %2").arg(file.fileName(), file.errorString()),
                             QStringLiteral("SsoCacheUnwritable"));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::config(QStringLiteral("The SSO token cache file %1 cannot be written: %2").arg(file.fileName(), file.errorString()),
                             QStringLiteral("SsoCacheUnwritable"));
    return {};
}

} // namespace kwb::aws
