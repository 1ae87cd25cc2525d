#include "DataDecoder.h"

#include <QList>
#include <QtEndian>

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define KWB_BASE64_AVX2 1
#endif

namespace kwb::import {

namespace {

constexpr uint32_t kInvalid = 0x01000000u;

// Four lookup tables, one per position in a group of four base64 characters, each giving that
// character's bits already shifted into place in the three output bytes (little-endian word).
// An invalid character sets a bit in the unused fourth byte, so one test per group finds it.
struct Base64Tables
{
    uint32_t t[4][256];
};

constexpr Base64Tables makeBase64Tables()
{
    Base64Tables tables{};
    for (int i = 0; i < 4; ++i)
        for (int c = 0; c < 256; ++c)
            tables.t[i][c] = kInvalid;
    const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (uint32_t v = 0; v < 64; ++v) {
        const auto c = static_cast<unsigned char>(alphabet[v]);
        tables.t[0][c] = v << 2;
        tables.t[1][c] = (v >> 4) | ((v & 0xF) << 12);
        tables.t[2][c] = ((v >> 2) << 8) | ((v & 0x3) << 22);
        tables.t[3][c] = v << 16;
    }
    return tables;
}

constexpr Base64Tables kBase64 = makeBase64Tables();

constexpr signed char hexValue(unsigned char c)
{
    return c >= '0' && c <= '9' ? static_cast<signed char>(c - '0')
        : c >= 'a' && c <= 'f'  ? static_cast<signed char>(c - 'a' + 10)
        : c >= 'A' && c <= 'F'  ? static_cast<signed char>(c - 'A' + 10)
                                : static_cast<signed char>(-1);
}

#ifdef KWB_BASE64_AVX2
// One step: 32 characters at `from` to 24 bytes at `to` (32 written); false if any is invalid.
[[gnu::target("avx2"), gnu::always_inline]] inline bool decodeBase64Step(const unsigned char *from, char *to)
{
    const __m256i lutLo = _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A,
                                           0x1B, 0x1B, 0x1B, 0x1A, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                           0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i lutHi = _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10,
                                           0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                           0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m256i lutRoll = _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 19, 4,
                                             -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i mask2F = _mm256_set1_epi8(0x2F);
    const __m256i pack = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4,
                                          10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    __m256i in = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(from));
    const __m256i hiNibbles = _mm256_and_si256(_mm256_srli_epi32(in, 4), mask2F);
    const __m256i loNibbles = _mm256_and_si256(in, mask2F);
    const __m256i hi = _mm256_shuffle_epi8(lutHi, hiNibbles);
    const __m256i lo = _mm256_shuffle_epi8(lutLo, loNibbles);
    if (!_mm256_testz_si256(lo, hi))
        return false;
    const __m256i eq2F = _mm256_cmpeq_epi8(in, mask2F);
    const __m256i roll = _mm256_shuffle_epi8(lutRoll, _mm256_add_epi8(eq2F, hiNibbles));
    in = _mm256_add_epi8(in, roll);
    __m256i merged = _mm256_maddubs_epi16(in, _mm256_set1_epi32(0x01400140));
    merged = _mm256_madd_epi16(merged, _mm256_set1_epi32(0x00011000));
    merged = _mm256_shuffle_epi8(merged, pack);
    merged = _mm256_permutevar8x32_epi32(merged, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, -1, -1));
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(to), merged);
    return true;
}

// Decodes whole 32-character blocks with AVX2 (the method of Muła and Lemire, "Faster Base64
// Encoding and Decoding Using AVX2 Instructions", 2018): classify by nibbles to validate, add a
// per-class offset to get the 6-bit values, then pack them. `n` is a multiple of 4. Stops before a
// block with any character outside the alphabet and returns how many characters it decoded; the
// scalar loop goes on from there and finds the exact fault. Writes up to 8 bytes past the result.
[[gnu::target("avx2")]] qsizetype decodeBase64Avx2(const unsigned char *s, qsizetype n, char *out)
{
    qsizetype i = 0;
    for (; i + 32 <= n; i += 32)
        if (!decodeBase64Step(s + i, out + i / 4 * 3))
            return i;
    if (i < n) {
        // The last groups (fewer than 32 characters), padded with 'A' to a whole step.
        alignas(32) unsigned char tail[32];
        alignas(32) char decoded[32];
        std::memset(tail, 'A', sizeof tail);
        std::memcpy(tail, s + i, size_t(n - i));
        if (!decodeBase64Step(tail, decoded))
            return i;
        std::memcpy(out + i / 4 * 3, decoded, size_t((n - i) / 4 * 3));
        i = n;
    }
    return i;
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#endif

bool isBase64Char(unsigned char c)
{
    return !(kBase64.t[0][c] & kInvalid);
}

QString badCharacter(QByteArrayView in, qsizetype offset)
{
    // "character '%' at position 12", "a space at position 4", "byte 0xFF at position 2"
    const QString what = DataDecoder::describeCharacter(in, offset);
    return QStringLiteral("%1%2 at position %3")
        .arg(what.startsWith(QLatin1Char('\'')) ? QStringLiteral("character ") : QString(), what)
        .arg(DataDecoder::characterPosition(in, offset));
}

} // namespace

qsizetype DataDecoder::maxDecodedSize(DataEncoding encoding, qsizetype inputBytes)
{
    switch (encoding) {
    case DataEncoding::Base64:
        return (inputBytes / 4 + 1) * 3 + 32; // the decoders write whole words past the end
    case DataEncoding::Hex:
        return inputBytes / 2 + 1;
    case DataEncoding::Auto:
    case DataEncoding::Text:
        break;
    }
    return inputBytes;
}

