#pragma once

#include "Result.h"
#include "net/KinesisClient.h"
#include "ShardMap.h"
#include "net/KinesisTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

namespace kwb::ui {

/// The stream side of a connection: lists streams, describes the chosen one
/// (DescribeStreamSummary: shard count, max record size, status) and lists its shards
/// (ListShards) into a ShardMap, and creates streams, polling DescribeStreamSummary with a timer
/// until the new stream is ACTIVE. Every call is asynchronous; answers for an older client or
/// stream (a generation token) are dropped. Lives on the GUI thread; does not own the client.
class StreamController : public QObject
{
    Q_OBJECT
public:
    explicit StreamController(QObject *parent = nullptr);

    /// The client to use (nullptr: none); forgets the streams and the chosen stream.
    void setClient(net::KinesisClient *client);
    net::KinesisClient *client() const { return m_client; }

    void refreshStreams();
    QStringList streams() const { return m_streams; }

    /// Describes `stream` and lists its shards; empty deselects.
    void selectStream(const QString &stream);
    QString stream() const { return m_stream; }
    const net::StreamSummary &summary() const { return m_summary; }
    /// Lists the chosen stream's shards again (after resharding).
    void refreshShards();

    /// CreateStream (shardCount 0: on-demand), then polls until ACTIVE or the timeout.
    void createStream(const QString &name, int shardCount);
    bool isCreating() const { return !m_creating.isEmpty(); }
    /// True once the current client's streams have been listed (streams() is their list).
    bool hasListed() const { return m_listed; }

    /// The stream an opened workspace wants: chosen once a list of streams has it (or said
    /// missing, by chooseListed(), once a list does not).
    void setWantedStream(const QString &stream) { m_wanted = stream; }
    QString wantedStream() const { return m_wanted; }
    /// What to choose once streams() is listed: the wanted stream if the list has it, else the
    /// chosen stream if still listed, else `lastUsed` if listed, else on the built-in sandbox
    /// (`sandbox`) its demo stream or the first. Empty: choose nothing. A wanted stream the list
    /// does not have goes to `missing` (and is forgotten).
    QString chooseListed(const QString &lastUsed, bool sandbox, QString *missing = nullptr);
    void cancelCreation();

    /// Test hooks.
    void setPollInterval(int ms) { m_poll.setInterval(ms); }
    void setCreateTimeout(int ms) { m_createTimeoutMs = ms; }

    /// Stream names: 1..128 of a-z A-Z 0-9 _ . - ; an error in words otherwise.
    static Result<void> validateStreamName(const QString &name);

Q_SIGNALS:
    void streamsChanged(const QStringList &streams);
    void streamsFailed(const kwb::Error &error);
    void summaryChanged(const kwb::net::StreamSummary &summary);
    void shardMapChanged(const QString &stream, const kwb::ShardMap &map);
    void streamFailed(const QString &stream, const kwb::Error &error);
    void creationProgress(const QString &name, const QString &status, qint64 elapsedMs);
    void creationFinished(const QString &name);
    void creationFailed(const QString &name, const kwb::Error &error);

private:
    void pollCreation();

    QPointer<net::KinesisClient> m_client;
    quint64 m_generation = 0;
    bool m_listed = false;
    QStringList m_streams;
    QString m_stream;
    QString m_wanted;
    net::StreamSummary m_summary;
    QString m_creating;
    QTimer m_poll;
    QElapsedTimer m_creationClock;
    int m_createTimeoutMs = 5 * 60 * 1000;
    bool m_pollInFlight = false;
};

} // namespace kwb::ui
