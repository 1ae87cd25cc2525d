#include "controllers/LiveStreamController.h"

#include <QThread>

namespace kwb::ui {

LiveStreamController::LiveStreamController(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(kBatchIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveStreamController::flush);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("kwb-live-reader"));
}

LiveStreamController::~LiveStreamController()
{
    stop();
    // The host's deferred deletion runs as the thread finishes.
    m_thread->quit();
    m_thread->wait();
}

void LiveStreamController::start(const net::ClientOptions &endpoint, const QString &stream, const stream::ReaderOptions &options)
{
    stop();
    if (!m_thread->isRunning())
        m_thread->start();
    m_stream = stream;
    m_reading.clear();
    m_finished.clear();
    const quint64 generation = ++m_generation;
    m_inbox = std::make_shared<Inbox>();
    m_lastStats = {};
    m_inbox->capacity = m_capacity;

    stream::ReaderOptions readerOptions = options;
    // The model keeps the records; the reader needs no ring of its own.
    readerOptions.ringCapacity = 1;
    // Built here, then moved (with its children) to the worker thread before any call is made.
    auto *host = new QObject;
    auto *client = new net::KinesisClient(endpoint, host);
    auto *reader = new stream::StreamReader(client, stream, readerOptions, host);
    connect(
        reader, &stream::StreamReader::recordsRead, reader,
        [inbox = m_inbox](const QList<stream::ReadRecord> &records) { inbox->deliver(records); }, Qt::DirectConnection);
    connect(
        client, &net::KinesisClient::requestFinished, client,
        [inbox = m_inbox](const net::RequestLogEntry &entry) {
            if (entry.operation != QLatin1String("GetRecords"))
                return;
            QMutexLocker lock(&inbox->mutex);
            ++inbox->stats.calls;
            inbox->stats.throttled += entry.errorCode == QLatin1String("ProvisionedThroughputExceededException");
        },
        Qt::DirectConnection);
    connect(reader, &stream::StreamReader::shardStarted, this, [this, generation](const QString &id) {
        if (generation == m_generation)
            shardStarted(id);
    });
    connect(reader, &stream::StreamReader::shardFinished, this, [this, generation](const QString &id) {
        if (generation == m_generation)
            shardFinished(id);
    });
    connect(reader, &stream::StreamReader::failed, this, [this, generation](const Error &error) {
        if (generation == m_generation)
            readerFailed(error);
    });
    host->moveToThread(m_thread);
    m_host = host;
    m_client = client;
    QMetaObject::invokeMethod(reader, &stream::StreamReader::start);
    m_timer.start();
    setRunning(true);
    Q_EMIT shardsChanged();
}

void LiveStreamController::Inbox::deliver(const QList<stream::ReadRecord> &delivered)
{
    QMutexLocker lock(&mutex);
    if (closed)
        return;
    for (const stream::ReadRecord &r : delivered)
        records.push_back(r);
    while (qint64(records.size()) > capacity)
        records.pop_front();
}

std::function<void(const QList<stream::ReadRecord> &)> LiveStreamController::startFeed()
{
    stop();
    ++m_generation;
    m_stream.clear();
    m_reading.clear();
    m_finished.clear();
    m_inbox = std::make_shared<Inbox>();
    m_inbox->capacity = m_capacity;
    m_lastStats = {};
    m_timer.start();
    setRunning(true);
    return [inbox = m_inbox](const QList<stream::ReadRecord> &records) { inbox->deliver(records); };
}

void LiveStreamController::stop()
{
    ++m_generation;
    if (m_inbox) {
        QMutexLocker lock(&m_inbox->mutex);
        m_lastStats = m_inbox->stats;
        m_inbox->closed = true;
        m_inbox->records.clear();
    }
    m_inbox.reset();
    // Deleted on its own thread: the reader's calls in flight are aborted there.
    m_client = nullptr;
    if (m_host)
        m_host->deleteLater();
    m_host = nullptr;
    m_timer.stop();
    setRunning(false);
}

void LiveStreamController::setCredentials(const aws::Credentials &credentials)
{
    // The client is deleted only by its host's deferred deletion, which stop() posts after clearing m_client:
    // while set here, the call lands before that.
    if (m_client)
        QMetaObject::invokeMethod(m_client.data(),
                                  [client = m_client.data(), credentials] { client->setCredentials(credentials); });
}

void LiveStreamController::setCapacity(qint64 capacity)
{
    m_capacity = std::max<qint64>(1, capacity);
    if (m_inbox) {
        QMutexLocker lock(&m_inbox->mutex);
        m_inbox->capacity = m_capacity;
    }
}

LiveReadStats LiveStreamController::readStats() const
{
    if (!m_inbox)
        return m_lastStats;
    QMutexLocker lock(&m_inbox->mutex);
    return m_inbox->stats;
}

void LiveStreamController::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        flush();
}

void LiveStreamController::flush()
{
    if (m_paused || !m_inbox)
        return;
    QList<stream::ReadRecord> batch;
    {
        QMutexLocker lock(&m_inbox->mutex);
        if (m_inbox->records.empty())
            return;
        batch.reserve(qsizetype(m_inbox->records.size()));
        for (stream::ReadRecord &r : m_inbox->records)
            batch.push_back(std::move(r));
        m_inbox->records.clear();
    }
    Q_EMIT recordsArrived(batch);
}

void LiveStreamController::shardStarted(const QString &shardId)
{
    if (!m_reading.contains(shardId))
        m_reading.append(shardId);
    Q_EMIT shardsChanged();
}

void LiveStreamController::shardFinished(const QString &shardId)
{
    m_reading.removeAll(shardId);
    if (!m_finished.contains(shardId))
        m_finished.append(shardId);
    Q_EMIT shardsChanged();
}

void LiveStreamController::readerFailed(const Error &error)
{
    flush();
    stop();
    Q_EMIT failed(error);
}

void LiveStreamController::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

} // namespace kwb::ui
