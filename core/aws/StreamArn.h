#pragma once

#include "Result.h"

#include <QString>
#include <QStringView>

namespace kwb::aws {

/// A Kinesis stream ARN, `arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME`, taken apart
/// strictly: the partition `aws` or `aws-...`, the service `kinesis`, a region such as
/// `us-east-1`, a 12-digit account and a stream name of 1 to 128 letters, digits, `_`, `.` and
/// `-`. The one parser for ARNs in the workbench: the client, the command line and the
/// sandbox use it. A plain value; any thread.
struct StreamArn
{
    QString partition;
    QString region;
    QString accountId;
    QString streamName;

    /// The parts, or an Input error saying which part is wrong and what it should look like.
    static Result<StreamArn> parse(QStringView text);
    /// Whether `text` is meant as an ARN rather than a stream name (it starts with "arn:").
    static bool looksLikeArn(QStringView text) { return text.startsWith(QLatin1String("arn:")); }
    /// Whether `name` is a valid stream name (1 to 128 of [a-zA-Z0-9_.-]).
    static bool isValidStreamName(QStringView name);

    QString toString() const;
};

} // namespace kwb::aws
