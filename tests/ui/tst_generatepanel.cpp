// The Generate dock: template errors shown in place as the user types, a preview of ten records
// whose predicted shards agree with an independent MD5 computation (python3's hashlib), seeded
// previews that repeat, and the shipped samples.
#include "SandboxFixture.h"
#include "TestSupport.h"
#include "controllers/GenerateController.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"
#include "views/GeneratePanel.h"
#include "views/TemplateHighlighter.h"
#include "workspace/WorkspaceFile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTableWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace kwb;

class TstGeneratePanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorsInPlaceAsTheUserTypes();
    void keyTemplateErrorsInTheKeyEditor();
    void previewShardsMatchMd5();
    void seededPreviewIdenticalTwice();
    void everySampleLoadsWithoutError();
    void forecastSaysWhenTheRateIsTooHigh();
    void startPauseStopAgainstTheSandbox();
    void closingDuringARunIsSafe();
    void exportAndImportTemplateFiles();
    void workspaceKeepsTemplatesAndRunSettings();
    void rampsAndBurstsInTheForecast();
};

namespace {

/// The wavy underlined columns (from 1) of line `line` (from 1) of an editor.
QList<int> underlinedColumns(QPlainTextEdit *edit, int line)
{
    QList<int> columns;
    const QTextBlock block = edit->document()->findBlockByNumber(line - 1);
    for (const QTextLayout::FormatRange &r : block.layout()->formats()) {
        if (r.format.underlineStyle() == QTextCharFormat::WaveUnderline)
            for (int i = r.start; i < r.start + r.length; ++i)
                columns << i + 1;
    }
    return columns;
}

} // namespace

void TstGeneratePanel::errorsInPlaceAsTheUserTypes()
{
    ui::GeneratePanel panel;
    auto *data = panel.findChild<QPlainTextEdit *>(QStringLiteral("generateDataTemplate"));
    auto *error = panel.findChild<QLabel *>(QStringLiteral("generateError"));
    QVERIFY(data && error);
    QVERIFY(panel.errorText().isEmpty());
    QCOMPARE(int(panel.previewRecords().size()), ui::GeneratePanel::kPreviewRows);

    data->setPlainText(QStringLiteral("{\n  \"id\": {{random.uuid}},\n  \"x\": "));
    data->moveCursor(QTextCursor::End);
    data->setFocus();
    QTest::keyClicks(data, QStringLiteral("{{nosuch.helper}}"));
    QTest::keyClick(data, Qt::Key_Return);
    QTest::keyClicks(data, QStringLiteral("}"));
    // Not at once: after the typing pause.
    QVERIFY(panel.errorText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.errorText().isEmpty(), 3000);
    QVERIFY2(panel.errorText().startsWith(QStringLiteral("data template:3:10: ")), qPrintable(panel.errorText()));
    QVERIFY2(panel.errorText().contains(QStringLiteral("nosuch.helper")), qPrintable(panel.errorText()));
    QVERIFY(!error->isHidden());
    QCOMPARE(error->text(), panel.errorText());
    QVERIFY(panel.previewRecords().empty());
    const QList<int> underlined = underlinedColumns(data, 3);
    QVERIFY2(underlined.contains(10), qPrintable(QString::number(underlined.value(0))));
    QVERIFY(!underlined.contains(9));
    QVERIFY(underlinedColumns(data, 2).isEmpty());

    // Fixing it clears the message and the underline, and the preview comes back.
    QTextCursor c(data->document()->findBlockByNumber(2));
    c.movePosition(QTextCursor::EndOfBlock);
    c.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor);
    c.insertText(QStringLiteral("  \"x\": {{random.number(5)}}"));
    QTRY_VERIFY_WITH_TIMEOUT(panel.errorText().isEmpty(), 3000);
    QVERIFY(error->isHidden());
    QVERIFY(underlinedColumns(data, 3).isEmpty());
    QCOMPARE(int(panel.previewRecords().size()), ui::GeneratePanel::kPreviewRows);

    // Unbalanced braces.
    data->setPlainText(QStringLiteral("{\"a\": {{random.uuid}"));
    panel.refreshNow();
    QVERIFY2(panel.errorText().startsWith(QStringLiteral("data template:1:")), qPrintable(panel.errorText()));
}

