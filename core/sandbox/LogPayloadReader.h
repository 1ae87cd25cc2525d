#pragma once

#include <QByteArrayView>
#include <QString>

namespace kwb::sandbox {

/// Reads the fields of a log payload in order; any read past the end marks it as bad.
class LogPayloadReader
{
public:
    explicit LogPayloadReader(QByteArrayView payload) : m_data(payload) {}

    quint8 u8();
    quint16 u16();
    quint32 u32();
    quint64 u64();
    qint64 i64() { return qint64(u64()); }
    QByteArrayView bytes(qsizetype length);
    QString string();

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_offset == m_data.size(); }

private:
    QByteArrayView m_data;
    qsizetype m_offset = 0;
    bool m_ok = true;
};

} // namespace kwb::sandbox
