#pragma once

#include "Result.h"
#include "aws/Credentials.h"
#include "aws/ServiceEndpoints.h"

#include <QDateTime>
#include <QObject>

#include <functional>

class QNetworkAccessManager;

namespace kwb::aws {

/// The parameters of sts:AssumeRole. A plain value; `tokenCode` is a one-time secret.
struct AssumeRoleParams
{
    QString roleArn;
    QString sessionName;
    QString externalId;
    int durationSeconds = 0; ///< 0: the service default (1 hour)
    QString serialNumber;    ///< the MFA device, with tokenCode
    QString tokenCode;
};

/// Temporary credentials from STS and the identity they stand for.
struct AssumedRole
{
    Credentials credentials; ///< with expiration
    QString arn;             ///< AssumedRoleUser.Arn
};

/// What sts:GetCallerIdentity says.
struct CallerIdentity
{
    QString account;
    QString arn;
    QString userId;
};

/// Asynchronous client of the AWS Security Token Service, AWS Query protocol (form-encoded
/// POST, XML answers): AssumeRole and GetCallerIdentity signed with SigV4 (service "sts"),
/// AssumeRoleWithWebIdentity unsigned. Lives on the thread of its QNetworkAccessManager (not
/// owned); callbacks run there while `context` lives. Errors carry STS's code (AccessDenied,
/// ExpiredToken, InvalidIdentityToken, ...) and message, never a secret.
class StsClient
{
public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit StsClient(QNetworkAccessManager *network) : m_network(network) {}

    /// Test hook: the signing clock (UTC).
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    void assumeRole(const ServiceEndpoint &endpoint, const Credentials &caller, const AssumeRoleParams &params,
                    QObject *context, Callback<AssumedRole> done) const;
    void assumeRoleWithWebIdentity(const ServiceEndpoint &endpoint, const QString &roleArn, const QString &sessionName,
                                   const QByteArray &webIdentityToken, int durationSeconds, QObject *context,
                                   Callback<AssumedRole> done) const;
    void getCallerIdentity(const ServiceEndpoint &endpoint, const Credentials &caller, QObject *context,
                           Callback<CallerIdentity> done) const;

    /// Parsers, public for tests: the credentials of an AssumeRole* answer, STS's ErrorResponse.
    static Result<AssumedRole> parseAssumeRoleAnswer(const QByteArray &xml, const QString &action);
    static Result<CallerIdentity> parseCallerIdentityAnswer(const QByteArray &xml);
    static Error parseError(int status, const QByteArray &xml, const QString &action);

private:
    void call(const ServiceEndpoint &endpoint, const QString &action, const QList<QPair<QString, QString>> &params,
              const Credentials *signer, QObject *context, Callback<QByteArray> done) const;

    QNetworkAccessManager *m_network;
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace kwb::aws
