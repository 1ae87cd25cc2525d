#pragma once

#include "Result.h"
#include "aws/Environment.h"
#include "aws/SharedConfig.h"

#include <QString>
#include <QUrl>

namespace kwb::aws {

/// The sign-in services the credential providers call.
enum class AuthService {
    Sts,     ///< AWS Security Token Service (signing name "sts")
    Sso,     ///< IAM Identity Center portal (GetRoleCredentials)
    SsoOidc, ///< IAM Identity Center OIDC (RegisterClient, StartDeviceAuthorization, CreateToken)
};

/// Where to send one service's requests and which region to sign for. A plain value.
struct ServiceEndpoint
{
    QUrl url;
    QString region;  ///< the signing region (STS), or the SSO region
    QString source;  ///< "AWS_ENDPOINT_URL_STS", "default for region eu-west-1", ...
};

/// Resolves a sign-in service's endpoint the way the AWS SDKs do, first match wins:
///   AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC;
///   AWS_ENDPOINT_URL;
///   the profile's services section (`sts =`, `sso =`, `sso_oidc =` with `endpoint_url = ...`);
///   the profile's `endpoint_url`;
///   the default: STS regional https://sts.<region>.amazonaws.com (global https://sts.amazonaws.com
///   when no region is known, or for the legacy regions when `sts_regional_endpoints = legacy`
///   in AWS_STS_REGIONAL_ENDPOINTS or the profile), https://portal.sso.<region>.amazonaws.com,
///   https://oidc.<region>.amazonaws.com (.amazonaws.com.cn for cn- regions).
/// `region` is the region of the call: for STS the profile's region (empty: none), for SSO the
/// profile's or session's sso_region (needed). Pure apart from reading `env`; never blocks.
Result<ServiceEndpoint> resolveAuthEndpoint(AuthService service, const SharedConfig &files, const QString &profile,
                                            const Environment &env, const QString &region);

/// "STS", "SSO", "SSO OIDC": for messages.
QString authServiceName(AuthService service);

} // namespace kwb::aws
