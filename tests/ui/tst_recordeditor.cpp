// The record editor panel: Text / JSON / Hex / Base64 views of the same bytes, edits written
// back through the undo stack, live validation of keys, and "Route to shard…".
#include "models/Workspace.h"
#include "views/RecordEditorPanel.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace kwb;
using namespace kwb::ui;

namespace {

template<typename T>
T *child(QWidget *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

} // namespace

class TstRecordEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void viewsShowTheSameBytes();
    void hexEditRoundTripsThroughUndo();
    void jsonViewValidatesAndFormats();
    void keyFieldsValidateLiveAndApply();
    void routeToShardSetsMidpoint();
    void followsRowsAndLocks();
    void largeDataIsShownNotLaidOut();
};

void TstRecordEditor::viewsShowTheSameBytes()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("k"), QByteArray(R"({"a":[1,2]})"));
    store.append(QByteArray("b"), QByteArray("\x00\x01\xfe\xff", 4));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.setRow(0);
    auto *text = child<QPlainTextEdit>(&panel, "textView");
    auto *json = child<QPlainTextEdit>(&panel, "jsonView");
    auto *hex = child<QPlainTextEdit>(&panel, "hexView");
    auto *base64 = child<QPlainTextEdit>(&panel, "base64View");
    QCOMPARE(text->toPlainText(), QStringLiteral(R"({"a":[1,2]})"));
    QVERIFY(!text->isReadOnly());
    // The other views are filled when shown.
    panel.showView(RecordEditorPanel::JsonView);
    QCOMPARE(json->toPlainText(), QStringLiteral("{\n  \"a\": [\n    1,\n    2\n  ]\n}"));
    panel.showView(RecordEditorPanel::Base64View);
    QCOMPARE(base64->toPlainText(), QString::fromLatin1(QByteArray(R"({"a":[1,2]})").toBase64()));
    panel.showView(RecordEditorPanel::HexView);
    QVERIFY(hex->toPlainText().startsWith(QStringLiteral("7b 22 61 22")));
    panel.showView(RecordEditorPanel::TextView);

    panel.setRow(1); // binary: opens in hex; text is read-only
    QCOMPARE(child<QTabWidget>(&panel, "dataViews")->currentIndex(), int(RecordEditorPanel::HexView));
    QCOMPARE(hex->toPlainText(), QStringLiteral("00 01 fe ff"));
    QVERIFY(text->isReadOnly());
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("binary")));
    panel.showView(RecordEditorPanel::Base64View);
    QCOMPARE(base64->toPlainText(), QStringLiteral("AAH+/w=="));
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("binary")));
}

void TstRecordEditor::hexEditRoundTripsThroughUndo()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("k"), QByteArray("hello"));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    panel.setRow(0);
    panel.showView(RecordEditorPanel::HexView);
    auto *hex = child<QPlainTextEdit>(&panel, "hexView");
    hex->setFocus();
    hex->selectAll();
    QTest::keyClicks(hex, QStringLiteral("de ad be ef 00"));
    QCOMPARE(panel.pendingBytes().value(), QByteArray("\xde\xad\xbe\xef\x00", 5));
    QVERIFY(panel.hasUnappliedData());
    // The other views follow when shown, before anything is applied.
    panel.showView(RecordEditorPanel::Base64View);
    QCOMPARE(child<QPlainTextEdit>(&panel, "base64View")->toPlainText(), QStringLiteral("3q2+7wA="));
    QCOMPARE(ws.store().data(0).toByteArray(), QByteArray("hello"));
    // An odd digit blocks applying and says where.
    panel.showView(RecordEditorPanel::HexView);
    QTest::keyClicks(hex, QStringLiteral(" 1"));
    QVERIFY(!panel.pendingBytes());
    QVERIFY(!child<QPushButton>(&panel, "applyButton")->isEnabled());
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("no partner")));
    QTest::keyClick(hex, Qt::Key_Backspace);
    QTest::keyClick(hex, Qt::Key_Backspace);
    QVERIFY(child<QPushButton>(&panel, "applyButton")->isEnabled());
    QTest::keyClick(hex, Qt::Key_Return, Qt::ControlModifier); // apply
    QCOMPARE(ws.store().data(0).toByteArray(), QByteArray("\xde\xad\xbe\xef\x00", 5));
    QVERIFY(!panel.hasUnappliedData());
    QVERIFY(ws.undo());
    QCOMPARE(ws.store().data(0).toByteArray(), QByteArray("hello"));
    panel.showView(RecordEditorPanel::TextView);
    QCOMPARE(child<QPlainTextEdit>(&panel, "textView")->toPlainText(), QStringLiteral("hello"));
    QVERIFY(ws.redo());
    panel.showView(RecordEditorPanel::Base64View);
    QCOMPARE(child<QPlainTextEdit>(&panel, "base64View")->toPlainText(), QStringLiteral("3q2+7wA="));

    // Base64 edits work the same way, padding optional.
    panel.showView(RecordEditorPanel::Base64View);
    auto *base64 = child<QPlainTextEdit>(&panel, "base64View");
    base64->setPlainText(QStringLiteral("aGk"));
    QVERIFY(panel.applyData());
    QCOMPARE(ws.store().data(0).toByteArray(), QByteArray("hi"));
}

