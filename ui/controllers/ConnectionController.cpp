#include "controllers/ConnectionController.h"

#include "aws/ConnectionSettings.h"
#include "aws/CredentialsRefresher.h"
#include "aws/ServiceEndpoints.h"
#include "controllers/ProblemText.h"
#include "controllers/SecretStore.h"
#include "net/KinesisClient.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

namespace kwb::ui {

namespace {

QString encodeKeys(const aws::Credentials &keys)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("accessKeyId"), keys.accessKeyId},
                                                       {QStringLiteral("secretAccessKey"), keys.secretAccessKey},
                                                       {QStringLiteral("sessionToken"), keys.sessionToken}})
                                 .toJson(QJsonDocument::Compact));
}

std::optional<aws::Credentials> decodeKeys(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    aws::Credentials keys;
    keys.accessKeyId = o.value(QStringLiteral("accessKeyId")).toString();
    keys.secretAccessKey = o.value(QStringLiteral("secretAccessKey")).toString();
    keys.sessionToken = o.value(QStringLiteral("sessionToken")).toString();
    if (keys.accessKeyId.isEmpty() && keys.secretAccessKey.isEmpty())
        return std::nullopt;
    return keys;
}

} // namespace

ConnectionController::ConnectionController(SecretStore *secrets, aws::Environment environment, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_env(std::move(environment))
    , m_sandboxStatus(tr("starting…"))
{
}

ConnectionController::~ConnectionController()
{
    ++m_generation;
    delete m_client.data();
}

void ConnectionController::setSandbox(const QUrl &endpoint, const aws::Credentials &credentials)
{
    m_sandboxEndpoint = endpoint;
    m_sandboxCredentials = credentials;
    m_sandboxStatus.clear();
    Q_EMIT sandboxChanged();
}

void ConnectionController::setSandboxUnavailable(const QString &reason)
{
    m_sandboxEndpoint = QUrl();
    m_sandboxStatus = reason;
    Q_EMIT sandboxChanged();
}

void ConnectionController::refreshProfiles()
{
    const quint64 generation = ++m_profileGeneration;
    using Profiles = std::pair<QStringList, QList<aws::ProfileSummary>>;
    auto *watcher = new QFutureWatcher<Profiles>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_profileGeneration)
            return;
        std::tie(m_profiles, m_profileSummaries) = watcher->result();
        Q_EMIT profilesChanged(m_profiles);
    });
    const aws::Environment env = m_env;
    watcher->setFuture(QtConcurrent::run([env] {
        auto files = aws::SharedConfig::load(env);
        return Profiles{aws::listProfiles(env), files ? aws::describeProfiles(files.value()) : QList<aws::ProfileSummary>()};
    }));
}

ConnectionTarget ConnectionController::profileTarget(const QString &profile) const
{
    for (const aws::ProfileSummary &summary : m_profileSummaries)
        if (summary.name == profile)
            return ConnectionTarget::forProfile(profile, summary.kind == aws::ProfileKind::None ? QString()
                                                                                                : aws::profileKindName(summary.kind),
                                                summary.account, summary.region);
    return ConnectionTarget::forProfile(profile);
}

void ConnectionController::setClientTimeouts(int connectMs, int transferMs)
{
    m_connectTimeoutMs = connectMs;
    m_transferTimeoutMs = transferMs;
}

void ConnectionController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ConnectionController::replaceClient(net::KinesisClient *client)
{
    net::KinesisClient *old = m_client;
    m_client = client;
    if (!client) {
        delete m_refresher;
        m_refresher = nullptr;
    }
    Q_EMIT clientChanged(client);
    if (old)
        old->deleteLater();
}

void ConnectionController::disconnectFromTarget()
{
    ++m_generation;
    m_target = {};
    m_info = {};
    replaceClient(nullptr);
    setState(State::Disconnected);
}

