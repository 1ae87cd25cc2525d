#include "send/AggregatedSend.h"

#include "send/SendEngine.h"

namespace kwb::send {

AggregatedSend::AggregatedSend(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
    , m_results(results)
{
}

AggregatedSend::~AggregatedSend() = default;

Result<void> AggregatedSend::start(const std::vector<int> &rows, const QString &stream, const ShardMap &map,
                                   const SendOptions &options, FlowController *flow, std::function<double()> random)
{
    kpl::AggregatorOptions packing;
    packing.maxAggregateBytes = options.aggregateMaxBytes;
    packing.maxRecordBytes = options.maxRecordBytes;
    auto packed = kpl::Aggregator::pack(*m_store, rows, map, packing);
    if (!packed.ok())
        return packed.error();
    m_aggregation = std::move(packed).value();
    const int records = m_aggregation.kinesisRecordCount();
    m_kinesisResults = SendResults();
    m_kinesisResults.resize(records);
    m_seenStatus.assign(size_t(records), RowStatus::Queued);
    m_seenAttempts.assign(size_t(records), 0);
    m_seenVerify.assign(size_t(records), VerifyState::NotVerified);
    m_rows = qint64(rows.size());
    m_attempted = m_succeeded = m_failed = m_inFlight = m_verified = m_mismatched = 0;
    for (int k = 0; k < records; ++k) {
        if (!m_aggregation.aggregated[size_t(k)])
            continue;
        const int first = m_aggregation.member(k, 0);
        for (int s = 0; s < m_aggregation.memberCount(k); ++s)
            m_results->setAggregate(m_aggregation.member(k, s), s, m_aggregation.memberCount(k), first);
    }

    SendOptions inner = options;
    inner.aggregate = false;
    m_engine = std::make_unique<SendEngine>(m_client, &m_aggregation.records, &m_kinesisResults);
    m_engine->setStream(stream);
    m_engine->setShardMap(map);
    m_engine->setOptions(inner);
    m_engine->setFlowController(flow);
    m_engine->setRandom(std::move(random));
    connect(m_engine.get(), &SendEngine::rowsChanged, this, &AggregatedSend::sync);
    connect(m_engine.get(), &SendEngine::manyRowsChanged, this, [this] {
        QList<int> all;
        for (int k = 0; k < m_aggregation.kinesisRecordCount(); ++k)
            all.append(k);
        sync(all);
    });
    connect(m_engine.get(), &SendEngine::finished, this, [this] {
        QList<int> all;
        for (int k = 0; k < m_aggregation.kinesisRecordCount(); ++k)
            all.append(k);
        sync(all);
        Q_EMIT finished();
    });
    m_engine->sendAll();
    return {};
}

void AggregatedSend::cancel()
{
    if (m_engine)
        m_engine->cancel();
}

void AggregatedSend::abort()
{
    if (m_engine)
        m_engine->abort();
}

void AggregatedSend::sync(const QList<int> &kinesisRecords)
{
    std::vector<int> changed;
    for (const int k : kinesisRecords) {
        const size_t kk = size_t(k);
        const RowStatus status = m_kinesisResults.status(k);
        const int attempts = m_kinesisResults.attemptCount(k);
        const VerifyState verify = m_kinesisResults.verifyState(k);
        if (status == m_seenStatus[kk] && attempts == m_seenAttempts[kk] && verify == m_seenVerify[kk])
            continue;
        const int members = m_aggregation.memberCount(k);
        const RowStatus was = m_seenStatus[kk];
        m_succeeded += members * (qint64(status == RowStatus::Succeeded) - qint64(was == RowStatus::Succeeded));
        m_failed += members * (qint64(status == RowStatus::Failed) - qint64(was == RowStatus::Failed));
        m_inFlight += members * (qint64(status == RowStatus::InFlight) - qint64(was == RowStatus::InFlight));
        m_verified += members * (qint64(verify == VerifyState::Verified) - qint64(m_seenVerify[kk] == VerifyState::Verified));
        m_mismatched += members * (qint64(verify != VerifyState::Verified && verify != VerifyState::NotVerified)
                                   - qint64(m_seenVerify[kk] != VerifyState::Verified && m_seenVerify[kk] != VerifyState::NotVerified));
        if (m_seenAttempts[kk] == 0 && attempts > 0)
            m_attempted += members;

        // The attempts since the last copy, with their texts interned in the user rows' table.
        std::vector<Attempt> added;
        if (attempts > m_seenAttempts[kk]) {
            const std::vector<Attempt> all = m_kinesisResults.attempts(k);
            for (size_t i = size_t(m_seenAttempts[kk]); i < all.size(); ++i) {
                Attempt a = all[i];
                a.code = m_results->intern(m_kinesisResults.text(a.code));
                a.message = m_results->intern(m_kinesisResults.text(a.message));
                added.push_back(a);
            }
        }
        const qint32 predicted = m_results->intern(m_kinesisResults.predictedShardId(k));
        const QString shard = m_kinesisResults.shardId(k);
        const QString sequence = m_kinesisResults.sequenceNumber(k);
        const QString code = m_kinesisResults.errorCode(k);
        const QString message = m_kinesisResults.errorMessage(k);
        for (int s = 0; s < members; ++s) {
            const int row = m_aggregation.member(k, s);
            for (const Attempt &a : added)
                m_results->addAttempt(row, a);
            if (predicted >= 0)
                m_results->setPredictedShardIdInterned(row, predicted);
            switch (status) {
            case RowStatus::Succeeded:
                if (was != RowStatus::Succeeded)
                    m_results->markSucceeded(row, shard, sequence);
                break;
            case RowStatus::Failed:
                m_results->markFailed(row, code, message, m_kinesisResults.retriable(k));
                break;
            case RowStatus::Cancelled:
                if (!code.isEmpty())
                    m_results->markFailed(row, code, message, m_kinesisResults.retriable(k));
                m_results->setStatus(row, status);
                break;
            default:
                m_results->setStatus(row, status);
            }
            m_results->setVerifyState(row, verify);
            changed.push_back(row);
        }
        m_seenStatus[kk] = status;
        m_seenAttempts[kk] = attempts;
        m_seenVerify[kk] = verify;
    }
    if (!changed.empty())
        Q_EMIT rowsChanged(changed);
}

SendCounters AggregatedSend::counters(const SendCounters &base) const
{
    SendCounters c = base;
    if (m_engine) {
        const SendCounters &inner = m_engine->counters();
        c.throttled += inner.throttled;
        c.retried += inner.retried;
        c.requests += inner.requests;
        c.bytesSucceeded += inner.bytesSucceeded;
        c.elapsedMs = inner.elapsedMs;
    }
    c.total += m_rows;
    c.attempted += m_attempted;
    c.succeeded += m_succeeded;
    c.failed += m_failed;
    c.inFlight += m_inFlight;
    c.pending += m_rows - m_succeeded - m_failed - m_inFlight;
    c.verified += m_verified;
    c.mismatched += m_mismatched;
    return c;
}

} // namespace kwb::send
