#include "stream/StreamReader.h"

#include "Logging.h"
#include "send/RetryPolicy.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace kwb::stream {

/// One shard being read (or waiting for its parents).
struct StreamReader::Shard
{
    QString id;
    StartPosition start;
    QString iterator;
    QString lastSequence; ///< of the last record handed out: never hand out one at or before it
    ReadPacer pacer;
    QTimer *timer = nullptr;
    std::function<void()> due;
    QPointer<net::KinesisCall> call;
    int transientFailures = 0;
};

StreamReader::StreamReader(net::KinesisClient *client, QString stream, ReaderOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_stream(std::move(stream))
    , m_options(std::move(options))
    , m_ring(m_options.ringCapacity, m_options.ringMaxBytes)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_clock.start();
}

StreamReader::~StreamReader()
{
    stop();
}

qint64 StreamReader::nowMs() const
{
    return m_clock.elapsed();
}

void StreamReader::start()
{
    if (m_started)
        return;
    m_started = true;
    m_running = true;
    m_listing = m_client->listShards(m_stream, this, [this](Result<std::vector<kwb::Shard>> r) {
        if (!m_running)
            return;
        if (!r.ok())
            return fail(r.error());
        listed(std::move(r.value()));
    });
}

void StreamReader::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_listing)
        m_listing->abort();
    for (auto &[id, shard] : m_shards) {
        if (shard->timer)
            shard->timer->stop();
        if (shard->call)
            shard->call->abort();
    }
}

void StreamReader::fail(const Error &error)
{
    if (!m_running)
        return;
    stop();
    Q_EMIT failed(error);
}

ReadLimits StreamReader::effectiveLimits() const
{
    ReadLimits limits = m_options.limits;
    // An endpoint that says its read limits (the sandbox, scaled down for a demonstration) is
    // read within them rather than throttled.
    if (const auto &advertised = m_client->advertisedLimits();
        m_options.followAdvertisedLimits && advertised && advertised->enabled) {
        if (advertised->readsPerSecond > 0)
            limits.callsPerSecond = std::max(1, std::min(limits.callsPerSecond, int(std::floor(advertised->readsPerSecond))));
        if (advertised->readBytesPerSecond > 0)
            limits.bytesPerSecond = std::max<qint64>(1, std::min(limits.bytesPerSecond, qint64(advertised->readBytesPerSecond)));
    }
    return limits;
}

void StreamReader::listed(std::vector<kwb::Shard> shards)
{
    const QStringList &chosen = m_options.shardIds;
    for (const QString &id : chosen) {
        const bool known = std::any_of(shards.begin(), shards.end(), [&](const kwb::Shard &s) { return s.shardId == id; });
        if (!known)
            return fail(Error::input(QStringLiteral("shard %1 is not in stream %2; 'kwb shards %2' lists its shards").arg(id, m_stream)));
    }
    if (m_options.from.bySequenceNumber() && chosen.size() != 1)
        return fail(Error::input(QStringLiteral("a sequence number belongs to one shard: give that shard with --shard ID "
                                                "(once) to start at %1").arg(m_options.from.sequenceNumber)));
    for (const kwb::Shard &s : shards) {
        if (!chosen.isEmpty() && !chosen.contains(s.shardId))
            continue;
        // From LATEST, a closed shard has nothing left to give.
        if (chosen.isEmpty() && m_options.from.type == net::ShardIteratorType::Latest && !s.isOpen())
            continue;
        if (!m_lineage.add(s.shardId, {s.parentShardId, s.adjacentParentShardId}))
            continue;
        auto shard = std::make_unique<Shard>();
        shard->id = s.shardId;
        shard->start = m_options.from;
        m_shards.emplace(s.shardId, std::move(shard));
    }
    startReady();
}

void StreamReader::addChildren(const QString &parentId, const std::vector<net::ChildShard> &children)
{
    for (const net::ChildShard &child : children) {
        if (!m_lineage.add(child.shardId, child.parentShardIds))
            continue;
        qCDebug(lcNet).noquote() << "reader:" << parentId << "closed into" << child.shardId;
        auto shard = std::make_unique<Shard>();
        shard->id = child.shardId;
        shard->start = StartPosition::trimHorizon();
        m_shards.emplace(child.shardId, std::move(shard));
    }
}

void StreamReader::startReady()
{
    for (const QString &id : m_lineage.takeStartable()) {
        if (!m_running)
            return;
        Shard &shard = *m_shards.at(id);
        shard.timer = new QTimer(this);
        shard.timer->setSingleShot(true);
        connect(shard.timer, &QTimer::timeout, this, [this, s = &shard] {
            if (m_running && s->due)
                s->due();
        });
        Q_EMIT shardStarted(id);
        requestIterator(shard);
    }
}

void StreamReader::schedule(Shard &shard, qint64 delayMs, void (StreamReader::*step)(Shard &))
{
    shard.due = [this, s = &shard, step] { (this->*step)(*s); };
    shard.timer->start(int(std::clamp<qint64>(delayMs, 0, 60000)));
}

