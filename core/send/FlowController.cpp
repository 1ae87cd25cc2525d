#include "send/FlowController.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <memory>

namespace kwb::send {

namespace {

/// After a throttle the pace drops to this share of itself...
constexpr double kDecrease = 0.7;
/// Unknown limits: a learned ceiling climbs back by this share of the assumed limit per second.
constexpr double kProbePerSecond = 0.02;
/// The lowest automatic pace, as a share of the (starting) limits: known limits are trusted to
/// within this; unknown ones may be a thousand times lower than AWS's.
constexpr double kMinKnownShare = 0.05;
constexpr double kMinUnknownShare = 0.0005;

} // namespace

ShardLimits ShardLimits::documented()
{
    return ShardLimits{};
}

ShardLimits ShardLimits::unknown()
{
    ShardLimits l;
    l.known = false;
    return l;
}

ShardLimits ShardLimits::sandbox(bool enabled, double scale)
{
    ShardLimits l;
    if (!enabled) {
        l.unlimited = true;
        return l;
    }
    // The sandbox rounds to whole records and bytes, at least one of each (ThroughputLimiter).
    const double s = scale > 0 ? scale : 1.0;
    l.recordsPerSecond = std::max(1.0, std::round(limits::kShardRecordsPerSecond * s));
    l.bytesPerSecond = std::max(1.0, std::round(double(limits::kShardBytesPerSecond) * s));
    return l;
}

ShardLimits ShardLimits::advertised(bool enabled, double recordsPerSecond, double bytesPerSecond)
{
    ShardLimits l;
    l.unlimited = !enabled;
    if (enabled) {
        l.recordsPerSecond = recordsPerSecond;
        l.bytesPerSecond = bytesPerSecond;
    }
    return l;
}

ShardLimits ShardLimits::forEndpoint(const QUrl &endpoint)
{
    const QString host = endpoint.host().toLower();
    if (endpoint.isEmpty() || host.endsWith(QLatin1String(".amazonaws.com")) || host.endsWith(QLatin1String(".amazonaws.com.cn")))
        return documented();
    return unknown();
}

QString ShardLimits::describe() const
{
    if (unlimited)
        return QStringLiteral("no limits");
    const QLocale locale;
    const auto number = [&](double v) {
        return v >= 100 || v == std::floor(v) ? locale.toString(qint64(std::llround(v))) : locale.toString(v, 'g', 3);
    };
    QString bytes;
    if (bytesPerSecond >= 1024.0 * 1024.0)
        bytes = QStringLiteral("%1 MiB/s").arg(number(bytesPerSecond / (1024.0 * 1024.0)));
    else if (bytesPerSecond >= 1024.0)
        bytes = QStringLiteral("%1 KiB/s").arg(number(bytesPerSecond / 1024.0));
    else
        bytes = QStringLiteral("%1 bytes/s").arg(number(bytesPerSecond));
    return QStringLiteral("%1 records/s and %2 per shard%3")
        .arg(number(recordsPerSecond), bytes, known ? QString() : QStringLiteral(" (assumed; learned from throttles)"));
}

FlowController::FlowController(QObject *parent) : QObject(parent)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_clock = [timer] { return timer->elapsed(); };
}

void FlowController::setClock(Clock clock)
{
    m_clock = std::move(clock);
    resetShards();
}

qint64 FlowController::now() const
{
    return m_clock();
}

void FlowController::setLimits(const ShardLimits &limits)
{
    if (limits == m_limits)
        return;
    m_limits = limits;
    // What was learned no longer applies, but what each shard took in the last second still
    // counts against the new limits, and no fresh start burst is granted.
    const qint64 t = now();
    for (Shard &s : m_shards) {
        refill(s, t);
        s.factor = 1.0;
        s.ceiling = 1.0;
        s.decreasedAtMs = -1000000;
        const double cap = std::max(1.0, m_limits.recordsPerSecond * smoothShare(s) * burstSeconds());
        s.records = std::min(s.records, cap);
        s.bytes = std::min(s.bytes, m_limits.bytesPerSecond * smoothShare(s) * burstSeconds());
    }
    Q_EMIT limitsChanged(m_limits);
}

void FlowController::setShardCount(int shards)
{
    if (shards == shardCount())
        return;
    m_shards.assign(size_t(std::max(0, shards)), Shard{});
    resetShards();
}

void FlowController::setRatePercent(double percent)
{
    percent = std::clamp(percent, 0.0, 100.0);
    if (percent == m_ratePercent)
        return;
    m_ratePercent = percent;
    resetShards();
}

void FlowController::setConcurrency(int requests)
{
    m_concurrency = std::max(0, requests);
}

void FlowController::setPacingEnabled(bool enabled)
{
    m_pacingEnabled = enabled;
}

bool FlowController::paces() const
{
    return m_pacingEnabled && !m_limits.unlimited && !m_shards.empty();
}

