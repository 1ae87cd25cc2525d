#include "sandbox/SandboxIdentityStore.h"

#include <QRandomGenerator>

#include <algorithm>

namespace kwb::sandbox {

namespace {
constexpr const char *kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr const char *kBase64ish = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
} // namespace

QString SandboxIdentityStore::randomText(int length, const char *alphabet)
{
    const int size = int(qstrlen(alphabet));
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(size)]));
    return out;
}

void SandboxIdentityStore::setMfaCode(const QString &code)
{
    QMutexLocker lock(&m_mutex);
    m_mfaCode = code;
}

QString SandboxIdentityStore::mfaCode() const
{
    QMutexLocker lock(&m_mutex);
    return m_mfaCode;
}

void SandboxIdentityStore::denyRole(const QString &roleArn)
{
    QMutexLocker lock(&m_mutex);
    m_deniedRoles.insert(roleArn);
}

bool SandboxIdentityStore::isDenied(const QString &roleArn) const
{
    QMutexLocker lock(&m_mutex);
    return m_deniedRoles.contains(roleArn);
}

void SandboxIdentityStore::requireExternalId(const QString &roleArn, const QString &externalId)
{
    QMutexLocker lock(&m_mutex);
    m_externalIds.insert(roleArn, externalId);
}

QString SandboxIdentityStore::requiredExternalId(const QString &roleArn) const
{
    QMutexLocker lock(&m_mutex);
    return m_externalIds.value(roleArn);
}

void SandboxIdentityStore::setCredentialLifetimeCap(int seconds)
{
    QMutexLocker lock(&m_mutex);
    m_lifetimeCap = std::max(0, seconds);
}

int SandboxIdentityStore::credentialLifetimeCap() const
{
    QMutexLocker lock(&m_mutex);
    return m_lifetimeCap;
}

void SandboxIdentityStore::setAutoApproveDevices(bool approve)
{
    QMutexLocker lock(&m_mutex);
    m_autoApprove = approve;
}

bool SandboxIdentityStore::approveDevice(const QString &userCode)
{
    QMutexLocker lock(&m_mutex);
    for (auto &device : m_devices) {
        if (device.userCode == userCode && !device.approved) {
            device.approved = true;
            return true;
        }
    }
    return false;
}

QStringList SandboxIdentityStore::pendingUserCodes() const
{
    QMutexLocker lock(&m_mutex);
    QStringList codes;
    for (const auto &device : m_devices)
        if (!device.approved)
            codes.append(device.userCode);
    return codes;
}

void SandboxIdentityStore::addAccessToken(const QString &accessToken, qint64 expiresMs)
{
    QMutexLocker lock(&m_mutex);
    m_accessTokens.insert(accessToken, expiresMs);
}

void SandboxIdentityStore::addRefreshToken(const QString &refreshToken, const QString &clientId,
                                           const QString &clientSecret)
{
    QMutexLocker lock(&m_mutex);
    m_refreshTokens.insert(refreshToken, {clientId, clientSecret});
    m_clients.insert(clientId, clientSecret);
}

int SandboxIdentityStore::refreshGrants() const
{
    QMutexLocker lock(&m_mutex);
    return m_refreshGrants;
}

int SandboxIdentityStore::deviceGrants() const
{
    QMutexLocker lock(&m_mutex);
    return m_deviceGrants;
}

SandboxIssuedCredentials SandboxIdentityStore::issue(const SandboxIdentity &identity, qint64 lifetimeMs, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_lifetimeCap > 0)
        lifetimeMs = std::min(lifetimeMs, qint64(m_lifetimeCap) * 1000);
    SandboxIssuedCredentials issued;
    issued.accessKeyId = QStringLiteral("ASIA") + randomText(16, kUpperDigits);
    issued.secretAccessKey = randomText(40, kBase64ish);
    issued.sessionToken = QStringLiteral("IQoJb3JpZ2luX2VjE") + randomText(180, kBase64ish);
    // AWS hands out whole seconds.
    issued.expiresMs = (nowMs + lifetimeMs) / 1000 * 1000;
    issued.identity = identity;
    m_issued.insert(issued.accessKeyId, issued);
    return issued;
}

std::optional<SandboxIssuedCredentials> SandboxIdentityStore::credentials(const QString &accessKeyId) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_issued.constFind(accessKeyId);
    if (found == m_issued.cend())
        return std::nullopt;
    return *found;
}

bool SandboxIdentityStore::isValidAccessToken(const QString &accessToken, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_accessTokens.constFind(accessToken);
    return found != m_accessTokens.cend() && *found > nowMs;
}

QPair<QString, QString> SandboxIdentityStore::registerClient()
{
    QMutexLocker lock(&m_mutex);
    const QString id = randomText(22, kBase64ish).replace(QLatin1Char('+'), QLatin1Char('-')).replace(QLatin1Char('/'), QLatin1Char('_'));
    const QString secret = QStringLiteral("eyJraWQiOiJrZXktMTU2") + randomText(120, kBase64ish);
    m_clients.insert(id, secret);
    return {id, secret};
}

bool SandboxIdentityStore::isClient(const QString &clientId, const QString &clientSecret) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_clients.constFind(clientId);
    return found != m_clients.cend() && *found == clientSecret;
}

SandboxDeviceAuthorization SandboxIdentityStore::startDeviceAuthorization(const QString &clientId,
                                                                          const QString &startUrl, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    SandboxDeviceAuthorization device;
    device.deviceCode = randomText(40, kBase64ish);
    device.userCode = randomText(4, "BCDFGHJKLMNPQRSTVWXZ") + QLatin1Char('-') + randomText(4, "BCDFGHJKLMNPQRSTVWXZ");
    device.clientId = clientId;
    device.startUrl = startUrl;
    device.expiresMs = nowMs + 600 * 1000;
    device.approved = m_autoApprove;
    m_devices.append(device);
    return device;
}

std::optional<SandboxDeviceAuthorization> SandboxIdentityStore::deviceAuthorization(const QString &deviceCode) const
{
    QMutexLocker lock(&m_mutex);
    for (const auto &device : m_devices)
        if (device.deviceCode == deviceCode)
            return device;
    return std::nullopt;
}

void SandboxIdentityStore::forgetDeviceAuthorization(const QString &deviceCode)
{
    QMutexLocker lock(&m_mutex);
    m_devices.removeIf([&](const SandboxDeviceAuthorization &d) { return d.deviceCode == deviceCode; });
}

QPair<QString, QString> SandboxIdentityStore::grantTokens(const QString &clientId, const QString &clientSecret,
                                                          qint64 lifetimeMs, qint64 nowMs, bool byRefresh)
{
    QMutexLocker lock(&m_mutex);
    const QString access = QStringLiteral("aoa") + randomText(200, kBase64ish);
    const QString refresh = QStringLiteral("aor") + randomText(200, kBase64ish);
    m_accessTokens.insert(access, nowMs + lifetimeMs);
    m_refreshTokens.insert(refresh, {clientId, clientSecret});
    ++(byRefresh ? m_refreshGrants : m_deviceGrants);
    return {access, refresh};
}

bool SandboxIdentityStore::redeemRefreshToken(const QString &refreshToken, const QString &clientId)
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_refreshTokens.constFind(refreshToken);
    if (found == m_refreshTokens.cend() || found->first != clientId)
        return false;
    m_refreshTokens.erase(found);
    return true;
}

} // namespace kwb::sandbox
