#pragma once

#include "Result.h"
#include "net/KinesisTypes.h"

#include <QDateTime>
#include <QString>

namespace kwb::stream {

/// Where a reader starts in a shard: LATEST, TRIM_HORIZON, AT_TIMESTAMP, or at/after a sequence
/// number. A plain value.
struct StartPosition
{
    net::ShardIteratorType type = net::ShardIteratorType::Latest;
    QDateTime timestamp;    ///< AtTimestamp
    QString sequenceNumber; ///< AtSequenceNumber, AfterSequenceNumber

    static StartPosition latest() { return {}; }
    static StartPosition trimHorizon() { return {net::ShardIteratorType::TrimHorizon, {}, {}}; }
    bool bySequenceNumber() const
    {
        return type == net::ShardIteratorType::AtSequenceNumber || type == net::ShardIteratorType::AfterSequenceNumber;
    }

    /// The text of `kwb tail --from`: "latest", "trim-horizon", a timestamp (ISO 8601 with a
    /// zone, "2026-12-06T20:15:00Z", or epoch seconds with a fraction, "1765052100.5"), or a
    /// sequence number (digits, more than 20 of them: read from that record on). An Input error
    /// saying what is accepted otherwise.
    static Result<StartPosition> parse(const QString &text);
};

/// Orders two sequence numbers (decimal strings of up to 128 digits) as numbers: <0, 0, >0.
int compareSequenceNumbers(const QString &a, const QString &b);

} // namespace kwb::stream
