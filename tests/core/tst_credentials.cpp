// The credentials chain (explicit > environment > profile keys > credential_process), the
// credential_process runner and the resolveConnection() façade. Fixtures: tests/data/aws-config/
// and, for credential_process, small shell scripts written to a QTemporaryDir. Every secret used
// here contains "s3cr3t" and every token "t0k3n": no error or log line may contain either.
#include "aws/ConnectionSettings.h"
#include "aws/CredentialProcess.h"
#include "aws/CredentialsChain.h"
#include "aws/Environment.h"
#include "aws/SharedConfig.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::aws;
using namespace std::chrono_literals;

namespace {

QStringList s_log;
QtMessageHandler s_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    s_log.append(message);
    if (type != QtDebugMsg && s_previousHandler)
        s_previousHandler(type, context, message);
}

bool containsSecret(const QString &text)
{
    return text.contains(QLatin1String("s3cr3t"), Qt::CaseInsensitive)
        || text.contains(QLatin1String("t0k3n"), Qt::CaseInsensitive);
}

QString fixture(const QString &name)
{
    return QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("aws-config/") + name);
}

/// Only these variables (plus PATH, so scripts find their tools) and a home without ~/.aws.
Environment makeEnv(QMap<QString, QString> variables = {})
{
    variables.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH", QStringLiteral("/usr/bin:/bin")));
    return Environment::fromMap(variables, QStringLiteral("/nonexistent/home"));
}

Environment fixtureEnv(QMap<QString, QString> variables = {})
{
    variables.insert(QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("config")));
    variables.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), fixture(QStringLiteral("credentials")));
    return makeEnv(variables);
}

const QString kProcessJson = QStringLiteral(
    R"({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "s3cr3t-process",)"
    R"( "SessionToken": "t0k3n-process", "Expiration": "2030-01-02T03:04:05Z"})");

} // namespace

#define VERIFY_NO_SECRETS(text)                                                                      \
    do {                                                                                             \
        const QString checked_ = (text);                                                             \
        QVERIFY2(!containsSecret(checked_), qPrintable(QStringLiteral("secret leaked: ") + checked_)); \
    } while (false)

#define VERIFY_ERROR_NO_SECRETS(error)                                                               \
    do {                                                                                             \
        VERIFY_NO_SECRETS((error).message);                                                          \
        VERIFY_NO_SECRETS((error).code);                                                             \
        VERIFY_NO_SECRETS((error).toString());                                                       \
    } while (false)

class TstCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void precedence_data();
    void precedence();
    void profileSelection_data();
    void profileSelection();
    void explicitProfileIgnoresEnvironmentCredentials();
    void configFileProfiles();
    void credentialsFileWins();
    void filesReadOnlyWhenNeeded();
    void namedProfileMissing_data();
    void namedProfileMissing();
    void nothingFound();
    void incomplete_data();
    void incomplete();
    void ssoProfileIncomplete();
    void continuationLines();

    void splitCommandLine_data();
    void splitCommandLine();
    void splitCommandLineErrors_data();
    void splitCommandLineErrors();
    void parseOutput_data();
    void parseOutput();
    void processSuccess();
    void processQuotingAndEnvironment();
    void processFailures_data();
    void processFailures();
    void processTimeout();

    void connection();
    void connectionAnonymousFallback_data();
    void connectionAnonymousFallback();
    void connectionErrors_data();
    void connectionErrors();
    void redactedDebugOutput();

private:
    /// Writes an executable script into m_dir and returns its path.
    QString writeScript(const QString &name, const QByteArray &body, bool executable = true);
    /// Writes a file into m_dir and returns its path.
    QString writeFile(const QString &name, const QByteArray &content);
    /// A config file with one [default] profile whose credential_process is `commandLine`.
    Environment processEnv(const QString &commandLine, QMap<QString, QString> variables = {});

    QTemporaryDir m_dir;
};

void TstCredentials::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(fixture(QStringLiteral("config"))), qPrintable(fixture(QStringLiteral("config"))));
    QLoggingCategory::setFilterRules(QStringLiteral("kwb.*.debug=true"));
    s_previousHandler = qInstallMessageHandler(captureMessage);
}

void TstCredentials::cleanupTestCase()
{
    qInstallMessageHandler(s_previousHandler);
    QVERIFY2(!s_log.isEmpty(), "the kwb.credentials debug output was expected to say something");
    for (const QString &line : std::as_const(s_log))
        VERIFY_NO_SECRETS(line);
}

QString TstCredentials::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

QString TstCredentials::writeScript(const QString &name, const QByteArray &body, bool executable)
{
    const QString path = writeFile(name, "#!/bin/sh\n" + body);
    if (executable) {
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                        | QFileDevice::ReadGroup | QFileDevice::ExeGroup);
    }
    return path;
}

Environment TstCredentials::processEnv(const QString &commandLine, QMap<QString, QString> variables)
{
    static int counter = 0;
    const QString config = writeFile(QStringLiteral("process-config-%1").arg(++counter),
                                     "# credential_process fixture\n[default]\ncredential_process = "
                                         + commandLine.toUtf8() + "\n");
    variables.insert(QStringLiteral("AWS_CONFIG_FILE"), config);
    return makeEnv(variables);
}

