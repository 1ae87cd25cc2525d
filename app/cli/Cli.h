#pragma once

#include "Output.h"
#include "RecordStore.h"
#include "aws/CredentialsRefresher.h"
#include "aws/ProfileCredentialsProvider.h"
#include "export/ResultsExport.h"
#include "generate/PacedSource.h"
#include "generate/Pacer.h"
#include "generate/RateSchedule.h"
#include "generate/RecordGenerator.h"
#include "import/ImportOptions.h"
#include "import/ImportThread.h"
#include "net/KinesisClient.h"
#include "send/SendEngine.h"
#include "send/StreamingPut.h"
#include "stream/StreamReader.h"

#include <QCommandLineParser>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace kwb::cli {

/// The `kwb` command line: parses arguments, resolves the connection, runs one command
/// asynchronously on the event loop and ends the application with the command's exit status.
/// Lives on the main thread.
class Cli : public QObject
{
    Q_OBJECT
public:
    /// The environment variable an MFA code can come from (also where main() moves the value of
    /// --mfa-code, so that the process list does not show it).
    static constexpr char kMfaCodeVariable[] = "KWB_MFA_CODE";

    explicit Cli(QStringList arguments, QObject *parent = nullptr);

    /// Starts the command; QCoreApplication::exit() is called with its exit status.
    void start();

private:
    struct Command
    {
        QString name;
        QString synopsis;
        QString description;
        std::function<void(QCommandLineParser &)> addOptions;
        std::function<void(QCommandLineParser &)> run;
    };

    void addGlobalOptions(QCommandLineParser &parser);
    bool applyGlobalOptions(QCommandLineParser &parser);
    /// The client for the resolved endpoint and credentials; nullptr after an error was reported.
    net::KinesisClient *client();
    void finish(int exitCode);
    void fail(const Error &error);
    void usageError(const QString &message);
    void printHelp(const Command *command);

    void runStreams(QCommandLineParser &parser);
    void runShards(QCommandLineParser &parser);
    void runCreateStream(QCommandLineParser &parser);
    void runDeleteStream(QCommandLineParser &parser);
    void runHash(QCommandLineParser &parser);
    // CliDeaggregateCommand.cpp
    void runDeaggregate(QCommandLineParser &parser);
    void waitUntilActive(const QString &stream, qint64 deadlineMs);
    /// Checks a stream named on the command line: an ARN ("arn:...") must parse strictly
    /// (aws::StreamArn); false after a usage error naming `where` was reported.
    bool checkStream(const QString &stream, const QString &where);
    /// The stream of --stream NAME|ARN or --stream-arn ARN (exactly one); empty after a usage
    /// error was reported.
    QString streamOption(QCommandLineParser &parser);

    // CliSignInCommands.cpp: whoami, sso login, MFA codes, refreshing temporary credentials
    void runWhoAmI(QCommandLineParser &parser);
    void runSsoLogin(QCommandLineParser &parser);
    /// --mfa-code, else a prompt on the terminal (stdin a tty), else no code.
    aws::MfaCodeProvider mfaCodeProvider() const;
    /// Renews temporary credentials before they expire and hands them to the client.
    void startRefreshing(const aws::Credentials &credentials);
    /// The stream's maximum record size (DescribeStreamSummary), then its shards (ListShards), for
    /// commands that send: `then` runs with both; an error of either fails the command.
    void withStream(const QString &stream, std::function<void(qint64 maxRecordBytes, std::vector<Shard> shards)> then);

    // CliTailCommand.cpp: tail
    void addTailOptions(QCommandLineParser &parser);
    void runTail(QCommandLineParser &parser);

