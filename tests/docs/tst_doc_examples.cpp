// Every command example of README.md and docs/user-guide/*.md, run as written with the built kwb
// first on PATH, and its output compared with the lines the page shows under it.
//
// The examples are read from the markdown (DocExamples.h): every ```sh block, a `$ ` line being a
// command and the lines after it its output. A new example is therefore covered without touching
// this file, and one this test cannot classify fails (classify() says what it knows).
//
// How the examples run:
// - Each page runs in order in its own temporary directory, as one reader would follow it.
// - The endpoint: the page's own `kwb sandbox` example when it has one (started when the first
//   example needs it: "The run above used: kwb sandbox ..."), else the sandbox of the Connecting
//   page (`kwb sandbox --streams orders:4`, without the streams the page creates itself). A
//   later, different `kwb sandbox` example on the page stops the running one (Ctrl+C, which
//   must exit 0) and takes its place.
//   `--endpoint-url` examples name it; the others reach it through AWS_ENDPOINT_URL_KINESIS, as
//   a reader would point kwb at a test endpoint instead of AWS. The one change made to commands:
//   the port 4567 (and LocalStack's 4566) becomes a free port, so the test runs beside anything
//   else on the machine; `--port` stays explicit, as written. (And `aws` examples get
//   `--endpoint-url`: Debian's AWS CLI is older than AWS_ENDPOINT_URL_KINESIS.)
// - Files an example reads exist: the shipped sample (resources/samples/orders-and-clicks.jsonl,
//   which the user guide names), or files made here as the pages describe them (the CSV shown on
//   the Importing page, a results file from `kwb put --results`, ...). An unknown one fails.
// - An example exits 0 unless the next one is `echo $?`, which then shows its status.
// - `export NAME=VALUE` sets the environment of the page's later commands, as in the reader's shell.
// - Sign-in (STS, the SSO portal, SSO OIDC) goes to the page's sandbox, which serves them and
//   approves device sign-ins itself (Connecting: "Practising sign-in offline"): the test points
//   AWS_ENDPOINT_URL_STS/_SSO/_SSO_OIDC at it until the page exports AWS_ENDPOINT_URL itself.
//   Several ```ini blocks naming the same file add to it, as the reader's file grows. A browser
//   `kwb sso login` would open is a placeholder `xdg-open` that notes the URL.
// - `tail -f FILE | kwb put ... --results R` runs as written with FILE present, until R says that
//   every line of FILE succeeded (within 10 s); then the reader's Ctrl+C (SIGINT to the
//   pipeline's process group) must end kwb with exit 1 and R holding one succeeded row per line.
//   The stream it names is created first when the page's sandbox has none of that name.
// - Output: the same lines; "..." stands for any lines. In the summary line of put and retry
//   ("kwb: 50 records: ...") numbers may differ: they depend on timing and throttling.
// - Not run, but checked: `make TARGET` names a target of the Makefile; `sudo apt install/remove`
//   names the package this build makes (name and version).
#include "DocExamples.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>
#include <memory>

using namespace kwb::test;

namespace {

QString sourceDir()
{
    return qEnvironmentVariable("KWB_SOURCE_DIR");
}

QString kwbDir()
{
    return qEnvironmentVariable("KWB_BINARY_DIR") + QStringLiteral("/app");
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

/// The command without a trailing `# comment` (outside quotes).
QString withoutComment(const QString &command, QString *comment = nullptr)
{
    QChar quote;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('#') && (i == 0 || command[i - 1].isSpace())) {
            if (comment)
                *comment = command.mid(i + 1).trimmed();
            return command.left(i).trimmed();
        }
    }
    return command.trimmed();
}

/// Words of a command, a `;` after one dropped (no quoting needed for the examples' file names
/// and options).
QStringList words(const QString &command)
{
    QString flat = command;
    flat.replace(QLatin1String("\\\n"), QLatin1String(" "));
    QStringList w = flat.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    for (QString &word : w)
        if (word.size() > 1 && word.endsWith(QLatin1Char(';')))
            word.chop(1);
    return w;
}

/// The stages of a pipeline: split at each `|` outside quotes.
QStringList pipelineStages(const QString &command)
{
    QStringList stages{QString()};
    QChar quote;
    for (const QChar c : command) {
        if (!quote.isNull())
            quote = c == quote ? QChar() : quote;
        else if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            quote = c;
        else if (c == QLatin1Char('|')) {
            stages.append(QString());
            continue;
        }
        stages.last() += c;
    }
    return stages;
}

enum class Kind {
    Unknown,
    Make,        ///< not run: the target must exist
    AptInstall,  ///< not run: the package file must be this build's
    AptRemove,   ///< not run: the package name must be this build's
    Sandbox,     ///< `kwb sandbox ...` (with `&`: in the background)
    Kwb,         ///< any other kwb command, a pipeline into kwb, or a script of kwb commands
    AwsCli,      ///< `aws kinesis ...` against the page's endpoint
    Jq,          ///< `jq ... FILE | sort | uniq -c`
    TailFollow,  ///< `tail -f FILE | kwb put ...`: a live pipe, ended with Ctrl+C
    Export,      ///< `export NAME=VALUE` for the page's later commands
    EchoStatus,  ///< `echo $?`
};

