// Clipboard rows (paste: lines and key<TAB>data[<TAB>hash key]; copy gives back the same bytes)
// and the sample records, read with the core importer.
#include "io/ClipboardRows.h"
#include "io/ImportJobs.h"
#include "models/Workspace.h"

#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstClipboardRows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLinesAndTabs();
    void copyPasteRoundTrip();
    void sampleFileLoads();
};

void TstClipboardRows::parseLinesAndTabs()
{
    int n = 0;
    const auto rows = ClipboardRows::parse(QStringLiteral("just data\r\n\nuser-1\t{\"a\":1}\nuser-2\tx\t42\nuser-3\ty\tnope\n\tempty key\n"),
                                           [&] { return QStringLiteral("gen-%1").arg(++n); });
    QCOMPARE(int(rows.size()), 5);
    QCOMPARE(rows[0].partitionKey, QByteArray("gen-1"));
    QCOMPARE(rows[0].data, QByteArray("just data"));
    QCOMPARE(rows[1].partitionKey, QByteArray("user-1"));
    QCOMPARE(rows[1].data, QByteArray("{\"a\":1}"));
    QCOMPARE(rows[2].explicitHashKey, std::optional<UInt128>(42));
    QCOMPARE(rows[3].badExplicitHashKey, QStringLiteral("nope"));
    QVERIFY(rows[4].partitionKey.isEmpty());
    QCOMPARE(rows[4].data, QByteArray("empty key"));
}

void TstClipboardRows::copyPasteRoundTrip()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("a"), QByteArray("plain text"));
    store.append(QByteArray("b"), QByteArray("multi\nline\twith tab"));
    store.append(QByteArray("c"), QByteArray("\x00\xff\x10", 3), UInt128(99));
    ws.loadRecords(std::move(store));
    const QString text = ClipboardRows::format(ws, {0, 1, 2});
    QCOMPARE(text.count(QLatin1Char('\n')), 3);
    const auto rows = ClipboardRows::parse(text, [] { return QStringLiteral("unused"); });
    QCOMPARE(int(rows.size()), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(rows[size_t(i)].partitionKey, ws.store().partitionKeyUtf8(i).toByteArray());
        QCOMPARE(rows[size_t(i)].data, ws.store().data(i).toByteArray());
        QCOMPARE(rows[size_t(i)].explicitHashKey, ws.store().optionalExplicitHashKey(i));
    }
}

void TstClipboardRows::sampleFileLoads()
{
    const ImportOutcome outcome = ImportJobs::sample()([](qint64, qint64) { return true; });
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QCOMPARE(outcome.result.store.size(), 50);
    QCOMPARE(outcome.result.issueCount, 0);
    for (int r = 0; r < 50; ++r)
        QVERIFY(outcome.result.store.partitionKey(r).startsWith(QStringLiteral("user-")));
}

QTEST_GUILESS_MAIN(TstClipboardRows)
#include "tst_clipboardrows.moc"
