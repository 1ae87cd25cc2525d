#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

namespace kwb::sandbox {

/// Writes compact JSON into a QByteArray without a document model: commas and nesting are
/// tracked, strings escaped. For the sandbox's answers. A plain value.
class JsonBuilder
{
public:
    explicit JsonBuilder(qsizetype reserve = 256) { m_out.reserve(reserve); }

    JsonBuilder &beginObject();
    JsonBuilder &endObject();
    JsonBuilder &beginArray();
    JsonBuilder &endArray();
    /// The next member's name (ASCII).
    JsonBuilder &key(const char *name);

    JsonBuilder &string(QByteArrayView utf8);
    JsonBuilder &string(const QByteArray &utf8) { return string(QByteArrayView(utf8)); }
    JsonBuilder &string(const QString &text) { return string(QByteArrayView(text.toUtf8())); }
    JsonBuilder &string(const char *ascii) { return string(QByteArrayView(ascii)); }
    JsonBuilder &base64(QByteArrayView bytes);
    JsonBuilder &number(qint64 value);
    JsonBuilder &boolean(bool value);
    /// Epoch seconds with milliseconds, as the service writes timestamps: 1764102623.123.
    JsonBuilder &timestamp(qint64 epochMs);

    QByteArray &buffer() { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    void separate();

    QByteArray m_out;
    std::vector<bool> m_hasMembers; ///< per open object/array: whether a comma is due
    bool m_afterKey = false;
};

} // namespace kwb::sandbox
