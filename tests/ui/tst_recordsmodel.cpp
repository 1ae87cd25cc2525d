// RecordsModel over a Workspace: cells, issues in the row, editing through the undo stack,
// filter and sort computed off the GUI thread (with persistent indexes following), bursts of
// outcome changes flushed as ranges of shown rows (or one span past kMaxDirtyRows), and a
// million rows built, filtered and sorted.
#include "models/RecordText.h"
#include "models/RecordsModel.h"
#include "models/RowCells.h"
#include "models/Workspace.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <algorithm>

using namespace kwb;
using namespace kwb::ui;
using Col = kwb::ui::RecordColumn;

namespace {

RecordStore makeStore(int rows)
{
    RecordStore store;
    store.reserve(rows);
    for (int i = 0; i < rows; ++i)
        store.append(QStringLiteral("user-%1").arg(i).toUtf8(), QStringLiteral("{\"n\":%1}").arg(i).toUtf8());
    return store;
}

QString cell(const RecordsModel &model, int row, Col column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, int(column)), role).toString();
}

/// Waits until the model has swapped in the order for its current filter and sort.
bool waitOrdered(RecordsModel &model)
{
    return QTest::qWaitFor([&] { return !model.isOrdering(); }, 60000);
}

/// Marks the rows succeeded, as a send does, and tells the workspace (once per call, like a
/// burst of outcomes arriving).
void sendOutcomes(Workspace &ws, const QList<int> &rows)
{
    for (int row : rows)
        ws.mutableResults().markSucceeded(row, QStringLiteral("shardId-000000000001"), QString::number(row + 1));
    ws.notifyOutcomesChanged(rows);
}

QList<int> rowRange(int first, int last)
{
    QList<int> out;
    out.reserve(last - first + 1);
    for (int r = first; r <= last; ++r)
        out << r;
    return out;
}

/// What a dataChanged() spy saw, as "first-last" shown rows per signal, by first row, e.g.
/// "0-0 7-9 42-42". A signal that does not cover every column or names roles (the status icon,
/// tooltips... change too) says so in the text, so comparing the text checks that as well.
QString changedRows(const QSignalSpy &spy)
{
    QList<std::pair<int, int>> ranges;
    QStringList odd;
    for (const QList<QVariant> &args : spy) {
        const QModelIndex topLeft = args.at(0).toModelIndex();
        const QModelIndex bottomRight = args.at(1).toModelIndex();
        ranges.append({topLeft.row(), bottomRight.row()});
        if (!topLeft.isValid() || !bottomRight.isValid() || topLeft.column() != 0
            || bottomRight.column() != kRecordColumnCount - 1 || !args.at(2).value<QList<int>>().isEmpty())
            odd << QStringLiteral("(rows %1-%2: columns %3-%4, %5 roles)")
                       .arg(topLeft.row())
                       .arg(bottomRight.row())
                       .arg(topLeft.column())
                       .arg(bottomRight.column())
                       .arg(args.at(2).value<QList<int>>().size());
    }
    std::sort(ranges.begin(), ranges.end());
    QStringList parts;
    for (const auto &[first, last] : ranges)
        parts << QStringLiteral("%1-%2").arg(first).arg(last);
    return (parts + odd).join(QLatin1Char(' '));
}

/// True when one of the spy's signals covers shown row `row`.
bool covered(const QSignalSpy &spy, int row)
{
    for (const QList<QVariant> &args : spy)
        if (args.at(0).toModelIndex().row() <= row && row <= args.at(1).toModelIndex().row())
            return true;
    return false;
}

/// The rows a model over makeStore(rows) shows when filtered on key text "user-1" and sorted by
/// hash key, worked out here: keys "user-N" where N starts with 1, ordered by their MD5.
std::vector<int> keyOneByHash(const Workspace &ws, int rows)
{
    std::vector<int> out;
    for (int r = 0; r < rows; ++r)
        if (QString::number(r).startsWith(QLatin1Char('1')))
            out.push_back(r);
    std::sort(out.begin(), out.end(), [&](int a, int b) { return ws.store().hashKey(a) < ws.store().hashKey(b); });
    return out;
}

/// Filters `model` on key text "user-1", sorts it by hash key and checks it shows `expected`.
bool showKeyOneByHash(RecordsModel &model, const std::vector<int> &expected)
{
    RowFilter filter;
    filter.keyText = QStringLiteral("user-1");
    model.setFilter(filter);
    model.sort(int(Col::HashKey), Qt::AscendingOrder);
    if (!waitOrdered(model) || model.rowCount() != int(expected.size()))
        return false;
    for (int i = 0; i < model.rowCount(); ++i)
        if (model.storeRow(i) != expected[size_t(i)])
            return false;
    return true;
}

} // namespace

class TstRecordsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cellsShowRecordAndRouting();
    void binaryDataPreview();
    void issuesAreShownInTheRow_data();
    void issuesAreShownInTheRow();
    void editingGoesThroughUndo();
    void insertDuplicateRemoveUnderTester();
    void filters_data();
    void filters();
    void sortOrdersByShownValues();
    void persistentIndexesFollowSortAndFilter();
    void rowsAddedWhileFilteredStayVisible();
    void removalWhileSorted();
    void outcomeBurstsFlushAsRanges();
    void dirtyRowsFlushAsRangesOfShownRows();
    void dirtyRowsUnderAFilterAreTheirShownRows();
    void dirtyRowsBeyondTheLimitFlushAsOneSpan();
    void dirtySpanUnderAFilterCoversOnlyShownRows();
    void allOutcomesChangedFlushesEverythingOnce();
    void lockedWorkspaceIsReadOnly();
    void routingChangeUpdatesPredictions();
    void millionRows();
};

void TstRecordsModel::cellsShowRecordAndRouting()
{
    Workspace ws;
    ws.loadRecords(makeStore(3));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), kRecordColumnCount);
    QCOMPARE(cell(model, 0, Col::Row), QStringLiteral("1"));
    QCOMPARE(cell(model, 1, Col::PartitionKey), QStringLiteral("user-1"));
    QCOMPARE(cell(model, 1, Col::Data), QStringLiteral("{\"n\":1}"));
    QCOMPARE(cell(model, 1, Col::Size), QString::number(6 + 7));
    const UInt128 hash = hashPartitionKey(QByteArray("user-1"));
    QCOMPARE(cell(model, 1, Col::HashKey), hashKeyToString(hash));
    const ShardMap map = ShardMap::uniform(4).value();
    QCOMPARE(cell(model, 1, Col::PredictedShard), map.shardFor(hash)->shardId);
    QCOMPARE(cell(model, 1, Col::Status), QStringLiteral("pending"));
    QVERIFY(cell(model, 1, Col::ExplicitHashKey).isEmpty());
    QVERIFY(cell(model, 1, Col::SequenceNumber).isEmpty());
    QCOMPARE(model.data(model.index(1, 0), RecordsModel::StoreRowRole).toInt(), 1);
    QVERIFY(!model.data(model.index(1, int(Col::Status)), Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(!model.headerData(int(Col::PartitionKey), Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());

    // Outcomes of a send.
    ws.mutableResults().markSucceeded(0, map.openShard(2).shardId, QStringLiteral("49600000000000000000000000001"));
    ws.mutableResults().setPredictedShardId(0, map.openShard(1).shardId);
    ws.mutableResults().addAttempt(0, send::Attempt{});
    ws.mutableResults().markFailed(2, QStringLiteral("ProvisionedThroughputExceededException"), QStringLiteral("Rate exceeded"), true);
    ws.notifyOutcomesChanged({0, 2});
    model.flushPendingChanges();
    QCOMPARE(cell(model, 0, Col::Status), QStringLiteral("succeeded"));
    QCOMPARE(cell(model, 0, Col::ActualShard), map.openShard(2).shardId);
    QCOMPARE(cell(model, 0, Col::SequenceNumber), QStringLiteral("49600000000000000000000000001"));
    QCOMPARE(cell(model, 0, Col::Attempts), QStringLiteral("1"));
    // Predicted and actual differ: flagged in the row, with words.
    QVERIFY(!model.data(model.index(0, int(Col::ActualShard)), Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(cell(model, 0, Col::ActualShard, Qt::ToolTipRole).contains(QStringLiteral("predicted")));
    QCOMPARE(cell(model, 2, Col::Status), QStringLiteral("throttled"));
    QCOMPARE(cell(model, 2, Col::ErrorCode), QStringLiteral("ProvisionedThroughputExceededException"));
    QCOMPARE(cell(model, 2, Col::ErrorMessage), QStringLiteral("Rate exceeded"));
}

void TstRecordsModel::binaryDataPreview()
{
    Workspace ws;
    RecordStore store;
    store.append(QByteArray("k"), QByteArray("\x1f\x8b\x08\x00hi", 6));
    store.append(QByteArray("k"), QByteArray(200, 'x'));
    store.append(QByteArray("k"), QByteArray("line1\nline2\ttab"));
    ws.loadRecords(std::move(store));
    RecordsModel model(&ws);
    QCOMPARE(cell(model, 0, Col::Data), QStringLiteral("\\x1f\\x8b\\x08\\x00hi"));
    const QString longPreview = cell(model, 1, Col::Data);
    QCOMPARE(longPreview.size(), 65);
    QVERIFY(longPreview.endsWith(QChar(0x2026)));
    QCOMPARE(cell(model, 2, Col::Data), QStringLiteral("line1\\nline2\\ttab"));
    // Binary and long data cannot be edited in the cell (the editor panel can).
    QVERIFY(!(model.flags(model.index(0, int(Col::Data))) & Qt::ItemIsEditable));
    QVERIFY(model.flags(model.index(2, int(Col::Data))) & Qt::ItemIsEditable);
}

void TstRecordsModel::issuesAreShownInTheRow_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("dataBytes");
    QTest::addColumn<QString>("explicitText");
    QTest::addColumn<int>("issue");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("words");
    QTest::newRow("empty key") << QByteArray() << 3 << QString() << int(RowIssue::EmptyKey)
                               << QStringLiteral("InvalidPartitionKey") << QStringLiteral("empty");
    QTest::newRow("257 characters") << QString(257, QChar(u'\u00e9')).toUtf8() << 3 << QString() << int(RowIssue::KeyTooLong)
                                    << QStringLiteral("InvalidPartitionKey") << QStringLiteral("257");
    QTest::newRow("256 characters is fine") << QString(256, QChar(u'\u00e9')).toUtf8() << 3 << QString() << int(RowIssue::None)
                                            << QString() << QString();
    QTest::newRow("bad explicit hash key") << QByteArray("k") << 3 << QStringLiteral("12x4") << int(RowIssue::BadExplicitHashKey)
                                           << QStringLiteral("InvalidExplicitHashKey") << QStringLiteral("12x4");
    QTest::newRow("2^128 is too big") << QByteArray("k") << 3 << QStringLiteral("340282366920938463463374607431768211456")
                                      << int(RowIssue::BadExplicitHashKey) << QStringLiteral("InvalidExplicitHashKey")
                                      << QStringLiteral("2^128-1");
    QTest::newRow("too large") << QByteArray("k") << 1024 * 1024 << QString() << int(RowIssue::TooLarge)
                               << QStringLiteral("RecordTooLarge") << QStringLiteral("1 MiB");
    QTest::newRow("exactly 1 MiB") << QByteArray("k") << 1024 * 1024 - 1 << QString() << int(RowIssue::None) << QString()
                                   << QString();
}

void TstRecordsModel::issuesAreShownInTheRow()
{
    QFETCH(QByteArray, key);
    QFETCH(int, dataBytes);
    QFETCH(QString, explicitText);
    QFETCH(int, issue);
    QFETCH(QString, code);
    QFETCH(QString, words);
    Workspace ws;
    ws.loadRecords(makeStore(1));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RowContent content{key, QByteArray(dataBytes, 'd'), std::nullopt, {}};
    QVERIFY(ws.setRowContent(0, content));
    if (!explicitText.isEmpty())
        QVERIFY(model.setData(model.index(0, int(Col::ExplicitHashKey)), explicitText));
    QCOMPARE(model.data(model.index(0, 0), RecordsModel::IssueRole).toInt(), issue);
    QCOMPARE(cell(model, 0, Col::ErrorCode), code);
    if (issue == int(RowIssue::None)) {
        QVERIFY(model.data(model.index(0, int(Col::Row)), Qt::DecorationRole).isNull());
        QCOMPARE(cell(model, 0, Col::Status), QStringLiteral("pending"));
        return;
    }
    QCOMPARE(cell(model, 0, Col::Status), QStringLiteral("invalid"));
    QVERIFY(!model.data(model.index(0, int(Col::Row)), Qt::DecorationRole).value<QIcon>().isNull());
    const QString tip = cell(model, 0, Col::PartitionKey, Qt::ToolTipRole);
    QVERIFY2(tip.contains(words), qPrintable(tip));
    QVERIFY(cell(model, 0, Col::ErrorMessage).contains(words));
    if (!explicitText.isEmpty())
        QCOMPARE(cell(model, 0, Col::ExplicitHashKey), explicitText); // kept as typed
}

void TstRecordsModel::editingGoesThroughUndo()
{
    Workspace ws;
    ws.loadRecords(makeStore(2));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.flags(model.index(0, int(Col::PartitionKey))) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(0, int(Col::HashKey))) & Qt::ItemIsEditable));

    QVERIFY(model.setData(model.index(0, int(Col::PartitionKey)), QStringLiteral("customer-7")));
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("customer-7"));
    QCOMPARE(cell(model, 0, Col::HashKey), hashKeyToString(hashPartitionKey(QByteArray("customer-7"))));
    QVERIFY(changed.size() >= 1);
    QVERIFY(model.setData(model.index(0, int(Col::ExplicitHashKey)), QStringLiteral("42")));
    QCOMPARE(cell(model, 0, Col::HashKey), QStringLiteral("42"));
    QCOMPARE(cell(model, 0, Col::PredictedShard), QStringLiteral("shardId-000000000000"));
    QVERIFY(model.setData(model.index(1, int(Col::Data)), QStringLiteral("héllo")));
    QCOMPARE(ws.store().data(1).toByteArray(), QStringLiteral("héllo").toUtf8());
    QCOMPARE(ws.undoStack()->count(), 3);

    QVERIFY(ws.undo());
    QCOMPARE(ws.store().data(1).toByteArray(), QByteArray("{\"n\":1}"));
    QVERIFY(ws.undo());
    QVERIFY(!ws.store().hasExplicitHashKey(0));
    QVERIFY(ws.undo());
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("user-0"));
    QVERIFY(!ws.undo());
    QVERIFY(ws.redo());
    QVERIFY(ws.redo());
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("customer-7"));
    QCOMPARE(cell(model, 0, Col::ExplicitHashKey), QStringLiteral("42"));

    // Editing a sent row makes it a new record: pending again; undo brings the outcome back.
    ws.mutableResults().markSucceeded(1, QStringLiteral("shardId-000000000001"), QStringLiteral("123"));
    QVERIFY(model.setData(model.index(1, int(Col::PartitionKey)), QStringLiteral("other")));
    QCOMPARE(ws.results().status(1), send::RowStatus::Pending);
    QVERIFY(ws.results().sequenceNumber(1).isEmpty());
    QVERIFY(ws.undo());
    QCOMPARE(ws.results().status(1), send::RowStatus::Succeeded);
    QCOMPARE(ws.results().sequenceNumber(1), QStringLiteral("123"));
}

