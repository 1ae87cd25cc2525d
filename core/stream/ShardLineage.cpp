#include "stream/ShardLineage.h"

#include <algorithm>

namespace kwb::stream {

bool ShardLineage::add(const QString &shardId, const QStringList &parents)
{
    if (contains(shardId))
        return false;
    Entry entry;
    for (const QString &parent : parents)
        if (!parent.isEmpty() && parent != shardId)
            entry.parents << parent;
    m_shards.emplace(shardId, std::move(entry));
    return true;
}

ShardLineage::State ShardLineage::state(const QString &shardId) const
{
    const auto it = m_shards.find(shardId);
    return it == m_shards.end() ? State::Finished : it->second.state;
}

QStringList ShardLineage::takeStartable()
{
    QStringList ready;
    for (auto &[id, entry] : m_shards) {
        if (entry.state != State::Waiting)
            continue;
        const bool parentsDone = std::all_of(entry.parents.begin(), entry.parents.end(), [this](const QString &parent) {
            return state(parent) == State::Finished; // unknown parents count as finished
        });
        if (parentsDone)
            ready << id;
    }
    for (const QString &id : ready)
        m_shards[id].state = State::Reading;
    return ready;
}

void ShardLineage::finish(const QString &shardId)
{
    if (auto it = m_shards.find(shardId); it != m_shards.end())
        it->second.state = State::Finished;
}

QStringList ShardLineage::reading() const
{
    QStringList ids;
    for (const auto &[id, entry] : m_shards)
        if (entry.state == State::Reading)
            ids << id;
    return ids;
}

bool ShardLineage::allFinished() const
{
    return std::all_of(m_shards.begin(), m_shards.end(), [](const auto &e) { return e.second.state == State::Finished; });
}

} // namespace kwb::stream