void TstGeneratePanel::keyTemplateErrorsInTheKeyEditor()
{
    ui::GeneratePanel panel;
    auto *key = panel.findChild<QPlainTextEdit *>(QStringLiteral("generateKeyTemplate"));
    auto *data = panel.findChild<QPlainTextEdit *>(QStringLiteral("generateDataTemplate"));
    QVERIFY(key && data);
    key->setPlainText(QStringLiteral("user-{{random.number(\"x\")}}"));
    panel.refreshNow();
    QVERIFY2(panel.errorText().startsWith(QStringLiteral("partition key template:1:")), qPrintable(panel.errorText()));
    QVERIFY(!underlinedColumns(key, 1).isEmpty());
    for (int line = 1; line <= data->document()->blockCount(); ++line)
        QVERIFY(underlinedColumns(data, line).isEmpty());
}

void TstGeneratePanel::previewShardsMatchMd5()
{
    ui::GeneratePanel panel;
    auto map = ShardMap::uniform(4);
    KWB_VERIFY_OK(map);
    panel.setShardMap(map.value(), QStringLiteral("orders"));
    panel.setSeed(42);
    QVERIFY(panel.loadSample(QStringLiteral("hot-shard")));
    panel.refreshNow();
    QVERIFY2(panel.errorText().isEmpty(), qPrintable(panel.errorText()));
    QCOMPARE(int(panel.previewRecords().size()), 10);
    QCOMPARE(panel.previewShards().size(), 10);

    // Independently: MD5 of the key read big-endian, on four shards split as CreateStream does.
    QStringList keys;
    for (const auto &r : panel.previewRecords())
        keys << QString::fromUtf8(r.partitionKey.toHex());
    QProcess python;
    python.start(QStringLiteral("python3"),
                 QStringList{QStringLiteral("-c"),
                  QStringLiteral("import hashlib,sys\n"
                                 "step=(2**128)//4\n"
                                 "for k in sys.argv[1:]:\n"
                                 "  h=int.from_bytes(hashlib.md5(bytes.fromhex(k)).digest(),'big')\n"
                                 "  print('shardId-%012d' % min(h//step,3))\n")}
                     + keys);
    QVERIFY(python.waitForFinished(30000));
    QCOMPARE(python.exitCode(), 0);
    const QStringList expected = QString::fromUtf8(python.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(panel.previewShards(), expected);
    auto *table = panel.findChild<QTableWidget *>(QStringLiteral("generatePreview"));
    QVERIFY(table);
    for (int row = 0; row < 10; ++row) {
        QCOMPARE(table->item(row, 1)->text(), QString::fromUtf8(panel.previewRecords()[size_t(row)].partitionKey));
        QCOMPARE(table->item(row, 2)->text(), expected[row]);
    }
    // The hot-shard key picks customer-0001 often: some shard appears more than once.
    QStringList distinct = expected;
    QVERIFY(distinct.removeDuplicates() > 0);
}

void TstGeneratePanel::seededPreviewIdenticalTwice()
{
    auto clock = [] { return qint64(1767225600000); }; // 2026-01-01T00:00:00Z
    QList<QByteArray> first;
    for (int round = 0; round < 2; ++round) {
        ui::GeneratePanel panel;
        panel.setClock(clock);
        panel.loadSample(QStringLiteral("orders"));
        panel.setSeed(7);
        panel.refreshNow();
        QList<QByteArray> records;
        for (const auto &r : panel.previewRecords())
            records << r.partitionKey + '\n' + r.data;
        QCOMPARE(records.size(), 10);
        panel.refreshNow();
        QList<QByteArray> again;
        for (const auto &r : panel.previewRecords())
            again << r.partitionKey + '\n' + r.data;
        QCOMPARE(again, records);
        if (round == 0)
            first = records;
        else
            QCOMPARE(records, first);
        panel.setSeed(8);
        panel.refreshNow();
        QVERIFY(panel.previewRecords()[0].data != first[0].mid(first[0].indexOf('\n') + 1));
    }
}

void TstGeneratePanel::everySampleLoadsWithoutError()
{
    const QStringList names = ui::GeneratePanel::sampleNames();
    QCOMPARE(names, (QStringList{QStringLiteral("app-logs"), QStringLiteral("clickstream"), QStringLiteral("hot-shard"),
                                 QStringLiteral("iot-sensor"), QStringLiteral("orders")}));
    ui::GeneratePanel panel;
    for (const QString &name : names) {
        QVERIFY(panel.loadSample(name));
        panel.refreshNow();
        QVERIFY2(panel.errorText().isEmpty(), qPrintable(name + QStringLiteral(": ") + panel.errorText()));
        QCOMPARE(int(panel.previewRecords().size()), 10);
    }
}

namespace {

/// The panel with AWS's limits (1,000 records/s and 1 MiB/s per shard), two shards and the IoT
/// sample, whose keys spread evenly.
void setUpForecast(ui::GeneratePanel &panel, ui::GenerateController &controller)
{
    controller.setLimits(send::ShardLimits::documented());
    panel.setController(&controller);
    auto map = ShardMap::uniform(2);
    QVERIFY(map.ok());
    panel.setShardMap(map.value(), QStringLiteral("demo"));
    panel.loadSample(QStringLiteral("iot-sensor"));
    panel.refreshNow();
}

} // namespace

void TstGeneratePanel::forecastSaysWhenTheRateIsTooHigh()
{
    ui::GeneratePanel panel;
    ui::GenerateController controller;
    setUpForecast(panel, controller);
    auto *rate = panel.findChild<QSpinBox *>(QStringLiteral("generateRate"));
    auto *perShard = panel.findChild<QCheckBox *>(QStringLiteral("generatePerShard"));
    QVERIFY(rate && perShard);
    rate->setValue(1500); // spread over two shards: about 750 each
    QVERIFY2(!panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    rate->setValue(3000);
    QVERIFY2(panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    QVERIFY(panel.forecastText().contains(QStringLiteral("Above what the stream takes")));
    // Per shard: 900 per shard is within, whatever the shard count.
    rate->setValue(900);
    perShard->setChecked(true);
    QCOMPARE(panel.schedule().peakRate(), 1800.0);
    QVERIFY2(!panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    // The hot-shard sample puts 60 % on one customer's shard: 1,500/s is too much for it.
    panel.loadSample(QStringLiteral("hot-shard"));
    panel.refreshNow();
    perShard->setChecked(false);
    rate->setValue(1500);
    QVERIFY2(panel.forecastOverLimit(), qPrintable(panel.forecastText()));
}

void TstGeneratePanel::startPauseStopAgainstTheSandbox()
{
    test::SandboxFixture sandbox(QStringLiteral("gen"), 2);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.error));
    sandbox::SandboxServer &server = *sandbox.server;

    ui::GenerateController controller;
    controller.setClient(sandbox.client.get());
    ui::GeneratePanel panel;
    panel.setController(&controller);
    auto *start = panel.findChild<QPushButton *>(QStringLiteral("generateStart"));
    auto *pause = panel.findChild<QPushButton *>(QStringLiteral("generatePause"));
    auto *stop = panel.findChild<QPushButton *>(QStringLiteral("generateStop"));
    auto *end = panel.findChild<QComboBox *>(QStringLiteral("generateEnd"));
    auto *rate = panel.findChild<QSpinBox *>(QStringLiteral("generateRate"));
    auto *counters = panel.findChild<QLabel *>(QStringLiteral("generateCounters"));
    QVERIFY(start && pause && stop && end && rate && counters);
    QVERIFY(!start->isEnabled()); // no stream yet
    auto map = ShardMap::uniform(2);
    KWB_VERIFY_OK(map);
    panel.setShardMap(map.value(), QStringLiteral("gen"));
    panel.loadSample(QStringLiteral("clickstream"));
    panel.refreshNow();
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    end->setCurrentIndex(2); // until stopped
    rate->setValue(200);

    start->click();
    QCOMPARE(controller.state(), ui::GenerateController::State::Running);
    QVERIFY(!start->isEnabled() && stop->isEnabled() && pause->isEnabled());
    QVERIFY(!rate->isEnabled());
    // Counters move, every second.
    QTRY_VERIFY_WITH_TIMEOUT(controller.lastSample().totals.succeeded > 0 && controller.lastSample().seconds >= 1.5, 10000);
    QVERIFY2(counters->text().contains(QStringLiteral("succeeded/s")), qPrintable(counters->text()));
    const double perSecond = controller.lastSample().succeededPerSecond;
    QVERIFY2(perSecond > 100 && perSecond < 300, qPrintable(QString::number(perSecond)));

    // Paused: nothing more is made.
    pause->click();
    QCOMPARE(controller.state(), ui::GenerateController::State::Paused);
    QCOMPARE(pause->text(), QStringLiteral("&Resume"));
    QTest::qWait(300); // what was handed over before the pause is sent
    const qint64 made = controller.counters().total;
    QTest::qWait(700);
    QCOMPARE(controller.counters().total, made);
    pause->click();
    QCOMPARE(controller.state(), ui::GenerateController::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(controller.counters().total > made, 5000);

    QSignalSpy finished(&controller, &ui::GenerateController::finished);
    stop->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(controller.state(), ui::GenerateController::State::Idle);
    QVERIFY(start->isEnabled());
    const send::SendCounters totals = controller.counters();
    QVERIFY(totals.succeeded > 200);
    QCOMPARE(totals.failed, 0);
    // The sandbox took exactly what the run says succeeded.
    QCOMPARE(server.stats().recordsAccepted, totals.succeeded);
    QCOMPARE(server.stats().recordsThrottled, totals.throttled);
    QVERIFY2(counters->text().contains(QLocale().toString(totals.succeeded) + QStringLiteral(" succeeded")),
             qPrintable(counters->text()));
}

void TstGeneratePanel::closingDuringARunIsSafe()
{
    test::SandboxFixture sandbox(QStringLiteral("gen"), 1);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.error));
    for (int round = 0; round < 2; ++round) {
        auto controller = std::make_unique<ui::GenerateController>();
        controller->setClient(sandbox.client.get());
        auto generator = generate::RecordGenerator::create({QStringLiteral("{\"a\": {{random.uuid}}}"), {}, {}, {}}, 1);
        KWB_VERIFY_OK(generator);
        generate::RateSchedule schedule;
        schedule.setRate(500);
        auto map = ShardMap::uniform(1);
        KWB_VERIFY_OK(controller->start(std::move(generator.value()), schedule, QStringLiteral("gen"), map.value()));
        QTRY_VERIFY_WITH_TIMEOUT(controller->counters().succeeded > 0, 5000);
        if (round == 1)
            controller->pause();
        controller.reset(); // the window closes mid-run
        QTest::qWait(200);
    }
}

void TstGeneratePanel::exportAndImportTemplateFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ui::GeneratePanel panel;
    panel.loadSample(QStringLiteral("hot-shard"));
    const generate::GeneratorTemplates shipped = panel.templates();
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    KWB_VERIFY_OK(panel.exportTemplates(path));
    // The files are the shipped sample's, as kwb generate and the samples have them.
    QFile data(path), key(dir.filePath(QStringLiteral("mine.key")));
    QVERIFY(data.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    const QString source = qEnvironmentVariable("KWB_SOURCE_DIR");
    QVERIFY(!source.isEmpty());
    QFile shippedData(source + QStringLiteral("/resources/generator/hot-shard.json"));
    QFile shippedKey(source + QStringLiteral("/resources/generator/hot-shard.key"));
    QVERIFY(shippedData.open(QIODevice::ReadOnly) && shippedKey.open(QIODevice::ReadOnly));
    QCOMPARE(data.readAll(), shippedData.readAll());
    QCOMPARE(key.readAll().trimmed(), shippedKey.readAll().trimmed());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("mine.ehk"))));

    ui::GeneratePanel other;
    KWB_VERIFY_OK(other.importTemplates(path));
    QCOMPARE(other.templates().data, shipped.data);
    QCOMPARE(other.templates().key, shipped.key);
    QVERIFY(other.errorText().isEmpty());

    // Too big to be a template: an error naming the file.
    const QString big = dir.filePath(QStringLiteral("big.json"));
    QFile bigFile(big);
    QVERIFY(bigFile.open(QIODevice::WriteOnly));
    bigFile.write(QByteArray(ui::GeneratePanel::kMaxTemplateBytes + 1, 'x'));
    bigFile.close();
    auto refused = other.importTemplates(big);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.startsWith(big + QStringLiteral(": ")), qPrintable(refused.error().message));
    QCOMPARE(other.templates().data, shipped.data);
}