void ConnectionController::connectTo(const ConnectionTarget &target)
{
    const quint64 generation = ++m_generation;
    m_target = target;
    m_problem.clear();
    m_problemCode.clear();
    replaceClient(nullptr);
    setState(State::Connecting);
    if (target.kind == ConnectionTarget::Kind::Sandbox && !isSandboxReady()) {
        fail(generation, m_sandboxStatus.isEmpty() ? tr("The built-in sandbox is not running.")
                                                   : tr("The built-in sandbox is %1").arg(m_sandboxStatus));
        return;
    }
    if (target.kind == ConnectionTarget::Kind::Custom && target.keysInKeychain) {
        if (!m_secrets) {
            fail(generation, tr("This target's keys are kept in the system keychain, but no keychain is available."));
            return;
        }
        m_secrets->read(target.credentialsKey(), this, [this, generation, target](Result<std::optional<QString>> r) {
            if (generation != m_generation)
                return;
            if (!r.ok()) {
                fail(generation, ProblemText::describe(r.error()));
                return;
            }
            std::optional<aws::Credentials> keys = r.value() ? decodeKeys(*r.value()) : std::nullopt;
            if (!keys) {
                fail(generation, tr("No keys are stored for \"%1\" in the %2. Edit the target and enter them again.")
                                     .arg(target.name, m_secrets->name()));
                return;
            }
            resolve(generation, target, keys);
        });
        return;
    }
    resolve(generation, target, std::nullopt);
}

void ConnectionController::resolve(quint64 generation, const ConnectionTarget &target,
                                   std::optional<aws::Credentials> typedKeys)
{
    aws::ConnectionOptions options;
    switch (target.kind) {
    case ConnectionTarget::Kind::Sandbox:
        options.endpointUrl = m_sandboxEndpoint.toString();
        options.region = QStringLiteral("us-east-1");
        if (!m_sandboxCredentials.isEmpty()) {
            options.accessKeyId = m_sandboxCredentials.accessKeyId;
            options.secretAccessKey = m_sandboxCredentials.secretAccessKey;
        }
        options.allowAnonymousFallback = true;
        break;
    case ConnectionTarget::Kind::Profile:
        options.profile = target.profile;
        if (!target.region.isEmpty())
            options.region = target.region;
        break;
    case ConnectionTarget::Kind::Custom:
        options.endpointUrl = target.endpointUrl;
        if (!target.region.isEmpty())
            options.region = target.region;
        if (!target.profile.isEmpty())
            options.profile = target.profile;
        options.allowAnonymousFallback = true;
        break;
    }
    if (typedKeys) {
        options.accessKeyId = typedKeys->accessKeyId;
        options.secretAccessKey = typedKeys->secretAccessKey;
        if (!typedKeys->sessionToken.isEmpty())
            options.sessionToken = typedKeys->sessionToken;
    }
    // MFA codes: the provider asks on its worker thread; the dialog answers on the GUI thread,
    // and the answer goes back to the worker's event loop.
    QPointer<ConnectionController> self(this);
    options.mfaCodeProvider = [self](const aws::MfaPrompt &prompt, std::function<void(std::optional<QString>)> answer) {
        auto *receiver = new QObject; // lives on the asking thread
        auto reply = [receiver, answer](std::optional<QString> code) {
            QMetaObject::invokeMethod(
                receiver,
                [receiver, answer, code] {
                    answer(code);
                    receiver->deleteLater();
                },
                Qt::QueuedConnection);
        };
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, prompt, reply] {
                if (!self || !self->m_mfaPrompter)
                    return reply(std::nullopt);
                self->m_mfaPrompter(prompt, reply);
            },
            Qt::QueuedConnection);
    };
    const aws::Environment env = m_env;
    // Only the target kinds that need the real environment read it; a sandbox never does.
    const aws::Environment used = target.kind == ConnectionTarget::Kind::Sandbox ? aws::Environment() : env;
    auto *watcher = new QFutureWatcher<Result<aws::ConnectionSettings>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, connectionOptions = options, used] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Result<aws::ConnectionSettings> r = watcher->result();
        if (!r.ok()) {
            m_problemCode = r.error().code;
            fail(generation, ProblemText::describe(r.error()));
            return;
        }
        const aws::ConnectionSettings &s = r.value();
        net::ClientOptions options;
        options.endpoint = s.endpoint;
        options.region = s.region;
        options.credentials = s.credentials;
        options.connectTimeoutMs = m_connectTimeoutMs;
        options.transferTimeoutMs = m_transferTimeoutMs;
        m_info = ConnectionInfo{s.endpoint.toString(), s.region, s.regionSource, s.credentials.redacted(),
                                aws::isAwsEndpoint(s.endpoint)};
        replaceClient(new net::KinesisClient(options, this));
        startRefreshing(s.credentials, connectionOptions, used);
        setState(State::Connected);
        Q_EMIT connected(m_info);
    });
    watcher->setFuture(QtConcurrent::run([options, used] { return aws::resolveConnection(options, used); }));
}

