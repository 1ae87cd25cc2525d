#include "JsonSyntaxChecker.h"

#include "import/DataDecoder.h"

namespace kwb::import {

namespace {

constexpr int kMaxDepth = 1024;

class Checker
{
public:
    explicit Checker(QByteArrayView text) : m_text(text) {}

    JsonSyntaxChecker::Finding run(bool truncated)
    {
        skipWhitespace();
        if (m_pos >= m_text.size())
            return fail(m_pos, QStringLiteral("there is no JSON value, only whitespace"));
        if (!value(0))
            return m_finding;
        skipWhitespace();
        if (m_pos < m_text.size())
            return fail(m_pos, QStringLiteral("unexpected %1 after the end of the JSON value; remove it, or "
                                              "put one value per line")
                                   .arg(found(m_pos)));
        if (truncated)
            return fail(m_pos, QStringLiteral("the input ends after this value without closing what is open"));
        return {};
    }

private:
    JsonSyntaxChecker::Finding fail(qsizetype offset, const QString &message)
    {
        if (m_finding.ok)
            m_finding = {false, offset, message};
        return m_finding;
    }
    bool failed(qsizetype offset, const QString &message)
    {
        fail(offset, message);
        return false;
    }

    QString found(qsizetype offset) const
    {
        if (offset >= m_text.size())
            return QStringLiteral("the end");
        return DataDecoder::describeCharacter(m_text, offset);
    }

    void skipWhitespace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
            ++m_pos;
        }
    }

    bool atEnd() const { return m_pos >= m_text.size(); }

    bool value(int depth)
    {
        if (depth > kMaxDepth)
            return failed(m_pos, QStringLiteral("the JSON is nested more than %1 levels deep").arg(kMaxDepth));
        if (atEnd())
            return failed(m_pos, QStringLiteral("the JSON ends where a value is expected"));
        const char c = m_text[m_pos];
        switch (c) {
        case '{':
            return object(depth);
        case '[':
            return array(depth);
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            if (c == '-' || (c >= '0' && c <= '9'))
                return number();
            return failed(m_pos, QStringLiteral("expected a value (a string, number, object, array, true, false "
                                                "or null), found %1")
                                     .arg(found(m_pos)));
        }
    }

