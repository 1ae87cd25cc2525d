#include "sandbox/HttpRequestParser.h"

namespace kwb::sandbox {

namespace {

/// RFC 9110 token characters (methods, header names).
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

/// Field values: visible characters, spaces, tabs and obs-text; no other control characters.
bool isFieldValue(QByteArrayView text)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool hasToken(QByteArrayView list, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        if (list.sliced(start, comma - start).trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = comma + 1;
    }
    return false;
}

/// Where the head that starts at `from` ends (just after its blank line), or -1 when it does
/// not end within `buffer`; `resume` is where a later call has to scan again.
qsizetype findHeadEnd(QByteArrayView buffer, qsizetype from, qsizetype &resume)
{
    qsizetype i = from;
    while ((i = buffer.indexOf('\n', i)) >= 0) {
        if (i + 1 >= buffer.size())
            break;
        if (buffer[i + 1] == '\n')
            return i + 2;
        if (buffer[i + 1] == '\r') {
            if (i + 2 >= buffer.size())
                break;
            if (buffer[i + 2] == '\n')
                return i + 3;
        }
        ++i;
    }
    resume = i >= 0 ? i : buffer.size();
    return -1;
}

HttpParse error(int status, QString message)
{
    HttpParse result;
    result.kind = HttpParse::Kind::Error;
    result.status = status;
    result.message = std::move(message);
    return result;
}

QString printable(QByteArrayView text)
{
    QString out;
    for (char c : text.first(std::min<qsizetype>(text.size(), 40))) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    return text.size() > 40 ? out + QStringLiteral("...") : out;
}

/// Parses the request line and headers of head = [first line .. blank line).
HttpParse parseLines(QByteArrayView head, const HttpParseLimits &limits)
{
    HttpParse result;
    qsizetype lineNumber = 0;
    qsizetype pos = 0;
    bool haveLength = false;
    while (pos < head.size()) {
        qsizetype newline = head.indexOf('\n', pos);
        if (newline < 0)
            newline = head.size();
        QByteArrayView line = head.sliced(pos, newline - pos);
        pos = newline + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        ++lineNumber;
        if (line.isEmpty())
            break; // the blank line that ends the head
        if (lineNumber == 1) {
            const qsizetype sp1 = line.indexOf(' ');
            const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0)
                return error(400, QStringLiteral("malformed request line '%1': expected METHOD /path HTTP/1.1")
                                      .arg(printable(line)));
            const QByteArrayView method = line.first(sp1);
            const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
            const QByteArrayView version = line.sliced(sp2 + 1);
            if (!isToken(method) || !isFieldValue(target) || target.contains('\t'))
                return error(400, QStringLiteral("malformed request line '%1': expected METHOD /path HTTP/1.1")
                                      .arg(printable(line)));
            const bool httpVersion = version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.'
                                     && version[5] >= '0' && version[5] <= '9' && version[7] >= '0' && version[7] <= '9';
            if (!httpVersion)
                return error(400, QStringLiteral("malformed request line '%1': expected METHOD /path HTTP/1.1")
                                      .arg(printable(line)));
            if (version[5] != '1')
                return error(505, QStringLiteral("HTTP version %1 is not supported; use HTTP/1.1")
                                      .arg(printable(version)));
            result.request.method = method.toByteArray();
            result.request.target = target.toByteArray();
            result.keepAlive = version != "HTTP/1.0";
            continue;
        }
        if (line.startsWith(' ') || line.startsWith('\t')) {
            // Obsolete line folding is refused (RFC 9112 5.2 lets a server answer 400): folded onto
            // a Content-Length it would make the header say other than what framed the body
            // (found by fuzzing).
            return error(400, QStringLiteral("header line %1 starts with white space (obsolete line folding); send each "
                                             "header on one line")
                                  .arg(lineNumber));
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return error(400, QStringLiteral("malformed header line %1 '%2': expected Name: value")
                                  .arg(lineNumber)
                                  .arg(printable(line)));
        const QByteArrayView name = line.first(colon);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!isFieldValue(value))
            return error(400, QStringLiteral("header %1 (line %2) holds a control character")
                                  .arg(QString::fromLatin1(name))
                                  .arg(lineNumber));
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool digits = !value.isEmpty() && value.size() <= 18;
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            const qint64 length = digits ? value.toLongLong() : -1;
            if (!digits || (haveLength && length != result.bodyBytes))
                return error(400, QStringLiteral("invalid Content-Length '%1': one whole number of bytes")
                                      .arg(printable(value)));
            haveLength = true;
            result.bodyBytes = length;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            return error(411, QStringLiteral("chunked request bodies are not supported; send a Content-Length"));
        } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
            if (hasToken(value, "close"))
                result.keepAlive = false;
            else if (hasToken(value, "keep-alive"))
                result.keepAlive = true;
        } else if (name.compare("expect", Qt::CaseInsensitive) == 0) {
            result.expectContinue = hasToken(value, "100-continue");
        }
        result.request.headers.append({name.toByteArray(), value.toByteArray()});
    }
    if (result.request.method.isEmpty())
        return error(400, QStringLiteral("no request line"));
    if (result.bodyBytes > limits.maxBodyBytes)
        return error(413, QStringLiteral("the request body (%1 bytes) is larger than %2 MiB")
                              .arg(result.bodyBytes)
                              .arg(limits.maxBodyBytes / (1024 * 1024)));
    result.kind = HttpParse::Kind::Complete;
    return result;
}

} // namespace

HttpParse HttpRequestParser::parseHead(QByteArrayView buffer)
{
    // Blank lines before a request line are skipped (RFC 9112 2.2), within the head's limit.
    qsizetype start = 0;
    while (start < buffer.size() && (buffer[start] == '\r' || buffer[start] == '\n'))
        ++start;
    if (start > m_limits.maxHeaderBytes)
        return error(400, QStringLiteral("more than %1 bytes of blank lines before the request line").arg(m_limits.maxHeaderBytes));
    qsizetype resume = 0;
    const qsizetype end = findHeadEnd(buffer, std::max(start, m_scanFrom), resume);
    if (end < 0) {
        m_scanFrom = std::max(start, resume);
        if (buffer.size() - start > m_limits.maxHeaderBytes)
            return error(431, QStringLiteral("the request headers are larger than %1 KiB").arg(m_limits.maxHeaderBytes / 1024));
        return {};
    }
    m_scanFrom = 0;
    if (end - start > m_limits.maxHeaderBytes)
        return error(431, QStringLiteral("the request headers are larger than %1 KiB").arg(m_limits.maxHeaderBytes / 1024));
    HttpParse result = parseLines(buffer.sliced(start, end - start), m_limits);
    result.headBytes = end;
    return result;
}

HttpParse HttpRequestParser::parse(QByteArrayView bytes, HttpParseLimits limits)
{
    HttpRequestParser parser(limits);
    HttpParse result = parser.parseHead(bytes);
    if (result.kind != HttpParse::Kind::Complete)
        return result;
    if (bytes.size() - result.headBytes < result.bodyBytes) {
        result.kind = HttpParse::Kind::NeedMore;
        return result;
    }
    result.request.body = bytes.sliced(result.headBytes, qsizetype(result.bodyBytes)).toByteArray();
    return result;
}

} // namespace kwb::sandbox