// ---------------------------------------------------------------------------------------------
// The chain

void TstCredentials::precedence_data()
{
    QTest::addColumn<bool>("explicitKeys");
    QTest::addColumn<bool>("environment");
    QTest::addColumn<bool>("credentialsFile");
    QTest::addColumn<bool>("configFile");
    QTest::addColumn<bool>("process");
    QTest::addColumn<QString>("accessKeyId");
    QTest::addColumn<QString>("source");

    QTest::newRow("all: explicit") << true << true << true << true << true << "AKIDEXPLICIT" << "explicit";
    QTest::newRow("env over files") << false << true << true << true << true << "AKIDENV" << "environment";
    QTest::newRow("credentials file over config file")
        << false << false << true << true << true << "AKIDCREDSFILE" << "profile default (";
    QTest::newRow("config file over process") << false << false << false << true << true << "AKIDCONFIGFILE"
                                              << "profile default (";
    QTest::newRow("process last") << false << false << false << false << true << "AKIDPROCESS"
                                  << "credential_process of profile \"default\" (";
    QTest::newRow("explicit alone") << true << false << false << false << false << "AKIDEXPLICIT" << "explicit";
    QTest::newRow("env alone") << false << true << false << false << false << "AKIDENV" << "environment";
}

void TstCredentials::precedence()
{
    QFETCH(bool, explicitKeys);
    QFETCH(bool, environment);
    QFETCH(bool, credentialsFile);
    QFETCH(bool, configFile);
    QFETCH(bool, process);
    QFETCH(QString, accessKeyId);
    QFETCH(QString, source);

    const QString script = writeScript(QStringLiteral("precedence.sh"), "printf '%s' '" + kProcessJson.toUtf8() + "'\n");
    QByteArray config = "[default]\n";
    if (configFile)
        config += "aws_access_key_id = AKIDCONFIGFILE\naws_secret_access_key = s3cr3t-config-file\n";
    if (process)
        config += "credential_process = " + script.toUtf8() + "\n";
    QByteArray credentials = "[default]\n";
    if (credentialsFile)
        credentials += "aws_access_key_id = AKIDCREDSFILE\naws_secret_access_key = s3cr3t-creds-file\n";

    QMap<QString, QString> variables{
        {QStringLiteral("AWS_CONFIG_FILE"), writeFile(QStringLiteral("precedence-config"), config)},
        {QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), writeFile(QStringLiteral("precedence-credentials"), credentials)}};
    if (environment) {
        variables.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV"));
        variables.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s3cr3t-env"));
        variables.insert(QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("t0k3n-env"));
    }
    CredentialsChain chain(makeEnv(variables));
    if (explicitKeys)
        chain.setExplicitCredentials(QStringLiteral("AKIDEXPLICIT"), QStringLiteral("s3cr3t-explicit"));

    const auto credentials_ = chain.resolve();
    QVERIFY2(credentials_.ok(), qPrintable(credentials_.ok() ? QString() : credentials_.error().message));
    const Credentials &found = credentials_.value();
    QCOMPARE(found.accessKeyId, accessKeyId);
    QVERIFY2(found.source.startsWith(source), qPrintable(found.source));
    QVERIFY(!found.isEmpty());
    if (accessKeyId == QLatin1String("AKIDENV"))
        QCOMPARE(found.sessionToken, QStringLiteral("t0k3n-env"));
    if (accessKeyId == QLatin1String("AKIDEXPLICIT")) {
        QCOMPARE(found.secretAccessKey, QStringLiteral("s3cr3t-explicit"));
        QVERIFY(found.sessionToken.isEmpty()); // never mixed with the environment's token
    }
}

void TstCredentials::profileSelection_data()
{
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QString>("accessKeyId");
    QTest::addColumn<QString>("sessionToken");

    QTest::newRow("default") << "" << "" << "AKIDCREDSDEFAULT" << "";
    QTest::newRow("AWS_PROFILE") << "" << "dev" << "AKIDCREDSDEV" << "t0k3n-creds-dev";
    QTest::newRow("explicit") << "creds-only" << "" << "AKIDCREDSONLY" << "";
    QTest::newRow("explicit beats AWS_PROFILE") << "creds-only" << "dev" << "AKIDCREDSONLY" << "";
    QTest::newRow("explicit default beats AWS_PROFILE") << "default" << "dev" << "AKIDCREDSDEFAULT" << "";
}

void TstCredentials::profileSelection()
{
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsProfile);
    QFETCH(QString, accessKeyId);
    QFETCH(QString, sessionToken);

    CredentialsChain chain(fixtureEnv({{QStringLiteral("AWS_PROFILE"), awsProfile}}));
    chain.setProfile(explicitProfile);
    const auto found = chain.resolve();
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().message));
    QCOMPARE(found.value().accessKeyId, accessKeyId);
    QCOMPARE(found.value().sessionToken, sessionToken);
}

