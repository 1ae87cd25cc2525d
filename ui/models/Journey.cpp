#include "Journey.h"

#include "Record.h"
#include "RecordStore.h"
#include "models/RowCells.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace kwb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Journey", text);
}

/// At most this many bytes are listed; a longer key shows the count of the rest.
constexpr int kShownBytes = 48;

QString hexBytes(const QByteArray &bytes)
{
    QStringList parts;
    const int shown = int(std::min<qsizetype>(bytes.size(), kShownBytes));
    for (int i = 0; i < shown; ++i)
        parts << QStringLiteral("%1").arg(uchar(bytes[i]), 2, 16, QLatin1Char('0'));
    QString text = parts.join(QLatin1Char(' '));
    if (bytes.size() > shown)
        text += tr(" … and %1 more").arg(QLocale().toString(qint64(bytes.size() - shown)));
    return text;
}

QString shardLabel(const QString &shardId)
{
    return tr("%1 (shard %2)").arg(shardId, RowCells::shardNumber(shardId));
}

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString outcomeText(const JourneyAttempt &a)
{
    switch (a.attempt.outcome) {
    case send::AttemptOutcome::Succeeded:
        return tr("succeeded in %1 ms").arg(a.attempt.latencyMs);
    case send::AttemptOutcome::Throttled:
        return tr("throttled (%1)").arg(a.code.isEmpty() ? QStringLiteral("ProvisionedThroughputExceededException") : a.code);
    case send::AttemptOutcome::Failed:
        return tr("failed: %1 %2").arg(a.code, a.message).trimmed();
    case send::AttemptOutcome::RequestFailed:
        return tr("the whole request failed: %1 %2").arg(a.code, a.message).trimmed();
    }
    return {};
}

QString requestText(const send::Attempt &a)
{
    if (a.request <= 0)
        return tr("request not recorded (restored from an older file)");
    return tr("request %1, record %2 of %3, %4 of keys and data")
        .arg(a.request)
        .arg(int(a.position) + 1)
        .arg(int(a.requestRecords))
        .arg(sizeText(a.requestBytes));
}

} // namespace

JourneyInput JourneyInput::fromRow(const RecordStore &store, const send::SendResults &results, int row)
{
    JourneyInput in;
    in.partitionKey = store.partitionKey(row);
    if (store.hasExplicitHashKey(row))
        in.explicitHashKey = hashKeyToString(store.explicitHashKey(row));
    in.dataBytes = store.data(row).size();
    in.sentKey = in.partitionKey;
    in.sentExplicitHashKey = in.explicitHashKey;
    if (row < results.size()) {
        in.status = results.status(row);
        for (const send::Attempt &a : results.attempts(row))
            in.attempts.push_back({a, results.text(a.code), results.text(a.message)});
        in.attemptCount = results.attemptCount(row);
        in.shardId = results.shardId(row);
        in.sequenceNumber = results.sequenceNumber(row);
        in.errorCode = results.errorCode(row);
        in.errorMessage = results.errorMessage(row);
        in.verify = results.verifyState(row);
    }
    return in;
}

QString Journey::toHex(UInt128 value)
{
    QString text(32, QLatin1Char('0'));
    for (int i = 31; i >= 0; --i) {
        text[i] = QLatin1Char("0123456789abcdef"[int(value & 0xf)]);
        value >>= 4;
    }
    return QStringLiteral("0x") + text;
}

double Journey::percentOfKeySpace(UInt128 value)
{
    return double(static_cast<long double>(value) / 340282366920938463463374607431768211456.0L * 100.0L);
}

int Journey::reachedCount() const
{
    int n = 0;
    for (const JourneyStep &s : m_steps)
        n += s.reached ? 1 : 0;
    return n;
}

