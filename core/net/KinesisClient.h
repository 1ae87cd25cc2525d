#pragma once

#include "KinesisTypes.h"
#include "PlainHttpClient.h"
#include "Result.h"
#include "aws/Credentials.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <optional>
#include <span>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace kwb::net {

/// How to reach one Kinesis endpoint.
struct ClientOptions
{
    QUrl endpoint;              ///< http(s)://host[:port]; TLS is always verified for https
    QString region = QStringLiteral("us-east-1");
    aws::Credentials credentials;
    int connectTimeoutMs = 10000;  ///< until the request is on the wire
    int transferTimeoutMs = 30000; ///< longest silence while sending or receiving
    QString userAgent;             ///< defaults to "kinesis-workbench/<version>"
};

/// Per-shard limits an endpoint advertises about itself: the built-in sandbox sends its current
/// ones in an `x-kwb-shard-limits` header ("records=1000; bytes=1048576; reads=5;
/// read-bytes=2097152", or "off"). The read limits are 0 when the header does not name them.
struct AdvertisedLimits
{
    bool enabled = true;
    double recordsPerSecond = 0;
    double bytesPerSecond = 0;
    double readsPerSecond = 0;
    double readBytesPerSecond = 0;
    bool operator==(const AdvertisedLimits &) const = default;

    /// The header's value; nothing when it does not parse.
    static std::optional<AdvertisedLimits> parse(QByteArrayView header);
};

/// One logical call in flight (several HTTP requests for paginated calls). Owned by the client;
/// deletes itself after its callback ran. `abort()` ends it with a Cancelled error.
class KinesisCall : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    void abort();
    bool isFinished() const { return m_finished; }

private:
    friend class KinesisClient;
    QPointer<QNetworkReply> m_reply;
    QPointer<PlainHttpExchange> m_exchange;
    bool m_finished = false;
    bool m_aborted = false;
};

/// Asynchronous client for the Kinesis Data Streams JSON 1.1 API, signed with SigV4.
/// Lives on the thread that created it (it owns a QNetworkAccessManager); every callback runs
/// on that thread, and only while `context` is alive. Every operation takes a stream name or a
/// stream ARN ("arn:..."). Paginated calls follow NextToken to the end.
class KinesisClient : public QObject
{
    Q_OBJECT
public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit KinesisClient(ClientOptions options, QObject *parent = nullptr);
    ~KinesisClient() override;

    const ClientOptions &options() const { return m_options; }
    /// What the endpoint last said about its write limits (the built-in sandbox does); nothing
    /// for endpoints that do not say (AWS, emulators).
    const std::optional<AdvertisedLimits> &advertisedLimits() const { return m_advertised; }
    void setCredentials(const aws::Credentials &credentials) { m_options.credentials = credentials; }
    /// Test hook: the clock used for signing (UTC).
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    KinesisCall *listStreams(QObject *context, Callback<QStringList> done);
    KinesisCall *describeStreamSummary(const QString &stream, QObject *context, Callback<StreamSummary> done);
    KinesisCall *listShards(const QString &stream, QObject *context, Callback<std::vector<Shard>> done);
    /// shardCount 0 creates an ON_DEMAND stream.
    KinesisCall *createStream(const QString &name, int shardCount, QObject *context, Callback<void> done);
    KinesisCall *deleteStream(const QString &stream, QObject *context, Callback<void> done);
    KinesisCall *putRecord(const QString &stream, const Record &record, const QString &sequenceNumberForOrdering,
                           QObject *context, Callback<PutRecordResult> done);
    KinesisCall *putRecords(const QString &stream, std::span<const Record> records, QObject *context,
                            Callback<PutRecordsResult> done);
    /// Sends a PutRecords body built elsewhere (the send engine builds them from its store).
    KinesisCall *putRecordsBody(QByteArray body, int recordCount, QObject *context, Callback<PutRecordsResult> done);
    KinesisCall *getShardIterator(const QString &stream, const QString &shardId, ShardIteratorType type,
                                  const QString &sequenceNumber, const QDateTime &timestamp, QObject *context,
                                  Callback<QString> done);
    KinesisCall *getRecords(const QString &shardIterator, int limit, QObject *context, Callback<GetRecordsResult> done);

    /// Any operation with a JSON body; the answer's JSON object (explicit nulls removed).
    KinesisCall *call(const QString &operation, const QJsonObject &body, QObject *context,
                      Callback<QJsonObject> done);

    /// The JSON body of a PutRecords request for `records` (exposed for tests and benchmarks).
    static QByteArray buildPutRecordsBody(const QString &stream, std::span<const Record> records);

    /// The JSON object of an HTTP answer: a service error for a non-2xx status (from its body),
    /// {} for an empty 2xx body, a Protocol error when the body is not a JSON object. Pure;
    /// `endpoint` is only named in messages.
    static Result<QJsonObject> parseAnswer(int httpStatus, const QByteArray &answer, const QString &endpoint);
    /// One shard of a ListShards answer; a Protocol error when its id or hash key range is bad.
    static Result<Shard> parseShard(const QJsonObject &object);

    /// Parses a PutRecords answer; an answer whose record count differs from `expected` is a
    /// Protocol error ("record count mismatch"), never guessed around.
    static Result<PutRecordsResult> parsePutRecordsResponse(const QJsonObject &answer, int expected);

Q_SIGNALS:
    /// One HTTP request finished (or failed); for the log dock.
    void requestFinished(const kwb::net::RequestLogEntry &entry);

private:
    using RawHandler = std::function<void(Result<QJsonObject>)>;
    void send(KinesisCall *call, const QString &operation, QByteArray body, int recordCount, RawHandler handler);
    /// What came back: a transport error (timeout, network) or the HTTP status and body. `log` is
    /// the request's log entry, to be completed and passed to logged(); null when no request left.
    using AnswerHandler = std::function<void(const Result<void> &transport, int status, const QByteArray &answer,
                                             RequestLogEntry *log)>;
    void sendRaw(KinesisCall *call, const QString &operation, QByteArray body, int recordCount, AnswerHandler handler);
    /// Emits requestFinished() for a completed log entry (with the error's code, if any).
    void logged(RequestLogEntry &log, const Error *error);
    KinesisCall *newCall(QObject *context);
    /// The network manager for the next request (counted in flight until released()).
    QNetworkAccessManager *network();
    void released(QNetworkAccessManager *manager);
    template<typename T>
    void finish(KinesisCall *call, QPointer<QObject> context, const Callback<T> &done, Result<T> result);

    ClientOptions m_options;
    static constexpr int kConnectionsPerManager = 6;
    static constexpr size_t kMaxManagers = 16;
    struct Network
    {
        QNetworkAccessManager *manager;
        int inFlight;
    };
    std::vector<Network> m_networks;
    /// For http:// endpoints: our own HTTP/1.1 client (see PlainHttpClient for why); https goes
    /// through QNetworkAccessManager.
    PlainHttpClient *m_plain = nullptr;
    std::optional<AdvertisedLimits> m_advertised;
    std::function<QDateTime()> m_clock;
    QByteArray m_host;
    QByteArray m_path; ///< the request target: the endpoint's path and query
};

} // namespace kwb::net
