#pragma once

#include "Result.h"
#include "aws/ConnectionOptions.h"
#include "aws/Credentials.h"
#include "aws/Environment.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace kwb::aws {

/// A setting's value and where it came from. `source` reads after "from": "explicit setting",
/// "AWS_REGION", "profile dev (~/.aws/config:3)", "default for region eu-west-1".
struct SettingValue
{
    QString value;
    QString source;
};

/// Everything needed to talk to Kinesis, resolved from explicit options, the environment and the
/// shared files, with where each part came from (for display: "Region eu-west-1 from AWS_REGION").
/// A plain value; `credentials` holds secrets, so log it only through its redacting operator<<.
struct ConnectionSettings
{
    QUrl endpoint;
    QString region;
    QString profile;        ///< the profile consulted: explicit, AWS_PROFILE or "default"
    Credentials credentials;
    QString endpointSource;
    QString regionSource;
    QString profileSource;  ///< "explicit setting", "AWS_PROFILE" or "default"
    bool customEndpoint = false; ///< configured somewhere rather than derived from the region
};

/// Resolves endpoint, region and credentials:
///   region:      explicit > AWS_REGION > AWS_DEFAULT_REGION > the profile's `region`;
///   endpoint:    explicit > AWS_ENDPOINT_URL_KINESIS > AWS_ENDPOINT_URL > the profile's
///                services section (`kinesis = / endpoint_url = ...`) > its `endpoint_url` >
///                https://kinesis.<region>.amazonaws.com (.amazonaws.com.cn for cn- regions);
///   credentials: see CredentialsChain.
/// The shared files are read only if something is not given explicitly or by the environment.
/// No region and a default endpoint is a Config error (see also allowAnonymousFallback).
/// BLOCKING when a profile's credential_process runs: call it from a worker thread or the
/// command-line tool, never from the GUI thread.
Result<ConnectionSettings> resolveConnection(const ConnectionOptions &options, const Environment &env);

/// The region alone (same order as above); nullopt when none is set anywhere. Reads the shared
/// files only when needed; never blocks on a process. An invalid region name is an error that
/// names where it came from.
Result<std::optional<SettingValue>> resolveRegion(const ConnectionOptions &options, const Environment &env);

/// The endpoint alone (same order as above); `region` is used only for the default endpoint and
/// may be empty, which is an error when no endpoint is configured. Never blocks on a process.
Result<SettingValue> resolveEndpoint(const ConnectionOptions &options, const Environment &env,
                                     const QString &region);

/// Checks an endpoint URL: http or https, a host, no user info, query or fragment. `origin`
/// names where the text came from in the error ("AWS_ENDPOINT_URL"). For forms, too.
Result<QUrl> validateEndpointUrl(const QString &text, const QString &origin);

/// https://kinesis.<region>.amazonaws.com, or .amazonaws.com.cn for regions starting with "cn-".
QUrl defaultEndpoint(const QString &region);

/// True when the URL's host belongs to AWS (*.amazonaws.com, *.amazonaws.com.cn, *.api.aws).
bool isAwsEndpoint(const QUrl &url);

/// Profile names from both shared files, "default" first, for a profile picker. A file that
/// cannot be read or parsed contributes no names (the problem is logged under kwb.awsconfig;
/// SharedConfig::load() gives the error itself).
QStringList listProfiles(const Environment &env);

} // namespace kwb::aws
