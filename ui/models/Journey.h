#pragma once

#include "HashKey.h"
#include "ShardMap.h"
#include "send/SendResults.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace kwb {
class RecordStore;
}

namespace kwb::ui {

/// One attempt of a row with its texts looked up.
struct JourneyAttempt
{
    send::Attempt attempt;
    QString code;
    QString message;
};

/// Where the live stream view saw the record arrive: the hook for the journey's last step.
struct JourneySighting
{
    QString shardId;
    QString sequenceNumber;
    QDateTime arrival; ///< ApproximateArrivalTimestamp
};

/// What a journey is computed from: a key (the row's, or the one being typed in the editor),
/// the shard map, and the row's outcome. A plain value; fromRow() fills it from a workspace row.
struct JourneyInput
{
    QString partitionKey;
    QString explicitHashKey; ///< as stored or typed; empty = none
    const ShardMap *map = nullptr; ///< not owned; null or empty: no routing
    QString streamName;            ///< empty: a virtual stream
    qint64 dataBytes = 0;

    /// The row's outcome; describes the row's stored key (sentKey) only.
    send::RowStatus status = send::RowStatus::Pending;
    std::vector<JourneyAttempt> attempts;
    int attemptCount = 0; ///< as counted by the results (kept when the attempts themselves are not)
    QString shardId;
    QString sequenceNumber;
    QString errorCode;
    QString errorMessage;
    send::VerifyState verify = send::VerifyState::NotVerified;
    /// The key and explicit hash key the outcome belongs to; when the typed key differs, the
    /// outcome steps say what would happen instead.
    QString sentKey;
    QString sentExplicitHashKey;
    std::optional<JourneySighting> sighting;

    /// The row's key, explicit hash key, data size and outcome.
    static JourneyInput fromRow(const RecordStore &store, const send::SendResults &results, int row);
};

/// One step of the journey: a title, the value at that step (monospace material) and a line or
/// two that explains it. A step not reached yet (not sent, no shard map) says what would happen.
struct JourneyStep
{
    enum Kind { PartitionKey, Utf8Bytes, Md5Digest, HashKey, KeySpace, Shard, Request, Attempts, Landed, ReadBack };
    static constexpr int kCount = ReadBack + 1;

    Kind kind = PartitionKey;
    QString title;
    QString value;
    QString detail;
    bool reached = false;
};

/// A record's way from its partition key to the shard and back: the key's UTF-8 bytes, their
/// MD5 digest, the 128-bit hash key (or the explicit hash key that overrides it), its place in
/// the key space, the shard whose range holds it, the request it went in, each attempt and its
/// answer, the shard id and sequence number it got, and whether it was read back. Pure: computed
/// from a JourneyInput, no Qt widgets; words for the UI (translated). Any thread.
class Journey
{
public:
    static Journey compute(const JourneyInput &input);

    const std::vector<JourneyStep> &steps() const { return m_steps; }
    const JourneyStep &step(JourneyStep::Kind kind) const { return m_steps[size_t(kind)]; }

    Md5Digest digest() const { return m_digest; }
    /// The key's MD5 read as a 128-bit integer.
    UInt128 keyHash() const { return m_keyHash; }
    /// Where the record goes: the explicit hash key when there is a valid one, else keyHash().
    UInt128 routedHash() const { return m_routedHash; }
    bool explicitOverride() const { return m_explicit; }
    /// Index of the open shard holding routedHash(), -1 without a map.
    int openShardIndex() const { return m_openIndex; }
    /// How many steps have real values (the rest say what would happen).
    int reachedCount() const;

    /// "0x" and 32 lower-case hex digits.
    static QString toHex(UInt128 value);
    /// The place of a hash key in the key space, 0 … 100.
    static double percentOfKeySpace(UInt128 value);

private:
    std::vector<JourneyStep> m_steps;
    Md5Digest m_digest{};
    UInt128 m_keyHash = 0;
    UInt128 m_routedHash = 0;
    bool m_explicit = false;
    int m_openIndex = -1;
};

} // namespace kwb::ui
