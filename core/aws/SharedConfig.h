#pragma once

#include "Result.h"
#include "aws/AwsConfigFile.h"
#include "aws/Environment.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace kwb::aws {

/// Which profile to read and why.
struct ProfileChoice
{
    QString name;           ///< never empty: "default" when nothing names one
    QString source;         ///< "explicit setting", "AWS_PROFILE" or "default"
    bool named = false;     ///< chosen by the caller or AWS_PROFILE: it must exist
    bool isExplicit = false;///< chosen by the caller (like the AWS CLI's --profile)
};

/// The two AWS shared files read together: the config file (AWS_CONFIG_FILE, ~/.aws/config) and
/// the credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials). For the same profile
/// and key the credentials file wins, as in the AWS CLI. An immutable value; reading the files is
/// quick and happens in `load()` only.
class SharedConfig
{
public:
    SharedConfig() = default;
    SharedConfig(AwsConfigFile configFile, AwsConfigFile credentialsFile);

    /// Reads both files named by `env`. Missing files are fine (empty); unreadable or malformed
    /// ones are a Config error naming file and line.
    static Result<SharedConfig> load(const Environment &env);
    /// Each file alone, as `load()` reads it (shown with "~" for the home directory).
    static Result<AwsConfigFile> loadConfigFile(const Environment &env);
    static Result<AwsConfigFile> loadCredentialsFile(const Environment &env);

    /// The profile to use: `explicitProfile` if not empty, else AWS_PROFILE, else "default".
    static ProfileChoice chooseProfile(const QString &explicitProfile, const Environment &env);

    const AwsConfigFile &configFile() const { return m_config; }
    const AwsConfigFile &credentialsFile() const { return m_credentials; }

    /// Profile names from both files, "default" first, then sorted; no duplicates.
    QStringList profileNames() const;
    bool hasProfile(const QString &name) const;

    /// `key` of `profile`: the credentials file's value if it has one, else the config file's.
    std::optional<AwsConfigValue> value(const QString &profile, const QString &key) const;

    /// `key` for `service` from the profile's services section, i.e. for
    /// `[profile p] services = s` and `[services s] kinesis = \n  endpoint_url = ...`,
    /// serviceValue("p", "kinesis", "endpoint_url").
    std::optional<AwsConfigValue> serviceValue(const QString &profile, const QString &service,
                                               const QString &key) const;

    /// Ok unless `choice` is named (explicitly or by AWS_PROFILE) and in neither file; the error
    /// names the profile, the files and the usual mistake ([x] vs [profile x]).
    Result<void> requireProfile(const ProfileChoice &choice) const;

    /// "~/.aws/credentials (not found) and ~/.aws/config", for messages.
    QString describeFiles() const;

private:
    AwsConfigFile m_config;
    AwsConfigFile m_credentials;
};

} // namespace kwb::aws
