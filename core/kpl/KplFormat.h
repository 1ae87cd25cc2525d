#pragma once

#include <QByteArrayView>

#include <cstdint>

namespace kwb::kpl {

/// The KPL aggregated record format (the Kinesis Producer Library's, read by the KCL, the Lambda
/// de-aggregation helpers and Firehose): the 4 magic bytes, a protobuf `AggregatedRecord`, and
/// the 16-byte MD5 of the protobuf bytes.
///
///   message AggregatedRecord { repeated string partition_key_table = 1;
///                              repeated string explicit_hash_key_table = 2;
///                              repeated Record records = 3; }
///   message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
///                    required bytes data = 3; repeated Tag tags = 4; }
///   message Tag { required string key = 1; optional string value = 2; }
namespace format {
inline constexpr unsigned char kMagic[4] = {0xF3, 0x89, 0x9A, 0xC2};
inline constexpr int kMagicBytes = 4;
inline constexpr int kDigestBytes = 16;
/// Magic and MD5 around the protobuf bytes.
inline constexpr int kOverheadBytes = kMagicBytes + kDigestBytes;
/// The KPL's default AggregationMaxSize.
inline constexpr qint64 kDefaultMaxAggregateBytes = 51200;

// Field numbers.
inline constexpr int kPartitionKeyTable = 1;
inline constexpr int kExplicitHashKeyTable = 2;
inline constexpr int kRecords = 3;
inline constexpr int kPartitionKeyIndex = 1;
inline constexpr int kExplicitHashKeyIndex = 2;
inline constexpr int kData = 3;
inline constexpr int kTags = 4;
inline constexpr int kTagKey = 1;
inline constexpr int kTagValue = 2;
} // namespace format

/// Whether the bytes start with the KPL magic (they may still be malformed).
inline bool hasKplMagic(QByteArrayView bytes)
{
    return bytes.size() >= format::kMagicBytes && quint8(bytes[0]) == format::kMagic[0]
        && quint8(bytes[1]) == format::kMagic[1] && quint8(bytes[2]) == format::kMagic[2]
        && quint8(bytes[3]) == format::kMagic[3];
}

/// Protobuf wire helpers (hand-written: the format needs four field kinds, not a protobuf
/// library). Pure functions.
namespace wire {
enum Type : int { Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

/// Bytes the varint encoding of `value` takes (1..10).
inline int varintSize(quint64 value)
{
    int n = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++n;
    }
    return n;
}

/// Writes `value` as a varint at `out`; returns the byte after it.
inline char *writeVarint(char *out, quint64 value)
{
    while (value >= 0x80) {
        *out++ = char(quint8(value) | 0x80);
        value >>= 7;
    }
    *out++ = char(quint8(value));
    return out;
}

/// The key byte of a field (field numbers here are below 16, so one byte).
constexpr char key(int field, Type type) { return char((field << 3) | type); }

/// Bytes a length-delimited field with a one-byte key and `length` payload bytes takes.
inline qint64 lengthDelimitedSize(qint64 length) { return 1 + varintSize(quint64(length)) + length; }

/// Reads a varint from [pos, end). Returns false when it runs past `end` or over 10 bytes.
inline bool readVarint(const char *&pos, const char *end, quint64 &value)
{
    quint64 result = 0;
    for (int shift = 0; shift < 64 && pos < end; shift += 7) {
        const quint8 byte = quint8(*pos++);
        result |= quint64(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            value = result;
            return true;
        }
    }
    return false;
}
} // namespace wire

} // namespace kwb::kpl
