#include "generate/Template.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kwb::generate {

namespace {

/// Reads a template's text: placeholders and their JSON-like arguments, with positions.
class Parser
{
public:
    Parser(const QString &text, const QString &where)
        : m_text(text)
        , m_where(where)
    {
    }

    Error error(qsizetype at, const QString &message) const
    {
        int line = 1;
        qsizetype lineStart = 0;
        for (qsizetype i = 0; i < at && i < m_text.size(); ++i) {
            if (m_text[i] == QLatin1Char('\n')) {
                ++line;
                lineStart = i + 1;
            }
        }
        // Columns count characters (a surrogate pair is one).
        int column = 1;
        for (qsizetype i = lineStart; i < at && i < m_text.size(); ++i)
            if (!m_text[i].isLowSurrogate())
                ++column;
        return Error::input(QStringLiteral("%1:%2:%3: %4").arg(m_where).arg(line).arg(column).arg(message),
                            QStringLiteral("TemplateError"));
    }
    void position(qsizetype at, int &line, int &column) const
    {
        line = 1;
        column = 1;
        for (qsizetype i = 0; i < at && i < m_text.size(); ++i) {
            if (m_text[i] == QLatin1Char('\n')) {
                ++line;
                column = 1;
            } else if (!m_text[i].isLowSurrogate()) {
                ++column;
            }
        }
    }

