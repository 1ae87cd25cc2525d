#include "aws/SsoLogin.h"

#include "aws/SsoTokenCache.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace kwb::aws {

SsoLogin::SsoLogin(SharedConfig files, Environment env, QObject *parent)
    : QObject(parent)
    , m_files(std::move(files))
    , m_env(std::move(env))
    , m_network(new QNetworkAccessManager(this))
    , m_client(m_network)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SsoLogin::poll);
}

SsoLogin::~SsoLogin() = default;

void SsoLogin::setClock(std::function<QDateTime()> clock)
{
    m_clock = clock;
    m_client.setClock(std::move(clock));
}

void SsoLogin::finish(Result<void> result)
{
    m_timer->stop();
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
}

void SsoLogin::cancel()
{
    if (m_done)
        finish(Error{Error::Kind::Cancelled, QStringLiteral("Cancelled"),
                     QStringLiteral("Signing in for profile \"%1\" was cancelled").arg(m_settings.profile), 0});
}

void SsoLogin::start(const QString &profile, std::function<void(const SsoLoginPrompt &)> prompt,
                     std::function<void(Result<void>)> done)
{
    m_done = std::move(done);
    auto settings = readSsoSettings(m_files, m_env, profile, false);
    if (!settings) {
        QTimer::singleShot(0, this, [this, error = settings.error()] { finish(error); });
        return;
    }
    m_settings = settings.value();
    auto oidc = resolveAuthEndpoint(AuthService::SsoOidc, m_files, profile, m_env, m_settings.region);
    if (!oidc) {
        QTimer::singleShot(0, this, [this, error = oidc.error()] { finish(error); });
        return;
    }
    m_oidc = oidc.value();
    const auto failed = [this](const Error &error) {
        Error e = error;
        e.message = QStringLiteral("Signing in to IAM Identity Center for profile \"%1\" (%2) failed: %3")
                        .arg(m_settings.profile, m_settings.location, error.message);
        finish(e);
    };
    m_client.registerClient(m_oidc, QLatin1String(kClientName), this,
                            [this, prompt, failed](Result<SsoClientRegistration> registration) {
        if (!registration)
            return failed(registration.error());
        m_registration = registration.value();
        m_client.startDeviceAuthorization(m_oidc, m_registration, m_settings.startUrl, this,
                                          [this, prompt, failed](Result<SsoDeviceAuthorization> device) {
            if (!device)
                return failed(device.error());
            m_device = device.value();
            m_intervalMs = m_device.intervalSeconds * 1000;
            m_deadline = m_clock().addSecs(m_device.expiresInSeconds);
            if (prompt)
                prompt(SsoLoginPrompt{m_settings.profile, m_device.verificationUri,
                                      m_device.verificationUriComplete.isEmpty() ? m_device.verificationUri
                                                                                  : m_device.verificationUriComplete,
                                      m_device.userCode, m_device.expiresInSeconds});
            if (m_done)
                m_timer->start(m_intervalMs);
        });
    });
}

void SsoLogin::poll()
{
    if (!m_done)
        return;
    m_client.createToken(m_oidc, m_registration, QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"),
                         m_device.deviceCode, QString(), this, [this](Result<SsoTokenGrant> grant) {
        if (!m_done)
            return;
        if (!grant) {
            const QString &code = grant.error().code;
            if (code == QLatin1String("AuthorizationPendingException") || code == QLatin1String("SlowDownException")) {
                if (code == QLatin1String("SlowDownException"))
                    m_intervalMs += 5000;
                if (m_clock() >= m_deadline)
                    return finish(Error::config(QStringLiteral("The sign-in for profile \"%1\" was not approved in time. "
                                                               "Start it again and approve it in the browser")
                                                    .arg(m_settings.profile),
                                                QStringLiteral("SsoLoginExpired")));
                m_timer->start(m_intervalMs);
                return;
            }
            Error error = grant.error();
            error.message = QStringLiteral("Signing in for profile \"%1\" failed: %2%3")
                                .arg(m_settings.profile, error.message,
                                     code == QLatin1String("AccessDeniedException")
                                         ? QStringLiteral(". The sign-in was denied in the browser")
                                         : code == QLatin1String("ExpiredTokenException")
                                         ? QStringLiteral(". The code expired: start again")
                                         : QString());
            return finish(error);
        }
        SsoToken token;
        token.startUrl = m_settings.startUrl;
        token.region = m_settings.region;
        token.accessToken = grant.value().accessToken;
        token.expiresAt = grant.value().expiresAt;
        if (!m_settings.sessionName.isEmpty()) {
            // Only sso-session sign-ins are refreshable (the AWS CLI does the same).
            token.clientId = m_registration.clientId;
            token.clientSecret = m_registration.clientSecret;
            token.registrationExpiresAt = m_registration.expiresAt;
            token.refreshToken = grant.value().refreshToken;
        }
        finish(SsoTokenCache::forEnvironment(m_env).write(m_settings.cacheKey(), token));
    });
}

} // namespace kwb::aws
