#pragma once

#include "Record.h"
#include "ShardMap.h"
#include "aws/StreamArn.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace kwb::net {

/// Field name for a stream reference: "StreamARN" for "arn:..." strings, else "StreamName".
/// Every call that names a stream accepts either.
inline QLatin1String streamField(const QString &stream)
{
    return aws::StreamArn::looksLikeArn(stream) ? QLatin1String("StreamARN") : QLatin1String("StreamName");
}

/// DescribeStreamSummary, reduced to what the workbench uses.
struct StreamSummary
{
    QString name;
    QString arn;
    QString status;       ///< CREATING, ACTIVE, UPDATING, DELETING
    QString streamMode;   ///< PROVISIONED or ON_DEMAND; empty when the endpoint does not say
    int openShardCount = 0;
    int retentionHours = 24;
    QString encryptionType;
    int maxRecordSizeKiB = 1024; ///< MaxRecordSizeInKiB; 1024 (1 MiB) when absent
    qint64 createdMs = -1;       ///< StreamCreationTimestamp in epoch ms; -1 when absent

    qint64 maxRecordBytes() const { return qint64(maxRecordSizeKiB) * 1024; }
};

/// One entry of a PutRecords answer, in request order.
struct PutRecordsEntry
{
    QString shardId;
    QString sequenceNumber;
    QString errorCode;
    QString errorMessage;

    bool succeeded() const { return errorCode.isEmpty() && !sequenceNumber.isEmpty(); }
};

struct PutRecordsResult
{
    int failedRecordCount = 0;
    std::vector<PutRecordsEntry> records;
    QString encryptionType;
};

struct PutRecordResult
{
    QString shardId;
    QString sequenceNumber;
};

/// A record as GetRecords returns it.
struct StoredRecord
{
    QString sequenceNumber;
    QString partitionKey;
    QByteArray data;
    QDateTime approximateArrivalTimestamp;
};

/// A shard a closed shard's readers go on with (ChildShards of a GetRecords answer).
struct ChildShard
{
    QString shardId;
    QStringList parentShardIds;
};

struct GetRecordsResult
{
    std::vector<StoredRecord> records;
    QString nextShardIterator; ///< empty when the shard is closed and fully read
    qint64 millisBehindLatest = 0;
    std::vector<ChildShard> childShards; ///< at the end of a closed shard, when the endpoint says
};

enum class ShardIteratorType { TrimHorizon, Latest, AtSequenceNumber, AfterSequenceNumber, AtTimestamp };
QLatin1String shardIteratorTypeName(ShardIteratorType type);

/// What one HTTP request did, for the log dock and `--debug` output. Never holds secrets.
struct RequestLogEntry
{
    QDateTime started;        ///< UTC
    QString operation;        ///< "PutRecords"
    QString endpoint;
    int httpStatus = 0;       ///< 0 when no HTTP answer came
    qint64 latencyMs = 0;
    qint64 requestBytes = 0;
    int records = 0;          ///< records in the request (PutRecords/PutRecord)
    int failedRecordCount = 0;
    QString errorCode;        ///< empty on success
};

} // namespace kwb::net
