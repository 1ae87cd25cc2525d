#include "controllers/TargetList.h"

#include "WorkbenchSettings.h"
#include "controllers/ConnectionController.h"

namespace kwb::ui {

TargetList::TargetList(const ConnectionController *connection)
    : m_connection(connection)
{
}

QList<ConnectionTarget> TargetList::all() const
{
    WorkbenchSettings settings;
    QList<ConnectionTarget> targets{sandbox()};
    for (const QString &profile : m_connection->profiles()) {
        ConnectionTarget t = m_connection->profileTarget(profile);
        t.production = settings.isProduction(t.id);
        targets << t;
    }
    targets << settings.customTargets();
    return targets;
}

ConnectionTarget TargetList::sandbox() const
{
    ConnectionTarget t = ConnectionTarget::sandbox();
    t.production = WorkbenchSettings().isProduction(t.id);
    return t;
}

ConnectionTarget TargetList::byId(const QString &id) const
{
    WorkbenchSettings settings;
    for (const ConnectionTarget &t : settings.customTargets()) {
        if (t.id == id)
            return t;
    }
    if (id.startsWith(QLatin1String("profile:"))) {
        ConnectionTarget t = ConnectionTarget::forProfile(id.mid(8));
        t.production = settings.isProduction(t.id);
        return t;
    }
    return {};
}

ConnectionTarget TargetList::forSaved(const workspace::SavedTarget &saved) const
{
    WorkbenchSettings settings;
    ConnectionTarget target;
    if (saved.kind == QLatin1String("sandbox")) {
        target = ConnectionTarget::sandbox();
    } else if (saved.kind == QLatin1String("profile") && m_connection->profiles().contains(saved.profile)) {
        target = ConnectionTarget::forProfile(saved.profile);
    } else if (saved.kind == QLatin1String("custom")) {
        // The same id wins; else the first with the same endpoint and region.
        for (const ConnectionTarget &t : settings.customTargets()) {
            if (t.id == saved.id || (t.endpointUrl == saved.endpointUrl && t.region == saved.region && !target.isValid()))
                target = t;
        }
    }
    if (target.isValid())
        target.production = settings.isProduction(target.id) || saved.production;
    return target;
}

workspace::SavedTarget TargetList::toSaved(const ConnectionTarget &t)
{
    workspace::SavedTarget saved;
    saved.id = t.id;
    saved.kind = t.kind == ConnectionTarget::Kind::Sandbox   ? QStringLiteral("sandbox")
                 : t.kind == ConnectionTarget::Kind::Profile ? QStringLiteral("profile")
                                                             : QStringLiteral("custom");
    saved.name = t.name;
    saved.profile = t.profile;
    saved.endpointUrl = t.endpointUrl;
    saved.region = t.region;
    saved.production = t.production;
    return saved;
}

void TargetList::saveCustom(const ConnectionTarget &target)
{
    WorkbenchSettings settings;
    QList<ConnectionTarget> custom = settings.customTargets();
    bool replaced = false;
    for (ConnectionTarget &t : custom) {
        if (t.id == target.id) {
            t = target;
            replaced = true;
        }
    }
    if (!replaced)
        custom << target;
    settings.saveCustomTargets(custom);
}

void TargetList::setProduction(const QString &id, bool production)
{
    WorkbenchSettings().setProduction(id, production);
}

} // namespace kwb::ui
