// The AWS shared config/credentials parser, profile lookup across the two files, and region and
// endpoint resolution. Fixtures: tests/data/aws-config/ (broken-* are broken on purpose). Every
// secret in them contains "s3cr3t" and every token "t0k3n"; no message may contain either.
#include "aws/AwsConfigFile.h"
#include "aws/ConnectionSettings.h"
#include "aws/Environment.h"
#include "aws/SharedConfig.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::aws;

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

QString dataDir()
{
    return QDir(qEnvironmentVariable("KWB_TEST_DATA")).filePath(QStringLiteral("aws-config"));
}

QString fixture(const QString &name)
{
    return QDir(dataDir()).filePath(name);
}

/// An environment with only these variables and a home directory that has no ~/.aws.
Environment makeEnv(QMap<QString, QString> variables = {}, const QString &home = QStringLiteral("/nonexistent/home"))
{
    return Environment::fromMap(variables, home);
}

/// The fixture files as the shared files.
Environment fixtureEnv(QMap<QString, QString> variables = {})
{
    variables.insert(QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("config")));
    variables.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), fixture(QStringLiteral("credentials")));
    return makeEnv(variables);
}

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

class TstAwsConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void parse_data();
    void parse();
    void parseSections();
    void parseErrors_data();
    void parseErrors();
    void brokenFixtures_data();
    void brokenFixtures();
    void missingAndUnreadableFiles();

    void filePaths();
    void profileNames();
    void credentialsFileWins();
    void servicesSection();
    void chooseProfile_data();
    void chooseProfile();
    void requireProfile_data();
    void requireProfile();
    void listProfilesTolerant();

    void region_data();
    void region();
    void regionErrors_data();
    void regionErrors();
    void endpoint_data();
    void endpoint();
    void endpointErrors_data();
    void endpointErrors();
    void endpointNeedsRegion();
    void defaultEndpoint_data();
    void defaultEndpoint();
    void awsEndpoint_data();
    void awsEndpoint();
    void filesReadOnlyWhenNeeded();
};

void TstAwsConfig::initTestCase()
{
    QVERIFY2(QFile::exists(fixture(QStringLiteral("config"))), qPrintable(dataDir()));
    QLoggingCategory::setFilterRules(QStringLiteral("kwb.*.debug=true"));
    s_previousHandler = qInstallMessageHandler(captureMessage);
}

void TstAwsConfig::cleanupTestCase()
{
    qInstallMessageHandler(s_previousHandler);
    for (const QString &line : std::as_const(s_log))
        VERIFY_NO_SECRETS(line);
}

// ---------------------------------------------------------------------------------------------
// Parser

