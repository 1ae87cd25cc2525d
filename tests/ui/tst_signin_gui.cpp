// The GUI's sign-in: the device flow in SignInDialog (the browser replaced by a test hook that
// approves the code, as the user would), the MFA dialog, MFA codes asked from the connection's
// worker thread, profile kinds in the target list, and "Who am I?" — against the built-in
// sandbox's STS and SSO endpoints. Expected identities come from the profiles' role ARNs.
#include "controllers/ConnectionController.h"
#include "controllers/SendController.h"
#include "controllers/SignInController.h"
#include "models/Workspace.h"
#include "RecordStore.h"
#include "ShardMap.h"
#include "TestSupport.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"
#include "dialogs/MfaDialog.h"
#include "dialogs/SignInDialog.h"
#include "sandbox/SandboxServer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

using namespace kwb;
using namespace kwb::ui;

class TstSignInGui : public QObject
{
    Q_OBJECT

    sandbox::SandboxServer *m_sandbox = nullptr;
    QUrl m_url;
    QTemporaryDir m_home;

    aws::Environment env() const
    {
        return aws::Environment::fromMap({{QStringLiteral("AWS_CONFIG_FILE"), m_home.filePath(QStringLiteral("config"))},
                                          {QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home.filePath(QStringLiteral("nothing"))},
                                          {QStringLiteral("AWS_ENDPOINT_URL"), m_url.toString()}},
                                         m_home.path());
    }

private:
    // A valid SSO sign-in for the "corp" session: the sandbox knows the token for an hour and the
    // AWS CLI's token cache holds it. Returns the cache file (empty if it could not be written).
    QString signedIn(const QString &token)
    {
        m_sandbox->identity().addAccessToken(token, QDateTime::currentMSecsSinceEpoch() + 3600 * 1000);
        const QString cacheDir = m_home.filePath(QStringLiteral(".aws/sso/cache"));
        QDir().mkpath(cacheDir);
        const QString cache = cacheDir + QLatin1Char('/')
            + QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex()) + QStringLiteral(".json");
        QFile file(cache);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("startUrl"), QStringLiteral("https://corp.awsapps.com/start")},
                                             {QStringLiteral("region"), QStringLiteral("us-east-1")},
                                             {QStringLiteral("accessToken"), token},
                                             {QStringLiteral("expiresAt"),
                                              QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate)}})
                       .toJson());
        return cache;
    }