void TstRecordsModel::insertDuplicateRemoveUnderTester()
{
    Workspace ws;
    ws.loadRecords(makeStore(5));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(ws.insertRows(2, {RowContent{"new", "payload", std::nullopt, {}}}));
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(cell(model, 2, Col::PartitionKey), QStringLiteral("new"));
    // The row's place in the document (it was a stable id, "6", before issue 12).
    QCOMPARE(cell(model, 2, Col::Row), QStringLiteral("3"));
    QCOMPARE(cell(model, 3, Col::Row), QStringLiteral("4"));
    QCOMPARE(ws.duplicateRows({0, 1}), 2);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(cell(model, 2, Col::PartitionKey), QStringLiteral("user-0"));
    QCOMPARE(cell(model, 3, Col::PartitionKey), QStringLiteral("user-1"));
    QVERIFY(ws.removeRows({0, 3, 4, 7}));
    QCOMPARE(model.rowCount(), 4);
    QStringList keys;
    for (int r = 0; r < model.rowCount(); ++r)
        keys << cell(model, r, Col::PartitionKey);
    QCOMPARE(keys, (QStringList{QStringLiteral("user-1"), QStringLiteral("user-0"), QStringLiteral("user-2"),
                                QStringLiteral("user-3")}));
    QVERIFY(ws.undo());
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(cell(model, 4, Col::PartitionKey), QStringLiteral("new"));
    QCOMPARE(cell(model, 4, Col::Row), QStringLiteral("5")); // its place, not its old id "6"
    QVERIFY(ws.undo());
    QVERIFY(ws.undo());
    QCOMPARE(model.rowCount(), 5);
    for (int r = 0; r < 5; ++r)
        QCOMPARE(cell(model, r, Col::PartitionKey), QStringLiteral("user-%1").arg(r));
}

