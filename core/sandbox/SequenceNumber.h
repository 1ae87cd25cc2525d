#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace kwb::sandbox {

/// A sandbox sequence number: 56 decimal digits like AWS's, made of fixed-width fields so that
/// formatting and parsing need no big-number arithmetic and the numeric order is the text order:
///   "49" | stream epoch (13 digits, ms) | shard index (9 digits) | counter (32 digits).
/// The stream epoch tells streams re-created under the same name apart; the counter grows by
/// one per record within a shard (0 is the shard's starting sequence number). A plain value.
struct SequenceNumber
{
    static constexpr int kLength = 56;

    qint64 streamEpoch = 0;
    int shardIndex = 0;
    quint64 counter = 0;

    /// Writes the 56 digits to `out` (at least kLength chars, no terminator).
    void write(char *out) const;
    QByteArray toBytes() const;
    QString toString() const;

    /// Parses a sequence number this sandbox made; nullopt for anything else.
    static std::optional<SequenceNumber> parse(QByteArrayView text);
};

} // namespace kwb::sandbox
