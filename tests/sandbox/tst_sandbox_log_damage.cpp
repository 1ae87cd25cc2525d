// Damage to a stream log in the sandbox's data directory, made on a real log written by real
// puts: bytes flipped, zeroed and cut at many offsets (frame headers, payloads, the first and
// the last frame, length fields, huge lengths). A damaged log stops the start with a report
// that names the file and the byte offset and changes nothing; with recoverDamaged the
// damaged file is kept aside byte for byte and every record in an intact frame, before and
// after the damage, is served again through GetShardIterator/GetRecords. Only an unfinished
// last write (a torn tail) is cut without asking. Frame offsets are found here from the
// documented layout (docs/sandbox-data-dir.md), not with the code under test.
#include "SandboxTestSupport.h"
#include "sandbox/StreamLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#include <sys/resource.h>

using namespace kwb;
using namespace kwb::net;
using kwb::test::SandboxFixture;

namespace {

const QString kStream = QStringLiteral("dmg");
constexpr int kBatches = 8;
constexpr int kPerBatch = 25;
constexpr qint64 kHeader = 32; // magic, length, records, created, shards, payload CRC, header CRC

quint32 le32(const QByteArray &bytes, qint64 at)
{
    quint32 v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | quint8(bytes[at + i]);
    return v;
}

/// Where each frame of an intact log starts and ends, read from the documented layout.
struct FrameSpan
{
    qint64 begin;
    qint64 end;
};

std::vector<FrameSpan> framesOf(const QByteArray &log)
{
    std::vector<FrameSpan> frames;
    for (qint64 at = 0; at + kHeader <= log.size();) {
        const qint64 end = at + kHeader + le32(log, at + 4);
        frames.push_back({at, end});
        at = end;
    }
    return frames;
}

/// One acknowledged record and the frame (1 + its batch) that holds it.
struct Acked
{
    QString key;
    QByteArray data;
    QString shardId;
    int frame;
};

/// How a row damages the log: what to do, where (a frame and a place in it), how much.
enum class Op { Flip, Zero, SetLength, Truncate };
enum class Place { Magic, Length, Records, Created, PayloadCrc, HeaderCrc, PayloadStart, PayloadMiddle, PayloadEnd, AcrossBoundary };

} // namespace

Q_DECLARE_METATYPE(Op)
Q_DECLARE_METATYPE(Place)

class TstSandboxLogDamage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void damageIsReportedKeptAndReadAround_data();
    void damageIsReportedKeptAndReadAround();
    void oneFlipAtManyOffsets();
    void tornTailIsCutWithoutAsking_data();
    void tornTailIsCutWithoutAsking();
    void formatOneLogIsMigrated();
    void hugeLengthIsNeverAllocated();
    void unrebuildableLogIsKeptAside();

private:
    void writeLog();
    Result<QUrl> start(bool recover);
    void stop();
    /// Every record GetRecords serves, by sequence number, over all shards.
    std::map<QString, std::pair<QString, QByteArray>> served();
    void checkServed(const std::vector<bool> &lostFrames);

    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    test::FakeClock m_clock;
    std::map<QString, Acked> m_acked; ///< by sequence number
    QString m_path;
    QByteArray m_intact;
    std::vector<FrameSpan> m_frames;
};

void TstSandboxLogDamage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = test::FakeClock();
    m_acked.clear();
    m_path = QDir(m_dir->path()).filePath(kStream + QStringLiteral(".stream"));
}

void TstSandboxLogDamage::cleanup()
{
    stop();
    m_dir.reset();
}

Result<QUrl> TstSandboxLogDamage::start(bool recover)
{
    sandbox::SandboxOptions options;
    options.dataDir = m_dir->path();
    options.recoverDamaged = recover;
    return m_sandbox.start(options, m_clock.clock());
}

void TstSandboxLogDamage::stop()
{
    m_sandbox.client.reset();
    m_sandbox.server.reset();
}