void TstGeneratePanel::workspaceKeepsTemplatesAndRunSettings()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto fixedClock = [] { return qint64(1767225600000); }; // 2026-01-01T00:00:00Z
    ui::GeneratePanel panel;
    panel.setClock(fixedClock);
    generate::GeneratorTemplates mine;
    mine.data = QStringLiteral("{\n  \"who\": \"{{name.firstName}} \\\"the\\\" \u00e9\",\n  \"n\": {{random.number(99)}}\n}");
    mine.key = QStringLiteral("{{random.arrayElement([\"north\",\"south\"])}}");
    mine.explicitHashKey = QString();
    panel.setTemplates(mine);
    panel.setSeed(424242);
    panel.findChild<QSpinBox *>(QStringLiteral("generateRate"))->setValue(100);
    panel.findChild<QCheckBox *>(QStringLiteral("generateRamp"))->setChecked(true);
    panel.findChild<QSpinBox *>(QStringLiteral("generateRampTo"))->setValue(2000);
    panel.findChild<QSpinBox *>(QStringLiteral("generateRampSeconds"))->setValue(60);
    panel.findChild<QLineEdit *>(QStringLiteral("generateBursts"))->setText(QStringLiteral("5000@30s"));
    panel.findChild<QComboBox *>(QStringLiteral("generateEnd"))->setCurrentIndex(1);
    panel.findChild<QSpinBox *>(QStringLiteral("generateEndValue"))->setValue(120);
    panel.findChild<QSpinBox *>(QStringLiteral("generateWindowRows"))->setValue(2500);
    panel.refreshNow();
    QVERIFY2(panel.errorText().isEmpty(), qPrintable(panel.errorText()));

    // Saved with the workspace, read back from the file.
    workspace::WorkspaceContent content;
    content.header.generator = panel.saved();
    const QString path = dir.filePath(QStringLiteral("gen.kwb"));
    KWB_VERIFY_OK(workspace::WorkspaceFile::save(path, content));
    auto loaded = workspace::WorkspaceFile::load(path);
    KWB_VERIFY_OK(loaded);
    QVERIFY(loaded.value().header.generator.has_value());

    ui::GeneratePanel reopened;
    reopened.setClock(fixedClock);
    reopened.restore(loaded.value().header.generator);
    QCOMPARE(reopened.templates().data, mine.data);
    QCOMPARE(reopened.templates().key, mine.key);
    QVERIFY(reopened.seed() == std::optional<quint64>(424242));
    QVERIFY(reopened.errorText().isEmpty());
    // The run asks for the same traffic: 100/s rising to 2,000/s over a minute, 5,000 more at
    // 30 s, for two minutes; numbers worked out by hand from those settings.
    const generate::RateSchedule s = reopened.schedule();
    QCOMPARE(s.rateAt(0), 100.0);
    QCOMPARE(s.rateAt(30), 1050.0);
    QCOMPARE(s.peakRate(), 2000.0);
    QCOMPARE(s.dueBy(29.9), qint64(100 * 29.9 + 1900.0 * 29.9 * 29.9 / 120));
    QCOMPARE(s.dueBy(30), qint64(100 * 30 + 1900 * 30 * 30 / 120 + 5000));
    QVERIFY(s.total() == std::optional<qint64>(100 * 60 + 1900 * 60 / 2 + 2000 * 60 + 5000));
    QCOMPARE(reopened.findChild<QSpinBox *>(QStringLiteral("generateWindowRows"))->value(), 2500);
    // Same templates and seed: the same records.
    QCOMPARE(reopened.previewRecords().size(), panel.previewRecords().size());
    for (size_t i = 0; i < panel.previewRecords().size(); ++i) {
        QCOMPARE(reopened.previewRecords()[i].data, panel.previewRecords()[i].data);
        QCOMPARE(reopened.previewRecords()[i].partitionKey, panel.previewRecords()[i].partitionKey);
    }
    QVERIFY(reopened.saved() == panel.saved());

    // A workspace written before the settings were kept leaves the dock as it is.
    reopened.restore(std::nullopt);
    QCOMPARE(reopened.templates().data, mine.data);
}