void TstRecordsModel::filters_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("shard");
    QTest::addColumn<bool>("actual");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("rows");
    using S = RowFilter::Status;
    // Rows: 0 succeeded (shard 1, throttled once before), 1 failed throttled, 2 failed KMS,
    // 3 pending, 4 invalid (empty key), 5 cancelled, 6 succeeded on another shard than predicted.
    QTest::newRow("all") << int(S::All) << QString() << false << QString() << QString() << QList<int>{0, 1, 2, 3, 4, 5, 6};
    QTest::newRow("failed") << int(S::Failed) << QString() << false << QString() << QString() << QList<int>{1, 2, 5};
    QTest::newRow("throttled") << int(S::Throttled) << QString() << false << QString() << QString() << QList<int>{0, 1};
    QTest::newRow("succeeded") << int(S::Succeeded) << QString() << false << QString() << QString() << QList<int>{0, 6};
    QTest::newRow("pending") << int(S::Pending) << QString() << false << QString() << QString() << QList<int>{3, 4};
    QTest::newRow("invalid") << int(S::Invalid) << QString() << false << QString() << QString() << QList<int>{4};
    QTest::newRow("mismatched") << int(S::Mismatched) << QString() << false << QString() << QString() << QList<int>{6};
    QTest::newRow("actual shard") << int(S::All) << QStringLiteral("shardId-000000000001") << true << QString() << QString()
                                  << QList<int>{0};
    QTest::newRow("error code") << int(S::All) << QString() << false << QStringLiteral("KMSAccessDeniedException")
                                << QString() << QList<int>{2};
    QTest::newRow("issue code") << int(S::All) << QString() << false << QStringLiteral("InvalidPartitionKey") << QString()
                                << QList<int>{4};
    QTest::newRow("key text, any case") << int(S::All) << QString() << false << QString() << QStringLiteral("USER-")
                                        << QList<int>{0, 1, 2, 3, 6};
    QTest::newRow("key text, not ascii") << int(S::All) << QString() << false << QString() << QStringLiteral("ÜBER")
                                         << QList<int>{5};
    QTest::newRow("combined") << int(S::Failed) << QString() << false << QString() << QStringLiteral("3") << QList<int>{};
}

