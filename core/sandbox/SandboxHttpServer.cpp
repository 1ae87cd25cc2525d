#include "sandbox/SandboxHttpServer.h"

#include "Logging.h"

#include <QSocketNotifier>
#include <QTcpSocket>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kwb::sandbox {

namespace {

/// Connections accepted per turn of the event loop, so that accepting a flood does not
/// starve the connections already open.
constexpr int kAcceptsPerTurn = 64;

/// Refused connections linger for a moment to deliver their 503; beyond this many at once,
/// further ones are closed without a word.
constexpr int kMaxRefusing = 64;

} // namespace

SandboxHttpServer::SandboxHttpServer(HttpConnection::Handler handler, HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_budget(m_limits)
{
    m_acceptRetry.setSingleShot(true);
    connect(&m_acceptRetry, &QTimer::timeout, this, &SandboxHttpServer::resumeAccepting);
    m_relieveTimer.setSingleShot(true);
    connect(&m_relieveTimer, &QTimer::timeout, this, &SandboxHttpServer::relieveUnsent);
}

SandboxHttpServer::~SandboxHttpServer()
{
    close();
}

Result<void> SandboxHttpServer::serve(qintptr listeningSocket)
{
    const int fd = int(listeningSocket);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        return Error{Error::Kind::Config, QStringLiteral("SandboxListenError"),
                     QStringLiteral("cannot serve on the listening socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno))),
                     0};
    m_listenFd = fd;
    m_acceptNotifier = new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &SandboxHttpServer::acceptPending);
    return {};
}

void SandboxHttpServer::close()
{
    m_acceptRetry.stop();
    m_relieveTimer.stop();
    delete m_acceptNotifier;
    m_acceptNotifier = nullptr;
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
    }
    const std::vector<HttpConnection *> connections = std::move(m_connections);
    m_connections.clear();
    for (HttpConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        connection->abort();
        delete connection;
    }
}

int SandboxHttpServer::connectionCount() const
{
    return int(std::count_if(m_connections.begin(), m_connections.end(),
                             [](const HttpConnection *c) { return !c->isEnding(); }));
}

void SandboxHttpServer::acceptPending()
{
    // Our own accept loop rather than QTcpServer's: QTcpServer 6.4 stops accepting for good
    // when accept() fails for want of descriptors (EMFILE), or, when its socket engine kept an
    // earlier "try again" error, calls accept() again and again at full speed until they are
    // free. Here such a failure pauses accepting and retries with a growing delay.
    for (int i = 0; i < kAcceptsPerTurn; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            const int error = errno;
            if (error == EINTR || error == ECONNABORTED || error == EPROTO)
                continue; // that one connection is gone; the next may be there
            if (error != EAGAIN && error != EWOULDBLOCK)
                onAcceptError(error);
            return;
        }
        if (m_acceptDelayMs > 0) {
            qCDebug(lcSandbox) << "accepting connections again";
            m_acceptDelayMs = 0;
        }
        auto *socket = new QTcpSocket;
        if (!socket->setSocketDescriptor(qintptr(fd))) {
            ::close(fd);
            delete socket;
            continue;
        }
        adopt(socket);
    }
}

void SandboxHttpServer::adopt(QTcpSocket *socket)
{
    int serving = connectionCount();
    if (serving >= m_limits.maxConnections && closeOldestIdle())
        --serving;
    if (serving >= m_limits.maxConnections && int(m_connections.size()) - serving >= kMaxRefusing) {
        socket->abort();
        delete socket;
        return;
    }
    auto *connection = new HttpConnection(socket, m_handler, m_limits, &m_budget, &m_lane, this);
    m_connections.push_back(connection);
    connect(connection, &QObject::destroyed, this, [this, connection] {
        m_connections.erase(std::remove(m_connections.begin(), m_connections.end(), connection), m_connections.end());
    });
    connect(connection, &HttpConnection::unsentOverBudget, this, &SandboxHttpServer::relieveUnsent);
    if (serving >= m_limits.maxConnections) {
        if (!m_refusingLogged) {
            qCWarning(lcSandbox).noquote()
                << QStringLiteral("%1 connections are open, the sandbox's limit: new ones are answered 503 until some close")
                       .arg(serving);
            m_refusingLogged = true;
        }
        connection->refuse(503, "ServiceUnavailable",
                           QStringLiteral("the sandbox has %1 connections open, its limit; close idle connections "
                                          "or retry shortly")
                               .arg(m_limits.maxConnections));
    } else if (serving < m_limits.maxConnections * 9 / 10) {
        m_refusingLogged = false;
    }
}