void TstCredentials::explicitProfileIgnoresEnvironmentCredentials()
{
    const QMap<QString, QString> envKeys{{QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV")},
                                         {QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s3cr3t-env")},
                                         {QStringLiteral("AWS_PROFILE"), QStringLiteral("dev")}};
    // AWS_PROFILE does not outrank the environment's keys...
    CredentialsChain byVariable(fixtureEnv(envKeys));
    QCOMPARE(byVariable.resolve().value().accessKeyId, QStringLiteral("AKIDENV"));

    // ...but a profile chosen explicitly does, as with `aws --profile dev`.
    CredentialsChain byChoice(fixtureEnv(envKeys));
    byChoice.setProfile(QStringLiteral("dev"));
    QCOMPARE(byChoice.resolve().value().accessKeyId, QStringLiteral("AKIDCREDSDEV"));

    // Explicit keys still beat an explicit profile.
    byChoice.setExplicitCredentials(QStringLiteral("AKIDEXPLICIT"), QStringLiteral("s3cr3t-explicit"));
    QCOMPARE(byChoice.resolve().value().accessKeyId, QStringLiteral("AKIDEXPLICIT"));
}

void TstCredentials::configFileProfiles()
{
    // [profile dev] in the config file, no credentials file at all.
    CredentialsChain chain(makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("config"))},
                                    {QStringLiteral("AWS_PROFILE"), QStringLiteral("dev")}}));
    const auto found = chain.resolve();
    QVERIFY(found.ok());
    QCOMPARE(found.value().accessKeyId, QStringLiteral("AKIDCONFIGDEV"));
    QCOMPARE(found.value().secretAccessKey, QStringLiteral("s3cr3t-config-dev"));
    QCOMPARE(found.value().source, QStringLiteral("profile dev (%1:10)").arg(fixture(QStringLiteral("config"))));

    // [bare] in the config file is not a profile.
    chain.setProfile(QStringLiteral("bare"));
    const auto bare = chain.resolve();
    QVERIFY(!bare.ok());
    QCOMPARE(bare.error().code, QStringLiteral("ProfileNotFound"));
    QVERIFY2(bare.error().message.contains(QStringLiteral("[profile bare]")), qPrintable(bare.error().message));
    VERIFY_ERROR_NO_SECRETS(bare.error());
}

void TstCredentials::credentialsFileWins()
{
    CredentialsChain chain(fixtureEnv());
    chain.setProfile(QStringLiteral("dev"));
    const auto found = chain.resolve();
    QVERIFY(found.ok());
    QCOMPARE(found.value().accessKeyId, QStringLiteral("AKIDCREDSDEV"));
    QCOMPARE(found.value().secretAccessKey, QStringLiteral("s3cr3t-creds-dev"));
    QCOMPARE(found.value().sessionToken, QStringLiteral("t0k3n-creds-dev"));
    QCOMPARE(found.value().source, QStringLiteral("profile dev (%1:7)").arg(fixture(QStringLiteral("credentials"))));
    QVERIFY(!found.value().expiration);
}

void TstCredentials::filesReadOnlyWhenNeeded()
{
    const QMap<QString, QString> broken{{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("broken-garbage-line"))}};
    CredentialsChain chain(makeEnv(broken));
    chain.setExplicitCredentials(QStringLiteral("AKIDEXPLICIT"), QStringLiteral("s3cr3t-explicit"));
    QVERIFY(chain.resolve().ok());

    CredentialsChain fallsThrough(makeEnv(broken));
    const auto failed = fallsThrough.resolve();
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, QStringLiteral("ConfigFileSyntax"));
    QVERIFY(failed.error().message.startsWith(fixture(QStringLiteral("broken-garbage-line")) + QStringLiteral(":3: ")));
    VERIFY_ERROR_NO_SECRETS(failed.error());
}

void TstCredentials::namedProfileMissing_data()
{
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QString>("from");

    QTest::newRow("explicit") << "nope" << "" << "explicit setting";
    QTest::newRow("AWS_PROFILE") << "" << "nope" << "AWS_PROFILE";
}

void TstCredentials::namedProfileMissing()
{
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsProfile);
    QFETCH(QString, from);

    CredentialsChain chain(fixtureEnv({{QStringLiteral("AWS_PROFILE"), awsProfile}}));
    chain.setProfile(explicitProfile);
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    const Error &error = found.error();
    QCOMPARE(error.kind, Error::Kind::Config);
    QCOMPARE(error.code, QStringLiteral("ProfileNotFound"));
    QVERIFY2(error.message.contains(QStringLiteral("\"nope\" (from %1)").arg(from)), qPrintable(error.message));
    QVERIFY(error.message.contains(fixture(QStringLiteral("config"))));
    QVERIFY(error.message.contains(fixture(QStringLiteral("credentials"))));
    VERIFY_ERROR_NO_SECRETS(error);
}

