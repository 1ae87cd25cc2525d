#include "KinesisClient.h"
#include "Logging.h"

#include "JsonWriter.h"
#include "PutRecordsAnswerParser.h"
#include "ReplyFacts.h"
#include "ServiceError.h"
#include "PlainHttpClient.h"
#include "aws/SigV4Signer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>


namespace kwb::net {

namespace {

constexpr char kTargetPrefix[] = "Kinesis_20131202.";
constexpr char kContentType[] = "application/x-amz-json-1.1";

/// Starts the connect and transfer timers of one request: `abort` ends it when one runs out
/// (which one is recorded in `timedOut`). Returns what to call whenever bytes move.
std::function<void()> startTimers(QObject *owner, std::function<void()> abort,
                                  std::shared_ptr<ReplyFacts::Timeout> timedOut, int connectMs, int transferMs)
{
    auto *connectTimer = new QTimer(owner);
    connectTimer->setSingleShot(true);
    QObject::connect(connectTimer, &QTimer::timeout, owner, [abort, timedOut] {
        *timedOut = ReplyFacts::Timeout::Connect;
        abort();
    });
    auto *idleTimer = new QTimer(owner);
    idleTimer->setSingleShot(true);
    QObject::connect(idleTimer, &QTimer::timeout, owner, [abort, timedOut] {
        *timedOut = ReplyFacts::Timeout::Transfer;
        abort();
    });
    if (connectMs > 0)
        connectTimer->start(connectMs);
    else if (transferMs > 0)
        idleTimer->start(transferMs);
    return [connectTimer, idleTimer, transferMs] {
        connectTimer->stop();
        if (transferMs > 0)
            idleTimer->start(transferMs);
    };
}

/// kinesis-mock writes explicit nulls; treat them as absent everywhere.
QJsonObject withoutNulls(const QJsonObject &object)
{
    QJsonObject cleaned;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isNull())
            continue;
        if (it.value().isObject())
            cleaned.insert(it.key(), withoutNulls(it.value().toObject()));
        else if (it.value().isArray()) {
            QJsonArray array;
            for (const QJsonValue &item : it.value().toArray())
                array.append(item.isObject() ? QJsonValue(withoutNulls(item.toObject())) : item);
            cleaned.insert(it.key(), array);
        } else
            cleaned.insert(it.key(), it.value());
    }
    return cleaned;
}

Error protocolError(const QString &message)
{
    return Error{Error::Kind::Protocol, QStringLiteral("InvalidResponse"), message, 200};
}

Result<UInt128> hashKeyField(const QJsonObject &object, QLatin1String field, const QString &shardId)
{
    auto parsed = parseHashKey(object.value(field).toString());
    if (!parsed.ok())
        return protocolError(QStringLiteral("shard %1 has an invalid %2: %3").arg(shardId, field, parsed.error().message));
    return parsed;
}

Result<Shard> parseShard(const QJsonObject &object)
{
    Shard shard;
    shard.shardId = object.value(QLatin1String("ShardId")).toString();
    if (shard.shardId.isEmpty())
        return protocolError(QStringLiteral("a shard in the answer has no ShardId"));
    shard.parentShardId = object.value(QLatin1String("ParentShardId")).toString();
    shard.adjacentParentShardId = object.value(QLatin1String("AdjacentParentShardId")).toString();
    const QJsonObject range = object.value(QLatin1String("HashKeyRange")).toObject();
    auto start = hashKeyField(range, QLatin1String("StartingHashKey"), shard.shardId);
    if (!start.ok())
        return start.error();
    auto end = hashKeyField(range, QLatin1String("EndingHashKey"), shard.shardId);
    if (!end.ok())
        return end.error();
    shard.startingHashKey = start.value();
    shard.endingHashKey = end.value();
    const QJsonObject sequence = object.value(QLatin1String("SequenceNumberRange")).toObject();
    shard.startingSequenceNumber = sequence.value(QLatin1String("StartingSequenceNumber")).toString();
    shard.endingSequenceNumber = sequence.value(QLatin1String("EndingSequenceNumber")).toString();
    return shard;
}

