#include "HashKey.h"

// MD5() is the one-shot digest the benchmarks compare against; the EVP interface costs a
// provider lookup per call, which dominates for short partition keys.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include <algorithm>

namespace kwb {

Md5Digest md5(QByteArrayView bytes)
{
    Md5Digest digest;
    MD5(reinterpret_cast<const unsigned char *>(bytes.data()), size_t(bytes.size()), digest.data());
    return digest;
}

UInt128 digestToUInt128(const Md5Digest &digest)
{
    UInt128 value = 0;
    for (unsigned char byte : digest)
        value = (value << 8) | byte;
    return value;
}

UInt128 hashPartitionKey(QByteArrayView utf8Key)
{
    return digestToUInt128(md5(utf8Key));
}

QByteArray digestToHex(const Md5Digest &digest)
{
    return QByteArray(reinterpret_cast<const char *>(digest.data()), int(digest.size())).toHex();
}

Result<UInt128> parseHashKey(QByteArrayView text)
{
    if (text.isEmpty())
        return Error::input(QStringLiteral("hash key is empty; expected a decimal number from 0 to "
                                           "340282366920938463463374607431768211455"),
                            QStringLiteral("InvalidHashKey"));
    UInt128 value = 0;
    constexpr UInt128 maxBeforeTimesTen = kMaxHashKey / 10;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            const QString shown = c == ' ' ? QStringLiteral("a space")
                : (c == '-' || c == '+') ? QStringLiteral("a sign '%1'").arg(QLatin1Char(c))
                : QStringLiteral("'%1'").arg(QString::fromUtf8(text.sliced(i, 1)));
            return Error::input(QStringLiteral("hash key has %1 at column %2; only the digits 0-9 "
                                               "are allowed (no sign, no spaces)")
                                    .arg(shown)
                                    .arg(i + 1),
                                QStringLiteral("InvalidHashKey"));
        }
        const unsigned digit = unsigned(c - '0');
        if (value > maxBeforeTimesTen || (value == maxBeforeTimesTen && digit > unsigned(kMaxHashKey % 10)))
            return Error::input(QStringLiteral("hash key %1 is larger than 2^128-1 "
                                               "(340282366920938463463374607431768211455)")
                                    .arg(QString::fromUtf8(text.toByteArray())),
                                QStringLiteral("InvalidHashKey"));
        value = value * 10 + digit;
    }
    return value;
}

int hashKeyToChars(UInt128 value, char *out)
{
    char buffer[40];
    int n = 0;
    do {
        buffer[n++] = char('0' + int(value % 10));
        value /= 10;
    } while (value != 0);
    std::reverse_copy(buffer, buffer + n, out);
    return n;
}

QString hashKeyToString(UInt128 value)
{
    char buffer[40];
    const int n = hashKeyToChars(value, buffer);
    return QString::fromLatin1(buffer, n);
}

} // namespace kwb