void TstRecordsModel::filters()
{
    QFETCH(int, status);
    QFETCH(QString, shard);
    QFETCH(bool, actual);
    QFETCH(QString, code);
    QFETCH(QString, text);
    QFETCH(QList<int>, rows);
    Workspace ws;
    RecordStore store = makeStore(7);
    ws.loadRecords(std::move(store));
    QVERIFY(ws.setPartitionKey(4, QString()));
    QVERIFY(ws.setPartitionKey(5, QStringLiteral("über-5")));
    send::SendResults &r = ws.mutableResults();
    send::Attempt throttled;
    throttled.outcome = send::AttemptOutcome::Throttled;
    r.addAttempt(0, throttled);
    r.addAttempt(0, send::Attempt{});
    r.markSucceeded(0, QStringLiteral("shardId-000000000001"), QStringLiteral("1"));
    r.markFailed(1, QStringLiteral("ProvisionedThroughputExceededException"), QStringLiteral("slow down"), true);
    r.markFailed(2, QStringLiteral("KMSAccessDeniedException"), QStringLiteral("no key"), false);
    r.markFailed(5, QStringLiteral("Cancelled"), QStringLiteral("aborted"), true);
    r.setStatus(5, send::RowStatus::Cancelled);
    r.setPredictedShardId(6, QStringLiteral("shardId-000000000002"));
    r.markSucceeded(6, QStringLiteral("shardId-000000000003"), QStringLiteral("2"));
    ws.notifyAllOutcomesChanged();

    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RowFilter filter;
    filter.status = RowFilter::Status(status);
    filter.shardId = shard;
    filter.shardSource = actual ? RowFilter::ShardSource::Actual : RowFilter::ShardSource::Predicted;
    filter.errorCode = code;
    filter.keyText = text;
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    QList<int> shown;
    for (int row = 0; row < model.rowCount(); ++row)
        shown << model.data(model.index(row, 0), RecordsModel::StoreRowRole).toInt();
    QCOMPARE(shown, rows);
    // Back to everything: the identity, with no permutation kept.
    model.setFilter(RowFilter());
    QTRY_VERIFY(model.isIdentity());
    QCOMPARE(model.rowCount(), 7);
}

void TstRecordsModel::sortOrdersByShownValues()
{
    Workspace ws;
    RecordStore store;
    for (const char *k : {"delta", "alpha", "charlie", "bravo"})
        store.append(QByteArray(k), QByteArray(k).repeated(int(qstrlen(k))));
    ws.loadRecords(std::move(store));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto keys = [&] {
        QStringList out;
        for (int r = 0; r < model.rowCount(); ++r)
            out << cell(model, r, Col::PartitionKey);
        return out;
    };
    model.sort(int(Col::PartitionKey), Qt::AscendingOrder);
    QVERIFY(waitOrdered(model));
    QCOMPARE(keys(), (QStringList{QStringLiteral("alpha"), QStringLiteral("bravo"), QStringLiteral("charlie"), QStringLiteral("delta")}));
    model.sort(int(Col::PartitionKey), Qt::DescendingOrder);
    QVERIFY(waitOrdered(model));
    QCOMPARE(keys(), (QStringList{QStringLiteral("delta"), QStringLiteral("charlie"), QStringLiteral("bravo"), QStringLiteral("alpha")}));
    model.sort(int(Col::Size), Qt::AscendingOrder);
    QVERIFY(waitOrdered(model));
    QCOMPARE(keys(), (QStringList{QStringLiteral("delta"), QStringLiteral("alpha"), QStringLiteral("bravo"), QStringLiteral("charlie")}));
    model.sort(int(Col::HashKey), Qt::AscendingOrder);
    QVERIFY(waitOrdered(model));
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(ws.store().hashKey(model.storeRow(r - 1)) <= ws.store().hashKey(model.storeRow(r)));
    model.sort(-1);
    QVERIFY(waitOrdered(model));
    QVERIFY(model.isIdentity());
    QCOMPARE(keys(), (QStringList{QStringLiteral("delta"), QStringLiteral("alpha"), QStringLiteral("charlie"), QStringLiteral("bravo")}));
}