void TstRecordEditor::jsonViewValidatesAndFormats()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("k"), QByteArray(R"({"b": 1,   "c": [true]})"));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.setRow(0);
    panel.showView(RecordEditorPanel::JsonView);
    auto *json = child<QPlainTextEdit>(&panel, "jsonView");
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("valid JSON")));
    QTest::mouseClick(child<QPushButton>(&panel, "compactButton"), Qt::LeftButton);
    QCOMPARE(json->toPlainText(), QStringLiteral(R"({"b":1,"c":[true]})"));
    QVERIFY(panel.applyData());
    QCOMPARE(ws.store().data(0).toByteArray(), QByteArray(R"({"b":1,"c":[true]})"));
    json->setPlainText(QStringLiteral("{\"b\": 1,\n \"c\" [true]}"));
    QVERIFY(!panel.pendingBytes());
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("line 2")));
    QVERIFY(!child<QPushButton>(&panel, "applyButton")->isEnabled());
    panel.revertData();
    QVERIFY(!panel.hasUnappliedData());
    QTest::mouseClick(child<QPushButton>(&panel, "prettyButton"), Qt::LeftButton);
    QCOMPARE(json->toPlainText(), QStringLiteral("{\n  \"b\": 1,\n  \"c\": [\n    true\n  ]\n}"));
}

void TstRecordEditor::keyFieldsValidateLiveAndApply()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("user-1"), QByteArray("x"));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.show();
    panel.setRow(0);
    auto *key = child<QLineEdit>(&panel, "partitionKeyEdit");
    auto *routing = child<QLabel>(&panel, "routingLabel");
    const ShardMap map = ShardMap::uniform(4).value();
    const UInt128 hash = hashPartitionKey(QByteArray("user-2"));
    UInt128 previewed = 0;
    connect(&panel, &RecordEditorPanel::previewHashKey, this, [&](UInt128 k) { previewed = k; });
    key->setFocus();
    key->selectAll();
    QTest::keyClicks(key, QStringLiteral("user-2"));
    // Routed as typed, before applying: MD5, the 128-bit number, the shard.
    QVERIFY(routing->text().contains(QString::fromLatin1(digestToHex(md5(QByteArray("user-2"))))));
    QVERIFY(routing->text().contains(hashKeyToString(hash)));
    QVERIFY(routing->text().contains(map.shardFor(hash)->shardId));
    QVERIFY(previewed == hash);
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("user-1"));
    QTest::keyClick(key, Qt::Key_Return);
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("user-2"));
    key->selectAll();
    QTest::keyClick(key, Qt::Key_Backspace);
    QVERIFY(child<QLabel>(&panel, "partitionKeyIssue")->isVisible());
    QTest::keyClick(key, Qt::Key_Return);
    QCOMPARE(ws.issue(0), RowIssue::EmptyKey);
    QVERIFY(ws.undo());

    auto *explicitKey = child<QLineEdit>(&panel, "explicitHashKeyEdit");
    explicitKey->setFocus();
    QTest::keyClicks(explicitKey, QStringLiteral("12abc"));
    QVERIFY(child<QLabel>(&panel, "explicitHashKeyIssue")->isVisible());
    QVERIFY(!child<QLabel>(&panel, "explicitHashKeyIssue")->text().isEmpty());
    QTest::keyClick(explicitKey, Qt::Key_Return);
    QCOMPARE(ws.issue(0), RowIssue::BadExplicitHashKey);
    explicitKey->selectAll();
    QTest::keyClicks(explicitKey, QStringLiteral("0"));
    QTest::keyClick(explicitKey, Qt::Key_Return);
    QCOMPARE(ws.issue(0), RowIssue::None);
    QVERIFY(routing->text().contains(QStringLiteral("explicit hash key 0")));
    QVERIFY(routing->text().contains(QStringLiteral("shardId-000000000000")));
}