void TstCredentials::nothingFound()
{
    CredentialsChain chain(makeEnv());
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    const Error &error = found.error();
    QCOMPARE(error.kind, Error::Kind::Config);
    QCOMPARE(error.code, QStringLiteral("NoCredentials"));
    for (const QString &phrase : {QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("profile \"default\""),
                                  QStringLiteral("~/.aws/credentials (not found) and ~/.aws/config (not found)"),
                                  QStringLiteral("aws configure")}) {
        QVERIFY2(error.message.contains(phrase), qPrintable(error.message));
    }

    // A profile that exists but has no credentials: still nothing found, and said so.
    CredentialsChain china(fixtureEnv());
    china.setProfile(QStringLiteral("china"));
    const auto none = china.resolve();
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, QStringLiteral("NoCredentials"));
    QVERIFY2(none.error().message.contains(QStringLiteral("no aws_access_key_id")), qPrintable(none.error().message));
    QVERIFY(none.error().message.contains(QStringLiteral("ignored because a profile was chosen explicitly")));
    VERIFY_ERROR_NO_SECRETS(none.error());
}

void TstCredentials::incomplete_data()
{
    QTest::addColumn<QStringList>("explicitKeys"); // id, secret, token
    QTest::addColumn<QString>("envKeyId");
    QTest::addColumn<QString>("envSecret");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("phrase");

    QTest::newRow("explicit id only") << QStringList({"AKIDX", "", ""}) << "" << "" << ""
                                      << "an access key id was given";
    QTest::newRow("explicit secret only") << QStringList({"", "s3cr3t-explicit", ""}) << "" << "" << ""
                                          << "a secret access key was given";
    QTest::newRow("explicit token only") << QStringList({"", "", "t0k3n-explicit"}) << "" << "" << ""
                                         << "only a session token was given";
    QTest::newRow("env id only") << QStringList({"", "", ""}) << "AKIDENV" << "" << ""
                                 << "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not";
    QTest::newRow("env secret only") << QStringList({"", "", ""}) << "" << "s3cr3t-env" << ""
                                     << "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not";
    QTest::newRow("profile id only") << QStringList({"", "", ""}) << "" << "" << "half"
                                     << "sets aws_access_key_id, but neither";
}

void TstCredentials::incomplete()
{
    QFETCH(QStringList, explicitKeys);
    QFETCH(QString, envKeyId);
    QFETCH(QString, envSecret);
    QFETCH(QString, profile);
    QFETCH(QString, phrase);

    CredentialsChain chain(fixtureEnv({{QStringLiteral("AWS_ACCESS_KEY_ID"), envKeyId},
                                       {QStringLiteral("AWS_SECRET_ACCESS_KEY"), envSecret},
                                       {QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("t0k3n-env")}}));
    chain.setExplicitCredentials(explicitKeys.at(0), explicitKeys.at(1), explicitKeys.at(2));
    chain.setProfile(profile);
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    QCOMPARE(found.error().kind, Error::Kind::Config);
    QCOMPARE(found.error().code, QStringLiteral("IncompleteCredentials"));
    QVERIFY2(found.error().message.contains(phrase), qPrintable(found.error().message));
    VERIFY_ERROR_NO_SECRETS(found.error());
}

void TstCredentials::ssoProfileIncomplete()
{
    CredentialsChain chain(fixtureEnv());
    chain.setProfile(QStringLiteral("sso"));
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    // The fixture's SSO profile lacks sso_role_name (and its session sso_region): the error says
    // which profile, where, and what to add. (Full SSO flows: tests/integration/tst_signin.)
    QCOMPARE(found.error().code, QStringLiteral("NoRegion"));
    QVERIFY2(found.error().message.contains(QStringLiteral("[sso-session corp]")), qPrintable(found.error().message));
    QVERIFY2(found.error().message.contains(QStringLiteral("%1:38").arg(fixture(QStringLiteral("config")))),
             qPrintable(found.error().message));
    QVERIFY(found.error().message.contains(QStringLiteral("sso_region")));
    VERIFY_ERROR_NO_SECRETS(found.error());
}

void TstCredentials::continuationLines()
{
    const Environment env = makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("continued-values"))}});
    const QString config = fixture(QStringLiteral("continued-values"));

    const auto region = resolveRegion({}, env);
    QVERIFY(!region.ok());
    QCOMPARE(region.error().code, QStringLiteral("InvalidRegion"));
    QVERIFY2(region.error().message.contains(QStringLiteral("\"eu-west-1...\" (from profile default (%1:3))").arg(config)),
             qPrintable(region.error().message));
    QVERIFY(region.error().message.contains(QStringLiteral("remove the indentation")));
    VERIFY_ERROR_NO_SECRETS(region.error());

    CredentialsChain chain(env);
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    QCOMPARE(found.error().code, QStringLiteral("InvalidCredentials"));
    QVERIFY2(found.error().message.contains(QStringLiteral("aws_secret_access_key of profile \"default\" (%1:6)").arg(config)),
             qPrintable(found.error().message));
    VERIFY_ERROR_NO_SECRETS(found.error());
}

// ---------------------------------------------------------------------------------------------
// credential_process