void TstRecordsModel::persistentIndexesFollowSortAndFilter()
{
    Workspace ws;
    ws.loadRecords(makeStore(20));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QPersistentModelIndex user7 = model.index(7, int(Col::PartitionKey));
    const QPersistentModelIndex user12 = model.index(12, int(Col::Data));
    model.sort(int(Col::PartitionKey), Qt::DescendingOrder);
    QVERIFY(waitOrdered(model));
    QVERIFY(user7.isValid());
    QCOMPARE(user7.data().toString(), QStringLiteral("user-7"));
    QCOMPARE(user7.column(), int(Col::PartitionKey));
    RowFilter filter;
    filter.keyText = QStringLiteral("user-1");
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    QVERIFY(!user7.isValid()); // filtered out
    QVERIFY(user12.isValid());
    QCOMPARE(model.data(model.index(user12.row(), int(Col::PartitionKey))).toString(), QStringLiteral("user-12"));
    QCOMPARE(model.rowCount(), 11); // user-1, user-10 .. user-19
}

void TstRecordsModel::rowsAddedWhileFilteredStayVisible()
{
    Workspace ws;
    ws.loadRecords(makeStore(10));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RowFilter filter;
    filter.keyText = QStringLiteral("user-3");
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(ws.duplicateRows({3}), 4);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.storeRow(1), 4);
    QVERIFY(ws.insertRows(0, {RowContent{"zzz", "x", std::nullopt, {}}}));
    // Shown although it does not match, until the filter runs again; at the end, as the row
    // before it is not shown.
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, 2, Col::PartitionKey), QStringLiteral("zzz"));
    QCOMPARE(model.storeRow(0), 4);
    QCOMPARE(model.storeRow(1), 5);
    QCOMPARE(model.storeRow(2), 0);
    model.refresh();
    QVERIFY(waitOrdered(model));
    QCOMPARE(model.rowCount(), 2);
}

void TstRecordsModel::removalWhileSorted()
{
    Workspace ws;
    ws.loadRecords(makeStore(50));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(int(Col::HashKey), Qt::AscendingOrder);
    QVERIFY(waitOrdered(model));
    // Store rows 10..39 are scattered over the sorted view: removed in one layout change.
    std::vector<int> rows;
    for (int r = 10; r < 40; ++r)
        rows.push_back(r);
    QVERIFY(ws.removeRows(rows));
    QCOMPARE(model.rowCount(), 20);
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(ws.store().hashKey(model.storeRow(r - 1)) <= ws.store().hashKey(model.storeRow(r)));
    QSet<QString> keys;
    for (int r = 0; r < model.rowCount(); ++r)
        keys.insert(cell(model, r, Col::PartitionKey));
    QVERIFY(keys.contains(QStringLiteral("user-9")) && keys.contains(QStringLiteral("user-40")));
    QVERIFY(!keys.contains(QStringLiteral("user-10")));
    QVERIFY(ws.undo());
    QCOMPARE(model.rowCount(), 50);
}

void TstRecordsModel::outcomeBurstsFlushAsRanges()
{
    Workspace ws;
    ws.loadRecords(makeStore(100));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<int> burst1, burst2;
    for (int r = 10; r < 20; ++r)
        burst1 << r;
    for (int r = 20; r < 30; ++r)
        burst2 << r;
    burst2 << 50 << 51 << 70;
    ws.notifyOutcomesChanged(burst1);
    ws.notifyOutcomesChanged(burst2);
    QCOMPARE(changed.size(), 0); // not yet: flushed by the timer
    QTRY_COMPARE(changed.size(), 3);
    QCOMPARE(changed[0][0].toModelIndex().row(), 10);
    QCOMPARE(changed[0][1].toModelIndex().row(), 29);
    QCOMPARE(changed[0][1].toModelIndex().column(), kRecordColumnCount - 1);
    QCOMPARE(changed[1][0].toModelIndex().row(), 50);
    QCOMPARE(changed[1][1].toModelIndex().row(), 51);
    QCOMPARE(changed[2][0].toModelIndex().row(), 70);
}

void TstRecordsModel::dirtyRowsFlushAsRangesOfShownRows()
{
    Workspace ws;
    ws.loadRecords(makeStore(100));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Out of order, a row twice, the first and the last row.
    sendOutcomes(ws, {42, 7, 9});
    sendOutcomes(ws, {8, 7, 99, 0});
    QCOMPARE(changed.size(), 0); // held for the flush timer
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-0 7-9 42-42 99-99"));
    for (int row : {0, 7, 8, 9, 42, 99})
        QCOMPARE(cell(model, row, Col::Status), QStringLiteral("succeeded"));
    QCOMPARE(cell(model, 1, Col::Status), QStringLiteral("pending"));
    // Nothing is left pending.
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 4);
}