QDateTime fromEpochSeconds(const QJsonValue &value)
{
    if (value.isDouble())
        return QDateTime::fromMSecsSinceEpoch(qint64(value.toDouble() * 1000.0), Qt::UTC);
    return {};
}

} // namespace

QLatin1String shardIteratorTypeName(ShardIteratorType type)
{
    switch (type) {
    case ShardIteratorType::TrimHorizon: return QLatin1String("TRIM_HORIZON");
    case ShardIteratorType::Latest: return QLatin1String("LATEST");
    case ShardIteratorType::AtSequenceNumber: return QLatin1String("AT_SEQUENCE_NUMBER");
    case ShardIteratorType::AfterSequenceNumber: return QLatin1String("AFTER_SEQUENCE_NUMBER");
    case ShardIteratorType::AtTimestamp: return QLatin1String("AT_TIMESTAMP");
    }
    return QLatin1String("TRIM_HORIZON");
}

void KinesisCall::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    if (m_reply)
        m_reply->abort();
    if (m_exchange)
        m_exchange->abort();
}

std::optional<AdvertisedLimits> AdvertisedLimits::parse(QByteArrayView header)
{
    const QByteArray text = header.toByteArray().trimmed();
    if (text == "off")
        return AdvertisedLimits{false, 0, 0, 0, 0};
    AdvertisedLimits limits;
    for (const QByteArray &part : text.split(';')) {
        const QList<QByteArray> pair = part.trimmed().split('=');
        if (pair.size() != 2)
            return std::nullopt;
        bool ok = false;
        const double value = pair[1].trimmed().toDouble(&ok);
        if (!ok || value <= 0)
            return std::nullopt;
        if (pair[0].trimmed() == "records")
            limits.recordsPerSecond = value;
        else if (pair[0].trimmed() == "bytes")
            limits.bytesPerSecond = value;
        else if (pair[0].trimmed() == "reads")
            limits.readsPerSecond = value;
        else if (pair[0].trimmed() == "read-bytes")
            limits.readBytesPerSecond = value;
    }
    if (limits.recordsPerSecond <= 0 || limits.bytesPerSecond <= 0)
        return std::nullopt;
    return limits;
}

KinesisClient::KinesisClient(ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    if (m_options.userAgent.isEmpty())
        m_options.userAgent = QStringLiteral("kinesis-workbench/%1").arg(QLatin1String(KWB_VERSION));
    if (m_options.endpoint.path().isEmpty())
        m_options.endpoint.setPath(QStringLiteral("/"));
    m_host = m_options.endpoint.host(QUrl::FullyEncoded).toUtf8();
    const int port = m_options.endpoint.port();
    const int defaultPort = m_options.endpoint.scheme() == QLatin1String("https") ? 443 : 80;
    if (port != -1 && port != defaultPort)
        m_host += ':' + QByteArray::number(port);
    m_path = m_options.endpoint.path(QUrl::FullyEncoded).toUtf8();
    if (m_options.endpoint.hasQuery())
        m_path += '?' + m_options.endpoint.query(QUrl::FullyEncoded).toUtf8();
    if (m_options.endpoint.scheme() == QLatin1String("http"))
        m_plain = new PlainHttpClient(m_options.endpoint.host(), quint16(port == -1 ? 80 : port),
                                      kConnectionsPerManager * int(kMaxManagers), this);
}

QNetworkAccessManager *KinesisClient::network()
{
    // Qt opens at most six HTTP/1.1 connections per host and manager (and Qt 6.4 cannot raise
    // that), so a request waits in Qt's queue once six are busy. At 200 ms a request, six
    // connections carry at most 30 requests a second: a stream of many shards would starve. A
    // request goes to the manager with the fewest requests in flight; another manager (with
    // six more connections) is added when all are full.
    size_t best = 0;
    for (size_t i = 1; i < m_networks.size(); ++i)
        if (m_networks[i].inFlight < m_networks[best].inFlight)
            best = i;
    if (m_networks.empty() || (m_networks[best].inFlight >= kConnectionsPerManager && m_networks.size() < kMaxManagers)) {
        auto *manager = new QNetworkAccessManager(this);
        // We run our own transfer timer, so Qt's must not fire first with a less precise error.
        manager->setTransferTimeout(0);
        m_networks.push_back({manager, 0});
        best = m_networks.size() - 1;
    }
    ++m_networks[best].inFlight;
    return m_networks[best].manager;
}

