#include "aws/CredentialProcess.h"
#include "Logging.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QProcess>

namespace kwb::aws {

namespace {


constexpr qsizetype kMaxOutput = 1024 * 1024;
constexpr qsizetype kMaxStderrShown = 400;

Error commandError(const QString &message)
{
    return Error::config(message, QStringLiteral("CredentialProcessCommand"));
}

Error outputError(const QString &what, const QString &problem)
{
    return Error::config(QStringLiteral("%1 gave an unusable answer: %2. It must print JSON like "
                                        "{\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ...}; "
                                        "fix the program or the setting")
                             .arg(what, problem),
                         QStringLiteral("CredentialProcessOutput"));
}

// stderr is the user's best clue, so it is shown (as the AWS CLI does), but shortened, on one
// line, and with any secret the process also printed on stdout masked.
QString shownStderr(const QByteArray &stderrBytes, const QByteArray &stdoutBytes)
{
    QString text = QString::fromUtf8(stderrBytes).trimmed();
    if (text.isEmpty())
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(stdoutBytes);
    if (document.isObject()) {
        for (const char *field : {"SecretAccessKey", "SessionToken"}) {
            const QString secret = document.object().value(QLatin1String(field)).toString();
            if (secret.size() >= 4)
                text.replace(secret, QStringLiteral("****"));
        }
    }
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QStringLiteral(" / "));
    if (text.size() > kMaxStderrShown)
        text = text.left(kMaxStderrShown) + QStringLiteral("...");
    return text;
}

} // namespace

Result<QStringList> CredentialProcess::splitCommandLine(const QString &commandLine)
{
    QStringList words;
    QString word;
    bool inWord = false; // a word has started, even if it is still empty ('' is a word)
    enum class Quote { None, Single, Double } quote = Quote::None;

    for (qsizetype i = 0; i < commandLine.size(); ++i) {
        const QChar c = commandLine.at(i);
        switch (quote) {
        case Quote::Single:
            if (c == QLatin1Char('\''))
                quote = Quote::None;
            else
                word += c;
            break;
        case Quote::Double:
            if (c == QLatin1Char('"')) {
                quote = Quote::None;
            } else if (c == QLatin1Char('\\') && i + 1 < commandLine.size()
                       && (commandLine.at(i + 1) == QLatin1Char('"') || commandLine.at(i + 1) == QLatin1Char('\\'))) {
                word += commandLine.at(++i);
            } else {
                word += c;
            }
            break;
        case Quote::None:
            if (c.isSpace()) {
                if (inWord) {
                    words.append(word);
                    word.clear();
                    inWord = false;
                }
            } else if (c == QLatin1Char('\'')) {
                quote = Quote::Single;
                inWord = true;
            } else if (c == QLatin1Char('"')) {
                quote = Quote::Double;
                inWord = true;
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= commandLine.size()) {
                    return commandError(QStringLiteral("the command line ends with a backslash that escapes "
                                                       "nothing. Remove it or quote the last word"));
                }
                word += commandLine.at(++i);
                inWord = true;
            } else {
                word += c;
                inWord = true;
            }
            break;
        }
    }
    if (quote != Quote::None) {
        return commandError(QStringLiteral("the command line has an unterminated %1 quote. Close it")
                                .arg(quote == Quote::Single ? QStringLiteral("'") : QStringLiteral("\"")));
    }
    if (inWord)
        words.append(word);
    if (words.isEmpty() || words.first().isEmpty())
        return commandError(QStringLiteral("the command line is empty. Name the program to run"));
    return words;
}

