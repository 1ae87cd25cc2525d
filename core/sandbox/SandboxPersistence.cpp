#include "sandbox/SandboxPersistence.h"

#include "Logging.h"
#include "sandbox/LogPayloadReader.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/StreamLog.h"
#include "sandbox/StreamLogReader.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
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

namespace {

StreamLog::Identity identityOf(const SandboxStream &stream)
{
    // The stream as created: every reshard added its target count of shards.
    int initialShards = stream.shardCount();
    for (const auto &r : stream.reshards())
        initialShards -= r.targetShardCount;
    return {stream.createdMs(), initialShards, stream.isOnDemand()};
}

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

QString number(qint64 n)
{
    return QLocale::c().toString(n);
}

/// "at least 3 and at most 40 records" / "exactly 3 records".
QString recordsText(qint64 least, qint64 most)
{
    if (least >= most)
        return QStringLiteral("%1 record%2").arg(number(least), least == 1 ? QString() : QStringLiteral("s"));
    return QStringLiteral("at least %1 and at most %2 records").arg(number(least), number(most));
}

/// Rebuilds a stream from the frames of its log, as StreamLogReader hands them over. A frame
/// that does not fit (a second header, a shard that does not exist, counters going back) is
/// turned down whole, so the reader reports it; records missing between intact frames show as
/// gaps in a shard's counters and are counted against the damage before them.
class LogReplay
{
public:
    LogReplay(QString fallbackName, qint64 cutoffMs, qint64 maxBytesPerShard)
        : m_fallbackName(std::move(fallbackName))
        , m_cutoffMs(cutoffMs)
        , m_maxBytesPerShard(maxBytesPerShard)
    {
    }

    bool visit(const LogFrame &frame);

    std::unique_ptr<SandboxStream> stream;
    bool rebuiltWithoutHeader = false; ///< the first frame was lost; made from a later header
    qint64 expiredBytes = 0;
    std::vector<qint64> lostInGaps;     ///< per damage index
    std::vector<qint64> lastRecordAt;   ///< per shard: offset of the last frame with its records

private:
    bool records(const LogFrame &frame, LogPayloadReader in);