void KinesisClient::released(QNetworkAccessManager *manager)
{
    for (Network &n : m_networks)
        if (n.manager == manager)
            n.inFlight = std::max(0, n.inFlight - 1);
}

KinesisClient::~KinesisClient() = default;

KinesisCall *KinesisClient::newCall(QObject *context)
{
    auto *call = new KinesisCall(this);
    if (context)
        connect(context, &QObject::destroyed, call, &KinesisCall::abort);
    return call;
}

template<typename T>
void KinesisClient::finish(KinesisCall *call, QPointer<QObject> context, const Callback<T> &done, Result<T> result)
{
    if (call->m_finished)
        return;
    call->m_finished = true;
    call->deleteLater();
    if (call->m_aborted && result.ok())
        result = Error{Error::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("the request was cancelled"), 0};
    if (!context.isNull() && done)
        done(std::move(result));
}

void KinesisClient::send(KinesisCall *call, const QString &operation, QByteArray body, int recordCount,
                         RawHandler handler)
{
    sendRaw(call, operation, std::move(body), recordCount,
            [this, handler = std::move(handler)](const Result<void> &transport, int status, const QByteArray &answer,
                                                 RequestLogEntry *log) {
                Result<QJsonObject> result = transport.ok() ? parseAnswer(status, answer, m_options.endpoint.toString())
                                                            : Result<QJsonObject>(transport.error());
                if (log) {
                    if (result.ok() && result.value().value(QLatin1String("FailedRecordCount")).isDouble())
                        log->failedRecordCount = result.value().value(QLatin1String("FailedRecordCount")).toInt();
                    logged(*log, result.ok() ? nullptr : &result.error());
                }
                handler(std::move(result));
            });
}

void KinesisClient::logged(RequestLogEntry &log, const Error *error)
{
    if (error) {
        log.errorCode = error->code;
        qCDebug(lcNet).noquote() << log.operation << "failed:" << error->toString();
    }
    qCDebug(lcNet).noquote() << log.operation << "HTTP" << log.httpStatus << log.latencyMs << "ms";
    Q_EMIT requestFinished(log);
}

