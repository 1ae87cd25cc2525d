#pragma once

#include "sandbox/HttpRequest.h"
#include "sandbox/SandboxAnswer.h"
#include "sandbox/SandboxIdentityStore.h"

#include <memory>

namespace kwb::sandbox {

/// The sandbox's IAM Identity Center endpoints, REST JSON as AWS serves them:
///   SSO portal  GET  /federation/credentials?account_id=&role_name=  (x-amz-sso_bearer_token)
///   SSO OIDC    POST /client/register, /device_authorization, /token
/// (one endpoint serves both: point AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC at it).
/// Access tokens live 8 hours, clients 90 days, device authorizations 10 minutes with a 1 s
/// polling interval; a device authorization is approved through SandboxIdentityStore (the test
/// hook, or automatically for a class). Used on the sandbox worker thread.
class SandboxSso
{
public:
    static constexpr qint64 kAccessTokenLifetimeMs = 8 * 3600 * 1000;

    explicit SandboxSso(std::shared_ptr<SandboxIdentityStore> store) : m_store(std::move(store)) {}

    /// True for the paths above.
    static bool accepts(const HttpRequest &request);

    /// `baseUrl` is where the sandbox listens (for the verification URI).
    SandboxAnswer handle(const HttpRequest &request, qint64 nowMs);

private:
    SandboxAnswer roleCredentials(const HttpRequest &request, qint64 nowMs);
    SandboxAnswer registerClient(const HttpRequest &request, qint64 nowMs);
    SandboxAnswer startDeviceAuthorization(const HttpRequest &request, qint64 nowMs);
    SandboxAnswer createToken(const HttpRequest &request, qint64 nowMs);

    std::shared_ptr<SandboxIdentityStore> m_store;
};

} // namespace kwb::sandbox
