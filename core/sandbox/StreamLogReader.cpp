#include "sandbox/StreamLogReader.h"

#include "sandbox/LogPayloadReader.h"

#include <cstring>

namespace kwb::sandbox {

namespace {

constexpr qint64 kV1HeaderBytes = 8; // format 1: [payload length u32][CRC-32 of the payload u32]
constexpr quint32 kV1MaxPayloadBytes = 256u * 1024 * 1024;

quint32 le32(const char *p)
{
    return quint32(quint8(p[0])) | quint32(quint8(p[1])) << 8 | quint32(quint8(p[2])) << 16
        | quint32(quint8(p[3])) << 24;
}

quint64 le64(const char *p)
{
    return quint64(le32(p)) | quint64(le32(p + 4)) << 32;
}

bool knownType(char type)
{
    return quint8(type) >= quint8(StreamLog::FrameType::StreamCreated)
        && quint8(type) <= quint8(StreamLog::FrameType::ShardCursor);
}

/// What is at one offset: a header that checks out (or not), and whether a whole intact frame
/// follows it.
struct Candidate
{
    bool headerOk = false;
    bool complete = false;
    qint64 frameBytes = 0; ///< header and payload, as the header says
    quint32 records = 0;
    StreamLog::Identity identity;
    QByteArrayView payload;
};

class Scanner
{
public:
    Scanner(QByteArrayView data, const StreamLogReader::Visitor &visit)
        : m_data(data)
        , m_size(data.size())
        , m_visit(visit)
        , m_budget(8 * m_size + 64 * 1024 * 1024)
    {
    }

    LogScan run();

private:
    Candidate at(qint64 p) const { return m_scan.format == 1 ? v1At(p) : v2At(p); }
    Candidate v2At(qint64 p) const;
    Candidate v1At(qint64 p) const;
    /// The first offset from `from` on where an intact frame starts; -1: none (or out of budget).
    qint64 nextFrame(qint64 from);
    qint64 nextV2(qint64 from);
    qint64 nextV1(qint64 from);
    /// Whether the bytes from `p` to the end are what an unfinished append leaves behind.
    bool tornShape(qint64 p) const;
    /// Records named by intact headers between `from` and `to` (format 2): a lower bound.
    qint64 recordsInHeaders(qint64 from, qint64 to) const;
    void addDamage(qint64 offset, qint64 bytes, QString what, qint64 lost);
    int detectFormat();

