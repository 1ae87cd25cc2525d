#pragma once

#include "Result.h"
#include "net/KinesisClient.h"
#include "aws/Credentials.h"
#include "aws/Environment.h"
#include "aws/ProfileCredentialsProvider.h"
#include "aws/ConnectionOptions.h"
#include "controllers/ConnectionTarget.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

namespace kwb::aws {
class CredentialsRefresher;
}

namespace kwb::ui {

class SecretStore;

/// What a connection resolved to, for display. Holds no secret.
struct ConnectionInfo
{
    QString endpoint;
    QString region;
    QString regionSource;
    QString credentialSource; ///< "AKIDEXAMPLE / **** (session token: no) from environment"
    bool awsEndpoint = false; ///< an amazonaws.com host, as opposed to a local emulator
};

/// Turns a ConnectionTarget into a net::KinesisClient. Resolving credentials may block (a
/// profile's credential_process), so it runs in the thread pool on a copy of the options; keys
/// typed into the app come from the SecretStore first. A generation token drops a resolution
/// that a newer connectTo() overtook. The client is owned here and replaced on each connection:
/// users get clientChanged() before the old one is deleted (later, with deleteLater()).
/// The built-in sandbox plugs in with setSandbox() once it runs. Lives on the GUI thread.
class ConnectionController : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Failed };

    ConnectionController(SecretStore *secrets, aws::Environment environment, QObject *parent = nullptr);
    ~ConnectionController() override;

    // The built-in sandbox -----------------------------------------------------------------
    /// The sandbox runs at `endpoint` (credentials it checks, if any).
    void setSandbox(const QUrl &endpoint, const aws::Credentials &credentials = {});
    /// The sandbox is not available (failed to start, or not built in); `reason` for display.
    void setSandboxUnavailable(const QString &reason);
    bool isSandboxReady() const { return m_sandboxEndpoint.isValid(); }
    QUrl sandboxEndpoint() const { return m_sandboxEndpoint; }
    /// "starting…", "not available: ..." or empty when ready.
    QString sandboxStatus() const { return m_sandboxStatus; }

    // Profiles ---------------------------------------------------------------------------
    /// Reads the profile names of the shared files in the thread pool; then profilesChanged().
    void refreshProfiles();
    QStringList profiles() const { return m_profiles; }
    /// The target for `profile`, with its kind, account and region for the picker.
    ConnectionTarget profileTarget(const QString &profile) const;

    // Signing in ------------------------------------------------------------------------------
    /// Asks the user for MFA codes (MfaDialog); called on the GUI thread. Unset: role profiles
    /// with mfa_serial fail with a message saying so.
    void setMfaPrompter(aws::MfaCodeProvider prompter) { m_mfaPrompter = std::move(prompter); }
    /// The error code of the last failed connection ("SsoLoginRequired": offer Sign in).
    QString problemCode() const { return m_problemCode; }
    const aws::Environment &environment() const { return m_env; }
    /// Who the connection's credentials stand for (STS GetCallerIdentity at the target's STS
    /// endpoint: the sandbox's or custom endpoint itself, else the profile's). Asynchronous.
    void whoAmI(std::function<void(Result<aws::CallerIdentity>)> done);

    // Connecting -------------------------------------------------------------------------
    void connectTo(const ConnectionTarget &target);
    void disconnectFromTarget();
    State state() const { return m_state; }
    const ConnectionTarget &target() const { return m_target; }
    /// Marks the current target as production (or not) without reconnecting.
    void setTargetProduction(bool production) { m_target.production = production; }
    net::KinesisClient *client() const { return m_client; }
    const ConnectionInfo &info() const { return m_info; }
    /// The problem of the last failed connection, in words.
    QString problem() const { return m_problem; }

    // Keys typed into the app --------------------------------------------------------------
    /// Keeps the keys of `target` in the SecretStore; `done` gets the outcome.
    void storeKeys(const ConnectionTarget &target, const aws::Credentials &keys, std::function<void(Result<void>)> done);
    void forgetKeys(const ConnectionTarget &target);

    /// Test hook: connection timeouts of new clients.
    void setClientTimeouts(int connectMs, int transferMs);

Q_SIGNALS:
    void stateChanged(kwb::ui::ConnectionController::State state);
    /// A new client (nullptr when disconnected); the previous one is deleted after this.
    void clientChanged(kwb::net::KinesisClient *client);
    void connected(const kwb::ui::ConnectionInfo &info);
    void connectionFailed(const QString &problem);
    void profilesChanged(const QStringList &profiles);
    void sandboxChanged();
    /// The connection's temporary credentials could not be renewed before they expire
    /// (`code` SsoLoginRequired: the SSO sign-in ended; sign in again).
    void credentialsExpiring(const QString &code, const QString &message);

private:
    void resolve(quint64 generation, const ConnectionTarget &target, std::optional<aws::Credentials> typedKeys);
    void fail(quint64 generation, const QString &problem);
    void setState(State state);
    void replaceClient(net::KinesisClient *client);
    void startRefreshing(const aws::Credentials &credentials, const aws::ConnectionOptions &options,
                         const aws::Environment &used);

    SecretStore *m_secrets;
    aws::Environment m_env;
    QUrl m_sandboxEndpoint;
    aws::Credentials m_sandboxCredentials;
    QString m_sandboxStatus;
    QStringList m_profiles;
    quint64 m_profileGeneration = 0;
    ConnectionTarget m_target;
    State m_state = State::Disconnected;
    quint64 m_generation = 0;
    QPointer<net::KinesisClient> m_client;
    ConnectionInfo m_info;
    QString m_problem;
    QString m_problemCode;
    QList<aws::ProfileSummary> m_profileSummaries;
    aws::MfaCodeProvider m_mfaPrompter;
    aws::CredentialsRefresher *m_refresher = nullptr;
    int m_connectTimeoutMs = 10000;
    int m_transferTimeoutMs = 30000;
};

} // namespace kwb::ui