void TstSandboxLogDamage::writeLog()
{
    KWB_VERIFY_OK(start(false));
    KWB_VERIFY_OK(m_sandbox.createStream(kStream, 2));
    for (int b = 0; b < kBatches; ++b) {
        const auto records = test::makeRecords(kPerBatch, QStringLiteral("b%1-").arg(b), 60 + 7 * b);
        auto put = m_sandbox.putRecords(kStream, records);
        KWB_VERIFY_OK(put);
        QCOMPARE(put.value().failedRecordCount, 0);
        for (int i = 0; i < kPerBatch; ++i)
            m_acked[put.value().records[size_t(i)].sequenceNumber] = {records[size_t(i)].partitionKey, records[size_t(i)].data,
                                                                      put.value().records[size_t(i)].shardId, 1 + b};
        m_clock.advance(1000);
    }
    stop();
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_intact = file.readAll();
    m_frames = framesOf(m_intact);
    QCOMPARE(int(m_frames.size()), 1 + kBatches); // the stream's frame and one per PutRecords
    QCOMPARE(m_frames.back().end, m_intact.size());
}

std::map<QString, std::pair<QString, QByteArray>> TstSandboxLogDamage::served()
{
    std::map<QString, std::pair<QString, QByteArray>> out;
    for (const QString &shard : {QStringLiteral("shardId-000000000000"), QStringLiteral("shardId-000000000001")}) {
        auto iterator = m_sandbox.iterator(kStream, shard, ShardIteratorType::TrimHorizon);
        if (!iterator.ok())
            continue;
        auto read = m_sandbox.getRecords(iterator.value());
        if (!read.ok())
            continue;
        for (const StoredRecord &r : read.value().records)
            out[r.sequenceNumber] = {r.partitionKey, r.data};
    }
    return out;
}

void TstSandboxLogDamage::checkServed(const std::vector<bool> &lostFrames)
{
    const auto now = served();
    size_t expected = 0;
    for (const auto &[sequence, acked] : m_acked) {
        const bool lost = lostFrames[size_t(acked.frame)];
        const auto it = now.find(sequence);
        if (lost) {
            QVERIFY2(it == now.end(), qPrintable(QStringLiteral("record %1 of a damaged frame is served").arg(acked.key)));
            continue;
        }
        ++expected;
        QVERIFY2(it != now.end(), qPrintable(QStringLiteral("record %1 (frame %2) is not served").arg(acked.key).arg(acked.frame)));
        QCOMPARE(it->second.first, acked.key);
        QCOMPARE(it->second.second, acked.data);
    }
    QCOMPARE(now.size(), expected);
}

void TstSandboxLogDamage::damageIsReportedKeptAndReadAround_data()
{
    QTest::addColumn<int>("frame"); // -1: the last
    QTest::addColumn<Op>("op");
    QTest::addColumn<Place>("place");
    QTest::newRow("first frame, magic flipped") << 0 << Op::Flip << Place::Magic;
    QTest::newRow("first frame, payload flipped") << 0 << Op::Flip << Place::PayloadMiddle;
    QTest::newRow("first frame, zeroed header") << 0 << Op::Zero << Place::Magic;
    QTest::newRow("first frame, huge length") << 0 << Op::SetLength << Place::Length;
    QTest::newRow("middle, length flipped") << 4 << Op::Flip << Place::Length;
    QTest::newRow("middle, length 0x0FFFFFF0") << 4 << Op::SetLength << Place::Length;
    QTest::newRow("middle, record count flipped") << 3 << Op::Flip << Place::Records;
    QTest::newRow("middle, creation time flipped") << 5 << Op::Flip << Place::Created;
    QTest::newRow("middle, payload checksum flipped") << 2 << Op::Flip << Place::PayloadCrc;
    QTest::newRow("middle, header checksum flipped") << 2 << Op::Flip << Place::HeaderCrc;
    QTest::newRow("middle, payload start flipped") << 4 << Op::Flip << Place::PayloadStart;
    QTest::newRow("middle, payload flipped") << 4 << Op::Flip << Place::PayloadMiddle;
    QTest::newRow("middle, payload zeroed") << 6 << Op::Zero << Place::PayloadMiddle;
    QTest::newRow("middle, zeroed across two frames") << 3 << Op::Zero << Place::AcrossBoundary;
    QTest::newRow("second frame, magic zeroed") << 1 << Op::Zero << Place::Magic;
    QTest::newRow("last frame, magic flipped") << -1 << Op::Flip << Place::Magic;
    QTest::newRow("last frame, payload end flipped") << -1 << Op::Flip << Place::PayloadEnd;
    QTest::newRow("last frame, payload zeroed") << -1 << Op::Zero << Place::PayloadMiddle;
    QTest::newRow("last frame, huge length") << -1 << Op::SetLength << Place::Length;
    QTest::newRow("first frame cut in the middle") << 0 << Op::Truncate << Place::PayloadMiddle;
    QTest::newRow("middle frame cut in the middle") << 4 << Op::Truncate << Place::PayloadMiddle;
}