    QByteArrayView m_data;
    qint64 m_size;
    const StreamLogReader::Visitor &m_visit;
    qint64 m_budget; ///< bytes the resynchronisation may still check
    LogScan m_scan;
};

Candidate Scanner::v2At(qint64 p) const
{
    Candidate c;
    const qint64 rem = m_size - p;
    if (rem < StreamLog::kHeaderBytes)
        return c;
    const char *h = m_data.data() + p;
    if (std::memcmp(h, StreamLog::kMagic, sizeof StreamLog::kMagic) != 0
        || StreamLog::crc32(QByteArrayView(h, 28)) != le32(h + 28))
        return c;
    const quint32 length = le32(h + 4);
    c.records = le32(h + 8);
    c.identity.createdMs = qint64(le64(h + 12));
    const quint32 shards = le32(h + 20);
    c.identity.initialShards = int(shards & 0x7fffffffu);
    c.identity.onDemand = (shards & 0x80000000u) != 0;
    if (length == 0 || length > StreamLog::kMaxPayloadBytes || (m_scan.identity && *m_scan.identity != c.identity))
        return c;
    c.headerOk = true;
    c.frameBytes = StreamLog::kHeaderBytes + qint64(length);
    if (c.frameBytes > rem)
        return c;
    c.payload = QByteArrayView(h + StreamLog::kHeaderBytes, qsizetype(length));
    if (StreamLog::crc32(c.payload) != le32(h + 24) || !knownType(c.payload[0]))
        return c;
    const bool isRecords = quint8(c.payload[0]) == quint8(StreamLog::FrameType::Records);
    if (isRecords ? (length < 5 || le32(c.payload.data() + 1) != c.records) : c.records != 0)
        return c;
    c.complete = true;
    return c;
}

Candidate Scanner::v1At(qint64 p) const
{
    Candidate c;
    const qint64 rem = m_size - p;
    if (rem < kV1HeaderBytes)
        return c;
    const char *h = m_data.data() + p;
    const quint32 length = le32(h);
    if (length == 0 || length > kV1MaxPayloadBytes)
        return c;
    c.headerOk = true;
    c.frameBytes = kV1HeaderBytes + qint64(length);
    if (c.frameBytes > rem)
        return c;
    c.payload = QByteArrayView(h + kV1HeaderBytes, qsizetype(length));
    if (!knownType(c.payload[0]) || StreamLog::crc32(c.payload) != le32(h + 4))
        return c;
    if (quint8(c.payload[0]) == quint8(StreamLog::FrameType::Records)) {
        if (length < 5)
            return c;
        c.records = le32(c.payload.data() + 1);
    }
    c.complete = true;
    return c;
}

qint64 Scanner::nextFrame(qint64 from)
{
    return m_scan.format == 1 ? nextV1(from) : nextV2(from);
}

qint64 Scanner::nextV2(qint64 from)
{
    const char *base = m_data.data();
    for (qint64 p = from; p + StreamLog::kHeaderBytes <= m_size;) {
        const void *hit = ::memmem(base + p, size_t(m_size - p), StreamLog::kMagic, sizeof StreamLog::kMagic);
        if (!hit)
            return -1;
        p = static_cast<const char *>(hit) - base;
        const Candidate c = v2At(p);
        if (c.headerOk) {
            m_budget -= c.frameBytes;
            if (m_budget < 0) {
                m_scan.resyncGaveUp = true;
                return -1;
            }
        }
        if (c.complete)
            return p;
        ++p;
    }
    return -1;
}

qint64 Scanner::nextV1(qint64 from)
{
    // Format 1 has nothing to look for but a plausible length, a known type and a checksum that
    // matches; the checksums tried are paid for from the budget.
    const char *base = m_data.data();
    for (qint64 p = from; p + kV1HeaderBytes < m_size; ++p) {
        const quint32 length = le32(base + p);
        if (length == 0 || qint64(length) > m_size - p - kV1HeaderBytes || !knownType(base[p + kV1HeaderBytes]))
            continue;
        m_budget -= length;
        if (m_budget < 0) {
            m_scan.resyncGaveUp = true;
            return -1;
        }
        if (v1At(p).complete)
            return p;
    }
    return -1;
}

bool Scanner::tornShape(qint64 p) const
{
    const qint64 rem = m_size - p;
    if (m_scan.format == 1) {
        if (rem < kV1HeaderBytes)
            return true;
        const Candidate c = v1At(p);
        return c.headerOk && c.frameBytes > rem;
    }
    if (rem < StreamLog::kHeaderBytes)
        return std::memcmp(m_data.data() + p, StreamLog::kMagic, size_t(std::min<qint64>(rem, sizeof StreamLog::kMagic))) == 0;
    const Candidate c = v2At(p);
    return c.headerOk && c.frameBytes > rem;
}

qint64 Scanner::recordsInHeaders(qint64 from, qint64 to) const
{
    if (m_scan.format != 2)
        return 0;
    qint64 records = 0;
    const char *base = m_data.data();
    for (qint64 p = from; p < to;) {
        const void *hit = ::memmem(base + p, size_t(to - p), StreamLog::kMagic, sizeof StreamLog::kMagic);
        if (!hit)
            break;
        p = static_cast<const char *>(hit) - base;
        const Candidate c = v2At(p);
        if (c.headerOk) {
            records += c.records;
            p += c.frameBytes;
        } else {
            ++p;
        }
    }
    return records;
}

void Scanner::addDamage(qint64 offset, qint64 bytes, QString what, qint64 lost)
{
    // Frames the visitor turns down one after another (say, all of them) make one stretch.
    if (!m_scan.damage.empty()) {
        LogDamage &last = m_scan.damage.back();
        if (last.offset + last.bytes == offset && last.what == what) {
            last.bytes += bytes;
            last.recordsLost += lost;
            last.recordsAtMost = std::max(last.recordsLost, last.bytes / StreamLogReader::kMinRecordBytes);
            return;
        }
    }
    m_scan.damage.push_back(LogDamage{offset, bytes, std::move(what), lost,
                                      std::max(lost, bytes / StreamLogReader::kMinRecordBytes)});
}

int Scanner::detectFormat()
{
    if (m_size == 0)
        return 2;
    if (std::memcmp(m_data.data(), StreamLog::kMagic, size_t(std::min<qint64>(m_size, sizeof StreamLog::kMagic))) == 0)
        return 2;
    m_scan.format = 1;
    if (m_size < kV1HeaderBytes || v1At(0).complete)
        return 1;
    // The first frame is damaged: the format whose frames turn up later wins.
    m_scan.format = 2;
    if (nextV2(1) >= 0)
        return 2;
    m_scan.format = 1;
    if (nextV1(1) >= 0)
        return 1;
    return 0;
}

LogScan Scanner::run()
{
    m_scan.size = m_size;
    m_scan.format = detectFormat();
    if (m_scan.format == 0) {
        addDamage(0, m_size, QStringLiteral("no frame of a stream log found"), 0);
        return m_scan;
    }
    for (qint64 p = 0; p < m_size;) {
        const Candidate c = at(p);
        if (c.complete) {
            if (m_scan.format == 2 && !m_scan.identity)
                m_scan.identity = c.identity;
            LogFrame frame{StreamLog::FrameType(quint8(c.payload[0])), c.payload, p, c.records,
                           m_scan.format == 2 ? &*m_scan.identity : nullptr, int(m_scan.damage.size()) - 1};
            if (m_visit && !m_visit(frame)) {
                addDamage(p, c.frameBytes, QStringLiteral("a frame whose content does not fit the stream"), c.records);
            } else {
                ++m_scan.frames;
                m_scan.records += c.records;
            }
            p += c.frameBytes;
            continue;
        }
        const qint64 next = nextFrame(p + 1);
        if (next < 0 && !m_scan.resyncGaveUp && tornShape(p)) {
            m_scan.tornOffset = p;
            break;
        }
        const qint64 end = next < 0 ? m_size : next;
        QString what;
        if (!c.headerOk)
            what = m_scan.format == 2 ? QStringLiteral("no intact frame header") : QStringLiteral("no plausible frame length");
        else if (c.frameBytes > m_size - p)
            what = QStringLiteral("a frame longer than the rest of the file, with intact frames after it");
        else
            what = QStringLiteral("a frame whose checksum does not match");
        if (m_scan.resyncGaveUp)
            what += QStringLiteral(" (the search for later frames stopped at its work limit)");
        addDamage(p, end - p, what, recordsInHeaders(p, end));
        p = end;
    }
    return m_scan;
}

} // namespace

LogScan StreamLogReader::scan(QByteArrayView log, const Visitor &visit)
{
    return Scanner(log, visit).run();
}

} // namespace kwb::sandbox