void TstCredentials::splitCommandLine_data()
{
    QTest::addColumn<QString>("commandLine");
    QTest::addColumn<QStringList>("words");

    QTest::newRow("plain") << "/usr/bin/helper --profile dev" << QStringList({"/usr/bin/helper", "--profile", "dev"});
    QTest::newRow("blanks") << "  a \t b  " << QStringList({"a", "b"});
    QTest::newRow("single quotes") << "'/opt/my tools/helper' 'a \"b\" \\c'"
                                   << QStringList({"/opt/my tools/helper", "a \"b\" \\c"});
    QTest::newRow("double quotes") << "\"/opt/my tools/helper\" \"say \\\"hi\\\" \\\\ \\n\""
                                   << QStringList({"/opt/my tools/helper", "say \"hi\" \\ \\n"});
    QTest::newRow("backslash outside") << "a\\ b c\\\"d" << QStringList({"a b", "c\"d"});
    QTest::newRow("joined") << "pre'mid dle'\"post\"x" << QStringList({"premid dlepostx"});
    QTest::newRow("empty word") << "cmd '' \"\"" << QStringList({"cmd", "", ""});
    QTest::newRow("no shell syntax") << "cmd $HOME * ; | >x" << QStringList({"cmd", "$HOME", "*", ";", "|", ">x"});
}

void TstCredentials::splitCommandLine()
{
    QFETCH(QString, commandLine);
    QFETCH(QStringList, words);
    const auto split = CredentialProcess::splitCommandLine(commandLine);
    QVERIFY2(split.ok(), qPrintable(split.ok() ? QString() : split.error().message));
    QCOMPARE(split.value(), words);
}

void TstCredentials::splitCommandLineErrors_data()
{
    QTest::addColumn<QString>("commandLine");
    QTest::addColumn<QString>("phrase");

    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("blank") << "   " << "empty";
    QTest::newRow("empty program") << "'' arg" << "empty";
    QTest::newRow("open single") << "cmd 's3cr3t" << "unterminated ' quote";
    QTest::newRow("open double") << "cmd \"s3cr3t" << "unterminated \" quote";
    QTest::newRow("trailing backslash") << "cmd s3cr3t\\" << "ends with a backslash";
}

void TstCredentials::splitCommandLineErrors()
{
    QFETCH(QString, commandLine);
    QFETCH(QString, phrase);
    const auto split = CredentialProcess::splitCommandLine(commandLine);
    QVERIFY(!split.ok());
    QCOMPARE(split.error().kind, Error::Kind::Config);
    QVERIFY2(split.error().message.contains(phrase), qPrintable(split.error().message));
    VERIFY_ERROR_NO_SECRETS(split.error());
}

void TstCredentials::parseOutput_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("sessionToken");
    QTest::addColumn<QDateTime>("expiration"); // invalid: none

    const QDateTime when(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
    QTest::newRow("minimal") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a"})")
                             << "" << QDateTime();
    QTest::newRow("token null") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a","SessionToken":null})")
                                << "" << QDateTime();
    QTest::newRow("zulu") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a","SessionToken":"t0k3n-a","Expiration":"2030-01-02T03:04:05Z"})")
                          << "t0k3n-a" << when;
    QTest::newRow("milliseconds") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a","Expiration":"2030-01-02T03:04:05.250Z"})")
                                  << "" << when.addMSecs(250);
    QTest::newRow("offset") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a","Expiration":"2030-01-02T05:04:05+02:00"})")
                            << "" << when;
    QTest::newRow("no zone is UTC") << QByteArray(R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t-a","Expiration":"2030-01-02T03:04:05"})")
                                    << "" << when;
    QTest::newRow("extra fields and blanks") << QByteArray("\n  {\"Version\": 1.0, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"s3cr3t-a\", \"Other\": [1]}\n\n")
                                             << "" << QDateTime();
}

void TstCredentials::parseOutput()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, sessionToken);
    QFETCH(QDateTime, expiration);

    const auto parsed = CredentialProcess::parseOutput(output, QStringLiteral("the helper"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed.value().accessKeyId, QStringLiteral("AKID"));
    QCOMPARE(parsed.value().secretAccessKey, QStringLiteral("s3cr3t-a"));
    QCOMPARE(parsed.value().sessionToken, sessionToken);
    QCOMPARE(parsed.value().source, QStringLiteral("the helper"));
    QCOMPARE(bool(parsed.value().expiration), expiration.isValid());
    if (expiration.isValid()) {
        QCOMPARE(*parsed.value().expiration, expiration);
        QCOMPARE(parsed.value().expiration->timeSpec(), Qt::UTC);
        QVERIFY(!parsed.value().isExpired(expiration.addSecs(-1)));
        QVERIFY(parsed.value().isExpired(expiration));
    }
}

