// The rules the main window used to hold, now in the controllers: what a Send or Retry click asks
// first (SendController::decideSend/decideRetry) and which stream is chosen once the streams are
// listed (StreamController::chooseListed), which target a saved id or an opened workspace names
// (TargetList) and the recent files (WorkbenchSettings). The expected questions are the window's words as
// they were before the rules moved (tst_mainwindow drives the same questions through the window).

#include "FakeKinesis.h"
#include "ScriptedHttpServer.h"
#include "WorkbenchSettings.h"
#include "controllers/ConnectionController.h"
#include "controllers/SendController.h"
#include "controllers/StreamController.h"
#include "controllers/TargetList.h"
#include "models/Workspace.h"
#include "net/KinesisClient.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstWindowRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void targetListFindsWhatASavedIdOrWorkspaceNames();
    void recentFilesKeepTheNewestEightOnce();
    void notReadySendsPlainlyToBeRefused();
    void freshRowsGoWithoutAQuestion();
    void rowsSucceededAlreadyAreLeftOutWithANote();
    void allSucceededAsksToSendAgain_data();
    void allSucceededAsksToSendAgain();
    void productionTargetAsks();
    void retryAsksOnlyForProductionWhenReady();
    void chooseListedPrefersWantedThenCurrentThenLast();
    void chooseListedOnTheSandboxTakesDemo();
    void chooseListedSaysWhenTheWantedStreamIsMissing();

private:
    QTemporaryDir m_dir;
    static net::ClientOptions options(const QString &url)
    {
        net::ClientOptions o;
        o.endpoint = QUrl(url);
        o.credentials.accessKeyId = QStringLiteral("AKIDTEST");
        o.credentials.secretAccessKey = QStringLiteral("secret");
        return o;
    }
    struct Rig
    {
        Workspace workspace;
        net::KinesisClient client{options(QStringLiteral("http://127.0.0.1:9"))};
        SendController sender{&workspace};

        explicit Rig(int rows, int succeeded = 0)
        {
            std::vector<RowContent> content(static_cast<size_t>(rows));
            for (int i = 0; i < rows; ++i) {
                content[size_t(i)].partitionKey = QByteArray::number(i);
                content[size_t(i)].data = QByteArrayLiteral("{}");
            }
            workspace.insertRows(0, std::move(content));
            for (int i = 0; i < succeeded; ++i)
                workspace.mutableResults().setStatus(i, send::RowStatus::Succeeded);
            sender.setClient(&client);
            sender.setStream(QStringLiteral("orders"));
        }
    };
    static std::vector<int> rows(int n)
    {
        std::vector<int> r(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i)
            r[size_t(i)] = i;
        return r;
    }
    /// A StreamController that has listed `streams` from a fake endpoint.
    static void listed(StreamController &streams, test::FakeKinesis &fake, net::KinesisClient &client, const QStringList &names)
    {
        for (const QString &name : names)
            fake.addStream(name, 1);
        QSignalSpy changed(&streams, &StreamController::streamsChanged);
        streams.setClient(&client);
        streams.refreshStreams();
        QTRY_VERIFY(streams.hasListed());
    }
};

void TstWindowRules::notReadySendsPlainlyToBeRefused()
{
    Rig rig(3, 3);
    rig.sender.setStream(QString());
    const SendDecision d = rig.sender.decideSend(rows(3), false, QStringLiteral("Prod"));
    QCOMPARE(d.action, SendDecision::Action::Send);
    QCOMPARE(d.rows, rows(3));
    QVERIFY(d.question.isEmpty());
    QVERIFY(d.note.isEmpty());
}

void TstWindowRules::freshRowsGoWithoutAQuestion()
{
    Rig rig(3);
    const SendDecision d = rig.sender.decideSend(rows(3), false, QString());
    QCOMPARE(d.action, SendDecision::Action::Send);
    QCOMPARE(d.rows, rows(3));
    QVERIFY(d.question.isEmpty());
    QVERIFY(d.note.isEmpty());
}

void TstWindowRules::rowsSucceededAlreadyAreLeftOutWithANote()
{
    Rig rig(3, 2);
    const SendDecision d = rig.sender.decideSend(rows(3), false, QString());
    QCOMPARE(d.action, SendDecision::Action::Send);
    QVERIFY(d.question.isEmpty());
    QCOMPARE(d.note, QStringLiteral("Sending 1 rows; 2 that succeeded already are not sent again."));
}