    bool atEnd() const { return m_at >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const { return m_at + ahead < m_text.size() ? m_text[m_at + ahead] : QChar(); }
    void skipSpaces()
    {
        while (!atEnd() && peek().isSpace())
            ++m_at;
    }
    QString describeHere() const
    {
        if (atEnd())
            return QStringLiteral("the end of the template");
        if (peek() == QLatin1Char('\n'))
            return QStringLiteral("a line break");
        // The whole character: a character beyond U+FFFF is two UTF-16 units, and half of one is
        // not text (it would print as garbage, and the message would not be valid UTF-16).
        if (peek().isHighSurrogate() && peek(1).isLowSurrogate())
            return QStringLiteral("'%1'").arg(m_text.mid(m_at, 2));
        if (peek().isSurrogate())
            return QStringLiteral("U+%1").arg(peek().unicode(), 4, 16, QLatin1Char('0'));
        return QStringLiteral("'%1'").arg(peek());
    }

    /// A JSON value, or a single-quoted string (as JavaScript allows).
    Result<QJsonValue> value(int depth = 0)
    {
        skipSpaces();
        if (depth > 32)
            return error(m_at, QStringLiteral("arguments nest too deep (at most 32 levels)"));
        const QChar c = peek();
        if (c == QLatin1Char('"') || c == QLatin1Char('\''))
            return string();
        if (c == QLatin1Char('[')) {
            const qsizetype open = m_at++;
            QJsonArray array;
            skipSpaces();
            if (peek() == QLatin1Char(']')) {
                ++m_at;
                return QJsonValue(array);
            }
            while (true) {
                auto item = value(depth + 1);
                if (!item.ok())
                    return item;
                array.append(item.value());
                skipSpaces();
                if (peek() == QLatin1Char(',')) {
                    ++m_at;
                    continue;
                }
                if (peek() == QLatin1Char(']')) {
                    ++m_at;
                    return QJsonValue(array);
                }
                if (atEnd() || peek() == QLatin1Char('}'))
                    return error(open, QStringLiteral("unbalanced '[': expected ']' to close this array"));
                return error(m_at, QStringLiteral("expected ',' or ']' in the array, found %1").arg(describeHere()));
            }
        }
        if (c == QLatin1Char('{')) {
            const qsizetype open = m_at++;
            QJsonObject object;
            skipSpaces();
            if (peek() == QLatin1Char('}')) {
                ++m_at;
                return QJsonValue(object);
            }
            while (true) {
                skipSpaces();
                if (peek() != QLatin1Char('"') && peek() != QLatin1Char('\''))
                    return error(m_at, QStringLiteral("expected a member name in quotes, found %1").arg(describeHere()));
                auto key = string();
                if (!key.ok())
                    return key;
                skipSpaces();
                if (peek() != QLatin1Char(':'))
                    return error(m_at, QStringLiteral("expected ':' after the member name, found %1").arg(describeHere()));
                ++m_at;
                auto member = value(depth + 1);
                if (!member.ok())
                    return member;
                object.insert(key.value().toString(), member.value());
                skipSpaces();
                if (peek() == QLatin1Char(',')) {
                    ++m_at;
                    continue;
                }
                if (peek() == QLatin1Char('}')) {
                    // "}}" right after an object argument would close the placeholder in KDG
                    // too; the object's brace comes first.
                    ++m_at;
                    return QJsonValue(object);
                }
                if (atEnd())
                    return error(open, QStringLiteral("unbalanced '{': expected '}' to close this object"));
                return error(m_at, QStringLiteral("expected ',' or '}' in the object, found %1").arg(describeHere()));
            }
        }
        if (c == QLatin1Char('-') || c.isDigit())
            return number();
        for (const auto &[word, v] : {std::pair{QLatin1StringView("true"), QJsonValue(true)},
                                     std::pair{QLatin1StringView("false"), QJsonValue(false)},
                                     std::pair{QLatin1StringView("null"), QJsonValue(QJsonValue::Null)}}) {
            if (QStringView(m_text).mid(m_at).startsWith(word)) {
                m_at += word.size();
                return v;
            }
        }
        return error(m_at, QStringLiteral("expected an argument (a number, a \"string\", [an array] or {an object}), found %1")
                               .arg(describeHere()));
    }

    Result<QJsonValue> string()
    {
        const QChar quote = peek();
        const qsizetype open = m_at++;
        QString s;
        while (true) {
            if (atEnd())
                return error(open, QStringLiteral("unterminated string: expected a closing %1").arg(quote));
            const QChar c = m_text[m_at++];
            if (c == quote)
                return QJsonValue(s);
            if (c == QLatin1Char('\n'))
                return error(open, QStringLiteral("unterminated string: expected a closing %1 before the end of the line").arg(quote));
            if (c != QLatin1Char('\\')) {
                s.append(c);
                continue;
            }
            if (atEnd())
                return error(open, QStringLiteral("unterminated string: expected a closing %1").arg(quote));
            const QChar e = m_text[m_at++];
            switch (e.unicode()) {
            case '"': case '\'': case '\\': case '/': s.append(e); break;
            case 'n': s.append(QLatin1Char('\n')); break;
            case 't': s.append(QLatin1Char('\t')); break;
            case 'r': s.append(QLatin1Char('\r')); break;
            case 'b': s.append(QLatin1Char('\b')); break;
            case 'f': s.append(QLatin1Char('\f')); break;
            case 'u': {
                bool ok = false;
                const uint code = m_text.mid(m_at, 4).toUInt(&ok, 16);
                if (!ok || m_text.mid(m_at, 4).size() != 4)
                    return error(m_at - 2, QStringLiteral("expected four hex digits after \\u"));
                s.append(QChar(char16_t(code)));
                m_at += 4;
                break;
            }
            default: {
                // The whole character after the backslash: one beyond U+FFFF is two UTF-16 units,
                // and half of one would not be text in the message (the fuzz target found it).
                QString what = QStringLiteral("'\\%1'").arg(e);
                if (e.isHighSurrogate() && peek().isLowSurrogate())
                    what = QStringLiteral("'\\") + e + peek() + QLatin1Char('\'');
                else if (e.isSurrogate())
                    what = QStringLiteral("'\\' followed by U+%1").arg(e.unicode(), 4, 16, QLatin1Char('0'));
                else if (e == QLatin1Char('\n'))
                    what = QStringLiteral("'\\' at the end of a line");
                return error(m_at - 2, QStringLiteral("unknown escape %1 in a string (use \\\" \\\\ \\n \\t \\uXXXX)").arg(what));
            }
            }
        }
    }

    Result<QJsonValue> number()
    {
        const qsizetype start = m_at;
        if (peek() == QLatin1Char('-'))
            ++m_at;
        while (!atEnd() && (peek().isDigit() || peek() == QLatin1Char('.') || peek() == QLatin1Char('e')
                            || peek() == QLatin1Char('E') || ((peek() == QLatin1Char('+') || peek() == QLatin1Char('-'))
                                                              && (m_text[m_at - 1] == QLatin1Char('e') || m_text[m_at - 1] == QLatin1Char('E')))))
            ++m_at;
        bool ok = false;
        const double v = m_text.mid(start, m_at - start).toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return error(start, QStringLiteral("'%1' is not a number").arg(m_text.mid(start, m_at - start)));
        return QJsonValue(v);
    }

    const QString &m_text;
    const QString &m_where;
    qsizetype m_at = 0;
};

/// The most bytes one rendering may take (escaping included): the largest record size, 10 MiB,
/// with room for escaping.
constexpr qint64 kMaxRecordBound = 16 * 1024 * 1024;

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit();
}

} // namespace

