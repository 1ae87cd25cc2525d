#include "TemplateHighlighter.h"

#include <QTextDocument>

namespace kwb::ui {

namespace {
constexpr int kOutside = 0;
constexpr int kInside = 1; ///< the block ends inside a placeholder
} // namespace

TemplateHighlighter::TemplateHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

void TemplateHighlighter::setError(int line, int column)
{
    if (line == m_errorLine && column == m_errorColumn)
        return;
    const int old = m_errorLine;
    m_errorLine = line;
    m_errorColumn = column;
    for (int l : {old, line}) {
        if (l > 0)
            rehighlightBlock(document()->findBlockByNumber(l - 1));
    }
}

void TemplateHighlighter::highlightBlock(const QString &text)
{
    QTextCharFormat braces;
    braces.setForeground(QColor(0x8a, 0x4b, 0xaf));
    braces.setFontWeight(QFont::Bold);
    QTextCharFormat call;
    call.setForeground(QColor(0x1f, 0x5f, 0xbf));

    int state = previousBlockState() == kInside ? kInside : kOutside;
    int start = 0; // of the placeholder's inside in this block
    for (int i = 0; i < text.size(); ++i) {
        if (state == kOutside && text.mid(i, 2) == QLatin1String("{{")) {
            setFormat(i, 2, braces);
            state = kInside;
            start = i + 2;
            ++i;
        } else if (state == kInside && text.mid(i, 2) == QLatin1String("}}")) {
            setFormat(start, i - start, call);
            setFormat(i, 2, braces);
            state = kOutside;
            ++i;
        }
    }
    if (state == kInside)
        setFormat(start, int(text.size()) - start, call);
    setCurrentBlockState(state);

    if (m_errorLine == currentBlock().blockNumber() + 1 && m_errorColumn > 0) {
        int from = std::min(m_errorColumn - 1, int(text.size()));
        int to = from;
        while (to < text.size() && !text.at(to).isSpace())
            ++to;
        if (to == from) { // at the end of the line: underline the character before
            from = std::max(0, from - 1);
            to = std::max(from + 1, int(text.size()));
        }
        for (int i = from; i < to; ++i) {
            QTextCharFormat f = format(i);
            f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            f.setUnderlineColor(QColor(0xd0, 0x1c, 0x1c));
            setFormat(i, 1, f);
        }
    }
}

} // namespace kwb::ui
