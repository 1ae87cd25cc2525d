#pragma once

#include "sandbox/SandboxAnswer.h"

#include <QtGlobal>

namespace simdjson::dom {
class object;
} // namespace simdjson::dom

namespace kwb::sandbox {

class SandboxContext;

/// The sandbox's operations on streams and shards: CreateStream, DeleteStream, ListStreams,
/// DescribeStream, DescribeStreamSummary, ListShards and UpdateShardCount, each from a parsed,
/// authenticated request body to the service's answer (validation and error shapes as AWS).
/// Works on a SandboxContext it does not own; used by SandboxService on one thread at a time.
class StreamOperations
{
public:
    explicit StreamOperations(SandboxContext &context) : m_context(context) {}

    SandboxAnswer createStream(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer deleteStream(const simdjson::dom::object &body);
    SandboxAnswer listStreams(const simdjson::dom::object &body);
    SandboxAnswer describeStream(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer describeStreamSummary(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer listShards(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer updateShardCount(const simdjson::dom::object &body, qint64 now);

private:
    SandboxContext &m_context;
};

} // namespace kwb::sandbox