void SandboxHttpServer::onAcceptError(int error)
{
    // Out of descriptors (EMFILE, ENFILE) or memory: the connection waits in the kernel's
    // queue. Try again after a while: connections that close meanwhile free descriptors, and
    // an idle keep-alive connection is closed to free one. Said once a minute at most: while
    // it lasts, every retry would say it again.
    const qint64 now = HttpConnection::nowMs();
    if (m_acceptWarnedMs < 0 || now - m_acceptWarnedMs >= 60'000) {
        qCWarning(lcSandbox).noquote()
            << QStringLiteral("cannot accept connections (%1); retrying until it works again%2")
                   .arg(QString::fromLocal8Bit(std::strerror(error)),
                        error == EMFILE || error == ENFILE ? QStringLiteral(" (is the limit of open files, ulimit -n, too low?)")
                                                           : QString());
        m_acceptWarnedMs = now;
    }
    if (m_acceptDelayMs == 0)
        m_acceptDelayMs = std::max(1, m_limits.acceptRetryMinMs);
    else
        m_acceptDelayMs = std::min(m_acceptDelayMs * 2, std::max(m_limits.acceptRetryMinMs, m_limits.acceptRetryMaxMs));
    closeOldestIdle();
    m_acceptNotifier->setEnabled(false);
    m_acceptRetry.start(m_acceptDelayMs);
}

void SandboxHttpServer::resumeAccepting()
{
    if (m_acceptNotifier)
        m_acceptNotifier->setEnabled(true);
}

bool SandboxHttpServer::closeOldestIdle()
{
    HttpConnection *oldest = nullptr;
    for (HttpConnection *connection : m_connections)
        if (connection->isIdle() && (!oldest || connection->lastActivityMs() < oldest->lastActivityMs()))
            oldest = connection;
    if (!oldest || HttpConnection::nowMs() - oldest->lastActivityMs() < m_limits.evictIdleAfterMs)
        return false;
    oldest->closeIdle();
    return true;
}

void SandboxHttpServer::relieveUnsent()
{
    if (!m_budget.overUnsent())
        return;
    // Whether a client takes its bytes is only known after offering them: this thread may
    // have been busy, with the kernel's buffers long emptied.
    for (HttpConnection *connection : m_connections)
        connection->pushOut();
    const qint64 now = HttpConnection::nowMs();
    std::vector<HttpConnection *> stalled;
    for (HttpConnection *connection : m_connections)
        if (connection->isStalled(now, m_limits.writeStallMs))
            stalled.push_back(connection);
    std::sort(stalled.begin(), stalled.end(),
              [](const HttpConnection *a, const HttpConnection *b) { return a->unsentBytes() > b->unsentBytes(); });
    int closed = 0;
    for (HttpConnection *connection : stalled) {
        if (!m_budget.overUnsent())
            break;
        connection->abort();
        ++closed;
    }
    if (closed > 0)
        qCInfo(lcSandbox).noquote() << QStringLiteral("closed %1 connections whose clients do not read their answers "
                                                      "(%2 MiB of answers were waiting)")
                                           .arg(closed)
                                           .arg(m_budget.unsentBytes() / (1024 * 1024));
    if (m_budget.overUnsent() && !m_relieveTimer.isActive())
        m_relieveTimer.start(std::max(1, m_limits.writeStallMs / 2));
}

} // namespace kwb::sandbox