void TstCredentials::processSuccess()
{
    const QString script = writeScript(QStringLiteral("ok.sh"), "printf '%s\\n' '" + kProcessJson.toUtf8() + "'\n");
    CredentialsChain chain(processEnv(script));
    const auto found = chain.resolve();
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().message));
    const Credentials &credentials = found.value();
    QCOMPARE(credentials.accessKeyId, QStringLiteral("AKIDPROCESS"));
    QCOMPARE(credentials.secretAccessKey, QStringLiteral("s3cr3t-process"));
    QCOMPARE(credentials.sessionToken, QStringLiteral("t0k3n-process"));
    QVERIFY(credentials.expiration);
    QCOMPARE(*credentials.expiration, QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QVERIFY2(credentials.source.startsWith(QStringLiteral("credential_process of profile \"default\" (")),
             qPrintable(credentials.source));
    QVERIFY2(credentials.source.endsWith(QStringLiteral(":3)")), qPrintable(credentials.source));
}

void TstCredentials::processQuotingAndEnvironment()
{
    // A path with a blank, quoted arguments, and the injected environment reaching the process.
    const QString script = writeScript(
        QStringLiteral("with space/args helper.sh"),
        "[ \"$1\" = 'arg one' ] || { echo \"bad first argument: $1\" >&2; exit 7; }\n"
        "[ \"$2\" = 'two\"quoted' ] || { echo \"bad second argument: $2\" >&2; exit 8; }\n"
        "[ \"$#\" = 2 ] || exit 9\n"
        "printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"s3cr3t-args\"}' \"$KWB_FAKE_KEY_ID\"\n");
    const QString commandLine = QStringLiteral("'%1' 'arg one' \"two\\\"quoted\"").arg(script);
    CredentialsChain chain(processEnv(commandLine, {{QStringLiteral("KWB_FAKE_KEY_ID"), QStringLiteral("AKIDFROMENV")}}));
    const auto found = chain.resolve();
    QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().message));
    QCOMPARE(found.value().accessKeyId, QStringLiteral("AKIDFROMENV"));
}

void TstCredentials::processFailures_data()
{
    QTest::addColumn<QByteArray>("body"); // script body; empty: see commandLine
    QTest::addColumn<bool>("executable");
    QTest::addColumn<QString>("commandLine"); // empty: the script itself
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("phrases");

    const QString failed = QStringLiteral("CredentialProcessFailed");
    const QString output = QStringLiteral("CredentialProcessOutput");
    QTest::newRow("exit code with stderr")
        << QByteArray("printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s3cr3t-exit\", "
                      "\"SessionToken\": \"t0k3n-exit\"}'\n"
                      "echo 'helper: login expired' >&2\necho 'leaked s3cr3t-exit and t0k3n-exit' >&2\nexit 3\n")
        << true << "" << failed << QStringList({"exited with code 3", "helper: login expired", "leaked **** and ****"});
    QTest::newRow("exit code silent") << QByteArray("exit 1\n") << true << "" << failed
                                      << QStringList({"exited with code 1", "Run it by hand"});
    QTest::newRow("killed") << QByteArray("kill -9 $$\n") << true << "" << failed << QStringList({"crashed"});
    QTest::newRow("bad json")
        << QByteArray("printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s3cr3t-cut'\n")
        << true << "" << output << QStringList({"not valid JSON"});
    QTest::newRow("not an object") << QByteArray("echo '[\"s3cr3t-array\"]'\n") << true << "" << output
                                   << QStringList({"not an object"});
    QTest::newRow("version 2")
        << QByteArray("echo '{\"Version\": 2, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s3cr3t-v2\"}'\n")
        << true << "" << output << QStringList({"\"Version\" is 2, but only version 1 is supported"});
    QTest::newRow("version string")
        << QByteArray("echo '{\"Version\": \"1\", \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s3cr3t-vs\"}'\n")
        << true << "" << output << QStringList({"\"Version\" is not a number"});
    QTest::newRow("version missing")
        << QByteArray("echo '{\"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"s3cr3t-vm\"}'\n") << true << ""
        << output << QStringList({"\"Version\" is missing"});
    QTest::newRow("no secret") << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SessionToken\": \"t0k3n-ns\"}'\n")
                               << true << "" << output << QStringList({"\"SecretAccessKey\" is missing"});
    QTest::newRow("no key id") << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"s3cr3t-nk\"}'\n")
                               << true << "" << output << QStringList({"\"AccessKeyId\" is missing, empty"});
    QTest::newRow("token not string")
        << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s3cr3t-tn\", \"SessionToken\": 5}'\n")
        << true << "" << output << QStringList({"\"SessionToken\" is not a string"});
    QTest::newRow("bad expiration")
        << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s3cr3t-be\", \"Expiration\": \"tomorrow\"}'\n")
        << true << "" << output << QStringList({"\"Expiration\" is not an ISO-8601"});
    QTest::newRow("no output") << QByteArray("exit 0\n") << true << "" << output << QStringList({"printed nothing"});
    QTest::newRow("not executable") << QByteArray("exit 0\n") << false << "" << failed
                                    << QStringList({"could not be started", "executable"});
    QTest::newRow("no such program") << QByteArray() << true << "/nonexistent/kwb-helper --token s3cr3t-arg" << failed
                                     << QStringList({"\"/nonexistent/kwb-helper\" could not be started"});
    QTest::newRow("unterminated quote") << QByteArray() << true << "/bin/helper 's3cr3t-quote"
                                        << "CredentialProcessCommand" << QStringList({"unterminated ' quote"});
}

