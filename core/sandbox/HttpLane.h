#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

namespace kwb::sandbox {

class HttpConnection;

/// The queue of connections whose next request is bulk work: a request pipelined behind
/// another, one from a connection that pipelines, or one with a large body. Each turn of the
/// event loop serves such requests, one per connection in turn, for a few milliseconds and
/// then lets the loop go on, so that a client sending one small request at a time (which is
/// served as soon as it arrives) never waits behind a batch of them. Owned by
/// SandboxHttpServer and shared by its connections; lives on the sandbox worker thread.
class HttpLane : public QObject
{
    Q_OBJECT
public:
    /// How long one turn serves queued requests before the event loop reads sockets again
    /// (at least one request is served per turn).
    static constexpr int kTurnMs = 2;

    explicit HttpLane(QObject *parent = nullptr);

    /// Queues `connection` for its next request; a connection queued already keeps its place.
    void enqueue(HttpConnection *connection);
    /// Connections waiting for their turn.
    qsizetype size() const { return qsizetype(m_queue.size()); }

private:
    void runTurn();

    std::deque<QPointer<HttpConnection>> m_queue;
    QTimer m_turn;
};

} // namespace kwb::sandbox
