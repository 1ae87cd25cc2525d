#include "net/HttpAnswerReader.h"

#include <algorithm>

namespace kwb::net {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

/// Whether a comma-separated header value names `token` (case-insensitive).
bool namesToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(','))
        if (sameName(part.trimmed(), token))
            return true;
    return false;
}

QString overLimit()
{
    return QStringLiteral("an answer body over %1 bytes").arg(HttpAnswerReader::kMaxBodyBytes);
}

} // namespace

QByteArray HttpAnswerReader::header(QByteArrayView name) const
{
    QByteArray value;
    for (const auto &[n, v] : m_headers)
        if (sameName(n, name))
            value = value.isEmpty() ? v : value + ", " + v;
    return value;
}

bool HttpAnswerReader::hasHeader(QByteArrayView name) const
{
    return std::any_of(m_headers.begin(), m_headers.end(), [name](const auto &h) { return sameName(h.first, name); });
}

HttpAnswerReader::State HttpAnswerReader::fail(QString why)
{
    m_error = std::move(why);
    m_state = State::Failed;
    return m_state;
}

void HttpAnswerReader::compact()
{
    m_in.remove(0, m_pos);
    m_pos = 0;
}

HttpAnswerReader::State HttpAnswerReader::feed(QByteArrayView bytes)
{
    if (m_state != State::NeedMore) {
        if (m_state == State::Done)
            m_in.append(bytes);
        return m_state;
    }
    m_started = m_started || !bytes.isEmpty();
    m_in.append(bytes);
    for (;;) {
        switch (m_phase) {
        case Phase::Head:
            if (!parseHead())
                return m_state;
            break;
        case Phase::Length:
            if (m_in.size() - m_pos < m_remaining)
                return m_state;
            m_body = m_in.mid(m_pos, m_remaining);
            m_pos += m_remaining;
            m_phase = Phase::End;
            break;
        case Phase::ChunkSize: {
            // The same limit whether the line's end is here yet or not, so that where the bytes
            // were split never changes the outcome.
            const qsizetype end = m_in.indexOf('\n', m_pos);
            if ((end < 0 ? m_in.size() : end) - m_pos > 1024)
                return fail(QStringLiteral("a chunk size line over 1 KiB"));
            if (end < 0)
                return m_state;
            QByteArray line = m_in.mid(m_pos, end - m_pos);
            m_pos = end + 1;
            const qsizetype extension = line.indexOf(';');
            if (extension >= 0)
                line.truncate(extension);
            line = line.trimmed();
            const bool hex = !line.isEmpty() && line.size() <= 15 && std::all_of(line.begin(), line.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            });
            if (!hex)
                return fail(QStringLiteral("a chunk size that is not a hexadecimal number"));
            const qint64 size = line.toLongLong(nullptr, 16);
            if (size > kMaxBodyBytes - m_body.size())
                return fail(overLimit());
            m_remaining = size;
            m_phase = size == 0 ? Phase::Trailer : Phase::ChunkData;
            compact();
            break;
        }
        case Phase::ChunkData:
            if (m_in.size() - m_pos < m_remaining + 2)
                return m_state;
            if (m_in.at(m_pos + m_remaining) != '\r' || m_in.at(m_pos + m_remaining + 1) != '\n')
                return fail(QStringLiteral("a chunk not followed by CRLF"));
            m_body.append(m_in.constData() + m_pos, m_remaining);
            m_pos += m_remaining + 2;
            m_phase = Phase::ChunkSize;
            compact();
            break;
        case Phase::Trailer: {
            const qsizetype end = m_in.indexOf('\n', m_pos);
            if ((end < 0 ? m_in.size() : end) - m_pos > kMaxHeadBytes)
                return fail(QStringLiteral("a trailer line over 64 KiB"));
            if (end < 0)
                return m_state;
            const bool empty = m_in.mid(m_pos, end - m_pos).trimmed().isEmpty();
            m_pos = end + 1;
            if (empty)
                m_phase = Phase::End;
            break;
        }
        case Phase::UntilClose:
            if (m_body.size() + (m_in.size() - m_pos) > kMaxBodyBytes)
                return fail(overLimit());
            m_body.append(m_in.constData() + m_pos, m_in.size() - m_pos);
            m_pos = m_in.size();
            compact();
            return m_state;
        case Phase::End:
            compact();
            m_state = State::Done;
            return m_state;
        }
    }
}

HttpAnswerReader::State HttpAnswerReader::closed()
{
    if (m_state != State::NeedMore)
        return m_state;
    if (m_phase == Phase::UntilClose) {
        m_keepAlive = false;
        m_state = State::Done;
        return m_state;
    }
    return fail(QStringLiteral("the connection closed before the answer was complete"));
}

bool HttpAnswerReader::parseHead()
{
    qsizetype end = m_in.indexOf("\r\n\r\n", m_pos);
    qsizetype bodyStart = end + 4;
    const qsizetype bare = m_in.indexOf("\n\n", m_pos);
    if (bare >= 0 && (end < 0 || bare < end)) {
        end = bare;
        bodyStart = bare + 2;
    }
    // Over the limit when the head's end starts past it; an end not here yet may still start in
    // the last three bytes, so those do not count until it is known.
    if (end < 0 ? m_in.size() - m_pos > kMaxHeadBytes + 3 : end - m_pos > kMaxHeadBytes) {
        fail(QStringLiteral("an answer head over 64 KiB"));
        return false;
    }
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_in.mid(m_pos, end - m_pos).split('\n');
    m_pos = bodyStart;
    const QList<QByteArray> status = lines.first().trimmed().split(' ');
    bool ok = false;
    const int code = status.size() >= 2 && status[1].size() == 3 ? status[1].toInt(&ok) : 0;
    if (!status.first().startsWith("HTTP/1.") || !ok || code < 100) {
        fail(QStringLiteral("an answer that does not start with an HTTP/1.x status line"));
        return false;
    }
    if (code < 200) { // 100 Continue and the like: the real answer follows
        compact();
        return true;
    }
    m_status = code;
    m_headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        m_headers.emplace_back(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    const QByteArray connection = header("Connection");
    m_keepAlive = status.first() == "HTTP/1.1" ? !namesToken(connection, "close") : namesToken(connection, "keep-alive");
    if (code == 204 || code == 304) {
        m_remaining = 0;
        m_phase = Phase::Length;
    } else if (hasHeader("Transfer-Encoding")) {
        if (namesToken(header("Transfer-Encoding"), "chunked")) {
            m_phase = Phase::ChunkSize;
        } else {
            m_phase = Phase::UntilClose;
            m_keepAlive = false;
        }
    } else if (hasHeader("Content-Length")) {
        const QByteArray length = header("Content-Length");
        const bool digits = !length.isEmpty() && length.size() <= 18 &&
                            std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) {
            fail(QStringLiteral("a Content-Length that is not a number"));
            return false;
        }
        const qint64 size = length.toLongLong();
        if (size > kMaxBodyBytes) {
            fail(overLimit());
            return false;
        }
        m_remaining = size;
        m_phase = Phase::Length;
    } else {
        m_phase = Phase::UntilClose;
        m_keepAlive = false;
    }
    compact();
    return true;
}

} // namespace kwb::net
