#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "import/BatchAppender.h"
#include "import/ChunkConsumer.h"
#include "import/ImportOptions.h"
#include "import/ImportReport.h"
#include "import/SourceLocation.h"

#include <QByteArrayView>
#include <QString>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace kwb::import {

/// The end of every format reader: validates records (partition key rule, record size), makes
/// keys for the key strategies, counts, lists problems, applies the bad-row policy and the limit,
/// and hands good records in batches to a BatchAppender, which puts them in the RecordStore.
/// Internal to the importer; used from one thread; does not own the store.
class RecordSink
{
public:
    RecordSink(RecordStore &store, const ImportOptions &options, ImportReport &report);
    ~RecordSink();

    /// Starts an input. `name` appears in messages; `fileName` is the FileName strategy's key.
    /// Fails when the key strategy cannot work with this format.
    Result<void> startInput(Format format, const QString &name, const QString &fileName);

    /// The strategy in force for this input: Auto means "the input's own keys".
    KeyStrategy strategy() const { return m_strategy; }
    /// True when keys come from the strategy alone (not from the input).
    bool generatesKeys() const
    {
        return m_strategy != KeyStrategy::Auto && m_strategy != KeyStrategy::Field;
    }
    const QString &inputName() const { return m_name; }
    const ImportOptions &options() const { return m_options; }
    ImportReport &report() { return m_report; }
    /// Longest stretch of input one record may take in the file (base64, escapes and pretty
    /// printing make it longer than the record): past this a record is passed over, not kept.
    qint64 maxInputRecordBytes() const { return 8 * m_options.maxRecordBytes + 1024 * 1024; }

    /// Streaming: hands the store's records to `consumer` in chunks (the store only ever holds
    /// the chunk being filled). Call before the first input.
    void setChunkOutput(ChunkConsumer *consumer, const StreamOptions &stream);
    /// Streaming: called when the input has no bytes ready; hands on a partial chunk whose first
    /// record has waited the linger, and says how long to wait (see BlockReader::QuietHandler).
    int inputQuiet();
    /// Streaming: hands on the records not handed on yet (the end of the input).
    void finishChunks();
    bool streaming() const { return m_consumer != nullptr; }
    /// True when the consumer cancelled the import.
    bool cancelled() const { return m_cancelled; }

    /// True once the import stopped at a problem (BadRowPolicy::Stop or a fatal structure
    /// fault), or was cancelled by the chunk consumer.
    bool stopped() const { return m_report.stopped || m_cancelled; }
    /// True when the record limit has been read; the caller calls it before the next record and
    /// stops (this marks the report).
    bool atLimit();

    /// Counts one more record read; returns its 1-based position among all records read.
    qint64 beginRecord() { return ++m_report.recordsRead; }
    void countEmptyLine() { ++m_report.emptyLines; }

    /// The generated key of the current record (strategies Constant, Uuid, RowNumber, Random,
    /// FileName); valid until the next call.
    QByteArrayView generatedKey();

    /// Room for the current record's data: `maxBytes` writable bytes, valid until accept/reject.
    char *dataBuffer(qsizetype maxBytes);
    /// Accepts the current record, whose `dataBytes` were written to dataBuffer(). `keyWhat` names
    /// the key's source for messages ("\"PartitionKey\"", "column \"pk\""). Returns false when
    /// the record failed validation (and was reported).
    bool accept(QByteArrayView key, qsizetype dataBytes, std::optional<UInt128> explicitHashKey,
                SourceLocation recordAt, SourceLocation keyAt, const QString &keyWhat);
    /// The same with data that is somewhere else (copied).
    bool acceptCopy(QByteArrayView key, QByteArrayView data, std::optional<UInt128> explicitHashKey,
                    SourceLocation recordAt, SourceLocation keyAt, const QString &keyWhat);

    /// The current record is bad: lists it, counts it skipped, stops if the policy (or `stop`) says so.
    void reject(SourceLocation at, const QString &message, bool stop = false);
    /// A fault that is not a record (input structure). `stop` ends the reading.
    void problem(SourceLocation at, const QString &message, bool stop);

    /// Puts everything accepted so far into the store (waits for the helper thread).
    void flush();
    /// Makes room in the store for about `records` more (saves regrowing its vectors).
    void reserveRecords(qint64 records);

private:
    void addIssue(SourceLocation at, qint64 record, const QString &message);
    /// Ends the chunk being filled (when it has records): the helper thread finishes it behind the
    /// reading. `wait`: waits for it. Then hands on the chunks completed so far.
    void endChunk(bool wait);
    /// Hands the completed chunks to the consumer, in order.
    void deliverChunks();
    bool validate(QByteArrayView key, qint64 dataBytes, SourceLocation recordAt, SourceLocation keyAt,
                  const QString &keyWhat);

    static constexpr size_t kBatchRecords = 4096;
    static constexpr qint64 kBatchBytes = 2 * 1024 * 1024;

    RecordStore &m_store;
    const ImportOptions &m_options;
    ImportReport &m_report;
    QString m_name;
    QByteArray m_fileNameKey;
    QByteArray m_constantKey;
    KeyStrategy m_strategy = KeyStrategy::Auto;
    std::mt19937_64 m_random;
    char m_keyBuffer[48] = {};
    RecordBatch m_batch;
    BatchAppender m_appender;
    // Streaming (setChunkOutput)
    ChunkConsumer *m_consumer = nullptr;
    StreamOptions m_stream;
    qint64 m_chunkRecords = 0;
    qint64 m_chunkBytes = 0;
    qint64 m_chunkFirst = 0;
    std::deque<qint64> m_pendingFirsts; ///< first record of each chunk ended but not handed on yet
    std::chrono::steady_clock::time_point m_chunkStartedAt;
    bool m_cancelled = false;
};

} // namespace kwb::import
