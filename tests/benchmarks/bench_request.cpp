// Building and signing a 500-record, 5 MB PutRecords request from the record store (the send
// engine's path: JSON + base64 straight into one buffer, then SigV4 over the body), beside a
// bare SHA-256 of the same bytes. Target: at least 300 MB/s of record data.
#include "BenchSupport.h"
#include "RecordStore.h"
#include "aws/SigV4Signer.h"
#include "net/JsonWriter.h"

#include <QRandomGenerator>

using namespace kwb;

int main()
{
    constexpr int kRecords = 500;
    constexpr int kDataBytes = 10000; // 500 x 10 KB = 5 MB
    RecordStore store;
    QRandomGenerator random(7);
    for (int i = 0; i < kRecords; ++i) {
        QByteArray data(kDataBytes, Qt::Uninitialized);
        random.fillRange(reinterpret_cast<quint32 *>(data.data()), kDataBytes / 4);
        store.append(QStringLiteral("customer-%1").arg(i).toUtf8(), data);
    }
    qint64 recordBytes = 0;
    for (int row = 0; row < kRecords; ++row)
        recordBytes += store.recordSize(row);

    aws::SigningParams params;
    params.region = QStringLiteral("us-east-1");
    params.service = QStringLiteral("kinesis");
    params.time = QDateTime::currentDateTimeUtc();
    params.credentials = {QStringLiteral("AKIDBENCH"), QStringLiteral("bench-secret"), {}, {}, {}};

    QByteArray body;
    const double build = bench::bestOf(10, [&] {
        body.clear();
        qsizetype estimate = 64;
        for (int row = 0; row < kRecords; ++row)
            estimate += net::putRecordsEntryEstimate(store.partitionKeyUtf8(row).size(), store.data(row).size());
        body.reserve(estimate);
        net::beginPutRecordsBody(body, QStringLiteral("orders"));
        for (int row = 0; row < kRecords; ++row)
            net::appendPutRecordsEntry(body, row == 0, store.partitionKeyUtf8(row), store.data(row),
                                       store.optionalExplicitHashKey(row));
        net::endPutRecordsBody(body);
    });
    const double buildAndSign = bench::bestOf(10, [&] {
        body.clear();
        net::beginPutRecordsBody(body, QStringLiteral("orders"));
        for (int row = 0; row < kRecords; ++row)
            net::appendPutRecordsEntry(body, row == 0, store.partitionKeyUtf8(row), store.data(row),
                                       store.optionalExplicitHashKey(row));
        net::endPutRecordsBody(body);
        aws::SignableRequest request;
        request.method = "POST";
        request.path = "/";
        request.headers = {{"Host", "kinesis.us-east-1.amazonaws.com"},
                           {"Content-Type", "application/x-amz-json-1.1"},
                           {"X-Amz-Target", "Kinesis_20131202.PutRecords"}};
        request.payloadHash = aws::SignableRequest::sha256Hex(body);
        auto headers = aws::SigV4Signer::sign(request, params);
        bench::keep(headers);
    });
    QByteArray flat;
    for (int row = 0; row < kRecords; ++row)
        flat += store.data(row).toByteArray();
    const double sha = bench::bestOf(10, [&] { bench::keep(aws::SignableRequest::sha256Hex(flat)); });

    const double mb = double(recordBytes) / 1e6;
    bench::info("record data in the request", mb, "MB");
    bench::info("request body (JSON, base64)", double(body.size()) / 1e6, "MB");
    bench::info("baseline: SHA-256 of the record data", mb / sha, "MB/s");
    bench::info("building the body only", mb / build, "MB/s");
    const bool ok = bench::report("building and signing a 500-record, 5 MB request", mb / buildAndSign, "MB/s",
                                  mb / buildAndSign >= 300, ">= 300 MB/s");
    return ok ? 0 : 1;
}