Result<Template> Template::parse(const QString &text, const QString &where)
{
    const QString trimmed = text.trimmed();
    const bool json = !trimmed.startsWith(QLatin1String("{{"))
        && (trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('[')));
    return parse(text, where, json ? Kind::Json : Kind::Text);
}

Result<Template> Template::parse(const QString &text, const QString &where, Kind kind)
{
    Template t;
    t.m_kind = kind;
    Parser p(text, where);
    qint64 upperBound = 0;
    bool inString = false; // JSON templates: inside a string literal of the template's own text
    QString literal;
    while (!p.atEnd()) {
        const QChar c = p.peek();
        if (c == QLatin1Char('{') && p.peek(1) == QLatin1Char('{')) {
            const qsizetype open = p.m_at;
            p.m_at += 2;
            p.skipSpaces();
            const qsizetype nameAt = p.m_at;
            if (!isNameStart(p.peek()))
                return p.error(p.m_at, QStringLiteral("expected a helper name after '{{' (such as random.number or name.firstName), "
                                                      "found %1")
                                           .arg(p.describeHere()));
            while (!p.atEnd() && (isNameChar(p.peek()) || (p.peek() == QLatin1Char('.') && isNameStart(p.peek(1)))))
                ++p.m_at;
            const QString name = text.mid(nameAt, p.m_at - nameAt);
            std::vector<HelperArg> args;
            p.skipSpaces();
            if (p.peek() == QLatin1Char('(')) {
                const qsizetype paren = p.m_at++;
                p.skipSpaces();
                if (p.peek() == QLatin1Char(')')) {
                    ++p.m_at;
                } else {
                    while (true) {
                        p.skipSpaces();
                        HelperArg arg;
                        p.position(p.m_at, arg.line, arg.column);
                        const qsizetype argAt = p.m_at;
                        auto v = p.value();
                        if (!v.ok())
                            return v.error();
                        arg.value = v.value();
                        Q_UNUSED(argAt)
                        args.push_back(arg);
                        p.skipSpaces();
                        if (p.peek() == QLatin1Char(',')) {
                            ++p.m_at;
                            continue;
                        }
                        if (p.peek() == QLatin1Char(')')) {
                            ++p.m_at;
                            break;
                        }
                        if (p.atEnd() || (p.peek() == QLatin1Char('}') && p.peek(1) == QLatin1Char('}')))
                            return p.error(paren, QStringLiteral("unbalanced '(': expected ')' to close the arguments of %1").arg(name));
                        return p.error(p.m_at, QStringLiteral("expected ',' or ')' after an argument of %1, found %2")
                                                   .arg(name, p.describeHere()));
                    }
                }
            }
            p.skipSpaces();
            Escape escape = kind == Kind::Text ? Escape::Raw : inString ? Escape::InString : Escape::Value;
            if (p.peek() == QLatin1Char('|')) {
                ++p.m_at;
                p.skipSpaces();
                const qsizetype filterAt = p.m_at;
                while (!p.atEnd() && isNameChar(p.peek()))
                    ++p.m_at;
                const QString filter = text.mid(filterAt, p.m_at - filterAt);
                if (filter == QLatin1String("json"))
                    escape = Escape::Quoted;
                else if (filter == QLatin1String("raw"))
                    escape = Escape::Raw;
                else
                    return p.error(filterAt, QStringLiteral("unknown filter '%1': expected json (a quoted JSON string) or raw "
                                                            "(the value as it is)")
                                                 .arg(filter));
                p.skipSpaces();
            }
            if (!(p.peek() == QLatin1Char('}') && p.peek(1) == QLatin1Char('}'))) {
                if (p.atEnd() || (p.peek() == QLatin1Char('{') && p.peek(1) == QLatin1Char('{')))
                    return p.error(open, QStringLiteral("unbalanced braces: expected '}}' to close the placeholder opened here"));
                return p.error(p.m_at, QStringLiteral("expected '}}' to close the placeholder %1, found %2").arg(name, p.describeHere()));
            }
            p.m_at += 2;
            bool unknown = false;
            auto call = helpers::compile(name, args, &unknown);
            if (!call.ok()) {
                const qsizetype at = unknown || args.empty() ? nameAt : open;
                if (!unknown && !args.empty()) {
                    int line = args[0].line, column = args[0].column;
                    return Error::input(QStringLiteral("%1:%2:%3: %4").arg(where).arg(line).arg(column).arg(call.error().message),
                                        QStringLiteral("TemplateError"));
                }
                return p.error(at, call.error().message);
            }
            // Memory is bounded by design: a template that could make a record larger than the
            // largest a stream takes is refused here, not while a run allocates it.
            upperBound += literal.size() * 3 + call.value().maxBytes * (escape == Escape::Raw ? 1 : 6) + 2;
            if (upperBound > kMaxRecordBound)
                return p.error(nameAt, QStringLiteral("with this placeholder a record can grow past %1 MiB (the largest "
                                                      "record a stream takes is 10 MiB); ask for fewer words, sentences "
                                                      "or characters")
                                           .arg(kMaxRecordBound / (1024 * 1024)));
            t.m_segments.push_back(Segment{literal.toUtf8(), int(t.m_calls.size()), escape});
            t.m_calls.push_back(std::move(call.value()));
            literal.clear();
            continue;
        }
        if (kind == Kind::Json) {
            if (inString && c == QLatin1Char('\\')) {
                literal.append(c);
                ++p.m_at;
                if (!p.atEnd())
                    literal.append(p.m_text[p.m_at++]);
                continue;
            }
            if (c == QLatin1Char('"'))
                inString = !inString;
        }
        literal.append(c);
        ++p.m_at;
    }
    if (upperBound + literal.size() * 3 > kMaxRecordBound)
        return p.error(p.m_at, QStringLiteral("the template is too large: a record is at most 10 MiB"));
    t.m_segments.push_back(Segment{literal.toUtf8(), -1, Escape::Raw});
    return t;
}

