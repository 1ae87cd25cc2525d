#pragma once

#include <QList>
#include <QString>

class QSettings;

namespace kwb::ui {

/// Where the workbench sends: the built-in sandbox, an AWS profile from the shared files, or a
/// custom endpoint (kinesalite, kinesis-mock, LocalStack, a VPC endpoint). A plain value; custom
/// targets and the "production" marks are kept in QSettings — never keys, which live in the
/// SecretStore under credentialsKey().
struct ConnectionTarget
{
    enum class Kind { Sandbox, Profile, Custom };

    Kind kind = Kind::Custom;
    QString id;           ///< "sandbox", "profile:<name>", "custom:<uuid>"
    QString name;         ///< what the user called it (custom), or the profile name
    QString profile;      ///< Profile: the profile; Custom: a profile for credentials (empty: the default chain)
    QString endpointUrl;  ///< Custom only
    QString region;       ///< Custom; for profiles an override (empty: the profile's own)
    QString profileRegion; ///< Profile: the profile's own region, for display
    bool keysInKeychain = false; ///< Custom: keys typed into the app, read from the SecretStore
    bool production = false;     ///< ask before sending
    QString profileKind;         ///< Profile: "keys", "SSO", "role", "process", "web identity"
    QString account;             ///< Profile: the account its file names, if any

    bool isValid() const { return !id.isEmpty(); }
    /// For the target picker: "Built-in sandbox", "AWS profile: dev", "Custom: local (http://...)".
    QString label() const;
    /// The SecretStore key of this target's typed keys.
    QString credentialsKey() const { return QStringLiteral("credentials/") + id; }

    static ConnectionTarget sandbox();
    /// `kind`, `account` and `profileRegion` describe the profile in the picker (may be empty).
    static ConnectionTarget forProfile(const QString &profile, const QString &kind = {}, const QString &account = {},
                                       const QString &profileRegion = {});
    bool isSsoProfile() const { return kind == Kind::Profile && profileKind == QLatin1String("SSO"); }
    /// A new custom target with a fresh id.
    static ConnectionTarget newCustom();
};

/// Reads and writes targets in QSettings (group "targets"). GUI thread.
class TargetSettings
{
public:
    static QList<ConnectionTarget> customTargets(QSettings &settings);
    static void saveCustomTargets(QSettings &settings, const QList<ConnectionTarget> &targets);
    static bool isProduction(QSettings &settings, const QString &id);
    static void setProduction(QSettings &settings, const QString &id, bool production);
    static QString lastTargetId(QSettings &settings);
    static void setLastTargetId(QSettings &settings, const QString &id);
    static QString lastStream(QSettings &settings, const QString &targetId);
    static void setLastStream(QSettings &settings, const QString &targetId, const QString &stream);
};

} // namespace kwb::ui