/// Programs an example may pipe into kwb that stand for the reader's own; the test provides them.
const QStringList kPlaceholderPrograms{QStringLiteral("produce-events")};

Kind classify(const QString &command, QString *why)
{
    const QString bare = withoutComment(command);
    const QStringList w = words(bare);
    if (w.isEmpty()) {
        *why = QStringLiteral("an empty command");
        return Kind::Unknown;
    }
    if (w[0] == QLatin1String("make") && w.size() == 2)
        return Kind::Make;
    if (w.size() == 4 && w[0] == QLatin1String("sudo") && w[1] == QLatin1String("apt") && w[2] == QLatin1String("install")
        && w[3].endsWith(QLatin1String(".deb")))
        return Kind::AptInstall;
    if (w.size() == 4 && w[0] == QLatin1String("sudo") && w[1] == QLatin1String("apt") && w[2] == QLatin1String("remove"))
        return Kind::AptRemove;
    if (bare == QLatin1String("echo $?"))
        return Kind::EchoStatus;
    if (w.size() == 2 && w[0] == QLatin1String("export")
        && QRegularExpression(QStringLiteral("^[A-Z_][A-Z0-9_]*=\\S+$")).match(w[1]).hasMatch())
        return Kind::Export;
    if (w[0] == QLatin1String("kwb") && w.contains(QLatin1String("sandbox")) && pipelineStages(bare).size() == 1
        && !bare.contains(QLatin1Char(';')) && !w.contains(QLatin1String("--help")) && !w.contains(QLatin1String("-h")))
        return Kind::Sandbox;
    if (w[0] == QLatin1String("aws") && w.size() > 1 && w[1] == QLatin1String("kinesis"))
        return Kind::AwsCli;
    // Pipelines: each stage must be known.
    const QStringList stages = pipelineStages(bare);
    const auto stageProgram = [](const QString &stage) { return words(stage).value(0); };
    if (stageProgram(stages[0]) == QLatin1String("jq")) {
        for (qsizetype i = 1; i < stages.size(); ++i)
            if (const QString p = stageProgram(stages[i]); p != QLatin1String("sort") && p != QLatin1String("uniq")) {
                *why = QStringLiteral("jq piped into '%1'").arg(p);
                return Kind::Unknown;
            }
        return Kind::Jq;
    }
    if (stages.size() == 2 && words(stages[0]).size() == 3 && words(stages[0])[0] == QLatin1String("tail")
        && words(stages[0])[1] == QLatin1String("-f") && words(stages[1]).mid(0, 2) == QStringList{QStringLiteral("kwb"), QStringLiteral("put")}
        && words(stages[1]).contains(QLatin1String("--results")))
        return Kind::TailFollow;
    if (stages.size() == 2 && kPlaceholderPrograms.contains(stageProgram(stages[0]))
        && stageProgram(stages[1]) == QLatin1String("kwb"))
        return Kind::Kwb;
    if (stages.size() == 1 && w[0] == QLatin1String("kwb"))
        return Kind::Kwb;
    // A script: if/then/else/fi around kwb commands only.
    if (w[0] == QLatin1String("if")) {
        for (const QString &line : bare.split(QLatin1Char('\n'))) {
            QString t = line.trimmed();
            for (const char *prefix : {"if ! ", "if ", "then", "else", "fi"})
                if (t.startsWith(QLatin1String(prefix)))
                    t = t.mid(qsizetype(qstrlen(prefix))).trimmed();
            if (t.endsWith(QLatin1String("; then")))
                t.chop(6);
            if (!t.isEmpty() && !t.startsWith(QLatin1String("kwb "))) {
                *why = QStringLiteral("a script line that is not a kwb command: '%1'").arg(line.trimmed());
                return Kind::Unknown;
            }
        }
        return Kind::Kwb;
    }
    *why = QStringLiteral("the program '%1' is not one the examples may use (kwb, make, sudo apt, aws kinesis, "
                          "jq, echo $?, or a placeholder: %2)")
               .arg(w[0], kPlaceholderPrograms.join(QStringLiteral(", ")));
    return Kind::Unknown;
}

/// Whether `actual` has the lines of `expected` ("..." for any lines); `why` says where not.
bool sameShape(const QStringList &expected, QStringList actual, QString *why)
{
    while (!actual.isEmpty() && actual.last().trimmed().isEmpty())
        actual.removeLast();
    const auto lineMatches = [](const QString &want, const QString &got) {
        const QString w = want.trimmed();
        const QString g = got.trimmed();
        static const QRegularExpression summary(QStringLiteral("^kwb: \\d+ records: "));
        if (!summary.match(w).hasMatch())
            return w == g;
        // Numbers of a send depend on timing: same words, any numbers.
        QString pattern;
        static const QRegularExpression number(QStringLiteral("\\d+(\\.\\d+)?"));
        qsizetype at = 0;
        for (auto it = number.globalMatch(w); it.hasNext();) {
            const auto m = it.next();
            pattern += QRegularExpression::escape(w.mid(at, m.capturedStart() - at)) + QStringLiteral("\\d+(\\.\\d+)?");
            at = m.capturedEnd();
        }
        pattern += QRegularExpression::escape(w.mid(at));
        return QRegularExpression(QLatin1Char('^') + pattern + QLatin1Char('$')).match(g).hasMatch();
    };
    qsizetype j = 0;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (expected[i].trimmed() == QLatin1String("...")) {
            if (i + 1 == expected.size())
                return true;
            while (j < actual.size() && !lineMatches(expected[i + 1], actual[j]))
                ++j;
            continue;
        }
        if (j >= actual.size()) {
            *why = QStringLiteral("the output ends before the documented line '%1'").arg(expected[i]);
            return false;
        }
        if (!lineMatches(expected[i], actual[j])) {
            *why = QStringLiteral("documented '%1', printed '%2'").arg(expected[i], actual[j]);
            return false;
        }
        ++j;
    }
    if (j < actual.size()) {
        *why = QStringLiteral("more output than documented, from '%1'").arg(actual[j]);
        return false;
    }
    return true;
}

