#pragma once

#include "sandbox/SandboxAnswer.h"

#include <QByteArray>

#include <vector>

namespace simdjson::dom {
class object;
} // namespace simdjson::dom

namespace kwb::sandbox {

class SandboxContext;

/// The sandbox's operations on records: PutRecord, PutRecords, GetShardIterator and GetRecords,
/// each from a parsed, authenticated request body to the service's answer, with the training
/// behaviour on top (per-shard write and read limits, injected record failures). Works on a
/// SandboxContext it does not own; used by SandboxService on one thread at a time.
class RecordOperations
{
public:
    explicit RecordOperations(SandboxContext &context);

    SandboxAnswer putRecord(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer putRecords(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer getShardIterator(const simdjson::dom::object &body, qint64 now);
    SandboxAnswer getRecords(const simdjson::dom::object &body, qint64 now);

private:
    SandboxContext &m_context;

    // Scratch space reused by PutRecords, so that a request allocates (almost) nothing.
    QByteArray m_decoded;
    QByteArray m_logPayload;
    std::vector<int> m_shardAccepted; ///< by shard index: records accepted by this request
    std::vector<int> m_touchedShards;
};

} // namespace kwb::sandbox
