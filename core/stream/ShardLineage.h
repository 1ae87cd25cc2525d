#pragma once

#include <QString>
#include <QStringList>

#include <map>

namespace kwb::stream {

/// Which shards a reader reads and in what order across resharding: a shard waits until every
/// parent it has in the lineage is finished (read to its end), so a key's records come out in
/// order and none twice. Parents not in the lineage (not chosen, expired, or closed before a
/// LATEST start) do not hold a child back. A plain value, pure; any thread.
class ShardLineage
{
public:
    enum class State { Waiting, Reading, Finished };

    /// Adds a shard with its parents (empty ids are ignored); a known shard is left as it is.
    /// Returns false when it was known.
    bool add(const QString &shardId, const QStringList &parents);
    bool contains(const QString &shardId) const { return m_shards.count(shardId) > 0; }
    State state(const QString &shardId) const;

    /// The waiting shards whose parents are all finished, now marked Reading, in id order.
    QStringList takeStartable();
    /// Marks a shard read to its end.
    void finish(const QString &shardId);

    int size() const { return int(m_shards.size()); }
    /// Shards being read now.
    QStringList reading() const;
    bool allFinished() const;

private:
    struct Entry
    {
        QStringList parents;
        State state = State::Waiting;
    };
    std::map<QString, Entry> m_shards;
};

} // namespace kwb::stream