struct Ran
{
    int exitCode = -1;
    QStringList lines;
};

} // namespace

class TstDocExamples : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyBlockIsKnown();
    void examples_data();
    void examples();

private:
    /// The state of the page being followed.
    struct Page
    {
        QString name;
        std::unique_ptr<QTemporaryDir> dir;
        QString bin;
        quint16 port = 0;
        QString sandboxCommand; ///< the page's own, or the Connecting page's
        std::unique_ptr<QProcess> sandbox;
        QByteArray sandboxOutput;
        int lastExit = 0;
        QList<QPair<QString, QString>> exports; ///< the page's `export NAME=VALUE`, in order
    };

    bool enterPage(const QString &page);
    bool leavePage();
    bool stopSandbox();
    /// The sandbox an example starts, as this test runs it (its port, no `&`).
    QString sandboxCommandOf(const QString &command) const;
    QString adapted(QString command) const;
    QProcessEnvironment environment(bool awsKeys = false) const;
    bool ensureEndpoint();
    /// The sandbox's output so far, waiting up to `waitMs` for at least `atLeast` lines.
    QStringList sandboxLines(int atLeast, int waitMs = 10000);
    Ran run(const QString &command);
    /// Runs a `tail -f FILE | kwb put ... --results R` example; `why` says what went wrong.
    bool runTailFollow(const QString &command, int *exitCode, QString *why);
    bool ensureInputs(const QString &command);
    bool checkNotRun(Kind kind, const QString &command, QString *why) const;

    QList<DocBlock> m_blocks;
    Page m_page;
};

