#pragma once

#include "RecordStore.h"
#include "models/RowContent.h"

#include <QString>

#include <functional>
#include <map>
#include <vector>

namespace kwb::ui {

class Workspace;

/// Rows to and from clipboard text. Each line is a row: "key<TAB>data[<TAB>explicit hash key]";
/// a line without a tab is data, and gets a key from `newKey`. Data written as "base64:..."
/// is decoded (copying uses that form for data that holds tabs, line breaks or binary bytes, so
/// copy and paste give back the same bytes). Empty lines are skipped. Pure functions.
class ClipboardRows
{
public:
    static std::vector<RowContent> parse(const QString &text, const std::function<QString()> &newKey);
    static QString format(const Workspace &workspace, const std::vector<int> &storeRows);
    /// The same from a copy of the rows (any thread): `badExplicitHashKeys` as Workspace keeps them.
    static QString format(const RecordStore &store, const std::map<int, QString> &badExplicitHashKeys,
                          const std::vector<int> &storeRows);
};

} // namespace kwb::ui
