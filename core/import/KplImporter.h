#pragma once

#include "Result.h"

namespace kwb::import {

class BlockReader;
class RecordSink;

/// Reads Kinesis records as a consumer got them (Format::KplRecords: the output of `aws kinesis
/// get-records`, a Lambda Kinesis event, base64 lines or one raw record, read by
/// kpl::KinesisRecordsFile) and unpacks the KPL aggregated ones into their user records: one row
/// per user record with its partition key, explicit hash key and data; a plain record is one row.
/// A record that cannot be read or unpacked (bad base64, MD5 mismatch, malformed protobuf) is a bad
/// row saying which record (Records[3], line 12) and why, under the import's bad-row policy. The
/// input is held in memory whole, so it is bounded (KinesisRecordsFile::kMaxInputBytes).
/// Internal to the importer; one thread.
class KplImporter
{
public:
    Result<void> run(BlockReader &reader, RecordSink &sink);
};

} // namespace kwb::import
