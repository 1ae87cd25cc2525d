#include "kpl/Deaggregator.h"

#include "HashKey.h"
#include "kpl/KplFormat.h"

#include <cstring>

namespace kwb::kpl {

namespace {

/// Walks one protobuf message in [begin, end); offsets in errors are from `base`.
class Reader
{
public:
    Reader(const char *base, const char *begin, const char *end) : m_base(base), m_pos(begin), m_end(end) {}

    bool atEnd() const { return m_pos >= m_end; }
    qint64 offset() const { return qint64(m_pos - m_base); }

    /// Reads a field key; fills `field` and `type`.
    Result<void> readKey(int &field, int &type)
    {
        const qint64 at = offset();
        quint64 key = 0;
        if (!wire::readVarint(m_pos, m_end, key))
            return malformed(at, QStringLiteral("a field key runs past the end of its message"));
        if ((key >> 3) == 0 || (key >> 3) > 0x1FFFFFFF)
            return malformed(at, QStringLiteral("field number %1 is not valid").arg(key >> 3));
        field = int(key >> 3);
        type = int(key & 7);
        return {};
    }

    Result<void> readVarint(quint64 &value, const char *what)
    {
        const qint64 at = offset();
        if (!wire::readVarint(m_pos, m_end, value))
            return malformed(at, QStringLiteral("the %1 (a varint) runs past the end of its message")
                                     .arg(QLatin1String(what)));
        return {};
    }

    Result<void> readBytes(QByteArrayView &bytes, const char *what)
    {
        const qint64 at = offset();
        quint64 length = 0;
        if (!wire::readVarint(m_pos, m_end, length))
            return malformed(at, QStringLiteral("the length of the %1 runs past the end of its message")
                                     .arg(QLatin1String(what)));
        if (length > quint64(m_end - m_pos))
            return malformed(at, QStringLiteral("the %1 says %2 bytes but only %3 are left in its message")
                                     .arg(QLatin1String(what))
                                     .arg(length)
                                     .arg(qint64(m_end - m_pos)));
        bytes = QByteArrayView(m_pos, qsizetype(length));
        m_pos += length;
        return {};
    }

    /// Skips a field of a number this format does not define (protobuf readers ignore them).
    Result<void> skip(int field, int type)
    {
        const qint64 at = offset();
        quint64 ignored = 0;
        QByteArrayView bytes;
        switch (type) {
        case wire::Varint:
            return readVarint(ignored, "unknown field's value");
        case wire::LengthDelimited:
            return readBytes(bytes, "unknown field");
        case wire::Fixed64:
        case wire::Fixed32: {
            const int n = type == wire::Fixed64 ? 8 : 4;
            if (m_end - m_pos < n)
                return malformed(at, QStringLiteral("field %1 needs %2 bytes, only %3 are left").arg(field).arg(n).arg(qint64(m_end - m_pos)));
            m_pos += n;
            return {};
        }
        default:
            return malformed(at, QStringLiteral("field %1 has wire type %2, which this format never uses").arg(field).arg(type));
        }
    }

