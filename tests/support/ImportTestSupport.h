#pragma once

// Helpers shared by the import tests: records and issues as comparable text.

#include "HashKey.h"
#include "RecordStore.h"
#include "import/ImportReport.h"

#include <QStringList>

namespace kwb::test {

/// "key|data[|explicit hash key]" for each record; data bytes outside printable ASCII (and the
/// backslash) as \xHH with upper-case hex.
inline QStringList dump(const RecordStore &store)
{
    QStringList rows;
    for (int i = 0; i < store.size(); ++i) {
        QString data;
        for (char c : store.data(i)) {
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0x20 && u < 0x7F && u != '\\')
                data += QLatin1Char(c);
            else
                data += QStringLiteral("\\x") + QString::number(u, 16).toUpper().rightJustified(2, QLatin1Char('0'));
        }
        QString row = store.partitionKey(i) + QLatin1Char('|') + data;
        if (store.hasExplicitHashKey(i))
            row += QLatin1Char('|') + hashKeyToString(store.explicitHashKey(i));
        rows << row;
    }
    return rows;
}

/// Each issue of an import report as "file:line:column: message".
inline QStringList issues(const import::ImportReport &report)
{
    QStringList out;
    for (const import::ImportIssue &issue : report.issues)
        out << issue.toString();
    return out;
}

} // namespace kwb::test
