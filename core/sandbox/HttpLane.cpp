#include "sandbox/HttpLane.h"

#include "sandbox/HttpConnection.h"

namespace kwb::sandbox {

HttpLane::HttpLane(QObject *parent) : QObject(parent)
{
    // A zero timer fires after the event loop has looked at the sockets: whatever arrived
    // meanwhile is read (and a small request answered) before the next turn.
    m_turn.setSingleShot(true);
    m_turn.setInterval(0);
    connect(&m_turn, &QTimer::timeout, this, &HttpLane::runTurn);
}

void HttpLane::enqueue(HttpConnection *connection)
{
    if (connection->m_inLane)
        return;
    connection->m_inLane = true;
    m_queue.emplace_back(connection);
    if (!m_turn.isActive())
        m_turn.start();
}

void HttpLane::runTurn()
{
    const qint64 start = HttpConnection::nowMs();
    // Only those queued before this turn: a connection that queues itself again for its next
    // pipelined request waits for the next turn, behind the others.
    for (size_t n = m_queue.size(); n > 0 && !m_queue.empty(); --n) {
        const QPointer<HttpConnection> connection = m_queue.front();
        m_queue.pop_front();
        if (!connection)
            continue; // closed while it waited
        connection->m_inLane = false;
        connection->serveFromLane();
        if (HttpConnection::nowMs() - start >= kTurnMs)
            break;
    }
    if (!m_queue.empty())
        m_turn.start();
}

} // namespace kwb::sandbox
