#include "aws/CredentialsRefresher.h"

#include "Logging.h"

#include <QPointer>
#include <QTimer>

namespace kwb::aws {

namespace {
constexpr int kRetryMs = 10000;
}

CredentialsRefresher::CredentialsRefresher(Refresh refresh, QObject *parent)
    : QObject(parent)
    , m_refresh(std::move(refresh))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &CredentialsRefresher::refreshNow);
}

CredentialsRefresher::~CredentialsRefresher() = default;

void CredentialsRefresher::track(const Credentials &current)
{
    m_timer->stop();
    m_expiration = current.expiration;
    if (!m_expiration)
        return;
    const QDateTime now = m_clock();
    const qint64 lifetimeMs = now.msecsTo(*m_expiration);
    const qint64 marginMs = qint64(m_margin.count()) * 1000;
    const qint64 delay = lifetimeMs > 2 * marginMs ? lifetimeMs - marginMs : lifetimeMs / 2;
    m_timer->start(int(std::clamp<qint64>(delay, 0, std::numeric_limits<int>::max())));
    qCDebug(lcCredentials).noquote() << QStringLiteral("credentials expire in %1 s; refreshing in %2 s")
                                            .arg(lifetimeMs / 1000).arg(delay / 1000);
}

void CredentialsRefresher::stop()
{
    m_timer->stop();
    m_expiration.reset();
}

qint64 CredentialsRefresher::nextRefreshInMs() const
{
    return m_timer->isActive() ? m_timer->remainingTime() : -1;
}

void CredentialsRefresher::refreshNow()
{
    if (m_inFlight)
        return;
    m_inFlight = true;
    QPointer<CredentialsRefresher> self(this);
    m_refresh([self](Result<Credentials> fresh) {
        if (!self)
            return;
        self->m_inFlight = false;
        if (fresh) {
            self->track(fresh.value());
            Q_EMIT self->credentialsRefreshed(fresh.value());
            return;
        }
        const QDateTime now = self->m_clock();
        if (self->m_expiration && now.msecsTo(*self->m_expiration) > kRetryMs && fresh.error().code != QLatin1String("SsoLoginRequired")) {
            qCWarning(lcCredentials).noquote() << QStringLiteral("refreshing credentials failed (%1); trying again in 10 s")
                                                      .arg(fresh.error().code);
            self->m_timer->start(kRetryMs);
            return;
        }
        Q_EMIT self->refreshFailed(fresh.error().code, fresh.error().message);
    });
}

} // namespace kwb::aws