void TstWindowRules::allSucceededAsksToSendAgain_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("selected");
    QTest::addColumn<QString>("production");
    QTest::addColumn<QString>("question");
    const QString tail = QStringLiteral(" Send again to stream orders? The stream gets the records a second time, as new records.");
    QTest::newRow("one") << 1 << true << QString() << QStringLiteral("This row was sent already.") + tail;
    QTest::newRow("all") << 3 << false << QString() << QStringLiteral("All 3 rows were sent already.") + tail;
    QTest::newRow("selected") << 3 << true << QString() << QStringLiteral("All 3 selected rows were sent already.") + tail;
    QTest::newRow("production") << 2 << false << QStringLiteral("Prod")
                                << QStringLiteral("All 2 rows were sent already.") + tail + QStringLiteral(" Prod is a production target.");
}

void TstWindowRules::allSucceededAsksToSendAgain()
{
    QFETCH(int, count);
    QFETCH(bool, selected);
    QFETCH(QString, production);
    QFETCH(QString, question);
    Rig rig(count, count);
    const SendDecision d = rig.sender.decideSend(rows(count), selected, production);
    QCOMPARE(d.action, SendDecision::Action::SendAgain);
    QCOMPARE(d.rows, rows(count));
    QCOMPARE(d.question, question);
}

void TstWindowRules::productionTargetAsks()
{
    Rig rig(3, 1);
    const SendDecision d = rig.sender.decideSend(rows(3), false, QStringLiteral("Prod"));
    QCOMPARE(d.action, SendDecision::Action::Send);
    QCOMPARE(d.question, QStringLiteral("Prod is a production target. Send 2 rows to stream orders?"));
    QCOMPARE(d.note, QStringLiteral("Sending 2 rows; 1 that succeeded already are not sent again."));
}

void TstWindowRules::retryAsksOnlyForProductionWhenReady()
{
    Rig rig(2);
    QCOMPARE(rig.sender.decideRetry(QString()).action, SendDecision::Action::RetryFailed);
    QVERIFY(rig.sender.decideRetry(QString()).question.isEmpty());
    QCOMPARE(rig.sender.decideRetry(QStringLiteral("Prod")).question,
             QStringLiteral("Prod is a production target. Send the 0 failed rows again to stream orders?"));
    rig.sender.setStream(QString());
    QVERIFY(rig.sender.decideRetry(QStringLiteral("Prod")).question.isEmpty()); // refused with the reason instead
}

void TstWindowRules::chooseListedPrefersWantedThenCurrentThenLast()
{
    test::FakeKinesis fake;
    net::KinesisClient client(options(fake.url()));
    StreamController streams;
    listed(streams, fake, client, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    QCOMPARE(streams.chooseListed(QStringLiteral("b"), false), QStringLiteral("b"));
    QCOMPARE(streams.chooseListed(QStringLiteral("gone"), false), QString());
    streams.selectStream(QStringLiteral("c"));
    QCOMPARE(streams.chooseListed(QStringLiteral("b"), false), QStringLiteral("c"));
    streams.setWantedStream(QStringLiteral("a"));
    QString missing;
    QCOMPARE(streams.chooseListed(QStringLiteral("b"), false, &missing), QStringLiteral("a"));
    QVERIFY(missing.isEmpty());
    QVERIFY(streams.wantedStream().isEmpty()); // taken once
    QCOMPARE(streams.chooseListed(QStringLiteral("b"), false), QStringLiteral("c"));
}

void TstWindowRules::chooseListedOnTheSandboxTakesDemo()
{
    test::FakeKinesis fake;
    net::KinesisClient client(options(fake.url()));
    StreamController streams;
    listed(streams, fake, client, {QStringLiteral("alpha"), QStringLiteral("demo")});
    QCOMPARE(streams.chooseListed(QString(), true), QStringLiteral("demo"));
    QCOMPARE(streams.chooseListed(QString(), false), QString());
    QCOMPARE(streams.chooseListed(QStringLiteral("alpha"), true), QStringLiteral("alpha"));
    fake.streams.remove(QStringLiteral("demo"));
    streams.refreshStreams();
    QTRY_COMPARE(streams.streams(), QStringList{QStringLiteral("alpha")});
    QCOMPARE(streams.chooseListed(QString(), true), QStringLiteral("alpha"));
}

void TstWindowRules::chooseListedSaysWhenTheWantedStreamIsMissing()
{
    test::FakeKinesis fake;
    net::KinesisClient client(options(fake.url()));
    StreamController streams;
    // Wanted before the client lists: the empty list a client change starts with does not count.
    streams.setWantedStream(QStringLiteral("orders"));
    streams.setClient(&client);
    QString missing;
    QCOMPARE(streams.chooseListed(QString(), false, &missing), QString());
    QVERIFY(missing.isEmpty());
    QCOMPARE(streams.wantedStream(), QStringLiteral("orders"));
    listed(streams, fake, client, {QStringLiteral("clicks")});
    QCOMPARE(streams.chooseListed(QString(), false, &missing), QString());
    QCOMPARE(missing, QStringLiteral("orders"));
    QVERIFY(streams.wantedStream().isEmpty());
}

void TstWindowRules::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
}