void TstAwsConfig::parse_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("credentialsFlavor");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value"); // null: the key (or profile) must be absent
    QTest::addColumn<int>("line");

    QTest::newRow("default") << QByteArray("[default]\nregion = eu-west-1\n") << false << "default" << "region"
                             << "eu-west-1" << 2;
    QTest::newRow("profile-prefix") << QByteArray("[profile dev]\nregion=us-west-2") << false << "dev" << "region"
                                    << "us-west-2" << 2;
    QTest::newRow("profile-default-is-default") << QByteArray("[profile default]\nregion = x-1\n") << false
                                                << "default" << "region" << "x-1" << 2;
    QTest::newRow("bare-in-config-is-not-profile") << QByteArray("[dev]\nregion = us-west-2\n") << false << "dev"
                                                   << "region" << QString() << 0;
    QTest::newRow("bare-in-credentials") << QByteArray("[dev]\naws_access_key_id = AKID\n") << true << "dev"
                                         << "aws_access_key_id" << "AKID" << 2;
    QTest::newRow("prefix-in-credentials-is-literal")
        << QByteArray("[profile dev]\nregion = r\n") << true << "profile dev" << "region" << "r" << 2;
    QTest::newRow("whitespace") << QByteArray("  [  profile   dev  ]  \n\t region\t=\t  us-west-2  \t\n") << false
                                << "dev" << "region" << "us-west-2" << 2;
    QTest::newRow("comments") << QByteArray("# one\n; two\n[default]\n   # three\n;four\nregion = a-1\n") << false
                              << "default" << "region" << "a-1" << 6;
    QTest::newRow("hash-inside-value-kept") << QByteArray("[default]\nregion = a-1 # not a comment\n") << false
                                            << "default" << "region" << "a-1 # not a comment" << 2;
    QTest::newRow("crlf") << QByteArray("[default]\r\nregion = eu-west-1\r\n") << false << "default" << "region"
                          << "eu-west-1" << 2;
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF[default]\nregion = eu-west-1\n") << false << "default"
                         << "region" << "eu-west-1" << 2;
    QTest::newRow("keys-lower-cased") << QByteArray("[default]\nAWS_Access_Key_ID = AKID\n") << true << "default"
                                      << "aws_access_key_id" << "AKID" << 2;
    QTest::newRow("empty-value") << QByteArray("[default]\nregion =\n") << false << "default" << "region" << ""
                                 << 2;
    QTest::newRow("value-with-equals") << QByteArray("[default]\nk = a=b==\n") << false << "default" << "k"
                                       << "a=b==" << 2;
    QTest::newRow("later-key-wins") << QByteArray("[default]\nregion = a-1\nregion = b-2\n") << false << "default"
                                    << "region" << "b-2" << 3;
    QTest::newRow("repeated-section-merged")
        << QByteArray("[default]\nregion = a-1\n[profile x]\nk = v\n[default]\noutput = json\n") << false << "default"
        << "region" << "a-1" << 2;
    QTest::newRow("repeated-section-later-key")
        << QByteArray("[default]\nregion = a-1\n[profile x]\nk = v\n[default]\nregion = c-3\n") << false << "default"
        << "region" << "c-3" << 6;
    QTest::newRow("default-and-profile-default-merged")
        << QByteArray("[default]\nregion = a-1\n[profile default]\noutput = json\n") << false << "default" << "output"
        << "json" << 4;
    QTest::newRow("subsection-parent-empty")
        << QByteArray("[default]\ns3 =\n  max_concurrent_requests = 20\nregion = r-1\n") << false << "default" << "s3"
        << "" << 2;
    QTest::newRow("after-subsection") << QByteArray("[default]\ns3 =\n  a = 1\n  b = 2\nregion = r-1\n") << false
                                      << "default" << "region" << "r-1" << 5;
    QTest::newRow("subsection-key-not-top-level") << QByteArray("[default]\ns3 =\n  a = 1\n") << false << "default"
                                                  << "a" << QString() << 0;
    QTest::newRow("indented-key-under-header") << QByteArray("[default]\n  region = r-1\n") << false << "default"
                                               << "region" << "r-1" << 2;
    QTest::newRow("continuation-line") << QByteArray("[default]\nk = first\n  second\n") << false << "default" << "k"
                                       << "first\nsecond" << 2;
    QTest::newRow("empty-file") << QByteArray() << false << "default" << "region" << QString() << 0;
    QTest::newRow("only-comments") << QByteArray("# nothing\n\n;here\n") << true << "default" << "region"
                                   << QString() << 0;
}

void TstAwsConfig::parse()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, credentialsFlavor);
    QFETCH(QString, profile);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(int, line);

    const auto flavor = credentialsFlavor ? AwsConfigFile::Flavor::Credentials : AwsConfigFile::Flavor::Config;
    const auto parsed = AwsConfigFile::parse(content, QStringLiteral("mem"), flavor);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QVERIFY(parsed.value().exists());
    const auto found = parsed.value().value(profile, key);
    if (value.isNull()) {
        QVERIFY(!found);
        return;
    }
    QVERIFY(found);
    QCOMPARE(found->value, value);
    QCOMPARE(found->file, QStringLiteral("mem"));
    QCOMPARE(found->line, line);
    QCOMPARE(found->location(), QStringLiteral("mem:%1").arg(line));
}

void TstAwsConfig::parseSections()
{
    const auto parsed = AwsConfigFile::load(fixture(QStringLiteral("config")), AwsConfigFile::Flavor::Config,
                                            QStringLiteral("cfg"));
    QVERIFY(parsed.ok());
    const AwsConfigFile &file = parsed.value();
    QCOMPARE(file.fileName(), QStringLiteral("cfg"));
    QCOMPARE(file.profileNames(),
             QStringList({QStringLiteral("default"), QStringLiteral("dev"), QStringLiteral("china"),
                          QStringLiteral("tools"), QStringLiteral("sso"), QStringLiteral("half"),
                          QStringLiteral("bad-region")}));

    const AwsConfigSection *tools = file.profile(QStringLiteral("tools"));
    QVERIFY(tools);
    QCOMPARE(tools->line, 22);
    QCOMPARE(tools->header, QStringLiteral("profile tools"));
    QCOMPARE(tools->values.value(QStringLiteral("region")).value, QStringLiteral("eu-central-1"));
    QCOMPARE(tools->values.value(QStringLiteral("output")).value, QStringLiteral("JSON"));
    QCOMPARE(tools->subSections.value(QStringLiteral("s3")).value(QStringLiteral("multipart_threshold")).value,
             QStringLiteral("64MB"));
    QCOMPARE(tools->subSections.value(QStringLiteral("s3")).value(QStringLiteral("multipart_threshold")).line, 26);

    const AwsConfigSection *bare = file.section(QStringLiteral("bare"), QString());
    QVERIFY(bare);
    QCOMPARE(bare->line, 19);
    QVERIFY(!file.profile(QStringLiteral("bare")));

    const AwsConfigSection *sso = file.section(QStringLiteral("sso-session"), QStringLiteral("corp"));
    QVERIFY(sso);
    QCOMPARE(sso->values.value(QStringLiteral("sso_start_url")).value, QStringLiteral("https://example.awsapps.com/start"));
    QVERIFY(file.section(QStringLiteral("services"), QStringLiteral("local-kinesis")));
}

