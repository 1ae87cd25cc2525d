#include "RecordSink.h"

#include "Logging.h"
#include "import/BlockReader.h"
#include "import/DataDecoder.h"

#include <QRandomGenerator>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace kwb::import {

namespace {

QString limitHint(qint64 maxRecordBytes)
{
    if (maxRecordBytes < limits::kLargestMaxRecordBytes)
        return QStringLiteral("; make the record smaller, or raise the maximum record size if the stream allows "
                              "larger records (up to %1)")
            .arg(formatBytes(limits::kLargestMaxRecordBytes));
    return QStringLiteral("; make the record smaller");
}

} // namespace

RecordSink::RecordSink(RecordStore &store, const ImportOptions &options, ImportReport &report)
    : m_store(store)
    , m_options(options)
    , m_report(report)
    , m_appender(store, options.useHelperThread)
{
    m_random.seed(options.randomSeed != 0 ? options.randomSeed : QRandomGenerator::system()->generate64());
}

RecordSink::~RecordSink()
{
    flush();
}

Result<void> RecordSink::startInput(Format format, const QString &name, const QString &fileName)
{
    flush();
    m_name = name;
    m_fileNameKey = fileName.toUtf8();
    KeyStrategy strategy = m_options.keyStrategy;
    if (strategy == KeyStrategy::Auto) {
        if (!m_options.partitionKeyField.isEmpty())
            strategy = KeyStrategy::Field;
        else if (format == Format::Text)
            strategy = KeyStrategy::RowNumber;
        else if (format == Format::RawFile)
            strategy = KeyStrategy::FileName;
    }
    if (strategy == KeyStrategy::Field) {
        if (m_options.partitionKeyField.isEmpty())
            return Error::input(QStringLiteral("the field key strategy needs a field: a dotted path into the JSON "
                                               "objects (user.id) or a column name"),
                                QStringLiteral("InvalidImportOptions"));
        if (format == Format::Text || format == Format::RawFile)
            return Error::input(QStringLiteral("%1: a partition key field (\"%2\") needs JSON objects or CSV/TSV "
                                               "columns; this input is read as %3. Choose another key strategy")
                                    .arg(name, m_options.partitionKeyField, formatName(format)),
                                QStringLiteral("InvalidImportOptions"));
    }
    if (!m_options.dataField.isEmpty() || !m_options.explicitHashKeyField.isEmpty()) {
        const QString field = !m_options.dataField.isEmpty()
            ? QStringLiteral("a data field (\"%1\")").arg(m_options.dataField)
            : QStringLiteral("an explicit hash key field (\"%1\")").arg(m_options.explicitHashKeyField);
        const bool json = format == Format::JsonLines || format == Format::JsonArray || format == Format::JsonObject;
        QString why;
        if (format == Format::Text || format == Format::RawFile)
            why = QStringLiteral("this input is read as %1. Clear the field, or choose another format")
                      .arg(formatName(format));
        else if (format == Format::AwsCli)
            why = QStringLiteral("put-records input has its own Data and ExplicitHashKey in each record. Clear the "
                                 "field");
        else if (json && m_options.jsonShape == JsonShape::Records)
            why = QStringLiteral("Kinesis record objects have their own Data and ExplicitHashKey. Clear the field, or "
                                 "choose the objects shape");
        if (!why.isEmpty())
            return Error::input(QStringLiteral("%1: %2 needs JSON objects or CSV/TSV columns; %3")
                                    .arg(name, field, why),
                                QStringLiteral("InvalidImportOptions"));
    }
    if (strategy == KeyStrategy::Constant) {
        if (auto check = validatePartitionKey(m_options.constantKey, QStringLiteral("the constant partition key"));
            !check)
            return Error::input(check.error().message, QStringLiteral("InvalidImportOptions"));
        m_constantKey = m_options.constantKey.toUtf8();
    }
    m_strategy = strategy;
    return {};
}

bool RecordSink::atLimit()
{
    if (m_options.limit > 0 && m_report.recordsRead >= m_options.limit) {
        m_report.limitReached = true;
        return true;
    }
    return false;
}

