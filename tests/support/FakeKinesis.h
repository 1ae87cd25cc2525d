#pragma once

// A Kinesis-like endpoint for tests, on a ScriptedHttpServer: ListStreams,
// DescribeStreamSummary, ListShards, CreateStream (CREATING for a few polls, then ACTIVE),
// PutRecords and PutRecord routed by each stream's shard map. Rules decide per record (by key
// and attempt) whether it is written, throttled or fails, so tests can provoke partial failures.
// Header-only; link ScriptedHttpServer.cpp. Lives on the test's thread.

#include "HashKey.h"
#include "ScriptedHttpServer.h"
#include "ShardMap.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

#include <functional>

namespace kwb::test {

class FakeKinesis
{
public:
    using Server = ScriptedHttpServer;

    /// What happens to one record of a request.
    enum class Verdict { Ok, Throttle, InternalFailure, OtherError, WrongShard };

    struct Stream
    {
        ShardMap map;
        QString status = QStringLiteral("ACTIVE");
        int pollsUntilActive = 0;
        int maxRecordSizeKiB = 1024;
    };

    FakeKinesis()
    {
        m_server.setFallback([this](const Server::Request &request) { return answer(request); });
    }

    QString url() const { return m_server.url(); }
    Server &server() { return m_server; }

    void addStream(const QString &name, int shards, int maxRecordSizeKiB = 1024)
    {
        Stream s;
        s.map = ShardMap::uniform(shards).value();
        s.maxRecordSizeKiB = maxRecordSizeKiB;
        streams.insert(name, s);
    }

    /// Per record: its key and its attempt number (1-based, counted per key).
    std::function<Verdict(const QString &key, int attempt)> recordRule = [](const QString &, int) { return Verdict::Ok; };
    /// Answers a whole request instead (by operation); an empty raw answer means "answer normally".
    std::function<Server::Answer(const QByteArray &operation)> requestRule = [](const QByteArray &) {
        return Server::Answer{Server::Action::Respond, {}};
    };
    /// Answers the n-th PutRecords/PutRecord request (0-based) instead, after requestRule; an
    /// empty raw answer means "answer normally".
    std::function<Server::Answer(int putIndex)> putRule = [](int) { return Server::Answer{Server::Action::Respond, {}}; };
    /// CreateStream makes streams that answer CREATING to this many DescribeStreamSummary calls.
    int createPolls = 2;

    QMap<QString, Stream> streams;
    QHash<QString, int> acknowledged; ///< partition key -> times written
    QList<QByteArray> operations;     ///< every operation, in order
    QList<QStringList> putKeys;       ///< keys of each PutRecords/PutRecord request, answered or not
    QList<QJsonObject> putBodies;     ///< the body of each PutRecords/PutRecord request, answered or not

    int count(const QByteArray &operation) const { return int(operations.count(operation)); }
    /// The shard map of a stream added before.
    const ShardMap &map(const QString &stream) const { return streams.find(stream)->map; }

private:
    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }
    static Server::Answer ok(const QJsonObject &o) { return {Server::Action::Respond, Server::response(200, json(o))}; }
    static Server::Answer error(int status, const QString &type, const QString &message)
    {
        return {Server::Action::Respond,
                Server::response(status, json(QJsonObject{{QStringLiteral("__type"), type}, {QStringLiteral("message"), message}}))};
    }

