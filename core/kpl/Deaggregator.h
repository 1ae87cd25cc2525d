#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace kwb::kpl {

/// One user record inside an aggregated Kinesis record. The views point into the bytes given to
/// Deaggregator::unpack() and live as long as they do.
struct UserRecordView
{
    QByteArrayView partitionKey;    ///< UTF-8, as in the partition key table
    QByteArrayView explicitHashKey; ///< decimal text from the table; meaningful when hasExplicitHashKey
    QByteArrayView data;
    bool hasExplicitHashKey = false;
    int tagCount = 0;
    int subSequenceNumber = 0; ///< its place in the aggregated record, from 0
};

/// Unpacks KPL aggregated records (see KplFormat.h) into their user records, checking everything
/// a consumer relies on: the magic, the MD5 of the protobuf bytes, that the protobuf is
/// well-formed (lengths inside the record, known wire types, required fields present) and that
/// every index points into its table. Anything else is an error whose message says why and at
/// which byte of the record: it never returns bytes of a broken record as user records.
/// Pure functions; thread-safe.
class Deaggregator
{
public:
    /// Whether `data` starts with the KPL magic, i.e. a KPL consumer would try to unpack it.
    static bool isAggregated(QByteArrayView data);

    /// The user records of the aggregated record `data` (magic included), in order. Error codes:
    /// KplNotAggregated (no magic), KplTooShort, KplBadDigest, KplMalformed, KplMissingField,
    /// KplBadIndex; the message names the byte offset in `data`.
    static Result<std::vector<UserRecordView>> unpack(QByteArrayView data);
};

} // namespace kwb::kpl