Result<Credentials> CredentialProcess::parseOutput(const QByteArray &output, const QString &what)
{
    if (output.trimmed().isEmpty())
        return outputError(what, QStringLiteral("it printed nothing on stdout"));
    if (output.size() > kMaxOutput)
        return outputError(what, QStringLiteral("it printed more than %1 bytes").arg(kMaxOutput));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(output, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return outputError(what, QStringLiteral("stdout is not valid JSON (%1 at byte %2)")
                                     .arg(parseError.errorString())
                                     .arg(parseError.offset));
    }
    if (!document.isObject())
        return outputError(what, QStringLiteral("stdout is JSON but not an object"));
    const QJsonObject object = document.object();

    const QJsonValue version = object.value(QLatin1String("Version"));
    if (version.isUndefined())
        return outputError(what, QStringLiteral("\"Version\" is missing"));
    if (!version.isDouble()) {
        return outputError(what, QStringLiteral("\"Version\" is not a number (the only supported "
                                                "version is the number 1)"));
    }
    if (version.toDouble() != 1.0) {
        return outputError(what, QStringLiteral("\"Version\" is %1, but only version 1 is supported")
                                     .arg(version.toDouble()));
    }

    const auto requiredString = [&object](const char *field) -> std::optional<QString> {
        const QJsonValue value = object.value(QLatin1String(field));
        if (!value.isString() || value.toString().isEmpty())
            return std::nullopt;
        return value.toString();
    };

    Credentials credentials;
    credentials.source = what;
    const auto accessKeyId = requiredString("AccessKeyId");
    if (!accessKeyId)
        return outputError(what, QStringLiteral("\"AccessKeyId\" is missing, empty or not a string"));
    credentials.accessKeyId = *accessKeyId;
    const auto secret = requiredString("SecretAccessKey");
    if (!secret)
        return outputError(what, QStringLiteral("\"SecretAccessKey\" is missing, empty or not a string"));
    credentials.secretAccessKey = *secret;

    const QJsonValue token = object.value(QLatin1String("SessionToken"));
    if (!token.isUndefined() && !token.isNull()) {
        if (!token.isString())
            return outputError(what, QStringLiteral("\"SessionToken\" is not a string"));
        credentials.sessionToken = token.toString();
    }

    const QJsonValue expiration = object.value(QLatin1String("Expiration"));
    if (!expiration.isUndefined() && !expiration.isNull()) {
        const QString text = expiration.toString();
        QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!when.isValid())
            when = QDateTime::fromString(text, Qt::ISODate);
        if (!expiration.isString() || !when.isValid()) {
            return outputError(what, QStringLiteral("\"Expiration\" is not an ISO-8601 date and time such "
                                                    "as 2030-01-01T00:00:00Z"));
        }
        if (when.timeSpec() == Qt::LocalTime)
            when.setTimeSpec(Qt::UTC);
        credentials.expiration = when.toUTC();
    }
    return credentials;
}

Result<Credentials> CredentialProcess::run(const QString &commandLine, const QString &what, const Environment &env,
                                           std::chrono::milliseconds timeout)
{
    auto words = splitCommandLine(commandLine);
    if (!words) {
        return commandError(QStringLiteral("%1 cannot be run: %2").arg(what, words.error().message));
    }
    const QString program = words.value().takeFirst();
    const QString shownProgram = QStringLiteral("\"%1\"").arg(env.displayPath(program));

    QProcess process;
    process.setProcessEnvironment(env.variables);
    process.setProgram(program);
    process.setArguments(words.value());
    process.setStandardInputFile(QProcess::nullDevice());
    qCDebug(lcCredentials).noquote() << QStringLiteral("running %1: program %2, %3 argument(s)")
                                                  .arg(what, shownProgram)
                                                  .arg(words.value().size());

    const QDeadlineTimer deadline(timeout);
    process.start();
    if (!process.waitForStarted(int(std::max<qint64>(deadline.remainingTime(), 1)))) {
        const bool timedOut = process.error() == QProcess::Timedout;
        process.kill();
        process.waitForFinished(2000);
        if (timedOut) {
            return Error::config(QStringLiteral("%1 timed out: %2 did not start within %3 ms")
                                     .arg(what, shownProgram)
                                     .arg(timeout.count()),
                                 QStringLiteral("CredentialProcessTimeout"));
        }
        return Error::config(QStringLiteral("%1 failed: %2 could not be started (%3). Check that the "
                                            "program exists and is executable, and give its full path")
                                 .arg(what, shownProgram, process.errorString()),
                             QStringLiteral("CredentialProcessFailed"));
    }
    if (!process.waitForFinished(int(std::max<qint64>(deadline.remainingTime(), 1)))) {
        process.kill();
        process.waitForFinished(2000);
        return Error::config(QStringLiteral("%1 timed out: %2 did not finish within %3 ms and was stopped. "
                                            "Run it by hand to see where it waits (a login prompt?)")
                                 .arg(what, shownProgram)
                                 .arg(timeout.count()),
                             QStringLiteral("CredentialProcessTimeout"));
    }

    const QByteArray stdoutBytes = process.readAllStandardOutput();
    const QByteArray stderrBytes = process.readAllStandardError();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString how = process.exitStatus() != QProcess::NormalExit
            ? QStringLiteral("crashed")
            : QStringLiteral("exited with code %1").arg(process.exitCode());
        const QString stderrText = shownStderr(stderrBytes, stdoutBytes);
        return Error::config(QStringLiteral("%1 failed: %2 %3%4. Run it by hand to see what is wrong")
                                 .arg(what, shownProgram, how,
                                      stderrText.isEmpty() ? QString()
                                                           : QStringLiteral(" (stderr: %1)").arg(stderrText)),
                             QStringLiteral("CredentialProcessFailed"));
    }

    auto credentials = parseOutput(stdoutBytes, QStringLiteral("%1 running %2").arg(what, shownProgram));
    if (credentials) {
        credentials.value().source = what;
        qCDebug(lcCredentials).noquote()
            << QStringLiteral("%1 answered: %2").arg(what, credentials.value().redacted());
    }
    return credentials;
}

} // namespace kwb::aws
