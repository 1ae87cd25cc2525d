#pragma once

#include "Result.h"
#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"

#include <QObject>

#include <memory>

namespace kwb::sandbox {

class SandboxHttpServer;
class SandboxService;
class SandboxSettings;

/// The sandbox's half that runs on its own thread: serves HTTP and hands each request to the
/// service, after picking up option changes. Created by SandboxServer and moved to its
/// thread; everything it creates lives and dies on that thread (shutdown()).
class SandboxWorker : public QObject
{
    Q_OBJECT
public:
    SandboxWorker(SandboxService *service, std::shared_ptr<SandboxSettings> settings);
    ~SandboxWorker() override;

    /// Starts serving on a bound, listening socket. On the worker thread.
    Result<void> serve(qintptr listeningSocket);
    /// Closes every connection and the listening socket. On the worker thread.
    void shutdown();

private:
    SandboxAnswer handle(HttpRequest &request);

    SandboxService *m_service;
    std::shared_ptr<SandboxSettings> m_settings;
    SandboxHttpServer *m_http = nullptr;
    quint64 m_seenGeneration = 0;
    quint64 m_seenReseeds = 0;
};

} // namespace kwb::sandbox
