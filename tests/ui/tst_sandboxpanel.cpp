// The Sandbox dock: its controls change the running sandbox at once, and "Provoke throttling"
// makes an ordinary send of the sample's size to one shard come back partly throttled, as a class
// would see it.
#include "TestSupport.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"
#include "views/SandboxPanel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace kwb;

class TstSandboxPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void controlsChangeTheRunningSandbox();
    void provokeThrottlingThrottlesASend();
};

void TstSandboxPanel::controlsChangeTheRunningSandbox()
{
    sandbox::SandboxServer server;
    KWB_VERIFY_OK(server.start(0));
    ui::SandboxPanel panel(&server);
    auto *limits = panel.findChild<QCheckBox *>(QStringLiteral("sandboxLimits"));
    auto *scale = panel.findChild<QDoubleSpinBox *>(QStringLiteral("sandboxScale"));
    auto *records = panel.findChild<QDoubleSpinBox *>(QStringLiteral("sandboxRecordFailures"));
    auto *requests = panel.findChild<QDoubleSpinBox *>(QStringLiteral("sandboxRequestFailures"));
    auto *latency = panel.findChild<QSpinBox *>(QStringLiteral("sandboxLatency"));
    QVERIFY(limits && scale && records && requests && latency);
    QVERIFY(limits->isChecked()); // AWS's behaviour by default

    limits->setChecked(false);
    QCOMPARE(server.options().limitsEnabled, false);
    QVERIFY(!scale->isEnabled());
    records->setValue(12.5);
    QCOMPARE(server.options().recordFailureRate, 0.125);
    requests->setValue(10);
    QCOMPARE(server.options().internalErrorRate, 0.05);
    QCOMPARE(server.options().unavailableRate, 0.05);
    latency->setValue(250);
    QCOMPARE(server.options().latencyMs, 250);

    panel.findChild<QPushButton *>(QStringLiteral("sandboxReset"))->click();
    QCOMPARE(server.options().limitsEnabled, true);
    QCOMPARE(server.options().limitScale, 1.0);
    QCOMPARE(server.options().recordFailureRate, 0.0);
    QCOMPARE(server.options().internalErrorRate + server.options().unavailableRate, 0.0);
    QCOMPARE(server.options().latencyMs, 0);
    QCOMPARE(records->value(), 0.0);
}

void TstSandboxPanel::provokeThrottlingThrottlesASend()
{
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 1}};
    sandbox::SandboxServer server(options);
    auto url = server.start(0);
    KWB_VERIFY_OK(url);
    ui::SandboxPanel panel(&server);
    panel.findChild<QPushButton *>(QStringLiteral("sandboxProvokeThrottling"))->click();
    QCOMPARE(server.options().limitsEnabled, true);
    QCOMPARE(server.options().limitScale, 0.01);

    net::ClientOptions clientOptions;
    clientOptions.endpoint = url.value();
    clientOptions.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
    net::KinesisClient client(clientOptions);
    std::vector<Record> records;
    // As many records as the sample has (all on the one shard here).
    for (int i = 0; i < 50; ++i)
        records.push_back({QStringLiteral("k%1").arg(i), QByteArray(10, 'x'), std::nullopt});
    auto put = test::await<net::PutRecordsResult>(
        [&](QObject *ctx, auto done) { client.putRecords(QStringLiteral("demo"), records, ctx, done); });
    KWB_VERIFY_OK(put);
    // A hundredth of 1,000 records/s: about 10 go through in this second, the rest are throttled.
    int throttled = 0;
    for (const auto &entry : put.value().records)
        throttled += entry.errorCode == QLatin1String("ProvisionedThroughputExceededException");
    QVERIFY2(throttled >= 38 && throttled <= 42, qPrintable(QString::number(throttled)));
    QCOMPARE(put.value().failedRecordCount, throttled);

    panel.refreshStats();
    const QString stats = panel.findChild<QLabel *>(QStringLiteral("sandboxStats"))->text();
    QVERIFY2(stats.contains(QStringLiteral("%1 throttled").arg(QLocale().toString(throttled))), qPrintable(stats));
}

QTEST_MAIN(TstSandboxPanel)
#include "tst_sandboxpanel.moc"