    QString m_fallbackName;
    qint64 m_cutoffMs;
    qint64 m_maxBytesPerShard;
    std::vector<quint64> m_expected; ///< scratch: next counter per shard within one frame
    std::vector<qint64> m_stamp;     ///< which frame m_expected[i] belongs to
};

bool LogReplay::visit(const LogFrame &frame)
{
    LogPayloadReader in(frame.payload);
    in.u8(); // the type
    if (!stream) {
        if (frame.type == StreamLog::FrameType::StreamCreated) {
            const qint64 createdMs = in.i64();
            const int shards = int(in.u32());
            const bool onDemand = in.u8() != 0;
            const QString name = in.string();
            if (!in.ok() || !in.atEnd() || name.isEmpty())
                return false;
            auto created = SandboxStream::create(name, createdMs, shards, onDemand);
            if (!created.ok())
                return false;
            stream = std::move(created.value());
            return true;
        }
        // The first frame is lost; every format-2 header says how the stream was created.
        if (!frame.identity)
            return false;
        auto created = SandboxStream::create(m_fallbackName, frame.identity->createdMs, frame.identity->initialShards,
                                             frame.identity->onDemand);
        if (!created.ok())
            return false;
        stream = std::move(created.value());
        rebuiltWithoutHeader = true;
    }
    switch (frame.type) {
    case StreamLog::FrameType::StreamCreated:
        return false;
    case StreamLog::FrameType::Reshard: {
        const qint64 timeMs = in.i64();
        const int target = int(in.u32());
        return in.ok() && in.atEnd() && stream->reshard(timeMs, target).ok();
    }
    case StreamLog::FrameType::ShardCursor: {
        const int index = int(in.u32());
        const quint64 next = in.u64();
        if (!in.ok() || !in.atEnd() || index < 0 || index >= stream->shardCount())
            return false;
        SandboxShard &s = stream->shard(index);
        s.nextCounter = std::max(s.nextCounter, next);
        return true;
    }
    case StreamLog::FrameType::Records:
        return records(frame, in);
    }
    return false;
}

bool LogReplay::records(const LogFrame &frame, LogPayloadReader in)
{
    const quint32 count = in.u32();
    // First check the whole frame, so that a frame is taken whole or not at all.
    const size_t shards = size_t(stream->shardCount());
    if (m_expected.size() < shards) {
        m_expected.resize(shards);
        m_stamp.resize(shards, -1);
    }
    LogPayloadReader check = in;
    for (quint32 i = 0; i < count; ++i) {
        const int index = int(check.u32());
        const quint64 counter = check.u64();
        check.i64();
        const quint16 keyLength = check.u16();
        const quint32 dataLength = check.u32();
        check.bytes(keyLength);
        check.bytes(qsizetype(dataLength));
        if (!check.ok() || index < 0 || size_t(index) >= shards)
            return false;
        if (m_stamp[size_t(index)] != frame.offset) {
            m_stamp[size_t(index)] = frame.offset;
            m_expected[size_t(index)] = stream->shard(index).nextCounter;
        }
        if (counter < m_expected[size_t(index)])
            return false;
        m_expected[size_t(index)] = counter + 1;
    }
    if (!check.atEnd())
        return false;
    if (lastRecordAt.size() < shards)
        lastRecordAt.resize(shards, -1);
    for (quint32 i = 0; i < count; ++i) {
        const int index = int(in.u32());
        const quint64 counter = in.u64();
        const qint64 arrivalMs = in.i64();
        const quint16 keyLength = in.u16();
        const quint32 dataLength = in.u32();
        const QByteArrayView key = in.bytes(keyLength);
        const QByteArrayView data = in.bytes(qsizetype(dataLength));
        SandboxShard &s = stream->shard(index);
        if (counter > s.nextCounter && frame.damageBefore >= 0) {
            if (lostInGaps.size() <= size_t(frame.damageBefore))
                lostInGaps.resize(size_t(frame.damageBefore) + 1, 0);
            lostInGaps[size_t(frame.damageBefore)] += qint64(counter - s.nextCounter);
        }
        s.nextCounter = counter + 1;
        s.lastArrivalMs = std::max(s.lastArrivalMs, arrivalMs);
        lastRecordAt[size_t(index)] = frame.offset;
        if (arrivalMs < m_cutoffMs) {
            expiredBytes += keyLength + dataLength;
            continue;
        }
        s.records.append(counter, arrivalMs, key, data);
        if (s.records.bytes() > m_maxBytesPerShard)
            s.records.trimToBytes(m_maxBytesPerShard);
    }
    return true;
}

/// `<log>.damaged-<UTC time>`, with -2, -3, ... when that name is taken.
QString asideName(const QString &path, const QString &what, qint64 nowMs)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const QString base = QStringLiteral("%1.%2-%3").arg(path, what, stamp);
    QString name = base;
    for (int n = 2; QFileInfo::exists(name); ++n)
        name = QStringLiteral("%1-%2").arg(base).arg(n);
    return name;
}

} // namespace

SandboxPersistence::LoadedLog::LoadedLog() = default;
SandboxPersistence::LoadedLog::LoadedLog(LoadedLog &&) noexcept = default;
SandboxPersistence::LoadedLog &SandboxPersistence::LoadedLog::operator=(LoadedLog &&) noexcept = default;
SandboxPersistence::LoadedLog::~LoadedLog() = default;

QStringList SandboxPersistence::LoadedLog::damageLines() const
{
    QStringList lines;
    for (const LogDamage &d : scan.damage)
        lines.append(QStringLiteral("%1: damaged at byte offset %2 (%3 bytes: %4); %5 unreadable")
                         .arg(shown(path), number(d.offset), number(d.bytes), d.what,
                              recordsText(d.recordsLost, d.recordsAtMost)));
    return lines;
}

QString SandboxPersistence::LoadedLog::readableText() const
{
    if (!stream)
        return QStringLiteral("%1: no stream can be rebuilt from it (no intact frame says how it was created)")
            .arg(shown(path));
    return QStringLiteral("%1: %2 records in %3 intact frames are readable%4")
        .arg(shown(path), number(scan.records), number(scan.frames),
             rebuiltWithoutHeader ? QStringLiteral(" (the stream is rebuilt from the headers of later frames)")
                                  : QString());
}

