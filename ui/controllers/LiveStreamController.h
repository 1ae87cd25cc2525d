#pragma once

#include "Result.h"
#include "net/KinesisClient.h"
#include "stream/ReadRecord.h"
#include "stream/StreamReader.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

class QThread;

namespace kwb::ui {

/// What the reading asked of the endpoint so far (every GetRecords call of the run).
struct LiveReadStats
{
    qint64 calls = 0;     ///< GetRecords calls answered or failed
    qint64 throttled = 0; ///< of them, answered ProvisionedThroughputExceededException
};

/// Runs a StreamReader for the live view on a worker thread of its own (with its own KinesisClient for the
/// same endpoint and credentials, so reading never waits for the GUI and its GetRecords calls stay out of the
/// request log), and hands the records to the GUI thread in batches every kBatchIntervalMs. While paused the
/// batches wait (at most `capacity` of the newest records), so nothing read is missed when the view resumes.
/// Lives on the GUI thread.
class LiveStreamController : public QObject
{
    Q_OBJECT
public:
    static constexpr int kBatchIntervalMs = 100;

    explicit LiveStreamController(QObject *parent = nullptr);
    ~LiveStreamController() override;

    /// Stops any reading and starts reading `stream` at `endpoint` as `options` say.
    void start(const net::ClientOptions &endpoint, const QString &stream, const stream::ReaderOptions &options);
    /// Starts a run without a reader: the function returned, callable from any thread (until stop() or the
    /// next start), delivers records as the reader would. For benchmarks and tests.
    std::function<void(const QList<stream::ReadRecord> &)> startFeed();
    /// Stops reading; records read but not handed over yet are dropped.
    void stop();
    bool isRunning() const { return m_running; }
    /// Renewed credentials for the reading's client (temporary ones are renewed before they expire).
    void setCredentials(const aws::Credentials &credentials);
    QString stream() const { return m_stream; }

    /// While paused, read records wait here instead of going to recordsArrived.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Most records kept waiting while paused (the newest stay).
    void setCapacity(qint64 capacity);

    /// Shards being read now, and shards read to their end, by id.
    QStringList shardsReading() const { return m_reading; }
    QStringList shardsFinished() const { return m_finished; }
    LiveReadStats readStats() const;
    /// Hands over the waiting records now (tests; the timer does it every kBatchIntervalMs).
    void flush();

Q_SIGNALS:
    /// A batch of records in arrival order (per shard in sequence order).
    void recordsArrived(const QList<kwb::stream::ReadRecord> &records);
    void shardsChanged();
    void runningChanged(bool running);
    /// Reading stopped on an error (stream gone, access refused, too many failures).
    void failed(const kwb::Error &error);

private:
    /// Where the worker puts records for the GUI thread; one per run.
    struct Inbox
    {
        QMutex mutex;
        std::deque<stream::ReadRecord> records;
        qint64 capacity = 100000;
        LiveReadStats stats;
        bool closed = false;
        void deliver(const QList<stream::ReadRecord> &records);
    };
    void shardStarted(const QString &shardId);
    void shardFinished(const QString &shardId);
    void readerFailed(const Error &error);
    void setRunning(bool running);

    QThread *m_thread = nullptr;
    QPointer<QObject> m_host;              ///< on m_thread; owns the client and the reader
    QPointer<net::KinesisClient> m_client; ///< the reading's client, on m_thread: only posted to
    std::shared_ptr<Inbox> m_inbox;
    LiveReadStats m_lastStats; ///< of the last run, once stopped
    QString m_stream;
    quint64 m_generation = 0; ///< signals of an older run are dropped
    qint64 m_capacity = 100000;
    QTimer m_timer;
    QStringList m_reading;
    QStringList m_finished;
    bool m_running = false;
    bool m_paused = false;
};

} // namespace kwb::ui
