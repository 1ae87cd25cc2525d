#include "models/RecordText.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace kwb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RecordText", text);
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

} // namespace

bool RecordText::isValidUtf8(QByteArrayView bytes, bool allowCutEnd)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        char32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= n) {
            // The sequence runs past the end.
            for (qsizetype k = i + 1; k < n; ++k)
                if ((p[k] & 0xC0) != 0x80)
                    return false;
            return allowCutEnd;
        }
        for (int k = 1; k <= extra; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values above U+10FFFF are not UTF-8.
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)
            || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += extra + 1;
    }
    return true;
}

bool RecordText::isText(QByteArrayView bytes, bool allowCutEnd)
{
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return false;
    }
    return isValidUtf8(bytes, allowCutEnd);
}

QString RecordText::preview(QByteArrayView data, int maxChars)
{
    const qsizetype window = std::min<qsizetype>(data.size(), qsizetype(maxChars) * 4);
    const QByteArrayView head = data.first(window);
    const bool cut = window < data.size();
    QString out;
    out.reserve(maxChars + 1);
    if (isText(head, cut)) {
        const QString text = QString::fromUtf8(head);
        bool truncated = cut;
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (out.size() >= maxChars) {
                truncated = true;
                break;
            }
            const QChar c = text[i];
            if (c == u'\n')
                out += QLatin1String("\\n");
            else if (c == u'\r')
                out += QLatin1String("\\r");
            else if (c == u'\t')
                out += QLatin1String("\\t");
            else if (c.isHighSurrogate() && i + 1 < text.size()) {
                out += c;
                out += text[++i];
            } else if (c == QChar::ReplacementCharacter && i == text.size() - 1 && cut) {
                break; // the decoder's mark for a sequence cut by the window
            } else {
                out += c;
            }
        }
        if (truncated)
            out += QChar(0x2026);
        return out;
    }
    static const char digits[] = "0123456789abcdef";
    qsizetype i = 0;
    for (; i < data.size() && out.size() < maxChars; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += QLatin1Char(char(c));
        } else if (c == '\\') {
            out += QLatin1String("\\\\");
        } else {
            out += QLatin1String("\\x");
            out += QLatin1Char(digits[c >> 4]);
            out += QLatin1Char(digits[c & 0xF]);
        }
    }
    if (i < data.size())
        out += QChar(0x2026);
    return out;
}

QString RecordText::toHex(QByteArrayView data)
{
    static const char digits[] = "0123456789abcdef";
    QString out;
    out.reserve(data.size() * 3);
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (i > 0)
            out += (i % 16 == 0) ? QLatin1Char('\n') : QLatin1Char(' ');
        const auto c = static_cast<unsigned char>(data[i]);
        out += QLatin1Char(digits[c >> 4]);
        out += QLatin1Char(digits[c & 0xF]);
    }
    return out;
}

Result<QByteArray> RecordText::parseHex(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() / 2);
    int high = -1;
    qsizetype highAt = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isSpace())
            continue;
        if (c == u'0' && high < 0 && i + 1 < text.size() && (text[i + 1] == u'x' || text[i + 1] == u'X')) {
            ++i;
            continue;
        }
        const int v = hexValue(c);
        if (v < 0)
            return Error::input(tr("\"%1\" at character %2 is not a hex digit").arg(c).arg(i + 1), QStringLiteral("InvalidHex"));
        if (high < 0) {
            high = v;
            highAt = i;
        } else {
            out.append(char((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0)
        return Error::input(tr("the hex digit at character %1 has no partner; hex needs pairs of digits").arg(highAt + 1),
                            QStringLiteral("InvalidHex"));
    return out;
}

QString RecordText::toBase64(QByteArrayView data)
{
    const QByteArray encoded = data.toByteArray().toBase64();
    QString out;
    out.reserve(encoded.size() + encoded.size() / 76);
    for (qsizetype i = 0; i < encoded.size(); i += 76) {
        if (i > 0)
            out += QLatin1Char('\n');
        out += QLatin1String(encoded.constData() + i, std::min<qsizetype>(76, encoded.size() - i));
    }
    return out;
}

Result<QByteArray> RecordText::parseBase64(QStringView text)
{
    QByteArray compact;
    compact.reserve(text.size());
    bool urlSafe = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool standard = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')
            || u == u'+' || u == u'/' || u == u'=';
        if (u == u'-' || u == u'_')
            urlSafe = true;
        else if (!standard)
            return Error::input(tr("\"%1\" at character %2 is not a base64 character").arg(c).arg(i + 1),
                                QStringLiteral("InvalidBase64"));
        compact.append(char(u));
    }
    const auto options = (urlSafe ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
        | QByteArray::AbortOnBase64DecodingErrors;
    // Padding is optional: add what is missing.
    const qsizetype padding = compact.contains('=') ? 0 : (4 - compact.size() % 4) % 4;
    if (padding == 3)
        return Error::input(tr("base64 text cannot have %1 characters (one too many)").arg(compact.size()),
                            QStringLiteral("InvalidBase64"));
    compact.append(padding, '=');
    auto decoded = QByteArray::fromBase64Encoding(compact, options);
    if (!decoded)
        return Error::input(tr("this is not valid base64 (check the padding \"=\" at the end)"), QStringLiteral("InvalidBase64"));
    return decoded.decoded;
}

QString RecordText::lineAndColumn(QByteArrayView utf8, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, utf8.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (utf8[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i)
        column += (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80;
    return tr("line %1, column %2").arg(line).arg(column);
}

Result<QByteArray> RecordText::formatJson(QByteArrayView data, bool pretty)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(data.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return Error::input(tr("not JSON: %1 at %2").arg(error.errorString(), lineAndColumn(data, error.offset)),
                            QStringLiteral("InvalidJson"));
    if (!pretty)
        return doc.toJson(QJsonDocument::Compact);
    // QJsonDocument indents by 4; the editor uses 2.
    const QByteArray indented = doc.toJson(QJsonDocument::Indented);
    QByteArray out;
    out.reserve(indented.size());
    qsizetype i = 0;
    while (i < indented.size()) {
        qsizetype spaces = 0;
        while (i + spaces < indented.size() && indented[i + spaces] == ' ')
            ++spaces;
        out.append(spaces / 2, ' ');
        i += spaces;
        const qsizetype end = indented.indexOf('\n', i);
        const qsizetype stop = end < 0 ? indented.size() : end + 1;
        out.append(indented.constData() + i, stop - i);
        i = stop;
    }
    while (out.endsWith('\n'))
        out.chop(1);
    return out;
}

QString RecordText::shortHashKey(UInt128 key)
{
    const QString full = hashKeyToString(key);
    if (full.size() <= 20)
        return full;
    return full.left(8) + QChar(0x2026) + full.right(8);
}

} // namespace kwb::ui