void Template::render(RenderState &state, TextBuffer &out) const
{
    for (const Segment &segment : m_segments) {
        out.append(segment.literal);
        if (segment.call < 0)
            continue;
        const HelperCall &call = m_calls[size_t(segment.call)];
        switch (segment.escape) {
        case Escape::Raw:
            call.render(call, state, out);
            break;
        case Escape::InString:
            if (call.plain) {
                call.render(call, state, out);
            } else {
                state.scratch.clear();
                call.render(call, state, state.scratch);
                helpers::appendJsonEscaped(out, state.scratch.view());
            }
            break;
        case Escape::Value:
        case Escape::Quoted: {
            if (call.plain && segment.escape == Escape::Value && call.kind != ValueKind::String) {
                call.render(call, state, out);
                break;
            }
            if (call.plain && call.kind == ValueKind::String) {
                out.append('"');
                call.render(call, state, out);
                out.append('"');
                break;
            }
            state.scratch.clear();
            const ValueKind kind = call.render(call, state, state.scratch);
            if (kind == ValueKind::String || segment.escape == Escape::Quoted) {
                out.append('"');
                helpers::appendJsonEscaped(out, state.scratch.view());
                out.append('"');
            } else {
                out.append(state.scratch);
            }
            break;
        }
        }
    }
}

void Template::render(RenderState &state, QByteArray &out) const
{
    TextBuffer buffer;
    render(state, buffer);
    out.append(buffer.view());
}

} // namespace kwb::generate
