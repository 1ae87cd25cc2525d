#include "aws/ServiceEndpoints.h"

#include "aws/ConnectionSettings.h"

namespace kwb::aws {

namespace {

// Regions whose STS calls went to the global endpoint before regional endpoints became the default.
bool isLegacyGlobalRegion(const QString &region)
{
    static const QStringList regions{
        QStringLiteral("ap-northeast-1"), QStringLiteral("ap-south-1"),   QStringLiteral("ap-southeast-1"),
        QStringLiteral("ap-southeast-2"), QStringLiteral("aws-global"),   QStringLiteral("ca-central-1"),
        QStringLiteral("eu-central-1"),   QStringLiteral("eu-north-1"),   QStringLiteral("eu-west-1"),
        QStringLiteral("eu-west-2"),      QStringLiteral("eu-west-3"),    QStringLiteral("sa-east-1"),
        QStringLiteral("us-east-1"),      QStringLiteral("us-east-2"),    QStringLiteral("us-west-1"),
        QStringLiteral("us-west-2")};
    return regions.contains(region);
}

QString suffixFor(const QString &region)
{
    return region.startsWith(QLatin1String("cn-")) ? QStringLiteral("amazonaws.com.cn") : QStringLiteral("amazonaws.com");
}

} // namespace

QString authServiceName(AuthService service)
{
    switch (service) {
    case AuthService::Sts:
        return QStringLiteral("STS");
    case AuthService::Sso:
        return QStringLiteral("SSO");
    case AuthService::SsoOidc:
        return QStringLiteral("SSO OIDC");
    }
    return {};
}

Result<ServiceEndpoint> resolveAuthEndpoint(AuthService service, const SharedConfig &files, const QString &profile,
                                            const Environment &env, const QString &region)
{
    const QString variable = service == AuthService::Sts   ? QStringLiteral("AWS_ENDPOINT_URL_STS")
                           : service == AuthService::Sso   ? QStringLiteral("AWS_ENDPOINT_URL_SSO")
                                                           : QStringLiteral("AWS_ENDPOINT_URL_SSO_OIDC");
    const QString serviceKey = service == AuthService::Sts   ? QStringLiteral("sts")
                             : service == AuthService::Sso   ? QStringLiteral("sso")
                                                             : QStringLiteral("sso_oidc");
    const QString signingRegion = region.isEmpty() ? QStringLiteral("us-east-1") : region;
    const auto found = [&](const QString &text, const QString &source) -> Result<ServiceEndpoint> {
        auto url = validateEndpointUrl(text, source);
        if (!url)
            return url.error();
        return ServiceEndpoint{url.value(), signingRegion, source};
    };
    for (const QString &name : {variable, QStringLiteral("AWS_ENDPOINT_URL")}) {
        if (const QString url = env.value(name); !url.isEmpty())
            return found(url, name);
    }
    if (const auto value = files.serviceValue(profile, serviceKey, QStringLiteral("endpoint_url"));
        value && !value->value.isEmpty())
        return found(value->value, QStringLiteral("services section for %1 of profile %2 (%3)")
                                       .arg(serviceKey, profile, value->location()));
    if (const auto value = files.value(profile, QStringLiteral("endpoint_url")); value && !value->value.isEmpty())
        return found(value->value, QStringLiteral("endpoint_url of profile %1 (%2)").arg(profile, value->location()));

    if (service == AuthService::Sts) {
        QString mode = env.value(QStringLiteral("AWS_STS_REGIONAL_ENDPOINTS"));
        if (mode.isEmpty())
            if (const auto value = files.value(profile, QStringLiteral("sts_regional_endpoints")))
                mode = value->value;
        if (region.isEmpty() || (mode.compare(QLatin1String("legacy"), Qt::CaseInsensitive) == 0 && isLegacyGlobalRegion(region)))
            return ServiceEndpoint{QUrl(QStringLiteral("https://sts.amazonaws.com")), QStringLiteral("us-east-1"),
                                   region.isEmpty() ? QStringLiteral("global STS endpoint (no region set)")
                                                    : QStringLiteral("global STS endpoint (sts_regional_endpoints = legacy)")};
        return ServiceEndpoint{QUrl(QStringLiteral("https://sts.%1.%2").arg(region, suffixFor(region))), region,
                               QStringLiteral("default for region %1").arg(region)};
    }
    if (region.isEmpty())
        return Error::config(QStringLiteral("No sso_region for profile \"%1\", so the %2 endpoint is unknown. Add "
                                            "\"sso_region = us-east-1\" (the region of your IAM Identity Center) to "
                                            "the profile or its sso-session section")
                                 .arg(profile, authServiceName(service)),
                             QStringLiteral("NoRegion"));
    const QString host = service == AuthService::Sso ? QStringLiteral("portal.sso") : QStringLiteral("oidc");
    return ServiceEndpoint{QUrl(QStringLiteral("https://%1.%2.%3").arg(host, region, suffixFor(region))), region,
                           QStringLiteral("default for region %1").arg(region)};
}

} // namespace kwb::aws
