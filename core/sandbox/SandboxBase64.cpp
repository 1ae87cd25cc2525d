#include "sandbox/SandboxBase64.h"

#include <array>

namespace kwb::sandbox::base64 {

namespace {

constexpr std::array<qint8, 256> makeTable()
{
    std::array<qint8, 256> t{};
    for (auto &v : t)
        v = -1;
    const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[size_t(quint8(alphabet[i]))] = qint8(i);
    return t;
}
constexpr std::array<qint8, 256> kValue = makeTable();

} // namespace

QString problem(std::string_view text)
{
    if (text.size() % 4 != 0)
        return QStringLiteral("Base64 encoded length is expected a multiple of 4 bytes but found: %1").arg(text.size());
    const size_t n = text.size();
    size_t padding = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '=') {
            // Padding only at the very end, at most two.
            if (i + 2 < n || (i + 1 < n && text[i + 1] != '='))
                return QStringLiteral("Invalid Base64 character: '='");
            ++padding;
            continue;
        }
        if (kValue[size_t(quint8(c))] < 0)
            return QStringLiteral("Invalid Base64 character: '%1'").arg(QString::fromUtf8(&c, 1));
    }
    if (padding > 0) {
        // The bits the padding leaves unused must be zero, or the text is not the canonical form.
        const int last = kValue[size_t(quint8(text[n - padding - 1]))];
        if ((padding == 1 && (last & 0x3)) || (padding == 2 && (last & 0xf)))
            return QStringLiteral("Invalid last non-pad Base64 character dectected");
    }
    return {};
}

qsizetype decodedSize(std::string_view text)
{
    if (text.empty())
        return 0;
    qsizetype size = qsizetype(text.size() / 4 * 3);
    if (text[text.size() - 1] == '=')
        --size;
    if (text.size() > 1 && text[text.size() - 2] == '=')
        --size;
    return size;
}

void decode(std::string_view text, char *out)
{
    const size_t n = text.size();
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const char c2 = text[i + 2];
        const char c3 = text[i + 3];
        const quint32 v = (quint32(kValue[size_t(quint8(text[i]))]) << 18)
            | (quint32(kValue[size_t(quint8(text[i + 1]))]) << 12)
            | (c2 == '=' ? 0u : quint32(kValue[size_t(quint8(c2))]) << 6) | (c3 == '=' ? 0u : quint32(kValue[size_t(quint8(c3))]));
        *out++ = char(v >> 16);
        if (c2 != '=')
            *out++ = char((v >> 8) & 0xff);
        if (c3 != '=')
            *out++ = char(v & 0xff);
    }
}

} // namespace kwb::sandbox::base64