void StreamReader::requestIterator(Shard &shard)
{
    // After an expired iterator: on from the last record handed out.
    StartPosition at = shard.start;
    if (!shard.lastSequence.isEmpty())
        at = StartPosition{net::ShardIteratorType::AfterSequenceNumber, {}, shard.lastSequence};
    shard.call = m_client->getShardIterator(m_stream, shard.id, at.type, at.sequenceNumber, at.timestamp, this,
                                            [this, s = &shard](Result<QString> r) {
                                                if (!m_running)
                                                    return;
                                                if (!r.ok())
                                                    return callFailed(*s, r.error(), true);
                                                s->iterator = r.value();
                                                s->pacer.setLimits(effectiveLimits());
                                                schedule(*s, s->pacer.callLimitDelay(nowMs()), &StreamReader::poll);
                                            });
}

void StreamReader::poll(Shard &shard)
{
    shard.pacer.noteCall(nowMs());
    ++m_counters.calls;
    shard.call = m_client->getRecords(shard.iterator, m_options.recordsPerCall, this,
                                      [this, s = &shard](Result<net::GetRecordsResult> r) {
                                          if (!m_running)
                                              return;
                                          if (!r.ok())
                                              return callFailed(*s, r.error(), false);
                                          answered(*s, std::move(r.value()));
                                      });
}

void StreamReader::answered(Shard &shard, net::GetRecordsResult result)
{
    shard.transientFailures = 0;
    qint64 bytes = 0;
    QList<ReadRecord> fresh;
    fresh.reserve(qsizetype(result.records.size()));
    for (net::StoredRecord &record : result.records) {
        bytes += record.partitionKey.toUtf8().size() + record.data.size();
        if (!shard.lastSequence.isEmpty() && compareSequenceNumbers(record.sequenceNumber, shard.lastSequence) <= 0) {
            ++m_counters.duplicatesSkipped;
            continue;
        }
        shard.lastSequence = record.sequenceNumber;
        fresh.append(ReadRecord{shard.id, std::move(record.sequenceNumber), std::move(record.partitionKey),
                                std::move(record.data), record.approximateArrivalTimestamp.toMSecsSinceEpoch()});
    }
    m_counters.records += fresh.size();
    for (const ReadRecord &record : std::as_const(fresh))
        m_ring.append(record);
    if (!fresh.isEmpty())
        Q_EMIT recordsRead(fresh);
    if (!m_running) // a listener may have stopped the reader (enough records)
        return;
    if (result.nextShardIterator.isEmpty())
        return shardEnded(shard, result.childShards);
    shard.iterator = result.nextShardIterator;
    shard.pacer.setLimits(effectiveLimits());
    const bool full = qsizetype(result.records.size()) >= m_options.recordsPerCall;
    schedule(shard, shard.pacer.delayAfterAnswer(nowMs(), bytes, full, result.millisBehindLatest), &StreamReader::poll);
}

void StreamReader::callFailed(Shard &shard, const Error &error, bool fromIterator)
{
    const auto again = fromIterator ? &StreamReader::requestIterator : &StreamReader::poll;
    if (error.code == QLatin1String("ExpiredIteratorException")) {
        ++m_counters.expiredIterators;
        shard.iterator.clear();
        return requestIterator(shard);
    }
    switch (send::RetryPolicy::classify(error)) {
    case send::RetryClass::Throttle:
        ++m_counters.throttled;
        shard.pacer.setLimits(effectiveLimits());
        return schedule(shard, shard.pacer.delayAfterFailure(nowMs(), m_random()), again);
    case send::RetryClass::Transient:
        if (++shard.transientFailures > m_options.maxTransientFailures)
            return fail(Error{error.kind, error.code,
                              QStringLiteral("reading %1 of %2 failed %3 times in a row; the last time: %4")
                                  .arg(shard.id, m_stream)
                                  .arg(shard.transientFailures)
                                  .arg(error.message),
                              error.httpStatus});
        return schedule(shard, shard.pacer.delayAfterFailure(nowMs(), m_random()), again);
    case send::RetryClass::Fatal:
        break;
    }
    fail(Error{error.kind, error.code, QStringLiteral("reading %1 of %2: %3").arg(shard.id, m_stream, error.message),
               error.httpStatus});
}

void StreamReader::shardEnded(Shard &shard, const std::vector<net::ChildShard> &children)
{
    m_lineage.finish(shard.id);
    ++m_counters.shardsFinished;
    Q_EMIT shardFinished(shard.id);
    if (!m_running)
        return;
    if (!children.empty()) {
        addChildren(shard.id, children);
        return startReady();
    }
    // Endpoints without ChildShards in GetRecords (kinesalite): the children are the shards
    // that name this one as a parent.
    const QString parentId = shard.id;
    m_listing = m_client->listShards(m_stream, this, [this, parentId](Result<std::vector<kwb::Shard>> r) {
        if (!m_running)
            return;
        if (!r.ok())
            return fail(r.error());
        std::vector<net::ChildShard> found;
        for (const kwb::Shard &s : r.value())
            if (s.parentShardId == parentId || s.adjacentParentShardId == parentId)
                found.push_back({s.shardId, {s.parentShardId, s.adjacentParentShardId}});
        addChildren(parentId, found);
        startReady();
    });
}

} // namespace kwb::stream
