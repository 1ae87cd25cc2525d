#include "controllers/ConnectionTarget.h"

#include <QCoreApplication>
#include <QSettings>
#include <QUuid>

namespace kwb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionTarget", text);
}

QString settingsId(const QString &id)
{
    // QSettings keys may not hold '/' as data.
    return QString::fromLatin1(id.toUtf8().toHex());
}

} // namespace

QString ConnectionTarget::label() const
{
    switch (kind) {
    case Kind::Sandbox: return tr("Built-in sandbox");
    case Kind::Profile: {
        QStringList details;
        for (const QString &detail : {profileKind, account, profileRegion})
            if (!detail.isEmpty())
                details << detail;
        return details.isEmpty() ? tr("AWS profile: %1").arg(profile)
                                 : tr("AWS profile: %1 (%2)").arg(profile, details.join(QStringLiteral(" · ")));
    }
    case Kind::Custom: return tr("%1 (%2)").arg(name.isEmpty() ? tr("Custom endpoint") : name, endpointUrl);
    }
    return name;
}

ConnectionTarget ConnectionTarget::sandbox()
{
    ConnectionTarget t;
    t.kind = Kind::Sandbox;
    t.id = QStringLiteral("sandbox");
    t.name = tr("Built-in sandbox");
    t.region = QStringLiteral("us-east-1");
    return t;
}

ConnectionTarget ConnectionTarget::forProfile(const QString &profile, const QString &kind, const QString &account,
                                              const QString &profileRegion)
{
    ConnectionTarget t;
    t.kind = Kind::Profile;
    t.id = QStringLiteral("profile:") + profile;
    t.name = profile;
    t.profile = profile;
    t.profileKind = kind;
    t.account = account;
    t.profileRegion = profileRegion;
    return t;
}

ConnectionTarget ConnectionTarget::newCustom()
{
    ConnectionTarget t;
    t.kind = Kind::Custom;
    t.id = QStringLiteral("custom:") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    return t;
}

QList<ConnectionTarget> TargetSettings::customTargets(QSettings &settings)
{
    QList<ConnectionTarget> out;
    const int n = settings.beginReadArray(QStringLiteral("targets/custom"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        ConnectionTarget t;
        t.kind = ConnectionTarget::Kind::Custom;
        t.id = settings.value(QStringLiteral("id")).toString();
        t.name = settings.value(QStringLiteral("name")).toString();
        t.profile = settings.value(QStringLiteral("profile")).toString();
        t.endpointUrl = settings.value(QStringLiteral("endpoint")).toString();
        t.region = settings.value(QStringLiteral("region")).toString();
        t.keysInKeychain = settings.value(QStringLiteral("keysInKeychain")).toBool();
        if (t.id.startsWith(QLatin1String("custom:")) && !t.endpointUrl.isEmpty())
            out.append(t);
    }
    settings.endArray();
    for (ConnectionTarget &t : out)
        t.production = isProduction(settings, t.id);
    return out;
}

void TargetSettings::saveCustomTargets(QSettings &settings, const QList<ConnectionTarget> &targets)
{
    settings.remove(QStringLiteral("targets/custom"));
    settings.beginWriteArray(QStringLiteral("targets/custom"), int(targets.size()));
    for (int i = 0; i < targets.size(); ++i) {
        const ConnectionTarget &t = targets[i];
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("id"), t.id);
        settings.setValue(QStringLiteral("name"), t.name);
        settings.setValue(QStringLiteral("profile"), t.profile);
        settings.setValue(QStringLiteral("endpoint"), t.endpointUrl);
        settings.setValue(QStringLiteral("region"), t.region);
        settings.setValue(QStringLiteral("keysInKeychain"), t.keysInKeychain);
    }
    settings.endArray();
    for (const ConnectionTarget &t : targets)
        setProduction(settings, t.id, t.production);
}

bool TargetSettings::isProduction(QSettings &settings, const QString &id)
{
    return settings.value(QStringLiteral("targets/production/") + settingsId(id), false).toBool();
}

void TargetSettings::setProduction(QSettings &settings, const QString &id, bool production)
{
    if (production)
        settings.setValue(QStringLiteral("targets/production/") + settingsId(id), true);
    else
        settings.remove(QStringLiteral("targets/production/") + settingsId(id));
}

QString TargetSettings::lastTargetId(QSettings &settings)
{
    return settings.value(QStringLiteral("targets/last")).toString();
}

void TargetSettings::setLastTargetId(QSettings &settings, const QString &id)
{
    settings.setValue(QStringLiteral("targets/last"), id);
}

QString TargetSettings::lastStream(QSettings &settings, const QString &targetId)
{
    return settings.value(QStringLiteral("targets/lastStream/") + settingsId(targetId)).toString();
}

void TargetSettings::setLastStream(QSettings &settings, const QString &targetId, const QString &stream)
{
    settings.setValue(QStringLiteral("targets/lastStream/") + settingsId(targetId), stream);
}

} // namespace kwb::ui
