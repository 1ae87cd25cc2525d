#include "Icons.h"

#include <QHash>

namespace kwb::ui {

QIcon Icons::named(const char *name)
{
    static QHash<QByteArray, QIcon> cache;
    const QByteArray key(name);
    auto it = cache.constFind(key);
    if (it == cache.constEnd())
        it = cache.insert(key, QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name))));
    return *it;
}

QIcon Icons::status(DisplayStatus status)
{
    switch (status) {
    case DisplayStatus::Invalid: return issue();
    case DisplayStatus::Pending: return named("status-pending");
    case DisplayStatus::Queued: return named("status-queued");
    case DisplayStatus::InFlight: return named("status-inflight");
    case DisplayStatus::Succeeded: return named("status-succeeded");
    case DisplayStatus::Verified: return named("status-verified");
    case DisplayStatus::VerifyMismatch: return named("status-verify-failed");
    case DisplayStatus::Throttled: return named("status-throttled");
    case DisplayStatus::Failed: return named("status-failed");
    case DisplayStatus::Cancelled: return named("status-cancelled");
    }
    return {};
}

QIcon Icons::issue() { return named("issue"); }
QIcon Icons::mismatch() { return named("mismatch"); }
QIcon Icons::warning() { return named("warning"); }
QIcon Icons::error() { return named("status-failed"); }
QIcon Icons::info() { return named("info"); }
QIcon Icons::production() { return named("production"); }
QIcon Icons::app()
{
    // The same picture as the desktop's menu and task bar (resources/linux).
    static const QIcon icon(QStringLiteral(":/linux/io.github.kinesisworkbench.KinesisWorkbench.svg"));
    return icon;
}

} // namespace kwb::ui