void TstAwsConfig::parseErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("credentialsFlavor");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected"); // a phrase of the message

    QTest::newRow("key-before-section") << QByteArray("\n# c\nregion = eu-west-1\n[default]\n") << false << 3
                                        << "\"region\" appears before any section header";
    QTest::newRow("secret-before-section") << QByteArray("aws_secret_access_key = s3cr3t-before\n[default]\n")
                                           << true << 1 << "before any section header";
    QTest::newRow("garbage-line") << QByteArray("[default]\njust some words\n") << false << 2
                                  << "neither a [section] header";
    QTest::newRow("secret-without-equals") << QByteArray("[default]\naws_secret_access_key s3cr3t-no-eq\n") << true
                                           << 2 << "neither a [section] header";
    QTest::newRow("token-without-equals-but-padding")
        << QByteArray("[default]\naws_session_token t0k3n-x==\n") << true << 2 << "contains spaces";
    QTest::newRow("unterminated-section") << QByteArray("[default]\nk = v\n[profile dev\n") << false << 3
                                          << "\"[profile dev\" has no closing \"]\"";
    QTest::newRow("unterminated-secretish") << QByteArray("[s3cr3t~~~\"'\n") << true << 1 << "has no closing";
    QTest::newRow("empty-section") << QByteArray("[ ]\n") << false << 1 << "empty section header";
    QTest::newRow("profile-without-name") << QByteArray("[profile]\n") << false << 1 << "has no profile name";
    QTest::newRow("text-after-header") << QByteArray("[default] x = y\n") << false << 1
                                       << "unexpected text after";
    QTest::newRow("no-key-name") << QByteArray("[default]\n= value\n") << false << 2 << "without a key name";
    QTest::newRow("bad-subsection-line") << QByteArray("[default]\ns3 =\n  s3cr3t-words\n") << false << 3
                                         << "in the sub-section \"s3 =\"";
    QTest::newRow("crlf-line-numbers") << QByteArray("[default]\r\nk = v\r\nbroken\r\n") << false << 3
                                       << "neither";
}

void TstAwsConfig::parseErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, credentialsFlavor);
    QFETCH(int, line);
    QFETCH(QString, expected);

    const auto flavor = credentialsFlavor ? AwsConfigFile::Flavor::Credentials : AwsConfigFile::Flavor::Config;
    const auto parsed = AwsConfigFile::parse(content, QStringLiteral("/home/u/.aws/config"), flavor);
    QVERIFY(!parsed.ok());
    const Error &error = parsed.error();
    QCOMPARE(error.kind, Error::Kind::Config);
    QCOMPARE(error.code, QStringLiteral("ConfigFileSyntax"));
    QVERIFY2(error.message.startsWith(QStringLiteral("/home/u/.aws/config:%1: ").arg(line)), qPrintable(error.message));
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    VERIFY_ERROR_NO_SECRETS(error);
}

void TstAwsConfig::brokenFixtures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("line");

    QTest::newRow("key-before-section") << "broken-key-before-section" << 2;
    QTest::newRow("garbage-line") << "broken-garbage-line" << 3;
    QTest::newRow("unterminated-section") << "broken-unterminated-section" << 4;
    QTest::newRow("spaces-in-key") << "broken-spaces-in-key" << 3;
    QTest::newRow("subsection") << "broken-subsection" << 5;
    QTest::newRow("empty-section") << "broken-empty-section" << 3;
    QTest::newRow("text-after-header") << "broken-text-after-header" << 3;
}

void TstAwsConfig::brokenFixtures()
{
    QFETCH(QString, name);
    QFETCH(int, line);

    // As the config file and as the credentials file, through the whole loading path.
    for (const char *variable : {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
        const Environment env = makeEnv({{QLatin1String(variable), fixture(name)}});
        const auto loaded = SharedConfig::load(env);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().kind, Error::Kind::Config);
        const QString prefix = QStringLiteral("%1:%2: ").arg(fixture(name)).arg(line);
        QVERIFY2(loaded.error().message.startsWith(prefix), qPrintable(loaded.error().message));
        VERIFY_ERROR_NO_SECRETS(loaded.error());
    }
}

