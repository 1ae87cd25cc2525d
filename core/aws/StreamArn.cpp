#include "aws/StreamArn.h"

#include <QList>

#include <algorithm>

namespace kwb::aws {

namespace {

bool isLowerOrDigit(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

/// `aws`, or `aws-` and lowercase words joined by '-' (aws-cn, aws-us-gov, aws-iso-b).
bool isPartition(QStringView p)
{
    if (p == QLatin1String("aws"))
        return true;
    if (!p.startsWith(QLatin1String("aws-")) || p.endsWith(QLatin1Char('-')) || p.contains(QLatin1String("--")))
        return false;
    return std::all_of(p.begin() + 4, p.end(), [](QChar c) { return isLowerOrDigit(c) || c == QLatin1Char('-'); });
}

/// Lowercase words joined by '-' ending in a number: us-east-1, us-gov-west-1, cn-north-1.
bool isRegion(QStringView r)
{
    const auto words = r.split(QLatin1Char('-'));
    if (words.size() < 3)
        return false;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QStringView w = words[i];
        const bool last = i == words.size() - 1;
        if (w.isEmpty() || !std::all_of(w.begin(), w.end(), [last](QChar c) {
                return last ? (c >= QLatin1Char('0') && c <= QLatin1Char('9')) : (c >= QLatin1Char('a') && c <= QLatin1Char('z'));
            }))
            return false;
    }
    return true;
}

} // namespace

bool StreamArn::isValidStreamName(QStringView name)
{
    if (name.isEmpty() || name.size() > 128)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') || c == QLatin1Char('.')
            || c == QLatin1Char('-');
    });
}

Result<StreamArn> StreamArn::parse(QStringView text)
{
    const auto bad = [&](const QString &why) {
        return Error::input(QStringLiteral("'%1' is not a Kinesis stream ARN: %2. A stream ARN looks like "
                                           "arn:aws:kinesis:us-east-1:123456789012:stream/orders")
                                .arg(text.left(300).toString(), why),
                            QStringLiteral("InvalidStreamArn"));
    };
    // arn:partition:service:region:account:resource; the resource is the rest ("stream/NAME"),
    // so a ':' there is part of it (and then not a valid name).
    const auto parts = text.split(QLatin1Char(':'));
    if (parts.size() < 6 || parts[0] != QLatin1String("arn"))
        return bad(QStringLiteral("it must have six parts separated by ':'"));
    StreamArn arn;
    if (!isPartition(parts[1]))
        return bad(QStringLiteral("the partition '%1' must be aws, or aws- and a suffix (aws-cn)").arg(parts[1].toString()));
    if (parts[2] != QLatin1String("kinesis"))
        return bad(QStringLiteral("the service '%1' must be kinesis").arg(parts[2].toString()));
    if (!isRegion(parts[3]))
        return bad(QStringLiteral("the region '%1' must look like us-east-1").arg(parts[3].toString()));
    const QStringView account = parts[4];
    if (account.size() != 12 || !std::all_of(account.begin(), account.end(), [](QChar c) { return c.isDigit() && c.unicode() < 128; }))
        return bad(QStringLiteral("the account '%1' must be 12 digits").arg(account.toString()));
    const qsizetype resourceStart = parts[0].size() + parts[1].size() + parts[2].size() + parts[3].size() + parts[4].size() + 5;
    const QStringView resource = text.mid(resourceStart);
    if (!resource.startsWith(QLatin1String("stream/")))
        return bad(QStringLiteral("the resource '%1' must be stream/NAME").arg(resource.left(200).toString()));
    const QStringView name = resource.mid(7);
    if (!isValidStreamName(name))
        return bad(QStringLiteral("the stream name '%1' must be 1 to 128 letters, digits, '_', '.' or '-'")
                       .arg(name.left(200).toString()));
    arn.partition = parts[1].toString();
    arn.region = parts[3].toString();
    arn.accountId = account.toString();
    arn.streamName = name.toString();
    return arn;
}

QString StreamArn::toString() const
{
    return QStringLiteral("arn:%1:kinesis:%2:%3:stream/%4").arg(partition, region, accountId, streamName);
}

} // namespace kwb::aws
