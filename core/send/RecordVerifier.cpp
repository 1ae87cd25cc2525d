#include "RecordVerifier.h"

#include "kpl/RecordInspection.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace kwb::send {

RecordVerifier::RecordVerifier(net::KinesisClient *client, const RecordStore *store, SendResults *results, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
    , m_results(results)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_clock.start();
}

void RecordVerifier::reset(const RetryPolicy &policy)
{
    m_policy = policy;
    m_rows.clear();
    m_next = 0;
    m_stopped = false;
    m_clock.start();
}

void RecordVerifier::run(int maxInFlight)
{
    m_maxInFlight = std::max(1, maxInFlight);
    readNext();
}

void RecordVerifier::stop()
{
    m_stopped = true;
    m_rows.clear();
    m_next = 0;
}

VerifyState RecordVerifier::compare(const net::StoredRecord &stored, const QString &sequenceNumber,
                                    QByteArrayView partitionKeyUtf8, QByteArrayView data, int subSequence,
                                    std::optional<UInt128> explicitHashKey)
{
    if (subSequence >= 0) {
        // The Kinesis record carries its first user record's key; the row is one user record inside.
        const bool same = stored.sequenceNumber == sequenceNumber
            && kpl::RecordInspection::holdsUserRecord(stored.data, subSequence, partitionKeyUtf8, data, explicitHashKey);
        return same ? VerifyState::Verified : VerifyState::Mismatched;
    }
    const bool same = stored.sequenceNumber == sequenceNumber && stored.partitionKey.toUtf8() == partitionKeyUtf8
        && stored.data == data;
    return same ? VerifyState::Verified : VerifyState::Mismatched;
}

void RecordVerifier::readNext()
{
    while (!m_stopped && m_inFlight < m_maxInFlight && m_next < m_rows.size()) {
        const int row = m_rows[m_next++];
        ++m_inFlight;
        readBack(row, m_results->shardId(row), m_results->sequenceNumber(row), 0, nowMs());
    }
}

void RecordVerifier::done(int row, VerifyState state)
{
    --m_inFlight;
    m_results->setVerifyState(row, state);
    readNext();
    Q_EMIT rowVerified(row, state);
}

void RecordVerifier::readBack(int row, const QString &shardId, const QString &sequence, int attempts, qint64 firstMs)
{
    // Reads are limited per shard too (5 GetRecords calls/s at AWS and in the sandbox): a
    // throttled or transient failure is read again after a backoff, within the run's retry
    // policy (its deadline for throttles, a few attempts for the rest); then the row is Unreadable.
    const auto failed = [this, row, shardId, sequence, attempts, firstMs](const Error &error) {
        const RetryClass c = RetryPolicy::classify(error);
        if (m_stopped)
            return done(row, VerifyState::NotVerified);
        if (!m_policy.shouldRetry(c, attempts + 1, nowMs() - firstMs))
            return done(row, VerifyState::Unreadable);
        QTimer::singleShot(int(m_policy.delayMs(attempts + 1, m_random(), c)), this, [this, row, shardId, sequence, attempts, firstMs] {
            if (m_stopped)
                return done(row, VerifyState::NotVerified);
            readBack(row, shardId, sequence, attempts + 1, firstMs);
        });
    };
    m_client->getShardIterator(
        m_stream, shardId, net::ShardIteratorType::AtSequenceNumber, sequence, {}, this,
        [this, row, sequence, failed](Result<QString> iterator) {
            if (!iterator.ok())
                return failed(iterator.error());
            m_client->getRecords(iterator.value(), 1, this, [this, row, sequence, failed](Result<net::GetRecordsResult> r) {
                if (!r.ok())
                    return failed(r.error());
                if (r.value().records.empty())
                    return done(row, VerifyState::Unreadable);
                done(row, compare(r.value().records.front(), sequence, m_store->partitionKeyUtf8(row), m_store->data(row),
                                  m_results->subSequence(row), m_store->optionalExplicitHashKey(row)));
            });
        });
}

} // namespace kwb::send
