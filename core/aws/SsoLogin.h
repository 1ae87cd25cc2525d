#pragma once

#include "Result.h"
#include "aws/Environment.h"
#include "aws/ProfileCredentialsProvider.h"
#include "aws/SharedConfig.h"
#include "aws/SsoClient.h"

#include <QDateTime>
#include <QObject>

#include <functional>

class QNetworkAccessManager;
class QTimer;

namespace kwb::aws {

/// What the user must do to approve a device sign-in: open the URL and check the code.
struct SsoLoginPrompt
{
    QString profile;
    QString verificationUri;
    QString verificationUriComplete; ///< the URL with the code filled in: open this one
    QString userCode;
    int expiresInSeconds = 600;
};

/// Signs in to IAM Identity Center with the OAuth device authorization flow, like
/// `aws sso login`: RegisterClient, StartDeviceAuthorization, then CreateToken polled at the
/// interval the service asks for (longer after SlowDown) until the user approved the sign-in
/// in the browser, the authorization expires or cancel() is called. The token (with the client
/// registration and refresh token for sso-session profiles) is written to the AWS CLI v2 cache
/// under the same file name, so the AWS CLI and this tool share the sign-in.
/// Timers, not sleeps; a QObject on the thread that uses it; callbacks run there.
class SsoLogin : public QObject
{
    Q_OBJECT
public:
    SsoLogin(SharedConfig files, Environment env, QObject *parent = nullptr);
    ~SsoLogin() override;

    /// Client name sent to RegisterClient.
    static constexpr const char *kClientName = "kinesis-workbench";

    void setClock(std::function<QDateTime()> clock);

    /// Starts signing in for `profile`. `prompt` runs once the user has something to do;
    /// `done` runs once at the end (Ok: the token is cached). Errors name the profile.
    void start(const QString &profile, std::function<void(const SsoLoginPrompt &)> prompt,
               std::function<void(Result<void>)> done);
    /// Stops polling; `done` gets a Cancelled error.
    void cancel();
    bool isRunning() const { return bool(m_done); }

private:
    void poll();
    void finish(Result<void> result);

    SharedConfig m_files;
    Environment m_env;
    QNetworkAccessManager *m_network;
    SsoClient m_client;
    QTimer *m_timer;
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
    std::function<void(Result<void>)> m_done;
    SsoSettings m_settings;
    ServiceEndpoint m_oidc;
    SsoClientRegistration m_registration;
    SsoDeviceAuthorization m_device;
    QDateTime m_deadline;
    int m_intervalMs = 5000;
};

} // namespace kwb::aws
