#include "sandbox/SandboxServer.h"

#include "Logging.h"
#include "sandbox/SandboxService.h"
#include "sandbox/SandboxSettings.h"
#include "sandbox/SandboxWorker.h"

#include <QThread>

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kwb::sandbox {

namespace {

struct Listening
{
    int fd = -1;
    quint16 port = 0;
};

/// Binds and listens on 127.0.0.1 here, on the caller's thread, so that start() knows the port
/// (and any error) at once; the worker's HTTP server then takes the socket over.
Result<Listening> listenOnLoopback(quint16 port)
{
    const auto failure = [port](const char *what, int error) {
        return Error{Error::Kind::Config, QStringLiteral("SandboxListenError"),
                     QStringLiteral("cannot listen on 127.0.0.1:%1 (%2: %3)")
                         .arg(port)
                         .arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(error))),
                     0};
    };
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failure("socket", errno);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(fd, 512) != 0) {
        const int error = errno;
        ::close(fd);
        return failure("bind", error);
    }
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        const int error = errno;
        ::close(fd);
        return failure("getsockname", error);
    }
    return Listening{fd, ntohs(address.sin_port)};
}

} // namespace

SandboxServer::SandboxServer(SandboxOptions options, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_shared<SandboxSettings>(std::move(options)))
{
}

SandboxServer::~SandboxServer()
{
    stop();
}

void SandboxServer::setClock(SandboxClock clock)
{
    m_clock = std::move(clock);
}

Result<QUrl> SandboxServer::start(quint16 port)
{
    if (isRunning())
        return m_url;
    if (!m_service) {
        auto service = std::make_unique<SandboxService>(m_clock);
        service->setIdentityStore(m_identity);
        if (auto opened = service->open(m_settings->options()); !opened.ok())
            return opened.error();
        m_service = std::move(service);
    } else {
        m_service->setOptions(m_settings->options(), true); // a new start repeats the same failures
    }
    auto listening = listenOnLoopback(port);
    if (!listening.ok())
        return listening.error();

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("kwb-sandbox"));
    m_worker = new SandboxWorker(m_service.get(), m_settings);
    m_worker->moveToThread(m_thread);
    const int fd = listening.value().fd;
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, fd] {
            if (auto served = worker->serve(fd); !served.ok()) {
                qCWarning(lcSandbox).noquote() << served.error().message;
                ::close(fd);
            }
        },
        Qt::QueuedConnection);
    m_thread->start();
    m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(listening.value().port));
    Q_EMIT started(m_url);
    return m_url;
}

void SandboxServer::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker] {
            worker->shutdown();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread->wait();
    // The thread has finished: nothing of the worker's runs any more.
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
    m_url.clear();
    Q_EMIT stopped();
}

SandboxOptions SandboxServer::options() const
{
    return m_settings->options();
}

void SandboxServer::setOptions(const SandboxOptions &options)
{
    m_settings->update([&](SandboxOptions &o) { o = options; });
}

void SandboxServer::setLimitsEnabled(bool enabled)
{
    m_settings->update([&](SandboxOptions &o) { o.limitsEnabled = enabled; });
}

void SandboxServer::setLimitScale(double factor)
{
    if (factor > 0)
        m_settings->update([&](SandboxOptions &o) { o.limitScale = factor; });
}

void SandboxServer::setRecordFailureRate(double rate)
{
    m_settings->update([&](SandboxOptions &o) { o.recordFailureRate = std::clamp(rate, 0.0, 1.0); });
}

void SandboxServer::setRequestFailureRates(double internalErrorRate, double unavailableRate)
{
    m_settings->update([&](SandboxOptions &o) {
        o.internalErrorRate = std::clamp(internalErrorRate, 0.0, 1.0);
        o.unavailableRate = std::clamp(unavailableRate, 0.0, 1.0);
    });
}

void SandboxServer::setDropConnectionRate(double rate)
{
    m_settings->update([&](SandboxOptions &o) { o.dropConnectionRate = std::clamp(rate, 0.0, 1.0); });
}

void SandboxServer::setLatencyMs(int milliseconds)
{
    m_settings->update([&](SandboxOptions &o) { o.latencyMs = std::max(0, milliseconds); });
}

void SandboxServer::setSeed(quint64 seed)
{
    m_settings->update([&](SandboxOptions &o) { o.seed = seed; }, true);
}

void SandboxServer::setSignatureKey(const QString &accessKeyId, const QString &secretAccessKey)
{
    m_settings->update([&](SandboxOptions &o) {
        o.accessKeyId = accessKeyId;
        o.secretAccessKey = secretAccessKey;
    });
}

SandboxStats SandboxServer::stats() const
{
    return m_service ? m_service->stats() : SandboxStats{};
}

QStringList SandboxServer::notes() const
{
    return m_service ? m_service->notes() : QStringList();
}

QStringList SandboxServer::streamNames() const
{
    return m_service && !isRunning() ? m_service->streamNames() : QStringList();
}

} // namespace kwb::sandbox
