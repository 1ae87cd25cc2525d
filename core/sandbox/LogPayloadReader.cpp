#include "sandbox/LogPayloadReader.h"

namespace kwb::sandbox {

quint8 LogPayloadReader::u8()
{
    const QByteArrayView b = bytes(1);
    return b.isEmpty() ? 0 : quint8(b[0]);
}

quint16 LogPayloadReader::u16()
{
    const QByteArrayView b = bytes(2);
    return b.isEmpty() ? 0 : quint16(quint8(b[0]) | (quint16(quint8(b[1])) << 8));
}

quint32 LogPayloadReader::u32()
{
    const QByteArrayView b = bytes(4);
    quint32 v = 0;
    for (qsizetype i = b.size() - 1; i >= 0; --i)
        v = (v << 8) | quint8(b[i]);
    return v;
}

quint64 LogPayloadReader::u64()
{
    const QByteArrayView b = bytes(8);
    quint64 v = 0;
    for (qsizetype i = b.size() - 1; i >= 0; --i)
        v = (v << 8) | quint8(b[i]);
    return v;
}

QByteArrayView LogPayloadReader::bytes(qsizetype length)
{
    if (!m_ok || length < 0 || length > m_data.size() - m_offset) {
        m_ok = false;
        return {};
    }
    const QByteArrayView out = m_data.sliced(m_offset, length);
    m_offset += length;
    return out;
}

QString LogPayloadReader::string()
{
    const quint16 length = u16();
    return QString::fromUtf8(bytes(length));
}

} // namespace kwb::sandbox
