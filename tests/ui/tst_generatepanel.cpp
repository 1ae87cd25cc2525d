// The Generate dock: template errors shown in place as the user types, a preview of ten records
// whose predicted shards agree with an independent MD5 computation (python3's hashlib), seeded
// previews that repeat, and the shipped samples.
#include "TestSupport.h"
#include "views/GeneratePanel.h"
#include "views/TemplateHighlighter.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
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

QTEST_MAIN(TstGeneratePanel)
#include "tst_generatepanel.moc"