void TstSandboxLogDamage::damageIsReportedKeptAndReadAround()
{
    QFETCH(int, frame);
    QFETCH(Op, op);
    QFETCH(Place, place);
    writeLog();
    if (QTest::currentTestFailed())
        return;
    if (frame < 0)
        frame = int(m_frames.size()) - 1;
    const FrameSpan span = m_frames[size_t(frame)];
    const qint64 payloadBytes = span.end - span.begin - kHeader;
    qint64 at = span.begin;
    switch (place) {
    case Place::Magic: at += 1; break;
    case Place::Length: at += 4; break;
    case Place::Records: at += 8; break;
    case Place::Created: at += 12; break;
    case Place::PayloadCrc: at += 24; break;
    case Place::HeaderCrc: at += 28; break;
    case Place::PayloadStart: at += kHeader; break;
    case Place::PayloadMiddle: at += kHeader + payloadBytes / 2; break;
    case Place::PayloadEnd: at = span.end - 1; break;
    case Place::AcrossBoundary: at = span.end - 20; break;
    }
    QByteArray damaged = m_intact;
    std::vector<bool> lost(m_frames.size(), false);
    lost[size_t(frame)] = true;
    switch (op) {
    case Op::Flip:
        damaged[at] = char(damaged[at] ^ 0x20);
        break;
    case Op::Zero: {
        const qint64 length = place == Place::Magic ? kHeader : 40;
        for (qint64 i = at; i < std::min<qint64>(at + length, damaged.size()); ++i)
            damaged[i] = 0;
        if (place == Place::AcrossBoundary)
            lost[size_t(frame) + 1] = true;
        break;
    }
    case Op::SetLength:
        damaged[at] = char(0xF0);
        damaged[at + 1] = char(0xFF);
        damaged[at + 2] = char(0xFF);
        damaged[at + 3] = char(0x0F);
        break;
    case Op::Truncate:
        // Cut the frame and keep everything after it: a hole, not a tail.
        damaged.remove(at, span.end - at);
        break;
    }
    QVERIFY(damaged != m_intact);
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(damaged), damaged.size());
    }
    const qint64 damageOffset = span.begin;

    // Without the option: no start, a report naming the file, the offset and the option, and
    // nothing changed on disk.
    auto refused = start(false);
    QVERIFY2(!refused.ok(), "the sandbox started on a damaged log");
    const QString message = refused.error().message;
    QCOMPARE(refused.error().code, QStringLiteral("SandboxDataDamaged"));
    QVERIFY2(message.contains(QDir::toNativeSeparators(m_path)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("damaged at byte offset %1 ").arg(damageOffset)), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("--recover-damaged")), qPrintable(message));
    // How many records it says are unreadable: a bound that holds the true count (counted here
    // from what was acknowledged), exact when intact frames of every shard follow the damage.
    qint64 lostRecords = 0;
    for (const auto &[sequence, acked] : m_acked)
        lostRecords += lost[size_t(acked.frame)] ? 1 : 0;
    const QRegularExpression range(QStringLiteral("at least (\\d+) and at most (\\d+) records unreadable"));
    const QRegularExpression exact(QStringLiteral("; (\\d+) records? unreadable"));
    qint64 least = -1;
    qint64 most = -1;
    if (const auto m = range.match(message); m.hasMatch()) {
        least = m.captured(1).toLongLong();
        most = m.captured(2).toLongLong();
    } else if (const auto e = exact.match(message); e.hasMatch()) {
        least = most = e.captured(1).toLongLong();
    }
    QVERIFY2(least >= 0, qPrintable(message));
    QVERIFY2(least <= lostRecords && lostRecords <= most, qPrintable(QStringLiteral("%1 lost; %2").arg(lostRecords).arg(message)));
    if (frame + 2 < int(m_frames.size()))
        QCOMPARE(least, lostRecords);
    stop();
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(file.readAll() == damaged, "the damaged log was changed by a refused start");
    }
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).filter(QStringLiteral(".stream")).size(), 1);

    // With it: the damaged file is kept aside as it was, and the rest is served.
    KWB_VERIFY_OK(start(true));
    const QStringList notes = m_sandbox.server->notes();
    QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("damaged at byte offset %1 ").arg(damageOffset)),
             qPrintable(notes.join(QLatin1Char('\n'))));
    const QStringList aside = QDir(m_dir->path()).entryList({kStream + QStringLiteral(".stream.damaged-*")}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    {
        QFile file(QDir(m_dir->path()).filePath(aside.front()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(file.readAll() == damaged, "the file kept aside is not the damaged log as it was");
    }
    checkServed(lost);
    if (QTest::currentTestFailed())
        return;

    // The fresh log is whole: new records get sequence numbers past every old one (none reused),
    // and the next start is clean without the option.
    auto more = m_sandbox.putRecords(kStream, test::makeRecords(10, QStringLiteral("after-")));
    KWB_VERIFY_OK(more);
    for (const auto &r : more.value().records) {
        QVERIFY(!m_acked.count(r.sequenceNumber));
        QString highest;
        for (const auto &[sequence, acked] : m_acked)
            if (acked.shardId == r.shardId)
                highest = std::max(highest, sequence);
        QVERIFY2(r.sequenceNumber > highest, qPrintable(r.sequenceNumber));
    }
    stop();
    KWB_VERIFY_OK(start(false));
    QVERIFY2(m_sandbox.server->notes().isEmpty(), qPrintable(m_sandbox.server->notes().join(QLatin1Char('\n'))));
    size_t kept = 0;
    for (const auto &[sequence, acked] : m_acked)
        kept += lost[size_t(acked.frame)] ? 0 : 1;
    QCOMPARE(served().size(), kept + 10);
}

void TstSandboxLogDamage::oneFlipAtManyOffsets()
{
    // One byte flipped at offsets spread over the whole log (and at every header field of
    // every frame): each either stops the start with a report naming the damaged frame, or is
    // read around with the option, losing the one frame it hit and nothing else.
    writeLog();
    if (QTest::currentTestFailed())
        return;
    std::vector<qint64> offsets;
    for (const FrameSpan &f : m_frames)
        for (qint64 field : {0, 3, 4, 7, 8, 12, 19, 20, 24, 28, 31})
            offsets.push_back(f.begin + field);
    for (qint64 at = 5; at < m_intact.size(); at += m_intact.size() / 23)
        offsets.push_back(at);
    for (qint64 at : offsets) {
        int frame = 0;
        while (m_frames[size_t(frame)].end <= at)
            ++frame;
        QByteArray damaged = m_intact;
        damaged[at] = char(damaged[at] ^ 0x01);
        {
            QFile file(m_path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(file.write(damaged), damaged.size());
        }
        const QString where = QStringLiteral("flip at %1 (frame %2)").arg(at).arg(frame);
        auto refused = start(false);
        QVERIFY2(!refused.ok(), qPrintable(where));
        QVERIFY2(refused.error().message.contains(QStringLiteral("byte offset %1 ").arg(m_frames[size_t(frame)].begin)),
                 qPrintable(where + QLatin1Char(' ') + refused.error().message));
        stop();
        KWB_VERIFY_OK(start(true));
        std::vector<bool> lost(m_frames.size(), false);
        lost[size_t(frame)] = true;
        checkServed(lost);
        if (QTest::currentTestFailed()) {
            qWarning("%s", qPrintable(where));
            return;
        }
        stop();
        // Back to the intact log for the next offset; the kept-aside copy goes.
        for (const QString &name : QDir(m_dir->path()).entryList({QStringLiteral("*.damaged-*")}, QDir::Files))
            QVERIFY(QFile::remove(QDir(m_dir->path()).filePath(name)));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(m_intact), m_intact.size());
    }
}

void TstSandboxLogDamage::tornTailIsCutWithoutAsking_data()
{
    QTest::addColumn<qint64>("keep"); // bytes of the last frame left (a write that stopped there)
    QTest::newRow("three bytes of the magic") << qint64(3);
    QTest::newRow("half a header") << qint64(16);
    QTest::newRow("the header only") << kHeader;
    QTest::newRow("half the payload") << qint64(-2);
    QTest::newRow("all but one byte") << qint64(-1);
}

void TstSandboxLogDamage::tornTailIsCutWithoutAsking()
{
    QFETCH(qint64, keep);
    writeLog();
    if (QTest::currentTestFailed())
        return;
    const FrameSpan last = m_frames.back();
    if (keep == -2)
        keep = (last.end - last.begin) / 2;
    else if (keep == -1)
        keep = last.end - last.begin - 1;
    QVERIFY(QFile::resize(m_path, last.begin + keep));

    KWB_VERIFY_OK(start(false));
    const QStringList notes = m_sandbox.server->notes();
    QCOMPARE(notes.size(), 1);
    QVERIFY2(notes.front().contains(QStringLiteral("torn tail of %1 bytes at byte offset %2").arg(keep).arg(last.begin)),
             qPrintable(notes.front()));
    std::vector<bool> lost(m_frames.size(), false);
    lost.back() = true; // that write never finished, so it was never acknowledged
    checkServed(lost);
    QCOMPARE(QFileInfo(m_path).size(), last.begin);
    QVERIFY(QDir(m_dir->path()).entryList({QStringLiteral("*.damaged-*")}, QDir::Files).isEmpty());
}

void TstSandboxLogDamage::formatOneLogIsMigrated()
{
    // A log as the previous version wrote it: [length u32][CRC-32 u32][payload] per frame, with
    // the same payloads. Built here byte by byte; it is read, served, and migrated with a note.
    const auto u16 = [](QByteArray &out, quint16 v) { out.append(char(v & 0xff)).append(char(v >> 8)); };
    const auto u32 = [&](QByteArray &out, quint32 v) { u16(out, quint16(v & 0xffff)); u16(out, quint16(v >> 16)); };
    const auto u64 = [&](QByteArray &out, quint64 v) { u32(out, quint32(v)); u32(out, quint32(v >> 32)); };
    const qint64 created = m_clock.now() - 1000;
    QByteArray log;
    const auto frame = [&](const QByteArray &payload) {
        u32(log, quint32(payload.size()));
        u32(log, sandbox::StreamLog::crc32(payload));
        log.append(payload);
    };
    QByteArray header;
    header.append(char(1));
    u64(header, quint64(created));
    u32(header, 1);
    header.append(char(0));
    u16(header, quint16(kStream.size()));
    header.append(kStream.toUtf8());
    frame(header);
    QByteArray records;
    records.append(char(2));
    u32(records, 3);
    for (int i = 0; i < 3; ++i) {
        u32(records, 0);
        u64(records, quint64(1 + i));
        u64(records, quint64(created + 10));
        u16(records, 2);
        u32(records, 5);
        records.append(QStringLiteral("k%1").arg(i).toUtf8()).append(QByteArray("data") + char('0' + i));
    }
    frame(records);
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(log);
    }
    KWB_VERIFY_OK(start(false));
    const QString notes = m_sandbox.server->notes().join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QLatin1String("migrated from log format 1 (3 records)")), qPrintable(notes));
    const auto now = served();
    QCOMPARE(now.size(), size_t(3));
    int i = 0;
    for (const auto &[sequence, record] : now) {
        QCOMPARE(record.first, QStringLiteral("k%1").arg(i));
        QCOMPARE(record.second, QByteArray("data") + char('0' + i));
        ++i;
    }
    const QStringList kept = QDir(m_dir->path()).entryList({kStream + QStringLiteral(".stream.format1-*")}, QDir::Files);
    QCOMPARE(kept.size(), 1);
    QFile old(QDir(m_dir->path()).filePath(kept.front()));
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), log);
    // The new log is format 2, and the next start reads it without a note.
    QFile fresh(m_path);
    QVERIFY(fresh.open(QIODevice::ReadOnly));
    QCOMPARE(fresh.read(4), QByteArray("\xC5KWL", 4));
    fresh.close();
    stop();
    KWB_VERIFY_OK(start(false));
    QVERIFY(m_sandbox.server->notes().isEmpty());
    QCOMPARE(served().size(), size_t(3));
}

