#pragma once

#include <QSyntaxHighlighter>

namespace kwb::ui {

/// Colours the {{...}} placeholders of a record template (a placeholder may run over lines) and
/// draws a wavy red underline where the template's parser found an error, from that column to the
/// end of the word. GUI thread.
class TemplateHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit TemplateHighlighter(QTextDocument *document);

    /// Underlines the error at `line`:`column` (both from 1); 0, 0 removes the underline.
    void setError(int line, int column);
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }

protected:
    void highlightBlock(const QString &text) override;

private:
    int m_errorLine = 0;
    int m_errorColumn = 0;
};

} // namespace kwb::ui
