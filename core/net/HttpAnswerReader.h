#pragma once

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

namespace kwb::net {

/// Reads one HTTP/1.x answer from bytes as they arrive, in whatever pieces: the status line, the
/// headers, then a body framed by Content-Length, chunked encoding or the end of the connection.
/// 1xx answers (100 Continue) are skipped. Pure (no sockets, no Qt event loop), so it is unit
/// tested and fuzzed on its own; PlainHttpClient feeds it from a socket. Bounded: a head (or the
/// trailers) over kMaxHeadBytes, a chunk-size line over 1 KiB or a body over kMaxBodyBytes fails
/// it, whatever the peer sends.
class HttpAnswerReader
{
public:
    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = qsizetype(256) * 1024 * 1024;

    enum class State { NeedMore, Done, Failed };

    /// Takes the next bytes of the connection and reads as far as they go. After Done, bytes past
    /// the answer are kept in leftover(); after Failed, error() says why and nothing more is read.
    State feed(QByteArrayView bytes);
    /// The peer closed the connection: an answer framed by the connection's end is Done, and
    /// anything else unfinished Failed ("closed before the answer was complete").
    State closed();
    State state() const { return m_state; }

    /// Whether the answer runs until the connection closes (no length given).
    bool endsWithTheConnection() const { return m_phase == Phase::UntilClose; }
    /// Whether any byte has been fed.
    bool started() const { return m_started; }

    int status() const { return m_status; }
    std::vector<std::pair<QByteArray, QByteArray>> &headers() { return m_headers; }
    /// Every value of the header `name` (case-insensitive), joined with ", "; empty if absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QByteArray &body() { return m_body; }
    /// Whether the connection may carry another request after this answer (HTTP/1.1 without
    /// "Connection: close", or HTTP/1.0 with "keep-alive"; never for an answer that ran until close).
    bool keepAlive() const { return m_keepAlive; }
    /// Bytes after the answer's end (a peer that sent more than was asked).
    QByteArrayView leftover() const { return QByteArrayView(m_in).sliced(m_pos); }
    const QString &error() const { return m_error; }

private:
    enum class Phase { Head, Length, ChunkSize, ChunkData, Trailer, UntilClose, End };

    bool parseHead();
    State fail(QString why);
    void compact();

    State m_state = State::NeedMore;
    Phase m_phase = Phase::Head;
    QByteArray m_in;
    qsizetype m_pos = 0;
    qint64 m_remaining = 0;
    bool m_started = false;
    bool m_keepAlive = true;
    int m_status = 0;
    std::vector<std::pair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    QString m_error;
};

} // namespace kwb::net