void TstSandboxLogDamage::hugeLengthIsNeverAllocated()
{
    // A format-1 log (no header checksum) whose second frame claims 96 MiB, in a sparse file
    // long enough to hold it. While the sandbox reads it, its process may not grow its heap by
    // more than 48 MiB (RLIMIT_DATA): allocating the claimed length would abort the test.
    qint64 secondFrame = 0;
    {
        QByteArray created;
        created.append(char(1));
        for (int i = 0; i < 8; ++i)
            created.append(char(i == 0 ? 0x10 : 0));
        created.append("\x01\x00\x00\x00\x00", 5); // one shard, not on-demand
        created.append(char(kStream.size())).append(char(0)).append(kStream.toUtf8());
        QByteArray log;
        const auto u32 = [&log](quint32 v) {
            for (int i = 0; i < 4; ++i)
                log.append(char((v >> (8 * i)) & 0xff));
        };
        u32(quint32(created.size()));
        u32(sandbox::StreamLog::crc32(created));
        log.append(created);
        secondFrame = log.size();
        u32(96u * 1024 * 1024);
        u32(0x12345678);
        log.append(char(2));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(log), log.size());
        QVERIFY(file.resize(100 * 1024 * 1024)); // sparse: no disk used
    }
    qint64 dataKiB = 0;
    {
        QFile status(QStringLiteral("/proc/self/status"));
        QVERIFY(status.open(QIODevice::ReadOnly));
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("VmData:"))
                dataKiB = line.mid(7).trimmed().split(' ').front().toLongLong();
    }
    QVERIFY(dataKiB > 0);
    struct rlimit before{};
    QCOMPARE(::getrlimit(RLIMIT_DATA, &before), 0);
    struct rlimit bounded = before;
    bounded.rlim_cur = rlim_t(dataKiB + 48 * 1024) * 1024;
    QCOMPARE(::setrlimit(RLIMIT_DATA, &bounded), 0);
    auto refused = start(false);
    ::setrlimit(RLIMIT_DATA, &before);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, QStringLiteral("SandboxDataDamaged"));
    QVERIFY2(refused.error().message.contains(QStringLiteral("damaged at byte offset %1 ").arg(secondFrame)),
             qPrintable(refused.error().message));
}