void TstCredentials::processFailures()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, executable);
    QFETCH(QString, commandLine);
    QFETCH(QString, code);
    QFETCH(QStringList, phrases);

    QString command = commandLine;
    if (command.isEmpty()) {
        const QString name = QStringLiteral("fail-%1.sh").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        command = writeScript(name, body, executable);
        phrases.append(QStringLiteral("\"%1\"").arg(command)); // the program is named
    }
    CredentialsChain chain(processEnv(command));
    const auto found = chain.resolve();
    QVERIFY(!found.ok());
    const Error &error = found.error();
    QCOMPARE(error.kind, Error::Kind::Config);
    QCOMPARE(error.code, code);
    phrases.append(QStringLiteral("credential_process of profile \"default\" ("));
    for (const QString &phrase : std::as_const(phrases))
        QVERIFY2(error.message.contains(phrase), qPrintable(error.message));
    VERIFY_ERROR_NO_SECRETS(error);
}

void TstCredentials::processTimeout()
{
    const QString script = writeScript(
        QStringLiteral("slow.sh"),
        "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDSLOW\", \"SecretAccessKey\": \"s3cr3t-slow\"'\nexec sleep 30\n");
    CredentialsChain chain(processEnv(script));
    chain.setProcessTimeout(300ms);
    QElapsedTimer timer;
    timer.start();
    const auto found = chain.resolve();
    QVERIFY2(timer.elapsed() < 10000, "the process was not stopped at the timeout");
    QVERIFY(!found.ok());
    QCOMPARE(found.error().kind, Error::Kind::Config);
    QCOMPARE(found.error().code, QStringLiteral("CredentialProcessTimeout"));
    QVERIFY2(found.error().message.contains(QStringLiteral("did not finish within 300 ms")),
             qPrintable(found.error().message));
    QVERIFY(found.error().message.contains(QStringLiteral("credential_process of profile \"default\"")));
    QVERIFY(found.error().message.contains(script));
    VERIFY_ERROR_NO_SECRETS(found.error());
}

// ---------------------------------------------------------------------------------------------
// resolveConnection

void TstCredentials::connection()
{
    ConnectionOptions options;
    options.profile = QStringLiteral("dev");
    const auto resolved = resolveConnection(options, fixtureEnv({{QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV")},
                                                                 {QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s3cr3t-env")}}));
    QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
    const ConnectionSettings &settings = resolved.value();
    QCOMPARE(settings.profile, QStringLiteral("dev"));
    QCOMPARE(settings.profileSource, QStringLiteral("explicit setting"));
    QCOMPARE(settings.endpoint, QUrl(QStringLiteral("http://localhost:4567")));
    QCOMPARE(settings.endpointSource, QStringLiteral("profile dev (%1:12)").arg(fixture(QStringLiteral("config"))));
    QVERIFY(settings.customEndpoint);
    QCOMPARE(settings.region, QStringLiteral("us-west-2"));
    QCOMPARE(settings.regionSource, QStringLiteral("profile dev (%1:9)").arg(fixture(QStringLiteral("config"))));
    QCOMPARE(settings.credentials.accessKeyId, QStringLiteral("AKIDCREDSDEV"));

    // Explicit region and keys: AWS is the default endpoint.
    ConnectionOptions all;
    all.region = QStringLiteral("cn-northwest-1");
    all.accessKeyId = QStringLiteral("AKIDEXPLICIT");
    all.secretAccessKey = QStringLiteral("s3cr3t-explicit");
    all.sessionToken = QStringLiteral("t0k3n-explicit");
    const auto direct = resolveConnection(all, makeEnv());
    QVERIFY2(direct.ok(), qPrintable(direct.ok() ? QString() : direct.error().message));
    QCOMPARE(direct.value().endpoint, QUrl(QStringLiteral("https://kinesis.cn-northwest-1.amazonaws.com.cn")));
    QCOMPARE(direct.value().endpointSource, QStringLiteral("default for region cn-northwest-1"));
    QVERIFY(!direct.value().customEndpoint);
    QCOMPARE(direct.value().regionSource, QStringLiteral("explicit setting"));
    QCOMPARE(direct.value().credentials.source, QStringLiteral("explicit"));
    QCOMPARE(direct.value().credentials.sessionToken, QStringLiteral("t0k3n-explicit"));
    QCOMPARE(direct.value().profile, QStringLiteral("default"));

    // Everything explicit: a broken config file is not even read.
    all.endpointUrl = QStringLiteral("http://localhost:4567");
    const auto unread = resolveConnection(all, makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("broken-garbage-line"))}}));
    QVERIFY2(unread.ok(), qPrintable(unread.ok() ? QString() : unread.error().message));
    QCOMPARE(unread.value().endpointSource, QStringLiteral("explicit setting"));

    // Environment region and endpoint over the profile's.
    const auto fromEnv = resolveConnection(options, fixtureEnv({{QStringLiteral("AWS_REGION"), QStringLiteral("eu-west-3")},
                                                                {QStringLiteral("AWS_ENDPOINT_URL_KINESIS"), QStringLiteral("https://kinesis.eu-west-3.amazonaws.com")}}));
    QVERIFY(fromEnv.ok());
    QCOMPARE(fromEnv.value().regionSource, QStringLiteral("AWS_REGION"));
    QCOMPARE(fromEnv.value().endpointSource, QStringLiteral("AWS_ENDPOINT_URL_KINESIS"));
}

void TstCredentials::connectionAnonymousFallback_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("allow");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("errorCode"); // empty: placeholders expected

    QTest::newRow("local, allowed") << "http://localhost:4567" << true << "eu-west-1" << "";
    QTest::newRow("local, no region, allowed") << "http://127.0.0.1:4567" << true << "" << "";
    QTest::newRow("local, not allowed") << "http://localhost:4567" << false << "eu-west-1" << "NoCredentials";
    QTest::newRow("local, no region, not allowed") << "http://localhost:4567" << false << "" << "NoRegion";
    QTest::newRow("aws endpoint, allowed") << "https://kinesis.eu-west-1.amazonaws.com" << true << "eu-west-1"
                                           << "NoCredentials";
    QTest::newRow("aws endpoint, no region") << "https://kinesis.eu-west-1.amazonaws.com" << true << "" << "NoRegion";
    QTest::newRow("default endpoint, allowed") << "" << true << "eu-west-1" << "NoCredentials";
}

