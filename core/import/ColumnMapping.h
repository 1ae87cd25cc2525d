#pragma once

#include "Result.h"

#include <QString>
#include <QStringView>

namespace kwb::import {

/// Which CSV/TSV header columns hold the partition key, the data and the explicit hash key.
/// An empty name means "recognise the usual names": partition_key/PartitionKey, data/Data,
/// explicit_hash_key/ExplicitHashKey. A plain value, used from any thread.
struct ColumnMapping
{
    QString partitionKey;
    QString data;
    QString explicitHashKey;
    /// True: no column gives explicit hash keys, not even one with a usual name (explicitHashKey
    /// must then be empty).
    bool noExplicitHashKey = false;

    bool isEmpty() const
    {
        return partitionKey.isEmpty() && data.isEmpty() && explicitHashKey.isEmpty() && !noExplicitHashKey;
    }

    /// Parses the command line form "pk=COL,data=COL,ehk=COL" (any subset, any order; the long
    /// names partition_key, explicit_hash_key are accepted too). Column names cannot contain ','.
    static Result<ColumnMapping> parse(QStringView spec);
};

} // namespace kwb::import