QByteArrayView RecordSink::generatedKey()
{
    switch (m_strategy) {
    case KeyStrategy::Constant:
        return m_constantKey;
    case KeyStrategy::FileName:
        return m_fileNameKey;
    case KeyStrategy::RowNumber: {
        const auto r = std::to_chars(m_keyBuffer, m_keyBuffer + sizeof m_keyBuffer, m_report.recordsRead);
        return QByteArrayView(m_keyBuffer, r.ptr - m_keyBuffer);
    }
    case KeyStrategy::Random: {
        const auto r = std::to_chars(m_keyBuffer, m_keyBuffer + sizeof m_keyBuffer, quint64(m_random()));
        return QByteArrayView(m_keyBuffer, r.ptr - m_keyBuffer);
    }
    case KeyStrategy::Uuid: {
        unsigned char bytes[16];
        const quint64 hi = m_random();
        const quint64 lo = m_random();
        for (int i = 0; i < 8; ++i) {
            bytes[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
            bytes[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
        }
        bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        static const char hex[] = "0123456789abcdef";
        char *o = m_keyBuffer;
        for (int i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                *o++ = '-';
            *o++ = hex[bytes[i] >> 4];
            *o++ = hex[bytes[i] & 0xF];
        }
        return QByteArrayView(m_keyBuffer, o - m_keyBuffer);
    }
    case KeyStrategy::Auto:
    case KeyStrategy::Field:
        break;
    }
    return {};
}

char *RecordSink::dataBuffer(qsizetype maxBytes)
{
    m_batch.reserve(maxBytes);
    return m_batch.bytes.get() + m_batch.used;
}

bool RecordSink::validate(QByteArrayView key, qint64 dataBytes, SourceLocation recordAt, SourceLocation keyAt,
                          const QString &keyWhat)
{
    // Most keys are short ASCII: up to 256 bytes is up to 256 characters, so only empty and long
    // keys need the character count.
    if (key.isEmpty() || key.size() > limits::kMaxPartitionKeyChars) {
        const QString text = QString::fromUtf8(key);
        if (auto check = validatePartitionKey(text, keyWhat); !check) {
            const QString hint = key.isEmpty() ? QStringLiteral("; give every record a key, or choose a key strategy")
                                               : QStringLiteral("; use a shorter key, or choose a key strategy");
            reject(keyAt, check.error().message + hint);
            return false;
        }
    }
    if (key.size() + dataBytes > m_options.maxRecordBytes) {
        const Record sized{QString::fromUtf8(key), QByteArray(dataBytes, Qt::Uninitialized), std::nullopt};
        const auto check = validateRecord(sized, m_options.maxRecordBytes, QStringLiteral("the record"));
        reject(recordAt, (check ? QStringLiteral("the record is too large") : check.error().message)
                             + limitHint(m_options.maxRecordBytes));
        return false;
    }
    return true;
}

bool RecordSink::accept(QByteArrayView key, qsizetype dataBytes, std::optional<UInt128> explicitHashKey,
                        SourceLocation recordAt, SourceLocation keyAt, const QString &keyWhat)
{
    if (!validate(key, dataBytes, recordAt, keyAt, keyWhat))
        return false;
    const qint64 dataOffset = m_batch.used;
    m_batch.used += dataBytes;
    m_batch.reserve(key.size());
    const qint64 keyOffset = m_batch.used;
    if (!key.isEmpty())
        std::memcpy(m_batch.bytes.get() + keyOffset, key.data(), size_t(key.size()));
    m_batch.used += key.size();
    m_batch.entries.push_back({dataOffset, dataBytes, keyOffset, key.size(), explicitHashKey});
    ++m_report.imported;
    if (m_consumer) {
        if (m_chunkRecords++ == 0)
            m_chunkStartedAt = std::chrono::steady_clock::now();
        m_chunkBytes += key.size() + dataBytes;
        if (m_chunkRecords >= m_stream.chunkRecords || m_chunkBytes >= m_stream.chunkBytes) {
            endChunk(false);
            return true;
        }
    }
    if (m_batch.entries.size() >= kBatchRecords || m_batch.used >= kBatchBytes) {
        m_appender.submit(m_batch);
        if (m_consumer)
            deliverChunks();
    }
    return true;
}

bool RecordSink::acceptCopy(QByteArrayView key, QByteArrayView data, std::optional<UInt128> explicitHashKey,
                            SourceLocation recordAt, SourceLocation keyAt, const QString &keyWhat)
{
    char *out = dataBuffer(data.size());
    if (!data.isEmpty())
        std::memcpy(out, data.data(), size_t(data.size()));
    return accept(key, data.size(), explicitHashKey, recordAt, keyAt, keyWhat);
}

void RecordSink::flush()
{
    m_appender.submit(m_batch);
    m_appender.finish();
    if (m_consumer)
        deliverChunks();
}

void RecordSink::setChunkOutput(ChunkConsumer *consumer, const StreamOptions &stream)
{
    m_consumer = consumer;
    m_stream = stream;
    m_stream.chunkRecords = std::max<qint64>(1, m_stream.chunkRecords);
    m_stream.chunkBytes = std::max<qint64>(1, m_stream.chunkBytes);
}

void RecordSink::endChunk(bool wait)
{
    if (m_chunkRecords > 0) {
        m_pendingFirsts.push_back(m_chunkFirst);
        m_chunkFirst = m_report.imported;
        m_chunkRecords = 0;
        m_chunkBytes = 0;
        m_appender.submit(m_batch, true);
    }
    if (wait)
        m_appender.finish();
    deliverChunks();
}

void RecordSink::deliverChunks()
{
    for (RecordStore &chunk : m_appender.takeChunks()) {
        const qint64 first = m_pendingFirsts.front();
        m_pendingFirsts.pop_front();
        if (!m_consumer->takeChunk(std::move(chunk), first))
            m_cancelled = true;
    }
}

int RecordSink::inputQuiet()
{
    // Short waits, so a cancel is seen while the input stays quiet.
    constexpr int kPollMs = 250;
    if (m_cancelled || (m_consumer && !m_consumer->keepWaiting())) {
        m_cancelled = true;
        return BlockReader::kStopWaiting;
    }
    if (!m_consumer)
        return kPollMs;
    // Chunks the helper thread finished behind the reading go out while the input waits.
    if (!m_pendingFirsts.empty()) {
        m_appender.finish();
        deliverChunks();
        if (m_cancelled)
            return BlockReader::kStopWaiting;
    }
    if (m_chunkRecords == 0)
        return kPollMs;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_chunkStartedAt);
    if (waited.count() >= m_stream.lingerMs) {
        endChunk(true);
        return m_cancelled ? BlockReader::kStopWaiting : kPollMs;
    }
    return int(std::clamp<qint64>(m_stream.lingerMs - waited.count(), 1, kPollMs));
}

void RecordSink::finishChunks()
{
    // Also after a cancel: records read are handed on, so none is lost without a word.
    if (m_consumer)
        endChunk(true);
}

void RecordSink::reserveRecords(qint64 records)
{
    if (m_consumer)
        return; // a streaming import's store only ever holds one chunk
    m_appender.finish(); // the store is the helper thread's while it appends
    if (m_options.limit > 0)
        records = std::min(records, m_options.limit);
    const qint64 total = std::min<qint64>(qint64(m_store.size()) + std::max<qint64>(0, records), 100'000'000);
    if (total > m_store.size())
        m_store.reserve(int(total));
}

void RecordSink::addIssue(SourceLocation at, qint64 record, const QString &message)
{
    ++m_report.issueCount;
    if (qint64(m_report.issues.size()) < std::max(0, m_options.maxStoredIssues))
        m_report.issues.push_back({m_name, at.line, at.column, record, message});
    if (m_consumer) {
        // Chunks that ended before this record go out before its issue, as they were read.
        if (!m_pendingFirsts.empty()) {
            m_appender.finish();
            deliverChunks();
        }
        m_consumer->issueFound({m_name, at.line, at.column, record, message});
    }
    qCDebug(lcImport).noquote() << ImportIssue{m_name, at.line, at.column, record, message}.toString();
}

void RecordSink::reject(SourceLocation at, const QString &message, bool stop)
{
    ++m_report.skipped;
    addIssue(at, m_report.recordsRead, message);
    if (stop || m_options.onBadRow == BadRowPolicy::Stop)
        m_report.stopped = true;
}

void RecordSink::problem(SourceLocation at, const QString &message, bool stop)
{
    addIssue(at, 0, message);
    if (stop || m_options.onBadRow == BadRowPolicy::Stop)
        m_report.stopped = true;
}

} // namespace kwb::import
