// libFuzzer target: the Kinesis client's response parsing (core/net): an HTTP status and body
// through KinesisClient::parseAnswer (service errors, JSON), then the PutRecords and ListShards
// readers on whatever object came out.
//
// Input: a choice byte (the HTTP status and the record count expected), then the body.
#include "FuzzSupport.h"
#include "net/KinesisClient.h"

#include <QJsonArray>

using namespace kwb;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = {200, 200, 200, 200, 400, 403, 404, 413, 500, 502, 503, 301};
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const int status = statuses[(choice & 0x0f) % std::size(statuses)];
    const QByteArray body = in.rest();

    auto answer = net::KinesisClient::parseAnswer(status, body, QStringLiteral("http://localhost:4567"));
    if (!answer.ok()) {
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
