#include "sandbox/SequenceNumber.h"

namespace kwb::sandbox {

namespace {

void writeDigits(char *out, int width, quint64 value)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

std::optional<quint64> readDigits(const char *in, int width)
{
    quint64 value = 0;
    for (int i = 0; i < width; ++i) {
        if (in[i] < '0' || in[i] > '9')
            return std::nullopt;
        const quint64 digit = quint64(in[i] - '0');
        if (value > (~quint64(0) - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

constexpr int kEpochDigits = 13;
constexpr int kShardDigits = 9;
constexpr int kCounterDigits = 32;
static_assert(2 + kEpochDigits + kShardDigits + kCounterDigits == SequenceNumber::kLength);

} // namespace

void SequenceNumber::write(char *out) const
{
    out[0] = '4';
    out[1] = '9';
    writeDigits(out + 2, kEpochDigits, quint64(streamEpoch));
    writeDigits(out + 2 + kEpochDigits, kShardDigits, quint64(shardIndex));
    writeDigits(out + 2 + kEpochDigits + kShardDigits, kCounterDigits, counter);
}

QByteArray SequenceNumber::toBytes() const
{
    QByteArray text(kLength, Qt::Uninitialized);
    write(text.data());
    return text;
}

QString SequenceNumber::toString() const
{
    return QString::fromLatin1(toBytes());
}

std::optional<SequenceNumber> SequenceNumber::parse(QByteArrayView text)
{
    if (text.size() != kLength || text[0] != '4' || text[1] != '9')
        return std::nullopt;
    const char *p = text.data() + 2;
    const auto epoch = readDigits(p, kEpochDigits);
    const auto shard = readDigits(p + kEpochDigits, kShardDigits);
    // The counter field is 32 digits wide but a counter is a 64-bit value: its first 12 digits are 0.
    const auto high = readDigits(p + kEpochDigits + kShardDigits, kCounterDigits - 20);
    const auto counter = readDigits(p + kEpochDigits + kShardDigits + (kCounterDigits - 20), 20);
    if (!epoch || !shard || !high || *high != 0 || !counter)
        return std::nullopt;
    return SequenceNumber{qint64(*epoch), int(*shard), *counter};
}

} // namespace kwb::sandbox
