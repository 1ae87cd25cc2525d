// libFuzzer target: the sandbox's HTTP/1.1 request reader (core/sandbox/HttpConnection), fed
// from memory in chunks through a socket that is not connected to anything (FuzzSocket below,
// the whole adapter), so no network and no event loop are involved.
//
// Input: a choice byte (the chunk size), then the bytes a client sends.
#include "FuzzSupport.h"
#include "sandbox/HttpConnection.h"

#include <QTcpSocket>

using namespace kwb::sandbox;

namespace {

/// A QTcpSocket whose incoming bytes come from feed() and whose outgoing bytes are counted and
/// dropped. Unconnected: socket options and disconnects do nothing.
class FuzzSocket : public QTcpSocket
{
public:
    FuzzSocket() { setOpenMode(QIODevice::ReadWrite | QIODevice::Unbuffered); }

    void feed(QByteArrayView chunk)
    {
        m_in.append(chunk);
        Q_EMIT readyRead();
    }
    qint64 written() const { return m_written; }

    qint64 bytesAvailable() const override { return m_in.size() - m_read + QIODevice::bytesAvailable(); }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_in.size() - m_read);
        std::memcpy(data, m_in.constData() + m_read, size_t(n));
        m_read += n;
        if (m_read == m_in.size()) {
            m_in.clear();
            m_read = 0;
        }
        return n;
    }
    qint64 writeData(const char *, qint64 size) override
    {
        m_written += size;
        return size;
    }

private:
    QByteArray m_in;
    qint64 m_read = 0;
    qint64 m_written = 0;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    const QByteArrayView bytes = in.restView();
    const qsizetype chunk = choice == 0 ? std::max<qsizetype>(1, bytes.size()) : qsizetype(choice);

    qsizetype requests = 0;
    qint64 bodyBytes = 0;
    auto *socket = new FuzzSocket;
    auto *connection = new HttpConnection(socket, [&](HttpRequest &request) {
        ++requests;
        KWB_FUZZ_CHECK(!request.method.isEmpty());
        // The body is exactly what Content-Length announced.
        const QByteArray length = request.header("content-length");
        KWB_FUZZ_CHECK(request.body.size() == (length.isNull() ? 0 : length.trimmed().toLongLong()));
        bodyBytes += request.body.size();
        return SandboxAnswer::ok("{}");
    }, nullptr);
    for (qsizetype at = 0; at < bytes.size(); at += chunk)
        socket->feed(bytes.sliced(at, std::min(chunk, bytes.size() - at)));
    KWB_FUZZ_CHECK(bodyBytes <= bytes.size());
    delete connection;
    return 0;
}