void TstGeneratePanel::rampsAndBurstsInTheForecast()
{
    ui::GeneratePanel panel;
    ui::GenerateController controller;
    setUpForecast(panel, controller);
    auto *rate = panel.findChild<QSpinBox *>(QStringLiteral("generateRate"));
    auto *ramp = panel.findChild<QCheckBox *>(QStringLiteral("generateRamp"));
    auto *rampTo = panel.findChild<QSpinBox *>(QStringLiteral("generateRampTo"));
    auto *bursts = panel.findChild<QLineEdit *>(QStringLiteral("generateBursts"));
    auto *burstError = panel.findChild<QLabel *>(QStringLiteral("generateBurstError"));
    QVERIFY(rate && ramp && rampTo && bursts && burstError);
    rate->setValue(100);
    QVERIFY(!rampTo->isEnabled());
    QVERIFY2(!panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    // Starting low is not enough: the peak (3,000/s over two shards) is above what they take.
    ramp->setChecked(true);
    QVERIFY(rampTo->isEnabled());
    rampTo->setValue(3000);
    QVERIFY2(panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    QVERIFY2(panel.forecastText().contains(QStringLiteral("The ramp peaks at 3,000 records/s")), qPrintable(panel.forecastText()));
    rampTo->setValue(1500);
    QVERIFY2(!panel.forecastOverLimit(), qPrintable(panel.forecastText()));
    // A burst: how long the busiest shard takes to drain it at its limit.
    bursts->setText(QStringLiteral("5000@10s"));
    QVERIFY(burstError->isHidden());
    QVERIFY2(panel.forecastText().contains(QStringLiteral("A burst of 5,000 records")), qPrintable(panel.forecastText()));
    panel.findChild<QComboBox *>(QStringLiteral("generateEnd"))->setCurrentIndex(2); // until stopped: no count caps it
    QCOMPARE(panel.schedule().dueBy(10) - panel.schedule().dueBy(9.999), qint64(5000));
    // A burst that does not parse is said where it is typed, and the run does not start.
    bursts->setText(QStringLiteral("5000@soon"));
    QVERIFY(!burstError->isHidden());
    QVERIFY2(burstError->text().startsWith(QStringLiteral("bursts: a burst is RECORDS or RECORDS@SECONDS")),
             qPrintable(burstError->text()));
    QVERIFY(!panel.startRun());
}

QTEST_MAIN(TstGeneratePanel)
#include "tst_generatepanel.moc"
