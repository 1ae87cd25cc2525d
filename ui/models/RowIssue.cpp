#include "models/RowIssue.h"

#include <QCoreApplication>

namespace kwb::ui {

int utf8CharCount(QByteArrayView utf8)
{
    int n = 0;
    for (char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

RowIssue checkRow(const RecordStore &store, int row, qint64 maxRecordBytes, bool badExplicitHashKey)
{
    const QByteArrayView key = store.partitionKeyUtf8(row);
    if (key.isEmpty())
        return RowIssue::EmptyKey;
    if (key.size() > limits::kMaxPartitionKeyChars && utf8CharCount(key) > limits::kMaxPartitionKeyChars)
        return RowIssue::KeyTooLong;
    if (badExplicitHashKey)
        return RowIssue::BadExplicitHashKey;
    if (store.recordSize(row) > maxRecordBytes)
        return RowIssue::TooLarge;
    return RowIssue::None;
}

QString rowIssueCode(RowIssue issue)
{
    switch (issue) {
    case RowIssue::None: return {};
    case RowIssue::EmptyKey:
    case RowIssue::KeyTooLong: return QStringLiteral("InvalidPartitionKey");
    case RowIssue::BadExplicitHashKey: return QStringLiteral("InvalidExplicitHashKey");
    case RowIssue::TooLarge: return QStringLiteral("RecordTooLarge");
    }
    return {};
}

QString rowIssueMessage(RowIssue issue, const RecordStore &store, int row, qint64 maxRecordBytes,
                        const QString &badExplicitHashKey)
{
    switch (issue) {
    case RowIssue::None:
        return {};
    case RowIssue::EmptyKey:
        return QCoreApplication::translate("RowIssue", "The partition key is empty; it needs 1 to %1 characters.")
            .arg(limits::kMaxPartitionKeyChars);
    case RowIssue::KeyTooLong:
        return QCoreApplication::translate("RowIssue", "The partition key has %1 characters; the limit is %2.")
            .arg(utf8CharCount(store.partitionKeyUtf8(row)))
            .arg(limits::kMaxPartitionKeyChars);
    case RowIssue::BadExplicitHashKey: {
        const auto parsed = parseHashKey(badExplicitHashKey);
        const QString why = parsed.ok() ? QString() : parsed.error().message;
        return QCoreApplication::translate("RowIssue",
                                           "The explicit hash key \"%1\" is not a whole number from 0 to "
                                           "2^128-1 (%2). Clear it to route by the partition key.")
            .arg(badExplicitHashKey.left(60), why);
    }
    case RowIssue::TooLarge:
        return QCoreApplication::translate("RowIssue",
                                           "The record is %1 (partition key + data), over the stream's maximum "
                                           "record size of %2.")
            .arg(formatBytes(store.recordSize(row)), formatBytes(maxRecordBytes));
    }
    return {};
}

} // namespace kwb::ui