    bool object(int depth)
    {
        ++m_pos;
        skipWhitespace();
        if (!atEnd() && m_text[m_pos] == '}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipWhitespace();
            if (atEnd())
                return failed(m_pos, QStringLiteral("the JSON ends inside an object; a '}' is missing"));
            if (m_text[m_pos] != '"') {
                if (m_text[m_pos] == '}')
                    return failed(m_pos, QStringLiteral("a comma before '}' with no member after it; remove the comma"));
                return failed(m_pos, QStringLiteral("expected a member name in double quotes, found %1").arg(found(m_pos)));
            }
            if (!string())
                return false;
            skipWhitespace();
            if (atEnd() || m_text[m_pos] != ':')
                return failed(m_pos, QStringLiteral("expected ':' after the member name, found %1").arg(found(m_pos)));
            ++m_pos;
            skipWhitespace();
            if (!value(depth + 1))
                return false;
            skipWhitespace();
            if (atEnd())
                return failed(m_pos, QStringLiteral("the JSON ends inside an object; a '}' is missing"));
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_text[m_pos] == '}') {
                ++m_pos;
                return true;
            }
            return failed(m_pos, QStringLiteral("expected ',' or '}' after an object member, found %1").arg(found(m_pos)));
        }
    }

    bool array(int depth)
    {
        ++m_pos;
        skipWhitespace();
        if (!atEnd() && m_text[m_pos] == ']') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipWhitespace();
            if (!atEnd() && m_text[m_pos] == ']')
                return failed(m_pos, QStringLiteral("a comma before ']' with no element after it; remove the comma"));
            if (!value(depth + 1))
                return false;
            skipWhitespace();
            if (atEnd())
                return failed(m_pos, QStringLiteral("the JSON ends inside an array; a ']' is missing"));
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_text[m_pos] == ']') {
                ++m_pos;
                return true;
            }
            return failed(m_pos, QStringLiteral("expected ',' or ']' after an array element, found %1").arg(found(m_pos)));
        }
    }

    static int hexDigit(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    bool string()
    {
        const qsizetype open = m_pos++;
        while (m_pos < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c == '\\') {
                if (m_pos + 1 >= m_text.size())
                    break;
                const char e = m_text[m_pos + 1];
                if (e == 'u') {
                    for (int k = 2; k < 6; ++k)
                        if (m_pos + k >= m_text.size() || hexDigit(m_text[m_pos + k]) < 0)
                            return failed(m_pos, QStringLiteral("invalid \\u escape in a string; it needs four hex digits"));
                    m_pos += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    const QString shown = e > 0x20 && e < 0x7F ? QStringLiteral("\\") + QLatin1Char(e) : QStringLiteral("\\");
                    return failed(m_pos, QStringLiteral("invalid escape %1 in a string; write a backslash as \\\\").arg(shown));
                }
                m_pos += 2;
                continue;
            }
            if (c == '\n')
                break; // a raw line break: almost always a missing closing quote
            if (c < 0x20)
                return failed(m_pos, QStringLiteral("%1 inside a string; escape it (\\t, \\r, \\u00XX)")
                                         .arg(DataDecoder::describeCharacter(m_text, m_pos)));
            if (c >= 0x80) {
                const int length = utf8Length(m_pos);
                if (length == 0)
                    return failed(m_pos, QStringLiteral("invalid UTF-8 (%1) in a string; the file must be UTF-8")
                                             .arg(DataDecoder::describeCharacter(m_text, m_pos)));
                m_pos += length;
                continue;
            }
            ++m_pos;
        }
        return failed(open, QStringLiteral("unterminated string; a closing '\"' is missing"));
    }

    // Length of the valid UTF-8 sequence at `at`, 0 when invalid.
    int utf8Length(qsizetype at) const
    {
        const auto b = [&](qsizetype i) { return i < m_text.size() ? static_cast<unsigned char>(m_text[i]) : 0u; };
        const unsigned c = b(at);
        auto cont = [&](qsizetype i) { return (b(i) & 0xC0u) == 0x80u; };
        if (c >= 0xC2 && c <= 0xDF)
            return cont(at + 1) ? 2 : 0;
        if (c >= 0xE0 && c <= 0xEF) {
            const unsigned c1 = b(at + 1);
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F))
                return 0;
            return cont(at + 1) && cont(at + 2) ? 3 : 0;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            const unsigned c1 = b(at + 1);
            if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
                return 0;
            return cont(at + 1) && cont(at + 2) && cont(at + 3) ? 4 : 0;
        }
        return 0;
    }

    bool literal(const char *word)
    {
        const QByteArrayView expected(word);
        if (m_text.sliced(m_pos).startsWith(expected)) {
            const qsizetype after = m_pos + expected.size();
            if (after >= m_text.size() || !isWordChar(m_text[after])) {
                m_pos = after;
                return true;
            }
        }
        return failed(m_pos, QStringLiteral("invalid literal; expected true, false or null (strings need double quotes)"));
    }

    static bool isWordChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    bool number()
    {
        const qsizetype start = m_pos;
        auto digit = [&] { return !atEnd() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9'; };
        auto bad = [&] {
            return failed(start, QStringLiteral("invalid number; JSON numbers look like -12, 3.5 or 1e6 (no leading "
                                                "zeros, no '+', digits after '.')"));
        };
        if (m_text[m_pos] == '-')
            ++m_pos;
        if (!digit())
            return bad();
        if (m_text[m_pos] == '0') {
            ++m_pos;
            if (digit())
                return bad();
        } else {
            while (digit())
                ++m_pos;
        }
        if (!atEnd() && m_text[m_pos] == '.') {
            ++m_pos;
            if (!digit())
                return bad();
            while (digit())
                ++m_pos;
        }
        if (!atEnd() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            ++m_pos;
            if (!atEnd() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
                ++m_pos;
            if (!digit())
                return bad();
            while (digit())
                ++m_pos;
        }
        if (!atEnd() && isWordChar(m_text[m_pos]))
            return bad();
        return true;
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    JsonSyntaxChecker::Finding m_finding;
};

} // namespace

JsonSyntaxChecker::Finding JsonSyntaxChecker::check(QByteArrayView text)
{
    return Checker(text).run(false);
}

JsonSyntaxChecker::Finding JsonSyntaxChecker::checkTruncated(QByteArrayView text)
{
    return Checker(text).run(true);
}

} // namespace kwb::import