void TstRecordsModel::dirtyRowsUnderAFilterAreTheirShownRows()
{
    constexpr int kRows = 200;
    Workspace ws;
    ws.loadRecords(makeStore(kRows));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const std::vector<int> shown = keyOneByHash(ws, kRows); // user-1, user-10..19, user-100..199
    QCOMPARE(shown.size(), size_t(111));
    QVERIFY(showKeyOneByHash(model, shown));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Shown rows picked by where they are shown (store rows all over the place, as sorted by
    // hash), mixed with rows the filter hides.
    sendOutcomes(ws, {shown[60], 0, shown[11], 2, shown[110], 50});
    sendOutcomes(ws, {99, shown[10], 3, shown[0], shown[12], 25});
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-0 10-12 60-60 110-110"));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 4);

    // Only hidden rows: nothing at all.
    changed.clear();
    sendOutcomes(ws, {0, 2, 3, 99});
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 0);
}

void TstRecordsModel::dirtyRowsBeyondTheLimitFlushAsOneSpan()
{
    constexpr int kRows = 6000;
    constexpr int kMax = RecordsModel::kMaxDirtyRows;
    static_assert(kMax + 1 < 5000, "the rows below assume 5000 is past the first kMax + 1 rows");
    Workspace ws;
    ws.loadRecords(makeStore(kRows));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // kMaxDirtyRows rows are still kept one by one: two ranges.
    sendOutcomes(ws, rowRange(0, kMax - 2) << 5000);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-%1 5000-5000").arg(kMax - 2));

    // One more: their span, in one signal, rows 4096..4999 included.
    changed.clear();
    sendOutcomes(ws, rowRange(0, kMax - 1) << 5000);
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-5000"));

    // Bursts that go past the limit together: the span covers the rows kept before, and rows
    // arriving afterwards widen it (or fall inside it).
    changed.clear();
    const QList<int> burst1 = rowRange(1000, 3999);
    const QList<int> burst2 = rowRange(4500, 5699);
    QVERIFY(burst1.size() < kMax && burst1.size() + burst2.size() > kMax);
    sendOutcomes(ws, burst1);
    sendOutcomes(ws, burst2);
    sendOutcomes(ws, {5800});
    sendOutcomes(ws, {2000});
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("1000-5800"));
    for (const QList<int> &burst : {burst1, burst2, QList<int>{5800}})
        for (int row : burst)
            QVERIFY2(covered(changed, row), qPrintable(QString::number(row)));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(cell(model, 5800, Col::Status), QStringLiteral("succeeded"));
}

void TstRecordsModel::dirtySpanUnderAFilterCoversOnlyShownRows()
{
    constexpr int kRows = 20000;
    constexpr int kMax = RecordsModel::kMaxDirtyRows;
    Workspace ws;
    ws.loadRecords(makeStore(kRows));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const std::vector<int> shown = keyOneByHash(ws, kRows);
    QCOMPARE(shown.size(), size_t(11111)); // user-1, -10..19, -100..199, -1000..1999, -10000..19999
    QVERIFY(showKeyOneByHash(model, shown));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // Store rows 2000..9999 are all hidden (their keys do not start with "user-1").
    QList<int> burst1 = rowRange(2000, 4999);
    burst1 << shown[50];
    QList<int> burst2 = rowRange(5000, 9999);
    burst2 << shown[7000] << shown[5000];
    QVERIFY(burst1.size() < kMax && burst2.size() > kMax);
    sendOutcomes(ws, burst1);
    sendOutcomes(ws, burst2);
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    // The span of the shown rows only, not of the store rows nor of everything.
    QCOMPARE(changedRows(changed), QStringLiteral("50-7000"));
    for (int at : {50, 5000, 7000})
        QVERIFY(covered(changed, at));

    // Past the limit with hidden rows only: nothing to report.
    changed.clear();
    sendOutcomes(ws, rowRange(2000, 9999));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 0);
    // Hidden rows past the limit, then a few more hidden ones, then one shown row: only that row.
    sendOutcomes(ws, rowRange(2000, 9999));
    sendOutcomes(ws, {2, 3});
    sendOutcomes(ws, {shown[42]});
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("42-42"));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);

    // A span pending when all outcomes change: one change of every shown row.
    changed.clear();
    sendOutcomes(ws, rowRange(2000, 9999) << shown[100] << shown[200]);
    ws.notifyAllOutcomesChanged();
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-11110"));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);
}

void TstRecordsModel::allOutcomesChangedFlushesEverythingOnce()
{
    Workspace ws;
    ws.loadRecords(makeStore(200));
    RecordsModel model(&ws);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    sendOutcomes(ws, {5, 6});
    ws.mutableResults().markFailed(150, QStringLiteral("KMSAccessDeniedException"), QStringLiteral("no key"), false);
    ws.notifyAllOutcomesChanged();
    sendOutcomes(ws, {7});
    QCOMPARE(changed.size(), 0);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-199"));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(cell(model, 150, Col::Status), QStringLiteral("failed"));

    // Filtered: every shown row, no more.
    RowFilter filter;
    filter.keyText = QStringLiteral("user-1");
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    QCOMPARE(model.rowCount(), 111);
    changed.clear();
    ws.notifyAllOutcomesChanged();
    sendOutcomes(ws, {1, 2});
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(changedRows(changed), QStringLiteral("0-110"));
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);
}