void TstCredentials::connectionAnonymousFallback()
{
    QFETCH(QString, endpoint);
    QFETCH(bool, allow);
    QFETCH(QString, region);
    QFETCH(QString, errorCode);

    ConnectionOptions options;
    if (!endpoint.isEmpty())
        options.endpointUrl = endpoint;
    if (!region.isEmpty())
        options.region = region;
    options.allowAnonymousFallback = allow;
    const auto resolved = resolveConnection(options, makeEnv());
    if (!errorCode.isEmpty()) {
        QVERIFY(!resolved.ok());
        QCOMPARE(resolved.error().code, errorCode);
        QCOMPARE(resolved.error().kind, Error::Kind::Config);
        return;
    }
    QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
    const Credentials &credentials = resolved.value().credentials;
    QCOMPARE(credentials.accessKeyId, QStringLiteral("kwb-local"));
    QCOMPARE(credentials.secretAccessKey, QStringLiteral("kwb-local"));
    QCOMPARE(credentials.source, QStringLiteral("placeholder for a local endpoint"));
    if (region.isEmpty()) {
        QCOMPARE(resolved.value().region, QStringLiteral("us-east-1"));
        QCOMPARE(resolved.value().regionSource, QStringLiteral("placeholder for a local endpoint"));
    } else {
        QCOMPARE(resolved.value().region, region);
    }
}

void TstCredentials::connectionErrors_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("configFile");
    QTest::addColumn<QString>("errorCode");

    // The fallback never hides a real problem.
    QTest::newRow("half profile") << "half" << "http://localhost:4567" << "config" << "IncompleteCredentials";
    QTest::newRow("missing profile") << "nope" << "http://localhost:4567" << "config" << "ProfileNotFound";
    QTest::newRow("broken file") << "" << "http://localhost:4567" << "broken-spaces-in-key" << "ConfigFileSyntax";
    QTest::newRow("bad region in profile") << "bad-region" << "http://localhost:4567" << "config" << "InvalidRegion";
    QTest::newRow("bad endpoint") << "dev" << "localhost:4567" << "config" << "InvalidEndpoint";
}

void TstCredentials::connectionErrors()
{
    QFETCH(QString, profile);
    QFETCH(QString, endpoint);
    QFETCH(QString, configFile);
    QFETCH(QString, errorCode);

    ConnectionOptions options;
    options.profile = profile;
    options.endpointUrl = endpoint;
    options.allowAnonymousFallback = true;
    const auto resolved = resolveConnection(options, makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(configFile)},
                                                              {QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s3cr3t-env")},
                                                              {QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("t0k3n-env")}}));
    QVERIFY(!resolved.ok());
    QCOMPARE(resolved.error().code, errorCode);
    VERIFY_ERROR_NO_SECRETS(resolved.error());
}

void TstCredentials::redactedDebugOutput()
{
    const Credentials credentials{QStringLiteral("AKIDSHOWN"), QStringLiteral("s3cr3t-debug"),
                                  QStringLiteral("t0k3n-debug"), std::nullopt, QStringLiteral("explicit")};
    QString text;
    QDebug(&text) << credentials;
    QVERIFY(text.contains(QStringLiteral("AKIDSHOWN")));
    VERIFY_NO_SECRETS(text);
    VERIFY_NO_SECRETS(credentials.redacted());
}

QTEST_GUILESS_MAIN(TstCredentials)
#include "tst_credentials.moc"
