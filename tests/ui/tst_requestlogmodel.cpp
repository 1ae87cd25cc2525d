// The log dock's model: bounded, batched, shows HTTP status, FailedRecordCount and latency.
#include "models/RequestLogModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

namespace {

net::RequestLogEntry entry(int i, int status = 200, int failed = 0)
{
    net::RequestLogEntry e;
    e.started = QDateTime::fromMSecsSinceEpoch(1700000000000 + i, Qt::UTC);
    e.operation = QStringLiteral("PutRecords");
    e.endpoint = QStringLiteral("http://127.0.0.1:4567");
    e.httpStatus = status;
    e.latencyMs = 10 + i;
    e.requestBytes = 1000;
    e.records = 500;
    e.failedRecordCount = failed;
    if (status >= 400)
        e.errorCode = QStringLiteral("InternalFailure");
    return e;
}

} // namespace

class TstRequestLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void columns();
    void boundedAndBatched();
};

void TstRequestLogModel::columns()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(entry(1, 200, 3));
    model.append(entry(2, 500));
    model.flush();
    QCOMPARE(model.rowCount(), 2);
    const auto text = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QCOMPARE(text(0, RequestLogModel::Operation), QStringLiteral("PutRecords"));
    QCOMPARE(text(0, RequestLogModel::HttpStatus), QStringLiteral("200"));
    QCOMPARE(text(0, RequestLogModel::FailedRecords), QStringLiteral("3"));
    QCOMPARE(text(0, RequestLogModel::Records), QStringLiteral("500"));
    QCOMPARE(text(0, RequestLogModel::Latency), QStringLiteral("11 ms"));
    QCOMPARE(text(1, RequestLogModel::ErrorCode), QStringLiteral("InternalFailure"));
    QVERIFY(text(1, RequestLogModel::FailedRecords).isEmpty());
    QVERIFY(!model.data(model.index(1, RequestLogModel::HttpStatus), Qt::DecorationRole).value<QIcon>().isNull());
}

void TstRequestLogModel::boundedAndBatched()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLimit(10);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 7; ++i)
        model.append(entry(i));
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(model.rowCount(), 7);
    QCOMPARE(inserted.size(), 1);
    for (int i = 7; i < 30; ++i)
        model.append(entry(i));
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.entry(0).latencyMs, 10 + 20);
    QCOMPARE(model.entry(9).latencyMs, 10 + 29);
    QCOMPARE(model.totalAppended(), 30);
    model.setLimit(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.entry(0).latencyMs, 10 + 26);
}

QTEST_MAIN(TstRequestLogModel)
#include "tst_requestlogmodel.moc"