void TstAwsConfig::missingAndUnreadableFiles()
{
    const auto missing = AwsConfigFile::load(QStringLiteral("/nonexistent/x/config"), AwsConfigFile::Flavor::Config);
    QVERIFY(missing.ok());
    QVERIFY(!missing.value().exists());
    QVERIFY(missing.value().profileNames().isEmpty());
    QCOMPARE(missing.value().fileName(), QStringLiteral("/nonexistent/x/config"));

    const auto none = SharedConfig::load(makeEnv());
    QVERIFY(none.ok());
    QCOMPARE(none.value().describeFiles(),
             QStringLiteral("~/.aws/credentials (not found) and ~/.aws/config (not found)"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto directory = SharedConfig::load(makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), dir.path()}}));
    QVERIFY(!directory.ok());
    QCOMPARE(directory.error().code, QStringLiteral("ConfigFileUnreadable"));
    QVERIFY(directory.error().message.contains(QStringLiteral("is a directory")));

    const QString unreadable = dir.filePath(QStringLiteral("config"));
    QFile file(unreadable);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[default]\n");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::WriteOwner));
    if (QFile(unreadable).open(QIODevice::ReadOnly))
        QSKIP("running as a user who can read anything (root)");
    const auto denied = SharedConfig::load(makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), unreadable}}));
    QVERIFY(!denied.ok());
    QVERIFY(denied.error().message.contains(QStringLiteral("cannot read")));
}

// ---------------------------------------------------------------------------------------------
// Shared files together

void TstAwsConfig::filePaths()
{
    const Environment home = makeEnv({}, QStringLiteral("/home/ann"));
    QCOMPARE(home.configFilePath(), QStringLiteral("/home/ann/.aws/config"));
    QCOMPARE(home.credentialsFilePath(), QStringLiteral("/home/ann/.aws/credentials"));
    QCOMPARE(home.displayPath(QStringLiteral("/home/ann/.aws/config")), QStringLiteral("~/.aws/config"));
    QCOMPARE(home.displayPath(QStringLiteral("/home/annie/x")), QStringLiteral("/home/annie/x"));

    const Environment set = makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/cfg/aws")},
                                     {QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("/etc/creds")}},
                                    QStringLiteral("/home/ann"));
    QCOMPARE(set.configFilePath(), QStringLiteral("/home/ann/cfg/aws"));
    QCOMPARE(set.credentialsFilePath(), QStringLiteral("/etc/creds"));

    const Environment empty = makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), QString()}}, QString());
    QVERIFY(empty.configFilePath().isEmpty());
    const auto loaded = SharedConfig::load(empty);
    QVERIFY(loaded.ok());
    QVERIFY(loaded.value().describeFiles().contains(QStringLiteral("no home directory")));
}

void TstAwsConfig::profileNames()
{
    const auto files = SharedConfig::load(fixtureEnv());
    QVERIFY(files.ok());
    QCOMPARE(files.value().profileNames(),
             QStringList({QStringLiteral("default"), QStringLiteral("bad-region"), QStringLiteral("china"),
                          QStringLiteral("creds-only"), QStringLiteral("dev"), QStringLiteral("half"),
                          QStringLiteral("profile wrong"), QStringLiteral("sso"), QStringLiteral("tools")}));
    QVERIFY(files.value().hasProfile(QStringLiteral("creds-only")));
    QVERIFY(files.value().hasProfile(QStringLiteral("china")));
    QVERIFY(!files.value().hasProfile(QStringLiteral("bare")));
    QCOMPARE(listProfiles(fixtureEnv()), files.value().profileNames());
}

void TstAwsConfig::credentialsFileWins()
{
    const auto files = SharedConfig::load(fixtureEnv());
    QVERIFY(files.ok());
    const SharedConfig &config = files.value();

    const auto key = config.value(QStringLiteral("dev"), QStringLiteral("aws_access_key_id"));
    QVERIFY(key);
    QCOMPARE(key->value, QStringLiteral("AKIDCREDSDEV"));
    QCOMPARE(key->location(), fixture(QStringLiteral("credentials")) + QStringLiteral(":7"));

    // Keys only the config file has still come from it.
    const auto region = config.value(QStringLiteral("dev"), QStringLiteral("region"));
    QVERIFY(region);
    QCOMPARE(region->value, QStringLiteral("us-west-2"));
    QCOMPARE(region->location(), fixture(QStringLiteral("config")) + QStringLiteral(":9"));

    // A region in the credentials file counts too, as in the AWS CLI.
    QCOMPARE(config.value(QStringLiteral("creds-only"), QStringLiteral("region"))->value, QStringLiteral("sa-east-1"));
    QVERIFY(!config.value(QStringLiteral("nope"), QStringLiteral("region")));
}

