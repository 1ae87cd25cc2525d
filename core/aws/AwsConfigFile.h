#pragma once

#include "Result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace kwb::aws {

/// One `key = value` of a shared config file, with where it was written so that later errors
/// ("region is not valid") can point at the file and line. `file` is the path as given to the
/// parser; `line` counts from 1.
struct AwsConfigValue
{
    QString value;
    QString file;
    int line = 0;

    /// "file:line", for messages.
    QString location() const { return QStringLiteral("%1:%2").arg(file).arg(line); }
};

/// One `[section]` of a shared config file. `kind` and `name` are the section header split the
/// way the AWS tools do: `[profile dev]` in the config file is kind Profile, name "dev";
/// `[dev]` in the credentials file is kind Profile, name "dev"; `[services x]` is kind
/// "services", name "x". Keys are lower-cased (as the AWS CLI does); values are trimmed.
/// Indented `key = value` lines under a key with an empty value (`s3 =`) are its sub-section.
struct AwsConfigSection
{
    QString kind;   ///< "profile", "services", "sso-session" or, for other headers, the whole header
    QString name;   ///< profile name, services name, ...; empty for sections without a name
    QString header; ///< the text between the brackets, trimmed
    int line = 0;   ///< line of the (first) header
    QMap<QString, AwsConfigValue> values;
    QMap<QString, QMap<QString, AwsConfigValue>> subSections;
};

/// A parsed AWS shared config file (`~/.aws/config`) or shared credentials file
/// (`~/.aws/credentials`): INI with `[default]`, `[profile x]` (config) or `[x]` (credentials),
/// `key = value`, `#`/`;` comment lines and indented sub-sections. A plain immutable value; safe
/// to copy between threads. Parsing never echoes a malformed line's text in its error (it may hold
/// a secret): errors say "file:line: what is wrong. What to do."
class AwsConfigFile
{
public:
    /// The two file flavours differ only in how section headers name profiles.
    enum class Flavor {
        Config,      ///< `[default]`, `[profile x]`; other headers are not profiles
        Credentials, ///< `[x]` names profile x
    };

    AwsConfigFile() = default;

    /// Parses `content` (UTF-8) as read from `fileName` (used only in messages and locations).
    static Result<AwsConfigFile> parse(const QByteArray &content, const QString &fileName, Flavor flavor);

    /// Reads and parses `path`. A file that does not exist is not an error: the result is an
    /// empty file with `exists() == false`. An unreadable file is a Config error. `displayName`
    /// (e.g. "~/.aws/config") is used in messages and locations; empty means `path`.
    static Result<AwsConfigFile> load(const QString &path, Flavor flavor, const QString &displayName = {});

    bool exists() const { return m_exists; }
    Flavor flavor() const { return m_flavor; }
    /// The name used in messages and value locations.
    const QString &fileName() const { return m_fileName; }

    /// All sections in file order (a header repeated later is merged into the first one).
    const QList<AwsConfigSection> &sections() const { return m_sections; }

    /// Profile names in file order, without duplicates.
    QStringList profileNames() const;
    /// The profile section, or nullptr. In a config file `[default]` and `[profile default]` are
    /// both the profile "default".
    const AwsConfigSection *profile(const QString &name) const;
    /// A section by kind and name, e.g. ("services", "local"), or nullptr.
    const AwsConfigSection *section(const QString &kind, const QString &name) const;

    /// Shortcut: `key` of profile `profileName`, if both exist.
    std::optional<AwsConfigValue> value(const QString &profileName, const QString &key) const;

private:
    QString m_fileName;
    Flavor m_flavor = Flavor::Config;
    bool m_exists = false;
    QList<AwsConfigSection> m_sections;
};

} // namespace kwb::aws