void TstRecordsModel::lockedWorkspaceIsReadOnly()
{
    Workspace ws;
    ws.loadRecords(makeStore(2));
    RecordsModel model(&ws);
    ws.setLocked(true);
    QVERIFY(!(model.flags(model.index(0, int(Col::PartitionKey))) & Qt::ItemIsEditable));
    QVERIFY(!model.setData(model.index(0, int(Col::PartitionKey)), QStringLiteral("x")));
    QVERIFY(!ws.removeRows({0}));
    QVERIFY(!ws.insertRows(0, {RowContent{"a", "b", std::nullopt, {}}}));
    ws.setLocked(false);
    QVERIFY(model.setData(model.index(0, int(Col::PartitionKey)), QStringLiteral("x")));
    ws.setLocked(true);
    QVERIFY(!ws.undo());
}

void TstRecordsModel::routingChangeUpdatesPredictions()
{
    Workspace ws;
    ws.loadRecords(makeStore(40));
    RecordsModel model(&ws);
    RowFilter filter;
    filter.shardId = QStringLiteral("shardId-000000000003");
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    const int inShard3Of4 = model.rowCount();
    QVERIFY(inShard3Of4 > 0 && inShard3Of4 < 40);
    ws.setVirtualShardCount(8);
    QVERIFY(waitOrdered(model));
    int expected = 0;
    const ShardMap map = ShardMap::uniform(8).value();
    for (int r = 0; r < 40; ++r)
        expected += map.openIndexFor(ws.store().hashKey(r)) == 3;
    QCOMPARE(model.rowCount(), expected);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(cell(model, r, Col::PredictedShard), QStringLiteral("shardId-000000000003"));
}

void TstRecordsModel::millionRows()
{
    constexpr int kRows = 1000000;
    Workspace ws;
    {
        RecordStore store;
        store.reserve(kRows);
        for (int i = 0; i < kRows; ++i)
            store.append(QByteArray("customer-") + QByteArray::number(i % 50000), QByteArray("{\"order\":") + QByteArray::number(i) + '}');
        ws.loadRecords(std::move(store));
    }
    ws.setVirtualShardCount(16);
    RecordsModel model(&ws);
    QCOMPARE(model.rowCount(), kRows);
    QCOMPARE(cell(model, kRows - 1, Col::Row), QString::number(kRows));
    QCOMPARE(cell(model, kRows - 1, Col::Data), QStringLiteral("{\"order\":999999}"));

    // Filter to one shard: every shown row predicts it, and the count is exact.
    RowFilter filter;
    filter.shardId = QStringLiteral("shardId-000000000005");
    model.setFilter(filter);
    QVERIFY(waitOrdered(model));
    const ShardMap map = ShardMap::uniform(16).value();
    int expected = 0;
    for (int r = 0; r < kRows; ++r)
        expected += map.openIndexFor(ws.store().hashKey(r)) == 5;
    QCOMPARE(model.rowCount(), expected);
    {
        // The tester walks every index after each change; on the filtered million that is
        // ~62,500 rows, so it watches this part only.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.sort(int(Col::HashKey), Qt::DescendingOrder);
        QVERIFY(waitOrdered(model));
        QCOMPARE(model.rowCount(), expected);
        for (int r = 1; r < model.rowCount(); ++r)
            QVERIFY(ws.store().hashKey(model.storeRow(r - 1)) >= ws.store().hashKey(model.storeRow(r)));
        QCOMPARE(cell(model, 0, Col::PredictedShard), QStringLiteral("shardId-000000000005"));
        // Outcomes arriving for filtered rows flush as ranges of shown rows only.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        ws.notifyOutcomesChanged({model.storeRow(0), model.storeRow(1), model.storeRow(5)});
        model.flushPendingChanges();
        QCOMPARE(changed.size(), 2);
    }

    // Sort the whole million by key, then go back to store order.
    model.setFilter(RowFilter());
    QVERIFY(waitOrdered(model));
    QCOMPARE(model.rowCount(), kRows);
    QCOMPARE(cell(model, 0, Col::PartitionKey).left(9), QStringLiteral("customer-"));
    for (int r = 1; r < kRows; r += 997)
        QVERIFY(ws.store().hashKey(model.storeRow(r - 1)) >= ws.store().hashKey(model.storeRow(r)));
    model.sort(-1);
    QVERIFY(waitOrdered(model));
    QVERIFY(model.isIdentity());
    QCOMPARE(cell(model, 123456, Col::Row), QStringLiteral("123457"));
}

QTEST_MAIN(TstRecordsModel)
#include "tst_recordsmodel.moc"