double FlowController::burstSeconds() const
{
    return m_ratePercent > 0 ? kExplicitBurstSeconds : kAutoBurstSeconds;
}

double FlowController::share(const Shard &s) const
{
    return (m_ratePercent > 0 ? m_ratePercent / 100.0 : s.factor) * jitterAllowance();
}

double FlowController::jitterAllowance() const
{
    // Requests sent apart can arrive (or be counted by a busy service) closer together by about
    // the spread of the latency; the window covers 30 ms of it, and a wider spread leaves
    // that much of the budget unused.
    const double extra = std::clamp(4.0 * m_latencyDevMs - double(kWindowMs - 1000), 0.0, 200.0);
    return 1000.0 / (1000.0 + extra);
}

double FlowController::smoothShare(const Shard &s) const
{
    // What the window allows, spread evenly over it, a little under.
    return share(s) * kSmoothShare * 1000.0 / double(kWindowMs);
}

void FlowController::resetShards()
{
    const qint64 t = now();
    for (Shard &s : m_shards) {
        s = Shard{};
        s.refilledAtMs = t;
        s.markAtMs = t;
        s.slotRecords.assign(size_t(kWindowSlots), 0);
        s.slotBytes.assign(size_t(kWindowSlots), 0);
        // A fresh start may use part of its window at once; the window holds the rest back.
        s.records = std::max(1.0, m_limits.recordsPerSecond * share(s) * (m_ratePercent > 0 ? burstSeconds() : kStartBurst));
        s.bytes = m_limits.bytesPerSecond * share(s) * (m_ratePercent > 0 ? burstSeconds() : kStartBurst);
    }
}

void FlowController::advance(Shard &s, qint64 t)
{
    const qint64 slot = t / kSlotMs;
    if (s.headSlot < 0 || slot - s.headSlot >= kWindowSlots) {
        std::fill(s.slotRecords.begin(), s.slotRecords.end(), 0);
        std::fill(s.slotBytes.begin(), s.slotBytes.end(), 0);
        s.windowRecords = 0;
        s.windowBytes = 0;
    } else {
        for (qint64 k = s.headSlot + 1; k <= slot; ++k) {
            const size_t i = size_t(k % kWindowSlots);
            s.windowRecords -= s.slotRecords[i];
            s.windowBytes -= s.slotBytes[i];
            s.slotRecords[i] = 0;
            s.slotBytes[i] = 0;
        }
    }
    s.headSlot = std::max(s.headSlot, slot);
}

bool FlowController::windowFits(const Shard &s, qint64 bytes) const
{
    const double records = std::max(1.0, m_limits.recordsPerSecond * share(s));
    const double byteBudget = m_limits.bytesPerSecond * share(s);
    if (double(s.windowRecords) + 1.0 > records + 1e-9)
        return false;
    // A record larger than the whole budget goes alone into an empty window.
    return double(s.windowBytes + bytes) <= byteBudget + 1e-9 || (s.windowBytes == 0 && double(bytes) > byteBudget);
}

void FlowController::refill(Shard &s, qint64 t)
{
    const double dt = double(std::max<qint64>(0, t - s.refilledAtMs));
    s.refilledAtMs = t;
    if (m_ratePercent <= 0) {
        if (!m_limits.known && s.ceiling < 1.0)
            s.ceiling = std::min(1.0, s.ceiling + kProbePerSecond * dt / 1000.0);
        if (s.factor < s.ceiling)
            s.factor = std::min(s.ceiling, s.factor + s.ceiling * dt / kRecoverMs);
    }
    const double pace = smoothShare(s);
    const double recordCap = std::max(1.0, m_limits.recordsPerSecond * pace * burstSeconds());
    const double byteCap = m_limits.bytesPerSecond * pace * burstSeconds();
    // Tokens above the cap (the start's burst) are kept until used, not cut to the cap.
    if (s.records < recordCap)
        s.records = std::min(recordCap, s.records + m_limits.recordsPerSecond * pace * dt / 1000.0);
    if (s.bytes < byteCap)
        s.bytes = std::min(byteCap, s.bytes + m_limits.bytesPerSecond * pace * dt / 1000.0);
}

bool FlowController::tryTake(int shard, qint64 bytes)
{
    if (!paces() || shard < 0 || shard >= shardCount())
        return true;
    Shard &s = m_shards[size_t(shard)];
    const qint64 t = now();
    refill(s, t);
    advance(s, t);
    // A record larger than the tokens' byte cap goes when the bucket is full, and the bucket
    // runs into debt; otherwise it would wait forever.
    const double pace = smoothShare(s);
    const double byteCap = m_limits.bytesPerSecond * pace * burstSeconds();
    const bool bytesOk = double(bytes) <= s.bytes || s.bytes >= byteCap;
    if (s.records < 1.0 || !bytesOk || !windowFits(s, bytes))
        return false;
    s.records -= 1.0;
    s.bytes -= double(bytes);
    const size_t i = size_t(s.headSlot % kWindowSlots);
    ++s.slotRecords[i];
    s.slotBytes[i] += bytes;
    ++s.windowRecords;
    s.windowBytes += bytes;
    return true;
}

