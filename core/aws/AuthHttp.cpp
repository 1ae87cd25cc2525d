#include "aws/AuthHttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace kwb::aws {

namespace {
constexpr qint64 kMaxBody = 1024 * 1024;
constexpr int kTimeoutMs = 30000;
} // namespace

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    const int port = url.port();
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    if (port != -1 && port != defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

void sendAuthRequest(QNetworkAccessManager *network, const QByteArray &method, const QUrl &url,
                     const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body, const QString &what,
                     QObject *context, std::function<void(Result<AuthHttpAnswer>)> done)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(kTimeoutMs);
    QNetworkReply *reply = method == "GET" ? network->get(request) : network->sendCustomRequest(request, method, body);
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxBody)
            reply->abort();
    });
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, guard, what, done = std::move(done)] {
        reply->deleteLater();
        if (!guard)
            return;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid() && status.toInt() > 0) {
            const QByteArray answer = reply->read(kMaxBody + 1);
            if (answer.size() > kMaxBody) {
                done(Error{Error::Kind::Protocol, QStringLiteral("AnswerTooLarge"),
                           QStringLiteral("%1 answered with more than 1 MiB; that is not a sign-in service").arg(what), 0});
                return;
            }
            done(AuthHttpAnswer{status.toInt(), answer});
            return;
        }
        const bool timeout = reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::TimeoutError;
        done(Error{timeout ? Error::Kind::Timeout : Error::Kind::Network,
                   timeout ? QStringLiteral("Timeout") : QStringLiteral("NetworkError"),
                   QStringLiteral("%1 could not be reached at %2: %3. Check the network, the endpoint setting and the "
                                  "proxy")
                       .arg(what, reply->url().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery), reply->errorString()),
                   0});
    });
}

} // namespace kwb::aws
