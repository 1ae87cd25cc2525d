#pragma once

#include "import/ColumnMapping.h"
#include "import/ImportOptions.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace kwb::import {

/// Guesses an input's format from its file name and its first bytes: .jsonl/.ndjson are JSON
/// Lines, .csv/.tsv/.txt what they say; .json and unknown names are told apart by content (a
/// '[' array, one '{' object per line, the put-records object with "Records", a single object,
/// a CSV/TSV header naming a data column, binary bytes, else text). Pure functions.
class FormatDetector
{
public:
    /// `head` is the start of the input (a UTF-8 BOM is skipped); `wholeInput` says it is all of it.
    static Format detect(const QString &fileName, QByteArrayView head, bool wholeInput,
                         const ColumnMapping &columns = {});
    /// Member names at the top level of the first JSON object in `head` (JSON Lines: the first
    /// line; an array: its first element; put-records: the first record). Empty when none.
    static QStringList firstObjectMembers(Format format, QByteArrayView head);
    /// Dotted paths to the members of that object, members of nested objects included, each
    /// object's members in order after it ("id", "user", "user.id", "user.name"); names with a '.'
    /// (which a path cannot address) are left out. At most `maxFields`; the top-level members
    /// alone when the object does not end within `head` or is not valid JSON.
    static QStringList firstObjectFields(Format format, QByteArrayView head, int maxFields = 200);

    /// Text in an encoding the importers do not read (they read UTF-8): UTF-16 or UTF-32,
    /// recognised by a byte-order mark, or without one by the NUL bytes that every ASCII
    /// character has beside it in these encodings.
    enum class WideText { None, Utf16LE, Utf16BE, Utf32LE, Utf32BE };
    struct WideTextFinding
    {
        WideText encoding = WideText::None;
        bool byteOrderMark = false;
    };
    static WideTextFinding wideText(QByteArrayView head);
    /// "UTF-16LE", "UTF-32BE", ... (iconv's names).
    static QString wideTextName(WideText encoding);
    /// The error for an input in a wide encoding: what it is, how it was told, how to convert it.
    /// Empty when `head` is not wide text.
    static QString wideTextProblem(const QString &name, QByteArrayView head);
};

} // namespace kwb::import
