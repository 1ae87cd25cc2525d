#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstdint>

namespace kwb {

/// An unsigned 128-bit integer: the Kinesis hash key space is 0 .. 2^128-1.
__extension__ typedef unsigned __int128 UInt128;

inline constexpr UInt128 kMaxHashKey = ~UInt128(0);

/// The 16 bytes of an MD5 digest.
using Md5Digest = std::array<unsigned char, 16>;

/// MD5 of the bytes (OpenSSL). Thread-safe, no allocation.
Md5Digest md5(QByteArrayView bytes);

/// The digest read as a big-endian unsigned 128-bit integer, as Kinesis does.
UInt128 digestToUInt128(const Md5Digest &digest);

/// The Kinesis hash key of a partition key: MD5 of its UTF-8 bytes read big-endian.
UInt128 hashPartitionKey(QByteArrayView utf8Key);
inline UInt128 hashPartitionKey(const QByteArray &utf8Key) { return hashPartitionKey(QByteArrayView(utf8Key)); }
inline UInt128 hashPartitionKey(const QString &key) { return hashPartitionKey(QByteArrayView(key.toUtf8())); }

/// Lower-case hex of a digest ("9e107d9d372bb6826bd81d3542a419d6").
QByteArray digestToHex(const Md5Digest &digest);

/// Strictly parses a 128-bit decimal (ExplicitHashKey, StartingHashKey, EndingHashKey):
/// ASCII digits only, no sign, no spaces, not empty, at most 2^128-1. Leading zeros are allowed
/// (the service accepts them). The error message says what is wrong and where.
Result<UInt128> parseHashKey(QByteArrayView text);
inline Result<UInt128> parseHashKey(const QByteArray &text) { return parseHashKey(QByteArrayView(text)); }
inline Result<UInt128> parseHashKey(const QString &text) { return parseHashKey(QByteArrayView(text.toUtf8())); }

/// The decimal form of a 128-bit value, without leading zeros ("0" for zero).
QString hashKeyToString(UInt128 value);
/// Writes the decimal form into `out` (at least 40 chars) and returns its length; no allocation.
int hashKeyToChars(UInt128 value, char *out);

} // namespace kwb
