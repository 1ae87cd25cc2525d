#pragma once

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace kwb::aws {

/// An HTTP answer of a sign-in service: status and body (bodies are capped at 1 MiB).
struct AuthHttpAnswer
{
    int status = 0;
    QByteArray body;
};

/// One asynchronous HTTP exchange with a sign-in service (STS, SSO, SSO OIDC) through `network`:
/// no redirects followed, a 30 s transfer timeout, bodies over 1 MiB refused. `done` runs on
/// `network`'s thread while `context` lives; an answer with any HTTP status is a value, no
/// answer at all is a Network or Timeout error naming `what` (never the request's headers).
void sendAuthRequest(QNetworkAccessManager *network, const QByteArray &method, const QUrl &url,
                     const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body, const QString &what,
                     QObject *context, std::function<void(Result<AuthHttpAnswer>)> done);

/// "host[:port]" as the Host header and SigV4 want it.
QByteArray hostHeader(const QUrl &url);

} // namespace kwb::aws