qsizetype DataDecoder::decode(DataEncoding encoding, QByteArrayView in, char *out, Failure *failure)
{
    switch (encoding) {
    case DataEncoding::Base64:
        return decodeBase64(in, out, failure);
    case DataEncoding::Hex:
        return decodeHex(in, out, failure);
    case DataEncoding::Auto:
    case DataEncoding::Text:
        break;
    }
    if (!in.isEmpty())
        std::memcpy(out, in.data(), size_t(in.size()));
    return in.size();
}

qsizetype DataDecoder::decodeBase64(QByteArrayView in, char *out, Failure *failure)
{
    const auto *s = reinterpret_cast<const unsigned char *>(in.data());
    qsizetype n = in.size();
    qsizetype padding = 0;
    while (n > 0 && s[n - 1] == '=' && padding < 2) {
        --n;
        ++padding;
    }
    const qsizetype full = n / 4 * 4;
    char *o = out;
    qsizetype i = 0;
#ifdef KWB_BASE64_AVX2
    if (full >= 16 && cpuHasAvx2()) {
        i = decodeBase64Avx2(s, full, out);
        o += i / 4 * 3;
    }
#endif
    for (; i < full; i += 4) {
        const uint32_t v = kBase64.t[0][s[i]] | kBase64.t[1][s[i + 1]] | kBase64.t[2][s[i + 2]] | kBase64.t[3][s[i + 3]];
        if (v & kInvalid)
            break;
        // The fourth byte is zero and is overwritten by the next group (out has room for it).
        qToLittleEndian<quint32>(v, o);
        o += 3;
    }
    const qsizetype rest = n - i;
    for (qsizetype k = i; k < n; ++k)
        if (!isBase64Char(s[k])) {
            if (failure)
                *failure = {characterPosition(in, k), badCharacter(in, k)};
            return -1;
        }
    if (rest == 1 || (padding > 0 && (n + padding) % 4 != 0)) {
        if (failure)
            *failure = {0, QStringLiteral("it has %1 characters; base64 comes in groups of 4").arg(in.size())};
        return -1;
    }
    if (rest >= 2) {
        const uint32_t v = kBase64.t[0][s[i]] | kBase64.t[1][s[i + 1]] | (rest == 3 ? kBase64.t[2][s[i + 2]] : 0u);
        *o++ = char(v & 0xFF);
        if (rest == 3)
            *o++ = char((v >> 8) & 0xFF);
    }
    return o - out;
}

qsizetype DataDecoder::decodeHex(QByteArrayView in, char *out, Failure *failure)
{
    const auto *s = reinterpret_cast<const unsigned char *>(in.data());
    const qsizetype n = in.size();
    for (qsizetype i = 0; i + 1 < n; i += 2) {
        const signed char hi = hexValue(s[i]);
        const signed char lo = hexValue(s[i + 1]);
        if ((hi | lo) < 0) {
            const qsizetype bad = hi < 0 ? i : i + 1;
            if (failure)
                *failure = {characterPosition(in, bad), badCharacter(in, bad)};
            return -1;
        }
        out[i / 2] = char((hi << 4) | lo);
    }
    if (n % 2 != 0) {
        if (hexValue(s[n - 1]) < 0) {
            if (failure)
                *failure = {characterPosition(in, n - 1), badCharacter(in, n - 1)};
            return -1;
        }
        if (failure)
            *failure = {0, QStringLiteral("it has %1 hex digits; hex needs two per byte").arg(n)};
        return -1;
    }
    return n / 2;
}

QString DataDecoder::describeCharacter(QByteArrayView text, qsizetype byteOffset)
{
    if (byteOffset < 0 || byteOffset >= text.size())
        return QStringLiteral("the end");
    const auto c = static_cast<unsigned char>(text[byteOffset]);
    switch (c) {
    case ' ':
        return QStringLiteral("a space");
    case '\n':
        return QStringLiteral("a line break");
    case '\r':
        return QStringLiteral("a carriage return");
    case '\t':
        return QStringLiteral("a tab");
    default:
        break;
    }
    if (c >= 0x21 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    if (c >= 0xC2 && c <= 0xF4) {
        const int length = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (byteOffset + length <= text.size()) {
            const QString decoded = QString::fromUtf8(text.sliced(byteOffset, length));
            if (!decoded.contains(QChar::ReplacementCharacter) && QChar::isPrint(decoded.toUcs4().value(0)))
                return QStringLiteral("'%1'").arg(decoded);
        }
    }
    return QStringLiteral("byte 0x%1").arg(QString::number(c, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}

qsizetype DataDecoder::characterPosition(QByteArrayView text, qsizetype byteOffset)
{
    return qsizetype(countCharacters(text.data(), text.data() + byteOffset)) + 1;
}

qint64 DataDecoder::countCharacters(const char *begin, const char *end)
{
    // Every byte but UTF-8 continuation bytes (10xxxxxx) starts a character; eight bytes a step.
    qint64 count = end - begin;
    const char *p = begin;
    for (; end - p >= 8; p += 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        const quint64 continuation = (word & ~(word << 1) & 0x8080808080808080ull) >> 7;
        count -= qint64((continuation * 0x0101010101010101ull) >> 56); // sum of the eight 0/1 bytes
    }
    for (; p < end; ++p)
        count -= (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
    return count;
}

} // namespace kwb::import
