#pragma once

// What a window test on the built-in sandbox needs: the sandbox with one stream of its own, an
// in-memory keychain, and services without the developer's AWS profiles or keys.

#include "MainWindow.h"
#include "controllers/MemorySecretStore.h"
#include "sandbox/SandboxServer.h"

namespace kwb::test {

/// The sandbox (not started) with the stream `stream` of `shards` shards, and the services to
/// build a MainWindow with.
struct SandboxWindow
{
    SandboxWindow(const QString &stream, int shards)
        : server(options(stream, shards))
    {
        services.secrets = &secrets;
        services.environment = aws::Environment::fromMap({}, QString());
    }
    static sandbox::SandboxOptions options(const QString &stream, int shards)
    {
        sandbox::SandboxOptions o;
        o.initialStreams = {sandbox::InitialStream{stream, shards}};
        return o;
    }
    sandbox::SandboxServer server;
    ui::MemorySecretStore secrets;
    ui::MainWindowServices services;
};

} // namespace kwb::test
