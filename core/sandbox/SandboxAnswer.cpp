#include "sandbox/SandboxAnswer.h"

#include "net/JsonWriter.h"

namespace kwb::sandbox {

SandboxAnswer SandboxAnswer::error(int status, const QByteArray &type, const QString &message)
{
    QByteArray body;
    body.reserve(64 + type.size() + message.size());
    body.append("{\"__type\":");
    net::appendJsonString(body, QByteArrayView(type));
    if (!message.isEmpty()) {
        body.append(type == "SerializationException" ? ",\"Message\":" : ",\"message\":");
        net::appendJsonString(body, message);
    }
    body.append('}');
    return SandboxAnswer{status, std::move(body), type, false, 0, {}, {}};
}

} // namespace kwb::sandbox