void TstAwsConfig::servicesSection()
{
    const auto files = SharedConfig::load(fixtureEnv());
    QVERIFY(files.ok());
    const auto url = files.value().serviceValue(QStringLiteral("tools"), QStringLiteral("kinesis"),
                                                QStringLiteral("endpoint_url"));
    QVERIFY(url);
    QCOMPARE(url->value, QStringLiteral("http://127.0.0.1:4568"));
    QCOMPARE(url->line, 32);
    QVERIFY(!files.value().serviceValue(QStringLiteral("tools"), QStringLiteral("s3"), QStringLiteral("endpoint_url")));
    QVERIFY(!files.value().serviceValue(QStringLiteral("dev"), QStringLiteral("kinesis"), QStringLiteral("endpoint_url")));
}

void TstAwsConfig::chooseProfile_data()
{
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("named");
    QTest::addColumn<bool>("isExplicit");

    QTest::newRow("nothing") << "" << "" << "default" << "default" << false << false;
    QTest::newRow("aws-profile") << "" << "dev" << "dev" << "AWS_PROFILE" << true << false;
    QTest::newRow("aws-profile-blank") << "" << "  " << "default" << "default" << false << false;
    QTest::newRow("explicit") << "prod" << "" << "prod" << "explicit setting" << true << true;
    QTest::newRow("explicit-beats-env") << "prod" << "dev" << "prod" << "explicit setting" << true << true;
    QTest::newRow("explicit-default") << "default" << "dev" << "default" << "explicit setting" << true << true;
}

void TstAwsConfig::chooseProfile()
{
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsProfile);
    QFETCH(QString, name);
    QFETCH(QString, source);
    QFETCH(bool, named);
    QFETCH(bool, isExplicit);

    const ProfileChoice choice =
        SharedConfig::chooseProfile(explicitProfile, makeEnv({{QStringLiteral("AWS_PROFILE"), awsProfile}}));
    QCOMPARE(choice.name, name);
    QCOMPARE(choice.source, source);
    QCOMPARE(choice.named, named);
    QCOMPARE(choice.isExplicit, isExplicit);
}

void TstAwsConfig::requireProfile_data()
{
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QStringList>("phrases"); // empty: no error

    QTest::newRow("exists-in-config") << "china" << "" << QStringList();
    QTest::newRow("exists-in-credentials") << "" << "creds-only" << QStringList();
    QTest::newRow("default-by-default") << "" << "" << QStringList();
    QTest::newRow("missing-explicit") << "nope" << "" << QStringList({"\"nope\" (from explicit setting)",
                                                                      fixture("config"), fixture("credentials"),
                                                                      "Known profiles: default, bad-region",
                                                                      "add [profile nope]"});
    QTest::newRow("missing-env") << "" << "nope" << QStringList({"\"nope\" (from AWS_PROFILE)"});
    QTest::newRow("bare-in-config") << "bare" << ""
                                    << QStringList({fixture("config") + ":19 has [bare]",
                                                    "in the config file a profile is written [profile bare]"});
    QTest::newRow("prefixed-in-credentials")
        << "wrong" << "" << QStringList({fixture("credentials") + ":17 has [profile wrong]",
                                         "in the credentials file a profile is written [wrong]"});
}

void TstAwsConfig::requireProfile()
{
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsProfile);
    QFETCH(QStringList, phrases);

    const Environment env = fixtureEnv({{QStringLiteral("AWS_PROFILE"), awsProfile}});
    const auto files = SharedConfig::load(env);
    QVERIFY(files.ok());
    const auto result = files.value().requireProfile(SharedConfig::chooseProfile(explicitProfile, env));
    QCOMPARE(result.ok(), phrases.isEmpty());
    if (result.ok())
        return;
    QCOMPARE(result.error().kind, Error::Kind::Config);
    QCOMPARE(result.error().code, QStringLiteral("ProfileNotFound"));
    for (const QString &phrase : phrases)
        QVERIFY2(result.error().message.contains(phrase), qPrintable(result.error().message));
    VERIFY_ERROR_NO_SECRETS(result.error());
}

