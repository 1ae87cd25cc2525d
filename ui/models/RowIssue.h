#pragma once

#include "RecordStore.h"

#include <QString>

namespace kwb::ui {

/// Why a row cannot be sent as it is. Checked on demand in O(1) (the key's length is counted
/// only when it has more than 256 bytes), so the table can show it for any row it paints.
enum class RowIssue : quint8 {
    None,
    EmptyKey,           ///< the partition key is empty
    KeyTooLong,         ///< more than 256 characters
    BadExplicitHashKey, ///< the explicit hash key typed in is not a number in 0 .. 2^128-1
    TooLarge,           ///< partition key + data over the stream's maximum record size
};

/// The first issue of `row`, in the order above. `badExplicitHashKey`: the row holds a typed
/// explicit hash key that did not parse (see Workspace).
RowIssue checkRow(const RecordStore &store, int row, qint64 maxRecordBytes, bool badExplicitHashKey);

/// The error code shown for an issue ("InvalidPartitionKey", "InvalidExplicitHashKey",
/// "RecordTooLarge"); the same codes the send engine uses when it refuses a row.
QString rowIssueCode(RowIssue issue);

/// What is wrong and what to do, for the row's tooltip and error column.
QString rowIssueMessage(RowIssue issue, const RecordStore &store, int row, qint64 maxRecordBytes,
                        const QString &badExplicitHashKey);

/// Characters in a UTF-8 key: bytes that do not continue a sequence.
int utf8CharCount(QByteArrayView utf8);

} // namespace kwb::ui