    // CliSendCommands.cpp: put, and the send run it shares with retry, generate and replay
    void addPutOptions(QCommandLineParser &parser, bool withImport);
    void runPut(QCommandLineParser &parser);
    // CliPreviewCommand.cpp
    void runPreview(QCommandLineParser &parser);
    // CliRetryCommand.cpp
    void runRetry(QCommandLineParser &parser);
    /// Options shared by put and retry; false after a usage error was reported.
    bool sendOptionsFrom(QCommandLineParser &parser, send::SendOptions &options, QString &resultsPath);
    /// Import options from the command line; false after a usage error was reported.
    bool importOptionsFrom(QCommandLineParser &parser, import::ImportOptions &options);
    /// Prints a bad input record as it is met (the first few; the rest are counted).
    void reportBadRecord(const import::ImportIssue &issue);
    void reportHiddenIssues(qint64 issueCount);
    /// --on-bad-row stop over regular files: checks them first; true when a bad record (or an
    /// error) was reported and the command ended.
    bool badRowsInFiles(const QStringList &files, const import::ImportOptions &options);
    /// Opens the results file and sets up the streaming put, its progress line and Ctrl-C
    /// handling; its end writes the summary and exits. False after an error was reported.
    bool startSending(const QString &stream, const send::SendOptions &options, const QString &resultsPath,
                      std::vector<Shard> shards);
    void finishRun(const QString &resultsPath, bool allSucceeded);

    // CliGenerateCommands.cpp: generate, replay
    void addGenerateOptions(QCommandLineParser &parser);
    void addReplayOptions(QCommandLineParser &parser);
    void addRunOptions(QCommandLineParser &parser);
    /// The send options generate and replay take; false after a usage error was reported.
    bool runOptionsFrom(QCommandLineParser &parser, send::SendOptions &options, QString &resultsPath);
    void listHelpers();
    void runGenerate(QCommandLineParser &parser);
    void runReplay(QCommandLineParser &parser);
    void generatePreview(generate::RecordGenerator generator, const generate::RateSchedule &schedule, const ShardMap &map,
                         int count);
    void generateToFile(generate::RecordGenerator generator, const generate::RateSchedule &schedule, const QString &startTime);
    void generateToStream(const QString &stream, const send::SendOptions &options, const QString &resultsPath,
                          generate::RecordGenerator generator, const generate::RateSchedule &schedule, const ShardMap &map,
                          const std::vector<Shard> &shards, const std::vector<generate::GeneratedRecord> &sample);
    /// Paces m_source into the streaming put started by startSending().
    void startPacer();

    QStringList m_arguments;
    std::vector<Command> m_commands;
    Output m_out;
    QString m_endpointUrl;
    QString m_region;
    QString m_profile;
    QString m_mfaCode;
    std::unique_ptr<aws::CredentialsRefresher> m_refresher;
    int m_connectTimeoutMs = 10000;
    int m_timeoutMs = 30000;
    std::unique_ptr<net::KinesisClient> m_client;
    // State of a put/retry run (destroyed in this order from the bottom: the put, then the
    // reader, then the results file they write to).
    std::unique_ptr<exporting::ResultsJournal> m_journal;
    std::unique_ptr<import::ImportThread> m_reader;
    std::unique_ptr<send::StreamingPut> m_put;
    // generate / replay: the records' source and its pacer (the pacer goes first).
    std::unique_ptr<generate::PacedSource> m_source;
    std::unique_ptr<generate::Pacer> m_pacer;
    bool m_untilStopped = false; ///< Ctrl-C is the run's normal end (--until-stopped, --loop)
    QString m_outputFile;        ///< generate --output FILE.jsonl (or -)
    std::optional<Error> m_importError;
    qint64 m_keptRows = 0;      ///< retry: rows copied to the new results file without sending
    qint64 m_keptSucceeded = 0; ///< ... of them, those that had succeeded
    int m_issuesShown = 0;
    bool m_badInput = false;
    bool m_interrupted = false; ///< Ctrl-C or SIGTERM stopped the run
    bool m_finished = false;
    // kwb tail
    std::unique_ptr<stream::StreamReader> m_tail;
    qint64 m_tailPrinted = 0;
};

} // namespace kwb::cli
