#include "sandbox/SandboxPersistence.h"

#include "Logging.h"
#include "sandbox/LogPayloadReader.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/StreamLog.h"

#include <QDir>
#include <QFile>
#include <QLockFile>

#include <optional>

namespace kwb::sandbox {

namespace {

const QLatin1String kSuffix(".stream");
constexpr qint64 kCompactAtLeastBytes = 64 * 1024 * 1024;
constexpr qsizetype kCompactFrameBytes = 4 * 1024 * 1024;

Error storageError(const QString &message)
{
    return Error{Error::Kind::Config, QStringLiteral("SandboxStorageError"), message, 0};
}

} // namespace

SandboxPersistence::~SandboxPersistence() = default;

Result<std::unique_ptr<SandboxPersistence>> SandboxPersistence::open(const QString &directory)
{
    QDir dir(directory);
    if (!dir.exists() && !QDir().mkpath(directory))
        return storageError(QStringLiteral("cannot create the data directory %1").arg(QDir::toNativeSeparators(directory)));
    std::unique_ptr<SandboxPersistence> persistence(new SandboxPersistence);
    persistence->m_directory = dir.absolutePath();
    persistence->m_lock = std::make_unique<QLockFile>(dir.absoluteFilePath(QStringLiteral("sandbox.lock")));
    persistence->m_lock->setStaleLockTime(0);
    if (!persistence->m_lock->tryLock(0)) {
        return storageError(persistence->m_lock->error() == QLockFile::LockFailedError
                                ? QStringLiteral("another sandbox is using the data directory %1").arg(QDir::toNativeSeparators(directory))
                                : QStringLiteral("cannot lock the data directory %1 (is it writable?)").arg(QDir::toNativeSeparators(directory)));
    }
    return persistence;
}

QString SandboxPersistence::pathFor(const QString &streamName) const
{
    return QDir(m_directory).filePath(streamName + kSuffix);
}

Result<std::vector<std::unique_ptr<SandboxStream>>> SandboxPersistence::loadStreams(qint64 nowMs, qint64 retentionMs,
                                                                                   qint64 maxBytesPerShard)
{
    std::vector<std::unique_ptr<SandboxStream>> streams;
    const QDir dir(m_directory);
    // Leftovers of a compaction that did not finish: the original log is still complete.
    for (const QString &name : dir.entryList({QStringLiteral("*.stream.compact")}, QDir::Files | QDir::Hidden))
        QFile::remove(dir.filePath(name));
    const QStringList files = dir.entryList({QStringLiteral("*") + kSuffix}, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &file : files) {
        auto stream = loadStream(dir.filePath(file), nowMs, retentionMs, maxBytesPerShard);
        if (!stream.ok())
            return stream.error();
        if (stream.value())
            streams.push_back(std::move(stream.value()));
    }
    return streams;
}

Result<std::unique_ptr<SandboxStream>> SandboxPersistence::loadStream(const QString &path, qint64 nowMs,
                                                                      qint64 retentionMs, qint64 maxBytesPerShard)
{
    std::unique_ptr<SandboxStream> stream;
    const qint64 cutoff = nowMs - retentionMs;
    qint64 expiredBytes = 0;
    const auto visit = [&](StreamLog::FrameType type, QByteArrayView payload) -> bool {
        LogPayloadReader in(payload);
        in.u8(); // the type
        if (!stream && type != StreamLog::FrameType::StreamCreated)
            return false;
        switch (type) {
        case StreamLog::FrameType::StreamCreated: {
            if (stream)
                return false;
            const qint64 createdMs = in.i64();
            const int shards = int(in.u32());
            const bool onDemand = in.u8() != 0;
            const QString name = in.string();
            if (!in.ok() || name.isEmpty())
                return false;
            auto created = SandboxStream::create(name, createdMs, shards, onDemand);
            if (!created.ok())
                return false;
            stream = std::move(created.value());
            return true;
        }
        case StreamLog::FrameType::Reshard: {
            const qint64 timeMs = in.i64();
            const int target = int(in.u32());
            return in.ok() && stream->reshard(timeMs, target).ok();
        }
        case StreamLog::FrameType::ShardCursor: {
            const int index = int(in.u32());
            const quint64 next = in.u64();
            if (!in.ok() || index < 0 || index >= stream->shardCount())
                return false;
            SandboxShard &s = stream->shard(index);
            s.nextCounter = std::max(s.nextCounter, next);
            return true;
        }
        case StreamLog::FrameType::Records: {
            const quint32 count = in.u32();
            for (quint32 i = 0; i < count; ++i) {
                const int index = int(in.u32());
                const quint64 counter = in.u64();
                const qint64 arrivalMs = in.i64();
                const quint16 keyLength = in.u16();
                const quint32 dataLength = in.u32();
                const QByteArrayView key = in.bytes(keyLength);
                const QByteArrayView data = in.bytes(qsizetype(dataLength));
                if (!in.ok() || index < 0 || index >= stream->shardCount())
                    return false;
                SandboxShard &s = stream->shard(index);
                if (counter < s.nextCounter)
                    return false;
                s.nextCounter = counter + 1;
                s.lastArrivalMs = std::max(s.lastArrivalMs, arrivalMs);
                if (arrivalMs < cutoff) {
                    expiredBytes += keyLength + dataLength;
                    continue;
                }
                s.records.append(counter, arrivalMs, key, data);
                if (s.records.bytes() > maxBytesPerShard)
                    s.records.trimToBytes(maxBytesPerShard);
            }
            return in.ok() && in.atEnd();
        }
        }
        return false;
    };
    auto replayed = StreamLog::replay(path, visit);
    if (!replayed.ok())
        return replayed.error();
    if (replayed.value().cutBytes > 0)
        m_notes.append(QStringLiteral("%1: cut off a torn tail of %2 bytes (a write that never finished)")
                           .arg(QDir::toNativeSeparators(path))
                           .arg(replayed.value().cutBytes));
    if (!stream) {
        // Not even the first frame made it to disk: the stream was never acknowledged.
        m_notes.append(QStringLiteral("%1: no complete stream header; removed").arg(QDir::toNativeSeparators(path)));
        if (auto removed = StreamLog::remove(path); !removed.ok())
            return removed.error();
        return std::unique_ptr<SandboxStream>();
    }
    stream->trimAll(nowMs, retentionMs, maxBytesPerShard);
    const qint64 size = replayed.value().validBytes;
    if (size >= kCompactAtLeastBytes && expiredBytes > size / 2) {
        if (auto compacted = compact(*stream, path); !compacted.ok())
            return compacted.error();
        m_notes.append(QStringLiteral("%1: compacted (expired records removed)").arg(QDir::toNativeSeparators(path)));
    }
    auto log = StreamLog::openForAppend(path);
    if (!log.ok())
        return log.error();
    stream->setLog(std::move(log.value()));
    return stream;
}

Result<void> SandboxPersistence::compact(SandboxStream &stream, const QString &path)
{
    const QString temporary = path + QStringLiteral(".compact");
    // The stream as created, then its reshards: replaying them rebuilds the same shards.
    int initialShards = stream.shardCount();
    for (const auto &r : stream.reshards())
        initialShards -= r.targetShardCount;
    auto log = StreamLog::create(temporary, StreamLog::encodeStreamCreated(stream.name(), stream.createdMs(),
                                                                            initialShards, stream.isOnDemand()));
    if (!log.ok())
        return log.error();
    for (const auto &r : stream.reshards())
        if (auto w = log.value()->append(StreamLog::encodeReshard(r.timeMs, r.targetShardCount)); !w.ok())
            return w.error();
    QByteArray payload;
    for (int i = 0; i < stream.shardCount(); ++i) {
        const SandboxShard &s = stream.shard(i);
        const quint64 firstKept = s.records.isEmpty() ? s.nextCounter : s.records.entry(0).counter;
        if (auto w = log.value()->append(StreamLog::encodeShardCursor(i, firstKept)); !w.ok())
            return w.error();
        quint32 count = 0;
        StreamLog::beginRecords(payload);
        for (qsizetype r = 0; r < s.records.size(); ++r) {
            const auto &e = s.records.entry(r);
            StreamLog::addRecord(payload, i, e.counter, e.arrivalMs, s.records.key(r), s.records.data(r));
            ++count;
            if (payload.size() >= kCompactFrameBytes || r + 1 == s.records.size()) {
                StreamLog::finishRecords(payload, count);
                if (auto w = log.value()->append(payload); !w.ok())
                    return w.error();
                count = 0;
                StreamLog::beginRecords(payload);
            }
        }
        if (auto w = log.value()->append(StreamLog::encodeShardCursor(i, s.nextCounter)); !w.ok())
            return w.error();
    }
    log.value().reset();
    return StreamLog::replace(temporary, path);
}

Result<void> SandboxPersistence::createStream(SandboxStream &stream)
{
    auto log = StreamLog::create(pathFor(stream.name()), StreamLog::encodeStreamCreated(stream.name(), stream.createdMs(),
                                                                                        stream.shardCount(), stream.isOnDemand()));
    if (!log.ok())
        return log.error();
    stream.setLog(std::move(log.value()));
    return {};
}

Result<void> SandboxPersistence::deleteStream(SandboxStream &stream)
{
    stream.setLog(nullptr);
    return StreamLog::remove(pathFor(stream.name()));
}

} // namespace kwb::sandbox