void TstWindowRules::init()
{
    QSettings().clear();
}

void TstWindowRules::targetListFindsWhatASavedIdOrWorkspaceNames()
{
    ConnectionController connection(nullptr, aws::Environment());
    TargetList list(&connection);
    ConnectionTarget a = ConnectionTarget::newCustom();
    a.name = QStringLiteral("local");
    a.endpointUrl = QStringLiteral("http://127.0.0.1:4567");
    a.region = QStringLiteral("eu-west-1");
    ConnectionTarget b = ConnectionTarget::newCustom();
    b.name = QStringLiteral("staging");
    b.endpointUrl = QStringLiteral("https://kinesis.example");
    b.region = QStringLiteral("us-east-2");
    b.production = true;
    list.saveCustom(a);
    list.saveCustom(b);
    a.name = QStringLiteral("local again");
    list.saveCustom(a); // same id: replaced, not added
    const QList<ConnectionTarget> all = list.all();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].kind, ConnectionTarget::Kind::Sandbox);
    QCOMPARE(all[1].name, QStringLiteral("local again"));
    QVERIFY(all[2].production);

    QCOMPARE(list.byId(a.id).name, QStringLiteral("local again"));
    QCOMPARE(list.byId(QStringLiteral("profile:dev")).profile, QStringLiteral("dev"));
    QVERIFY(!list.byId(QStringLiteral("sandbox")).isValid()); // connects once it runs
    QVERIFY(!list.byId(QString()).isValid());

    workspace::SavedTarget saved = TargetList::toSaved(b);
    QCOMPARE(saved.kind, QStringLiteral("custom"));
    QCOMPARE(list.forSaved(saved).id, b.id);
    QVERIFY(list.forSaved(saved).production);
    // Another machine's id for the same endpoint and region: found by those.
    saved = TargetList::toSaved(a);
    saved.id = QStringLiteral("custom:elsewhere");
    QCOMPARE(list.forSaved(saved).id, a.id);
    QVERIFY(!list.forSaved(saved).production);
    saved.production = true; // marked production where it was saved: stays so here
    QVERIFY(list.forSaved(saved).production);
    saved.region = QStringLiteral("ap-south-1");
    QVERIFY(!list.forSaved(saved).isValid());

    saved = TargetList::toSaved(ConnectionTarget::sandbox());
    QCOMPARE(saved.kind, QStringLiteral("sandbox"));
    QCOMPARE(list.forSaved(saved).kind, ConnectionTarget::Kind::Sandbox);
    list.setProduction(QStringLiteral("sandbox"), true);
    QVERIFY(list.sandbox().production);
    QVERIFY(list.forSaved(saved).production);

    saved = TargetList::toSaved(ConnectionTarget::forProfile(QStringLiteral("nowhere")));
    QCOMPARE(saved.kind, QStringLiteral("profile"));
    QVERIFY(!list.forSaved(saved).isValid()); // no such profile here
}

void TstWindowRules::recentFilesKeepTheNewestEightOnce()
{
    WorkbenchSettings settings;
    QVERIFY(settings.recentFiles().isEmpty());
    for (int i = 1; i <= 10; ++i)
        settings.addRecentFile(QStringLiteral("/data/f%1.jsonl").arg(i));
    settings.addRecentFile(QStringLiteral("/data/f5.jsonl"));
    const QStringList expected{QStringLiteral("/data/f5.jsonl"), QStringLiteral("/data/f10.jsonl"), QStringLiteral("/data/f9.jsonl"),
                               QStringLiteral("/data/f8.jsonl"), QStringLiteral("/data/f7.jsonl"), QStringLiteral("/data/f6.jsonl"),
                               QStringLiteral("/data/f4.jsonl"), QStringLiteral("/data/f3.jsonl")};
    QCOMPARE(WorkbenchSettings().recentFiles(), expected);
    settings.clearRecentFiles();
    QVERIFY(WorkbenchSettings().recentFiles().isEmpty());
    QVERIFY(!settings.importKeys().has_value());
    import::ImportOptions keys;
    keys.keyStrategy = import::KeyStrategy::Field;
    keys.partitionKeyField = QStringLiteral("user.id");
    settings.setImportKeys(keys);
    QCOMPARE(WorkbenchSettings().importKeys()->partitionKeyField, QStringLiteral("user.id"));
    QCOMPARE(WorkbenchSettings().importKeys()->keyStrategy, import::KeyStrategy::Field);
}

QTEST_MAIN(TstWindowRules)
#include "tst_windowrules.moc"
