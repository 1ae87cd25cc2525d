#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace kwb::net {

/// Appends `utf8` to `out` as a JSON string literal (quotes included), escaping per RFC 8259.
/// Used to build PutRecords bodies directly, without a QJsonDocument per record.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
inline void appendJsonString(QByteArray &out, const QString &text) { appendJsonString(out, QByteArrayView(text.toUtf8())); }

/// Appends the base64 form of `bytes` as a JSON string literal (no escaping needed).
void appendJsonBase64(QByteArray &out, QByteArrayView bytes);

} // namespace kwb::net