    Server::Answer answer(const Server::Request &request)
    {
        const QByteArray target = request.header("X-Amz-Target");
        const QByteArray operation = target.mid(target.indexOf('.') + 1);
        operations.append(operation);
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const bool isPut = operation == "PutRecords" || operation == "PutRecord";
        if (isPut) {
            QStringList keys;
            const QJsonArray records = operation == "PutRecord" ? QJsonArray{body} : body.value(QStringLiteral("Records")).toArray();
            for (const QJsonValue &r : records)
                keys.append(r.toObject().value(QStringLiteral("PartitionKey")).toString());
            putKeys.append(keys);
            putBodies.append(body);
        }
        const auto isFault = [](const Server::Answer &a) { return !a.raw.isEmpty() || a.action != Server::Action::Respond; };
        if (const Server::Answer fault = requestRule(operation); isFault(fault))
            return fault;
        if (isPut) {
            if (const Server::Answer fault = putRule(int(putKeys.size()) - 1); isFault(fault))
                return fault;
        }
        const QString name = body.value(QStringLiteral("StreamName")).toString();
        if (operation == "ListStreams") {
            QJsonArray names;
            for (auto it = streams.begin(); it != streams.end(); ++it)
                names.append(it.key());
            return ok({{QStringLiteral("StreamNames"), names}, {QStringLiteral("HasMoreStreams"), false}});
        }
        if (operation == "CreateStream") {
            if (streams.contains(name))
                return error(400, QStringLiteral("ResourceInUseException"), QStringLiteral("Stream %1 already exists").arg(name));
            Stream s;
            s.map = ShardMap::uniform(std::max(1, body.value(QStringLiteral("ShardCount")).toInt(4))).value();
            s.status = QStringLiteral("CREATING");
            s.pollsUntilActive = createPolls;
            streams.insert(name, s);
            return ok({});
        }
        if (!streams.contains(name))
            return error(400, QStringLiteral("ResourceNotFoundException"), QStringLiteral("Stream %1 not found").arg(name));
        Stream &stream = streams[name];
        if (operation == "DescribeStreamSummary") {
            if (stream.pollsUntilActive > 0 && --stream.pollsUntilActive == 0)
                stream.status = QStringLiteral("ACTIVE");
            return ok({{QStringLiteral("StreamDescriptionSummary"),
                        QJsonObject{{QStringLiteral("StreamName"), name},
                                    {QStringLiteral("StreamARN"), QStringLiteral("arn:aws:kinesis:us-east-1:000000000000:stream/") + name},
                                    {QStringLiteral("StreamStatus"), stream.status},
                                    {QStringLiteral("StreamModeDetails"), QJsonObject{{QStringLiteral("StreamMode"), QStringLiteral("PROVISIONED")}}},
                                    {QStringLiteral("OpenShardCount"), stream.map.openShardCount()},
                                    {QStringLiteral("RetentionPeriodHours"), 24},
                                    {QStringLiteral("EncryptionType"), QStringLiteral("NONE")},
                                    {QStringLiteral("MaxRecordSizeInKiB"), stream.maxRecordSizeKiB}}}});
        }
        if (operation == "ListShards") {
            QJsonArray shards;
            for (const Shard &s : stream.map.shards())
                shards.append(QJsonObject{
                    {QStringLiteral("ShardId"), s.shardId},
                    {QStringLiteral("HashKeyRange"), QJsonObject{{QStringLiteral("StartingHashKey"), hashKeyToString(s.startingHashKey)},
                                                                 {QStringLiteral("EndingHashKey"), hashKeyToString(s.endingHashKey)}}},
                    {QStringLiteral("SequenceNumberRange"), QJsonObject{{QStringLiteral("StartingSequenceNumber"), QStringLiteral("1")}}}});
            return ok({{QStringLiteral("Shards"), shards}});
        }
        if (operation == "PutRecords" || operation == "PutRecord")
            return put(operation, body, stream);
        return error(400, QStringLiteral("UnknownOperationException"), QString::fromLatin1(operation));
    }

    Server::Answer put(const QByteArray &operation, const QJsonObject &body, const Stream &stream)
    {
        const bool single = operation == "PutRecord";
        const QJsonArray records = single ? QJsonArray{body} : body.value(QStringLiteral("Records")).toArray();
        QJsonArray results;
        int failed = 0;
        for (const QJsonValue &value : records) {
            const QJsonObject r = value.toObject();
            const QString key = r.value(QStringLiteral("PartitionKey")).toString();
            const int attempt = ++m_attempts[key];
            UInt128 hash = hashPartitionKey(key);
            if (r.contains(QStringLiteral("ExplicitHashKey")))
                hash = parseHashKey(r.value(QStringLiteral("ExplicitHashKey")).toString()).value();
            int shard = stream.map.openIndexFor(hash);
            switch (recordRule(key, attempt)) {
            case Verdict::Throttle:
                ++failed;
                results.append(QJsonObject{{QStringLiteral("ErrorCode"), QStringLiteral("ProvisionedThroughputExceededException")},
                                           {QStringLiteral("ErrorMessage"),
                                            QStringLiteral("Rate exceeded for shard %1 in stream").arg(stream.map.openShard(shard).shardId)}});
                continue;
            case Verdict::InternalFailure:
                ++failed;
                results.append(QJsonObject{{QStringLiteral("ErrorCode"), QStringLiteral("InternalFailure")},
                                           {QStringLiteral("ErrorMessage"), QStringLiteral("Internal service failure.")}});
                continue;
            case Verdict::OtherError:
                ++failed;
                results.append(QJsonObject{{QStringLiteral("ErrorCode"), QStringLiteral("KMSAccessDeniedException")},
                                           {QStringLiteral("ErrorMessage"), QStringLiteral("no access to the key")}});
                continue;
            case Verdict::WrongShard:
                shard = (shard + 1) % stream.map.openShardCount();
                break;
            case Verdict::Ok:
                break;
            }
            acknowledged[key] += 1;
            results.append(QJsonObject{{QStringLiteral("ShardId"), stream.map.openShard(shard).shardId},
                                       {QStringLiteral("SequenceNumber"), QStringLiteral("4960000000000000000000%1").arg(++m_sequence, 8, 10, QLatin1Char('0'))}});
        }
        if (single) {
            const QJsonObject only = results.first().toObject();
            if (only.contains(QStringLiteral("ErrorCode")))
                return error(400, only.value(QStringLiteral("ErrorCode")).toString(), only.value(QStringLiteral("ErrorMessage")).toString());
            return ok(only);
        }
        return ok({{QStringLiteral("FailedRecordCount"), failed}, {QStringLiteral("Records"), results}});
    }

    Server m_server;
    QHash<QString, int> m_attempts;
    qint64 m_sequence = 0;
};

} // namespace kwb::test
