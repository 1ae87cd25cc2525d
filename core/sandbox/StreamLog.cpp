#include "sandbox/StreamLog.h"

#include "Logging.h"
#include "sandbox/LogPayloadReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace kwb::sandbox {

namespace {

constexpr std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr std::array<quint32, 256> kCrcTable = makeCrcTable();

void putU16(QByteArray &out, quint16 v)
{
    const char b[2] = {char(v & 0xff), char(v >> 8)};
    out.append(b, 2);
}

void putU32(QByteArray &out, quint32 v)
{
    const char b[4] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char(v >> 24)};
    out.append(b, 4);
}

void putU64(QByteArray &out, quint64 v)
{
    char b[8];
    for (int i = 0; i < 8; ++i)
        b[i] = char((v >> (8 * i)) & 0xff);
    out.append(b, 8);
}

void putString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    putU16(out, quint16(utf8.size()));
    out.append(utf8);
}

Error ioError(const QString &what, const QString &path, int error)
{
    return Error{Error::Kind::Server, QStringLiteral("SandboxStorageError"),
                 QStringLiteral("%1 %2: %3").arg(what, QDir::toNativeSeparators(path), QString::fromLocal8Bit(std::strerror(error))),
                 0};
}

bool writeAll(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

Result<void> syncDirectoryOf(const QString &path)
{
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ioError(QStringLiteral("cannot open the directory of"), path, errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        return ioError(QStringLiteral("cannot sync the directory of"), path, error);
    return {};
}

} // namespace

quint32 StreamLog::crc32(QByteArrayView bytes)
{
    quint32 c = 0xFFFFFFFFu;
    for (char ch : bytes)
        c = kCrcTable[(c ^ quint8(ch)) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

StreamLog::StreamLog(QString path, int fd, qint64 size, const Identity &identity)
    : m_path(std::move(path))
    , m_identity(identity)
    , m_fd(fd)
    , m_size(size)
{
}

StreamLog::~StreamLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::unique_ptr<StreamLog>> StreamLog::create(const QString &path, const Identity &identity,
                                                     QByteArrayView firstFrame)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError(QStringLiteral("cannot create"), path, errno);
    std::unique_ptr<StreamLog> log(new StreamLog(path, fd, 0, identity));
    if (auto written = log->append(firstFrame); !written.ok())
        return written.error();
    if (auto synced = syncDirectoryOf(path); !synced.ok())
        return synced.error();
    return log;
}

Result<std::unique_ptr<StreamLog>> StreamLog::openForAppend(const QString &path, const Identity &identity)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return ioError(QStringLiteral("cannot open"), path, errno);
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size < 0) {
        const int error = errno;
        ::close(fd);
        return ioError(QStringLiteral("cannot seek in"), path, error);
    }
    return std::unique_ptr<StreamLog>(new StreamLog(path, fd, qint64(size), identity));
}

Result<void> StreamLog::append(QByteArrayView payload)
{
    if (m_broken)
        return Error{Error::Kind::Server, QStringLiteral("SandboxStorageError"),
                     QStringLiteral("%1 could not be repaired after a failed write; restart the sandbox")
                         .arg(QDir::toNativeSeparators(m_path)),
                     0};
    m_frame.clear();
    m_frame.reserve(kHeaderBytes + payload.size());
    m_frame.append(encodeHeader(m_identity, payload));
    m_frame.append(payload);
    if (!writeAll(m_fd, m_frame.constData(), m_frame.size()) || ::fdatasync(m_fd) != 0) {
        const int error = errno;
        // No half frame may stay: later frames would follow garbage and be cut off on replay.
        if (::ftruncate(m_fd, off_t(m_size)) != 0 || ::fdatasync(m_fd) != 0) {
            m_broken = true;
            qCWarning(lcSandbox).noquote() << "cannot repair" << m_path << "after a failed write";
        }
        return ioError(QStringLiteral("cannot write to"), m_path, error);
    }
    m_size += m_frame.size();
    return {};
}

QByteArray StreamLog::encodeHeader(const Identity &identity, QByteArrayView payload)
{
    quint32 records = 0;
    if (payload.size() >= 5 && quint8(payload[0]) == quint8(FrameType::Records))
        records = LogPayloadReader(payload.sliced(1, 4)).u32();
    QByteArray header;
    header.reserve(kHeaderBytes);
    header.append(kMagic, sizeof kMagic);
    putU32(header, quint32(payload.size()));
    putU32(header, records);
    putU64(header, quint64(identity.createdMs));
    putU32(header, quint32(identity.initialShards) | (identity.onDemand ? 0x80000000u : 0u));
    putU32(header, crc32(payload));
    putU32(header, crc32(header));
    return header;
}

Result<void> StreamLog::remove(const QString &path)
{
    if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
        return ioError(QStringLiteral("cannot remove"), path, errno);
    return syncDirectoryOf(path);
}

Result<void> StreamLog::replace(const QString &from, const QString &to)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
        return ioError(QStringLiteral("cannot rename %1 to").arg(QDir::toNativeSeparators(from)), to, errno);
    return syncDirectoryOf(to);
}

Result<void> StreamLog::keepAside(const QString &path, const QString &aside)
{
    if (::link(QFile::encodeName(path).constData(), QFile::encodeName(aside).constData()) != 0)
        return ioError(QStringLiteral("cannot keep %1 aside as").arg(QDir::toNativeSeparators(path)), aside, errno);
    return syncDirectoryOf(aside);
}

Result<void> StreamLog::cut(const QString &path, qint64 size)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return ioError(QStringLiteral("cannot open"), path, errno);
    const int rc = ::ftruncate(fd, off_t(size)) == 0 && ::fdatasync(fd) == 0 ? 0 : errno;
    ::close(fd);
    if (rc != 0)
        return ioError(QStringLiteral("cannot cut the torn tail off"), path, rc);
    return {};
}

QByteArray StreamLog::encodeStreamCreated(const QString &name, qint64 createdMs, int shardCount, bool onDemand)
{
    QByteArray out;
    out.append(char(FrameType::StreamCreated));
    putU64(out, quint64(createdMs));
    putU32(out, quint32(shardCount));
    out.append(char(onDemand ? 1 : 0));
    putString(out, name);
    return out;
}

QByteArray StreamLog::encodeReshard(qint64 timeMs, int targetShardCount)
{
    QByteArray out;
    out.append(char(FrameType::Reshard));
    putU64(out, quint64(timeMs));
    putU32(out, quint32(targetShardCount));
    return out;
}

QByteArray StreamLog::encodeShardCursor(int shardIndex, quint64 nextCounter)
{
    QByteArray out;
    out.append(char(FrameType::ShardCursor));
    putU32(out, quint32(shardIndex));
    putU64(out, nextCounter);
    return out;
}

void StreamLog::beginRecords(QByteArray &payload)
{
    payload.clear();
    payload.append(char(FrameType::Records));
    putU32(payload, 0); // the count, patched by finishRecords
}

void StreamLog::addRecord(QByteArray &payload, int shardIndex, quint64 counter, qint64 arrivalMs, QByteArrayView key,
                          QByteArrayView data)
{
    putU32(payload, quint32(shardIndex));
    putU64(payload, counter);
    putU64(payload, quint64(arrivalMs));
    putU16(payload, quint16(key.size()));
    putU32(payload, quint32(data.size()));
    payload.append(key);
    payload.append(data);
}

void StreamLog::finishRecords(QByteArray &payload, quint32 count)
{
    for (int i = 0; i < 4; ++i)
        payload[1 + i] = char((count >> (8 * i)) & 0xff);
}

} // namespace kwb::sandbox