void TstRecordEditor::routeToShardSetsMidpoint()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("k"), QByteArray("x"));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.show();
    panel.setRow(0);
    QTest::mouseClick(child<QToolButton>(&panel, "routeButton"), Qt::LeftButton);
    RouteToShardDialog *dialog = panel.routeDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *list = child<QListWidget>(dialog, "shardList");
    QCOMPARE(list->count(), 4);
    list->setCurrentRow(2);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    const Shard &shard = ws.shardMap().openShard(2);
    const UInt128 middle = shard.startingHashKey + (shard.endingHashKey - shard.startingHashKey) / 2;
    QVERIFY(ws.store().hasExplicitHashKey(0));
    QCOMPARE(ws.store().explicitHashKey(0), middle);
    QCOMPARE(ws.predictedShard(0), 2);
    QCOMPARE(child<QLineEdit>(&panel, "explicitHashKeyEdit")->text(), hashKeyToString(middle));
}

void TstRecordEditor::followsRowsAndLocks()
{
    Workspace ws;
    RecordStore store;
    for (int i = 0; i < 3; ++i)
        store.append(QStringLiteral("k%1").arg(i).toUtf8(), QByteArray("x"));
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.setRow(2);
    QVERIFY(ws.removeRows({0}));
    QCOMPARE(panel.row(), 1);
    QCOMPARE(child<QLineEdit>(&panel, "partitionKeyEdit")->text(), QStringLiteral("k2"));
    ws.setLocked(true);
    QVERIFY(child<QLineEdit>(&panel, "partitionKeyEdit")->isReadOnly());
    QVERIFY(child<QPlainTextEdit>(&panel, "textView")->isReadOnly());
    ws.setLocked(false);
    QVERIFY(!child<QLineEdit>(&panel, "partitionKeyEdit")->isReadOnly());
    QVERIFY(ws.removeRows({1}));
    QCOMPARE(panel.row(), -1);
    QVERIFY(!child<QLineEdit>(&panel, "partitionKeyEdit")->isEnabled());
}

void TstRecordEditor::largeDataIsShownNotLaidOut()
{
    // A 1 MiB record of minified JSON: one long line.
    QByteArray json = "[";
    while (json.size() < 1024 * 1024 - 32)
        json += "{\"k\":\"value\",\"n\":12345},";
    json.chop(1);
    json += "]";
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("big"), json);
    ws.loadRecords(std::move(store));
    RecordEditorPanel panel(&ws);
    panel.show();
    panel.setRow(0);
    auto *text = child<QPlainTextEdit>(&panel, "textView");
    QVERIFY(text->toPlainText().size() <= 16 * 1024);
    QVERIFY(text->isReadOnly());
    QVERIFY(child<QLabel>(&panel, "dataStatus")->text().contains(QStringLiteral("too large to edit")));
    panel.showView(RecordEditorPanel::HexView);
    QVERIFY(child<QPlainTextEdit>(&panel, "hexView")->toPlainText().size() <= 16 * 1024 * 3);
    QVERIFY(!panel.hasUnappliedData());
}

QTEST_MAIN(TstRecordEditor)
#include "tst_recordeditor.moc"
