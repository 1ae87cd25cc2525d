#pragma once

#include "sandbox/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>

namespace kwb::sandbox {

/// The sizes a request may not exceed.
struct HttpParseLimits
{
    qsizetype maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 16 * 1024 * 1024;
};

/// What one step of parsing found: more bytes are needed, a complete head (or, from parse(),
/// a complete request), or an error to answer with `status` before closing the connection.
/// A plain value.
struct HttpParse
{
    enum class Kind { NeedMore, Complete, Error };
    Kind kind = Kind::NeedMore;

    HttpRequest request;     ///< method, target, headers (and, from parse(), the body)
    qsizetype headBytes = 0; ///< the request line, the headers and the blank line (and any blank lines before)
    qint64 bodyBytes = 0;    ///< Content-Length
    bool keepAlive = true;
    bool expectContinue = false;

    int status = 0;     ///< of an error: 400, 413, 431, 501, 505
    QString message;    ///< of an error: what is wrong and where
};

/// Parses HTTP/1.1 request heads from bytes: no sockets, no state but where to resume scanning,
/// so the connection feeds it its buffer and the fuzz target and tests feed it anything.
/// Lines end with CRLF or a bare LF (as common HTTP servers accept); blank lines before a
/// request line are skipped. Bodies need a Content-Length; chunked bodies are answered 411.
/// A plain value, for one thread.
class HttpRequestParser
{
public:
    explicit HttpRequestParser(HttpParseLimits limits = {}) : m_limits(limits) {}

    /// Looks for a complete head at the start of `buffer`, which holds the bytes of the
    /// current request received so far (it only grows between calls until reset()); only
    /// what is new since the last call is scanned.
    HttpParse parseHead(QByteArrayView buffer);
    /// The next head starts at a new buffer.
    void reset() { m_scanFrom = 0; }

    /// One whole request from `bytes` (head and body): the pure entry point for the fuzz
    /// target and the tests. `headBytes + bodyBytes` of a Complete result were consumed.
    static HttpParse parse(QByteArrayView bytes, HttpParseLimits limits = {});

private:
    HttpParseLimits m_limits;
    qsizetype m_scanFrom = 0;
};

} // namespace kwb::sandbox
