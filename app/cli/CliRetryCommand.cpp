// kwb retry: sends again the rows of a results file (written by kwb put, generate or replay)
// that did not succeed, keeping those that did, into a new results file. Rows whose request was
// in flight when a run stopped are left alone unless --resend-unknown says otherwise.
#include "Cli.h"

#include "export/ResultsExport.h"
#include "send/StreamingPut.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace kwb::cli {

namespace {

/// Rows handed to the streaming put at a time.
constexpr int kRetryChunkRows = 8000;

} // namespace

void Cli::runRetry(QCommandLineParser &p)
{
    const QStringList args = p.positionalArguments().mid(1);
    if (args.size() != 1)
        return usageError(QStringLiteral("'retry' takes one results file (.jsonl) written by kwb put"));
    const QString stream = streamOption(p);
    if (stream.isEmpty())
        return;
    send::SendOptions sendOptions;
    QString resultsPath;
    if (!sendOptionsFrom(p, sendOptions, resultsPath))
        return;
    const bool resendUnknown = p.isSet(QStringLiteral("resend-unknown"));
    QFile file(args.front());
    if (!file.open(QIODevice::ReadOnly))
        return usageError(QStringLiteral("%1: cannot read: %2").arg(args.front(), file.errorString()));
    auto read = exporting::readResultsJsonl(file, args.front());
    if (!read.ok())
        return usageError(read.error().message);
    auto earlier = std::make_shared<exporting::ResultsFile>(std::move(read.value()));
    if (resultsPath.isEmpty()) {
        const QFileInfo info(args.front());
        resultsPath = info.dir().filePath(info.completeBaseName() + QStringLiteral(".retry.jsonl"));
    }
    if (QFileInfo(resultsPath).absoluteFilePath() == QFileInfo(args.front()).absoluteFilePath())
        return usageError(QStringLiteral("--results must name another file than the one retried"));
    QTextStream err(stderr);
    if (earlier->cutLastLine)
        err << "kwb: " << args.front() << " ends in the middle of a line (the run writing it was killed); "
            << "that line is left out, the rows keep what the lines before it said\n";
    if (earlier->unknownRows > 0) {
        err << "kwb: " << number(earlier->unknownRows) << " rows may or may not be in the stream already: their request was "
            << "in flight when the run was stopped or aborted, and Kinesis has no idempotency. "
            << (resendUnknown ? QStringLiteral("Sending them again (--resend-unknown): this may duplicate them.\n")
                              : QStringLiteral("They are not sent; they stay 'cancelled' in the new results file. Check the "
                                               "stream, or add --resend-unknown to send them again.\n"));
    }
    err.flush();
    withStream(stream, [=, this](qint64 maxRecordBytes, std::vector<Shard> shards) mutable {
        sendOptions.maxRecordBytes = maxRecordBytes;
        if (!startSending(stream, sendOptions, resultsPath, std::move(shards)))
            return;
        const RecordStore &store = earlier->store;
        const send::SendResults &results = earlier->results;
        send::RecordChunk chunk;
        const auto flushChunk = [&] {
            if (chunk.store.isEmpty())
                return;
            m_put->addChunk(std::move(chunk));
            chunk = send::RecordChunk();
        };
        for (int row = 0; row < store.size(); ++row) {
            const send::RowStatus status = results.status(row);
            const bool unknown = status == send::RowStatus::Cancelled;
            if (status == send::RowStatus::Succeeded || (unknown && !resendUnknown)) {
                // Kept as it was: written to the new file straight away.
                m_journal->final(store, results, row, earlier->indexes[size_t(row)]);
                ++m_keptRows;
                m_keptSucceeded += status == send::RowStatus::Succeeded;
                continue;
            }
            const int at = chunk.store.append(store.partitionKeyUtf8(row), store.data(row), store.optionalExplicitHashKey(row));
            chunk.results.resize(chunk.store.size());
            chunk.results.restore(at, status, {}, {}, results.errorCode(row), results.errorMessage(row),
                                  results.attemptCount(row), results.retriable(row));
            chunk.indexes.push_back(earlier->indexes[size_t(row)]);
            if (chunk.store.size() >= kRetryChunkRows)
                flushChunk();
        }
        flushChunk();
        m_put->endOfInput();
    });
}

} // namespace kwb::cli
