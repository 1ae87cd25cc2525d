#include "net/ReplyFacts.h"

#include "net/KinesisClient.h"
#include "net/ServiceError.h"

namespace kwb::net {

Result<QJsonObject> ReplyFacts::classify(const QString &endpoint, int connectTimeoutMs, int transferTimeoutMs) const
{
    switch (timeout) {
    case Timeout::Connect:
        return Error{Error::Kind::Timeout, QStringLiteral("Timeout"),
                     QStringLiteral("could not send the request to %1 within %2 ms (connect timeout)")
                         .arg(endpoint)
                         .arg(connectTimeoutMs),
                     httpStatus};
    case Timeout::Transfer:
        return Error{Error::Kind::Timeout, QStringLiteral("Timeout"),
                     QStringLiteral("%1 went silent for %2 ms (transfer timeout)").arg(endpoint).arg(transferTimeoutMs),
                     httpStatus};
    case Timeout::None:
        break;
    }
    if (httpStatus == 0)
        return networkError(error, errorText, endpoint);
    if (httpStatus >= 200 && httpStatus < 300 && error != QNetworkReply::NoError)
        return networkError(error, errorText, endpoint); // e.g. closed mid-body
    return KinesisClient::parseAnswer(httpStatus, body, endpoint);
}

} // namespace kwb::net
