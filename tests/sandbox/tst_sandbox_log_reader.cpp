// The stream log's bytes on their own: the frame header is laid out as docs/sandbox-data-dir.md
// says, CRC-32 matches its published check value, what StreamLog writes StreamLogReader reads
// back frame by frame, and the reader finds the frame after damage again in both formats.
#include "TestSupport.h"
#include "sandbox/StreamLog.h"
#include "sandbox/SandboxPersistence.h"
#include "sandbox/SandboxStream.h"
#include "sandbox/StreamLogReader.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace kwb;
using namespace kwb::sandbox;

namespace {

void le(QByteArray &out, quint64 v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

/// A format-1 frame as the previous version wrote it: [length u32][CRC-32 u32][payload].
QByteArray v1Frame(const QByteArray &payload)
{
    QByteArray out;
    le(out, quint64(payload.size()), 4);
    le(out, StreamLog::crc32(payload), 4);
    return out + payload;
}

QByteArray recordsPayload(quint64 firstCounter, int count)
{
    QByteArray payload;
    StreamLog::beginRecords(payload);
    for (int i = 0; i < count; ++i)
        StreamLog::addRecord(payload, 0, firstCounter + quint64(i), 1000, "key", QByteArray(30, 'd'));
    StreamLog::finishRecords(payload, quint32(count));
    return payload;
}

} // namespace

class TstSandboxLogReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crcCheckValue();
    void headerLayout();
    void writtenLogReadsBack();
    void formatOneIsFoundAgainAfterDamage();
    void foreignFramesAreNotTaken();
    void randomDamageNeverMakesUpRecords();
};

void TstSandboxLogReader::crcCheckValue()
{
    // The check value of CRC-32/ISO-HDLC (the zlib/PNG CRC) from the CRC catalogue.
    QCOMPARE(StreamLog::crc32("123456789"), quint32(0xCBF43926));
}

void TstSandboxLogReader::headerLayout()
{
    const StreamLog::Identity identity{0x0102030405060708, 3, true};
    const QByteArray payload = recordsPayload(7, 2);
    QByteArray expected("\xC5KWL", 4);
    le(expected, quint64(payload.size()), 4);
    le(expected, 2, 4);                   // records
    le(expected, 0x0102030405060708, 8);  // the stream's creation time
    le(expected, 0x80000003u, 4);         // three shards, on-demand
    le(expected, StreamLog::crc32(payload), 4);
    le(expected, StreamLog::crc32(expected), 4);
    QCOMPARE(StreamLog::encodeHeader(identity, payload).toHex(), expected.toHex());
}

void TstSandboxLogReader::writtenLogReadsBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.stream"));
    const StreamLog::Identity identity{5, 2, false};
    {
        auto log = StreamLog::create(path, identity, StreamLog::encodeStreamCreated(QStringLiteral("s"), 5, 2, false));
        KWB_VERIFY_OK(log);
        KWB_VERIFY_OK(log.value()->append(recordsPayload(1, 3)));
        KWB_VERIFY_OK(log.value()->append(StreamLog::encodeReshard(200, 4)));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QList<int> types;
    QList<quint32> records;
    const LogScan scan = StreamLogReader::scan(bytes, [&](const LogFrame &frame) {
        types.append(int(frame.type));
        records.append(frame.records);
        return frame.identity && *frame.identity == identity;
    });
    QCOMPARE(types, (QList<int>{1, 2, 3}));
    QCOMPARE(records, (QList<quint32>{0, 3, 0}));
    QCOMPARE(scan.format, 2);
    QCOMPARE(scan.frames, qint64(3));
    QCOMPARE(scan.records, qint64(3));
    QVERIFY(!scan.damaged());
    QCOMPARE(scan.tornOffset, qint64(-1));

    // A frame the visitor turns down is damage, and the frames after it are still read.
    types.clear();
    const LogScan refused = StreamLogReader::scan(bytes, [&](const LogFrame &frame) {
        types.append(int(frame.type));
        return frame.type != StreamLog::FrameType::Records;
    });
    QCOMPARE(types, (QList<int>{1, 2, 3}));
    QCOMPARE(refused.damage.size(), size_t(1));
    QCOMPARE(refused.damage[0].recordsLost, qint64(3));
    QCOMPARE(refused.frames, qint64(2));
}

void TstSandboxLogReader::formatOneIsFoundAgainAfterDamage()
{
    const QByteArray first = v1Frame(StreamLog::encodeStreamCreated(QStringLiteral("s"), 5, 1, false));
    const QByteArray a = v1Frame(recordsPayload(1, 4));
    const QByteArray b = v1Frame(recordsPayload(5, 4));
    const QByteArray c = v1Frame(recordsPayload(9, 4));
    QByteArray log = first + a + b + c;
    const qint64 damagedAt = first.size() + a.size();
    log[damagedAt + 2] = char(0x7f); // b's length now runs past the end of the file
    QList<qint64> offsets;
    const LogScan scan = StreamLogReader::scan(log, [&](const LogFrame &frame) {
        offsets.append(frame.offset);
        return true;
    });
    QCOMPARE(scan.format, 1);
    QCOMPARE(offsets, (QList<qint64>{0, first.size(), damagedAt + b.size()}));
    QCOMPARE(scan.damage.size(), size_t(1));
    QCOMPARE(scan.damage[0].offset, damagedAt);
    QCOMPARE(scan.damage[0].bytes, qint64(b.size()));
    QCOMPARE(scan.tornOffset, qint64(-1));

    // The same length in the last frame, with nothing after it, is what an unfinished write
    // of format 1 looks like: a torn tail.
    QByteArray torn = first + a + b;
    torn.chop(5);
    const LogScan tail = StreamLogReader::scan(torn);
    QVERIFY(!tail.damaged());
    QCOMPARE(tail.tornOffset, qint64(first.size() + a.size()));
}

