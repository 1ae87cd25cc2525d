#pragma once

// Reading a stream back after an aggregated send and checking it with the independent
// de-aggregator (aws-kinesis-agg through tests/peers/kpl-oracle.js): every user row sent must
// come out exactly once, with its partition key and data, inside the Kinesis record whose shard,
// sequence number and sub-sequence number the row shows.

#include "KplOracle.h"
#include "RecordStore.h"
#include "TestSupport.h"
#include "send/SendResults.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <map>

namespace kwb::test {

/// A record read back, with the shard it was read from.
struct ReadBack
{
    QString shardId;
    net::StoredRecord record;
};

/// Every record of `stream`, each shard read from its trim horizon until a page comes back empty.
inline std::vector<ReadBack> readStream(net::KinesisClient &client, const QString &stream)
{
    std::vector<ReadBack> all;
    auto shards = await<std::vector<Shard>>([&](QObject *ctx, auto done) { client.listShards(stream, ctx, done); });
    if (!shards.ok())
        return all;
    for (const Shard &shard : shards.value()) {
        auto iterator = await<QString>([&](QObject *ctx, auto done) {
            client.getShardIterator(stream, shard.shardId, net::ShardIteratorType::TrimHorizon, {}, {}, ctx, done);
        });
        QString next = iterator.ok() ? iterator.value() : QString();
        while (!next.isEmpty()) {
            auto page = await<net::GetRecordsResult>([&](QObject *ctx, auto done) { client.getRecords(next, 10000, ctx, done); });
            if (!page.ok() || page.value().records.empty())
                break;
            for (const net::StoredRecord &r : page.value().records)
                all.push_back({shard.shardId, r});
            next = page.value().nextShardIterator;
        }
    }
    return all;
}

/// Empty when the records read back, de-aggregated by the oracle, are exactly the store's rows,
/// each once, where the results say it went; else what differs.
inline QString checkReadBack(const RecordStore &store, const send::SendResults &results, const std::vector<ReadBack> &stored)
{
    QJsonArray input;
    for (const ReadBack &r : stored)
        input.append(QJsonObject{{QStringLiteral("partitionKey"), r.record.partitionKey},
                                 {QStringLiteral("data"), QString::fromLatin1(r.record.data.toBase64())}});
    const QJsonObject answer = runKplOracle({{QStringLiteral("op"), QStringLiteral("deaggregate")}, {QStringLiteral("records"), input}});
    if (answer.contains(QStringLiteral("error")))
        return answer.value(QStringLiteral("error")).toString();
    const QJsonArray unpacked = answer.value(QStringLiteral("results")).toArray();
    if (unpacked.size() != qsizetype(stored.size()))
        return QStringLiteral("the oracle answered for %1 of %2 records").arg(unpacked.size()).arg(stored.size());
    // (shard, sequence number) -> the user records the oracle found in that Kinesis record.
    std::map<std::pair<QString, QString>, QJsonArray> byRecord;
    qsizetype users = 0;
    for (size_t i = 0; i < stored.size(); ++i) {
        const QJsonObject result = unpacked.at(qsizetype(i)).toObject();
        if (result.contains(QStringLiteral("error")))
            return QStringLiteral("record %1: %2").arg(stored[i].record.sequenceNumber, result.value(QStringLiteral("error")).toString());
        const QJsonArray records = result.value(QStringLiteral("records")).toArray();
        users += records.size();
        byRecord[{stored[i].shardId, stored[i].record.sequenceNumber}] = records;
    }
    if (users != store.size())
        return QStringLiteral("the stream holds %1 user records, %2 rows were sent").arg(users).arg(store.size());
    QSet<QString> seen;
    for (int row = 0; row < store.size(); ++row) {
        const auto found = byRecord.find({results.shardId(row), results.sequenceNumber(row)});
        if (found == byRecord.end())
            return QStringLiteral("row %1: no record %2 on %3").arg(row).arg(results.sequenceNumber(row), results.shardId(row));
        const int sub = results.subSequence(row);
        const QJsonArray &inside = found->second;
        if ((sub < 0 && inside.size() != 1) || sub >= inside.size())
            return QStringLiteral("row %1: sub-sequence %2 of a record holding %3").arg(row).arg(sub).arg(inside.size());
        const QJsonObject user = inside.at(std::max(sub, 0)).toObject();
        if (user.value(QStringLiteral("partitionKey")).toString().toUtf8() != store.partitionKeyUtf8(row)
            || QByteArray::fromBase64(user.value(QStringLiteral("data")).toString().toLatin1()) != store.data(row))
            return QStringLiteral("row %1: the record at its place holds other key or data").arg(row);
        // A plain record has no sub-sequence number; an aggregated one's is the row's place.
        if (user.value(QStringLiteral("subSequenceNumber")).toInt(-1) != sub)
            return QStringLiteral("row %1: sub-sequence number %2, the oracle says %3")
                .arg(row)
                .arg(sub)
                .arg(user.value(QStringLiteral("subSequenceNumber")).toInt(-1));
        const QString place = results.shardId(row) + QLatin1Char('/') + results.sequenceNumber(row) + QLatin1Char('/') + QString::number(sub);
        if (seen.contains(place))
            return QStringLiteral("row %1: its place %2 is another row's too").arg(row).arg(place);
        seen.insert(place);
    }
    return {};
}

} // namespace kwb::test