void TstAwsConfig::listProfilesTolerant()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^profiles not listed from a file: .*broken-garbage-line:3: ")));
    QVERIFY(listProfiles(makeEnv()).isEmpty());
    // A broken config file contributes nothing, the credentials file still does.
    const Environment env = makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("broken-garbage-line"))},
                                     {QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), fixture(QStringLiteral("credentials"))}});
    QCOMPARE(listProfiles(env), QStringList({QStringLiteral("default"), QStringLiteral("creds-only"),
                                             QStringLiteral("dev"), QStringLiteral("profile wrong")}));
}

// ---------------------------------------------------------------------------------------------
// Region and endpoint

void TstAwsConfig::region_data()
{
    QTest::addColumn<QString>("explicitRegion");
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsRegion");
    QTest::addColumn<QString>("awsDefaultRegion");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QString>("region"); // empty: none
    QTest::addColumn<QString>("source");

    const QString config = fixture("config");
    QTest::newRow("explicit") << "ap-east-1" << "" << "us-east-1" << "us-east-2" << "dev" << "ap-east-1"
                              << "explicit setting";
    QTest::newRow("aws-region") << "" << "" << "us-east-1" << "us-east-2" << "dev" << "us-east-1" << "AWS_REGION";
    QTest::newRow("aws-region-beats-explicit-profile")
        << "" << "dev" << "us-east-1" << "" << "" << "us-east-1" << "AWS_REGION";
    QTest::newRow("aws-default-region") << "" << "" << "" << "us-east-2" << "dev" << "us-east-2"
                                        << "AWS_DEFAULT_REGION";
    QTest::newRow("profile-from-env") << "" << "" << "" << "" << "dev" << "us-west-2"
                                      << "profile dev (" + config + ":9)";
    QTest::newRow("profile-explicit") << "" << "china" << "" << "" << "dev" << "cn-north-1"
                                      << "profile china (" + config + ":16)";
    QTest::newRow("default-profile") << "" << "" << "" << "" << "" << "eu-west-1"
                                     << "profile default (" + config + ":4)";
    QTest::newRow("credentials-file-region") << "" << "creds-only" << "" << "" << "" << "sa-east-1"
                                             << "profile creds-only (" + fixture("credentials") + ":14)";
    QTest::newRow("profile-without-region") << "" << "sso" << "" << "" << "" << "" << "";
    QTest::newRow("whitespace-trimmed") << "  eu-north-1 " << "" << "" << "" << "" << "eu-north-1"
                                        << "explicit setting";
}

void TstAwsConfig::region()
{
    QFETCH(QString, explicitRegion);
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsRegion);
    QFETCH(QString, awsDefaultRegion);
    QFETCH(QString, awsProfile);
    QFETCH(QString, region);
    QFETCH(QString, source);

    ConnectionOptions options;
    if (!explicitRegion.isEmpty())
        options.region = explicitRegion;
    if (!explicitProfile.isEmpty())
        options.profile = explicitProfile;
    const Environment env = fixtureEnv({{QStringLiteral("AWS_REGION"), awsRegion},
                                        {QStringLiteral("AWS_DEFAULT_REGION"), awsDefaultRegion},
                                        {QStringLiteral("AWS_PROFILE"), awsProfile}});
    const auto resolved = resolveRegion(options, env);
    QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
    if (region.isEmpty()) {
        QVERIFY(!resolved.value());
        return;
    }
    QVERIFY(resolved.value());
    QCOMPARE(resolved.value()->value, region);
    QCOMPARE(resolved.value()->source, source);
}

void TstAwsConfig::regionErrors_data()
{
    QTest::addColumn<QString>("explicitRegion");
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("awsRegion");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("phrases");

    QTest::newRow("explicit-upper-case") << "US-EAST-1" << "" << "" << "InvalidRegion"
                                         << QStringList({"\"US-EAST-1\" (from explicit setting)", "lower-case"});
    QTest::newRow("env-with-space") << "" << "" << "us east 1" << "InvalidRegion"
                                    << QStringList({"(from AWS_REGION)"});
    QTest::newRow("profile-inline-comment")
        << "" << "bad-region" << "" << "InvalidRegion"
        << QStringList({"profile bad-region (" + fixture("config") + ":45)", "comments must be on a line of their own"});
    QTest::newRow("missing-named-profile") << "" << "nope" << "" << "ProfileNotFound" << QStringList({"\"nope\""});
}

