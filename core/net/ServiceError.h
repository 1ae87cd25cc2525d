#pragma once

#include "Result.h"

#include <QByteArray>
#include <QNetworkReply>

namespace kwb::net {

/// Maps a Kinesis error code (the text after '#' in `__type`) and HTTP status to an Error kind,
/// which decides whether a retry can help: throttling, 5xx and InternalFailure are retriable;
/// access, validation, not found, in use and KMS errors are not.
Error::Kind classifyServiceError(const QString &code, int httpStatus);

/// Builds the Error for a non-2xx answer from its body: `__type` (text after '#'), `message` or
/// `Message`. A body that is not JSON still gives an error naming the HTTP status and the start
/// of the body.
Error serviceErrorFromResponse(int httpStatus, const QByteArray &body);

/// The Error for a transport failure (connection refused/reset, DNS, TLS), with a message that
/// names the endpoint.
Error networkError(QNetworkReply::NetworkError code, const QString &detail, const QString &endpoint);

/// The first `max` bytes of a response body as printable text, for error messages.
QString bodySnippet(const QByteArray &body, int max = 200);

} // namespace kwb::net
