#pragma once

#include "HashKey.h"
#include "Record.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kwb::ui {

/// What the user edits in one row: the record's fields, plus an explicit hash key typed in that
/// did not parse (kept as typed, so the row can show what is wrong with it). A plain value;
/// undo commands keep them.
struct RowContent
{
    QByteArray partitionKey; ///< UTF-8, stored as typed (an empty or too long key is an issue of the row)
    QByteArray data;
    std::optional<UInt128> explicitHashKey;
    QString badExplicitHashKey; ///< non-empty: the text typed, which is not a valid hash key

    bool operator==(const RowContent &other) const = default;

    static RowContent fromRecord(const Record &record)
    {
        return RowContent{record.partitionKey.toUtf8(), record.data, record.explicitHashKey, {}};
    }
    Record toRecord() const { return Record{QString::fromUtf8(partitionKey), data, explicitHashKey}; }
};

} // namespace kwb::ui