void ConnectionController::startRefreshing(const aws::Credentials &credentials, const aws::ConnectionOptions &options,
                                           const aws::Environment &used)
{
    delete m_refresher;
    m_refresher = nullptr;
    if (!credentials.expiration)
        return;
    // Renewing runs the same resolution as connecting, in the thread pool.
    m_refresher = new aws::CredentialsRefresher(
        [this, options, used](std::function<void(Result<aws::Credentials>)> done) {
            auto *watcher = new QFutureWatcher<Result<aws::ConnectionSettings>>(this);
            connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done] {
                watcher->deleteLater();
                const Result<aws::ConnectionSettings> r = watcher->result();
                if (!r)
                    return done(r.error());
                done(r.value().credentials);
            });
            watcher->setFuture(QtConcurrent::run([options, used] { return aws::resolveConnection(options, used); }));
        },
        this);
    connect(m_refresher, &aws::CredentialsRefresher::credentialsRefreshed, this, [this](const aws::Credentials &fresh) {
        if (m_client)
            m_client->setCredentials(fresh);
    });
    connect(m_refresher, &aws::CredentialsRefresher::refreshFailed, this, &ConnectionController::credentialsExpiring);
    m_refresher->track(credentials);
}

void ConnectionController::whoAmI(std::function<void(Result<aws::CallerIdentity>)> done)
{
    if (!m_client) {
        done(Error::config(tr("Not connected."), QStringLiteral("NotConnected")));
        return;
    }
    aws::Environment env = m_target.kind == ConnectionTarget::Kind::Sandbox ? aws::Environment() : m_env;
    // The built-in sandbox (and a custom endpoint) answer STS themselves, unless STS has its own endpoint.
    if (m_target.kind != ConnectionTarget::Kind::Profile && env.value(QStringLiteral("AWS_ENDPOINT_URL_STS")).isEmpty())
        env.variables.insert(QStringLiteral("AWS_ENDPOINT_URL_STS"), m_client->options().endpoint.toString());
    auto files = m_target.kind == ConnectionTarget::Kind::Sandbox ? Result<aws::SharedConfig>(aws::SharedConfig())
                                                                  : aws::SharedConfig::load(env);
    if (!files) {
        done(files.error());
        return;
    }
    auto *provider = new aws::ProfileCredentialsProvider(files.value(), env, this);
    const QString profile = m_target.profile.isEmpty() ? aws::SharedConfig::chooseProfile({}, env).name : m_target.profile;
    provider->whoAmI(profile, m_client->options().credentials, [provider, done](Result<aws::CallerIdentity> identity) {
        provider->deleteLater();
        done(std::move(identity));
    });
}

void ConnectionController::fail(quint64 generation, const QString &problem)
{
    if (generation != m_generation)
        return;
    m_problem = problem;
    m_info = {};
    setState(State::Failed);
    Q_EMIT connectionFailed(problem);
}

void ConnectionController::storeKeys(const ConnectionTarget &target, const aws::Credentials &keys,
                                     std::function<void(Result<void>)> done)
{
    if (!m_secrets) {
        done(Error::config(tr("No keychain is available to keep the keys."), QStringLiteral("NoKeychain")));
        return;
    }
    m_secrets->write(target.credentialsKey(), encodeKeys(keys), this, std::move(done));
}

void ConnectionController::forgetKeys(const ConnectionTarget &target)
{
    if (m_secrets)
        m_secrets->remove(target.credentialsKey(), this, [](Result<void>) {});
}

} // namespace kwb::ui
