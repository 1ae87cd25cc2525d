#pragma once

#include "HashKey.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace kwb::net {

/// Appends `utf8` to `out` as a JSON string literal (quotes included), escaping per RFC 8259.
/// Used to build PutRecords bodies directly, without a QJsonDocument per record.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
inline void appendJsonString(QByteArray &out, const QString &text) { appendJsonString(out, QByteArrayView(text.toUtf8())); }

/// Appends the base64 form of `bytes` as a JSON string literal, encoded straight into `out`.
void appendJsonBase64(QByteArray &out, QByteArrayView bytes);

/// Size of the base64 form of `n` bytes.
constexpr qsizetype base64Size(qsizetype n) { return (n + 2) / 3 * 4; }

/// Writes `{"StreamName":"s","Records":[` (or StreamARN for "arn:..." streams).
void beginPutRecordsBody(QByteArray &out, const QString &stream);
/// Writes one PutRecords entry; `first` says whether a comma is needed before it.
void appendPutRecordsEntry(QByteArray &out, bool first, QByteArrayView partitionKeyUtf8, QByteArrayView data,
                           std::optional<UInt128> explicitHashKey);
/// Closes the body opened by beginPutRecordsBody.
void endPutRecordsBody(QByteArray &out);
/// Bytes one entry adds to a body, for reserving buffers (upper bound).
inline qsizetype putRecordsEntryEstimate(qsizetype keyBytes, qsizetype dataBytes)
{
    return base64Size(dataBytes) + keyBytes * 6 + 96;
}

} // namespace kwb::net
