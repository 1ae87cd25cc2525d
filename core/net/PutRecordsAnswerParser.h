#pragma once

#include "KinesisTypes.h"
#include "Result.h"

#include <QByteArrayView>
#include <QString>

namespace kwb::net {

/// Reads the answer to a PutRecords request straight into a PutRecordsResult with simdjson, with
/// no QJsonDocument in between: the per-answer work of a send. It gives exactly what
/// KinesisClient::parseAnswer() followed by KinesisClient::parsePutRecordsResponse() give
/// (tst_kinesisclient compares them on the same bodies): an answer simdjson refuses, or that is
/// not a JSON object, goes through those two, so its error is theirs word for word.
/// Equal strings within an answer (shard ids, error codes and messages) share one QString.
/// Pure; thread-safe (the simdjson parser and its buffers are per thread).
class PutRecordsAnswerParser
{
public:
    /// `httpStatus` and `answer` as they came; `expected` the request's record count; `endpoint`
    /// is only named in messages.
    static Result<PutRecordsResult> parse(int httpStatus, QByteArrayView answer, int expected, const QString &endpoint);
};

} // namespace kwb::net
