#pragma once

#include "Output.h"
#include "net/KinesisClient.h"

#include <QCommandLineParser>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

namespace kwb::cli {

/// The `kwb` command line: parses arguments, resolves the connection, runs one command
/// asynchronously on the event loop and ends the application with the command's exit status.
/// Lives on the main thread.
class Cli : public QObject
{
    Q_OBJECT
public:
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
    void waitUntilActive(const QString &stream, qint64 deadlineMs);

    QStringList m_arguments;
    std::vector<Command> m_commands;
    Output m_out;
    QString m_endpointUrl;
    QString m_region;
    QString m_profile;
    int m_connectTimeoutMs = 10000;
    int m_timeoutMs = 30000;
    std::unique_ptr<net::KinesisClient> m_client;
    bool m_finished = false;
};

} // namespace kwb::cli
