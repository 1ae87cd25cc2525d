#include "ImportReport.h"

#include <QLocale>

namespace kwb::import {

QString ImportReport::summary() const
{
    return summary(QLocale::c());
}

QString ImportReport::summary(const QLocale &c) const
{
    QString out = QStringLiteral("imported %1 of %2 record%3")
                      .arg(c.toString(imported), c.toString(recordsRead),
                           recordsRead == 1 ? QString() : QStringLiteral("s"));
    QStringList details;
    if (skipped > 0)
        details << QStringLiteral("%1 skipped").arg(c.toString(skipped));
    if (emptyLines > 0)
        details << QStringLiteral("%1 empty line%2").arg(c.toString(emptyLines), emptyLines == 1 ? QString() : QStringLiteral("s"));
    if (issueCount > skipped)
        details << QStringLiteral("%1 other problem%2")
                       .arg(c.toString(issueCount - skipped), issueCount - skipped == 1 ? QString() : QStringLiteral("s"));
    if (!details.isEmpty())
        out += QLatin1String(" (") + details.join(QLatin1String(", ")) + QLatin1Char(')');
    if (stopped)
        out += QLatin1String("; reading stopped at a problem");
    else if (limitReached)
        out += QLatin1String("; stopped at the record limit");
    return out;
}

} // namespace kwb::import
