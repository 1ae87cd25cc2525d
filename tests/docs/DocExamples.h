#pragma once

// The command examples of the documentation, as the pages write them: every fenced block of
// README.md and docs/user-guide/*.md, its language, and for ```sh blocks the commands with the
// output the page shows under each. tst_doc_examples runs them.

#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace kwb::test {

/// One command of a ```sh block and the output lines the page shows for it.
struct DocCommand
{
    QString text;       ///< the command as written (continuation lines joined with "\\\n")
    int line = 0;       ///< its first line in the page
    QStringList output; ///< the lines shown after it ("..." stands for any lines)
};

/// One fenced block of a page.
struct DocBlock
{
    QString page;     ///< path relative to the source directory: "README.md", "docs/user-guide/sending.md"
    int line = 0;     ///< the line of the opening fence
    QString language; ///< the info string after the fence ("sh", "json", ""...)
    QStringList lines;
    /// ```sh blocks: `$ ` lines with their output (a transcript), or else each command line (a
    /// block with if/for/while is one script).
    QList<DocCommand> commands;
    bool transcript = false;

    QString where() const { return QStringLiteral("%1:%2").arg(page).arg(line); }
};

/// The fenced blocks of `markdown` in page order. `page` names it in DocBlock::where().
inline QList<DocBlock> parseDocBlocks(const QString &page, const QString &markdown)
{
    QList<DocBlock> blocks;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString trimmed = lines[i].trimmed();
        if (!trimmed.startsWith(QLatin1String("```")))
            continue;
        const qsizetype indent = lines[i].indexOf(QLatin1String("```"));
        DocBlock block;
        block.page = page;
        block.line = int(i + 1);
        block.language = trimmed.mid(3).trimmed();
        qsizetype j = i + 1;
        for (; j < lines.size() && !lines[j].trimmed().startsWith(QLatin1String("```")); ++j) {
            // A block indented under a list item: its lines lose the fence's indentation.
            qsizetype spaces = 0;
            while (spaces < indent && spaces < lines[j].size() && lines[j][spaces] == QLatin1Char(' '))
                ++spaces;
            block.lines << lines[j].mid(spaces);
        }
        i = j;
        if (block.language == QLatin1String("sh")) {
            block.transcript = std::any_of(block.lines.begin(), block.lines.end(),
                                           [](const QString &l) { return l.startsWith(QLatin1String("$ ")); });
            const bool script = !block.transcript && std::any_of(block.lines.begin(), block.lines.end(), [](const QString &l) {
                const QString t = l.trimmed();
                return t.startsWith(QLatin1String("if ")) || t.startsWith(QLatin1String("for "))
                    || t.startsWith(QLatin1String("while "));
            });
            if (script) {
                block.commands.append({block.lines.join(QLatin1Char('\n')), block.line + 1, {}});
            } else {
                for (qsizetype k = 0; k < block.lines.size(); ++k) {
                    QString l = block.lines[k];
                    const int lineNumber = int(block.line + 1 + k);
                    if (block.transcript) {
                        if (!l.startsWith(QLatin1String("$ "))) {
                            if (!block.commands.isEmpty())
                                block.commands.last().output << l;
                            continue;
                        }
                        l = l.mid(2);
                    } else if (l.trimmed().isEmpty() || l.trimmed().startsWith(QLatin1Char('#'))) {
                        continue;
                    }
                    QString command = l;
                    while (command.endsWith(QLatin1Char('\\')) && k + 1 < block.lines.size())
                        command += QLatin1Char('\n') + block.lines[++k];
                    block.commands.append({command, lineNumber, {}});
                }
                // Blank lines at the end of an output are the block's, not the command's.
                for (DocCommand &c : block.commands)
                    while (!c.output.isEmpty() && c.output.last().trimmed().isEmpty())
                        c.output.removeLast();
            }
        }
        blocks.append(block);
    }
    return blocks;
}

} // namespace kwb::test
