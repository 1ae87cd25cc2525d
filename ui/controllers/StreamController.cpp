#include "controllers/StreamController.h"

#include "net/KinesisClient.h"

#include <QRegularExpression>

namespace kwb::ui {

StreamController::StreamController(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &StreamController::pollCreation);
}

void StreamController::setClient(net::KinesisClient *client)
{
    ++m_generation;
    m_client = client;
    m_listed = false;
    m_streams.clear();
    m_stream.clear();
    m_summary = {};
    m_poll.stop();
    m_creating.clear();
    Q_EMIT streamsChanged(m_streams);
}

Result<void> StreamController::validateStreamName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z0-9_.-]{1,128}$"));
    if (name.isEmpty())
        return Error::input(tr("Enter a stream name."));
    if (name.size() > 128)
        return Error::input(tr("A stream name has at most 128 characters (this one has %1).").arg(name.size()));
    if (!valid.match(name).hasMatch())
        return Error::input(tr("A stream name may use only letters, digits, '_', '.' and '-'."));
    return {};
}

QString StreamController::chooseListed(const QString &lastUsed, bool sandbox, QString *missing)
{
    QString keep = m_streams.contains(m_stream) ? m_stream : (m_streams.contains(lastUsed) ? lastUsed : QString());
    // The list of a new connection, not the empty one a client change starts with.
    if (m_listed && !m_wanted.isEmpty()) {
        const QString wanted = std::exchange(m_wanted, QString());
        if (m_streams.contains(wanted))
            keep = wanted;
        else if (missing)
            *missing = wanted;
    }
    // The built-in sandbox starts with a demo stream: ready to send to on the first run.
    if (keep.isEmpty() && sandbox && !m_streams.isEmpty())
        keep = m_streams.contains(QStringLiteral("demo")) ? QStringLiteral("demo") : m_streams.first();
    return keep;
}

void StreamController::refreshStreams()
{
    if (!m_client)
        return;
    const quint64 generation = m_generation;
    m_client->listStreams(this, [this, generation](Result<QStringList> r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            Q_EMIT streamsFailed(r.error());
            return;
        }
        m_streams = r.value();
        m_streams.sort();
        m_listed = true;
        Q_EMIT streamsChanged(m_streams);
    });
}

void StreamController::selectStream(const QString &stream)
{
    const quint64 generation = ++m_generation;
    m_stream = stream;
    m_summary = {};
    if (stream.isEmpty() || !m_client) {
        Q_EMIT shardMapChanged(QString(), ShardMap());
        return;
    }
    m_client->describeStreamSummary(stream, this, [this, generation, stream](Result<net::StreamSummary> r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            Q_EMIT streamFailed(stream, r.error());
            return;
        }
        m_summary = r.value();
        Q_EMIT summaryChanged(m_summary);
    });
    refreshShards();
}

void StreamController::refreshShards()
{
    if (m_stream.isEmpty() || !m_client)
        return;
    const quint64 generation = m_generation;
    const QString stream = m_stream;
    m_client->listShards(stream, this, [this, generation, stream](Result<std::vector<Shard>> r) {
        if (generation != m_generation)
            return;
        if (!r.ok()) {
            Q_EMIT streamFailed(stream, r.error());
            return;
        }
        auto map = ShardMap::fromShards(std::move(r.value()));
        if (!map.ok()) {
            Q_EMIT streamFailed(stream, map.error());
            return;
        }
        Q_EMIT shardMapChanged(stream, map.value());
    });
}

void StreamController::createStream(const QString &name, int shardCount)
{
    if (!m_client)
        return;
    if (auto valid = validateStreamName(name); !valid.ok()) {
        Q_EMIT creationFailed(name, valid.error());
        return;
    }
    const quint64 generation = m_generation;
    m_creating = name;
    m_creationClock.start();
    Q_EMIT creationProgress(name, tr("requested"), 0);
    m_client->createStream(name, shardCount, this, [this, generation, name](Result<void> r) {
        if (generation != m_generation || m_creating != name)
            return;
        if (!r.ok()) {
            m_creating.clear();
            Q_EMIT creationFailed(name, r.error());
            return;
        }
        m_pollInFlight = false;
        m_poll.start();
        pollCreation();
    });
}

void StreamController::cancelCreation()
{
    m_poll.stop();
    m_creating.clear();
}

void StreamController::pollCreation()
{
    if (m_creating.isEmpty() || !m_client) {
        m_poll.stop();
        return;
    }
    if (m_creationClock.elapsed() > m_createTimeoutMs) {
        const QString name = m_creating;
        cancelCreation();
        Q_EMIT creationFailed(name, Error{Error::Kind::Timeout, QStringLiteral("CreateTimeout"),
                                          tr("%1 was not ACTIVE after %2 s").arg(name).arg(m_createTimeoutMs / 1000), 0});
        return;
    }
    if (m_pollInFlight)
        return;
    m_pollInFlight = true;
    const quint64 generation = m_generation;
    const QString name = m_creating;
    m_client->describeStreamSummary(name, this, [this, generation, name](Result<net::StreamSummary> r) {
        m_pollInFlight = false;
        if (generation != m_generation || m_creating != name)
            return;
        if (!r.ok()) {
            // Just after CreateStream some endpoints do not know the stream yet.
            if (r.error().kind == Error::Kind::NotFound || r.error().retriable())
                return;
            cancelCreation();
            Q_EMIT creationFailed(name, r.error());
            return;
        }
        Q_EMIT creationProgress(name, r.value().status, m_creationClock.elapsed());
        if (r.value().status == QLatin1String("ACTIVE")) {
            cancelCreation();
            Q_EMIT creationFinished(name);
        }
    });
}

} // namespace kwb::ui