qint64 FlowController::msUntilReady(int shard, qint64 bytes)
{
    if (!paces() || shard < 0 || shard >= shardCount())
        return 0;
    Shard &s = m_shards[size_t(shard)];
    const qint64 t = now();
    refill(s, t);
    advance(s, t);
    const double pace = smoothShare(s);
    const double recordRate = m_limits.recordsPerSecond * pace;
    const double byteRate = m_limits.bytesPerSecond * pace;
    const double byteNeed = std::min(double(bytes), byteRate * burstSeconds());
    double ms = 0;
    if (s.records < 1.0)
        ms = std::max(ms, (1.0 - s.records) * 1000.0 / recordRate);
    if (s.bytes < byteNeed)
        ms = std::max(ms, (byteNeed - s.bytes) * 1000.0 / byteRate);
    if (!windowFits(s, bytes)) {
        // Until enough of the oldest slots have left the window.
        Shard copy = s;
        for (qint64 k = 1; k <= kWindowSlots; ++k) {
            advance(copy, (s.headSlot + k) * kSlotMs);
            if (windowFits(copy, bytes)) {
                ms = std::max(ms, double((s.headSlot + k) * kSlotMs - t));
                break;
            }
        }
    }
    return qint64(std::ceil(ms));
}

int FlowController::maxInFlight() const
{
    if (m_concurrency > 0)
        return m_concurrency;
    const double latency = m_latencyMs / 1000.0;
    double perSecond = 0;
    if (paces()) {
        // Little's law: requests in flight = requests per second x latency. Engines come back
        // every tick, and a request holds at most 500 records.
        double records = 0;
        for (int i = 0; i < shardCount(); ++i)
            records += shardRecordRate(i);
        perSecond = 1000.0 / double(kTickMs) + records / std::max(1.0, m_recordsPerRequest);
    } else {
        perSecond = 100.0;
    }
    const int needed = int(std::ceil(1.5 * perSecond * latency)) + 2;
    return std::clamp(needed, 4, 128);
}

void FlowController::requestStarted()
{
    ++m_inFlight;
}

void FlowController::requestFinished(qint64 latencyMs, int records)
{
    m_inFlight = std::max(0, m_inFlight - 1);
    const double l = double(std::max<qint64>(0, latencyMs));
    if (m_latencyMs <= 0) {
        m_latencyMs = l;
    } else {
        // As TCP estimates its round trip: a smoothed mean and a smoothed mean deviation.
        m_latencyDevMs = 0.75 * m_latencyDevMs + 0.25 * std::abs(l - m_latencyMs);
        m_latencyMs = 0.875 * m_latencyMs + 0.125 * l;
    }
    if (records > 0)
        m_recordsPerRequest = 0.9 * m_recordsPerRequest + 0.1 * double(records);
    Q_EMIT slotFreed();
}

void FlowController::recordAccepted(int shard)
{
    if (shard >= 0 && shard < shardCount())
        ++m_shards[size_t(shard)].acceptedSinceMark;
}

void FlowController::recordThrottled(int shard)
{
    if (!paces() || shard < 0 || shard >= shardCount())
        return;
    Shard &s = m_shards[size_t(shard)];
    const qint64 t = now();
    refill(s, t);
    if (m_ratePercent > 0)
        return; // an explicit rate is the user's to change
    // One decrease per round trip: the throttles of one burst are one signal.
    if (t - s.decreasedAtMs < std::max<qint64>(100, qint64(m_latencyMs * 2)))
        return;
    if (!m_limits.known) {
        // What the shard took since the last signal is an estimate of its real limit.
        const qint64 span = t - s.markAtMs;
        double ceiling = s.factor * 0.95;
        if (span >= 500 && s.acceptedSinceMark > 0)
            ceiling = std::min(ceiling, 0.95 * double(s.acceptedSinceMark) * 1000.0 / double(span) / m_limits.recordsPerSecond);
        s.ceiling = std::max(kMinUnknownShare, std::min(s.ceiling, ceiling));
    }
    s.factor = std::max(m_limits.known ? kMinKnownShare : kMinUnknownShare, s.factor * kDecrease);
    s.decreasedAtMs = t;
    s.acceptedSinceMark = 0;
    s.markAtMs = t;
}

double FlowController::shardRecordRate(int shard) const
{
    if (!paces() || shard < 0 || shard >= shardCount())
        return 0;
    return m_limits.recordsPerSecond * smoothShare(m_shards[size_t(shard)]);
}

double FlowController::shardByteRate(int shard) const
{
    if (!paces() || shard < 0 || shard >= shardCount())
        return 0;
    return m_limits.bytesPerSecond * smoothShare(m_shards[size_t(shard)]);
}

} // namespace kwb::send