void TstAwsConfig::regionErrors()
{
    QFETCH(QString, explicitRegion);
    QFETCH(QString, explicitProfile);
    QFETCH(QString, awsRegion);
    QFETCH(QString, code);
    QFETCH(QStringList, phrases);

    ConnectionOptions options;
    if (!explicitRegion.isEmpty())
        options.region = explicitRegion;
    if (!explicitProfile.isEmpty())
        options.profile = explicitProfile;
    const auto resolved = resolveRegion(options, fixtureEnv({{QStringLiteral("AWS_REGION"), awsRegion}}));
    QVERIFY(!resolved.ok());
    QCOMPARE(resolved.error().kind, Error::Kind::Config);
    QCOMPARE(resolved.error().code, code);
    for (const QString &phrase : phrases)
        QVERIFY2(resolved.error().message.contains(phrase), qPrintable(resolved.error().message));
    VERIFY_ERROR_NO_SECRETS(resolved.error());
}

void TstAwsConfig::endpoint_data()
{
    QTest::addColumn<QString>("explicitUrl");
    QTest::addColumn<QString>("explicitProfile");
    QTest::addColumn<QString>("envKinesis");
    QTest::addColumn<QString>("envGlobal");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("source");

    const QString config = fixture("config");
    QTest::newRow("explicit") << "http://localhost:1111" << "dev" << "http://k:2" << "http://g:3" << "us-east-1"
                              << "http://localhost:1111" << "explicit setting";
    QTest::newRow("env-kinesis") << "" << "dev" << "http://k:2" << "http://g:3" << "us-east-1" << "http://k:2"
                                 << "AWS_ENDPOINT_URL_KINESIS";
    QTest::newRow("env-global") << "" << "dev" << "" << "https://g.example:3/prefix" << "us-east-1"
                                << "https://g.example:3/prefix" << "AWS_ENDPOINT_URL";
    QTest::newRow("services-section") << "" << "tools" << "" << "" << "us-east-1" << "http://127.0.0.1:4568"
                                      << "services section for kinesis of profile tools (" + config + ":32)";
    QTest::newRow("profile-endpoint-url") << "" << "dev" << "" << "" << "us-east-1" << "http://localhost:4567"
                                          << "profile dev (" + config + ":12)";
    QTest::newRow("default") << "" << "" << "" << "" << "eu-west-1" << "https://kinesis.eu-west-1.amazonaws.com"
                             << "default for region eu-west-1";
    QTest::newRow("default-cn") << "" << "china" << "" << "" << "cn-north-1"
                                << "https://kinesis.cn-north-1.amazonaws.com.cn" << "default for region cn-north-1";
    QTest::newRow("ipv6") << "http://[::1]:4567" << "" << "" << "" << "" << "http://[::1]:4567"
                          << "explicit setting";
}

void TstAwsConfig::endpoint()
{
    QFETCH(QString, explicitUrl);
    QFETCH(QString, explicitProfile);
    QFETCH(QString, envKinesis);
    QFETCH(QString, envGlobal);
    QFETCH(QString, region);
    QFETCH(QString, url);
    QFETCH(QString, source);

    ConnectionOptions options;
    if (!explicitUrl.isEmpty())
        options.endpointUrl = explicitUrl;
    if (!explicitProfile.isEmpty())
        options.profile = explicitProfile;
    const Environment env = fixtureEnv({{QStringLiteral("AWS_ENDPOINT_URL_KINESIS"), envKinesis},
                                        {QStringLiteral("AWS_ENDPOINT_URL"), envGlobal}});
    const auto resolved = resolveEndpoint(options, env, region);
    QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
    QCOMPARE(resolved.value().value, url);
    QCOMPARE(resolved.value().source, source);
}

void TstAwsConfig::endpointErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("phrase");

    QTest::newRow("no-scheme") << "localhost:4567" << "has no scheme. Write http://localhost:4567";
    QTest::newRow("ftp") << "ftp://example.com" << "must start with http:// or https://";
    QTest::newRow("no-host") << "http://" << "has no host";
    QTest::newRow("no-host-path") << "http:///path" << "has no host";
    QTest::newRow("bad-port") << "http://localhost:99999" << "is not a valid URL";
    QTest::newRow("bad-host") << "http://exa mple.com" << "is not a valid URL";
    QTest::newRow("user-info") << "http://user:s3cr3t-pw@localhost:4567" << "must not contain a user name";
    QTest::newRow("query") << "http://localhost:4567/?a=1" << "must not have a query";
    QTest::newRow("fragment") << "http://localhost:4567/#x" << "must not have a query";
    QTest::newRow("blank") << "   " << "is empty";
}