Result<std::vector<std::unique_ptr<SandboxStream>>> SandboxPersistence::loadStreams(qint64 nowMs, qint64 retentionMs,
                                                                                   qint64 maxBytesPerShard,
                                                                                   bool recoverDamaged)
{
    const QDir dir(m_directory);
    // Leftovers of a compaction that did not finish: the original log is still complete.
    for (const QString &name : dir.entryList({QStringLiteral("*.stream.compact")}, QDir::Files | QDir::Hidden))
        QFile::remove(dir.filePath(name));
    const QStringList files = dir.entryList({QStringLiteral("*") + kSuffix}, QDir::Files | QDir::Hidden, QDir::Name);

    // Read everything first: a damaged log stops the start before any file is touched.
    std::vector<LoadedLog> logs;
    QStringList damage;
    for (const QString &file : files) {
        auto read = readLog(dir.filePath(file), nowMs, retentionMs, maxBytesPerShard);
        if (!read.ok())
            return read.error();
        if (read.value().scan.damaged())
            damage << read.value().damageLines() << read.value().readableText();
        logs.push_back(std::move(read.value()));
    }
    if (!damage.isEmpty() && !recoverDamaged)
        return Error{Error::Kind::Config, QStringLiteral("SandboxDataDamaged"),
                     QStringLiteral("the data directory %1 holds damaged stream logs; nothing was changed.\n  %2\n"
                                    "To start anyway, pass --recover-damaged: each damaged log is renamed to "
                                    "<name>.stream.damaged-<time> (kept, never deleted) and the records that can "
                                    "be read are carried into a fresh log.")
                         .arg(shown(m_directory), damage.join(QStringLiteral("\n  "))),
                     0};

    std::vector<std::unique_ptr<SandboxStream>> streams;
    for (LoadedLog &log : logs) {
        auto stream = settle(log, nowMs);
        if (!stream.ok())
            return stream.error();
        if (stream.value())
            streams.push_back(std::move(stream.value()));
    }
    return streams;
}

Result<SandboxPersistence::LoadedLog> SandboxPersistence::readLog(const QString &path, qint64 nowMs, qint64 retentionMs,
                                                                  qint64 maxBytesPerShard)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return storageError(QStringLiteral("cannot read %1: %2").arg(shown(path), file.errorString()));
    const qint64 size = file.size();
    // Mapped, not read: a log of any size costs no heap, and a bogus length allocates nothing.
    const uchar *bytes = size > 0 ? file.map(0, size) : nullptr;
    if (size > 0 && !bytes)
        return storageError(QStringLiteral("cannot read %1: %2").arg(shown(path), file.errorString()));
    LoadedLog log = parse(QByteArrayView(reinterpret_cast<const char *>(bytes), size),
                          QFileInfo(path).fileName().chopped(kSuffix.size()), nowMs, retentionMs, maxBytesPerShard);
    log.path = path;
    return log;
}

SandboxPersistence::LoadedLog SandboxPersistence::parse(QByteArrayView bytes, const QString &streamName, qint64 nowMs,
                                                        qint64 retentionMs, qint64 maxBytesPerShard)
{
    LogReplay replay(streamName, nowMs - retentionMs, maxBytesPerShard);
    LoadedLog log;
    log.scan = StreamLogReader::scan(bytes, [&replay](const LogFrame &frame) { return replay.visit(frame); });
    for (size_t i = 0; i < replay.lostInGaps.size() && i < log.scan.damage.size(); ++i) {
        // Both count the same records from two sides (headers that survived, counters that
        // jump): each is a lower bound.
        LogDamage &d = log.scan.damage[i];
        d.recordsLost = std::max(d.recordsLost, replay.lostInGaps[i]);
        d.recordsAtMost = std::max(d.recordsAtMost, d.recordsLost);
    }
    if (replay.stream)
        replay.stream->trimAll(nowMs, retentionMs, maxBytesPerShard);
    log.stream = std::move(replay.stream);
    log.rebuiltWithoutHeader = replay.rebuiltWithoutHeader;
    log.expiredBytes = replay.expiredBytes;
    log.lastRecordAt = std::move(replay.lastRecordAt);
    return log;
}