void TstSandboxLogDamage::unrebuildableLogIsKeptAside()
{
    // A stream with no frame but its first, and that one damaged: nothing says how it was made.
    KWB_VERIFY_OK(start(false));
    KWB_VERIFY_OK(m_sandbox.createStream(kStream, 1));
    KWB_VERIFY_OK(m_sandbox.createStream(QStringLiteral("other"), 1));
    KWB_VERIFY_OK(m_sandbox.putRecords(QStringLiteral("other"), test::makeRecords(5)));
    stop();
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    bytes[40] = char(bytes[40] ^ 0x04);
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    auto refused = start(false);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QLatin1String("no stream can be rebuilt")), qPrintable(refused.error().message));
    stop();
    KWB_VERIFY_OK(start(true));
    const QString notes = m_sandbox.server->notes().join(QLatin1Char('\n'));
    QVERIFY2(notes.contains(QLatin1String("the stream is not loaded")), qPrintable(notes));
    auto names = test::await<QStringList>([&](QObject *ctx, auto done) { m_sandbox.client->listStreams(ctx, done); });
    KWB_VERIFY_OK(names);
    QCOMPARE(names.value(), QStringList{QStringLiteral("other")});
    const QStringList aside = QDir(m_dir->path()).entryList({kStream + QStringLiteral(".stream.damaged-*")}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QFile kept(QDir(m_dir->path()).filePath(aside.front()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), bytes);
    QVERIFY(!QFile::exists(m_path));
}

QTEST_GUILESS_MAIN(TstSandboxLogDamage)
#include "tst_sandbox_log_damage.moc"