void TstAwsConfig::endpointErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, phrase);

    const auto validated = validateEndpointUrl(text, QStringLiteral("AWS_ENDPOINT_URL"));
    QVERIFY(!validated.ok());
    QCOMPARE(validated.error().kind, Error::Kind::Config);
    QCOMPARE(validated.error().code, QStringLiteral("InvalidEndpoint"));
    QVERIFY2(validated.error().message.contains(phrase), qPrintable(validated.error().message));
    QVERIFY2(validated.error().message.contains(QStringLiteral("(from AWS_ENDPOINT_URL)")),
             qPrintable(validated.error().message));
    VERIFY_ERROR_NO_SECRETS(validated.error());

    // The same text from the environment fails resolution the same way (a blank variable is unset).
    if (text.trimmed().isEmpty())
        return;
    const auto resolved = resolveEndpoint({}, makeEnv({{QStringLiteral("AWS_ENDPOINT_URL"), text}}),
                                          QStringLiteral("us-east-1"));
    QVERIFY(!resolved.ok());
    QCOMPARE(resolved.error().code, QStringLiteral("InvalidEndpoint"));
    VERIFY_ERROR_NO_SECRETS(resolved.error());
}

void TstAwsConfig::endpointNeedsRegion()
{
    const auto resolved = resolveEndpoint({}, makeEnv(), QString());
    QVERIFY(!resolved.ok());
    QCOMPARE(resolved.error().kind, Error::Kind::Config);
    QCOMPARE(resolved.error().code, QStringLiteral("NoRegion"));
    QVERIFY2(resolved.error().message.contains(QStringLiteral("AWS_REGION")), qPrintable(resolved.error().message));
}

void TstAwsConfig::defaultEndpoint_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("url");

    QTest::newRow("us-east-1") << "us-east-1" << "https://kinesis.us-east-1.amazonaws.com";
    QTest::newRow("eu-central-2") << "eu-central-2" << "https://kinesis.eu-central-2.amazonaws.com";
    QTest::newRow("us-gov") << "us-gov-west-1" << "https://kinesis.us-gov-west-1.amazonaws.com";
    QTest::newRow("cn-north-1") << "cn-north-1" << "https://kinesis.cn-north-1.amazonaws.com.cn";
    QTest::newRow("cn-northwest-1") << "cn-northwest-1" << "https://kinesis.cn-northwest-1.amazonaws.com.cn";
}

void TstAwsConfig::defaultEndpoint()
{
    QFETCH(QString, region);
    QFETCH(QString, url);
    QCOMPARE(kwb::aws::defaultEndpoint(region).toString(), url);
    QVERIFY(isAwsEndpoint(kwb::aws::defaultEndpoint(region)));
}

void TstAwsConfig::awsEndpoint_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("aws");

    QTest::newRow("regional") << "https://kinesis.eu-west-1.amazonaws.com" << true;
    QTest::newRow("vpce") << "https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com" << true;
    QTest::newRow("china") << "https://kinesis.cn-north-1.amazonaws.com.cn" << true;
    QTest::newRow("dual-stack") << "https://kinesis.us-east-1.api.aws" << true;
    QTest::newRow("upper-case") << "https://KINESIS.US-EAST-1.AMAZONAWS.COM" << true;
    QTest::newRow("localhost") << "http://localhost:4567" << false;
    QTest::newRow("lookalike") << "https://notamazonaws.com" << false;
    QTest::newRow("lookalike-suffix") << "https://amazonaws.com.evil.example" << false;
}

void TstAwsConfig::awsEndpoint()
{
    QFETCH(QString, url);
    QFETCH(bool, aws);
    QCOMPARE(isAwsEndpoint(QUrl(url)), aws);
}

void TstAwsConfig::filesReadOnlyWhenNeeded()
{
    // A broken config file does not matter while everything comes from options or the environment...
    const Environment env = makeEnv({{QStringLiteral("AWS_CONFIG_FILE"), fixture(QStringLiteral("broken-garbage-line"))},
                                     {QStringLiteral("AWS_REGION"), QStringLiteral("eu-west-3")}});
    ConnectionOptions options;
    options.endpointUrl = QStringLiteral("http://localhost:4567");
    const auto region = resolveRegion(options, env);
    QVERIFY(region.ok());
    QCOMPARE(region.value()->value, QStringLiteral("eu-west-3"));
    QVERIFY(resolveEndpoint(options, env, region.value()->value).ok());

    // ...and is reported, with file and line, once the profile is needed.
    const auto fallsThrough = resolveEndpoint({}, env, QStringLiteral("eu-west-3"));
    QVERIFY(!fallsThrough.ok());
    QVERIFY2(fallsThrough.error().message.startsWith(fixture(QStringLiteral("broken-garbage-line")) + QStringLiteral(":3: ")),
             qPrintable(fallsThrough.error().message));
    VERIFY_ERROR_NO_SECRETS(fallsThrough.error());
}

QTEST_GUILESS_MAIN(TstAwsConfig)
#include "tst_awsconfig.moc"