Result<std::unique_ptr<SandboxStream>> SandboxPersistence::settle(LoadedLog &log, qint64 nowMs)
{
    const QString &path = log.path;
    if (log.scan.damaged()) {
        // Linked aside first, then replaced by the fresh log: a crash in between leaves the
        // damaged log under both names, never neither.
        const QString aside = asideName(path, QStringLiteral("damaged"), nowMs);
        if (auto kept = StreamLog::keepAside(path, aside); !kept.ok())
            return kept.error();
        for (const QString &line : log.damageLines())
            m_notes.append(line);
        if (!log.stream) {
            if (auto removed = StreamLog::remove(path); !removed.ok())
                return removed.error();
            m_notes.append(QStringLiteral("%1: no stream can be rebuilt from it; the file is kept as %2 and the stream is not loaded")
                               .arg(shown(path), shown(aside)));
            return std::unique_ptr<SandboxStream>();
        }
        // Records lost after a shard's last readable one had counters nobody may reuse: the
        // next record of such a shard goes past as many as the damage could have held.
        SandboxStream &stream = *log.stream;
        for (int i = 0; i < stream.shardCount(); ++i) {
            const qint64 last = size_t(i) < log.lastRecordAt.size() ? log.lastRecordAt[size_t(i)] : -1;
            for (const LogDamage &d : log.scan.damage)
                if (d.offset > last)
                    stream.shard(i).nextCounter += quint64(d.recordsAtMost);
        }
        if (auto rewritten = compact(stream, path); !rewritten.ok())
            return rewritten.error();
        m_notes.append(QStringLiteral("%1; the damaged file is kept as %2 and the readable records are in a fresh log")
                           .arg(log.readableText(), shown(aside)));
    } else if (!log.stream) {
        // Not even the first frame made it to disk: CreateStream never answered.
        m_notes.append(QStringLiteral("%1: holds no complete first frame (a stream whose creation never finished); removed")
                           .arg(shown(path)));
        if (auto removed = StreamLog::remove(path); !removed.ok())
            return removed.error();
        return std::unique_ptr<SandboxStream>();
    } else if (log.scan.format == 1) {
        const QString aside = asideName(path, QStringLiteral("format1"), nowMs);
        if (auto kept = StreamLog::keepAside(path, aside); !kept.ok())
            return kept.error();
        if (auto rewritten = compact(*log.stream, path); !rewritten.ok())
            return rewritten.error();
        m_notes.append(QStringLiteral("%1: migrated from log format 1 (%2 records); the old file is kept as %3 and "
                                      "may be deleted")
                           .arg(shown(path), number(log.scan.records), shown(aside)));
        if (log.scan.tornOffset >= 0)
            m_notes.append(QStringLiteral("%1: its torn tail of %2 bytes at byte offset %3 (a write that never finished) "
                                          "was left behind")
                               .arg(shown(aside), number(log.scan.size - log.scan.tornOffset), number(log.scan.tornOffset)));
    } else {
        if (log.scan.tornOffset >= 0) {
            if (auto cut = StreamLog::cut(path, log.scan.tornOffset); !cut.ok())
                return cut.error();
            m_notes.append(QStringLiteral("%1: cut off a torn tail of %2 bytes at byte offset %3 (a write that never finished)")
                               .arg(shown(path), number(log.scan.size - log.scan.tornOffset), number(log.scan.tornOffset)));
        }
        const qint64 size = log.scan.keptBytes();
        if (size >= kCompactAtLeastBytes && log.expiredBytes > size / 2) {
            if (auto compacted = compact(*log.stream, path); !compacted.ok())
                return compacted.error();
            m_notes.append(QStringLiteral("%1: compacted (expired records removed)").arg(shown(path)));
        }
    }
    auto appender = StreamLog::openForAppend(path, identityOf(*log.stream));
    if (!appender.ok())
        return appender.error();
    log.stream->setLog(std::move(appender.value()));
    return std::move(log.stream);
}

Result<void> SandboxPersistence::compact(SandboxStream &stream, const QString &path)
{
    const QString temporary = path + QStringLiteral(".compact");
    // The stream as created, then its reshards: replaying them rebuilds the same shards.
    const StreamLog::Identity identity = identityOf(stream);
    auto log = StreamLog::create(temporary, identity,
                                 StreamLog::encodeStreamCreated(stream.name(), stream.createdMs(), identity.initialShards,
                                                                stream.isOnDemand()));
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
    auto log = StreamLog::create(pathFor(stream.name()), identityOf(stream),
                                 StreamLog::encodeStreamCreated(stream.name(), stream.createdMs(), stream.shardCount(),
                                                                stream.isOnDemand()));
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
