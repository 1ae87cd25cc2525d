#include "Result.h"

#include "send/RetryPolicy.h"

namespace kwb {

const char *errorKindName(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Input: return "input";
    case Error::Kind::Config: return "config";
    case Error::Kind::Throttling: return "throttling";
    case Error::Kind::Server: return "server";
    case Error::Kind::Network: return "network";
    case Error::Kind::Timeout: return "timeout";
    case Error::Kind::Access: return "access";
    case Error::Kind::Validation: return "validation";
    case Error::Kind::NotFound: return "not-found";
    case Error::Kind::InUse: return "in-use";
    case Error::Kind::Kms: return "kms";
    case Error::Kind::Protocol: return "protocol";
    case Error::Kind::Cancelled: return "cancelled";
    case Error::Kind::Client: return "client";
    }
    return "unknown";
}

bool Error::retriable() const
{
    return send::RetryPolicy::classify(kind) != send::RetryClass::Fatal;
}

QString Error::toString() const
{
    QString text = code.isEmpty() ? message : code + QStringLiteral(": ") + message;
    if (httpStatus > 0)
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    return text;
}

} // namespace kwb