void TstDocExamples::initTestCase()
{
    QVERIFY2(!sourceDir().isEmpty() && QFile::exists(kwbDir() + QStringLiteral("/kwb")),
             "KWB_SOURCE_DIR / KWB_BINARY_DIR are not set or kwb is not built; run through ctest");
    QStringList pages{QStringLiteral("README.md")};
    const QDir guide(sourceDir() + QStringLiteral("/docs/user-guide"));
    for (const QString &name : guide.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
        pages << QStringLiteral("docs/user-guide/") + name;
    for (const QString &page : pages)
        m_blocks += parseDocBlocks(page, readText(sourceDir() + QLatin1Char('/') + page));
    qsizetype commands = 0;
    for (const DocBlock &b : m_blocks)
        commands += b.commands.size();
    // The parser found the examples (a broken parser must not pass by finding none).
    QVERIFY2(commands >= 30, qPrintable(QStringLiteral("only %1 commands found").arg(commands)));
}

void TstDocExamples::cleanupTestCase()
{
    leavePage();
}

void TstDocExamples::everyBlockIsKnown()
{
    // Commands are ```sh; data is ```json, ```text or ```ini. An unlabelled block could hide a
    // command from this test.
    for (const DocBlock &b : std::as_const(m_blocks)) {
        static const QStringList known{QStringLiteral("sh"), QStringLiteral("json"), QStringLiteral("text"), QStringLiteral("ini")};
        QVERIFY2(known.contains(b.language),
                 qPrintable(QStringLiteral("%1: a ``` block labelled '%2': label commands ```sh and anything else ```text, "
                                           "```json or ```ini")
                                .arg(b.where(), b.language)));
        for (const QString &line : b.lines)
            QVERIFY2(b.language == QLatin1String("sh") || !line.startsWith(QLatin1String("$ ")),
                     qPrintable(QStringLiteral("%1: a command ('%2') in a ```%3 block").arg(b.where(), line, b.language)));
    }
}

void TstDocExamples::examples_data()
{
    QTest::addColumn<int>("index");
    for (qsizetype i = 0; i < m_blocks.size(); ++i)
        if (m_blocks[i].language == QLatin1String("sh"))
            QTest::newRow(qPrintable(m_blocks[i].where())) << int(i);
}

void TstDocExamples::examples()
{
    QFETCH(int, index);
    const DocBlock &block = m_blocks[index];
    if (m_page.name != block.page)
        QVERIFY(enterPage(block.page));
    QVERIFY2(!block.commands.isEmpty(), qPrintable(block.where() + QStringLiteral(": a ```sh block without a command")));
    for (qsizetype c = 0; c < block.commands.size(); ++c) {
        const DocCommand &command = block.commands[c];
        const QString where = QStringLiteral("%1:%2: `%3`").arg(block.page).arg(command.line).arg(withoutComment(command.text));
        QString why;
        const Kind kind = classify(command.text, &why);
        QVERIFY2(kind != Kind::Unknown,
                 qPrintable(QStringLiteral("%1: cannot classify this example: %2. Teach tests/docs/tst_doc_examples.cpp how "
                                           "to run it, or change the example.")
                                .arg(where, why)));
        if (kind == Kind::Make || kind == Kind::AptInstall || kind == Kind::AptRemove) {
            QVERIFY2(checkNotRun(kind, command.text, &why), qPrintable(where + QStringLiteral(": ") + why));
            continue;
        }
        if (kind == Kind::Export) {
            const QString assignment = words(withoutComment(command.text)).value(1);
            const qsizetype eq = assignment.indexOf(QLatin1Char('='));
            m_page.exports.append({assignment.left(eq), adapted(assignment.mid(eq + 1))});
            m_page.lastExit = 0;
            continue;
        }
        if (kind == Kind::EchoStatus) {
            QVERIFY2(command.output == QStringList{QString::number(m_page.lastExit)},
                     qPrintable(QStringLiteral("%1: the page shows %2, the example before exited %3")
                                    .arg(where, command.output.join(QLatin1Char('|')))
                                    .arg(m_page.lastExit)));
            continue;
        }
        if (kind == Kind::AwsCli || kind == Kind::Jq) {
            // make test installs both (TEST_PACKAGES); a bare ctest run may not have them.
            const QString program = kind == Kind::AwsCli ? QStringLiteral("aws") : QStringLiteral("jq");
            if (QStandardPaths::findExecutable(program).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1: '%2' is not installed (make test installs it)").arg(where, program)));
        }
        if (kind == Kind::Sandbox) {
            // Another sandbox than the running one: the reader stops that one (Ctrl+C) first.
            const QString wanted = sandboxCommandOf(command.text);
            if (m_page.sandbox && wanted != m_page.sandboxCommand)
                QVERIFY2(stopSandbox(), qPrintable(where + QStringLiteral(": the sandbox before it did not stop cleanly")));
            m_page.sandboxCommand = wanted;
        }
        QVERIFY2(ensureEndpoint(), qPrintable(where + QStringLiteral(": the endpoint did not start")));
        QVERIFY2(ensureInputs(command.text), qPrintable(where + QStringLiteral(": an input file is missing (see above)")));
        if (kind == Kind::Sandbox) {
            // The sandbox of this example is running (ensureEndpoint started it): its output so far.
            const QStringList lines = sandboxLines(int(std::max<qsizetype>(command.output.size(), 1)));
            QString comment;
            withoutComment(command.text, &comment);
            if (comment.startsWith(QLatin1String("prints ")))
                QVERIFY2(sameShape({adapted(comment.mid(7))}, lines.mid(0, 1), &why), qPrintable(where + QStringLiteral(": ") + why));
            if (!command.output.isEmpty()) {
                QStringList expected;
                for (const QString &l : command.output)
                    if (l.trimmed() != QLatin1String("..."))
                        expected << adapted(l);
                // Its notes come at once after the URL; "..." lines stand for some of them.
                sandboxLines(int(expected.size()));
                const QStringList all = sandboxLines(int(expected.size()) + 1000, 300);
                expected.clear();
                for (const QString &l : command.output)
                    expected << adapted(l);
                QVERIFY2(sameShape(expected, all, &why), qPrintable(where + QStringLiteral(": ") + why));
            }
            m_page.lastExit = 0;
            continue;
        }
        if (kind == Kind::TailFollow) {
            int exitCode = -1;
            QVERIFY2(runTailFollow(command.text, &exitCode, &why), qPrintable(where + QStringLiteral(": ") + why));
            m_page.lastExit = exitCode;
            continue;
        }
        const Ran ran = run(command.text);
        m_page.lastExit = ran.exitCode;
        qInfo("%s: exit %d, %lld lines%s%s", qPrintable(where), ran.exitCode, qlonglong(ran.lines.size()),
              ran.lines.isEmpty() ? "" : ": ", qPrintable(ran.lines.value(0).left(100)));
        const bool statusShownNext = c + 1 < block.commands.size()
            && classify(block.commands[c + 1].text, &why) == Kind::EchoStatus;
        if (!statusShownNext)
            QVERIFY2(ran.exitCode == 0, qPrintable(QStringLiteral("%1: exit status %2; output:\n%3")
                                                       .arg(where)
                                                       .arg(ran.exitCode)
                                                       .arg(ran.lines.join(QLatin1Char('\n')))));
        if (block.transcript) {
            QStringList expected;
            for (const QString &l : command.output)
                expected << adapted(l);
            QVERIFY2(sameShape(expected, ran.lines, &why),
                     qPrintable(QStringLiteral("%1: %2; the whole output:\n%3").arg(where, why, ran.lines.join(QLatin1Char('\n')))));
        }
        if (kind == Kind::AwsCli)
            QVERIFY2(ran.lines.join(QLatin1Char('\n')).contains(QLatin1String("\"FailedRecordCount\": 0")),
                     qPrintable(where + QStringLiteral(": ") + ran.lines.join(QLatin1Char('\n'))));
    }
}

bool TstDocExamples::enterPage(const QString &page)
{
    if (!leavePage())
        return false;
    m_page.name = page;
    m_page.dir = std::make_unique<QTemporaryDir>();
    m_page.port = freePort();
    m_page.lastExit = 0;
    m_page.exports.clear();
    if (!m_page.dir->isValid() || m_page.port == 0)
        return false;
    const QString dir = m_page.dir->path();
    // The README's examples run in a checkout: its resources/ are there.
    if (!QFile::link(sourceDir() + QStringLiteral("/resources"), dir + QStringLiteral("/resources")))
        return false;
    // Placeholder programs stand for the reader's own.
    m_page.bin = dir + QStringLiteral("/.bin");
    const QString produceEvents = m_page.bin + QStringLiteral("/produce-events");
    if (!writeFile(produceEvents, "#!/bin/sh\nfor i in 1 2 3 4 5 6; do printf '{\"id\":\"event-%s\",\"type\":\"click\"}\\n' \"$i\"; done\n"))
        return false;
    QFile::setPermissions(produceEvents, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // The browser `kwb sso login` opens: nobody clicks in it (the sandbox approves by itself).
    const QString browser = m_page.bin + QStringLiteral("/xdg-open");
    if (!writeFile(browser, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$HOME/browser-opened.txt\"\n"))
        return false;
    QFile::setPermissions(browser, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // ```ini blocks that name their file ("# ~/.aws/credentials") are the reader's AWS files.
    QString sandboxCommand;
    QStringList created;
    for (const DocBlock &b : std::as_const(m_blocks)) {
        if (b.page != page)
            continue;
        if (b.language == QLatin1String("ini")) {
            QString file;
            QByteArray content;
            const auto flush = [&] {
                // Blocks naming the same file add to it (a section named again merges, as in the AWS CLI).
                if (!file.isEmpty()) {
                    QFile f(dir + QStringLiteral("/home/") + file);
                    QDir().mkpath(QFileInfo(f).absolutePath());
                    if (f.open(QIODevice::Append))
                        f.write(content + '\n');
                }
                content.clear();
            };
            for (const QString &line : b.lines) {
                if (line.startsWith(QLatin1String("# ~/"))) {
                    flush();
                    file = line.mid(4).trimmed();
                    continue;
                }
                content += line.toUtf8() + '\n';
            }
            flush();
        }
        for (const DocCommand &c : b.commands) {
            QString why;
            const Kind kind = classify(c.text, &why);
            const QStringList w = words(withoutComment(c.text));
            if (kind == Kind::Sandbox && sandboxCommand.isEmpty())
                sandboxCommand = sandboxCommandOf(c.text);
            if (kind == Kind::Kwb && w.contains(QLatin1String("create-stream")))
                created << w.value(w.indexOf(QLatin1String("create-stream")) + 1);
        }
    }
    QDir().mkpath(dir + QStringLiteral("/home"));
    if (sandboxCommand.isEmpty()) {
        // The Connecting page's sandbox, less the streams this page creates itself.
        sandboxCommand = adapted(QStringLiteral("kwb sandbox"));
        if (!created.contains(QLatin1String("orders")))
            sandboxCommand += QStringLiteral(" --streams orders:4");
    }
    m_page.sandboxCommand = sandboxCommand;
    return true;
}

QString TstDocExamples::sandboxCommandOf(const QString &command) const
{
    return adapted(withoutComment(command)).remove(QRegularExpression(QStringLiteral("\\s*&$")));
}

bool TstDocExamples::leavePage()
{
    const bool ok = stopSandbox();
    m_page.dir.reset();
    m_page.name.clear();
    return ok;
}

bool TstDocExamples::stopSandbox()
{
    bool ok = true;
    if (m_page.sandbox) {
        ::kill(pid_t(m_page.sandbox->processId()), SIGINT);
        ok = m_page.sandbox->waitForFinished(10000) && m_page.sandbox->exitStatus() == QProcess::NormalExit
            && m_page.sandbox->exitCode() == 0;
        if (!ok) {
            m_page.sandbox->kill();
            m_page.sandbox->waitForFinished(5000);
            qWarning("%s: the sandbox did not stop cleanly on Ctrl+C", qPrintable(m_page.name));
        }
        m_page.sandbox.reset();
    }
    m_page.sandboxOutput.clear();
    return ok;
}

QString TstDocExamples::adapted(QString command) const
{
    // Only the port: the examples' 4567 (and LocalStack's 4566) become this page's free port.
    static const QRegularExpression url(QStringLiteral("((?:127\\.0\\.0\\.1|localhost):)456[67]\\b"));
    command.replace(url, QStringLiteral("\\1%1").arg(m_page.port));
    static const QRegularExpression portOption(QStringLiteral("--port\\s+4567\\b"));
    command.replace(portOption, QStringLiteral("--port %1").arg(m_page.port));
    const bool sandboxCommand = command == QLatin1String("kwb sandbox") || command.startsWith(QLatin1String("kwb sandbox "));
    if (sandboxCommand && !command.contains(QLatin1String("--port"))) {
        const bool background = command.endsWith(QLatin1Char('&'));
        if (background)
            command = command.chopped(1).trimmed();
        command += QStringLiteral(" --port %1").arg(m_page.port);
        if (background)
            command += QStringLiteral(" &");
    }
    return command;
}

QProcessEnvironment TstDocExamples::environment(bool awsKeys) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO",
                             "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
                             "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
                             "AWS_ENDPOINT_URL_KINESIS", "KWB_SANDBOX_VERIFY_SIGNATURES"})
        env.remove(QLatin1String(name));
    env.insert(QStringLiteral("PATH"), kwbDir() + QLatin1Char(':') + m_page.bin + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
    env.insert(QStringLiteral("HOME"), m_page.dir->path() + QStringLiteral("/home"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_KINESIS"), QStringLiteral("http://127.0.0.1:%1").arg(m_page.port));
    bool pageSetsSignIn = false;
    for (const auto &[name, value] : m_page.exports) {
        env.insert(name, value);
        pageSetsSignIn = pageSetsSignIn || name == QLatin1String("AWS_ENDPOINT_URL") || name.startsWith(QLatin1String("AWS_ENDPOINT_URL_S"));
    }
    if (!pageSetsSignIn)
        for (const char *name : {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC"})
            env.insert(QLatin1String(name), QStringLiteral("http://127.0.0.1:%1").arg(m_page.port));
    if (awsKeys) {
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDDOCEXAMPLES"));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("doc-examples-secret"));
    }
    return env;
}

bool TstDocExamples::ensureEndpoint()
{
    if (m_page.sandbox)
        return m_page.sandbox->state() == QProcess::Running;
    m_page.sandbox = std::make_unique<QProcess>();
    m_page.sandbox->setProcessEnvironment(environment());
    m_page.sandbox->setWorkingDirectory(m_page.dir->path());
    m_page.sandbox->setProcessChannelMode(QProcess::MergedChannels);
    m_page.sandbox->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("exec ") + m_page.sandboxCommand});
    if (!m_page.sandbox->waitForStarted(10000))
        return false;
    const QStringList first = sandboxLines(1);
    const bool up = !first.isEmpty() && first.front().startsWith(QLatin1String("http://"));
    if (!up)
        qWarning("%s: `%s` printed: %s", qPrintable(m_page.name), qPrintable(m_page.sandboxCommand),
                 m_page.sandboxOutput.constData());
    return up;
}

QStringList TstDocExamples::sandboxLines(int atLeast, int waitMs)
{
    QProcess &p = *m_page.sandbox;
    const auto lines = [&] { return QString::fromUtf8(m_page.sandboxOutput).split(QLatin1Char('\n'), Qt::SkipEmptyParts); };
    QElapsedTimer timer;
    timer.start();
    while (lines().size() < atLeast && timer.elapsed() < waitMs && p.state() == QProcess::Running) {
        p.waitForReadyRead(200);
        m_page.sandboxOutput += p.readAll();
    }
    m_page.sandboxOutput += p.readAll();
    return lines();
}

Ran TstDocExamples::run(const QString &command)
{
    QString why;
    QProcess process;
    process.setProcessEnvironment(environment(classify(command, &why) == Kind::AwsCli));
    process.setWorkingDirectory(m_page.dir->path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    // `$?` in an example is the status of the one before it.
    QString line = adapted(command);
    // The AWS CLI before 2.13 (Debian's) reads no AWS_ENDPOINT_URL_KINESIS: name the endpoint.
    if (classify(command, &why) == Kind::AwsCli)
        line = withoutComment(line) + QStringLiteral(" --endpoint-url http://127.0.0.1:%1").arg(m_page.port);
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("(exit %1); %2").arg(m_page.lastExit).arg(line)});
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished(5000);
        return {-1, {QStringLiteral("(no end within 120 s)")}};
    }
    QString out = QString::fromUtf8(process.readAll());
    if (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            out.isEmpty() ? QStringList() : out.split(QLatin1Char('\n'))};
}

bool TstDocExamples::runTailFollow(const QString &command, int *exitCode, QString *why)
{
    const QStringList stages = pipelineStages(withoutComment(command));
    const QString input = words(stages[0]).value(2);
    const QStringList kwbWords = words(stages[1]);
    const QString results = kwbWords.value(kwbWords.indexOf(QLatin1String("--results")) + 1);
    const QString stream = kwbWords.value(kwbWords.indexOf(QLatin1String("--stream")) + 1);
    const QString dir = m_page.dir->path();
    // The stream is the reader's own: make it when the page's sandbox has none of that name.
    const Ran streams = run(QStringLiteral("kwb streams"));
    if (streams.exitCode != 0 || (!streams.lines.contains(stream)
                                  && run(QStringLiteral("kwb create-stream %1 --shards 1 --wait").arg(stream)).exitCode != 0)) {
        *why = QStringLiteral("could not list or create the stream '%1': %2").arg(stream, streams.lines.join(QLatin1Char('\n')));
        return false;
    }
    // The count of records to expect: the lines of the input, counted here.
    const QStringList inputLines = readText(dir + QLatin1Char('/') + input).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (inputLines.isEmpty()) {
        *why = QStringLiteral("%1 is empty").arg(input);
        return false;
    }
    const auto succeededRows = [&] {
        int n = 0;
        for (const QString &line : readText(dir + QLatin1Char('/') + results).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            n += line.contains(QLatin1String("\"status\":\"succeeded\""));
        return n;
    };
    QProcess process;
    process.setProcessEnvironment(environment());
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    // Its own process group, as a terminal's foreground job: Ctrl+C reaches tail and kwb.
    process.setChildProcessModifier([] { ::setsid(); });
    // The reader's shell is not in the foreground job: this one only waits (a trapped signal is
    // reset to the default in tail and kwb) and exits with the pipeline's status, kwb's.
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("trap : INT; ") + adapted(withoutComment(command))});
    if (!process.waitForStarted(10000)) {
        *why = QStringLiteral("the pipeline did not start");
        return false;
    }
    // The job's process group (the shell's pid, after setsid); kept, as processId() is 0 once it ends.
    const pid_t job = pid_t(process.processId());
    QElapsedTimer timer;
    timer.start();
    while (succeededRows() < inputLines.size() && timer.elapsed() < 10000 && process.state() == QProcess::Running)
        process.waitForFinished(100);
    const int sent = succeededRows();
    const bool stillRunning = process.state() == QProcess::Running;
    // Ctrl+C reaches tail and kwb at once; which one acts first is a race (when tail ends first,
    // kwb just sees the end of its input). The test takes the case the page documents: kwb gets
    // it first; then the rest of the job (tail) gets it too.
    pid_t kwbPid = 0;
    const QString shPid = QString::number(job);
    for (const QString &child : readText(QStringLiteral("/proc/%1/task/%1/children").arg(shPid)).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        if (readText(QStringLiteral("/proc/%1/comm").arg(child)).trimmed() == QLatin1String("kwb"))
            kwbPid = pid_t(child.toInt());
    if (kwbPid == 0 && stillRunning) {
        ::kill(-job, SIGKILL);
        process.waitForFinished(5000);
        *why = QStringLiteral("kwb is not a child of the pipeline's shell");
        return false;
    }
    if (kwbPid != 0) {
        ::kill(kwbPid, SIGINT);
        QElapsedTimer stopping;
        stopping.start();
        while (::kill(kwbPid, 0) == 0 && QFileInfo::exists(QStringLiteral("/proc/%1/exe").arg(kwbPid)) && stopping.elapsed() < 15000)
            process.waitForFinished(50);
    }
    // tail notices that kwb has gone (coreutils' tail -f watches its output); the reader's Ctrl+C
    // reaches it too.
    if (process.state() == QProcess::Running)
        ::kill(-job, SIGINT);
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(15000)) {
        ::kill(-job, SIGKILL);
        process.waitForFinished(5000);
        *why = QStringLiteral("kwb did not end within 15 s of Ctrl+C");
        return false;
    }
    const QString output = QString::fromUtf8(process.readAll());
    if (!stillRunning || sent != inputLines.size()) {
        *why = QStringLiteral("while `tail -f` was still running, %1 of the %2 lines of %3 reached %4 as succeeded within %5 ms%6; "
                              "output:\n%7")
                   .arg(sent)
                   .arg(inputLines.size())
                   .arg(input, results)
                   .arg(timer.elapsed())
                   .arg(stillRunning ? QString() : QStringLiteral(" (the pipeline ended by itself)"), output);
        return false;
    }
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    // As documented: Ctrl+C stops reading, finishes the requests in flight, writes the results and exits 1.
    const QStringList finalRows = readText(dir + QLatin1Char('/') + results).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (*exitCode != 1 || finalRows.size() != inputLines.size() || succeededRows() != inputLines.size()) {
        *why = QStringLiteral("after Ctrl+C: exit %1 (documented: 1), %2 rows in %3 of which %4 succeeded (expected %5 each); "
                              "output:\n%6")
                   .arg(*exitCode)
                   .arg(finalRows.size())
                   .arg(results)
                   .arg(succeededRows())
                   .arg(inputLines.size())
                   .arg(output);
        return false;
    }
    qInfo("`%s`: %d records sent within %lld ms, exit %d after Ctrl+C", qPrintable(command), sent, qlonglong(timer.elapsed()), *exitCode);
    return true;
}

bool TstDocExamples::ensureInputs(const QString &command)
{
    const QStringList w = words(withoutComment(command));
    QStringList outputs;
    for (qsizetype i = 0; i + 1 < w.size(); ++i)
        if (w[i] == QLatin1String("--results") || w[i] == QLatin1String(">") // written, not read
            || (w[i] == QLatin1String("--output") && w[i + 1].endsWith(QLatin1String(".jsonl"))))
            outputs << w[i + 1];
    static const QRegularExpression fileName(QStringLiteral("^(?:file://)?([\\w./*-]+\\.(?:jsonl|json|csv|tsv|log|txt|png))$"));
    const QString dir = m_page.dir->path();
    for (const QString &word : w) {
        const auto m = fileName.match(word);
        if (!m.hasMatch() || outputs.contains(word))
            continue;
        const QString name = m.captured(1);
        if (name.contains(QLatin1Char('*')) ? !QDir(dir + QLatin1Char('/') + QFileInfo(name).path()).isEmpty()
                                            : QFile::exists(dir + QLatin1Char('/') + name))
            continue;
        bool made = true;
        if (name == QLatin1String("orders-and-clicks.jsonl")) {
            made = QFile::copy(sourceDir() + QStringLiteral("/resources/samples/orders-and-clicks.jsonl"), dir + QLatin1Char('/') + name);
        } else if (name == QLatin1String("customers.csv")) {
            made = writeFile(dir + QLatin1Char('/') + name, "customer,body,route\nc1,hello,\nc2,world,0\n"); // as Importing shows
        } else if (name == QLatin1String("app.log")) {
            made = writeFile(dir + QLatin1Char('/') + name, "2026-12-01 10:00:00 INFO started\n2026-12-01 10:00:01 WARN slow disk\n"
                                                             "2026-12-01 10:00:02 INFO stopped\n");
        } else if (name == QLatin1String("records.jsonl")) {
            made = writeFile(dir + QLatin1Char('/') + name, "{\"PartitionKey\":\"user-1108\",\"Data\":\"eyJ0eXBlIjoiY2xpY2sifQ==\"}\n"
                                                             "{\"PartitionKey\":\"user-1301\",\"Data\":\"aGVsbG8=\"}\n");
        } else if (name == QLatin1String("images/*.png")) {
            const QByteArray png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
            made = writeFile(dir + QStringLiteral("/images/a.png"), png + "a") && writeFile(dir + QStringLiteral("/images/b.png"), png + "b");
        } else if (name == QLatin1String("events.jsonl")) {
            made = writeFile(dir + QLatin1Char('/') + name, "{\"id\":\"event-1\",\"type\":\"click\"}\n{\"id\":\"event-2\",\"type\":\"view\"}\n");
        } else if (name == QLatin1String("sensor-log.jsonl")) {
            // Generating's recorded readings: one a second for a minute.
            QByteArray lines;
            for (int i = 0; i <= 60; ++i)
                lines += QStringLiteral("{\"sensor\":\"s-%1\",\"time\":\"2024-03-05T10:%2:%3.000Z\",\"celsius\":%4}\n")
                             .arg(i % 3)
                             .arg(i / 60, 2, 10, QLatin1Char('0'))
                             .arg(i % 60, 2, 10, QLatin1Char('0'))
                             .arg(18 + i % 5)
                             .toUtf8();
            made = writeFile(dir + QLatin1Char('/') + name, lines);
        } else if (name == QLatin1String("results.jsonl")) {
            // Exporting's results come from `kwb put --results`, as the page says.
            made = ensureInputs(QStringLiteral("orders-and-clicks.jsonl"))
                && run(QStringLiteral("kwb put orders-and-clicks.jsonl --stream orders --partition-key-field userId "
                                      "--results results.jsonl"))
                           .exitCode == 0;
        } else if (name == QLatin1String("aggregated.txt")) {
            // Aggregation's base64 records, as the page shows them.
            made = writeFile(dir + QLatin1Char('/') + name, "84mawgoCw6kKAWIaBggAGgJoaRoECAEaAM995EZGvUwRRMXagpMws1Y=\naGVsbG8=\n");
        } else if (name == QLatin1String("NAME-0001.json")) {
            // Exporting's "Records for the AWS CLI", with the data written out whole.
            made = writeFile(dir + QLatin1Char('/') + name,
                             "{\"StreamName\": \"orders\", \"Records\": [{\"Data\": \"eyJ0eXBlIjoiY2xpY2sifQ==\", "
                             "\"PartitionKey\": \"user-1108\"}]}\n");
        } else {
            qWarning("`%s` reads %s, which neither the documentation's samples nor this test provide",
                     qPrintable(command), qPrintable(name));
            made = false;
        }
        if (!made)
            return false;
    }
    return true;
}

bool TstDocExamples::checkNotRun(Kind kind, const QString &command, QString *why) const
{
    const QStringList w = words(withoutComment(command));
    if (kind == Kind::Make) {
        const QString makefile = readText(sourceDir() + QStringLiteral("/Makefile"));
        if (!QRegularExpression(QStringLiteral("^%1:").arg(QRegularExpression::escape(w[1])), QRegularExpression::MultilineOption)
                 .match(makefile)
                 .hasMatch()) {
            *why = QStringLiteral("the Makefile has no target '%1'").arg(w[1]);
            return false;
        }
        return true;
    }
    const QString cmake = readText(sourceDir() + QStringLiteral("/CMakeLists.txt"));
    const auto version = QRegularExpression(QStringLiteral("project\\(\\w+\\s+VERSION\\s+([0-9.]+)")).match(cmake).captured(1);
    if (kind == Kind::AptInstall) {
        const QString expected = QStringLiteral("kinesis-workbench_%1_amd64.deb").arg(version);
        if (QFileInfo(w[3]).fileName() != expected) {
            *why = QStringLiteral("this build makes %1, not %2").arg(expected, QFileInfo(w[3]).fileName());
            return false;
        }
        return true;
    }
    if (w[3] != QLatin1String("kinesis-workbench")) {
        *why = QStringLiteral("the package is kinesis-workbench, not %1").arg(w[3]);
        return false;
    }
    return true;
}

QTEST_GUILESS_MAIN(TstDocExamples)
#include "tst_doc_examples.moc"
