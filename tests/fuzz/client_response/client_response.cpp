// libFuzzer target: the Kinesis client's response parsing (core/net): an HTTP status and body
// through KinesisClient::parseAnswer (service errors, JSON), then the PutRecords and ListShards
// readers on whatever object came out. PutRecordsAnswerParser (simdjson) must give exactly what
// parseAnswer + parsePutRecordsResponse give for the same status, body and record count.
//
// Input: a choice byte (the HTTP status and the record count expected), then the body.
#include "FuzzSupport.h"
#include "net/KinesisClient.h"
#include "net/PutRecordsAnswerParser.h"

#include <QJsonArray>

using namespace kwb;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

namespace {

bool sameError(const Error &a, const Error &b)
{
    return a.kind == b.kind && a.code == b.code && a.message == b.message && a.httpStatus == b.httpStatus;
}

bool sameResult(const Result<net::PutRecordsResult> &a, const Result<net::PutRecordsResult> &b)
{
    if (a.ok() != b.ok())
        return false;
    if (!a.ok())
        return sameError(a.error(), b.error());
    const net::PutRecordsResult &x = a.value();
    const net::PutRecordsResult &y = b.value();
    if (x.failedRecordCount != y.failedRecordCount || x.encryptionType != y.encryptionType || x.records.size() != y.records.size())
        return false;
    for (size_t i = 0; i < x.records.size(); ++i) {
        const net::PutRecordsEntry &e = x.records[i];
        const net::PutRecordsEntry &f = y.records[i];
        if (e.shardId != f.shardId || e.sequenceNumber != f.sequenceNumber || e.errorCode != f.errorCode
            || e.errorMessage != f.errorMessage)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = {200, 200, 200, 200, 400, 403, 404, 413, 500, 502, 503, 301};
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const int status = statuses[(choice & 0x0f) % std::size(statuses)];
    const QByteArray body = in.rest();

    const QString endpoint = QStringLiteral("http://localhost:4567");
    auto answer = net::KinesisClient::parseAnswer(status, body, endpoint);
    if (!answer.ok()) {
        const auto fast = net::PutRecordsAnswerParser::parse(status, body, int(choice >> 5), endpoint);
        KWB_FUZZ_CHECK(!fast.ok() && sameError(fast.error(), answer.error()));
        KWB_FUZZ_CHECK(!answer.error().code.isEmpty());
        KWB_FUZZ_CHECK(status >= 200 && status < 300 ? answer.error().kind == Error::Kind::Protocol
                                                     : answer.error().httpStatus == status);
        return 0;
    }
    KWB_FUZZ_CHECK(status >= 200 && status < 300);
    const QJsonObject &object = answer.value();

    const qsizetype records = object.value(QLatin1String("Records")).toArray().size();
    const int expected = (choice & 0x10) ? int(records) : int(choice >> 5);
    auto put = net::KinesisClient::parsePutRecordsResponse(object, expected);
    KWB_FUZZ_CHECK(sameResult(put, net::PutRecordsAnswerParser::parse(status, body, expected, endpoint)));
    if (put.ok()) {
        // One result per record, in order; the failed count covers every failed one.
        KWB_FUZZ_CHECK(qsizetype(put.value().records.size()) == expected);
        int failed = 0;
        for (const auto &entry : put.value().records)
            failed += entry.succeeded() ? 0 : 1;
        KWB_FUZZ_CHECK(put.value().failedRecordCount >= failed);
    } else {
        KWB_FUZZ_CHECK(records != expected);
    }
    for (const QJsonValue &value : object.value(QLatin1String("Shards")).toArray()) {
        auto shard = net::KinesisClient::parseShard(value.toObject());
        if (shard.ok())
            KWB_FUZZ_CHECK(!shard.value().shardId.isEmpty());
    }
    return 0;
}
