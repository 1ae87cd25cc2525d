#include "ImportIssue.h"

namespace kwb::import {

QString ImportIssue::toString() const
{
    QString out = file;
    if (line > 0) {
        out += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            out += QLatin1Char(':') + QString::number(column);
    }
    out += QLatin1String(": ") + message;
    return out;
}

} // namespace kwb::import
