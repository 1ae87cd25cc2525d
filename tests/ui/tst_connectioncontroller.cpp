// ConnectionController: targets become clients off the GUI thread; the built-in sandbox plugs
// in later; profiles are listed from the shared files; typed keys come from the SecretStore;
// problems come back in words.
#include "FakeKinesis.h"
#include "controllers/ConnectionController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/ProblemText.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstConnectionController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sandboxConnectsOnceItRuns();
    void profilesAndProfileCredentials();
    void keychainKeysAreUsed();
    void staleResolutionIsDropped();
    void problemsInWords_data();
    void problemsInWords();
};

void TstConnectionController::sandboxConnectsOnceItRuns()
{
    ConnectionController c(nullptr, aws::Environment());
    QVERIFY(!c.isSandboxReady());
    QVERIFY(c.sandboxStatus().contains(QStringLiteral("starting")));
    QSignalSpy failed(&c, &ConnectionController::connectionFailed);
    c.connectTo(ConnectionTarget::sandbox());
    QCOMPARE(c.state(), ConnectionController::State::Failed);
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("sandbox")));

    kwb::test::FakeKinesis fake;
    QSignalSpy sandboxChanged(&c, &ConnectionController::sandboxChanged);
    c.setSandbox(QUrl(fake.url()));
    QCOMPARE(sandboxChanged.size(), 1);
    QSignalSpy clients(&c, &ConnectionController::clientChanged);
    c.connectTo(ConnectionTarget::sandbox());
    QTRY_COMPARE(c.state(), ConnectionController::State::Connected);
    QVERIFY(c.client());
    QCOMPARE(c.client()->options().endpoint.port(), QUrl(fake.url()).port());
    QCOMPARE(c.info().region, QStringLiteral("us-east-1"));
    QVERIFY(!c.info().awsEndpoint);
    QVERIFY(clients.size() >= 2); // nullptr while connecting, then the client
}

void TstConnectionController::profilesAndProfileCredentials()
{
    QTemporaryDir home;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".aws")));
    QFile config(home.filePath(QStringLiteral(".aws/config")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-central-1\n"
                 "aws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n");
    config.close();
    ConnectionController c(nullptr, aws::Environment::fromMap({}, home.path()));
    QSignalSpy profiles(&c, &ConnectionController::profilesChanged);
    c.refreshProfiles();
    QTRY_COMPARE(profiles.size(), 1);
    QCOMPARE(c.profiles(), (QStringList{QStringLiteral("default"), QStringLiteral("dev")}));

    c.connectTo(ConnectionTarget::forProfile(QStringLiteral("dev")));
    QTRY_COMPARE(c.state(), ConnectionController::State::Connected);
    QCOMPARE(c.info().region, QStringLiteral("eu-central-1"));
    QCOMPARE(c.info().endpoint, QStringLiteral("https://kinesis.eu-central-1.amazonaws.com"));
    QVERIFY(c.info().awsEndpoint);
    QVERIFY(c.info().credentialSource.contains(QStringLiteral("AKIDDEV")));
    QVERIFY(!c.info().credentialSource.contains(QStringLiteral("dev-secret")));

    // The default profile has a region but no keys: no credentials, said in words.
    c.connectTo(ConnectionTarget::forProfile(QStringLiteral("default")));
    QTRY_COMPARE(c.state(), ConnectionController::State::Failed);
    QVERIFY2(c.problem().contains(QStringLiteral("No AWS credentials were found")), qPrintable(c.problem()));
}

void TstConnectionController::keychainKeysAreUsed()
{
    MemorySecretStore secrets;
    ConnectionController c(&secrets, aws::Environment());
    ConnectionTarget t = ConnectionTarget::newCustom();
    t.endpointUrl = QStringLiteral("http://127.0.0.1:1");
    t.region = QStringLiteral("us-west-2");
    t.keysInKeychain = true;
    c.connectTo(t);
    QTRY_COMPARE(c.state(), ConnectionController::State::Failed);
    QVERIFY(c.problem().contains(QStringLiteral("No keys are stored")));

    bool stored = false;
    c.storeKeys(t, aws::Credentials{QStringLiteral("AKIDTYPED"), QStringLiteral("typed-secret"), QStringLiteral("tok"), {}, {}},
                [&](Result<void> r) { stored = r.ok(); });
    QTRY_VERIFY(stored);
    c.connectTo(t);
    QTRY_COMPARE(c.state(), ConnectionController::State::Connected);
    QCOMPARE(c.client()->options().credentials.accessKeyId, QStringLiteral("AKIDTYPED"));
    QCOMPARE(c.client()->options().credentials.sessionToken, QStringLiteral("tok"));
    QCOMPARE(c.info().region, QStringLiteral("us-west-2"));

    secrets.failNext(Error::config(QStringLiteral("locked"), QStringLiteral("KeychainAccessDenied")));
    c.connectTo(t);
    QTRY_COMPARE(c.state(), ConnectionController::State::Failed);
    QVERIFY(c.problem().contains(QStringLiteral("locked")));
}

void TstConnectionController::staleResolutionIsDropped()
{
    kwb::test::FakeKinesis first;
    kwb::test::FakeKinesis second;
    ConnectionController c(nullptr, aws::Environment());
    ConnectionTarget a = ConnectionTarget::newCustom();
    a.endpointUrl = first.url();
    ConnectionTarget b = ConnectionTarget::newCustom();
    b.endpointUrl = second.url();
    QSignalSpy connected(&c, &ConnectionController::connected);
    c.connectTo(a);
    c.connectTo(b); // before a resolved
    QTRY_COMPARE(c.state(), ConnectionController::State::Connected);
    QTRY_COMPARE(connected.size(), 1);
    QCOMPARE(c.client()->options().endpoint.port(), QUrl(second.url()).port());
    QCOMPARE(c.target().id, b.id);
}

void TstConnectionController::problemsInWords_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("words");
    QTest::newRow("expired") << int(Error::Kind::Access) << QStringLiteral("ExpiredTokenException") << QStringLiteral("session token has expired");
    QTest::newRow("signature") << int(Error::Kind::Access) << QStringLiteral("InvalidSignatureException") << QStringLiteral("secret access key is probably wrong");
    QTest::newRow("denied") << int(Error::Kind::Access) << QStringLiteral("AccessDeniedException") << QStringLiteral("refused the credentials");
    QTest::newRow("network") << int(Error::Kind::Network) << QStringLiteral("ConnectionRefused") << QStringLiteral("Cannot reach");
}

void TstConnectionController::problemsInWords()
{
    QFETCH(int, kind);
    QFETCH(QString, code);
    QFETCH(QString, words);
    const Error error{Error::Kind(kind), code, QStringLiteral("details"), 400};
    const QString text = ProblemText::describe(error, QStringLiteral("http://x"));
    QVERIFY2(text.contains(words), qPrintable(text));
    QCOMPARE(ProblemText::isCredentialProblem(error), Error::Kind(kind) == Error::Kind::Access);
}

QTEST_GUILESS_MAIN(TstConnectionController)
#include "tst_connectioncontroller.moc"
