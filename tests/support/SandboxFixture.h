#pragma once

// The built-in sandbox on a free loopback port with one stream, and a client signed in to it:
// what GUI tests that run traffic need, in one line.

#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"

#include <memory>

namespace kwb::test {

struct SandboxFixture
{
    /// A sandbox holding `stream` with `shards` shards; ok() says whether it started.
    SandboxFixture(const QString &stream, int shards)
    {
        sandbox::SandboxOptions options;
        options.initialStreams = {sandbox::InitialStream{stream, shards}};
        server = std::make_unique<sandbox::SandboxServer>(options);
        auto url = server->start(0);
        if (!url.ok()) {
            error = url.error().message;
            return;
        }
        net::ClientOptions clientOptions;
        clientOptions.endpoint = url.value();
        clientOptions.credentials = {QStringLiteral("AKIDTEST"), QStringLiteral("secret"), {}, {}, {}};
        client = std::make_unique<net::KinesisClient>(clientOptions);
    }
    bool ok() const { return client != nullptr; }

    std::unique_ptr<sandbox::SandboxServer> server;
    std::unique_ptr<net::KinesisClient> client;
    QString error;
};

} // namespace kwb::test
