#include "ColumnMapping.h"

#include <QList>

namespace kwb::import {

Result<ColumnMapping> ColumnMapping::parse(QStringView spec)
{
    ColumnMapping mapping;
    const auto parts = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return Error::input(QStringLiteral("the column mapping is empty; write it as pk=COL,data=COL,ehk=COL"),
                            QStringLiteral("InvalidColumnMapping"));
    for (QStringView part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0 || eq == part.size() - 1)
            return Error::input(QStringLiteral("column mapping \"%1\" is not NAME=COLUMN; write it as "
                                               "pk=COL,data=COL,ehk=COL")
                                    .arg(part.toString()),
                                QStringLiteral("InvalidColumnMapping"));
        const QString name = part.left(eq).trimmed().toString().toLower();
        const QString column = part.mid(eq + 1).trimmed().toString();
        QString *target = nullptr;
        if (name == QLatin1String("pk") || name == QLatin1String("partition_key") || name == QLatin1String("partitionkey"))
            target = &mapping.partitionKey;
        else if (name == QLatin1String("data"))
            target = &mapping.data;
        else if (name == QLatin1String("ehk") || name == QLatin1String("explicit_hash_key")
                 || name == QLatin1String("explicithashkey"))
            target = &mapping.explicitHashKey;
        if (!target)
            return Error::input(QStringLiteral("unknown column role \"%1\" in the column mapping; use pk, data or ehk")
                                    .arg(name),
                                QStringLiteral("InvalidColumnMapping"));
        if (!target->isEmpty())
            return Error::input(QStringLiteral("column role \"%1\" is given twice in the column mapping").arg(name),
                                QStringLiteral("InvalidColumnMapping"));
        *target = column;
    }
    return mapping;
}

} // namespace kwb::import
