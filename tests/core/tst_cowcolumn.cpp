// CowColumn, the chunked copy-on-write column under RecordStore and SendResults, checked against
// std::vector: the same random operations on both give the same elements, across chunk
// boundaries, and every snapshot taken on the way still holds what the vector held then.
#include "CowColumn.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <vector>

using kwb::CowColumn;

namespace {

using Column = CowColumn<qint32>;
constexpr size_t kChunk = Column::kChunk;

std::vector<qint32> contents(const Column &column)
{
    return std::vector<qint32>(column.begin(), column.end());
}

} // namespace

class TstCowColumn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomOperationsMatchVector();
    void writesCopyOnlyTheSharedChunk();
    void appendAndCopyAcrossChunks();
    void fillAcrossChunks();
};

void TstCowColumn::randomOperationsMatchVector()
{
    QRandomGenerator random(20261126);
    Column column;
    std::vector<qint32> model;
    std::vector<std::pair<Column, std::vector<qint32>>> snapshots;
    for (int step = 0; step < 400; ++step) {
        const size_t n = model.size();
        const auto pick = [&](size_t bound) { return bound == 0 ? size_t(0) : size_t(random.bounded(quint64(bound))); };
        switch (random.bounded(9)) {
        case 0: { // push_back a few
            const int k = int(random.bounded(3000));
            for (int i = 0; i < k; ++i) {
                const qint32 v = qint32(random.generate());
                column.push_back(v);
                model.push_back(v);
            }
            break;
        }
        case 1: { // resize, larger or smaller
            const size_t to = pick(3 * kChunk);
            column.resize(to, 7);
            model.resize(to, 7);
            break;
        }
        case 2: // write single elements
            for (int i = 0; i < 50 && n > 0; ++i) {
                const size_t at = pick(n);
                const qint32 v = qint32(random.generate());
                column[at] = v;
                model[at] = v;
            }
            break;
        case 3: { // insert in the middle (RecordStore::insert: append, then move into place)
            const size_t at = pick(n + 1);
            column.push_back(42);
            std::rotate(column.begin() + qptrdiff(at), column.end() - 1, column.end());
            model.insert(model.begin() + qptrdiff(at), 42);
            break;
        }
        case 4: { // rotate a tail to the front of a range (RecordStore::moveTailTo)
            if (n < 2)
                break;
            const size_t count = 1 + pick(n - 1);
            const size_t at = pick(n - count + 1);
            std::rotate(column.begin() + qptrdiff(at), column.end() - qptrdiff(count), column.end());
            std::rotate(model.begin() + qptrdiff(at), model.end() - qptrdiff(count), model.end());
            break;
        }
        case 5: { // fill a range
            const size_t a = pick(n + 1);
            const size_t b = a + pick(n - a + 1);
            const qint32 v = qint32(random.generate());
            column.fill(a, b, v);
            std::fill(model.begin() + qptrdiff(a), model.begin() + qptrdiff(b), v);
            break;
        }
        case 6: // snapshot
            if (snapshots.size() < 8)
                snapshots.emplace_back(column, model);
            break;
        case 7: // drop a snapshot
            if (!snapshots.empty())
                snapshots.erase(snapshots.begin() + qptrdiff(pick(snapshots.size())));
            break;
        case 8: // assign
            if (random.bounded(10) == 0) {
                const size_t to = pick(2 * kChunk);
                column.assign(to, -1);
                model.assign(to, -1);
            }
            break;
        }
        QCOMPARE(column.size(), model.size());
        QVERIFY2(contents(column) == model, qPrintable(QStringLiteral("step %1").arg(step)));
        for (const auto &[snapshot, then] : snapshots)
            QVERIFY2(contents(snapshot) == then, qPrintable(QStringLiteral("snapshot at step %1").arg(step)));
    }
}

void TstCowColumn::writesCopyOnlyTheSharedChunk()
{
    Column column;
    column.resize(3 * kChunk, 1);
    const Column snapshot = column;
    QVERIFY(column.isShared());
    const qint32 *before0 = &std::as_const(column)[0];
    const qint32 *before2 = &std::as_const(column)[2 * kChunk];
    column[2 * kChunk + 5] = 9; // the third chunk is copied, the first still shared
    QVERIFY(&std::as_const(column)[0] == before0);
    QVERIFY(&std::as_const(column)[2 * kChunk] != before2);
    QVERIFY(&snapshot[2 * kChunk] == before2);
    QCOMPARE(snapshot[2 * kChunk + 5], 1);
    QCOMPARE(std::as_const(column)[2 * kChunk + 5], 9);
    QVERIFY(column.isShared()); // chunks one and two are still shared
}

void TstCowColumn::appendAndCopyAcrossChunks()
{
    CowColumn<char> arena;
    std::string model;
    QRandomGenerator random(7);
    std::vector<std::pair<size_t, size_t>> pieces;
    while (model.size() < 3 * kChunk) {
        std::string piece(size_t(random.bounded(1, 300)), 'a');
        for (char &c : piece)
            c = char('0' + random.bounded(10));
        pieces.emplace_back(arena.size(), piece.size());
        arena.append(piece.data(), piece.size());
        model += piece;
    }
    QCOMPARE(arena.size(), model.size());
    for (const auto &[at, length] : pieces) {
        std::string out(length, '\0');
        arena.copy(at, length, out.data());
        QCOMPARE(out, model.substr(at, length));
    }
}

void TstCowColumn::fillAcrossChunks()
{
    Column column;
    column.resize(2 * kChunk + 10, 0);
    const Column snapshot = column;
    column.fill(5, 2 * kChunk + 3, 4); // a shared chunk overwritten whole is replaced
    for (size_t i = 0; i < column.size(); ++i)
        QCOMPARE(std::as_const(column)[i], (i >= 5 && i < 2 * kChunk + 3) ? 4 : 0);
    for (size_t i = 0; i < snapshot.size(); ++i)
        QCOMPARE(snapshot[i], 0);
}

QTEST_GUILESS_MAIN(TstCowColumn)
#include "tst_cowcolumn.moc"