Journey Journey::compute(const JourneyInput &in)
{
    Journey j;
    j.m_steps.resize(JourneyStep::kCount);
    for (int k = 0; k < JourneyStep::kCount; ++k)
        j.m_steps[size_t(k)].kind = JourneyStep::Kind(k);
    const QLocale locale;
    const auto step = [&j](JourneyStep::Kind kind) -> JourneyStep & { return j.m_steps[size_t(kind)]; };

    // 1. The key as typed.
    const QByteArray utf8 = in.partitionKey.toUtf8();
    const int chars = partitionKeyLength(in.partitionKey);
    {
        JourneyStep &s = step(JourneyStep::PartitionKey);
        s.title = tr("Partition key");
        s.value = in.partitionKey.isEmpty() ? tr("(empty)") : in.partitionKey;
        s.reached = true;
        if (in.partitionKey.isEmpty())
            s.detail = tr("A record needs a partition key of 1 to 256 characters; the service refuses an empty one.");
        else if (chars > limits::kMaxPartitionKeyChars)
            s.detail = tr("%1 characters: over the limit of 256; the service refuses it.").arg(chars);
        else
            s.detail = tr("%1 of at most 256 characters. Records with the same key go to the same shard, in order.")
                           .arg(locale.toString(chars));
    }
    // 2. Its bytes.
    {
        JourneyStep &s = step(JourneyStep::Utf8Bytes);
        s.title = tr("UTF-8 bytes");
        s.value = utf8.isEmpty() ? tr("(no bytes)") : hexBytes(utf8);
        s.detail = tr("%1 bytes, in hex. Kinesis hashes these bytes, not the characters.").arg(locale.toString(qint64(utf8.size())));
        s.reached = true;
    }
    // 3. MD5.
    j.m_digest = md5(utf8);
    j.m_keyHash = digestToUInt128(j.m_digest);
    {
        JourneyStep &s = step(JourneyStep::Md5Digest);
        s.title = tr("MD5 digest");
        s.value = QString::fromLatin1(digestToHex(j.m_digest));
        s.detail = tr("16 bytes: the same key always gives the same digest, and similar keys give very different ones.");
        s.reached = true;
    }
    // 4. The digest as a number, or the explicit hash key that replaces it.
    std::optional<UInt128> explicitKey;
    QString explicitProblem;
    if (!in.explicitHashKey.trimmed().isEmpty()) {
        const auto parsed = parseHashKey(in.explicitHashKey.trimmed());
        if (parsed.ok())
            explicitKey = parsed.value();
        else
            explicitProblem = parsed.error().message;
    }
    j.m_explicit = explicitKey.has_value();
    j.m_routedHash = explicitKey.value_or(j.m_keyHash);
    {
        JourneyStep &s = step(JourneyStep::HashKey);
        s.title = tr("128-bit hash key");
        s.value = tr("%1\n%2").arg(hashKeyToString(j.m_keyHash), toHex(j.m_keyHash));
        s.detail = tr("The digest read as one big-endian unsigned number, from 0 to 2^128-1.");
        if (explicitKey)
            s.detail += QLatin1Char(' ') + tr("Not used for routing: the record sets ExplicitHashKey %1.").arg(hashKeyToString(*explicitKey));
        else if (!explicitProblem.isEmpty())
            s.detail += QLatin1Char(' ') + tr("The explicit hash key is not valid, so it cannot be sent: %1").arg(explicitProblem);
        s.reached = true;
    }
    // 5 and 6. Its place among the shards.
    const ShardMap *map = in.map && !in.map->isEmpty() ? in.map : nullptr;
    const QString routedText = hashKeyToString(j.m_routedHash);
    {
        JourneyStep &s = step(JourneyStep::KeySpace);
        s.title = tr("Place in the key space");
        s.value = tr("%1 % of 0 … 2^128-1").arg(locale.toString(percentOfKeySpace(j.m_routedHash), 'f', 2));
        s.reached = true;
        if (map)
            s.detail = tr("The key space is split into %1 shard ranges; the marker shows where %2 falls.")
                           .arg(locale.toString(map->openShardCount()), j.m_explicit ? tr("the explicit hash key") : tr("this hash key"));
        else
            s.detail = tr("Choose a stream (or a number of virtual shards) to see the shard ranges around it.");
    }
    {
        JourneyStep &s = step(JourneyStep::Shard);
        s.title = tr("Shard");
        if (map) {
            j.m_openIndex = map->openIndexFor(j.m_routedHash);
            const Shard &shard = map->openShard(j.m_openIndex);
            s.value = shardLabel(shard.shardId);
            s.detail = tr("Its range %1 … %2 holds %3.")
                           .arg(hashKeyToString(shard.startingHashKey), hashKeyToString(shard.endingHashKey), routedText);
            if (j.m_explicit)
                s.detail = tr("The ExplicitHashKey overrides the key's hash. ") + s.detail;
            s.detail += QLatin1Char(' ')
                        + (in.streamName.isEmpty() ? tr("A virtual stream of %1 shards.").arg(locale.toString(map->openShardCount()))
                                                   : tr("Stream %1, %2 open shards.").arg(in.streamName, locale.toString(map->openShardCount())));
            s.reached = true;
        } else {
            s.value = tr("Not known yet");
            s.detail = tr("The shard whose hash key range holds %1. Choose a stream or a number of virtual shards to see it.")
                           .arg(routedText);
        }
    }

    // 7 … 10. What happened to the record, if it went anywhere.
    const bool edited = in.partitionKey != in.sentKey || in.explicitHashKey.trimmed() != in.sentExplicitHashKey.trimmed();
    // A result restored without its attempts (a results file, an older workspace) was sent too.
    const bool finished = in.status == send::RowStatus::Succeeded || in.status == send::RowStatus::Failed
                          || in.status == send::RowStatus::Cancelled;
    const bool sent = !edited && (!in.attempts.empty() || (finished && in.attemptCount > 0));
    const bool noHistory = sent && in.attempts.empty();
    // Failed without any attempt: refused before sending (a key too long, a record too large).
    const bool refused = !edited && in.attempts.empty() && in.attemptCount == 0 && in.status == send::RowStatus::Failed;
    const QString notSent = edited ? tr("Edited and not applied yet: the row's outcome belongs to its stored key. ")
                                   : QString();
    {
        JourneyStep &s = step(JourneyStep::Request);
        s.title = tr("Request");
        if (noHistory) {
            s.value = tr("Not recorded");
            s.detail = tr("This row's result was restored without its attempts, so its request is not known.");
            s.reached = true;
        } else if (sent) {
            const send::Attempt &last = in.attempts.back().attempt;
            s.value = requestText(last);
            s.detail = in.attempts.size() > 1 ? tr("The request of its last attempt; each attempt below names its own.")
                                              : tr("One PutRecords request carries up to 500 records and %1 of keys and data.")
                                                    .arg(sizeText(limits::kMaxRequestBytes));
            s.reached = true;
        } else if (refused) {
            s.value = tr("Not sent: refused");
            s.detail = tr("Refused before sending: %1").arg(in.errorMessage);
        } else {
            s.value = in.status == send::RowStatus::Queued ? tr("Queued, not sent yet") : tr("Not sent yet");
            s.detail = notSent
                       + tr("Send puts the record in a PutRecords request of up to 500 records and %1 of keys and data; "
                            "this one adds %2.")
                             .arg(sizeText(limits::kMaxRequestBytes), sizeText(utf8.size() + in.dataBytes));
        }
    }
    {
        JourneyStep &s = step(JourneyStep::Attempts);
        s.title = tr("Attempts and answers");
        if (noHistory) {
            s.value = tr("Not recorded");
            s.detail = tr("This row's result was restored without its attempts.");
            s.reached = true;
        } else if (sent) {
            QStringList lines;
            for (size_t i = 0; i < in.attempts.size(); ++i) {
                const JourneyAttempt &a = in.attempts[i];
                QString line = tr("%1. %2: %3").arg(i + 1).arg(requestText(a.attempt), outcomeText(a));
                if (i + 1 < in.attempts.size())
                    line += tr("; retried after %1 ms").arg(in.attempts[i + 1].attempt.delayMs);
                else if (in.status == send::RowStatus::Queued || in.status == send::RowStatus::InFlight)
                    line += tr("; being retried");
                lines << line;
            }
            int throttled = 0;
            for (const JourneyAttempt &a : in.attempts)
                throttled += a.attempt.outcome == send::AttemptOutcome::Throttled ? 1 : 0;
            s.value = (in.attempts.size() == 1 ? tr("1 attempt") : tr("%1 attempts").arg(in.attempts.size()))
                      + (throttled > 0 ? tr(", %1 throttled").arg(throttled) : QString());
            s.detail = lines.join(QLatin1Char('\n'));
            s.reached = true;
        } else {
            s.value = tr("None yet");
            s.detail = notSent
                       + tr("The service answers each record: a shard and a sequence number, or an error. A throttled record "
                            "(ProvisionedThroughputExceededException: over 1,000 records/s or 1 MiB/s on its shard) is sent "
                            "again after a short, growing wait.");
        }
    }
    {
        JourneyStep &s = step(JourneyStep::Landed);
        s.title = tr("Shard and sequence number");
        if (sent && in.status == send::RowStatus::Succeeded) {
            s.value = tr("%1\n%2").arg(in.shardId, in.sequenceNumber);
            const QString predicted = map && j.m_openIndex >= 0 ? map->openShard(j.m_openIndex).shardId : QString();
            if (!predicted.isEmpty() && predicted != in.shardId)
                s.detail = tr("Stored on %1, not on %2 as the shard map predicts: the stream was resharded, or the endpoint "
                              "routes differently. Refresh the stream to see its shards now.")
                               .arg(in.shardId, predicted);
            else
                s.detail = tr("Stored on %1. The sequence number orders it among the records of that shard.").arg(shardLabel(in.shardId));
            s.reached = true;
        } else if (sent && (in.status == send::RowStatus::Failed || in.status == send::RowStatus::Cancelled)) {
            s.value = tr("Not stored: %1").arg(in.errorCode);
            s.detail = in.errorMessage;
            s.reached = true;
        } else {
            s.value = tr("Not yet");
            const QString expected = map && j.m_openIndex >= 0 ? map->openShard(j.m_openIndex).shardId : tr("its shard");
            s.detail = notSent
                       + tr("On success the service answers with the shard id (%1 by the current map) and a sequence number.")
                             .arg(expected);
        }
    }
    {
        JourneyStep &s = step(JourneyStep::ReadBack);
        s.title = tr("Read back");
        const bool stored = sent && in.status == send::RowStatus::Succeeded;
        if (stored && in.sighting) {
            s.value = tr("Seen in the live view");
            s.detail = tr("Arrived on %1 at %2, sequence number %3.")
                           .arg(in.sighting->shardId, locale.toString(in.sighting->arrival.toUTC(), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'")),
                                in.sighting->sequenceNumber);
            s.reached = true;
        } else if (stored && in.verify != send::VerifyState::NotVerified) {
            switch (in.verify) {
            case send::VerifyState::Verified:
                s.value = tr("Verified");
                s.detail = tr("Read back with GetRecords at its sequence number: the same partition key and data.");
                break;
            case send::VerifyState::Mismatched:
                s.value = tr("Mismatch");
                s.detail = tr("Read back with GetRecords at its sequence number, but the key or data differ from the row's.");
                break;
            default:
                s.value = tr("Could not be read");
                s.detail = tr("GetRecords did not return it (trimmed by retention, or the read failed).");
                break;
            }
            s.reached = true;
        } else {
            s.value = tr("Not read back");
            s.detail = tr("With Verify on (send options), succeeded records are read back with GetRecords and compared; "
                          "the live stream view shows records as they arrive.");
        }
    }
    return j;
}

} // namespace kwb::ui
