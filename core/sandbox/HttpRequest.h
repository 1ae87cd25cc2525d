#pragma once

#include "aws/SigV4Signer.h"

#include <QByteArray>
#include <QByteArrayView>

namespace kwb::sandbox {

/// One HTTP/1.1 request as the sandbox received it: the raw request target (for SigV4, which
/// signs the path exactly as sent), the headers in order and the body. The body's capacity
/// leaves room after its end for the JSON parser's padding. A plain value.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< "/", "/?a=b": as sent
    aws::HttpHeaders headers;
    QByteArray body;

    QByteArrayView path() const
    {
        const qsizetype q = target.indexOf('?');
        return q < 0 ? QByteArrayView(target) : QByteArrayView(target).first(q);
    }
    QByteArrayView query() const
    {
        const qsizetype q = target.indexOf('?');
        return q < 0 ? QByteArrayView() : QByteArrayView(target).sliced(q + 1);
    }
    /// The first value of a header, by case-insensitive name; null when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers)
            if (key.size() == name.size() && QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
};

} // namespace kwb::sandbox
