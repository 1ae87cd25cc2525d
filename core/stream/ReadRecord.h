#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace kwb::stream {

/// One record as a reader got it from GetRecords, with the shard it came from. A plain value.
struct ReadRecord
{
    QString shardId;
    QString sequenceNumber;
    QString partitionKey;
    QByteArray data;
    qint64 arrivalMs = 0; ///< ApproximateArrivalTimestamp, epoch milliseconds

    /// Bytes this record holds in memory (about): what RecordRing counts against its byte cap.
    qint64 footprint() const { return data.size() + 2 * (partitionKey.size() + sequenceNumber.size()) + 64; }
};

} // namespace kwb::stream

Q_DECLARE_METATYPE(kwb::stream::ReadRecord)
