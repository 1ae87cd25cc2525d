#include "sandbox/JsonBuilder.h"

#include "net/JsonWriter.h"

namespace kwb::sandbox {

void JsonBuilder::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_hasMembers.empty()) {
        if (m_hasMembers.back())
            m_out.append(',');
        m_hasMembers.back() = true;
    }
}

JsonBuilder &JsonBuilder::beginObject()
{
    separate();
    m_out.append('{');
    m_hasMembers.push_back(false);
    return *this;
}

JsonBuilder &JsonBuilder::endObject()
{
    m_out.append('}');
    m_hasMembers.pop_back();
    return *this;
}

JsonBuilder &JsonBuilder::beginArray()
{
    separate();
    m_out.append('[');
    m_hasMembers.push_back(false);
    return *this;
}

JsonBuilder &JsonBuilder::endArray()
{
    m_out.append(']');
    m_hasMembers.pop_back();
    return *this;
}

JsonBuilder &JsonBuilder::key(const char *name)
{
    separate();
    m_out.append('"').append(name).append("\":");
    m_afterKey = true;
    return *this;
}

JsonBuilder &JsonBuilder::string(QByteArrayView utf8)
{
    separate();
    net::appendJsonString(m_out, utf8);
    return *this;
}

JsonBuilder &JsonBuilder::base64(QByteArrayView bytes)
{
    separate();
    net::appendJsonBase64(m_out, bytes);
    return *this;
}

JsonBuilder &JsonBuilder::number(qint64 value)
{
    separate();
    m_out.append(QByteArray::number(value));
    return *this;
}

JsonBuilder &JsonBuilder::boolean(bool value)
{
    separate();
    m_out.append(value ? "true" : "false");
    return *this;
}

JsonBuilder &JsonBuilder::timestamp(qint64 epochMs)
{
    separate();
    const qint64 seconds = epochMs / 1000;
    const int millis = int(epochMs % 1000);
    char fraction[5] = {'.', char('0' + millis / 100), char('0' + millis / 10 % 10), char('0' + millis % 10), 0};
    m_out.append(QByteArray::number(seconds)).append(fraction, 4);
    return *this;
}

} // namespace kwb::sandbox