void TstSandboxLogReader::foreignFramesAreNotTaken()
{
    // A record whose data is a frame of another stream's log (say, a log put as a record) is
    // not taken for a frame of this one when the reader looks for frames after damage.
    const StreamLog::Identity mine{5, 1, false};
    const StreamLog::Identity other{6, 1, false};
    const QByteArray foreignPayload = recordsPayload(1, 1);
    const QByteArray foreign = StreamLog::encodeHeader(other, foreignPayload) + foreignPayload;
    QByteArray carrier;
    StreamLog::beginRecords(carrier);
    StreamLog::addRecord(carrier, 0, 1, 1000, "key", foreign);
    StreamLog::finishRecords(carrier, 1);
    const QByteArray created = StreamLog::encodeStreamCreated(QStringLiteral("s"), 5, 1, false);
    QByteArray log = StreamLog::encodeHeader(mine, created) + created;
    const qint64 carrierAt = log.size();
    log += StreamLog::encodeHeader(mine, carrier) + carrier;
    const QByteArray last = recordsPayload(2, 1);
    log += StreamLog::encodeHeader(mine, last) + last;
    log[carrierAt + 1] = 'x'; // the carrier's magic
    QList<qint64> offsets;
    const LogScan scan = StreamLogReader::scan(log, [&](const LogFrame &frame) {
        offsets.append(frame.offset);
        return true;
    });
    QCOMPARE(offsets, (QList<qint64>{0, log.size() - StreamLog::kHeaderBytes - last.size()}));
    QCOMPARE(scan.damage.size(), size_t(1));
    QCOMPARE(scan.damage[0].offset, carrierAt);
}

void TstSandboxLogReader::randomDamageNeverMakesUpRecords()
{
    // 3,000 logs damaged at random (bytes flipped, zeroed, inserted, removed, the end cut), each
    // read into a stream: the report stays inside the file and in order, and every record the
    // stream holds is one that was written, under its own shard and counter.
    const StreamLog::Identity identity{1764100000000, 2, false};
    const QByteArray created = StreamLog::encodeStreamCreated(QStringLiteral("r"), identity.createdMs, 2, false);
    QByteArray log = StreamLog::encodeHeader(identity, created) + created;
    std::map<std::pair<int, quint64>, QByteArray> written; // (shard, counter) -> key + data
    quint64 counters[2] = {1, 1};
    for (int f = 0; f < 12; ++f) {
        QByteArray payload;
        StreamLog::beginRecords(payload);
        for (int i = 0; i < 10; ++i) {
            const int shard = (f + i) % 2;
            const QByteArray key = QByteArray("key-") + QByteArray::number(f * 10 + i);
            const QByteArray data = QByteArray(20 + (f * 7 + i) % 50, char('a' + i));
            written[{shard, counters[shard]}] = key + data;
            StreamLog::addRecord(payload, shard, counters[shard]++, identity.createdMs + f, key, data);
        }
        StreamLog::finishRecords(payload, 10);
        log += StreamLog::encodeHeader(identity, payload) + payload;
    }
    QRandomGenerator random(18);
    for (int round = 0; round < 3000; ++round) {
        QByteArray damaged = log;
        const int changes = 1 + int(random.bounded(4));
        for (int c = 0; c < changes && !damaged.isEmpty(); ++c) {
            const qsizetype at = qsizetype(random.bounded(quint32(damaged.size())));
            switch (random.bounded(5)) {
            case 0: damaged[at] = char(damaged[at] ^ (1 << random.bounded(8))); break;
            case 1: damaged.replace(at, std::min<qsizetype>(random.bounded(64), damaged.size() - at), QByteArray()); break;
            case 2: damaged.insert(at, QByteArray(int(1 + random.bounded(40)), char(random.bounded(256)))); break;
            case 3:
                for (qsizetype i = at; i < std::min<qsizetype>(at + 48, damaged.size()); ++i)
                    damaged[i] = 0;
                break;
            default: damaged.truncate(at); break;
            }
        }
        const auto read = SandboxPersistence::parse(damaged, QStringLiteral("r"), identity.createdMs + 100,
                                                    qint64(24) * 3600 * 1000, qint64(1) << 30);
        const QString where = QStringLiteral("round %1").arg(round);
        qint64 end = 0;
        for (const LogDamage &d : read.scan.damage) {
            QVERIFY2(d.offset >= end && d.bytes > 0 && d.offset + d.bytes <= damaged.size(), qPrintable(where));
            QVERIFY2(d.recordsLost <= d.recordsAtMost, qPrintable(where));
            end = d.offset + d.bytes;
        }
        QVERIFY2(read.scan.tornOffset >= -1 && read.scan.tornOffset <= damaged.size(), qPrintable(where));
        if (!read.stream)
            continue;
        for (int shard = 0; shard < read.stream->shardCount(); ++shard) {
            const ShardStore &records = read.stream->shard(shard).records;
            for (qsizetype r = 0; r < records.size(); ++r) {
                const auto it = written.find({shard, records.entry(r).counter});
                QVERIFY2(it != written.end(), qPrintable(where + QStringLiteral(": a record nobody wrote")));
                QCOMPARE(records.key(r).toByteArray() + records.data(r).toByteArray(), it->second);
            }
        }
    }
}

QTEST_GUILESS_MAIN(TstSandboxLogReader)
#include "tst_sandbox_log_reader.moc"
