#pragma once

#include "generate/Helpers.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace kwb::generate {

/// A record template: text with {{helper.name(args)}} placeholders, as KDG writes them. Parsed
/// once (every error says line, column and what was expected, before anything is generated),
/// then rendered for each record.
///
/// Escaping follows the template's context. A template whose first character (after spaces) is
/// '{' or '[' is JSON: a placeholder inside a string literal is escaped as string content; one
/// outside string literals writes numbers and booleans as they are and strings as quoted JSON
/// strings, so the output is valid JSON whatever the values hold. Other templates (CSV, text, the
/// partition key) get the values as they are. A filter overrides the context: {{x | json}} writes
/// a quoted JSON string, {{x | raw}} the bare value.
///
/// A plain value; render() is const but writes the helpers' caches, so one thread per copy.
class Template
{
public:
    enum class Kind { Text, Json };

    Template() = default;
    /// Parses `text`; errors read "WHERE:LINE:COLUMN: what is wrong; what was expected".
    static Result<Template> parse(const QString &text, const QString &where);
    /// Parses as the given kind, whatever the text starts with (keys are always Text).
    static Result<Template> parse(const QString &text, const QString &where, Kind kind);

    Kind kind() const { return m_kind; }
    int placeholderCount() const { return int(m_calls.size()); }
    /// True when it has no placeholder: every record gets the same text.
    bool isConstant() const { return m_calls.empty(); }

    /// Appends one rendering to `out`.
    void render(RenderState &state, TextBuffer &out) const;
    void render(RenderState &state, QByteArray &out) const;

private:
    enum class Escape : quint8 { Raw, InString, Value, Quoted };
    struct Segment
    {
        QByteArray literal; ///< text before the placeholder
        int call = -1;      ///< into m_calls; -1: none (the last segment)
        Escape escape = Escape::Raw;
    };

    std::vector<Segment> m_segments;
    std::vector<HelperCall> m_calls;
    Kind m_kind = Kind::Text;
};

} // namespace kwb::generate
