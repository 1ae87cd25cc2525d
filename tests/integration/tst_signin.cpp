// Sign-in flows against the built-in sandbox's STS, SSO portal and SSO OIDC endpoints:
// assume role (chains, MFA, external id, credential_source), web identity, IAM Identity Center
// (cached, refreshed, device sign-in), expiry during a long send, every error case, and the
// same profiles resolved by independent clients (AWS SDK for JavaScript v3, the AWS CLI).
// Expected identities come from the profiles' role ARNs and session names and AWS's documented
// assumed-role ARN format, never from the code under test.

#include "aws/ConnectionSettings.h"
#include "aws/CredentialsRefresher.h"
#include "aws/ProfileCredentialsProvider.h"
#include "aws/ServiceEndpoints.h"
#include "aws/SsoLogin.h"
#include "aws/SsoTokenCache.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::aws;

namespace {

// Every log line of the run (kwb.* debug included), scanned for secrets at the end.
QStringList g_logLines;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logLines.append(message);
}

const QString kBaseSecret = QStringLiteral("base-secret-FIXTURE-never-in-output");

QString dataConfig()
{
    return qEnvironmentVariable("KWB_TEST_DATA") + QStringLiteral("/aws-config/signin/config");
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray makeJwt(const QString &subject)
{
    const QByteArray header = base64Url(R"({"alg":"RS256","typ":"JWT"})");
    const QByteArray payload = base64Url(QJsonDocument(QJsonObject{{QStringLiteral("sub"), subject},
                                                                   {QStringLiteral("aud"), QStringLiteral("sts.amazonaws.com")},
                                                                   {QStringLiteral("iss"), QStringLiteral("https://token.example")},
                                                                   {QStringLiteral("exp"), 4102444800.0}})
                                             .toJson(QJsonDocument::Compact));
    return header + '.' + payload + '.' + base64Url("signature-not-checked-by-the-sandbox");
}

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

private:
    sandbox::SandboxServer *m_sandbox = nullptr;
    QUrl m_url;
    std::unique_ptr<QTemporaryDir> m_home;
    QStringList m_seenMessages; // every error message, scanned for secrets at the end
    QStringList m_issuedSecrets; // secrets and tokens the sandbox issued, never to be shown
    int m_awsCliChecks = 0;

    Environment env(QMap<QString, QString> extra = {}) const
    {
        QMap<QString, QString> variables{{QStringLiteral("AWS_CONFIG_FILE"), m_home->path() + QStringLiteral("/config")},
                                         {QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"),
                                          m_home->path() + QStringLiteral("/credentials")},
                                         {QStringLiteral("AWS_ENDPOINT_URL"), m_url.toString()}};
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            variables.insert(it.key(), it.value());
        return Environment::fromMap(variables, m_home->path());
    }
    SharedConfig files(const Environment &e) const
    {
        auto loaded = SharedConfig::load(e);
        if (!loaded)
            qFatal("%s", qPrintable(loaded.error().message));
        return loaded.value();
    }
    Result<Credentials> resolve(const QString &profile, const Environment &e, MfaCodeProvider mfa = {})
    {
        ProfileCredentialsProvider provider(files(e), e);
        provider.setMfaCodeProvider(std::move(mfa));
        std::optional<Result<Credentials>> result;
        if (profile.isEmpty())
            provider.resolveEnvironmentWebIdentity([&](Result<Credentials> r) { result = std::move(r); });
        else
            provider.resolve(profile, [&](Result<Credentials> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return Error::config(QStringLiteral("timed out"));
        if (!result->ok())
            m_seenMessages.append(result->error().message);
        else
            m_issuedSecrets << result->value().secretAccessKey << result->value().sessionToken;
        return *result;
    }
    Result<CallerIdentity> whoAmI(const Credentials &credentials, const Environment &e)
    {
        ProfileCredentialsProvider provider(files(e), e);
        std::optional<Result<CallerIdentity>> result;
        provider.whoAmI(QStringLiteral("base"), credentials, [&](Result<CallerIdentity> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return Error::config(QStringLiteral("timed out"));
        return *result;
    }
    QString cachePath(const QString &key) const
    {
        return m_home->path() + QStringLiteral("/.aws/sso/cache/")
            + QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex())
            + QStringLiteral(".json");
    }
    void writeCache(const QString &key, const QJsonObject &token) const
    {
        QDir().mkpath(m_home->path() + QStringLiteral("/.aws/sso/cache"));
        QFile file(cachePath(key));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(token).toJson());
    }
    static QString isoIn(qint64 seconds)
    {
        return QDateTime::currentDateTimeUtc().addSecs(seconds).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    }
    // Runs an independent client; its JSON answer, or an object with "error".
    QJsonObject runOracle(const QString &program, const QStringList &arguments, const Environment &e)
    {
        QProcess process;
        QProcessEnvironment pe = e.variables;
        pe.insert(QStringLiteral("HOME"), m_home->path());
        pe.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        pe.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), e.value(QStringLiteral("AWS_ACCESS_KEY_ID")));
        process.setProcessEnvironment(pe);
        process.start(program, arguments);
        if (!process.waitForFinished(90000))
            return QJsonObject{{QStringLiteral("error"), QStringLiteral("did not finish")}};
        const QByteArray out = process.readAllStandardOutput();
        const QJsonObject answer = QJsonDocument::fromJson(out).object();
        if (answer.isEmpty())
            return QJsonObject{{QStringLiteral("error"), QString::fromUtf8(process.readAllStandardError().right(2000))}};
        return answer;
    }
    QJsonObject jsOracle(const QString &profile, const Environment &e, const QString &mfa = {})
    {
        const QString script = qEnvironmentVariable("KWB_SOURCE_DIR") + QStringLiteral("/tests/peers/signin-oracle.js");
        const QString sdk = qEnvironmentVariable("KWB_SOURCE_DIR")
            + QStringLiteral("/tests/peers/node_modules/@aws-sdk/credential-providers");
        if (!QFileInfo::exists(sdk))
            return QJsonObject{{QStringLiteral("error"),
                                QStringLiteral("the AWS SDK for JavaScript is not installed: cd tests/peers && npm ci")}};
        QStringList arguments{script, profile};
        if (!mfa.isEmpty())
            arguments.append(mfa);
        return runOracle(QStringLiteral("node"), arguments, e);
    }
    QJsonObject awsCliOracle(const QString &profile, const Environment &e)
    {
        const QString aws = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (aws.isEmpty()) {
            qInfo("the AWS CLI (aws) is not on PATH: only the AWS SDK for JavaScript checks this flow");
            return {};
        }
        ++m_awsCliChecks;
        QStringList arguments{QStringLiteral("sts"), QStringLiteral("get-caller-identity"), QStringLiteral("--output"),
                              QStringLiteral("json")};
        if (!profile.isEmpty())
            arguments << QStringLiteral("--profile") << profile;
        return runOracle(aws, arguments, e);
    }
    // kwb's identity for `profile` equals the independent clients'.
    void compareWithOracles(const QString &profile, const Environment &e, const CallerIdentity &ours, bool withAwsCli = true,
                            const QString &mfa = {})
    {
        const QJsonObject js = jsOracle(profile, e, mfa);
        QVERIFY2(!js.contains(QStringLiteral("error")), qPrintable(js.value(QStringLiteral("error")).toString()
                                                                   + QLatin1Char(' ')
                                                                   + js.value(QStringLiteral("message")).toString()));
        QCOMPARE(js.value(QStringLiteral("arn")).toString(), ours.arn);
        QCOMPARE(js.value(QStringLiteral("account")).toString(), ours.account);
        if (!withAwsCli)
            return;
        const QJsonObject cli = awsCliOracle(profile, e);
        if (cli.isEmpty())
            return; // no AWS CLI on this machine
        QVERIFY2(!cli.contains(QStringLiteral("error")), qPrintable(cli.value(QStringLiteral("error")).toString()));
        QCOMPARE(cli.value(QStringLiteral("Arn")).toString(), ours.arn);
        QCOMPARE(cli.value(QStringLiteral("Account")).toString(), ours.account);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("kwb.*.debug=true"));
        qInstallMessageHandler(captureLog);
        m_sandbox = new sandbox::SandboxServer({}, this);
        auto started = m_sandbox->start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
        m_url = started.value();
        m_sandbox->identity().denyRole(QStringLiteral("arn:aws:iam::111122223333:role/Forbidden"));
        m_sandbox->identity().requireExternalId(QStringLiteral("arn:aws:iam::444455556666:role/Partner"),
                                                QStringLiteral("ext-7788"));
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QFile source(dataConfig());
        QVERIFY(source.open(QIODevice::ReadOnly));
        QFile config(m_home->path() + QStringLiteral("/config"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(source.readAll().replace("@HOME@", m_home->path().toUtf8()));
        QFile token(m_home->path() + QStringLiteral("/token.jwt"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write(makeJwt(QStringLiteral("ci-runner")) + '\n');
    }

    void roleChains_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("arn");
        QTest::addColumn<QString>("account");
        QTest::addColumn<int>("lifetime");
        // arn:aws:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION-NAME (IAM User Guide, "IAM identifiers").
        QTest::newRow("depth 1") << "r1" << "arn:aws:sts::111122223333:assumed-role/Reader/kwb-test" << "111122223333" << 3600;
        QTest::newRow("depth 3") << "r3" << "arn:aws:sts::333344445555:assumed-role/Writer/hop3" << "333344445555" << 3600;
        QTest::newRow("external id, duration") << "third-party" << "arn:aws:sts::444455556666:assumed-role/Partner/partner"
                                               << "444455556666" << 1800;
    }
    void roleChains()
    {
        QFETCH(QString, profile);
        QFETCH(QString, arn);
        QFETCH(QString, account);
        QFETCH(int, lifetime);
        const Environment e = env();
        const auto credentials = resolve(profile, e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        QVERIFY(!credentials.value().sessionToken.isEmpty());
        QVERIFY(credentials.value().expiration.has_value());
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(*credentials.value().expiration);
        QVERIFY2(left > lifetime - 60 && left <= lifetime, qPrintable(QString::number(left)));
        QVERIFY(credentials.value().source.contains(profile));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY2(identity.ok(), identity.ok() ? "" : qPrintable(identity.error().message));
        QCOMPARE(identity.value().arn, arn);
        QCOMPARE(identity.value().account, account);
        compareWithOracles(profile, e, identity.value());
    }

    void mfa()
    {
        const Environment e = env();
        MfaPrompt seen;
        const auto credentials = resolve(QStringLiteral("mfa"), e, [&](const MfaPrompt &prompt, auto answer) {
            seen = prompt;
            answer(QStringLiteral("123456")); // the sandbox's default code
        });
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        QCOMPARE(seen.serialNumber, QStringLiteral("arn:aws:iam::000000000000:mfa/alice"));
        QCOMPARE(seen.profile, QStringLiteral("mfa"));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        QCOMPARE(identity.value().arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/Admin/alice"));
        compareWithOracles(QStringLiteral("mfa"), e, identity.value(), false, QStringLiteral("123456"));
    }

    void credentialSourceEnvironment()
    {
        const Environment e = env({{QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDFROMENVIRONMENT1")},
                                   {QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret-FIXTURE")}});
        const auto credentials = resolve(QStringLiteral("from-env"), e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        QCOMPARE(identity.value().arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/Ci/ci"));
    }

    void webIdentity()
    {
        const Environment e = env();
        const auto credentials = resolve(QStringLiteral("web"), e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        QCOMPARE(identity.value().arn, QStringLiteral("arn:aws:sts::555566667777:assumed-role/Web/web"));
        compareWithOracles(QStringLiteral("web"), e, identity.value());

        // The same through AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN.
        const Environment byVariables = env({{QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE"), m_home->path() + QStringLiteral("/token.jwt")},
                                             {QStringLiteral("AWS_ROLE_ARN"), QStringLiteral("arn:aws:iam::555566667777:role/Env")},
                                             {QStringLiteral("AWS_ROLE_SESSION_NAME"), QStringLiteral("env-session")}});
        const auto fromVariables = resolve(QString(), byVariables);
        QVERIFY2(fromVariables.ok(), fromVariables.ok() ? "" : qPrintable(fromVariables.error().message));
        const auto envIdentity = whoAmI(fromVariables.value(), byVariables);
        QVERIFY(envIdentity.ok());
        QCOMPARE(envIdentity.value().arn, QStringLiteral("arn:aws:sts::555566667777:assumed-role/Env/env-session"));
        compareWithOracles(QStringLiteral("--env-web-identity"), byVariables, envIdentity.value(), false);
    }

    // credential_process with an Expiration: the same provider carries the expiry, so the
    // refresher renews these too (CLI and GUI use this path when refreshing).
    void processWithExpiration()
    {
        QFile config(m_home->path() + QStringLiteral("/config"));
        QVERIFY(config.open(QIODevice::Append));
        config.write("\n[profile proc]\ncredential_process = /bin/sh -c 'printf \"%s\" \"$0\"' "
                     "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret-FIXTURE\", "
                     "\"SessionToken\": \"proc-token\", \"Expiration\": \"2031-02-03T04:05:06Z\"}'\n");
        config.close();
        const auto credentials = resolve(QStringLiteral("proc"), env());
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        QCOMPARE(credentials.value().accessKeyId, QStringLiteral("AKIDPROC"));
        QVERIFY(credentials.value().expiration.has_value());
        QCOMPARE(*credentials.value().expiration, QDateTime(QDate(2031, 2, 3), QTime(4, 5, 6), Qt::UTC));
    }

    void ssoCachedToken_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("cacheKey");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("role");
        // File names: SHA-1 of the session name / start URL, computed with Python's hashlib.
        QTest::newRow("sso-session") << "sso" << "my-sso" << "0ad374308c5a4e22f723adf10145eafad7c4031c.json" << "ReadOnly";
        QTest::newRow("legacy sso_start_url") << "sso-legacy" << "https://sandbox.awsapps.com/start"
                                              << "e009d2e714015aae0f6dc0696568e5d668596a14.json" << "Legacy";
    }
    void ssoCachedToken()
    {
        QFETCH(QString, profile);
        QFETCH(QString, cacheKey);
        QFETCH(QString, fileName);
        QFETCH(QString, role);
        QCOMPARE(SsoTokenCache::fileName(cacheKey), fileName);
        const QString token = QStringLiteral("cached-access-token-FIXTURE-") + QString::fromLatin1(QTest::currentDataTag()).remove(QLatin1Char(' '));
        m_sandbox->identity().addAccessToken(token, QDateTime::currentMSecsSinceEpoch() + 3600 * 1000);
        writeCache(cacheKey, QJsonObject{{QStringLiteral("startUrl"), QStringLiteral("https://sandbox.awsapps.com/start")},
                                         {QStringLiteral("region"), QStringLiteral("us-east-1")},
                                         {QStringLiteral("accessToken"), token},
                                         {QStringLiteral("expiresAt"), isoIn(3600)}});
        const Environment e = env();
        const auto credentials = resolve(profile, e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        QVERIFY(credentials.value().expiration.has_value());
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        QCOMPARE(identity.value().account, QStringLiteral("123456789012"));
        QVERIFY2(identity.value().arn.contains(QStringLiteral("/AWSReservedSSO_") + role + QLatin1Char('_')),
                 qPrintable(identity.value().arn));
        compareWithOracles(profile, e, identity.value());
    }

    void ssoRefreshedToken()
    {
        // An expired access token with a refresh token: CreateToken (refresh_token), then the cache is rewritten.
        const QString clientId = QStringLiteral("client-FIXTURE");
        const QString clientSecret = QStringLiteral("client-secret-FIXTURE");
        const QString refresh = QStringLiteral("refresh-token-FIXTURE-1");
        m_sandbox->identity().addRefreshToken(refresh, clientId, clientSecret);
        writeCache(QStringLiteral("my-sso"),
                   QJsonObject{{QStringLiteral("startUrl"), QStringLiteral("https://sandbox.awsapps.com/start")},
                               {QStringLiteral("region"), QStringLiteral("us-east-1")},
                               {QStringLiteral("accessToken"), QStringLiteral("expired-access-token-FIXTURE")},
                               {QStringLiteral("expiresAt"), isoIn(-60)},
                               {QStringLiteral("clientId"), clientId},
                               {QStringLiteral("clientSecret"), clientSecret},
                               {QStringLiteral("registrationExpiresAt"), isoIn(86400)},
                               {QStringLiteral("refreshToken"), refresh},
                               {QStringLiteral("somethingNew"), QStringLiteral("kept")}});
        const int before = m_sandbox->identity().refreshGrants();
        const Environment e = env();
        const auto credentials = resolve(QStringLiteral("sso"), e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        QCOMPARE(m_sandbox->identity().refreshGrants(), before + 1);
        QFile file(cachePath(QStringLiteral("my-sso")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject cached = QJsonDocument::fromJson(file.readAll()).object();
        QVERIFY(cached.value(QStringLiteral("accessToken")).toString() != QLatin1String("expired-access-token-FIXTURE"));
        QVERIFY(cached.value(QStringLiteral("refreshToken")).toString() != refresh);
        QCOMPARE(cached.value(QStringLiteral("clientId")).toString(), clientId);
        QCOMPARE(cached.value(QStringLiteral("somethingNew")).toString(), QStringLiteral("kept"));
        QVERIFY(QDateTime::fromString(cached.value(QStringLiteral("expiresAt")).toString(), Qt::ISODate)
                > QDateTime::currentDateTimeUtc().addSecs(3600));
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        // The JavaScript SDK uses the refreshed token from the shared cache.
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        compareWithOracles(QStringLiteral("sso"), e, identity.value());
    }

    void ssoDeviceSignIn()
    {
        const Environment e = env();
        SsoLogin login(files(e), e);
        SsoLoginPrompt shown;
        std::optional<Result<void>> done;
        login.start(QStringLiteral("sso"),
                    [&](const SsoLoginPrompt &prompt) {
                        shown = prompt;
                        // The user approves in the browser.
                        QVERIFY(m_sandbox->identity().approveDevice(prompt.userCode));
                    },
                    [&](Result<void> result) { done = result; });
        QTRY_VERIFY_WITH_TIMEOUT(done.has_value(), 20000);
        QVERIFY2(done->ok(), done->ok() ? "" : qPrintable(done->error().message));
        QVERIFY(!shown.userCode.isEmpty());
        QVERIFY(shown.verificationUriComplete.contains(shown.userCode));
        QVERIFY(QFileInfo::exists(cachePath(QStringLiteral("my-sso"))));
        const auto credentials = resolve(QStringLiteral("sso"), e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        compareWithOracles(QStringLiteral("sso"), e, identity.value());
    }

    void ssoDeviceSignInCancelled()
    {
        const Environment e = env();
        SsoLogin login(files(e), e);
        std::optional<Result<void>> done;
        bool prompted = false;
        login.start(QStringLiteral("sso"), [&](const SsoLoginPrompt &) { prompted = true; },
                    [&](Result<void> result) { done = result; });
        QTRY_VERIFY_WITH_TIMEOUT(prompted, 10000);
        QTest::qWait(1500); // at least one poll answered "pending"
        QVERIFY(!done.has_value());
        login.cancel();
        QVERIFY(done.has_value());
        QCOMPARE(done->error().kind, Error::Kind::Cancelled);
        QVERIFY(!QFileInfo::exists(cachePath(QStringLiteral("my-sso"))));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("mentions");
        QTest::addColumn<QString>("mfaCode");
        QTest::newRow("source_profile loop") << "loop-a" << "SourceProfileLoop"
                                             << QStringList{"loop-a -> loop-b -> loop-a", "config:"} << "";
        QTest::newRow("access denied") << "denied" << "AccessDenied"
                                       << QStringList{"\"denied\"", "config:", "role/Forbidden", "trust policy"} << "";
        QTest::newRow("wrong MFA code") << "mfa" << "WrongMfaCode" << QStringList{"\"mfa\"", "MFA code was wrong"} << "654321";
        QTest::newRow("no MFA code") << "mfa" << "MfaRequired"
                                     << QStringList{"\"mfa\"", "--mfa-code", "arn:aws:iam::000000000000:mfa/alice", "config:"}
                                     << "";
        QTest::newRow("unknown sso_session") << "sso-unknown" << "UnknownSsoSession"
                                             << QStringList{"\"sso-unknown\"", "[sso-session nope]", "config:"} << "";
        QTest::newRow("missing sso_region") << "sso-noregion" << "NoRegion"
                                            << QStringList{"sso_region", "[sso-session noregion]", "config:"} << "";
        QTest::newRow("no SSO sign-in") << "sso" << "SsoLoginRequired"
                                        << QStringList{"\"sso\"", "kwb sso login --profile sso", "config:"} << "";
        QTest::newRow("external id missing") << "r1-no-external" << "AccessDenied" << QStringList{"role/Partner"} << "";
        QTest::newRow("web identity token file missing") << "web-missing" << "WebIdentityTokenMissing"
                                                         << QStringList{"\"web-missing\"", "config:", "full path"} << "";
    }
    void errors()
    {
        QFETCH(QString, profile);
        QFETCH(QString, code);
        QFETCH(QStringList, mentions);
        QFETCH(QString, mfaCode);
        if (profile == QLatin1String("r1-no-external")) {
            QFile config(m_home->path() + QStringLiteral("/config"));
            QVERIFY(config.open(QIODevice::Append));
            config.write("\n[profile r1-no-external]\nrole_arn = arn:aws:iam::444455556666:role/Partner\nsource_profile = base\n");
        }
        if (profile == QLatin1String("web-missing")) {
            QFile config(m_home->path() + QStringLiteral("/config"));
            QVERIFY(config.open(QIODevice::Append));
            config.write("\n[profile web-missing]\nrole_arn = arn:aws:iam::555566667777:role/Web\n"
                         "web_identity_token_file = ~/no-such-token.jwt\n");
        }
        MfaCodeProvider mfa;
        if (!mfaCode.isEmpty())
            mfa = [mfaCode](const MfaPrompt &, auto answer) { answer(mfaCode); };
        const auto credentials = resolve(profile, env(), mfa);
        QVERIFY(!credentials.ok());
        QCOMPARE(credentials.error().code, code);
        for (const QString &mention : mentions)
            QVERIFY2(credentials.error().message.contains(mention), qPrintable(credentials.error().message));
    }

    void expiredSsoTokenWithoutRefresh()
    {
        writeCache(QStringLiteral("https://sandbox.awsapps.com/start"),
                   QJsonObject{{QStringLiteral("startUrl"), QStringLiteral("https://sandbox.awsapps.com/start")},
                               {QStringLiteral("region"), QStringLiteral("us-east-1")},
                               {QStringLiteral("accessToken"), QStringLiteral("old-token-FIXTURE")},
                               {QStringLiteral("expiresAt"), isoIn(-10)}});
        const auto credentials = resolve(QStringLiteral("sso-legacy"), env());
        QVERIFY(!credentials.ok());
        QCOMPARE(credentials.error().code, QStringLiteral("SsoLoginRequired"));
        QVERIFY2(credentials.error().message.contains(QStringLiteral("expired")), qPrintable(credentials.error().message));
    }

    void endpoints_data()
    {
        QTest::addColumn<int>("service");
        QTest::addColumn<QString>("config");
        QTest::addColumn<QStringList>("variables");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("url");
        const QString plain = QStringLiteral("[profile p]\nregion = eu-west-1\n");
        // Defaults from the AWS SDKs' endpoint rules for STS, SSO and SSO OIDC.
        QTest::newRow("sts regional") << 0 << plain << QStringList{} << "eu-west-1" << "https://sts.eu-west-1.amazonaws.com";
        QTest::newRow("sts no region") << 0 << plain << QStringList{} << "" << "https://sts.amazonaws.com";
        QTest::newRow("sts legacy") << 0 << QStringLiteral("[profile p]\nsts_regional_endpoints = legacy\n") << QStringList{}
                                    << "eu-west-1" << "https://sts.amazonaws.com";
        QTest::newRow("sts legacy, not a legacy region") << 0 << QStringLiteral("[profile p]\nsts_regional_endpoints = legacy\n")
                                                         << QStringList{} << "eu-south-1" << "https://sts.eu-south-1.amazonaws.com";
        QTest::newRow("sts china") << 0 << plain << QStringList{} << "cn-north-1" << "https://sts.cn-north-1.amazonaws.com.cn";
        QTest::newRow("sso portal") << 1 << plain << QStringList{} << "us-east-2" << "https://portal.sso.us-east-2.amazonaws.com";
        QTest::newRow("sso oidc") << 2 << plain << QStringList{} << "us-east-2" << "https://oidc.us-east-2.amazonaws.com";
        QTest::newRow("AWS_ENDPOINT_URL_STS wins") << 0 << plain
                                                   << QStringList{"AWS_ENDPOINT_URL_STS=http://127.0.0.1:1/", "AWS_ENDPOINT_URL=http://127.0.0.1:2/"}
                                                   << "eu-west-1" << "http://127.0.0.1:1/";
        QTest::newRow("AWS_ENDPOINT_URL_SSO_OIDC") << 2 << plain << QStringList{"AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:3"}
                                                   << "eu-west-1" << "http://127.0.0.1:3";
        QTest::newRow("AWS_ENDPOINT_URL") << 1 << plain << QStringList{"AWS_ENDPOINT_URL=http://127.0.0.1:2"} << "eu-west-1"
                                          << "http://127.0.0.1:2";
        QTest::newRow("services section") << 0
                                          << QStringLiteral("[profile p]\nservices = local\nendpoint_url = http://127.0.0.1:5\n"
                                                            "[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4\n")
                                          << QStringList{} << "eu-west-1" << "http://127.0.0.1:4";
        QTest::newRow("profile endpoint_url") << 2 << QStringLiteral("[profile p]\nendpoint_url = http://127.0.0.1:5\n")
                                              << QStringList{} << "eu-west-1" << "http://127.0.0.1:5";
    }
    void endpoints()
    {
        QFETCH(int, service);
        QFETCH(QString, config);
        QFETCH(QStringList, variables);
        QFETCH(QString, region);
        QFETCH(QString, url);
        auto parsed = AwsConfigFile::parse(config.toUtf8(), QStringLiteral("config"), AwsConfigFile::Flavor::Config);
        QVERIFY(parsed.ok());
        QMap<QString, QString> map;
        for (const QString &variable : variables)
            map.insert(variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
        const auto endpoint = resolveAuthEndpoint(AuthService(service), SharedConfig(parsed.value(), AwsConfigFile()),
                                                  QStringLiteral("p"), Environment::fromMap(map, QString()), region);
        QVERIFY2(endpoint.ok(), endpoint.ok() ? "" : qPrintable(endpoint.error().message));
        QCOMPARE(endpoint.value().url.toString(), url);
    }

    void profileKinds_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("kind");
        QTest::newRow("keys") << "base" << "keys";
        QTest::newRow("role") << "r3" << "role";
        QTest::newRow("env role") << "from-env" << "role";
        QTest::newRow("web") << "web" << "web identity";
        QTest::newRow("sso") << "sso" << "SSO";
        QTest::newRow("legacy sso") << "sso-legacy" << "SSO";
    }
    void profileKinds()
    {
        QFETCH(QString, profile);
        QFETCH(QString, kind);
        QCOMPARE(profileKindName(profileKind(files(env()), profile)), kind);
    }

    // 10-second credentials and a 45-second send: the refresher renews them before they expire
    // (after half their lifetime) and no request fails. Without the refresher the sandbox refuses
    // them after 10 s.
    void expiryDuringLongSend()
    {
        m_sandbox->identity().setCredentialLifetimeCap(10);
        const Environment e = env();
        auto first = resolve(QStringLiteral("r1"), e);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QVERIFY(QDateTime::currentDateTimeUtc().secsTo(*first.value().expiration) <= 10);

        net::ClientOptions options;
        options.endpoint = m_url;
        options.credentials = first.value();
        net::KinesisClient client(options);
        int refreshed = 0;
        ProfileCredentialsProvider provider(files(e), e);
        CredentialsRefresher refresher([&provider](auto done) { provider.resolve(QStringLiteral("r1"), done); });
        connect(&refresher, &CredentialsRefresher::credentialsRefreshed, this, [&](const Credentials &fresh) {
            client.setCredentials(fresh);
            ++refreshed;
        });
        if (!qEnvironmentVariableIsSet("KWB_SIGNIN_NO_REFRESH")) // for checking that the test can fail
            refresher.track(first.value());

        std::optional<Result<void>> created;
        client.createStream(QStringLiteral("signin-expiry"), 1, this, [&](Result<void> r) { created = r; });
        QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), 10000);
        QVERIFY2(created->ok(), created->ok() ? "" : qPrintable(created->error().message));

        const qint64 end = QDateTime::currentMSecsSinceEpoch() + 45 * 1000;
        int sent = 0;
        int failed = 0;
        QString firstFailure;
        bool inFlight = false;
        while (QDateTime::currentMSecsSinceEpoch() < end) {
            if (!inFlight) {
                inFlight = true;
                std::vector<Record> records(10);
                for (size_t i = 0; i < records.size(); ++i) {
                    records[i].partitionKey = QStringLiteral("k%1").arg(sent + int(i));
                    records[i].data = QByteArray("payload");
                }
                client.putRecords(QStringLiteral("signin-expiry"), records, this, [&](Result<net::PutRecordsResult> r) {
                    inFlight = false;
                    if (!r.ok() || r.value().failedRecordCount > 0) {
                        ++failed;
                        if (firstFailure.isEmpty())
                            firstFailure = r.ok() ? QStringLiteral("record failures") : r.error().toString();
                    } else {
                        sent += 10;
                    }
                });
            }
            QTest::qWait(250);
        }
        m_sandbox->identity().setCredentialLifetimeCap(0);
        QVERIFY2(failed == 0, qPrintable(QStringLiteral("%1 failed requests, first: %2").arg(failed).arg(firstFailure)));
        QVERIFY2(sent >= 400, qPrintable(QString::number(sent))); // 40 a second when nothing is slow
        QVERIFY2(refreshed >= 4, qPrintable(QString::number(refreshed)));
    }

    // The command line: kwb whoami with role and MFA profiles, kwb sso login with the device flow.
    void cli_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("output");
        QTest::newRow("whoami role chain") << QStringList{"whoami", "--profile", "r3", "--output", "json"} << 0
                                           << "\"Arn\": \"arn:aws:sts::333344445555:assumed-role/Writer/hop3\"";
        QTest::newRow("whoami MFA code option") << QStringList{"whoami", "--profile", "mfa", "--mfa-code", "123456"} << 0
                                                << "arn:aws:sts::111122223333:assumed-role/Admin/alice";
        QTest::newRow("whoami wrong MFA code") << QStringList{"whoami", "--profile", "mfa", "--mfa-code", "000000"} << 1
                                               << "MFA code was wrong";
        QTest::newRow("whoami MFA, no terminal") << QStringList{"whoami", "--profile", "mfa"} << 2 << "--mfa-code";
        QTest::newRow("whoami no SSO sign-in") << QStringList{"whoami", "--profile", "sso"} << 2 << "kwb sso login --profile sso";
    }
    void cli()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, output);
        QProcess process;
        QProcessEnvironment pe = env().variables;
        pe.insert(QStringLiteral("HOME"), m_home->path());
        process.setProcessEnvironment(pe);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"), arguments);
        QVERIFY(process.waitForFinished(60000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
        m_seenMessages.append(out);
        QVERIFY2(out.contains(output), qPrintable(out));
        QCOMPARE(process.exitCode(), exitCode);
    }

    // An MFA code on the command line is a secret while it is valid: kwb takes it out of its
    // process list entry as it starts (read here from /proc/PID/cmdline while kwb waits for an STS
    // endpoint that never answers), and still sends it (seen in the AssumeRole request). The same
    // code in KWB_MFA_CODE works as the option does.
    void mfaCodeStaysOutOfTheProcessList()
    {
        QTcpServer silent; // accepts, reads, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QByteArray received;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = silent.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [&received, socket] { received += socket->readAll(); });
        });
        QProcess process;
        QProcessEnvironment pe = env({{QStringLiteral("AWS_ENDPOINT_URL"),
                                       QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())}})
                                     .variables;
        pe.insert(QStringLiteral("HOME"), m_home->path());
        process.setProcessEnvironment(pe);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
                      {QStringLiteral("--mfa-code"), QStringLiteral("314159"), QStringLiteral("whoami"), QStringLiteral("--profile"),
                       QStringLiteral("mfa"), QStringLiteral("--timeout"), QStringLiteral("30")});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(received.contains("TokenCode=314159"), 20000);
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(process.processId()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray shown = cmdline.readAll();
        QVERIFY2(shown.contains("whoami"), shown.constData());
        QVERIFY2(!shown.contains("314159"), shown.constData());
        process.kill();
        process.waitForFinished();

        QProcess fromEnvironment;
        QProcessEnvironment pe2 = env().variables;
        pe2.insert(QStringLiteral("HOME"), m_home->path());
        pe2.insert(QStringLiteral("KWB_MFA_CODE"), QStringLiteral("123456"));
        fromEnvironment.setProcessEnvironment(pe2);
        fromEnvironment.setStandardInputFile(QProcess::nullDevice());
        fromEnvironment.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
                              {QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("mfa")});
        QVERIFY(fromEnvironment.waitForFinished(60000));
        const QString out = QString::fromUtf8(fromEnvironment.readAllStandardOutput() + fromEnvironment.readAllStandardError());
        QVERIFY2(out.contains(QStringLiteral("arn:aws:sts::111122223333:assumed-role/Admin/alice")), qPrintable(out));
        QCOMPARE(fromEnvironment.exitCode(), 0);
    }

    void cliSsoLogin()
    {
        m_sandbox->identity().setAutoApproveDevices(true);
        QProcess process;
        QProcessEnvironment pe = env().variables;
        pe.insert(QStringLiteral("HOME"), m_home->path());
        process.setProcessEnvironment(pe);
        process.start(qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb"),
                      {QStringLiteral("sso"), QStringLiteral("login"), QStringLiteral("--profile"), QStringLiteral("sso"),
                       QStringLiteral("--no-browser")});
        QVERIFY(process.waitForFinished(60000));
        m_sandbox->identity().setAutoApproveDevices(false);
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(process.exitCode() == 0, qPrintable(out + QString::fromUtf8(process.readAllStandardError())));
        static const QRegularExpression code(QStringLiteral("\\?user_code=([B-Z]{4}-[B-Z]{4})"));
        const auto match = code.match(out);
        QVERIFY2(match.hasMatch(), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("    ") + match.captured(1) + QLatin1Char('\n')));
        QVERIFY(QFileInfo::exists(cachePath(QStringLiteral("my-sso"))));
        // The AWS CLI and the JavaScript SDK use the token kwb cached.
        const Environment e = env();
        const auto credentials = resolve(QStringLiteral("sso"), e);
        QVERIFY2(credentials.ok(), credentials.ok() ? "" : qPrintable(credentials.error().message));
        const auto identity = whoAmI(credentials.value(), e);
        QVERIFY(identity.ok());
        compareWithOracles(QStringLiteral("sso"), e, identity.value());
    }

    // kwb put for ~25 s with 10-second credentials of a role profile: kwb renews them and every
    // record succeeds (without the renewal the sandbox refuses them after 10 s).
    void cliLongPutRenewsCredentials()
    {
        m_sandbox->identity().setCredentialLifetimeCap(10);
        m_sandbox->setLimitScale(0.05); // 50 records/s per shard, which the sandbox advertises; kwb paces at 40 % of it = 20/s
        QFile input(m_home->path() + QStringLiteral("/records.txt"));
        QVERIFY(input.open(QIODevice::WriteOnly));
        for (int i = 0; i < 500; ++i)
            input.write(QByteArray("record ") + QByteArray::number(i) + '\n');
        input.close();
        QProcess process;
        QProcessEnvironment pe = env().variables;
        pe.insert(QStringLiteral("HOME"), m_home->path());
        process.setProcessEnvironment(pe);
        const QString kwb = qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app/kwb");
        process.start(kwb, {QStringLiteral("create-stream"), QStringLiteral("signin-cli"), QStringLiteral("--shards"),
                            QStringLiteral("1"), QStringLiteral("--wait"), QStringLiteral("--profile"), QStringLiteral("r1")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const QString results = m_home->path() + QStringLiteral("/results.jsonl");
        process.start(kwb, {QStringLiteral("put"), QStringLiteral("--stream"), QStringLiteral("signin-cli"), input.fileName(),
                            QStringLiteral("--format"), QStringLiteral("lines"), QStringLiteral("--partition-key-strategy"),
                            QStringLiteral("index"), QStringLiteral("--rate"), QStringLiteral("40"), QStringLiteral("--results"),
                            results, QStringLiteral("--profile"), QStringLiteral("r1")});
        const bool finished = process.waitForFinished(180000);
        m_sandbox->identity().setCredentialLifetimeCap(0);
        m_sandbox->setLimitScale(1.0);
        QVERIFY(finished);
        const QString out = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
        m_seenMessages.append(out);
        QVERIFY2(process.exitCode() == 0, qPrintable(out));
        QFile written(results);
        QVERIFY(written.open(QIODevice::ReadOnly));
        int succeeded = 0;
        int rows = 0;
        while (!written.atEnd()) {
            const QByteArray line = written.readLine();
            if (line.trimmed().isEmpty())
                continue;
            ++rows;
            if (QJsonDocument::fromJson(line).object().value(QStringLiteral("status")).toString() == QLatin1String("succeeded"))
                ++succeeded;
        }
        QCOMPARE(rows, 500);
        QCOMPARE(succeeded, 500);
    }

    // resolveConnection (what the GUI and kwb use) takes role profiles through the same providers.
    void connectionSettings()
    {
        ConnectionOptions options;
        options.profile = QStringLiteral("r1");
        options.endpointUrl = m_url.toString();
        const auto settings = resolveConnection(options, env());
        QVERIFY2(settings.ok(), settings.ok() ? "" : qPrintable(settings.error().message));
        QVERIFY(settings.value().credentials.expiration.has_value());
        QVERIFY(settings.value().credentials.source.contains(QStringLiteral("assumed-role/Reader/kwb-test")));
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(nullptr);
        qInfo("flows also checked with the AWS CLI: %d", m_awsCliChecks);
        // No error message quoted a secret or a token of the fixtures.
        for (const QString &message : std::as_const(m_seenMessages)) {
            for (const QString &secret : {kBaseSecret, QStringLiteral("FIXTURE"), QStringLiteral("env-secret")})
                QVERIFY2(!message.contains(secret), qPrintable(message));
        }
        QVERIFY(!m_seenMessages.isEmpty());
        // Nor did any log line, with every kwb category at debug level.
        QVERIFY(g_logLines.size() > 5);
        for (const QString &line : std::as_const(g_logLines)) {
            for (const QString &secret : {kBaseSecret, QStringLiteral("FIXTURE"), QStringLiteral("env-secret")})
                QVERIFY2(!line.contains(secret), qPrintable(line));
            for (const QString &secret : std::as_const(m_issuedSecrets))
                QVERIFY2(secret.isEmpty() || !line.contains(secret), qPrintable(line));
        }
        for (const QString &message : std::as_const(m_seenMessages))
            for (const QString &secret : std::as_const(m_issuedSecrets))
                QVERIFY2(secret.isEmpty() || !message.contains(secret), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