    static Error malformed(qint64 at, const QString &why)
    {
        return Error{Error::Kind::Input, QStringLiteral("KplMalformed"),
                     QStringLiteral("KPL aggregated record is malformed at byte %1: %2").arg(at).arg(why), 0};
    }

private:
    const char *m_base;
    const char *m_pos;
    const char *m_end;
};

Error wrongType(qint64 at, const char *what, int type, int expected)
{
    return Reader::malformed(at, QStringLiteral("the %1 has wire type %2, expected %3").arg(QLatin1String(what)).arg(type).arg(expected));
}

Error recordError(const QString &code, qint64 at, int record, const QString &why)
{
    return Error{Error::Kind::Input, code,
                 QStringLiteral("KPL aggregated record: user record %1 (at byte %2) %3").arg(record).arg(at).arg(why), 0};
}

struct RawRecord
{
    QByteArrayView bytes;
    qint64 offset;
};

Result<void> checkTag(const char *base, QByteArrayView tag, int record)
{
    Reader reader(base, tag.data(), tag.data() + tag.size());
    bool hasKey = false;
    while (!reader.atEnd()) {
        const qint64 at = reader.offset();
        int field = 0, type = 0;
        if (auto r = reader.readKey(field, type); !r)
            return r;
        QByteArrayView text;
        if (field == format::kTagKey || field == format::kTagValue) {
            if (type != wire::LengthDelimited)
                return wrongType(at, field == format::kTagKey ? "tag key" : "tag value", type, wire::LengthDelimited);
            if (auto r = reader.readBytes(text, "tag text"); !r)
                return r;
            hasKey |= field == format::kTagKey;
        } else if (auto r = reader.skip(field, type); !r) {
            return r;
        }
    }
    if (!hasKey)
        return recordError(QStringLiteral("KplMissingField"), qint64(tag.data() - base), record,
                           QStringLiteral("has a tag without its required key"));
    return {};
}

} // namespace

bool Deaggregator::isAggregated(QByteArrayView data)
{
    return hasKplMagic(data);
}

Result<std::vector<UserRecordView>> Deaggregator::unpack(QByteArrayView data)
{
    if (!hasKplMagic(data))
        return Error{Error::Kind::Input, QStringLiteral("KplNotAggregated"),
                     QStringLiteral("not a KPL aggregated record: it does not start with the magic bytes F3 89 9A C2"), 0};
    if (data.size() < format::kOverheadBytes)
        return Error{Error::Kind::Input, QStringLiteral("KplTooShort"),
                     QStringLiteral("KPL aggregated record is %1 bytes long: too short for the 4 magic bytes and the "
                                    "16-byte MD5 (a consumer built on the KCL delivers it as one plain record)")
                         .arg(data.size()),
                     0};

    const char *base = data.data();
    const char *protoBegin = base + format::kMagicBytes;
    const char *protoEnd = base + data.size() - format::kDigestBytes;
    const Md5Digest digest = md5(QByteArrayView(protoBegin, protoEnd - protoBegin));
    if (std::memcmp(digest.data(), protoEnd, format::kDigestBytes) != 0) {
        Md5Digest stored;
        std::memcpy(stored.data(), protoEnd, format::kDigestBytes);
        return Error{Error::Kind::Input, QStringLiteral("KplBadDigest"),
                     QStringLiteral("KPL aggregated record: the MD5 at byte %1 is %2 but the protobuf bytes 4..%1 hash "
                                    "to %3, so the record was changed or cut (a consumer built on the KCL delivers it "
                                    "as one plain record)")
                         .arg(qint64(protoEnd - base))
                         .arg(QLatin1String(digestToHex(stored)), QLatin1String(digestToHex(digest))),
                     0};
    }

    std::vector<QByteArrayView> keys;
    std::vector<QByteArrayView> hashKeys;
    std::vector<RawRecord> raw;
    Reader outer(base, protoBegin, protoEnd);
    while (!outer.atEnd()) {
        const qint64 at = outer.offset();
        int field = 0, type = 0;
        if (auto r = outer.readKey(field, type); !r)
            return r.error();
        if (field == format::kPartitionKeyTable || field == format::kExplicitHashKeyTable || field == format::kRecords) {
            const char *what = field == format::kPartitionKeyTable   ? "partition key table entry"
                               : field == format::kExplicitHashKeyTable ? "explicit hash key table entry"
                                                                        : "user record";
            if (type != wire::LengthDelimited)
                return wrongType(at, what, type, wire::LengthDelimited);
            QByteArrayView bytes;
            if (auto r = outer.readBytes(bytes, what); !r)
                return r.error();
            if (field == format::kPartitionKeyTable)
                keys.push_back(bytes);
            else if (field == format::kExplicitHashKeyTable)
                hashKeys.push_back(bytes);
            else
                raw.push_back({bytes, at});
        } else if (auto r = outer.skip(field, type); !r) {
            return r.error();
        }
    }

    std::vector<UserRecordView> records;
    records.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        const int index = int(i);
        const QByteArrayView bytes = raw[i].bytes;
        Reader reader(base, bytes.data(), bytes.data() + bytes.size());
        UserRecordView record;
        record.subSequenceNumber = index;
        bool hasKeyIndex = false, hasData = false;
        quint64 keyIndex = 0, hashKeyIndex = 0;
        while (!reader.atEnd()) {
            const qint64 at = reader.offset();
            int field = 0, type = 0;
            if (auto r = reader.readKey(field, type); !r)
                return r.error();
            switch (field) {
            case format::kPartitionKeyIndex:
            case format::kExplicitHashKeyIndex: {
                const bool isKey = field == format::kPartitionKeyIndex;
                if (type != wire::Varint)
                    return wrongType(at, isKey ? "partition key index" : "explicit hash key index", type, wire::Varint);
                if (auto r = reader.readVarint(isKey ? keyIndex : hashKeyIndex,
                                               isKey ? "partition key index" : "explicit hash key index");
                    !r)
                    return r.error();
                (isKey ? hasKeyIndex : record.hasExplicitHashKey) = true;
                break;
            }
            case format::kData:
                if (type != wire::LengthDelimited)
                    return wrongType(at, "data", type, wire::LengthDelimited);
                if (auto r = reader.readBytes(record.data, "data"); !r)
                    return r.error();
                hasData = true;
                break;
            case format::kTags: {
                if (type != wire::LengthDelimited)
                    return wrongType(at, "tag", type, wire::LengthDelimited);
                QByteArrayView tag;
                if (auto r = reader.readBytes(tag, "tag"); !r)
                    return r.error();
                if (auto r = checkTag(base, tag, index); !r)
                    return r.error();
                ++record.tagCount;
                break;
            }
            default:
                if (auto r = reader.skip(field, type); !r)
                    return r.error();
            }
        }
        if (!hasKeyIndex)
            return recordError(QStringLiteral("KplMissingField"), raw[i].offset, index,
                               QStringLiteral("has no partition key index (a required field)"));
        if (!hasData)
            return recordError(QStringLiteral("KplMissingField"), raw[i].offset, index,
                               QStringLiteral("has no data (a required field)"));
        if (keyIndex >= keys.size())
            return recordError(QStringLiteral("KplBadIndex"), raw[i].offset, index,
                               QStringLiteral("points at partition key %1 but the table has %2").arg(keyIndex).arg(keys.size()));
        record.partitionKey = keys[size_t(keyIndex)];
        if (record.hasExplicitHashKey) {
            if (hashKeyIndex >= hashKeys.size())
                return recordError(QStringLiteral("KplBadIndex"), raw[i].offset, index,
                                   QStringLiteral("points at explicit hash key %1 but the table has %2")
                                       .arg(hashKeyIndex)
                                       .arg(hashKeys.size()));
            record.explicitHashKey = hashKeys[size_t(hashKeyIndex)];
        }
        records.push_back(record);
    }
    return records;
}

} // namespace kwb::kpl