private Q_SLOTS:
    void initTestCase()
    {
        sandbox::SandboxOptions options;
        options.initialStreams = {sandbox::InitialStream{QStringLiteral("paced"), 1}}; // 1,000 records/s
        m_sandbox = new sandbox::SandboxServer(options, this);
        auto started = m_sandbox->start();
        QVERIFY(started.ok());
        m_url = started.value();
        QFile config(m_home.filePath(QStringLiteral("config")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("[profile base]\naws_access_key_id = AKIDGUIBASE\naws_secret_access_key = gui-secret-FIXTURE\n"
                     "region = us-east-1\n\n"
                     "[profile mfa]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = base\n"
                     "mfa_serial = arn:aws:iam::000000000000:mfa/alice\nrole_session_name = alice\nregion = us-east-1\n\n"
                     "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n"
                     "region = eu-west-1\n\n"
                     "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n");
    }

    void deviceSignInThroughTheDialog()
    {
        QUrl opened;
        SignInDialog::setBrowserOpener([&](const QUrl &url) {
            opened = url;
            // The user checks the code and approves in the browser.
            m_sandbox->identity().approveDevice(QUrlQuery(url).queryItemValue(QStringLiteral("user_code")));
        });
        const auto files = aws::SharedConfig::load(env());
        QVERIFY(files.ok());
        SignInDialog dialog(files.value(), env(), QStringLiteral("sso"));
        dialog.open();
        dialog.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isValid(), 10000);
        QVERIFY(!dialog.userCode().isEmpty());
        QVERIFY(opened.toString().contains(dialog.userCode()));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
        SignInDialog::setBrowserOpener({});
        // The AWS CLI's cache file, named by the SHA-1 of the session name.
        const QString cache = m_home.filePath(QStringLiteral(".aws/sso/cache/")
                                              + QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex())
                                              + QStringLiteral(".json"));
        QVERIFY(QFile::exists(cache));

        // Now the SSO profile connects, and Who am I? names its account.
        ConnectionController c(nullptr, env());
        c.refreshProfiles();
        QTRY_VERIFY(c.profiles().contains(QStringLiteral("sso")));
        const ConnectionTarget target = c.profileTarget(QStringLiteral("sso"));
        QCOMPARE(target.profileKind, QStringLiteral("SSO"));
        QCOMPARE(target.account, QStringLiteral("123456789012"));
        QVERIFY(target.label().contains(QStringLiteral("SSO · 123456789012 · eu-west-1")));
        c.connectTo(target);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), ConnectionController::State::Connected, 15000);
        std::optional<Result<aws::CallerIdentity>> identity;
        c.whoAmI([&](Result<aws::CallerIdentity> r) { identity = r; });
        QTRY_VERIFY_WITH_TIMEOUT(identity.has_value(), 10000);
        QVERIFY2(identity->ok(), identity->ok() ? "" : qPrintable(identity->error().message));
        QCOMPARE(identity->value().account, QStringLiteral("123456789012"));
    }

    void signInFailureOffersTryAgain()
    {
        // A start URL the sandbox refuses: the dialog shows the problem and Try again.
        QFile config(m_home.filePath(QStringLiteral("config")));
        QVERIFY(config.open(QIODevice::Append));
        config.write("\n[profile broken]\nsso_session = broken\nsso_account_id = 123456789012\nsso_role_name = X\n"
                     "[sso-session broken]\nsso_start_url = not-a-url\nsso_region = us-east-1\n");
        config.close();
        const auto files = aws::SharedConfig::load(env());
        QVERIFY(files.ok());
        SignInDialog dialog(files.value(), env(), QStringLiteral("broken"));
        dialog.open();
        dialog.start();
        auto *retry = dialog.findChild<QPushButton *>(QStringLiteral("retrySignIn"));
        QVERIFY(retry);
        QTRY_VERIFY_WITH_TIMEOUT(retry->isVisible(), 10000);
        QVERIFY2(dialog.statusText().contains(QStringLiteral("\"broken\"")), qPrintable(dialog.statusText()));
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }

    // An SSO sign-in that ends while connected: renewing the short-lived role credentials fails
    // with SsoLoginRequired before they expire, and the window's banner offers Sign in.
    void endedSsoSignInIsReportedBeforeExpiry()
    {
        m_sandbox->identity().setCredentialLifetimeCap(6);
        const QString token = QStringLiteral("gui-token-FIXTURE");
        const QString cache = signedIn(token);
        QVERIFY(!cache.isEmpty());

        Workspace workspace;
        SendController sender(&workspace);
        Banner banner;
        ConnectionBar bar;
        QWidget window;
        ConnectionController c(nullptr, env(), &window);
        new SignInController(&c, &bar, &banner, &sender, &window);
        QSignalSpy expiring(&c, &ConnectionController::credentialsExpiring);
        c.connectTo(ConnectionTarget::forProfile(QStringLiteral("sso"), QStringLiteral("SSO")));
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), ConnectionController::State::Connected, 15000);
        const QDateTime expires = *c.client()->options().credentials.expiration;
        QVERIFY(QDateTime::currentDateTimeUtc().secsTo(expires) <= 6);
        QFile::remove(cache); // the sign-in is gone (signed out, or ended)
        QTRY_COMPARE_WITH_TIMEOUT(expiring.size(), 1, 10000);
        QVERIFY(QDateTime::currentDateTimeUtc() < expires); // reported before the credentials expire
        QCOMPARE(expiring.first().at(0).toString(), QStringLiteral("SsoLoginRequired"));
        QCOMPARE(banner.kind(), Banner::Kind::Warning);
        QVERIFY2(banner.text().contains(QStringLiteral("sso login --profile sso")), qPrintable(banner.text()));
        m_sandbox->identity().setCredentialLifetimeCap(0);
    }

    // The SSO sign-in ends during a send that lasts longer than the role credentials: the send
    // pauses before they expire (no row fails), the banner offers Sign in, and after signing in
    // (the device flow, approved as the user would) the send goes on by itself and every row
    // succeeds.
    void endedSsoSignInPausesTheSendUntilSignedIn()
    {
        m_sandbox->identity().setCredentialLifetimeCap(6);
        const QString token = QStringLiteral("gui-pause-token-FIXTURE");
        const QString cache = signedIn(token);
        QVERIFY(!cache.isEmpty());

        constexpr int kRows = 12000; // 12 s at the sandbox's 1,000 records/s on one shard
        Workspace workspace;
        RecordStore store;
        for (int i = 0; i < kRows; ++i)
            store.append(QStringLiteral("key-%1").arg(i).toUtf8(), QStringLiteral("record %1").arg(i).toUtf8());
        workspace.loadRecords(store);
        SendController sender(&workspace);
        sender.setSandboxServer(m_sandbox);
        Banner banner;
        ConnectionBar bar;
        QWidget window;
        ConnectionController c(nullptr, env(), &window);
        new SignInController(&c, &bar, &banner, &sender, &window);
        // What the window does when the connection changes: the sender gets the new client, and
        // the stream and its shard map once listed.
        std::optional<ShardMap> map;
        connect(&c, &ConnectionController::clientChanged, &sender, [&](net::KinesisClient *client) {
            sender.setClient(client);
            sender.setStream(QString());
            sender.setShardMap(ShardMap());
        });
        connect(&c, &ConnectionController::connected, &sender, [&] {
            c.client()->listShards(QStringLiteral("paced"), &sender, [&](Result<std::vector<Shard>> shards) {
                QVERIFY(shards.ok());
                auto m = ShardMap::fromShards(shards.value());
                QVERIFY(m.ok());
                map = m.value();
                sender.setStream(QStringLiteral("paced"));
                sender.setShardMap(m.value());
            });
        });
        QSignalSpy paused(&sender, &SendController::pausedChanged);
        QSignalSpy resumed(&sender, &SendController::resumed);
        c.connectTo(ConnectionTarget::forProfile(QStringLiteral("sso"), QStringLiteral("SSO")));
        QTRY_VERIFY_WITH_TIMEOUT(map.has_value(), 15000);
        QVERIFY(sender.sendAll());
        QTRY_VERIFY_WITH_TIMEOUT(sender.counters().succeeded > 500, 10000); // the send is well under way
        QFile::remove(cache); // the sign-in ends

        QTRY_COMPARE_WITH_TIMEOUT(paused.size(), 1, 10000);
        QVERIFY(sender.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(!sender.isRunning(), 10000); // requests in flight finished
        QCOMPARE(banner.kind(), Banner::Kind::Warning);
        QVERIFY2(banner.text().contains(QStringLiteral("paused")), qPrintable(banner.text()));
        auto *action = banner.findChild<QPushButton *>(QStringLiteral("bannerAction"));
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("Sign in…"));
        int failed = 0, pending = 0, succeeded = 0;
        for (int row = 0; row < kRows; ++row) {
            const auto status = workspace.results().status(row);
            failed += status == send::RowStatus::Failed || status == send::RowStatus::Cancelled;
            pending += status == send::RowStatus::Pending;
            succeeded += status == send::RowStatus::Succeeded;
        }
        QCOMPARE(failed, 0);
        QVERIFY2(pending > 0 && succeeded > 0, qPrintable(QStringLiteral("%1 pending, %2 succeeded").arg(pending).arg(succeeded)));
        QCOMPARE(sender.pausedRowCount(), pending);

        // Sign in from the banner: the device flow, approved in the "browser".
        SignInDialog::setBrowserOpener([&](const QUrl &url) {
            m_sandbox->identity().approveDevice(QUrlQuery(url).queryItemValue(QStringLiteral("user_code")));
        });
        QTest::mouseClick(action, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, 20000);
        SignInDialog::setBrowserOpener({});
        QCOMPARE(resumed.first().at(0).toInt(), pending);
        QVERIFY(!sender.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(!sender.isRunning(), 30000);
        for (int row = 0; row < kRows; ++row)
            QCOMPARE(workspace.results().status(row), send::RowStatus::Succeeded);
        QVERIFY2(banner.text().contains(QStringLiteral("goes on with")), qPrintable(banner.text()));
        m_sandbox->identity().setCredentialLifetimeCap(0);
    }

    void mfaDialogAcceptsSixDigits()
    {
        MfaDialog dialog(aws::MfaPrompt{QStringLiteral("mfa"), QStringLiteral("arn:aws:iam::000000000000:mfa/alice"),
                                        QStringLiteral("arn:aws:iam::111122223333:role/Admin"), QStringLiteral("config:7")});
        auto *code = dialog.findChild<QLineEdit *>(QStringLiteral("mfaCode"));
        QVERIFY(code);
        QString entered;
        connect(&dialog, &MfaDialog::codeEntered, this, [&](const QString &c) { entered = c; });
        dialog.open();
        QTest::keyClicks(code, QStringLiteral("12a345"));
        QCOMPARE(code->text(), QStringLiteral("12345")); // letters are not taken
        QTest::keyClick(code, Qt::Key_Return);
        QVERIFY(dialog.isVisible()); // five digits: OK is not enabled
        QTest::keyClicks(code, QStringLiteral("6"));
        QTest::keyClick(code, Qt::Key_Return);
        QCOMPARE(entered, QStringLiteral("123456"));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void mfaAskedFromTheConnection_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("connects");
        QTest::newRow("right code") << "123456" << true; // the sandbox's MFA code
        QTest::newRow("wrong code") << "999999" << false;
    }
    void mfaAskedFromTheConnection()
    {
        QFETCH(QString, code);
        QFETCH(bool, connects);
        ConnectionController c(nullptr, env());
        aws::MfaPrompt asked;
        bool onGuiThread = false;
        c.setMfaPrompter([&](const aws::MfaPrompt &prompt, std::function<void(std::optional<QString>)> answer) {
            asked = prompt;
            onGuiThread = QThread::currentThread() == qApp->thread();
            // Answered later, as a dialog would be.
            QTimer::singleShot(50, this, [answer, code] { answer(code); });
        });
        c.connectTo(ConnectionTarget::forProfile(QStringLiteral("mfa")));
        QTRY_VERIFY_WITH_TIMEOUT(c.state() == ConnectionController::State::Connected
                                     || c.state() == ConnectionController::State::Failed,
                                 15000);
        QVERIFY(onGuiThread);
        QCOMPARE(asked.serialNumber, QStringLiteral("arn:aws:iam::000000000000:mfa/alice"));
        if (!connects) {
            QCOMPARE(c.problemCode(), QStringLiteral("WrongMfaCode"));
            return;
        }
        QCOMPARE(c.state(), ConnectionController::State::Connected);
        std::optional<Result<aws::CallerIdentity>> identity;
        c.whoAmI([&](Result<aws::CallerIdentity> r) { identity = r; });
        QTRY_VERIFY_WITH_TIMEOUT(identity.has_value(), 10000);
        QVERIFY(identity->ok());
        QCOMPARE(identity->value().arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/Admin/alice"));
    }
};

QTEST_MAIN(TstSignInGui)
#include "tst_signin_gui.moc"
