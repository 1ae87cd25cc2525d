// ImportController: a job fills a RecordStore in the thread pool, with progress and cancel, and
// the result is swapped into the workspace; a newer import wins over an older one.
#include "controllers/ImportController.h"
#include "io/ImportJobs.h"
#include "models/Workspace.h"

#include <QFile>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

using namespace kwb;
using namespace kwb::ui;

namespace {

ImportJob recordsJob(int count, const QString &prefix)
{
    return [count, prefix](const ImportProgress &progress) {
        ImportOutcome out;
        for (int i = 0; i < count; ++i) {
            out.result.store.append((prefix + QString::number(i)).toUtf8(), QByteArray("d"));
            if (!progress(i + 1, count))
                return out;
        }
        out.result.summary = QStringLiteral("%1 records").arg(count);
        return out;
    };
}

} // namespace

class TstImportController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replaceAndAppend();
    void progressAndCancel();
    void newerImportWins();
    void failureIsReported();
    void coreImporterReadsFilesAndListsProblems();
};

void TstImportController::replaceAndAppend()
{
    Workspace ws;
    ImportController importer(&ws);
    QSignalSpy finished(&importer, &ImportController::finished);
    importer.start(QStringLiteral("first"), recordsJob(3, QStringLiteral("a")));
    QVERIFY(importer.isRunning());
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ws.rowCount(), 3);
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("3 records"));
    importer.start(QStringLiteral("more"), recordsJob(2, QStringLiteral("b")), ImportController::Mode::Append);
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(ws.rowCount(), 5);
    QCOMPARE(ws.store().partitionKey(4), QStringLiteral("b1"));
    importer.start(QStringLiteral("sample"), ImportJobs::sample());
    QTRY_COMPARE(finished.size(), 3);
    QCOMPARE(ws.rowCount(), 50);
}

void TstImportController::progressAndCancel()
{
    Workspace ws;
    ws.loadRecords(RecordStore());
    ImportController importer(&ws);
    QSignalSpy progress(&importer, &ImportController::progressChanged);
    QSignalSpy cancelled(&importer, &ImportController::cancelled);
    QSignalSpy finished(&importer, &ImportController::finished);
    std::atomic_int reported{0};
    importer.start(QStringLiteral("endless"), [&reported](const ImportProgress &report) {
        ImportOutcome out;
        // Reports half way, then keeps going until cancelled.
        for (qint64 i = 0;; ++i) {
            if (!report(std::min<qint64>(i, 500), 1000))
                return out;
            reported = int(std::min<qint64>(i, 1000));
            std::this_thread::yield();
        }
    });
    QTRY_VERIFY(progress.size() > 0 && progress.last().at(0).toInt() >= 1);
    importer.cancel();
    QTRY_COMPARE(cancelled.size(), 1);
    QVERIFY(!importer.isRunning());
    QCOMPARE(finished.size(), 0);
    QCOMPARE(ws.rowCount(), 0);
}

void TstImportController::newerImportWins()
{
    Workspace ws;
    ImportController importer(&ws);
    QSignalSpy finished(&importer, &ImportController::finished);
    auto gate = std::make_shared<QSemaphore>(0);
    importer.start(QStringLiteral("slow"), [gate](const ImportProgress &progress) {
        gate->acquire();
        ImportOutcome out;
        out.result.store.append(QByteArray("slow"), QByteArray("x"));
        progress(1, 1);
        return out;
    });
    importer.start(QStringLiteral("fast"), recordsJob(4, QStringLiteral("fast")));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ws.rowCount(), 4);
    gate->release();
    // The slow one ends later and is dropped.
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(ws.store().partitionKey(0), QStringLiteral("fast0"));
}

void TstImportController::failureIsReported()
{
    Workspace ws;
    ImportController importer(&ws);
    QSignalSpy failed(&importer, &ImportController::failed);
    importer.start(QStringLiteral("missing"), ImportJobs::file(QStringLiteral("/nonexistent/records.jsonl")));
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("/nonexistent/records.jsonl")));
}

void TstImportController::coreImporterReadsFilesAndListsProblems()
{
    QTemporaryDir dir;
    QFile csv(dir.filePath(QStringLiteral("rows.csv")));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("partition_key,data\nk1,hello\n,no key here\nk3,world\n");
    csv.close();
    Workspace ws;
    ImportController importer(&ws);
    QSignalSpy finished(&importer, &ImportController::finished);
    importer.start(QStringLiteral("csv"), ImportJobs::file(csv.fileName()));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(ws.rowCount(), 2);
    QCOMPARE(ws.store().data(1).toByteArray(), QByteArray("world"));
    QCOMPARE(finished.first().at(2).toLongLong(), 1);
    const QStringList issues = finished.first().at(1).toStringList();
    QCOMPARE(issues.size(), 1);
    QVERIFY2(issues.first().contains(QStringLiteral("rows.csv:3")), qPrintable(issues.first()));
}

QTEST_GUILESS_MAIN(TstImportController)
#include "tst_importcontroller.moc"
