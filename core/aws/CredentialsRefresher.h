#pragma once

#include "Result.h"
#include "aws/Credentials.h"

#include <QDateTime>
#include <QObject>

#include <chrono>
#include <functional>

class QTimer;

namespace kwb::aws {

/// Keeps temporary credentials fresh during long sends: given the credentials in use, it asks
/// `refresh` for new ones before they expire (5 minutes before, or after half their lifetime
/// when they live less than 10 minutes) and reports them with credentialsRefreshed, which the
/// owner hands to its client. A failed refresh is retried every 10 s until the old credentials
/// expire, then refreshFailed reports it (an expired SSO sign-in has code SsoLoginRequired).
/// Credentials without an expiration need nothing. Timers only; a QObject on the client's thread.
class CredentialsRefresher : public QObject
{
    Q_OBJECT
public:
    using Refresh = std::function<void(std::function<void(Result<Credentials>)>)>;

    explicit CredentialsRefresher(Refresh refresh, QObject *parent = nullptr);
    ~CredentialsRefresher() override;

    void setMargin(std::chrono::seconds margin) { m_margin = margin; }
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    /// Watches `current` (replacing anything watched before).
    void track(const Credentials &current);
    void stop();
    /// Milliseconds until the next refresh; -1: none planned.
    qint64 nextRefreshInMs() const;

Q_SIGNALS:
    void credentialsRefreshed(const kwb::aws::Credentials &credentials);
    void refreshFailed(const QString &code, const QString &message);

private:
    void refreshNow();

    Refresh m_refresh;
    QTimer *m_timer;
    std::chrono::seconds m_margin{300};
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
    std::optional<QDateTime> m_expiration;
    bool m_inFlight = false;
};

} // namespace kwb::aws
