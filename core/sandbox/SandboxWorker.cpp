#include "sandbox/SandboxWorker.h"

#include "sandbox/SandboxHttpServer.h"
#include "sandbox/SandboxService.h"
#include "sandbox/SandboxSettings.h"

namespace kwb::sandbox {

SandboxWorker::SandboxWorker(SandboxService *service, std::shared_ptr<SandboxSettings> settings)
    : m_service(service)
    , m_settings(std::move(settings))
{
    // The service already follows the options it was opened with.
    SandboxOptions ignored;
    bool reseed = false;
    m_settings->fetch(m_seenGeneration, m_seenReseeds, ignored, reseed);
}

SandboxWorker::~SandboxWorker() = default;

Result<void> SandboxWorker::serve(qintptr listeningSocket)
{
    m_http = new SandboxHttpServer([this](HttpRequest &request) { return handle(request); },
                                   m_settings->options().http, this);
    return m_http->serve(listeningSocket);
}

void SandboxWorker::shutdown()
{
    delete m_http;
    m_http = nullptr;
}

SandboxAnswer SandboxWorker::handle(HttpRequest &request)
{
    SandboxOptions options;
    bool reseed = false;
    if (m_settings->fetch(m_seenGeneration, m_seenReseeds, options, reseed))
        m_service->setOptions(options, reseed);
    return m_service->handle(request);
}

} // namespace kwb::sandbox
