#pragma once

#include "controllers/ConnectionTarget.h"
#include "workspace/WorkspaceFile.h"

#include <QList>

namespace kwb::ui {

class ConnectionController;

/// The targets set up here, as the target picker lists them: the built-in sandbox, the AWS
/// profiles the connection found, and the saved custom endpoints, each with its "production"
/// mark from the settings. Finds the target a saved id or an opened workspace names, and saves
/// custom targets and marks (never keys). A short-lived value over the settings; GUI thread;
/// does not own the connection.
class TargetList
{
public:
    explicit TargetList(const ConnectionController *connection);

    QList<ConnectionTarget> all() const;
    /// The built-in sandbox with its production mark.
    ConnectionTarget sandbox() const;
    /// A custom target or "profile:<name>" by id, with its mark; invalid for the sandbox and
    /// for ids not set up here.
    ConnectionTarget byId(const QString &id) const;
    /// The target set up here that a workspace file names (custom ones by id, else by endpoint
    /// and region), marked production if either says so; invalid when there is none.
    ConnectionTarget forSaved(const workspace::SavedTarget &saved) const;
    /// How a workspace file names `target` (no keys).
    static workspace::SavedTarget toSaved(const ConnectionTarget &target);

    /// Adds or replaces (same id) a custom target.
    void saveCustom(const ConnectionTarget &target);
    void setProduction(const QString &id, bool production);

private:
    const ConnectionController *m_connection;
};

} // namespace kwb::ui
