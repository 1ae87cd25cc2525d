#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QString>

namespace kwb::net {

/// How one HTTP exchange with a Kinesis endpoint ended, and what that means: classify() is the
/// one place that turns a finished request into an answer object or an Error, so a table-driven
/// test covers every case without a network. A plain value; pure; any thread.
struct ReplyFacts
{
    enum class Timeout { None, Connect, Transfer };
    Timeout timeout = Timeout::None; ///< which of the client's timers aborted the request, if one did
    int httpStatus = 0;              ///< 0: no HTTP answer came
    QNetworkReply::NetworkError error = QNetworkReply::NoError; ///< QNetworkReply::error()
    QString errorText;               ///< QNetworkReply::errorString()
    QByteArray body;

    /// A timeout of ours first (Timeout, naming the limit that ran out), then no HTTP status (a
    /// network error), then a 2xx whose transfer broke (closed mid-body: a network error), else
    /// the answer as KinesisClient::parseAnswer() reads it (a service error for a non-2xx status,
    /// {} for an empty 2xx body, a Protocol error for a body that is not a JSON object).
    /// `endpoint` is only named in messages.
    Result<QJsonObject> classify(const QString &endpoint, int connectTimeoutMs, int transferTimeoutMs) const;
};

} // namespace kwb::net