void KinesisClient::sendRaw(KinesisCall *call, const QString &operation, QByteArray body, int recordCount,
                            AnswerHandler handler)
{
    if (call->m_aborted) {
        handler(networkError(QNetworkReply::OperationCanceledError, QString(), m_options.endpoint.toString()), 0, {}, nullptr);
        return;
    }
    const QByteArray target = QByteArray(kTargetPrefix) + operation.toLatin1();
    aws::SignableRequest signable;
    signable.method = "POST";
    signable.path = m_options.endpoint.path(QUrl::FullyEncoded).toUtf8();
    signable.headers = {{"Content-Type", kContentType}, {"Host", m_host}, {"X-Amz-Target", target}};
    signable.payloadHash = aws::SignableRequest::sha256Hex(body);
    aws::SigningParams params;
    params.region = m_options.region;
    params.service = QStringLiteral("kinesis");
    params.time = m_clock();
    params.credentials = m_options.credentials;
    auto signedHeaders = aws::SigV4Signer::sign(signable, params);
    if (!signedHeaders.ok()) {
        handler(signedHeaders.error(), 0, {}, nullptr);
        return;
    }
    std::vector<std::pair<QByteArray, QByteArray>> headers = {{"Host", m_host},
                                                               {"Content-Type", kContentType},
                                                               {"X-Amz-Target", target},
                                                               {"User-Agent", m_options.userAgent.toUtf8()}};
    for (const auto &[name, value] : signedHeaders.value())
        headers.emplace_back(name, value);
    for (const auto &[name, value] : std::as_const(headers)) {
        if (value.contains('\r') || value.contains('\n')) {
            handler(Error{Error::Kind::Config, QStringLiteral("InvalidHeader"),
                          QStringLiteral("the request header %1 holds a line break; check the credentials and "
                                         "settings it comes from")
                              .arg(QString::fromLatin1(name)),
                          0},
                    0, {}, nullptr);
            return;
        }
    }

    auto log = std::make_shared<RequestLogEntry>();
    log->started = QDateTime::currentDateTimeUtc();
    log->operation = operation;
    log->endpoint = m_options.endpoint.toString();
    log->requestBytes = body.size();
    log->records = recordCount;

    auto elapsed = std::make_shared<QElapsedTimer>();
    auto timedOut = std::make_shared<ReplyFacts::Timeout>(ReplyFacts::Timeout::None);
    // Completes the log entry and hands the answer over: the same for both transports.
    auto answered = [this, handler = std::move(handler), log, elapsed, timedOut](ReplyFacts facts) {
        log->latencyMs = elapsed->elapsed();
        log->httpStatus = facts.httpStatus;
        facts.timeout = *timedOut;
        const Result<void> transport =
            facts.transport(m_options.endpoint.toString(), m_options.connectTimeoutMs, m_options.transferTimeoutMs);
        handler(transport, facts.httpStatus, facts.body, log.get());
    };
    const auto noteLimits = [this](const QByteArray &header) {
        if (!header.isEmpty())
            if (auto advertised = AdvertisedLimits::parse(header))
                m_advertised = advertised;
    };

    if (m_plain) {
        QByteArray head;
        head.reserve(1024);
        head += "POST " + m_path + " HTTP/1.1\r\n";
        for (const auto &[name, value] : std::as_const(headers))
            head += name + ": " + value + "\r\n";
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
        PlainHttpExchange *exchange = m_plain->send(std::move(head), std::move(body));
        call->m_exchange = exchange;
        elapsed->start();
        const auto onWire = startTimers(exchange, [exchange] { exchange->abort(); }, timedOut, m_options.connectTimeoutMs,
                                        m_options.transferTimeoutMs);
        connect(exchange, &PlainHttpExchange::progressed, exchange, onWire);
        connect(exchange, &PlainHttpExchange::finished, this,
                [call, exchange, answered = std::move(answered), noteLimits] {
                    exchange->deleteLater();
                    call->m_exchange.clear();
                    noteLimits(exchange->rawHeader("x-kwb-shard-limits"));
                    ReplyFacts facts;
                    facts.httpStatus = exchange->status();
                    facts.error = exchange->error();
                    facts.errorText = exchange->errorString();
                    facts.body = exchange->body();
                    answered(std::move(facts));
                });
        return;
    }

    QNetworkRequest request(m_options.endpoint);
    for (const auto &[name, value] : std::as_const(headers))
        request.setRawHeader(name, value);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkAccessManager *manager = network();
    QNetworkReply *reply = manager->post(request, body);
    call->m_reply = reply;
    elapsed->start();
    const auto onWire = startTimers(reply, [reply] { reply->abort(); }, timedOut, m_options.connectTimeoutMs,
                                    m_options.transferTimeoutMs);
    connect(reply, &QNetworkReply::requestSent, reply, onWire);
    connect(reply, &QNetworkReply::uploadProgress, reply, [onWire](qint64 sent, qint64) {
        if (sent > 0)
            onWire();
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, onWire);
    connect(reply, &QNetworkReply::metaDataChanged, reply, onWire);

    connect(reply, &QNetworkReply::finished, this, [this, call, reply, manager, answered = std::move(answered), noteLimits] {
        released(manager);
        reply->deleteLater();
        call->m_reply.clear();
        noteLimits(reply->rawHeader("x-kwb-shard-limits"));
        ReplyFacts facts;
        facts.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        facts.error = reply->error();
        facts.errorText = reply->errorString();
        // An aborted reply is closed: reading it would only warn.
        facts.body = reply->isOpen() ? reply->readAll() : QByteArray();
        answered(std::move(facts));
    });
}


KinesisCall *KinesisClient::call(const QString &operation, const QJsonObject &body, QObject *context,
                                 Callback<QJsonObject> done)
{
    KinesisCall *c = newCall(context);
    QPointer<QObject> ctx(context);
    send(c, operation, QJsonDocument(body).toJson(QJsonDocument::Compact), 0, [this, c, ctx, done](Result<QJsonObject> r) {
        finish(c, ctx, done, r.ok() ? Result<QJsonObject>(withoutNulls(r.value())) : std::move(r));
    });
    return c;
}

KinesisCall *KinesisClient::listStreams(QObject *context, Callback<QStringList> done)
{
    KinesisCall *c = newCall(context);
    QPointer<QObject> ctx(context);
    auto names = std::make_shared<QStringList>();
    auto page = std::make_shared<std::function<void(QJsonObject)>>();
    *page = [this, c, ctx, done, names, page](QJsonObject request) {
        send(c, QStringLiteral("ListStreams"), QJsonDocument(request).toJson(QJsonDocument::Compact), 0,
             [this, c, ctx, done, names, page](Result<QJsonObject> r) {
                 if (!r.ok()) {
                     *page = nullptr; // break the self-reference
                     return finish<QStringList>(c, ctx, done, r.error());
                 }
                 const QJsonObject &answer = r.value();
                 const QJsonArray streamNames = answer.value(QLatin1String("StreamNames")).toArray();
                 const qsizetype before = names->size();
                 for (const QJsonValue &name : streamNames)
                     names->append(name.toString());
                 const QString token = answer.value(QLatin1String("NextToken")).toString();
                 const bool more = answer.value(QLatin1String("HasMoreStreams")).toBool();
                 // Newer endpoints page with NextToken; older ones (kinesalite) only with
                 // HasMoreStreams + ExclusiveStartStreamName. A page that adds nothing ends the loop.
                 if (more && names->size() > before) {
                     QJsonObject next;
                     if (!token.isEmpty())
                         next.insert(QLatin1String("NextToken"), token);
                     else
                         next.insert(QLatin1String("ExclusiveStartStreamName"), names->last());
                     (*page)(next);
                     return;
                 }
                 *page = nullptr;
                 finish<QStringList>(c, ctx, done, *names);
             });
    };
    (*page)(QJsonObject{});
    return c;
}

KinesisCall *KinesisClient::describeStreamSummary(const QString &stream, QObject *context, Callback<StreamSummary> done)
{
    QJsonObject body{{streamField(stream), stream}};
    return call(QStringLiteral("DescribeStreamSummary"), body, context, [done](Result<QJsonObject> r) {
        if (!r.ok())
            return done(r.error());
        const QJsonObject d = r.value().value(QLatin1String("StreamDescriptionSummary")).toObject();
        StreamSummary s;
        s.name = d.value(QLatin1String("StreamName")).toString();
        s.arn = d.value(QLatin1String("StreamARN")).toString();
        s.status = d.value(QLatin1String("StreamStatus")).toString();
        s.streamMode = d.value(QLatin1String("StreamModeDetails")).toObject().value(QLatin1String("StreamMode")).toString();
        s.openShardCount = d.value(QLatin1String("OpenShardCount")).toInt();
        s.retentionHours = d.value(QLatin1String("RetentionPeriodHours")).toInt(24);
        s.encryptionType = d.value(QLatin1String("EncryptionType")).toString();
        s.maxRecordSizeKiB = d.value(QLatin1String("MaxRecordSizeInKiB")).toInt(1024);
        // Epoch seconds, with a fraction (AWS JSON 1.1 timestamps).
        if (const QJsonValue created = d.value(QLatin1String("StreamCreationTimestamp")); created.isDouble())
            s.createdMs = qint64(created.toDouble() * 1000.0);
        if (s.name.isEmpty())
            return done(protocolError(QStringLiteral("DescribeStreamSummary answered without a StreamName")));
        done(s);
    });
}

KinesisCall *KinesisClient::listShards(const QString &stream, QObject *context, Callback<std::vector<Shard>> done)
{
    KinesisCall *c = newCall(context);
    QPointer<QObject> ctx(context);
    auto shards = std::make_shared<std::vector<Shard>>();
    auto seenTokens = std::make_shared<QSet<QString>>();
    auto page = std::make_shared<std::function<void(QJsonObject)>>();
    *page = [this, c, ctx, done, shards, seenTokens, page](QJsonObject request) {
        send(c, QStringLiteral("ListShards"), QJsonDocument(request).toJson(QJsonDocument::Compact), 0,
             [this, c, ctx, done, shards, seenTokens, page](Result<QJsonObject> r) {
                 if (!r.ok()) {
                     *page = nullptr;
                     return finish<std::vector<Shard>>(c, ctx, done, r.error());
                 }
                 for (const QJsonValue &value : r.value().value(QLatin1String("Shards")).toArray()) {
                     auto shard = parseShard(value.toObject());
                     if (!shard.ok()) {
                         *page = nullptr;
                         return finish<std::vector<Shard>>(c, ctx, done, shard.error());
                     }
                     shards->push_back(std::move(shard.value()));
                 }
                 const QString token = r.value().value(QLatin1String("NextToken")).toString();
                 // kinesalite ignores paging and may echo a token; a token seen before ends it.
                 if (!token.isEmpty() && !seenTokens->contains(token)) {
                     seenTokens->insert(token);
                     (*page)(QJsonObject{{QLatin1String("NextToken"), token}}); // no stream with a token
                     return;
                 }
                 *page = nullptr;
                 finish<std::vector<Shard>>(c, ctx, done, std::move(*shards));
             });
    };
    (*page)(QJsonObject{{streamField(stream), stream}});
    return c;
}

KinesisCall *KinesisClient::createStream(const QString &name, int shardCount, QObject *context, Callback<void> done)
{
    QJsonObject body{{QLatin1String("StreamName"), name}};
    if (shardCount > 0)
        body.insert(QLatin1String("ShardCount"), shardCount);
    else
        body.insert(QLatin1String("StreamModeDetails"), QJsonObject{{QLatin1String("StreamMode"), QLatin1String("ON_DEMAND")}});
    return call(QStringLiteral("CreateStream"), body, context, [done](Result<QJsonObject> r) {
        done(r.ok() ? Result<void>() : Result<void>(r.error()));
    });
}

KinesisCall *KinesisClient::deleteStream(const QString &stream, QObject *context, Callback<void> done)
{
    QJsonObject body{{streamField(stream), stream}, {QLatin1String("EnforceConsumerDeletion"), true}};
    return call(QStringLiteral("DeleteStream"), body, context, [done](Result<QJsonObject> r) {
        done(r.ok() ? Result<void>() : Result<void>(r.error()));
    });
}

KinesisCall *KinesisClient::putRecord(const QString &stream, const Record &record,
                                      const QString &sequenceNumberForOrdering, QObject *context,
                                      Callback<PutRecordResult> done)
{
    QJsonObject body{{streamField(stream), stream},
                     {QLatin1String("PartitionKey"), record.partitionKey},
                     {QLatin1String("Data"), QString::fromLatin1(record.data.toBase64())}};
    if (record.explicitHashKey)
        body.insert(QLatin1String("ExplicitHashKey"), hashKeyToString(*record.explicitHashKey));
    if (!sequenceNumberForOrdering.isEmpty())
        body.insert(QLatin1String("SequenceNumberForOrdering"), sequenceNumberForOrdering);
    KinesisCall *c = newCall(context);
    QPointer<QObject> ctx(context);
    send(c, QStringLiteral("PutRecord"), QJsonDocument(body).toJson(QJsonDocument::Compact), 1,
         [this, c, ctx, done](Result<QJsonObject> r) {
             if (!r.ok())
                 return finish<PutRecordResult>(c, ctx, done, r.error());
             PutRecordResult result{r.value().value(QLatin1String("ShardId")).toString(),
                                    r.value().value(QLatin1String("SequenceNumber")).toString()};
             if (result.shardId.isEmpty() || result.sequenceNumber.isEmpty())
                 return finish<PutRecordResult>(c, ctx, done,
                                                protocolError(QStringLiteral("PutRecord answered without ShardId/SequenceNumber")));
             finish<PutRecordResult>(c, ctx, done, result);
         });
    return c;
}

QByteArray KinesisClient::buildPutRecordsBody(const QString &stream, std::span<const Record> records)
{
    QByteArray body;
    std::vector<QByteArray> keys;
    keys.reserve(records.size());
    qsizetype estimate = 64 + stream.size() * 6;
    for (const Record &r : records) {
        keys.push_back(r.partitionKey.toUtf8());
        estimate += putRecordsEntryEstimate(keys.back().size(), r.data.size());
    }
    body.reserve(estimate);
    beginPutRecordsBody(body, stream);
    for (size_t i = 0; i < records.size(); ++i)
        appendPutRecordsEntry(body, i == 0, keys[i], records[i].data, records[i].explicitHashKey);
    endPutRecordsBody(body);
    return body;
}

Result<QJsonObject> KinesisClient::parseAnswer(int httpStatus, const QByteArray &answer, const QString &endpoint)
{
    if (httpStatus < 200 || httpStatus >= 300)
        return serviceErrorFromResponse(httpStatus, answer);
    if (answer.trimmed().isEmpty()) // CreateStream, DeleteStream, ... answer 200 with no body
        return QJsonObject{};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return protocolError(QStringLiteral("the answer from %1 is not a JSON object (%2 at byte %3): %4")
                                 .arg(endpoint, parseError.errorString())
                                 .arg(parseError.offset)
                                 .arg(bodySnippet(answer)));
    // Typed readers treat null like absent (toString/toInt/toArray give defaults), so only
    // call() pays for removing kinesis-mock's explicit nulls.
    return document.object();
}

Result<Shard> KinesisClient::parseShard(const QJsonObject &object)
{
    return kwb::net::parseShard(object);
}

Result<PutRecordsResult> KinesisClient::parsePutRecordsResponse(const QJsonObject &answer, int expected)
{
    const QJsonArray records = answer.value(QLatin1String("Records")).toArray();
    if (records.size() != expected)
        return Error{Error::Kind::Protocol, QStringLiteral("RecordCountMismatch"),
                     QStringLiteral("record count mismatch: the request had %1 records, the answer %2; "
                                    "no result can be matched to a record")
                         .arg(expected)
                         .arg(records.size()),
                     200};
    PutRecordsResult result;
    result.failedRecordCount = answer.value(QLatin1String("FailedRecordCount")).toInt();
    result.encryptionType = answer.value(QLatin1String("EncryptionType")).toString();
    result.records.reserve(size_t(expected));
    int failed = 0;
    for (const QJsonValue &value : records) {
        const QJsonObject o = value.toObject();
        PutRecordsEntry entry{o.value(QLatin1String("ShardId")).toString(),
                              o.value(QLatin1String("SequenceNumber")).toString(),
                              o.value(QLatin1String("ErrorCode")).toString(),
                              o.value(QLatin1String("ErrorMessage")).toString()};
        if (entry.errorCode.isEmpty() && entry.sequenceNumber.isEmpty()) {
            entry.errorCode = QStringLiteral("InvalidResponse");
            entry.errorMessage = QStringLiteral("the answer for this record has neither a sequence number nor an error");
        }
        if (!entry.succeeded())
            ++failed;
        result.records.push_back(std::move(entry));
    }
    result.failedRecordCount = std::max(result.failedRecordCount, failed);
    return result;
}

KinesisCall *KinesisClient::putRecords(const QString &stream, std::span<const Record> records, QObject *context,
                                       Callback<PutRecordsResult> done)
{
    return putRecordsBody(buildPutRecordsBody(stream, records), int(records.size()), context, std::move(done));
}

KinesisCall *KinesisClient::putRecordsBody(QByteArray body, int recordCount, QObject *context,
                                           Callback<PutRecordsResult> done)
{
    KinesisCall *c = newCall(context);
    QPointer<QObject> ctx(context);
    sendRaw(c, QStringLiteral("PutRecords"), std::move(body), recordCount,
            [this, c, ctx, done, recordCount](const Result<void> &transport, int status, const QByteArray &answer,
                                               RequestLogEntry *log) {
                // Straight from the bytes to the result (PutRecordsAnswerParser): the answer to
                // every request of a send, so no QJsonDocument in between.
                Result<PutRecordsResult> result =
                    transport.ok() ? PutRecordsAnswerParser::parse(status, answer, recordCount, m_options.endpoint.toString())
                                   : Result<PutRecordsResult>(transport.error());
                if (log) {
                    if (result.ok())
                        log->failedRecordCount = result.value().failedRecordCount;
                    logged(*log, result.ok() ? nullptr : &result.error());
                }
                finish<PutRecordsResult>(c, ctx, done, std::move(result));
            });
    return c;
}

KinesisCall *KinesisClient::getShardIterator(const QString &stream, const QString &shardId, ShardIteratorType type,
                                             const QString &sequenceNumber, const QDateTime &timestamp,
                                             QObject *context, Callback<QString> done)
{
    QJsonObject body{{streamField(stream), stream},
                     {QLatin1String("ShardId"), shardId},
                     {QLatin1String("ShardIteratorType"), shardIteratorTypeName(type)}};
    if (type == ShardIteratorType::AtSequenceNumber || type == ShardIteratorType::AfterSequenceNumber)
        body.insert(QLatin1String("StartingSequenceNumber"), sequenceNumber);
    if (type == ShardIteratorType::AtTimestamp)
        body.insert(QLatin1String("Timestamp"), double(timestamp.toMSecsSinceEpoch()) / 1000.0);
    return call(QStringLiteral("GetShardIterator"), body, context, [done](Result<QJsonObject> r) {
        if (!r.ok())
            return done(r.error());
        const QString iterator = r.value().value(QLatin1String("ShardIterator")).toString();
        if (iterator.isEmpty())
            return done(protocolError(QStringLiteral("GetShardIterator answered without a ShardIterator")));
        done(iterator);
    });
}

KinesisCall *KinesisClient::getRecords(const QString &shardIterator, int limit, QObject *context,
                                       Callback<GetRecordsResult> done)
{
    QJsonObject body{{QLatin1String("ShardIterator"), shardIterator}};
    if (limit > 0)
        body.insert(QLatin1String("Limit"), limit);
    return call(QStringLiteral("GetRecords"), body, context, [done](Result<QJsonObject> r) {
        if (!r.ok())
            return done(r.error());
        GetRecordsResult result;
        result.nextShardIterator = r.value().value(QLatin1String("NextShardIterator")).toString();
        result.millisBehindLatest = qint64(r.value().value(QLatin1String("MillisBehindLatest")).toDouble());
        for (const QJsonValue &value : r.value().value(QLatin1String("Records")).toArray()) {
            const QJsonObject o = value.toObject();
            const QByteArray data = QByteArray::fromBase64(o.value(QLatin1String("Data")).toString().toLatin1());
            result.records.push_back({o.value(QLatin1String("SequenceNumber")).toString(),
                                      o.value(QLatin1String("PartitionKey")).toString(), data,
                                      fromEpochSeconds(o.value(QLatin1String("ApproximateArrivalTimestamp")))});
        }
        for (const QJsonValue &value : r.value().value(QLatin1String("ChildShards")).toArray()) {
            const QJsonObject o = value.toObject();
            ChildShard child{o.value(QLatin1String("ShardId")).toString(), {}};
            for (const QJsonValue &parent : o.value(QLatin1String("ParentShards")).toArray())
                child.parentShardIds << parent.toString();
            if (child.shardId.isEmpty())
                return done(protocolError(QStringLiteral("GetRecords answered with a child shard without a ShardId")));
            result.childShards.push_back(std::move(child));
        }
        done(std::move(result));
    });
}

} // namespace kwb::net
